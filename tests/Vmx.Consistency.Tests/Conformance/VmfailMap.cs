using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Vmx.Consistency.Tests.Conformance;

/// <summary>Test data (bochs-vmfail-map.tsv beside this file): each message Bochs 2.7 logs for a failed VM entry
/// (its <c>VMFAIL:</c> lines, numbers replaced by <c>#</c>) and the checks of spec/checks it stands for: the fewest
/// checks such that every launch that logged it violated one of them (with Bochs's outcome). A conformance run fails on a message the map lacks and on a launch whose violated
/// checks include none of its message's; <c>VMX_UPDATE_VMFAIL_MAP=1</c> rewrites the map from the run.</summary>
internal static class VmfailMap
{
    public static string Path => System.IO.Path.Combine(Repo.Root, "tests", "Vmx.Consistency.Tests", "Conformance", "bochs-vmfail-map.tsv");

    private static readonly Regex Number = new(@"\b(0x[0-9a-fA-F]+|[0-9a-fA-F]{8,16}|\d+)\b", RegexOptions.CultureInvariant);

    /// <summary>A log message without the values of the launch that logged it.</summary>
    public static string Normalize(string message) => Number.Replace(message.Trim(), "#");

    public static SortedDictionary<string, SortedSet<string>> Load()
    {
        var map = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        if (!File.Exists(Path)) return map;
        foreach (var (line, number) in File.ReadLines(Path).Select((l, i) => (l, i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var tab = line.LastIndexOf('\t');
            if (tab <= 0) throw new FormatException($"{Path}({number}): expected MESSAGE<TAB>check,ids");
            var message = line[..tab];
            if (map.ContainsKey(message)) throw new FormatException($"{Path}({number}): message listed twice: {message}");
            map[message] = new SortedSet<string>(line[(tab + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        }
        return map;
    }

    /// <summary>The map a run observed: per message, a smallest set of checks meeting every launch's violated checks.</summary>
    public static SortedDictionary<string, SortedSet<string>> Observed(IEnumerable<EntryComparison> results)
    {
        var map = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var group in results.SelectMany(r => r.Vmfails).GroupBy(p => p.Key, StringComparer.Ordinal))
        {
            var sets = group.SelectMany(g => g.Value).Where(s => s.Count > 0).ToList();
            if (sets.Count == 0) continue;
            // The fewest checks that account for every launch (greedy cover): a launch violating one check forces it.
            var chosen = new SortedSet<string>(StringComparer.Ordinal);
            var uncovered = sets;
            while (uncovered.Count > 0)
            {
                var best = uncovered.SelectMany(u => u).GroupBy(id => id, StringComparer.Ordinal)
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
                chosen.Add(best);
                uncovered = uncovered.Where(u => !u.Contains(best)).ToList();
            }
            map[group.Key] = chosen;
        }
        return map;
    }

    /// <summary>Where the run contradicts the map: a message it lacks, a launch whose checks include none of the map's.</summary>
    public static List<string> Contradictions(IEnumerable<EntryComparison> results, IReadOnlyDictionary<string, SortedSet<string>> map)
    {
        var problems = new List<string>();
        foreach (var (message, sets) in results.SelectMany(r => r.Vmfails))
        {
            if (!map.TryGetValue(message, out var ids))
            {
                // A message no launch could tie to a check (none violated or undecidable with its outcome) maps nothing.
                if (sets.Any(s => s.Count > 0)) problems.Add($"VMFAIL message not in {System.IO.Path.GetFileName(Path)}: {message}");
                continue;
            }
            foreach (var s in sets.Where(s => s.Count > 0 && !s.Overlaps(ids)))
                problems.Add($"VMFAIL \"{message}\" maps to [{string.Join(",", ids)}] but the launch violated [{string.Join(",", s)}]");
        }
        return problems.Distinct().ToList();
    }

    public static void Write(IReadOnlyDictionary<string, SortedSet<string>> map)
    {
        var text = new StringBuilder();
        text.Append("# Bochs 2.7 VMFAIL message (numbers as #) <TAB> the spec/checks ids it stands for.\n");
        text.Append("# Written by the Conformance run with VMX_UPDATE_VMFAIL_MAP=1 (EntryConformanceTests); checked by every run.\n");
        foreach (var (message, ids) in map) text.Append(message).Append('\t').Append(string.Join(",", ids)).Append('\n');
        File.WriteAllText(Path + ".tmp", text.ToString());
        File.Move(Path + ".tmp", Path, overwrite: true);
    }
}

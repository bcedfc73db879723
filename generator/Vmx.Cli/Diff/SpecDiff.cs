using System;
using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Model;

namespace Vmx.Cli.Diff;

public enum ChangeKind { Added, Removed, Changed }

/// <summary>One difference: an entry added or removed (with all its facts), or changed (with the facts that differ).</summary>
public sealed record Change(ChangeKind How, string Kind, string Key, IReadOnlyList<(string Name, string Old, string New)> Facts);

/// <summary>Compares two models entry by entry, kind by kind, matching entries by key.</summary>
public static class SpecDiff
{
    public static IReadOnlyList<Change> Compare(SpecModel older, SpecModel newer)
    {
        var changes = new List<Change>();
        foreach (var (_, entries) in SpecFacts.Kinds)
        {
            var before = ByKey(entries(older));
            var after = ByKey(entries(newer));
            foreach (var key in before.Keys.Union(after.Keys).OrderBy(k => k, StringComparer.Ordinal))
            {
                before.TryGetValue(key, out var o);
                after.TryGetValue(key, out var n);
                if (o is null)
                    changes.Add(new Change(ChangeKind.Added, n!.Kind, key, n.Facts.Select(f => (f.Name, "", f.Value)).ToList()));
                else if (n is null)
                    changes.Add(new Change(ChangeKind.Removed, o.Kind, key, o.Facts.Select(f => (f.Name, f.Value, "")).ToList()));
                else
                {
                    var differing = o.Facts.Zip(n.Facts, (a, b) => (a.Name, Old: a.Value, New: b.Value)).Where(f => f.Old != f.New).ToList();
                    if (differing.Count > 0) changes.Add(new Change(ChangeKind.Changed, o.Kind, key, differing));
                }
            }
        }
        return changes;
    }

    // A spec that lints clean has unique keys; the first entry wins should a key repeat anyway.
    private static Dictionary<string, FactEntry> ByKey(IEnumerable<FactEntry> entries)
    {
        var map = new Dictionary<string, FactEntry>(StringComparer.Ordinal);
        foreach (var entry in entries) if (!map.ContainsKey(entry.Key)) map[entry.Key] = entry;
        return map;
    }
}

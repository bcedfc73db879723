using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace Vmx.Consistency.Tests.Conformance;

/// <summary>One model's entry_checks output against the C# validator: per case, Bochs's outcome is one the validator
/// allows (success where no check is violated, else one of <see cref="VmEntryReport.PossibleOutcomes"/>), a documented
/// deviation (a violated check, or the case's own check, carries a <c>bochs:</c> note), or a disagreement; and the
/// C validator (run in the kernel) violates exactly the checks the C# one does.</summary>
internal sealed class EntryComparison
{
    public int Launches, Agree, Documented, Disagree, ValidatorsAgree, ValidatorsDisagree, Missing, Lost, Undecided;
    public List<string> Lines { get; } = [];

    private static readonly Regex CaseLine = new(@"^ENTRYCASE (\S+) c_violations=(\d+) c_ids=(\S+) c_outcomes=(\S+) got=(\S+)$", RegexOptions.Multiline);
    private static readonly Regex FactsLine = new(@"^ENTRYCHECKS model=\S+ first=\d+ cases=\d+ maxphyaddr=(\d+) linear_address_width=(\d+)$", RegexOptions.Multiline);

    public static EntryComparison Compare(EntryCaseSet set, string serial, IReadOnlyList<string> bochsLog)
    {
        var result = new EntryComparison();
        var lines = CaseLine.Matches(serial).ToDictionary(m => m.Groups[1].Value, m => m);
        var facts = CpuFacts.Default;
        if (FactsLine.Match(serial) is { Success: true } f)
            facts = facts.With("maxphyaddr", ulong.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture))
                .With("linear_address_width", ulong.Parse(f.Groups[2].Value, CultureInfo.InvariantCulture));
        var logged = LogByCase(bochsLog);
        var lost = Regex.Matches(serial, @"^ENTRYLOST (\d+)$", RegexOptions.Multiline)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();

        for (var index = 0; index < set.Cases.Count; index++)
        {
            var k = set.Cases[index];
            var vmfail = logged.TryGetValue(index, out var said) ? string.Join(" | ", said) : null;
            Match? line = lines.GetValueOrDefault(k.Id);
            if (line is null && !lost.Contains(index)) { result.Missing++; result.Lines.Add($"MISSING {k.Id}"); continue; }
            // A case that killed the machine (its VM exit aborted): Bochs entered the guest, so it found no violation.
            var got = line?.Groups[5].Value ?? "lost";
            if (line is null) result.Lost++;
            var failed = !got.StartsWith("ok:", StringComparison.Ordinal) && got != "lost";
            if (got.StartsWith("write:", StringComparison.Ordinal) || got.StartsWith("setup:", StringComparison.Ordinal))
            {
                result.Disagree++;
                result.Lines.Add($"NOT LAUNCHED {k.Id} got={got}");
                continue;
            }
            result.Launches++;
            var report = VmEntryValidator.Validate(k.Vector.Vmcs, k.Vector.Capabilities, facts, memory: null);
            var violated = report.Violations.Select(v => v.Check.Id).ToList();
            var expected = violated.Count == 0 ? "ok" : string.Join(",", report.PossibleOutcomes.Select(Show));

            var cIds = line is null || line.Groups[3].Value == "-" ? new List<string>() : line.Groups[3].Value.Split(',').ToList();
            if (line is null) { }
            else if (cIds.OrderBy(x => x, StringComparer.Ordinal).SequenceEqual(violated.OrderBy(x => x, StringComparer.Ordinal))) result.ValidatorsAgree++;
            else
            {
                result.ValidatorsDisagree++;
                result.Lines.Add($"C/C# {k.Id}: C# violates [{string.Join(",", violated)}], C [{string.Join(",", cIds)}]");
            }

            bool agree = violated.Count == 0 ? !failed : !failed ? false : report.PossibleOutcomes.Any(o => Matches(o, got));
            var noted = report.Violations.Select(v => v.Check.Id).Concat(k.Own is null ? [] : [k.Own.Id])
                .Distinct().Where(id => Checks.CheckVectors.Checks.First(c => c.Id == id).Bochs is not null).ToList();
            var tail = $"{k.Id} checks=[{string.Join(",", violated)}] predicted={expected} bochs={got}" + (vmfail is null ? "" : $" log=\"{vmfail}\"");
            // Bochs failed the entry as a check the validators could not decide would (an input missing: guest memory).
            var undecided = !agree && failed && report.NotDecidable.Any(c => Matches(c.Outcome, got));
            if (line is null) result.Lines.Add($"LOST {tail}");
            if (agree) result.Agree++;
            else if (undecided) { result.Undecided++; result.Lines.Add($"UNDECIDED {tail}"); }
            else if (noted.Count > 0) { result.Documented++; result.Lines.Add($"DOCUMENTED ({string.Join(",", noted)}) {tail}"); }
            else { result.Disagree++; result.Lines.Add($"DISAGREE {tail}"); }
        }
        return result;
    }

    /// <summary>Bochs's VMFAIL/VMABORT lines by case: before each VMLAUNCH the kernel reads MSR 0xC0DE0000 + case index,
    /// which Bochs logs as an unknown RDMSR (entry_checks.c, ENTRY_LOG_MARKER).</summary>
    private static Dictionary<int, List<string>> LogByCase(IReadOnlyList<string> log)
    {
        var byCase = new Dictionary<int, List<string>>();
        var current = -1;
        foreach (var line in log)
        {
            var marker = Regex.Match(line, @"RDMSR: Unknown register (?:0x)?c0de([0-9a-f]{4})\b", RegexOptions.IgnoreCase);
            if (marker.Success) { current = int.Parse(marker.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture); continue; }
            var at = line.IndexOf("VMFAIL", StringComparison.Ordinal);
            if (at < 0) at = line.IndexOf("VMABORT", StringComparison.Ordinal);
            if (at < 0 || current < 0) continue;
            if (!byCase.TryGetValue(current, out var lines)) byCase[current] = lines = [];
            lines.Add(line[at..].Trim());
        }
        return byCase;
    }

    private static string Show(VmEntryOutcome o) => o.IsVmExit ? (o.Qualification is { } q ? $"exit:{o.Number}:{q}" : $"exit:{o.Number}") : $"vmfail:{o.Number}";

    private static bool Matches(VmEntryOutcome o, string got) =>
        o.IsVmExit
            ? got.StartsWith($"exit:{o.Number}:", StringComparison.Ordinal) && (o.Qualification is not { } q || got == $"exit:{o.Number}:{q}")
            : got == $"vmfail:{o.Number}";
}

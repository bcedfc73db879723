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
    public int Launches, Agree, Documented, Disagree, ValidatorsAgree, ValidatorsDisagree, Missing, Lost, Undecided, FailedLaunches;
    public List<string> Lines { get; } = [];
    /// <summary>The CPU facts the kernel read (CPUID.80000008H), null when it printed none.</summary>
    public (ulong MaxPhyAddr, ulong LinearWidth)? KernelFacts { get; private set; }
    /// <summary>Checks the C# validator found violated on a launch Bochs failed with an outcome the check has.</summary>
    public HashSet<string> Exercised { get; } = new(StringComparer.Ordinal);
    /// <summary>Documented deviations by check id.</summary>
    public SortedDictionary<string, int> DocumentedByCheck { get; } = new(StringComparer.Ordinal);
    /// <summary>Launches by case kind: launches and agreements.</summary>
    public SortedDictionary<string, (int Launches, int Agree)> ByKind { get; } = new(StringComparer.Ordinal);
    /// <summary>Each Bochs VMFAIL message (normalized, <see cref="VmfailMap.Normalize"/>) of a failed launch with the
    /// check ids the C# validator found violated there with Bochs's outcome, one set per launch.</summary>
    public Dictionary<string, List<HashSet<string>>> Vmfails { get; } = new(StringComparer.Ordinal);

    private static readonly Regex CaseLine = new(@"^ENTRYCASE (\S+) c_violations=(\d+) c_ids=(\S+) c_outcomes=(\S+) got=(\S+)$", RegexOptions.Multiline);
    private static readonly Regex FactsLine = new(@"^ENTRYCHECKS model=\S+ first=\d+ cases=\d+ maxphyaddr=(\d+) linear_address_width=(\d+)$", RegexOptions.Multiline);

    public static EntryComparison Compare(EntryCaseSet set, string serial, IReadOnlyList<string> bochsLog)
    {
        var result = new EntryComparison();
        // A case run again after a boot that went quiet may have printed its line twice: the last one counts.
        var lines = CaseLine.Matches(serial).GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.Last());
        var facts = EntryCaseSet.BochsFacts;
        if (FactsLine.Match(serial) is { Success: true } f)
            result.KernelFacts = (ulong.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture), ulong.Parse(f.Groups[2].Value, CultureInfo.InvariantCulture));
        var logged = LogByCase(bochsLog);
        var lost = Regex.Matches(serial, @"^ENTRYLOST (\d+)$", RegexOptions.Multiline)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();
        var environment = Environment(serial);

        for (var index = 0; index < set.Cases.Count; index++)
        {
            var k = set.Cases[index];
            var said = logged.GetValueOrDefault(index);
            var vmfail = said is null ? null : string.Join(" | ", said);
            Match? line = lines.GetValueOrDefault(k.Id);
            if (line is null && !lost.Contains(index)) { result.Missing++; result.Lines.Add($"MISSING {k.Id}"); continue; }
            // A case that killed the machine: a VMX abort loading host MSRs follows any VM exit, a VM-entry failure
            // after guest state included ("lost:exit", consistent with success and with exit 33/34); otherwise (an abort
            // storing guest MSRs, a guest that never exits) Bochs entered the guest, so it found no violation.
            var got = line?.Groups[5].Value ?? (vmfail?.Contains("VMABORT: Error when loading host MSR", StringComparison.Ordinal) == true ? "lost:exit" : "lost");
            if (line is null) result.Lost++;
            var failed = !got.StartsWith("ok:", StringComparison.Ordinal) && !got.StartsWith("lost", StringComparison.Ordinal);
            if (got.StartsWith("write:", StringComparison.Ordinal) || got.StartsWith("setup:", StringComparison.Ordinal))
            {
                result.Disagree++;
                result.Lines.Add($"NOT LAUNCHED {k.Id} got={got}");
                continue;
            }
            result.Launches++;
            var report = VmEntryValidator.Validate(Launched(k, environment, facts), k.Capabilities, facts, memory: null);
            var violated = report.Violations.Select(v => v.Check.Id).ToList();
            var expected = violated.Count == 0 ? "ok" : string.Join(",", report.PossibleOutcomes.Select(Show));

            var cIds = line is null || line.Groups[3].Value == "-" ? new List<string>() : line.Groups[3].Value.Split(',').ToList();
            if (line is null) { }
            // The C validator reads guest memory, the C# one has none: a check C# could not decide may be violated in C.
            else if (violated.All(cIds.Contains) && cIds.All(id => violated.Contains(id) || report.NotDecidable.Any(c => c.Id == id))) result.ValidatorsAgree++;
            else
            {
                result.ValidatorsDisagree++;
                result.Lines.Add($"C/C# {k.Id}: C# violates [{string.Join(",", violated)}], C [{string.Join(",", cIds)}]");
            }

            bool agree = got == "lost:exit"
                ? violated.Count == 0 || report.PossibleOutcomes.Any(o => o.IsVmExit)
                : violated.Count == 0 ? !failed : !failed ? false : report.PossibleOutcomes.Any(o => Matches(o, got));
            var noted = report.Violations.Select(v => v.Check.Id).Concat(k.Related.Select(c => c.Id))
                .Distinct().Where(id => Checks.CheckVectors.Checks.First(c => c.Id == id).Bochs is not null).ToList();
            var tail = $"{k.Id} checks=[{string.Join(",", violated)}] predicted={expected} bochs={got}" + (vmfail is null ? "" : $" log=\"{vmfail}\"");
            // Bochs failed the entry as a check the validators could not decide would (an input missing: guest memory).
            var undecided = !agree && failed && report.NotDecidable.Any(c => Matches(c.Outcome, got));
            if (line is null) result.Lines.Add($"LOST {tail}");
            if (k.Parts is not null) tail += $" parts={string.Join("+", k.Parts)}";
            var kind = result.ByKind.GetValueOrDefault(k.Kind);
            result.ByKind[k.Kind] = (kind.Launches + 1, kind.Agree + (agree ? 1 : 0));
            if (failed)
            {
                result.FailedLaunches++;
                var matching = report.Violations.Where(v => Matches(v.Check.Outcome, got)).Select(v => v.Check.Id).ToHashSet(StringComparer.Ordinal);
                result.Exercised.UnionWith(matching);
                // None violated with Bochs's outcome: the message stands for a check C# could not decide, if one has it.
                if (matching.Count == 0) matching = report.NotDecidable.Where(c => Matches(c.Outcome, got)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
                foreach (var message in (said ?? []).Select(VmfailMap.Normalize).Distinct())
                {
                    if (!result.Vmfails.TryGetValue(message, out var sets)) result.Vmfails[message] = sets = [];
                    sets.Add(matching);
                }
            }
            if (agree) result.Agree++;
            else if (undecided) { result.Undecided++; result.Lines.Add($"UNDECIDED {tail}"); }
            else if (noted.Count > 0)
            {
                result.Documented++;
                foreach (var id in noted) result.DocumentedByCheck[id] = result.DocumentedByCheck.GetValueOrDefault(id) + 1;
                result.Lines.Add($"DOCUMENTED ({string.Join(",", noted)}) {tail}");
            }
            else { result.Disagree++; result.Lines.Add($"DISAGREE {tail}"); }
        }
        return result;
    }

    /// <summary>The fields the kernel replaced in the baseline with this machine's own (its ENTRYENV line: host state,
    /// guest CR3 and RIP, the MSR-area addresses).</summary>
    private static Dictionary<uint, ulong> Environment(string serial)
    {
        var values = new Dictionary<uint, ulong>();
        if (Regex.Match(serial, @"^ENTRYENV((?: [0-9a-f]+=[0-9a-f]+)*)$", RegexOptions.Multiline) is { Success: true } m)
            foreach (var pair in m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var at = pair.IndexOf('=');
                values[uint.Parse(pair[..at], NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = ulong.Parse(pair[(at + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        return values;
    }

    private static readonly uint[] MsrAreaAddresses = [(uint)VmcsField.VmExitMsrStoreAddress, (uint)VmcsField.VmExitMsrLoadAddress, (uint)VmcsField.VmEntryMsrLoadAddress];

    /// <summary>The VMCS the kernel launched: the case's, with the environment's values where the case writes none,
    /// and a case's MSR-area address moved into the kernel's area (keeping its page offset) unless it lies within the
    /// area's 8 pages of 2^MAXPHYADDR (entry_checks.c, run_case).</summary>
    private static InMemoryVmcs Launched(EntryCase k, IReadOnlyDictionary<uint, ulong> environment, CpuFacts facts)
    {
        facts.TryGet("maxphyaddr", out var maxphyaddr);
        var vmcs = new InMemoryVmcs(k.Vmcs.RevisionId, k.Capabilities);
        foreach (var (field, value) in k.Vmcs.Fields) vmcs.Store((VmcsField)field.Encoding, value);
        var written = k.Writes.ToDictionary(w => w.Encoding, w => w.Value);
        foreach (var (encoding, value) in environment)
        {
            if (!written.TryGetValue(encoding, out var own)) vmcs.Store((VmcsField)encoding, value);
            else if (MsrAreaAddresses.Contains(encoding) && own < (1UL << (int)maxphyaddr) - 8 * 4096) vmcs.Store((VmcsField)encoding, value + (own & 0xFFF));
        }
        return vmcs;
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

    internal static string Show(VmEntryOutcome o) => o.IsVmExit ? (o.Qualification is { } q ? $"exit:{o.Number}:{q}" : $"exit:{o.Number}") : $"vmfail:{o.Number}";

    private static bool Matches(VmEntryOutcome o, string got) =>
        o.IsVmExit
            ? got.StartsWith($"exit:{o.Number}:", StringComparison.Ordinal) && (o.Qualification is not { } q || got == $"exit:{o.Number}:{q}")
            : got == $"vmfail:{o.Number}";
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Vmx.Consistency.Tests.Checks;
using Vmx.Spec.Checks;

namespace Vmx.Consistency.Tests.Conformance;

/// <summary>One mutated launch: the baseline VMCS of a model with <see cref="Writes"/> applied, and the VMCS the C#
/// validator judges. <see cref="Kind"/> says where it came from (<see cref="EntryCaseSet.Kinds"/>); <see cref="Own"/> is
/// the check whose vector or sweep it is (null for control bits, access-rights bits and combinations); <see cref="Parts"/>
/// names a combination's cases.</summary>
internal sealed record EntryCase(string Id, string Kind, IReadOnlyList<(uint Encoding, ulong Value)> Writes,
    VmxCapabilities Capabilities, InMemoryVmcs Vmcs, CompiledCheck? Own, IReadOnlyList<string>? Parts = null,
    IReadOnlyList<CompiledCheck>? PartChecks = null)
{
    /// <summary>The checks whose <c>bochs:</c> notes may explain a deviation: its own, or its parts' own.</summary>
    public IEnumerable<CompiledCheck> Related => Own is not null ? [Own] : PartChecks ?? [];
}

/// <summary>The cases of one model (the Bochs scenario entry_checks), all derived from the spec: every check's vectors
/// that change only VMCS fields, every control bit its capability MSR fixes, the sweeps of <see cref="EntrySweeps"/>, and
/// seeded random combinations of 2-4 of those (<see cref="EntryCombos"/>). What cannot be launched is counted by why.</summary>
internal sealed class EntryCaseSet
{
    /// <summary>The 11 Bochs 2.7 models with VMX and a 64-bit mode (../shared/reference/bochs.md), E2E models first.</summary>
    public static readonly string[] AllModels =
    [
        "corei7_skylake_x", "tigerlake", "corei5_lynnfield_750", "core2_penryn_t9600", "corei5_arrandale_m520",
        "corei7_sandy_bridge_2600k", "corei7_ivy_bridge_3770k", "corei7_haswell_4770", "broadwell_ult", "corei3_cnl",
        "corei7_icelake_u",
    ];

    /// <summary>What Bochs 2.7's CPUID.80000008H reports on every model; the cases are made for it, and the comparison
    /// fails when the kernel reads anything else.</summary>
    public static CpuFacts BochsFacts { get; } = CpuFacts.Default.With("maxphyaddr", 40);

    public const int DefaultSeed = 20261202;

    /// <summary>Launches per model the combinations fill up to.</summary>
    public const int TargetLaunches = 2200;

    public static readonly string[] Kinds = ["vector", "control", "address", "cr_fixed", "canonical", "access_rights", "combo"];

    public required string Model { get; init; }
    public required int Seed { get; init; }
    public required IReadOnlyList<EntryCase> Cases { get; init; }
    /// <summary>Left out, by reason: "msr", "fact", "memory" (a vector changes what VMWRITE cannot), "host_pass" (a case
    /// that changes host state and should enter: its VM exit would load that host state, not return to this kernel),
    /// "absent_field" (a derived case writing a field this CPU lacks).</summary>
    public required IReadOnlyDictionary<string, int> Skipped { get; init; }
    public required IReadOnlyDictionary<uint, ulong?> Msrs { get; init; }

    public static EntryCaseSet For(string model, int seed = DefaultSeed)
    {
        var cases = new List<EntryCase>();
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        void Skip(string reason) => skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
        var vectorsByCheck = new Dictionary<string, List<ConcreteVector>>(StringComparer.Ordinal);
        ConcreteVector? template = null;
        foreach (var check in CheckVectors.Checks)
            foreach (var vector in CheckVectors.For(check, model, BochsFacts))
            {
                template ??= vector;
                var reason = SkipReason(vector);
                if (reason is not null) { Skip(reason); continue; }
                if (!vectorsByCheck.TryGetValue(check.Id, out var list)) vectorsByCheck[check.Id] = list = [];
                list.Add(vector);
                cases.Add(new EntryCase(vector.Name, "vector", Changes(vector.Vmcs, vector.Baseline), vector.Capabilities, vector.Vmcs, check));
            }
        var baseline = new Baseline(template!.Capabilities, template.Baseline, template.Vmcs.RevisionId);
        var derived = new List<EntryCase>();
        derived.AddRange(ControlBitCases(baseline));
        derived.AddRange(EntrySweeps.Cases(baseline, vectorsByCheck, model));
        // A derived case that leaves the baseline as it is repeats the baseline launch: dropped; one writing a field
        // this CPU lacks would fail its VMWRITE (error 12), not the launch.
        foreach (var k in derived.Where(k => k.Writes.Count > 0))
            if (!k.Writes.All(w => k.Capabilities.FieldExists((VmcsField)w.Encoding))) Skip("absent_field");
            else if (IsUnsafe(k)) Skip("host_pass"); else cases.Add(k);
        // Pass vectors stay out of combinations: some enter a guest that never exits (activity state wait-for-SIPI,
        // which the preemption timer does not end), and each such case costs a boot.
        var singles = cases.Where(k => k.Writes.Count > 0 && !(k.Kind == "vector" && k.Id.Contains("/pass", StringComparison.Ordinal))).ToList();
        foreach (var k in EntryCombos.Cases(baseline, singles, seed, model, TargetLaunches - cases.Count))
            if (IsUnsafe(k)) Skip("host_pass"); else cases.Add(k);
        return new EntryCaseSet { Model = model, Seed = seed, Cases = cases, Skipped = skipped, Msrs = template.Msrs };
    }

    /// <summary>The baseline a model's derived cases start from.</summary>
    internal sealed record Baseline(VmxCapabilities Capabilities, IReadOnlyDictionary<uint, ulong> Fields, uint RevisionId)
    {
        public EntryCase Case(string id, string kind, IEnumerable<(uint Encoding, ulong Value)> writes, CompiledCheck? own,
            IReadOnlyList<EntryCase>? parts = null)
        {
            var merged = new SortedDictionary<uint, ulong>();
            foreach (var (e, v) in writes) merged[e] = v;
            var vmcs = new InMemoryVmcs(RevisionId, Capabilities);
            foreach (var (e, v) in Fields) vmcs.Store((VmcsField)e, merged.TryGetValue(e, out var w) ? w : v);
            foreach (var (e, v) in merged.Where(m => !Fields.ContainsKey(m.Key))) vmcs.Store((VmcsField)e, v);
            var changes = merged.Where(m => !Fields.TryGetValue(m.Key, out var old) || old != m.Value).Select(m => (m.Key, m.Value)).ToList();
            return new EntryCase(id, kind, changes, Capabilities, vmcs, own, parts?.Select(p => p.Id).ToList(),
                parts?.SelectMany(p => p.Related).Distinct().ToList());
        }
    }

    private static List<(uint, ulong)> Changes(InMemoryVmcs vmcs, IReadOnlyDictionary<uint, ulong> baseline) =>
        vmcs.Fields.Where(f => !baseline.TryGetValue(f.Field.Encoding, out var old) || old != f.Value)
            .Select(f => (f.Field.Encoding, f.Value)).OrderBy(w => w.Encoding).ToList();

    /// <summary>Every control bit the capability MSRs fix (allowed-0 1: must be 1; allowed-1 0: must be 0) flipped alone
    /// on the baseline, for each control field the CPU has.</summary>
    private static IEnumerable<EntryCase> ControlBitCases(Baseline baseline)
    {
        foreach (var control in baseline.Capabilities.Controls.Where(c => c.IsAvailable))
        {
            var encoding = (uint)control.Field.Field;
            if (!baseline.Fields.TryGetValue(encoding, out var value)) continue;
            for (var bit = 0; bit < control.Width; bit++)
            {
                var mask = 1UL << bit;
                string? flip = (control.Allowed0 & mask) != 0 ? "clear" : (control.Allowed1 & mask) == 0 ? "set" : null;
                if (flip is null) continue;
                yield return baseline.Case($"control/{control.Field.Id}/bit{bit}/{flip}", "control",
                    [(encoding, flip == "clear" ? value & ~mask : value | mask)], null);
            }
        }
    }

    private static string? SkipReason(ConcreteVector vector)
    {
        if (vector.AssignedKinds.Contains(InputKind.Msr)) return "msr";
        if (vector.AssignedKinds.Contains(InputKind.Fact)) return "fact";
        if (vector.AssignedKinds.Contains(InputKind.Memory)) return "memory";
        var hostWrites = vector.Vmcs.Fields.Any(f => IsHostState(f.Field.Encoding) && vector.Baseline.GetValueOrDefault(f.Field.Encoding) != f.Value);
        return vector.ShouldPass && hostWrites ? "host_pass" : null;
    }

    /// <summary>A derived case that changes host state where the validator sees no violation: if it entered, its VM exit
    /// would load that host state.</summary>
    private static bool IsUnsafe(EntryCase k) =>
        k.Writes.Any(w => IsHostState(w.Encoding)) && VmEntryValidator.Validate(k.Vmcs, k.Capabilities, BochsFacts).Violations.Count == 0;

    /// <summary>Field encoding bits 11:10 = 3: the host-state area (SDM Appendix B).</summary>
    internal static bool IsHostState(uint encoding) => ((encoding >> 10) & 3) == 3;

    /// <summary>The C header the kernel's entry_checks scenario includes: per model, its capability MSRs (the kernel runs
    /// the table whose MSRs equal the CPU's) and its cases as VMWRITE lists.</summary>
    public static string Header(IReadOnlyList<EntryCaseSet> sets)
    {
        var text = new StringBuilder();
        text.Append("/* Generated by tests/Vmx.Consistency.Tests/Conformance (EntryCases.cs) from spec/checks: do not edit. */\n");
        foreach (var set in sets)
        {
            var c = CName(set.Model);
            text.Append(Inv($"static const struct entry_case_write entry_writes_{c}[] = {{\n"));
            foreach (var w in set.Cases.SelectMany(k => k.Writes)) text.Append(Inv($"\t{{ 0x{w.Encoding:x}u, 0x{w.Value:x}ull }},\n"));
            text.Append("\t{ 0, 0 }\n};\n");
            text.Append(Inv($"static const struct entry_case entry_cases_{c}[] = {{\n"));
            var first = 0;
            foreach (var k in set.Cases)
            {
                text.Append(Inv($"\t{{ \"{k.Id}\", {first}, {k.Writes.Count} }},\n"));
                first += k.Writes.Count;
            }
            text.Append("};\n");
            text.Append(Inv($"static const struct entry_case_msr entry_msrs_{c}[] = {{\n"));
            foreach (var (address, value) in set.Msrs.Where(m => m.Key >= 0x480).OrderBy(m => m.Key))
                text.Append(Inv($"\t{{ 0x{address:x}u, {(value is null ? 1 : 0)}, 0x{value ?? 0:x}ull }},\n"));
            text.Append("};\n");
        }
        text.Append("static const struct entry_case_model entry_case_models[] = {\n");
        foreach (var set in sets)
        {
            var c = CName(set.Model);
            text.Append(Inv($"\t{{ \"{set.Model}\", entry_msrs_{c}, sizeof entry_msrs_{c} / sizeof entry_msrs_{c}[0], entry_cases_{c}, {set.Cases.Count}, entry_writes_{c} }},\n"));
        }
        text.Append("};\n");
        return text.ToString();
    }

    private static string CName(string model) => model.Replace('-', '_');

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Vmx.Consistency.Tests.Checks;
using Vmx.Spec.Checks;

namespace Vmx.Consistency.Tests.Conformance;

/// <summary>One mutated launch: the baseline VMCS of a model with <see cref="Writes"/> applied (the vector's changes,
/// field by field, or one control bit flipped against its capability MSR), the VMCS the C# validator judges.
/// <see cref="Own"/> is the check whose vector it is (null for a control-bit case).</summary>
internal sealed record EntryCase(string Id, ConcreteVector Vector, IReadOnlyList<(uint Encoding, ulong Value)> Writes, CompiledCheck? Own);

/// <summary>The cases of one model (the Bochs scenario entry_checks), from every check's vectors (spec/checks): a vector
/// that changes only VMCS fields becomes a case; the others are counted by why they were left out.</summary>
internal sealed class EntryCaseSet
{
    public required string Model { get; init; }
    public required IReadOnlyList<EntryCase> Cases { get; init; }
    /// <summary>Vectors left out, by reason: "msr", "fact", "memory" (they change what VMWRITE cannot), "host_pass" (a pass
    /// vector changing host state: a successful entry would exit into that host state, not back to this kernel).</summary>
    public required IReadOnlyDictionary<string, int> Skipped { get; init; }
    public required IReadOnlyDictionary<uint, ulong?> Msrs { get; init; }

    public static readonly string[] Models = ["corei7_skylake_x", "tigerlake", "corei5_lynnfield_750", "core2_penryn_t9600"];

    public static EntryCaseSet For(string model)
    {
        var cases = new List<EntryCase>();
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        IReadOnlyDictionary<uint, ulong?>? msrs = null;
        foreach (var check in CheckVectors.Checks)
            foreach (var vector in CheckVectors.For(check, model))
            {
                msrs ??= vector.Msrs;
                var reason = SkipReason(vector);
                if (reason is not null) { skipped[reason] = skipped.GetValueOrDefault(reason) + 1; continue; }
                var writes = vector.Vmcs.Fields
                    .Where(f => !vector.Baseline.TryGetValue(f.Field.Encoding, out var old) || old != f.Value)
                    .Select(f => (f.Field.Encoding, f.Value)).OrderBy(w => w.Encoding).ToList();
                cases.Add(new EntryCase(vector.Name, vector, writes, check));
            }
        cases.AddRange(ControlBitCases(CheckVectors.For(CheckVectors.Checks[0], model).First()));
        return new EntryCaseSet { Model = model, Cases = cases, Skipped = skipped, Msrs = msrs! };
    }

    /// <summary>Every control bit the capability MSRs fix (allowed-0 1: must be 1; allowed-1 0: must be 0) flipped alone
    /// on the baseline, for each control field the CPU has.</summary>
    private static IEnumerable<EntryCase> ControlBitCases(ConcreteVector template)
    {
        foreach (var control in template.Capabilities.Controls.Where(c => c.IsAvailable))
        {
            var encoding = (uint)control.Field.Field;
            if (!template.Baseline.TryGetValue(encoding, out var value)) continue;
            for (var bit = 0; bit < control.Width; bit++)
            {
                var mask = 1UL << bit;
                string? flip = (control.Allowed0 & mask) != 0 ? "clear" : (control.Allowed1 & mask) == 0 ? "set" : null;
                if (flip is null) continue;
                var changed = flip == "clear" ? value & ~mask : value | mask;
                var vmcs = new InMemoryVmcs(template.Vmcs.RevisionId, template.Capabilities);
                foreach (var (e, v) in template.Baseline) vmcs.Store((VmcsField)e, e == encoding ? changed : v);
                var vector = new ConcreteVector
                {
                    Name = $"control/{control.Field.Id}/bit{bit}/{flip}", Check = template.Check, ShouldPass = false,
                    Capabilities = template.Capabilities, Vmcs = vmcs, Msrs = template.Msrs, Facts = template.Facts,
                    Memory = template.Memory, AssignedKinds = [InputKind.Field], Baseline = template.Baseline,
                };
                yield return new EntryCase(vector.Name, vector, [(encoding, changed)], null);
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

    /// <summary>Field encoding bits 11:10 = 3: the host-state area (SDM Appendix B).</summary>
    private static bool IsHostState(uint encoding) => ((encoding >> 10) & 3) == 3;

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

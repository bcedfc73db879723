using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Vmx.Spec.Checks;

namespace Vmx.Consistency.Tests.Checks;

/// <summary>A check's vector made concrete: the baseline VMCS of a capability fixture with the vector's assignments
/// applied, and everything the validators read (fields, capability MSRs, CPU facts, guest memory).</summary>
internal sealed class ConcreteVector
{
    public required string Name { get; init; }
    public required CompiledCheck Check { get; init; }
    public required bool ShouldPass { get; init; }
    public required VmxCapabilities Capabilities { get; init; }
    public required InMemoryVmcs Vmcs { get; init; }
    public required Dictionary<uint, ulong?> Msrs { get; init; }
    public required Dictionary<string, ulong> Facts { get; init; }
    public required Dictionary<ulong, byte> Memory { get; init; }
    /// <summary>What the vector assigns: fields, capability MSRs, CPU facts, memory.</summary>
    public required IReadOnlyList<InputKind> AssignedKinds { get; init; }
    /// <summary>The baseline VMCS the vector started from.</summary>
    public required IReadOnlyDictionary<uint, ulong> Baseline { get; init; }

    public CpuFacts CpuFacts => new(Facts);

    public IGuestMemory? GuestMemory(bool withMemory) => withMemory ? new ByteMemory(Memory) : null;

    /// <summary>The vector in the line format driver/tests/host/check_vectors.c reads.</summary>
    public void WriteTo(StringBuilder text)
    {
        text.Append("vector ").Append(Name).Append('\n');
        foreach (var (field, value) in Vmcs.Fields) text.Append(Invariant($"field {field.Encoding:x} {value:x}\n"));
        foreach (var (msr, value) in Msrs.Where(m => m.Value is not null)) text.Append(Invariant($"msr {msr:x} {value!.Value:x}\n"));
        foreach (var (fact, value) in Facts) text.Append(Invariant($"fact {fact} {value:x}\n"));
        foreach (var (address, value) in Memory) text.Append(Invariant($"mem {address:x} {value:x}\n"));
        text.Append("end\n");
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed class ByteMemory(Dictionary<ulong, byte> bytes) : IGuestMemory
    {
        public bool TryRead(ulong address, int size, out ulong value)
        {
            value = 0;
            for (var i = size - 1; i >= 0; i--)
            {
                if (!bytes.TryGetValue(address + (ulong)i, out var b)) return false;
                value = (value << 8) | b;
            }
            return true;
        }
    }
}

/// <summary>Builds every check's vectors on one capability fixture (spec/checks/README.md, "Vectors").</summary>
internal static class CheckVectors
{
    public const string Model = "corei7_skylake_x";

    public static IReadOnlyList<CompiledCheck> Checks { get; } = CheckCompiler.Compile(Repo.LoadSpec().Model);

    private static readonly Lazy<IReadOnlyList<ConcreteVector>> AllVectors = new(() => Checks.SelectMany(For).ToList());

    public static IReadOnlyList<ConcreteVector> All => AllVectors.Value;

    public static IEnumerable<ConcreteVector> For(CompiledCheck check) => For(check, Model);

    /// <summary>The check's vectors on the capability fixture of <paramref name="fixture"/> (tests/fixtures/caps), their
    /// values evaluated with <paramref name="facts"/> (default <see cref="CpuFacts.Default"/>, the facts the vectors assume).</summary>
    public static IEnumerable<ConcreteVector> For(CompiledCheck check, string fixture, CpuFacts? facts = null) =>
        check.Pass.Select((v, i) => Build(check, v, true, $"{check.Id}/pass{i}", fixture, facts ?? CpuFacts.Default))
            .Concat(check.Fail.Select((v, i) => Build(check, v, false, $"{check.Id}/fail{i}", fixture, facts ?? CpuFacts.Default)));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string? Model, MsrSnapshot Snapshot)> Fixtures = new(StringComparer.Ordinal);

    private static ConcreteVector Build(CompiledCheck check, CompiledVector vector, bool pass, string name, string fixture, CpuFacts cpuFacts)
    {
        var (model, snapshot) = Fixtures.GetOrAdd(fixture, f => CapabilityDump.ParseSnapshot(File.ReadAllText(Path.Combine(Repo.Root, "tests", "fixtures", "caps", f + ".json")), f));
        var caps = VmxCapabilities.FromMsrs(snapshot, model);
        var baseline = VmcsBaseline.Create(caps);
        var fields = baseline.Fields.ToDictionary(f => f.Field.Encoding, f => f.Value);
        var baselineFields = new Dictionary<uint, ulong>(fields);
        var msrs = snapshot.Addresses.ToDictionary(a => a, a => snapshot.TryRead(a, out var v) ? v : (ulong?)null);
        var facts = cpuFacts.Values.ToDictionary(p => p.Key, p => p.Value);
        var memory = new Dictionary<ulong, byte>();

        // Every value is evaluated on the baseline, then all are applied.
        var interpreter = new CheckInterpreter(new Environment(caps, fields, msrs, facts));
        var values = vector.Assignments.Select(a => (a.Target, Value: interpreter.Evaluate(a.Value))).ToList();
        foreach (var (target, value) in values)
        {
            var mask = target.Width >= 64 ? ulong.MaxValue : ((1UL << target.Width) - 1) << target.Lsb;
            ulong Merge(ulong old) => (old & ~mask) | ((value << target.Lsb) & mask);
            switch (target.Input.Kind)
            {
                case InputKind.Field:
                    fields[target.Input.Field!.Encoding] = Merge(fields.TryGetValue(target.Input.Field.Encoding, out var f) ? f : 0);
                    break;
                case InputKind.Msr:
                    msrs[target.Input.Msr!.Address] = Merge(msrs.TryGetValue(target.Input.Msr.Address, out var m) && m is { } mv ? mv : 0);
                    break;
                case InputKind.Fact:
                    facts[target.Input.Id] = Merge(facts.TryGetValue(target.Input.Id, out var x) ? x : 0);
                    break;
                case InputKind.Memory:
                    for (var i = 0; i < target.Width / 8; i++) memory[target.Address + (ulong)i] = (byte)(value >> (8 * i));
                    break;
            }
        }
        var changedCaps = VmxCapabilities.FromMsrs(new MsrSnapshot(msrs), model);
        var vmcs = new InMemoryVmcs(baseline.RevisionId, changedCaps);
        foreach (var (encoding, value) in fields) vmcs.Store((VmcsField)encoding, value);
        return new ConcreteVector
        {
            Name = name, Check = check, ShouldPass = pass, Capabilities = changedCaps, Vmcs = vmcs, Msrs = msrs, Facts = facts, Memory = memory,
            AssignedKinds = vector.Assignments.Select(a => a.Target.Input.Kind).Distinct().ToList(), Baseline = baselineFields,
        };
    }

    private sealed class Environment(VmxCapabilities caps, Dictionary<uint, ulong> fields, Dictionary<uint, ulong?> msrs,
        Dictionary<string, ulong> facts) : ICheckEnvironment
    {
        public bool TryRead(CheckInput input, out ulong value)
        {
            value = 0;
            switch (input.Kind)
            {
                case InputKind.Field: return fields.TryGetValue(input.Field!.Encoding, out value);
                case InputKind.Msr:
                    if (msrs.TryGetValue(input.Msr!.Address, out var m) && m is { } v) { value = v; return true; }
                    return false;
                case InputKind.Fact: return facts.TryGetValue(input.Id, out value);
                default: return false;
            }
        }

        public bool TryAllowed(BoundAllowed allowed, out ulong value)
        {
            var capability = caps.Control(ControlFieldCatalog.All.First(f => f.Id == allowed.Control.Id).Kind);
            value = allowed.One ? capability.Allowed1 : capability.Allowed0;
            return true;
        }

        public bool TryReadMemory(ulong address, int size, out ulong value)
        {
            value = 0;
            return false;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;

namespace Vmx;

/// <summary>A violated check with the values its message shows.</summary>
public sealed record VmEntryViolation(VmEntryCheckInfo Check, ulong[] Values)
{
    public string Message => Check.FormatMessage(Values);
    public override string ToString() => $"{Check.Id}: {Message}";
}

/// <summary>The verdict of every VM-entry check on one VMCS. Reusable: <see cref="VmEntryValidator.Validate{TAccessor}(TAccessor,
/// VmxCapabilities?, CpuFacts, IGuestMemory?, VmEntryReport)"/> overwrites it without allocating.</summary>
public sealed class VmEntryReport
{
    private readonly CheckVerdict[] _verdicts = new CheckVerdict[VmEntryCheckCatalog.All.Count];
    private readonly ulong[] _values = new ulong[VmEntryCheckCatalog.All.Count * VmEntryChecks.MaxValues];
    private readonly byte[] _valueCounts = new byte[VmEntryCheckCatalog.All.Count];

    internal void Clear()
    {
        Array.Clear(_verdicts, 0, _verdicts.Length);
        ViolationCount = 0;
    }

    internal void Set(int check, CheckVerdict verdict)
    {
        _verdicts[check] = verdict;
        if (verdict == CheckVerdict.Violated) ViolationCount++;
    }

    internal void SetValues(int check, int count, ulong v0, ulong v1, ulong v2, ulong v3, ulong v4, ulong v5)
    {
        var at = check * VmEntryChecks.MaxValues;
        _values[at] = v0; _values[at + 1] = v1; _values[at + 2] = v2; _values[at + 3] = v3; _values[at + 4] = v4; _values[at + 5] = v5;
        _valueCounts[check] = (byte)count;
    }

    public int ViolationCount { get; private set; }

    /// <summary>No check is violated. Checks that were not decidable are listed in <see cref="NotDecidable"/>.</summary>
    public bool Passed => ViolationCount == 0;

    public CheckVerdict this[VmEntryCheckInfo check] => _verdicts[check.Index];

    public CheckVerdict Verdict(string id) => VmEntryCheckCatalog.Find(id) is { } check ? this[check] : throw new ArgumentException($"no check '{id}'", nameof(id));

    /// <summary>Every violated check, in spec order, with its values.</summary>
    public IReadOnlyList<VmEntryViolation> Violations =>
        VmEntryCheckCatalog.All.Where(c => _verdicts[c.Index] == CheckVerdict.Violated)
            .Select(c => new VmEntryViolation(c, _values.AsSpan(c.Index * VmEntryChecks.MaxValues, _valueCounts[c.Index]).ToArray())).ToList();

    public IReadOnlyList<VmEntryCheckInfo> NotDecidable => VmEntryCheckCatalog.All.Where(c => _verdicts[c.Index] == CheckVerdict.NotDecidable).ToList();

    /// <summary>What the processor may report: the SDM leaves the order of the checks open, so any violated check's
    /// outcome; VMfailValid (controls, then host state) comes before any VM-entry failure.</summary>
    public IReadOnlyList<VmEntryOutcome> PossibleOutcomes
    {
        get
        {
            var outcomes = Violations.Select(v => v.Check.Outcome).Distinct().ToList();
            var vmfail = outcomes.Where(o => !o.IsVmExit).ToList();
            return (vmfail.Count > 0 ? vmfail : outcomes).OrderBy(o => o.Number).ThenBy(o => o.Qualification).ToList();
        }
    }
}

/// <summary>Runs every VM-entry check of the spec (SDM "Checks on VMX Controls and Host-State Area", "Checks on the
/// Guest-State Area") on a VMCS: the CPU's, an in-memory one, a dump.</summary>
public static class VmEntryValidator
{
    public static VmEntryReport Validate<TAccessor>(TAccessor vmcs, VmxCapabilities? capabilities, CpuFacts facts, IGuestMemory? memory = null)
        where TAccessor : IVmcsAccessor
    {
        var report = new VmEntryReport();
        Validate(vmcs, capabilities, facts, memory, report);
        return report;
    }

    /// <summary>Validates into <paramref name="report"/>, allocating nothing.</summary>
    public static void Validate<TAccessor>(TAccessor vmcs, VmxCapabilities? capabilities, CpuFacts facts, IGuestMemory? memory, VmEntryReport report)
        where TAccessor : IVmcsAccessor
    {
        // A class accessor would run the checks in code shared by every reference type, where each of the hundreds of
        // input reads pays a generic-dictionary lookup; through a struct the checks get code of their own and only the
        // VMCS reads go through the interface.
        if (!typeof(TAccessor).IsValueType)
        {
            Run(new InterfaceAccessor(vmcs), capabilities, facts, memory, report);
            return;
        }
        Run(vmcs, capabilities, facts, memory, report);
    }

    private static void Run<TAccessor>(TAccessor vmcs, VmxCapabilities? capabilities, CpuFacts facts, IGuestMemory? memory, VmEntryReport report)
        where TAccessor : IVmcsAccessor
    {
        report.Clear();
        var slots = CheckContext<TAccessor>.Slots;
        Span<ulong> values = stackalloc ulong[slots];
        Span<byte> state = stackalloc byte[slots];
        var context = new CheckContext<TAccessor>(vmcs, capabilities, facts, memory, report, values, state);
        VmEntryChecks.Run(ref context);
    }

    /// <summary>Any accessor seen through its interface, as a struct. Nested: the fixed runtime type names stay as they are.</summary>
    private readonly struct InterfaceAccessor : IVmcsAccessor
    {
        private readonly IVmcsAccessor _inner;

        public InterfaceAccessor(IVmcsAccessor inner) => _inner = inner;

        public VmxResult Read(VmcsField field, out ulong value) => _inner.Read(field, out value);

        public VmxResult Write(VmcsField field, ulong value) => _inner.Write(field, value);
    }
}

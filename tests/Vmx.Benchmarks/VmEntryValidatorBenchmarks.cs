using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace Vmx.Benchmarks;

/// <summary>The runtime's goal for VmEntryValidator: every check of spec/checks on one VMCS in at most 1 µs, 0 bytes
/// allocated when it passes. The baseline VMCS of the Skylake-X capability fixture, once in the Dictionary-backed
/// InMemoryVmcs and once in an array-backed shadow copy (accessor cost against check cost), and once with one check
/// violated. Setup refuses to run if the VMCSs do not give the verdicts the benchmarks claim.</summary>
[MemoryDiagnoser]
public class VmEntryValidatorBenchmarks
{
    private VmxCapabilities _caps = null!;
    private readonly CpuFacts _facts = CpuFacts.Default;
    private InMemoryVmcs _passing = null!;
    private ShadowVmcs _passingShadow;
    private InMemoryVmcs _failing = null!;
    private ShadowVmcs _failingShadow;
    private readonly VmEntryReport _report = new();
    private VmcsField[] _fieldsRead = Array.Empty<VmcsField>();

    /// <summary>The check the failing VMCS violates: reserved bits 31:5 of the interruptibility state must be 0.</summary>
    private const string ViolatedCheck = "guest_interruptibility_reserved";

    [GlobalSetup]
    public void Setup()
    {
        _caps = CapabilityDump.Load(Path.Combine(GeneratorBenchmarks.RepoRoot(), "tests", "fixtures", "caps", "corei7_skylake_x.json"));
        _passing = VmcsBaseline.Create(_caps);
        _passingShadow = ShadowVmcs.CopyOf(_passing);
        _failing = VmcsBaseline.Create(_caps);
        _failing.Write(VmcsField.GuestInterruptibilityState, 1UL << 5);
        _failingShadow = ShadowVmcs.CopyOf(_failing);

        var passing = Expect(_passing, violations: 0, "baseline in InMemoryVmcs");
        var shadow = Expect(_passingShadow, violations: 0, "baseline in ShadowVmcs");
        if (!VmEntryCheckCatalog.All.All(c => passing[c] == shadow[c]))
            throw new InvalidOperationException("the shadow copy gives other verdicts than the VMCS it copies");
        var failing = Expect(_failing, violations: 1, "failing VMCS");
        if (failing.Verdict(ViolatedCheck) != CheckVerdict.Violated)
            throw new InvalidOperationException($"the failing VMCS violates {failing.Violations[0].Check.Id}, not {ViolatedCheck}");
        Expect(_failingShadow, violations: 1, "failing VMCS in ShadowVmcs");

        var recording = new RecordingVmcs(_passing);
        VmEntryValidator.Validate(recording, _caps, _facts);
        _fieldsRead = recording.Reads.ToArray();
        if (_fieldsRead.Distinct().Count() != _fieldsRead.Length)
            throw new InvalidOperationException("the validator read a field twice");

        Console.WriteLine($"// {VmEntryCheckCatalog.All.Count} checks; on the baseline: " +
                          string.Join(", ", VmEntryCheckCatalog.All.GroupBy(c => passing[c]).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")) +
                          $"; {_fieldsRead.Length} VMCS fields read");
    }

    private VmEntryReport Expect<TAccessor>(TAccessor vmcs, int violations, string what) where TAccessor : IVmcsAccessor
    {
        var report = VmEntryValidator.Validate(vmcs, _caps, _facts);
        if (report.ViolationCount != violations)
            throw new InvalidOperationException($"{what}: {report.ViolationCount} violations, expected {violations}: " +
                                                string.Join("; ", report.Violations));
        return report;
    }

    [Benchmark(Baseline = true, Description = "passing, InMemoryVmcs, reused report")]
    public int PassingInMemory()
    {
        VmEntryValidator.Validate(_passing, _caps, _facts, null, _report);
        return _report.ViolationCount;
    }

    [Benchmark(Description = "passing, array ShadowVmcs, reused report")]
    public int PassingShadow()
    {
        VmEntryValidator.Validate(_passingShadow, _caps, _facts, null, _report);
        return _report.ViolationCount;
    }

    [Benchmark(Description = "passing, InMemoryVmcs, new report")]
    public VmEntryReport PassingInMemoryNewReport() => VmEntryValidator.Validate(_passing, _caps, _facts);

    [Benchmark(Description = "1 violation, InMemoryVmcs, reused report")]
    public int FailingInMemory()
    {
        VmEntryValidator.Validate(_failing, _caps, _facts, null, _report);
        return _report.ViolationCount;
    }

    [Benchmark(Description = "1 violation, array ShadowVmcs, reused report")]
    public int FailingShadow()
    {
        VmEntryValidator.Validate(_failingShadow, _caps, _facts, null, _report);
        return _report.ViolationCount;
    }

    [Benchmark(Description = "1 violation, InMemoryVmcs, new report")]
    public VmEntryReport FailingInMemoryNewReport() => VmEntryValidator.Validate(_failing, _caps, _facts);

    [Benchmark(Description = "only the field reads of a passing validation, InMemoryVmcs")]
    public ulong ReadsInMemory() => ReadAll(_passing);

    [Benchmark(Description = "only the field reads of a passing validation, ShadowVmcs")]
    public ulong ReadsShadow() => ReadAll(_passingShadow);

    private ulong ReadAll<TAccessor>(TAccessor vmcs) where TAccessor : IVmcsAccessor
    {
        ulong sum = 0;
        foreach (var field in _fieldsRead)
            if (vmcs.Read(field, out var value).IsSuccess) sum += value;
        return sum;
    }
}

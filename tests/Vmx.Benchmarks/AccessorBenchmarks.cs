using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Vmx.Benchmarks;

/// <summary>DESIGN.md's "zero cost" claim, measured: the generated typed paths against what a careful person writes by
/// hand over the same data. Each category's baseline is the hand-written code; the goal is a ratio of at most 1.02.</summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AccessorBenchmarks
{
    private const int Count = 1024;
    private readonly uint[] _accessRights = new uint[Count];
    private readonly ArrayVmcs[] _vmcss = new ArrayVmcs[Count];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (var i = 0; i < Count; i++)
        {
            _accessRights[i] = (uint)random.Next();
            _vmcss[i] = new ArrayVmcs(new ulong[ArrayVmcs.Slots]);
            _vmcss[i].Write(VmcsField.GuestEsSelector, (ulong)random.Next(0, 0x10000));
        }
    }

    [BenchmarkCategory("layout getter"), Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "hand-written (raw >> 5) & 3")]
    public int DplByHand()
    {
        var sum = 0;
        foreach (var raw in _accessRights) sum += (int)((raw >> 5) & 3);
        return sum;
    }

    [BenchmarkCategory("layout getter"), Benchmark(OperationsPerInvoke = Count, Description = "new SegmentAccessRights(raw).Dpl")]
    public int DplTyped()
    {
        var sum = 0;
        foreach (var raw in _accessRights) sum += new SegmentAccessRights(raw).Dpl;
        return sum;
    }

    [BenchmarkCategory("VMCS accessor"), Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "hand-written Read + check + (ushort)")]
    public int SelectorByHand()
    {
        var sum = 0;
        foreach (var vmcs in _vmcss)
        {
            var result = vmcs.Read(VmcsField.GuestEsSelector, out var value);
            if (!result.IsSuccess) throw new VmxInstructionException(result, VmcsField.GuestEsSelector);
            sum += (ushort)value;
        }
        return sum;
    }

    [BenchmarkCategory("VMCS accessor"), Benchmark(OperationsPerInvoke = Count, Description = "new Vmcs<ArrayVmcs>(x).GuestEsSelector")]
    public int SelectorTyped()
    {
        var sum = 0;
        foreach (var vmcs in _vmcss) sum += new Vmcs<ArrayVmcs>(vmcs).GuestEsSelector;
        return sum;
    }

    /// <summary>The cheapest possible accessor, so that the benchmark measures the generated wrapper and not storage:
    /// a slot per field index (bits 9:1 of the encoding), folded into 64 slots.</summary>
    public readonly struct ArrayVmcs : IVmcsAccessor
    {
        public const int Slots = 64;
        private readonly ulong[] _slots;

        public ArrayVmcs(ulong[] slots) => _slots = slots;

        public VmxResult Read(VmcsField field, out ulong value)
        {
            value = _slots[((uint)field >> 1) & (Slots - 1)];
            return VmxResult.Success;
        }

        public VmxResult Write(VmcsField field, ulong value)
        {
            _slots[((uint)field >> 1) & (Slots - 1)] = value;
            return VmxResult.Success;
        }
    }
}

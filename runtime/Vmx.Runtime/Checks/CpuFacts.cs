using System;
using System.Collections.Generic;

namespace Vmx;

/// <summary>The CPU facts VM-entry checks read: CPUID values named as the last part of their spec/cpuid id
/// (<c>maxphyaddr</c>, <c>linear_address_width</c>, <c>la57</c>, …) and the processor's state at VM entry
/// (<c>current_lma</c>, <c>in_smm</c>). A fact not given makes the checks that read it not decidable.</summary>
public sealed class CpuFacts
{
    private readonly Dictionary<string, ulong> _values;

    public CpuFacts(IReadOnlyDictionary<string, ulong> values)
    {
        _values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var pair in values) _values[pair.Key] = pair.Value;
    }

    /// <summary>No fact known.</summary>
    public static CpuFacts Unknown { get; } = new(new Dictionary<string, ulong>());

    /// <summary>A 64-bit VMM outside SMM on a processor with MAXPHYADDR 39, 48-bit linear addresses and none of the newer
    /// features (LA57, LAM, FRED, CET, PKS): the facts the spec's check vectors assume (spec/checks/README.md).</summary>
    public static CpuFacts Default { get; } = new(new Dictionary<string, ulong>
    {
        ["maxphyaddr"] = 39, ["linear_address_width"] = 48, ["current_lma"] = 1, ["in_smm"] = 0, ["lm"] = 1, ["la57"] = 0,
        ["lam"] = 0, ["fred"] = 0, ["cet_ss"] = 0, ["cet_ibt"] = 0, ["pks"] = 0,
    });

    public IReadOnlyDictionary<string, ulong> Values => _values;

    public bool TryGet(string name, out ulong value) => _values.TryGetValue(name, out value);

    /// <summary>These facts with <paramref name="name"/> set to <paramref name="value"/>.</summary>
    public CpuFacts With(string name, ulong value)
    {
        var values = new Dictionary<string, ulong>(_values, StringComparer.Ordinal) { [name] = value };
        return new CpuFacts(values);
    }
}

/// <summary>Guest-physical memory a VM-entry check may read (VMCS link pointer, PDPTEs, virtual-APIC page).</summary>
public interface IGuestMemory
{
    /// <summary>Reads <paramref name="size"/> (1, 2, 4 or 8) bytes little-endian; false when the address is not known.</summary>
    bool TryRead(ulong address, int size, out ulong value);
}

/// <summary>The arithmetic of the check language where C# and C would differ: shifts by 64 or more give 0, division by 0
/// gives 0.</summary>
public static class CheckMath
{
    public static ulong Shl(ulong value, ulong count) => count >= 64 ? 0 : value << (int)count;
    public static ulong Shr(ulong value, ulong count) => count >= 64 ? 0 : value >> (int)count;
    public static ulong Div(ulong a, ulong b) => b == 0 ? 0 : a / b;
    public static ulong Mod(ulong a, ulong b) => b == 0 ? 0 : a % b;

    /// <summary>Bits 63:width-1 all equal (SDM "Linear-address width"); a width outside 32..64 is no linear-address width.</summary>
    public static bool Canonical(ulong address, ulong width)
    {
        if (width < 32 || width >= 64) return width == 64;
        var top = (long)address >> ((int)width - 1);
        return top == 0 || top == -1;
    }

    public static bool BelowMaxPhyAddr(ulong address, ulong maxphyaddr) => maxphyaddr >= 64 || address >> (int)maxphyaddr == 0;
}

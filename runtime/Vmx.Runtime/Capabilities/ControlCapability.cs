using System.Numerics;

namespace Vmx;

/// <summary>The allowed settings of one control field as this processor reports them.</summary>
/// <param name="Field">The spec's facts about the control field.</param>
/// <param name="Msr">The capability MSR the settings were read from (the TRUE_ one when IA32_VMX_BASIC[55] is 1),
/// or null when the processor has no such MSR.</param>
/// <param name="Allowed0">Bit X set: control X must be 1.</param>
/// <param name="Allowed1">Bit X clear: control X must be 0.</param>
/// <param name="Allowed1Shift">Where control bit 0's allowed-1 flag sits in <paramref name="Msr"/> (32 for the
/// split 32-bit format, 0 for the 64-bit formats), so errors can name the exact MSR bit.</param>
/// <param name="Unavailable">Why every control of the field must be 0, or null when the field is usable.</param>
public sealed record ControlCapability(
    ControlFieldInfo Field,
    MsrInfo? Msr,
    ulong Allowed0,
    ulong Allowed1,
    int Allowed1Shift,
    string? Unavailable)
{
    public ControlFieldKind Kind => Field.Kind;

    public bool IsAvailable => Unavailable is null;

    /// <summary>Bits that may be set but need not be.</summary>
    public ulong Flexible => Allowed1 & ~Allowed0;

    public bool IsAllowed1(int bit) => ((Allowed1 >> bit) & 1) != 0;

    public ControlSetting Setting(int bit)
    {
        if (((Allowed0 >> bit) & 1) != 0) return ControlSetting.MustBe1;
        return IsAllowed1(bit) ? ControlSetting.Flexible : ControlSetting.MustBe0;
    }

    /// <summary>The number of the MSR bit that reports whether control <paramref name="bit"/> may be 1.</summary>
    public int Allowed1MsrBit(int bit) => Allowed1Shift + bit;

    /// <summary>Width of the control field in bits: the highest bit the MSR format can describe.</summary>
    public int Width => Allowed1Shift == 32 ? 32 : 64;

    internal static int BitOf(ulong mask) => BitOperations.TrailingZeroCount(mask);
}

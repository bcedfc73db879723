using System;
using System.Globalization;

namespace Vmx;

/// <summary>What a hypervisor wants of one control field, in KVM's min/opt terms: <see cref="Required"/> bits must be
/// 1 or the setup fails; <see cref="Optional"/> bits are set where the processor allows; default1 bits are set (as
/// SDM A.2 advises for software unaware of their function) unless listed in <see cref="Cleared"/>, which then leaves
/// them 0 wherever the TRUE capability MSR allows it.</summary>
public readonly record struct ControlRequest(ulong Required, ulong Optional = 0, ulong Cleared = 0)
{
    /// <summary>A request written with a generated control enum, e.g. <c>ControlRequest.Of(PinControls.NmiExiting)</c>.</summary>
    public static ControlRequest Of<TControls>(TControls required, TControls optional = default, TControls cleared = default)
        where TControls : struct, Enum
        => new(Bits(required), Bits(optional), Bits(cleared));

    private static ulong Bits<TControls>(TControls value) where TControls : struct, Enum
        => Convert.ToUInt64(value, CultureInfo.InvariantCulture);
}

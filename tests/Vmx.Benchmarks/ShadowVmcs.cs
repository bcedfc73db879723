using System;

namespace Vmx.Benchmarks;

/// <summary>A VMCS as a hypervisor's shadow copy holds it: one array slot per encoding, so a read is a bounds check and
/// a load. Its fields and values are copied from another VMCS, reading every encoding of the spec (full and high
/// access), so it answers every read exactly as the source did, including the refusal of fields the processor lacks.</summary>
public readonly struct ShadowVmcs : IVmcsAccessor
{
    // Slot = the encoding without its reserved bits: access type, index, type and width, 14 bits after closing the gap
    // of reserved bit 12.
    private const int LowBits = VmcsComponentEncoding.WidthShift - 1;
    private const uint LowMask = (1u << LowBits) - 1;
    private const int Slots = 1 << (LowBits + VmcsComponentEncoding.WidthWidth);

    private readonly ulong[] _values;
    private readonly bool[] _exists;

    private ShadowVmcs(ulong[] values, bool[] exists)
    {
        _values = values;
        _exists = exists;
    }

    public static ShadowVmcs CopyOf<TAccessor>(TAccessor source) where TAccessor : IVmcsAccessor
    {
        var shadow = new ShadowVmcs(new ulong[Slots], new bool[Slots]);
        foreach (var field in VmcsFieldCatalog.All)
        {
            Copy(source, field.Field, shadow);
            if (field.HasHighAccess) Copy(source, (VmcsField)(field.Encoding | VmcsComponentEncoding.AccessTypeMask), shadow);
        }
        return shadow;
    }

    private static void Copy<TAccessor>(TAccessor source, VmcsField field, ShadowVmcs shadow) where TAccessor : IVmcsAccessor
    {
        if (!source.Read(field, out var value).IsSuccess) return;
        var slot = Slot((uint)field);
        shadow._values[slot] = value;
        shadow._exists[slot] = true;
    }

    private static int Slot(uint encoding) => (int)((encoding & LowMask) | ((encoding & VmcsComponentEncoding.WidthMask) >> 1));

    public VmxResult Read(VmcsField field, out ulong value)
    {
        var encoding = (uint)field;
        var slot = Slot(encoding);
        if ((encoding & VmcsComponentEncoding.ReservedMask) != 0 || !_exists[slot])
        {
            value = 0;
            return VmxResult.FailValid((uint)VmInstructionError.VmreadVmwriteUnsupportedVmcsComponent);
        }
        value = _values[slot];
        return VmxResult.Success;
    }

    /// <summary>A shadow copy is read-only here: the benchmarks validate it, they never change it.</summary>
    public VmxResult Write(VmcsField field, ulong value) => throw new NotSupportedException("the shadow copy is read-only");
}

namespace Vmx;

/// <summary>A VMCS encoding resolved to its field: the full access, or the high 32 bits of a 64-bit field (SDM
/// "Field Encoding in VMCS": access type, bit 0, is 1 only for the high half of a 64-bit field).</summary>
public readonly record struct VmcsFieldAccess(VmcsFieldInfo Info, bool High);

public static class VmcsEncoding
{
    private const uint HighAccessBit = 1;

    /// <summary>The field an encoding names, or null when no field of the spec has it.</summary>
    public static VmcsFieldAccess? Resolve(uint encoding)
    {
        if (VmcsFieldCatalog.Find(encoding) is { } full) return new VmcsFieldAccess(full, false);
        if ((encoding & HighAccessBit) != 0 && VmcsFieldCatalog.Find(encoding & ~HighAccessBit) is { HasHighAccess: true } wide)
            return new VmcsFieldAccess(wide, true);
        return null;
    }
}

using System.Collections.Generic;

namespace Vmx;

/// <summary>A control bit by field and position; the existence conditions of VMCS fields are lists of these.</summary>
public readonly record struct ControlBitReference(ControlFieldKind Control, int Bit);

/// <summary>The spec's facts about one VMCS field (generated into <see cref="VmcsFieldCatalog"/>). <see cref="VmcsFieldWidth"/>
/// and <see cref="VmcsFieldType"/> are generated from the spec's enumerations vmcs_field_width and vmcs_field_type;
/// <paramref name="IsReadOnly"/> is the spec's rule (the generator's VmcsField.IsReadOnly), not derived here.</summary>
public sealed record VmcsFieldInfo(
    VmcsField Field,
    string Id,
    string Title,
    VmcsFieldWidth Width,
    VmcsFieldType Type,
    int Index,
    bool IsReadOnly,
    IReadOnlyList<ControlBitReference> ExistsIfAnyAllowed,
    bool SeamOnly = false)
{
    public uint Encoding => (uint)Field;
    public bool HasHighAccess => Width == VmcsFieldWidth.Bits64;
    /// <summary>True when no capability decides: the field exists on every VMX processor outside SEAM.</summary>
    public bool AlwaysExists => ExistsIfAnyAllowed.Count == 0 && !SeamOnly;

    /// <summary>Width on a 64-bit processor, natural width being 64.</summary>
    public int BitWidth => Width switch { VmcsFieldWidth.Bits16 => 16, VmcsFieldWidth.Bits32 => 32, _ => 64 };
}

/// <summary>One control field: where it lives, which MSRs report its allowed settings, the control that must be
/// 1 for it to be used at all (<see cref="EnabledBy"/>, null for the always-used fields), and its bits.</summary>
public sealed record ControlFieldInfo(
    ControlFieldKind Kind,
    string Id,
    string Title,
    VmcsField Field,
    string CapabilityMsr,
    string? TrueCapabilityMsr,
    ControlBitReference? EnabledBy,
    ulong Default1,
    IReadOnlyList<ControlBitInfo> Bits);

public sealed record ControlBitInfo(int Bit, string Id, string Title, bool Default1);

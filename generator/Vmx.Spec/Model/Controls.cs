namespace Vmx.Spec.Model;

/// <summary>A VMX control field (pin-based, primary processor-based, ...), its capability MSRs and every bit.
/// <see cref="EnabledBy"/>: the control that must be 1 for this field to be used at all (and whose allowed
/// 1-setting makes its capability MSR exist), e.g. proc2 is enabled by proc.activate_secondary_controls.</summary>
public sealed record ControlField(
    string Id,
    string Title,
    string Section,
    string Field,
    string CapabilityMsr,
    string? TrueCapabilityMsr,
    ControlReference? EnabledBy,
    EquatableArray<ControlBit> Bits,
    string SdmRevision);

public sealed record ControlBit(string Id, string Title, int Bit, bool Default1, string Description);

/// <summary>A bit an overlay adds to a control field of the base spec (<c>control-bits:</c>), e.g. a newer CPU's
/// secondary or tertiary processor-based control. The linker appends it to that control field's bits.</summary>
public sealed record ControlBitAddition(string Control, ControlBit Bit);

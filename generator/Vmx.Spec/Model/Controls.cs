namespace Vmx.Spec.Model;

/// <summary>A VMX control field (pin-based, primary processor-based, ...), its capability MSRs and every bit.</summary>
public sealed record ControlField(
    string Id,
    string Title,
    string Section,
    string Field,
    string CapabilityMsr,
    string? TrueCapabilityMsr,
    EquatableArray<ControlBit> Bits,
    string SdmRevision,
    SourceLocation Location);

public sealed record ControlBit(string Id, string Title, int Bit, bool Default1, string Description, SourceLocation Location);

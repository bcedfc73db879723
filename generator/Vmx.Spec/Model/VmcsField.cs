namespace Vmx.Spec.Model;

public enum FieldWidth { Bits16 = 0, Bits64 = 1, Bits32 = 2, Natural = 3 }

public enum FieldType { Control = 0, ExitInformation = 1, GuestState = 2, HostState = 3 }

/// <summary>A VMCS field as SDM Appendix B lists it. <see cref="Encoding"/> is the full encoding; the high
/// encoding of a 64-bit field is derived (<see cref="HighEncoding"/>).</summary>
public sealed record VmcsField(
    string Id,
    string Title,
    uint Encoding,
    int Index,
    FieldWidth Width,
    FieldType Type,
    ExistenceCondition Exists,
    string Description,
    string Group,
    string Section,
    string SdmRevision)
{
    /// <summary>The layout (spec/layouts) the field's value has, e.g. guest_cr0 → cr0; null when the spec gives none.</summary>
    public string? Layout { get; init; }

    public bool IsReadOnly => Type == FieldType.ExitInformation;
    public bool HasHighAccess => Width == FieldWidth.Bits64;
    public uint HighEncoding => Encoding | 1u;

    /// <summary>Width in bits on a 64-bit processor (natural width is 64).</summary>
    public int BitWidth => Width switch { FieldWidth.Bits16 => 16, FieldWidth.Bits32 => 32, _ => 64 };
}

/// <summary>"Exists only on processors that support the 1-setting of any of these controls"; empty means always.
/// <see cref="SeamOnly"/>: the field exists only in SEAM VMX root operation (the Intel TDX module), so an ordinary
/// VMM's VMREAD/VMWRITE of it fails with error 12 whatever the controls.</summary>
public sealed record ExistenceCondition(EquatableArray<ControlReference> AnyOf, bool SeamOnly = false)
{
    public const string SeamKeyword = "seam";

    public static ExistenceCondition Always { get; } = new(EquatableArray<ControlReference>.Empty);
    public static ExistenceCondition Seam { get; } = new(EquatableArray<ControlReference>.Empty, SeamOnly: true);
    public bool IsAlways => AnyOf.Count == 0 && !SeamOnly;
    public override string ToString() => SeamOnly ? SeamKeyword : IsAlways ? "always" : string.Join(" | ", AnyOf);
}

/// <summary>A control bit named as <c>prefix.bit</c>, e.g. <c>proc2.enable_ept</c>.</summary>
public sealed record ControlReference(string ControlField, string Bit)
{
    public override string ToString() => ControlField + "." + Bit;
}

/// <summary>The SDM's words for widths and types, used by every output.</summary>
public static class FieldText
{
    public static string Describe(this FieldWidth width) => width switch
    {
        FieldWidth.Bits16 => "16-bit", FieldWidth.Bits32 => "32-bit", FieldWidth.Bits64 => "64-bit", _ => "natural-width",
    };

    public static string Describe(this FieldType type) => type switch
    {
        FieldType.Control => "control", FieldType.ExitInformation => "exit-information",
        FieldType.GuestState => "guest-state", _ => "host-state",
    };
}

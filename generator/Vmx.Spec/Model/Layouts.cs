namespace Vmx.Spec.Model;

/// <summary>A register or structured value described bit by bit.</summary>
public sealed record Layout(string Id, string Title, string Section, int Width, EquatableArray<LayoutField> Fields,
    string Description, string SdmRevision);

/// <summary>One field of a layout: bits Msb..Lsb inclusive; a single bit has Msb == Lsb.</summary>
public sealed record LayoutField(string Id, string Title, int Lsb, int Msb, string? Enum, string Description)
{
    public int Width => Msb - Lsb + 1;
    public ulong Mask => (Width >= 64 ? ulong.MaxValue : ((1UL << Width) - 1)) << Lsb;
    public string Bits => Msb == Lsb ? Lsb.ToString() : $"{Msb}:{Lsb}";
}

public sealed record EnumDefinition(string Id, string Title, string Section, EquatableArray<EnumValue> Values,
    string Description, string SdmRevision);

public sealed record EnumValue(string Id, ulong Value, string Title, string Description);

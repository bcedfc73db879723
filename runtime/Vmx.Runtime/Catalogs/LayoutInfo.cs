using System.Collections.Generic;
using System.Globalization;

namespace Vmx;

/// <summary>One field of a layout: bits <see cref="Msb"/>..<see cref="Lsb"/>, and the enumeration of its values if any.
/// The generated <see cref="LayoutCatalog"/> holds one per field of the spec.</summary>
public sealed record LayoutFieldInfo(string Id, string Title, int Lsb, int Width, EnumInfo? Enum)
{
    public int Msb => Lsb + Width - 1;
    public ulong Mask => (Width >= 64 ? ulong.MaxValue : ((1UL << Width) - 1)) << Lsb;
    public ulong Extract(ulong value) => (value & Mask) >> Lsb;

    public DecodedField Decode(ulong value)
    {
        var v = Extract(value);
        return new DecodedField(this, v, Enum?.Find(v));
    }
}

/// <summary>A field's value taken out of a register, with its enumeration value if the field has one.</summary>
public readonly record struct DecodedField(LayoutFieldInfo Field, ulong Value, EnumValueInfo? EnumValue)
{
    public string Id => Field.Id;
    public string Title => Field.Title;

    /// <summary><c>id = value</c>: decimal for fields of up to 8 bits, hex above; the enumeration value's id in parentheses.</summary>
    public override string ToString()
    {
        var number = Field.Width <= 8 ? Value.ToString(CultureInfo.InvariantCulture) : "0x" + Value.ToString("X", CultureInfo.InvariantCulture);
        return EnumValue is null ? Field.Id + " = " + number : Field.Id + " = " + number + " (" + EnumValue.Id + ")";
    }
}

/// <summary>A register or structured value described bit by bit; bits no field names are reserved.</summary>
public sealed record LayoutInfo(string Id, string Title, int Width, IReadOnlyList<LayoutFieldInfo> Fields)
{
    public ulong DefinedMask
    {
        get
        {
            var mask = 0UL;
            foreach (var f in Fields) mask |= f.Mask;
            return mask;
        }
    }

    public ulong ReservedMask => ~DefinedMask & (Width >= 64 ? ulong.MaxValue : (1UL << Width) - 1);

    /// <summary>The field with this id, or null.</summary>
    public LayoutFieldInfo? FindField(string id)
    {
        foreach (var f in Fields)
            if (f.Id == id) return f;
        return null;
    }

    /// <summary>Every field of <paramref name="value"/>, in bit order.</summary>
    public DecodedField[] Decode(ulong value)
    {
        var result = new DecodedField[Fields.Count];
        for (var i = 0; i < result.Length; i++) result[i] = Fields[i].Decode(value);
        return result;
    }

    /// <summary><c>field = value, …</c> for every field.</summary>
    public string Format(ulong value) => string.Join(", ", Decode(value));
}

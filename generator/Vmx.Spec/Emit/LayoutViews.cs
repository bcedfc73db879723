using System;
using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Model;

namespace Vmx.Spec.Emit;

// Layouts and enumerations as the templates see them (reached through ArchView).

public sealed class LayoutView : EntryView
{
    public LayoutView(Layout l, string typeName, Dictionary<string, EnumView> enums, SpecModel model)
        : base(l.Id, l.Title, l.Description, l)
    {
        Section = l.Section;
        Width = l.Width;
        TypeName = typeName;
        Stem = Names.CStem(l.Id);
        Macro = Names.Upper(Stem);
        Is64 = l.Width > 32;
        CsType = Is64 ? "ulong" : "uint";
        NativeType = Is64 ? "uint64_t" : "uint32_t";
        LiteralSuffix = Is64 ? "ull" : "u";
        Anchor = Names.Anchor("layout", l.Id);
        var digits = Is64 ? 16 : 8;
        Fields = l.Fields.OrderBy(f => f.Lsb).Select(f => new LayoutFieldView(f, this, digits, enums)).ToList();

        Rows = new List<LayoutRowView>();
        var next = 0;
        foreach (var f in Fields)
        {
            if (f.Lsb > next) Rows.Add(LayoutRowView.Reserved(next, f.Lsb - 1));
            Rows.Add(new LayoutRowView(f.Bits, f.Id, f.Title, f.Description, f.EnumView));
            next = Math.Max(next, f.Msb + 1);
        }
        if (next < l.Width) Rows.Add(LayoutRowView.Reserved(next, l.Width - 1));

        UsedByMsrs = model.Msrs.Where(m => m.Layout == l.Id).Select(m => m.Name).ToList();
        UsedByExits = model.ExitReasons.OrderBy(x => x.Number)
            .SelectMany(x => (x.Qualification == l.Id ? new[] { $"{x.Number} `{x.Id}`" } : Array.Empty<string>())
                .Concat(x.QualificationByVector.Where(v => v.Layout == l.Id).OrderBy(v => v.Vector)
                    .Select(v => $"{x.Number} `{x.Id}` with vector {v.Vector}")))
            .ToList();
        var reserved = ~Fields.Aggregate(0UL, (m, f) => m | f.MaskValue) & (l.Width >= 64 ? ulong.MaxValue : (1UL << l.Width) - 1);
        ReservedMask = Names.Hex(reserved, digits);
        DefinedMask = Names.Hex(Fields.Aggregate(0UL, (m, f) => m | f.MaskValue), digits);
    }

    public string Section { get; }
    public int Width { get; }
    /// <summary>The C# struct (and LayoutCatalog property) name.</summary>
    public string TypeName { get; }
    /// <summary>C names: <c>vmx_{stem}_get_{field}</c>, <c>VMX_{MACRO}_{FIELD}_SHIFT</c>.</summary>
    public string Stem { get; }
    public string Macro { get; }
    public bool Is64 { get; }
    public string CsType { get; }
    public string NativeType { get; }
    public string LiteralSuffix { get; }
    public string Anchor { get; }
    public List<LayoutFieldView> Fields { get; }
    public List<LayoutRowView> Rows { get; }
    public List<string> UsedByMsrs { get; }
    public List<string> UsedByExits { get; }
    public string ReservedMask { get; }
    public string DefinedMask { get; }
}

public sealed class LayoutFieldView : EntryView
{
    public LayoutFieldView(LayoutField f, LayoutView layout, int digits, Dictionary<string, EnumView> enums)
        : base(f.Id, f.Title, f.Description, f)
    {
        Pascal = Names.PascalMember(f.Id);
        Upper = Names.Upper(f.Id);
        Lsb = f.Lsb;
        Msb = f.Msb;
        Width = f.Width;
        Bits = f.Bits;
        MaskValue = f.Mask;
        Mask = Names.Hex(f.Mask, digits);
        var max = f.Width >= 64 ? ulong.MaxValue : (1UL << f.Width) - 1;
        Max = Names.Hex(max, 1);
        IsFlag = f.Width == 1;
        RawType = Names.CsUnsigned(f.Width);
        NativeType = Names.CUnsigned(f.Width);
        EnumView = f.Enum is not null && enums.TryGetValue(f.Enum, out var e) ? e : null;
        EnumType = EnumView?.TypeName;
        Type = IsFlag && EnumView is null ? "bool" : EnumType ?? RawType;
        // A value of the property's type can exceed the field only when the type is wider than the field.
        NeedsCheck = !IsFlag && (EnumView is not null || TypeBits(RawType) > f.Width);
        IsWholeRegister = f.Width >= (layout.Is64 ? 64 : 32);
        Macro = $"VMX_{layout.Macro}_{Upper}";
        Getter = $"vmx_{layout.Stem}_get_{f.Id}";
        Setter = $"vmx_{layout.Stem}_set_{f.Id}";
    }

    private static int TypeBits(string type) => type switch { "byte" => 8, "ushort" => 16, "uint" => 32, _ => 64 };

    public string Pascal { get; }
    public string Upper { get; }
    public int Lsb { get; }
    public int Msb { get; }
    public int Width { get; }
    public string Bits { get; }
    internal ulong MaskValue { get; }
    /// <summary>The mask in place, as hex digits of the layout's width (no suffix).</summary>
    public string Mask { get; }
    /// <summary>The largest value the field holds, in hex.</summary>
    public string Max { get; }
    public bool IsFlag { get; }
    /// <summary>The narrowest unsigned C# type holding the field.</summary>
    public string RawType { get; }
    /// <summary>The C# property type: bool for a single bit, the enumeration if any, else <see cref="RawType"/>.</summary>
    public string Type { get; }
    public string NativeType { get; }
    public EnumView? EnumView { get; }
    public string? EnumType { get; }
    public bool NeedsCheck { get; }
    public bool IsWholeRegister { get; }
    /// <summary>The C macro stem: <c>VMX_CR0_PE</c> (+ _SHIFT, _MASK, _WIDTH).</summary>
    public string Macro { get; }
    public string Getter { get; }
    public string Setter { get; }
}

/// <summary>One row of a layout's bit table in the docs: a field or a reserved gap.</summary>
public sealed class LayoutRowView
{
    public LayoutRowView(string bits, string? id, string title, string description, EnumView? enumView)
    {
        Bits = bits;
        Id = id;
        Title = title;
        Description = description;
        EnumView = enumView;
    }

    public static LayoutRowView Reserved(int lsb, int msb) =>
        new(msb == lsb ? lsb.ToString() : $"{msb}:{lsb}", null, "reserved", "", null);

    public string Bits { get; }
    public string? Id { get; }
    public string Title { get; }
    public string Description { get; }
    public EnumView? EnumView { get; }
    public bool IsReserved => Id is null;
}

public sealed class EnumView : EntryView
{
    public EnumView(EnumDefinition e, string typeName, int widestField, SpecModel model)
        : base(e.Id, e.Title, e.Description, e)
    {
        Section = e.Section;
        TypeName = typeName;
        Stem = Names.CStem(e.Id);
        Macro = Names.Upper(Stem);
        Anchor = Names.Anchor("enum", e.Id);
        var maxValue = e.Values.Select(v => v.Value).DefaultIfEmpty(0UL).Max();
        var valueBits = 64;
        while (valueBits > 1 && (maxValue >> (valueBits - 1)) == 0) valueBits--;
        CsType = Names.CsUnsigned(Math.Max(valueBits, widestField));
        FitsInt = maxValue <= int.MaxValue;
        Values = e.Values.OrderBy(v => v.Value).Select(v => new EnumValueView(v, this)).ToList();
        UsedBy = model.Layouts.SelectMany(l => l.Fields.Where(f => f.Enum == e.Id)
            .Select(f => $"[`{l.Id}.{f.Id}`](layouts.md#{Names.Anchor("layout", l.Id)})")).ToList();
    }

    public string Section { get; }
    public string TypeName { get; }
    public string Stem { get; }
    public string Macro { get; }
    public string Anchor { get; }
    /// <summary>The C# underlying type: holds every value and every field that uses the enumeration.</summary>
    public string CsType { get; }
    /// <summary>Every value fits a C enumeration constant (an int); else the C header uses macros.</summary>
    public bool FitsInt { get; }
    public List<EnumValueView> Values { get; }
    public List<string> UsedBy { get; }
}

public sealed class EnumValueView : EntryView
{
    public EnumValueView(EnumValue v, EnumView owner)
        : base(v.Id, v.Title, v.Description, v)
    {
        Pascal = Names.PascalMember(v.Id);
        Macro = $"VMX_{owner.Macro}_{Names.Upper(v.Id)}";
        Value = v.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Hex = Names.Hex(v.Value, 1);
    }

    public string Pascal { get; }
    public string Macro { get; }
    public string Value { get; }
    public string Hex { get; }
}

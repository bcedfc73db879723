using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Lint;
using Vmx.Spec.Model;

namespace Vmx.Spec.Emit;

/// <summary>The model as the templates see it: every name and literal already computed, so templates only
/// arrange text. Scriban exposes members in snake_case (Upper → c_name).</summary>
public sealed class SpecView
{
    public SpecView(SpecModel model)
    {
        var controlIndex = model.ControlFields.Select((c, i) => (c.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var bitPositions = model.ControlFields.SelectMany(c => c.Bits.Select(b => (Key: c.Id + "." + b.Id, b.Bit)))
            .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Bit);
        var controlsByField = model.ControlFields.GroupBy(c => c.Field).ToDictionary(g => g.Key, g => g.First());
        Fields = model.VmcsFields.Select(f => new FieldView(f, controlIndex, bitPositions, controlsByField)).ToList();
        Groups = Fields.GroupBy(f => f.Group).Select(g => new GroupView(g.Key, g.First().Section, g.ToList())).ToList();
        Controls = model.ControlFields.Select((c, i) => new ControlView(c, i, model)).ToList();
        Revisions = model.VmcsFields.Select(f => f.SdmRevision).Concat(model.ControlFields.Select(c => c.SdmRevision))
            .Where(r => r.Length > 0).Distinct().OrderBy(r => r, System.StringComparer.Ordinal).ToList();
        MaxExists = System.Math.Max(1, model.VmcsFields.Select(f => f.Exists.AnyOf.Count).DefaultIfEmpty(0).Max());
        Arch = new ArchView(model);
    }

    public List<FieldView> Fields { get; }
    public List<GroupView> Groups { get; }
    public List<ControlView> Controls { get; }
    public List<string> Revisions { get; }
    public string Revision => string.Join(", ", Revisions);
    public int MaxExists { get; }
    /// <summary>Layouts, enumerations, MSRs, exit reasons and VM-instruction errors (LayoutViews.cs).</summary>
    public ArchView Arch { get; }
}

public sealed class GroupView
{
    public GroupView(string name, string section, List<FieldView> fields) { Name = name; Section = section; Fields = fields; }
    public string Name { get; }
    public string Section { get; }
    public List<FieldView> Fields { get; }
}

public sealed class FieldView : EntryView
{
    public FieldView(VmcsField f, Dictionary<string, int> controlIndex, Dictionary<string, int> bitPositions,
        Dictionary<string, ControlField> controlsByField)
        : base(f.Id, f.Title, f.Description)
    {
        Pascal = Names.Pascal(f.Id);
        Upper = Names.Upper(f.Id);
        Encoding = Names.Hex(f.Encoding, 8);
        ShortEncoding = Names.Hex(f.Encoding, 4);
        HighEncoding = Names.Hex(f.HighEncoding, 8);
        HasHigh = f.HasHighAccess;
        Index = f.Index;
        WidthName = FieldText.Describe(f.Width);
        TypeName = FieldText.Describe(f.Type);
        WidthEnum = f.Width.ToString();
        TypeEnum = f.Type.ToString();
        WidthBits = (int)f.Width;
        TypeBits = (int)f.Type;
        ReadOnly = f.IsReadOnly;
        CsType = f.Width switch { FieldWidth.Bits16 => "ushort", FieldWidth.Bits32 => "uint", _ => "ulong" };
        NativeType = f.Width switch { FieldWidth.Bits16 => "uint16_t", FieldWidth.Bits32 => "uint32_t", _ => "uint64_t" };
        Exists = f.Exists.AnyOf.Select(r => new ExistsView(r, controlIndex, bitPositions)).ToList();
        SeamOnly = f.Exists.SeamOnly;
        ExistsText = f.Exists.SeamOnly ? "only in SEAM VMX root operation"
            : f.Exists.IsAlways ? "always" : string.Join(" or ", f.Exists.AnyOf.Select(r => r.ToString()));
        Group = f.Group;
        Section = f.Section;
        ControlsType = controlsByField.TryGetValue(f.Id, out var control) ? Names.Pascal(control.Id) + "Controls" : null;
        Binary = System.Convert.ToString(f.Encoding, 2).PadLeft(16, '0');
    }

    public string Pascal { get; }
    public string Upper { get; }
    public string Encoding { get; }
    public string ShortEncoding { get; }
    public string HighEncoding { get; }
    public bool HasHigh { get; }
    public int Index { get; }
    public string WidthName { get; }
    public string TypeName { get; }
    public string WidthEnum { get; }
    public string TypeEnum { get; }
    public int WidthBits { get; }
    public int TypeBits { get; }
    public bool ReadOnly { get; }
    public string CsType { get; }
    public string NativeType { get; }
    public List<ExistsView> Exists { get; }
    public string ExistsText { get; }
    public bool SeamOnly { get; }
    public string Group { get; }
    public string Section { get; }
    /// <summary>The typed controls struct for a field that holds control bits, else null.</summary>
    public string? ControlsType { get; }
    public string Binary { get; }
}

public sealed class ExistsView
{
    public ExistsView(ControlReference reference, Dictionary<string, int> controlIndex, Dictionary<string, int> bitPositions)
    {
        Control = reference.ControlField;
        ControlPascal = Names.Pascal(reference.ControlField);
        ControlUpper = Names.Upper(reference.ControlField);
        ControlIndex = controlIndex.TryGetValue(reference.ControlField, out var i) ? i : -1;
        Bit = bitPositions.TryGetValue(reference.ToString(), out var b) ? b : -1;
        BitId = reference.Bit;
        Text = reference.ToString();
    }

    public string Control { get; }
    public string ControlPascal { get; }
    public string ControlUpper { get; }
    public int ControlIndex { get; }
    public int Bit { get; }
    public string BitId { get; }
    public string Text { get; }
}

public sealed class ControlView
{
    public ControlView(ControlField c, int index, SpecModel model)
    {
        Id = c.Id;
        Index = index;
        Pascal = Names.Pascal(c.Id);
        Upper = Names.Upper(c.Id);
        Title = c.Title;
        Section = c.Section;
        Field = c.Field;
        FieldUpper = Names.Upper(c.Field);
        CapabilityMsr = c.CapabilityMsr;
        TrueCapabilityMsr = c.TrueCapabilityMsr;
        CapabilityMsrMacro = "VMX_MSR_" + Names.Upper(c.CapabilityMsr);
        if (c.EnabledBy is { } gate)
        {
            var gateField = model.ControlFields.Select((f, i) => (f, i)).First(p => p.f.Id == gate.ControlField);
            EnabledBy = gate.ToString();
            GateIndex = gateField.i;
            GatePascal = Names.Pascal(gate.ControlField);
            GateUpper = Names.Upper(gate.ControlField);
            GateBit = gateField.f.Bits.First(b => b.Id == gate.Bit).Bit;
            GateBitUpper = Names.Upper(gate.Bit);
        }
        TrueCapabilityMsrMacro = c.TrueCapabilityMsr is null ? "0" : "VMX_MSR_" + Names.Upper(c.TrueCapabilityMsr);
        var width = model.VmcsFields.Where(f => f.Id == c.Field).Select(f => f.BitWidth).DefaultIfEmpty(32).First();
        Is64 = width == 64;
        CsType = Is64 ? "ulong" : "uint";
        LiteralSuffix = Is64 ? "ull" : "u";
        Bits = c.Bits.OrderBy(b => b.Bit).Select(b => new BitView(b, Is64)).ToList();
        var default1 = c.Bits.Where(b => b.Default1).Aggregate(0UL, (m, b) => m | (1UL << b.Bit));
        Default1 = Names.Hex(default1, Is64 ? 16 : 8);
    }

    public string Id { get; }
    public int Index { get; }
    public string Pascal { get; }
    public string Upper { get; }
    public string Title { get; }
    public string Section { get; }
    public string Field { get; }
    public string FieldUpper { get; }
    public string CapabilityMsr { get; }
    public string? TrueCapabilityMsr { get; }
    /// <summary>The control bit that must be 1 for this field to be used (<c>proc.activate_secondary_controls</c>), or null.</summary>
    public string? EnabledBy { get; }
    public int GateIndex { get; } = -1;
    public string? GatePascal { get; }
    public string? GateUpper { get; }
    public int GateBit { get; } = -1;
    public string? GateBitUpper { get; }
    /// <summary>The C macros of the capability MSRs' addresses (vmx_msrs.h); "0" where there is no TRUE_ MSR.</summary>
    public string CapabilityMsrMacro { get; }
    public string TrueCapabilityMsrMacro { get; }
    public bool Is64 { get; }
    public string CsType { get; }
    public string LiteralSuffix { get; }
    public List<BitView> Bits { get; }
    public string Default1 { get; }
    public string TitleLiteral => Names.Literal(Title);
}

public sealed class BitView : EntryView
{
    public BitView(ControlBit b, bool is64)
        : base(b.Id, b.Title, b.Description)
    {
        Pascal = Names.Pascal(b.Id);
        Upper = Names.Upper(b.Id);
        Bit = b.Bit;
        Default1 = b.Default1;
        Mask = Names.Hex(1UL << b.Bit, is64 ? 16 : 8);
    }

    public string Pascal { get; }
    public string Upper { get; }
    public int Bit { get; }
    public bool Default1 { get; }
    public string Mask { get; }
}

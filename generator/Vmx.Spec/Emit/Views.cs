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
        Arch = new ArchView(model, controlIndex, bitPositions);
        Cpuid = new CpuidAreaView(model);
        _checks = new System.Lazy<CheckAreaView>(() => new CheckAreaView(model));
        WidthCodes = Codes(EncodingRules.WidthEnumId, "VMCS_WIDTH_", id => id.StartsWith("bits", System.StringComparison.Ordinal) ? id.Substring(4) : id);
        TypeCodes = Codes(EncodingRules.TypeEnumId, "VMCS_TYPE_", id => id);
        var widths = Arch.Enums.FirstOrDefault(e => e.Id == EncodingRules.WidthEnumId);
        var types = Arch.Enums.FirstOrDefault(e => e.Id == EncodingRules.TypeEnumId);
        Fields = model.VmcsFields.Select(f => new FieldView(f, controlIndex, bitPositions, controlsByField, widths, types)).ToList();
        Groups = Fields.GroupBy(f => f.Group).Select(g => new GroupView(g.Key, g.First().Section, g.ToList())).ToList();
        Controls = model.ControlFields.Select((c, i) => new ControlView(c, i, model)).ToList();
        ControlAdditions = Controls
            .Select(c => new ControlAdditionView(c, c.Bits.Where(b => model.ControlBitAdditions.Any(a => a.Control == c.Id && a.Bit.Id == b.Id)).ToList()))
            .Where(a => a.Bits.Count > 0).ToList();
        Revisions = model.VmcsFields.Select(f => f.SdmRevision).Concat(model.ControlFields.Select(c => c.SdmRevision))
            .Where(r => r.Length > 0).Distinct().OrderBy(r => r, System.StringComparer.Ordinal).ToList();
        MaxExists = System.Math.Max(1, model.VmcsFields.Select(f => f.Exists.AnyOf.Count).DefaultIfEmpty(0).Max());
    }

    private List<CodeView> Codes(string enumId, string prefix, System.Func<string, string> shortName) =>
        Arch.Enums.Where(e => e.Id == enumId).SelectMany(e => e.Values)
            .Select(v => new CodeView(prefix + Names.Upper(shortName(v.Id)), v.Macro, v.Value, v.Title)).ToList();

    public List<FieldView> Fields { get; }
    public CpuidAreaView Cpuid { get; }

    // Compiling the checks costs more than any other view: only the areas that show them pay for it.
    private readonly System.Lazy<CheckAreaView> _checks;
    public CheckAreaView Checks => _checks.Value;
    public List<GroupView> Groups { get; }
    public List<ControlView> Controls { get; }
    /// <summary>The bits an overlay adds to control fields (<see cref="SpecModel.ControlBitAdditions"/>), by control.</summary>
    public List<ControlAdditionView> ControlAdditions { get; }
    public List<string> Revisions { get; }
    public string Revision => string.Join(", ", Revisions);
    public int MaxExists { get; }
    /// <summary>The width and type codes of VMCS encodings, from enumerations vmcs_field_width/vmcs_field_type, with
    /// the short C names vmcs_fields.h has always had (VMCS_WIDTH_64, VMCS_TYPE_GUEST_STATE).</summary>
    public List<CodeView> WidthCodes { get; }
    public List<CodeView> TypeCodes { get; }
    /// <summary>Layouts, enumerations, MSRs, exit reasons and VM-instruction errors (ArchView.cs).</summary>
    public ArchView Arch { get; }
}

/// <summary>A short C name for a value of a spec enumeration (<c>VMCS_WIDTH_64</c> for <c>VMX_VMCS_FIELD_WIDTH_BITS64</c>).</summary>
public sealed class CodeView
{
    public CodeView(string alias, string macro, string value, string title) { Alias = alias; Macro = macro; Value = value; Title = title; }
    public string Alias { get; }
    public string Title { get; }
    public string Macro { get; }
    public string Value { get; }
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
        Dictionary<string, ControlField> controlsByField, EnumView? widths, EnumView? types)
        : base(f.Id, f.Title, f.Description, f)
    {
        Pascal = Names.Pascal(f.Id);
        Upper = Names.Upper(f.Id);
        Macro = Names.VmcsMacro(f.Id);
        CsMember = Names.VmcsMember(f.Id);
        Encoding = Names.Hex(f.Encoding, 8);
        ShortEncoding = Names.Hex(f.Encoding, 4);
        HighEncoding = Names.Hex(f.HighEncoding, 8);
        HasHigh = f.HasHighAccess;
        Index = f.Index;
        WidthName = FieldText.Describe(f.Width);
        TypeName = FieldText.Describe(f.Type);
        WidthEnum = EnumMember(widths, (int)f.Width, "VmcsFieldWidth");
        TypeEnum = EnumMember(types, (int)f.Type, "VmcsFieldType");
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

    /// <summary>The generated enumeration member of a width or type code (<c>VmcsFieldWidth.Bits16</c>).</summary>
    private static string EnumMember(EnumView? e, int code, string fallbackType) =>
        e?.Values.FirstOrDefault(v => v.Value == code.ToString(System.Globalization.CultureInfo.InvariantCulture)) is { } v
            ? $"{e.TypeName}.{v.Pascal}"
            : $"(global::Vmx.{fallbackType}){code}";

    public string Pascal { get; }
    public string Upper { get; }
    /// <summary>The C macro of its encoding (<c>VMCS_GUEST_CR0</c>) and its C# name (<c>VmcsField.GuestCr0</c>).</summary>
    public string Macro { get; }
    public string CsMember { get; }
    public string Encoding { get; }
    public string ShortEncoding { get; }
    public string HighEncoding { get; }
    public bool HasHigh { get; }
    public int Index { get; }
    public string WidthName { get; }
    public string TypeName { get; }
    /// <summary>The C# enumeration member of the field's width and type (from the spec's enumerations).</summary>
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
        Entry = c;
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

    /// <summary>The control field this view shows (for the name lint's locations; not visible to templates).</summary>
    internal ControlField Entry { get; }
}

/// <summary>A control field and the bits an overlay adds to it.</summary>
public sealed record ControlAdditionView(ControlView Control, List<BitView> Bits);

public sealed class BitView : EntryView
{
    public BitView(ControlBit b, bool is64)
        : base(b.Id, b.Title, b.Description, b)
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

using System;
using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Emit;
using Vmx.Spec.Loading;
using Vmx.Spec.Model;

namespace Vmx.Spec.Lint;

/// <summary>The entries the emitters look up by id (VMX0021) and the encoding layout against the encoding rules the
/// lint enforces (VMX0022); an entry that exists in a shape the emitters cannot use is VMX0042: a spec edit that would make generated code vanish or drift is an error instead.</summary>
internal static class ContractLint
{
    public static void Check(SpecModel model, DiagnosticBag diagnostics)
    {
        var layouts = model.Layouts.GroupBy(l => l.Id).ToDictionary(g => g.Key, g => g.First());
        var enums = model.Enums.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First());
        CheckExitDecoder(layouts, diagnostics);
        if (model.VmcsFields.Count > 0) CheckEncoding(model.VmcsFields[0], layouts, enums, diagnostics);
    }

    // ExitDecoderView.TryCreate needs these two fields; without them the decoder would silently not be generated.
    private static void CheckExitDecoder(Dictionary<string, Layout> layouts, DiagnosticBag diagnostics)
    {
        if (!layouts.TryGetValue(ExitDecoderView.LayoutId, out var layout)) return;
        var basic = layout.Fields.FirstOrDefault(f => f.Id == ExitDecoderView.BasicFieldId);
        if (basic is null)
            diagnostics.Add(DiagnosticRule.RequiredEntry, diagnostics.Sources[layout],
                $"field '{layout.Id}.{ExitDecoderView.BasicFieldId}'", "the exit decoder");
        else if (basic.Enum is not null || basic.Width < 2 || basic.Width > 16)
            diagnostics.Add(DiagnosticRule.MisshapenRequiredEntry, diagnostics.Sources[basic],
                $"field '{layout.Id}.{basic.Id}'", "2 to 16 bits wide without an enumeration (the basic exit-reason number)", Shape(basic));
        var failure = layout.Fields.FirstOrDefault(f => f.Id == ExitDecoderView.FailureFieldId);
        if (failure is null)
            diagnostics.Add(DiagnosticRule.RequiredEntry, diagnostics.Sources[layout],
                $"field '{layout.Id}.{ExitDecoderView.FailureFieldId}'", "the exit decoder");
        else if (failure.Enum is not null || failure.Width != 1)
            diagnostics.Add(DiagnosticRule.MisshapenRequiredEntry, diagnostics.Sources[failure],
                $"field '{layout.Id}.{failure.Id}'", "a single bit without an enumeration", Shape(failure));
    }

    private static string Shape(LayoutField field) => $"bits {field.Bits}" + (field.Enum is null ? "" : $" with enumeration '{field.Enum}'");

    private static string EnumText(string? id) => id is null ? "no enumeration" : $"enumeration '{id}'";

    // With VMCS fields, the generated width/type enums (C and C#) come from these enumerations.
    private static void CheckEncoding(VmcsField first, Dictionary<string, Layout> layouts, Dictionary<string, EnumDefinition> enums,
        DiagnosticBag diagnostics)
    {
        CheckCodes<FieldWidth>(EncodingRules.WidthEnumId, "width", first, enums, diagnostics);
        CheckCodes<FieldType>(EncodingRules.TypeEnumId, "type", first, enums, diagnostics);

        if (!layouts.TryGetValue(EncodingRules.LayoutId, out var layout))
        {
            diagnostics.Add(DiagnosticRule.RequiredEntry, diagnostics.Sources[first],
                $"layout '{EncodingRules.LayoutId}'", "the VMCS field encodings (SDM \"Field Encoding in VMCS\")");
            return;
        }
        if (layout.Width != EncodingRules.LayoutWidth)
            diagnostics.Add(DiagnosticRule.EncodingLayoutMismatch, diagnostics.Sources[layout],
                $"width of layout '{layout.Id}'", $"{layout.Width} bits", $"{EncodingRules.LayoutWidth} bits");
        foreach (var part in EncodingRules.Parts)
        {
            var field = layout.Fields.FirstOrDefault(f => f.Id == part.Id);
            if (field is null)
                diagnostics.Add(DiagnosticRule.RequiredEntry, diagnostics.Sources[layout], $"field '{layout.Id}.{part.Id}' (bits {part.Bits})",
                    "the VMCS field encodings");
            else if (field.Lsb != part.Lsb || field.Msb != part.Msb)
                diagnostics.Add(DiagnosticRule.EncodingLayoutMismatch, diagnostics.Sources[field],
                    $"bits of field '{layout.Id}.{field.Id}'", field.Bits, part.Bits);
            else if (field.Enum != part.Enum)
                diagnostics.Add(DiagnosticRule.EncodingLayoutMismatch, diagnostics.Sources[field],
                    $"enumeration of field '{layout.Id}.{field.Id}'", EnumText(field.Enum), EnumText(part.Enum));
        }
        foreach (var field in layout.Fields.Where(f => EncodingRules.Parts.All(p => p.Id != f.Id)))
            diagnostics.Add(DiagnosticRule.EncodingLayoutMismatch, diagnostics.Sources[field],
                $"field '{layout.Id}.{field.Id}'", $"bits {field.Bits}", $"reserved (bit {EncodingRules.ReservedBit} and bits 31:{EncodingRules.ReservedFrom})");
    }

    private static void CheckCodes<TCode>(string enumId, string key, VmcsField first, Dictionary<string, EnumDefinition> enums,
        DiagnosticBag diagnostics) where TCode : struct, Enum
    {
        if (!enums.TryGetValue(enumId, out var definition))
        {
            diagnostics.Add(DiagnosticRule.RequiredEntry, diagnostics.Sources[first],
                $"enumeration '{enumId}'", $"the codes of a VMCS field group's '{key}'");
            return;
        }
        var codes = Enum.GetValues(typeof(TCode)).Cast<TCode>().ToList();
        foreach (var code in codes)
        {
            var number = Convert.ToUInt64(code);
            var expected = EncodingRules.ValueId(code);
            var value = definition.Values.FirstOrDefault(v => v.Value == number);
            if (value is null)
                diagnostics.Add(DiagnosticRule.EncodingLayoutMismatch, diagnostics.Sources[definition],
                    $"value {number} of enumeration '{enumId}'", "nothing", $"'{expected}'");
            else if (value.Id != expected)
                diagnostics.Add(DiagnosticRule.EncodingLayoutMismatch, diagnostics.Sources[value],
                    $"value {number} of enumeration '{enumId}'", $"'{value.Id}'", $"'{expected}'");
        }
        foreach (var value in definition.Values.Where(v => codes.All(c => Convert.ToUInt64(c) != v.Value)))
            diagnostics.Add(DiagnosticRule.EncodingLayoutMismatch, diagnostics.Sources[value],
                $"value {value.Value} of enumeration '{enumId}'", $"'{value.Id}'", $"no {key} code");
    }
}

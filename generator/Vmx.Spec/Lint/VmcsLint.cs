using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Loading;
using Vmx.Spec.Model;

namespace Vmx.Spec.Lint;

/// <summary>VMCS fields against the encoding layout of SDM "Field Encoding in VMCS" (<see cref="EncodingRules"/>),
/// and control fields against their VMCS field.</summary>
internal static class VmcsLint
{
    public static void Check(SpecModel model, DiagnosticBag diagnostics)
    {
        SpecLinker.Unique(model.VmcsFields, f => f.Id, f => diagnostics.Sources[f], diagnostics, DiagnosticRule.DuplicateName,
            (f, first) => new[] { "VMCS field id", f.Id, "the spec", SpecLinker.Where(diagnostics.Sources[first]) });
        SpecLinker.Unique(model.VmcsFields, f => f.Encoding, f => diagnostics.Sources[f], diagnostics, DiagnosticRule.DuplicateEncoding,
            (f, first) => new[] { $"0x{f.Encoding:X4}", f.Id, first.Id, SpecLinker.Where(diagnostics.Sources[first]) });
        foreach (var field in model.VmcsFields) CheckEncoding(field, diagnostics);

        var bits = ControlBitNames(model);
        foreach (var field in model.VmcsFields)
            foreach (var reference in field.Exists.AnyOf)
                if (!bits.Contains(reference.ToString()))
                    diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[field],
                        $"'exists' of VMCS field '{field.Id}'", "control bit", reference.ToString());
        foreach (var msr in model.Msrs)
            foreach (var reference in msr.Exists.AnyOf)
                if (!bits.Contains(reference.ToString()))
                    diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[msr],
                        $"'exists' of MSR '{msr.Name}'", "control bit", reference.ToString());
        var layouts = new HashSet<string>(model.Layouts.Select(l => l.Id));
        foreach (var field in model.VmcsFields.Where(f => f.Layout is not null && !layouts.Contains(f.Layout)))
            diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[field], $"VMCS field '{field.Id}'", "layout", field.Layout!);
        CheckControls(model, diagnostics);
    }

    private static void CheckEncoding(VmcsField f, DiagnosticBag diagnostics)
    {
        var e = f.Encoding;
        var hex = $"0x{e:X4}";
        if (EncodingRules.AccessType.Extract(e) != 0)
            diagnostics.Add(DiagnosticRule.EncodingHighAccess, diagnostics.Sources[f],
                hex, f.Id, EncodingRules.AccessType.Bits, $"0x{e & ~(1u << EncodingRules.AccessType.Lsb):X4}");
        if ((e & (1u << EncodingRules.ReservedBit)) != 0)
            diagnostics.Add(DiagnosticRule.EncodingReservedBit12, diagnostics.Sources[f], hex, f.Id, Text(EncodingRules.ReservedBit));
        if ((e >> EncodingRules.ReservedFrom) != 0)
            diagnostics.Add(DiagnosticRule.EncodingReservedHighBits, diagnostics.Sources[f], hex, f.Id, $"31:{EncodingRules.ReservedFrom}");
        var width = (FieldWidth)EncodingRules.Width.Extract(e);
        if (width != f.Width)
            diagnostics.Add(DiagnosticRule.EncodingWidthMismatch, diagnostics.Sources[f],
                hex, f.Id, FieldText.Describe(width), EncodingRules.Width.Bits, Text((int)width), f.Group, FieldText.Describe(f.Width));
        var type = (FieldType)EncodingRules.Type.Extract(e);
        if (type != f.Type)
            diagnostics.Add(DiagnosticRule.EncodingTypeMismatch, diagnostics.Sources[f],
                hex, f.Id, FieldText.Describe(type), EncodingRules.Type.Bits, Text((int)type), f.Group, FieldText.Describe(f.Type));
        var maxIndex = (1 << (EncodingRules.Index.Msb - EncodingRules.Index.Lsb + 1)) - 1;
        if (f.Index > maxIndex)
            diagnostics.Add(DiagnosticRule.ValueDoesNotFit, diagnostics.Sources[f], $"index {f.Index} of '{f.Id}'", $"bits {EncodingRules.Index.Bits} (at most {maxIndex})");
        else if (EncodingRules.Index.Extract(e) != f.Index)
            diagnostics.Add(DiagnosticRule.EncodingIndexMismatch, diagnostics.Sources[f],
                hex, f.Id, Text(EncodingRules.Index.Extract(e)), EncodingRules.Index.Bits, Text(f.Index));
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Text(uint value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static HashSet<string> ControlBitNames(SpecModel model) =>
        new(model.ControlFields.SelectMany(c => c.Bits.Select(b => c.Id + "." + b.Id)));

    private static void CheckControls(SpecModel model, DiagnosticBag diagnostics)
    {
        var bits = ControlBitNames(model);
        SpecLinker.Unique(model.ControlFields, c => c.Id, c => diagnostics.Sources[c], diagnostics, DiagnosticRule.DuplicateName,
            (c, first) => new[] { "control field id", c.Id, "the spec", SpecLinker.Where(diagnostics.Sources[first]) });
        var fields = model.VmcsFields.GroupBy(f => f.Id).ToDictionary(g => g.Key, g => g.First());
        var msrs = new HashSet<string>(model.Msrs.Select(m => m.Name));
        foreach (var control in model.ControlFields)
        {
            var width = 64;
            if (fields.TryGetValue(control.Field, out var vmcsField))
                width = vmcsField.BitWidth;
            else
                diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[control],
                    $"control field '{control.Id}'", "VMCS field", control.Field);
            if (control.EnabledBy is { } gate && !bits.Contains(gate.ToString()))
                diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[control],
                    $"'enabled-by' of control field '{control.Id}'", "control bit", gate.ToString());
            foreach (var msr in new[] { control.CapabilityMsr, control.TrueCapabilityMsr })
                if (msr is not null && !msrs.Contains(msr))
                    diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[control],
                        $"control field '{control.Id}'", "capability MSR", msr);
            SpecLinker.Unique(control.Bits, b => b.Id, b => diagnostics.Sources[b], diagnostics, DiagnosticRule.DuplicateName,
                (b, first) => new[] { "bit id", b.Id, $"control field '{control.Id}'", SpecLinker.Where(diagnostics.Sources[first]) });
            SpecLinker.Unique(control.Bits, b => b.Bit, b => diagnostics.Sources[b], diagnostics, DiagnosticRule.OverlappingBits,
                (b, first) => new[] { Text(b.Bit), $"control field '{control.Id}'", first.Id, b.Id });
            foreach (var bit in control.Bits.Where(b => b.Bit >= width))
                diagnostics.Add(DiagnosticRule.BitBeyondWidth, diagnostics.Sources[bit],
                    bit.Id, Text(bit.Bit), Text(width), $"VMCS field '{control.Field}'");
        }
    }
}

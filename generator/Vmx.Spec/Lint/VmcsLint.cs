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
            (f, first) => $"VMCS field id '{f.Id}' is already defined at {SpecLinker.Where(diagnostics.Sources[first])}");
        SpecLinker.Unique(model.VmcsFields, f => f.Encoding, f => diagnostics.Sources[f], diagnostics, DiagnosticRule.DuplicateEncoding,
            (f, first) => $"encoding 0x{f.Encoding:X4} of '{f.Id}' is already used by '{first.Id}' at {SpecLinker.Where(diagnostics.Sources[first])}");
        foreach (var field in model.VmcsFields) CheckEncoding(field, diagnostics);

        var bits = ControlBitNames(model);
        foreach (var field in model.VmcsFields)
            foreach (var reference in field.Exists.AnyOf)
                if (!bits.Contains(reference.ToString()))
                    diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[field],
                        $"field '{field.Id}' exists if '{reference}', but no control bit '{reference.Bit}' is defined in control field '{reference.ControlField}'");
        foreach (var msr in model.Msrs)
            foreach (var reference in msr.Exists.AnyOf)
                if (!bits.Contains(reference.ToString()))
                    diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[msr],
                        $"MSR '{msr.Name}' exists if '{reference}', but no control bit '{reference.Bit}' is defined in control field '{reference.ControlField}'");
        CheckControls(model, diagnostics);
    }

    private static void CheckEncoding(VmcsField f, DiagnosticBag diagnostics)
    {
        var e = f.Encoding;
        var hex = $"0x{e:X4}";
        if (EncodingRules.AccessType.Extract(e) != 0)
            diagnostics.Add(DiagnosticRule.EncodingHighAccess, diagnostics.Sources[f],
                $"encoding {hex} of '{f.Id}' has the access bit {EncodingRules.AccessType.Bits} set: list the full encoding 0x{e & ~(1u << EncodingRules.AccessType.Lsb):X4}; the high encoding is derived");
        if ((e & (1u << EncodingRules.ReservedBit)) != 0)
            diagnostics.Add(DiagnosticRule.EncodingReservedBit12, diagnostics.Sources[f], $"encoding {hex} of '{f.Id}' sets reserved bit {EncodingRules.ReservedBit}");
        if ((e >> EncodingRules.ReservedFrom) != 0)
            diagnostics.Add(DiagnosticRule.EncodingReservedHighBits, diagnostics.Sources[f], $"encoding {hex} of '{f.Id}' sets reserved bits 31:{EncodingRules.ReservedFrom}");
        var width = (FieldWidth)EncodingRules.Width.Extract(e);
        if (width != f.Width)
            diagnostics.Add(DiagnosticRule.EncodingWidthMismatch, diagnostics.Sources[f],
                $"encoding {hex} of '{f.Id}' says {FieldText.Describe(width)} (bits {EncodingRules.Width.Bits} = {(int)width}) but its group '{f.Group}' is {FieldText.Describe(f.Width)}");
        var type = (FieldType)EncodingRules.Type.Extract(e);
        if (type != f.Type)
            diagnostics.Add(DiagnosticRule.EncodingTypeMismatch, diagnostics.Sources[f],
                $"encoding {hex} of '{f.Id}' says {FieldText.Describe(type)} (bits {EncodingRules.Type.Bits} = {(int)type}) but its group '{f.Group}' is {FieldText.Describe(f.Type)}");
        var maxIndex = (1 << (EncodingRules.Index.Msb - EncodingRules.Index.Lsb + 1)) - 1;
        if (f.Index > maxIndex)
            diagnostics.Add(DiagnosticRule.ValueDoesNotFit, diagnostics.Sources[f], $"index {f.Index} of '{f.Id}' does not fit bits {EncodingRules.Index.Bits} (at most {maxIndex})");
        else if (EncodingRules.Index.Extract(e) != f.Index)
            diagnostics.Add(DiagnosticRule.EncodingIndexMismatch, diagnostics.Sources[f],
                $"encoding {hex} of '{f.Id}' has index {EncodingRules.Index.Extract(e)} (bits {EncodingRules.Index.Bits}) but the field states index {f.Index}");
    }

    private static HashSet<string> ControlBitNames(SpecModel model) =>
        new(model.ControlFields.SelectMany(c => c.Bits.Select(b => c.Id + "." + b.Id)));

    private static void CheckControls(SpecModel model, DiagnosticBag diagnostics)
    {
        var bits = ControlBitNames(model);
        SpecLinker.Unique(model.ControlFields, c => c.Id, c => diagnostics.Sources[c], diagnostics, DiagnosticRule.DuplicateName,
            (c, first) => $"control field id '{c.Id}' is already defined at {SpecLinker.Where(diagnostics.Sources[first])}");
        var fields = model.VmcsFields.GroupBy(f => f.Id).ToDictionary(g => g.Key, g => g.First());
        var msrs = new HashSet<string>(model.Msrs.Select(m => m.Name));
        foreach (var control in model.ControlFields)
        {
            var width = 64;
            if (fields.TryGetValue(control.Field, out var vmcsField))
                width = vmcsField.BitWidth;
            else
                diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[control],
                    $"control field '{control.Id}' is held in VMCS field '{control.Field}', which is not defined");
            if (control.EnabledBy is { } gate && !bits.Contains(gate.ToString()))
                diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[control],
                    $"control field '{control.Id}' is enabled by '{gate}', but no control bit '{gate.Bit}' is defined in control field '{gate.ControlField}'");
            foreach (var msr in new[] { control.CapabilityMsr, control.TrueCapabilityMsr })
                if (msr is not null && !msrs.Contains(msr))
                    diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[control],
                        $"control field '{control.Id}' names capability MSR '{msr}', which is not defined");
            SpecLinker.Unique(control.Bits, b => b.Id, b => diagnostics.Sources[b], diagnostics, DiagnosticRule.DuplicateName,
                (b, first) => $"bit id '{b.Id}' is already defined in control field '{control.Id}' at {SpecLinker.Where(diagnostics.Sources[first])}");
            SpecLinker.Unique(control.Bits, b => b.Bit, b => diagnostics.Sources[b], diagnostics, DiagnosticRule.OverlappingBits,
                (b, first) => $"bit {b.Bit} of control field '{control.Id}' is both '{first.Id}' and '{b.Id}'");
            foreach (var bit in control.Bits.Where(b => b.Bit >= width))
                diagnostics.Add(DiagnosticRule.BitBeyondWidth, diagnostics.Sources[bit],
                    $"bit {bit.Bit} ('{bit.Id}') lies beyond the {width}-bit field '{control.Field}'");
        }
    }
}

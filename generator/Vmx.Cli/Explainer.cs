using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Vmx.Spec.Emit;
using Vmx.Spec.Loading;
using Vmx.Spec.Model;

namespace Vmx.Cli;

/// <summary><c>vmxgen explain NAME</c>: finds a VMCS field (id, C name or SDM title), a control bit
/// (<c>proc2.enable_ept</c> or <c>VMX_PROC2_ENABLE_EPT</c>), a layout field (<c>cr4.vmxe</c> or <c>VMX_CR4_VMXE</c>), an
/// MSR (<c>IA32_VMX_BASIC</c> or <c>VMX_MSR_IA32_VMX_BASIC</c>), an exit reason (<c>cpuid</c> or <c>VMX_EXIT_CPUID</c>) or
/// a VM-instruction error (id or <c>VMX_ERROR_…</c>), a CPUID bit or a VM-entry check (<see cref="CheckExplainer"/>). C names are the generated headers', made by the emitter's own
/// views and <see cref="Names"/>.</summary>
public sealed class Explainer
{
    private readonly SpecModel _model;
    private readonly TextWriter _out;
    private readonly TextWriter _err;

    public Explainer(SpecModel model, TextWriter output, TextWriter error)
    {
        _model = model;
        _out = output;
        _err = error;
    }

    /// <summary>The C macro of a VMCS field's encoding (vmcs_fields.h: <c>VMCS_{{ f.upper }}</c>).</summary>
    public static string VmcsMacro(string fieldId) => Names.VmcsMacro(fieldId);

    /// <summary>The C macro of a control bit (vmx_controls.h: <c>VMX_{{ c.upper }}_{{ b.upper }}</c>).</summary>
    public static string ControlBitMacro(string controlId, string bitId) => "VMX_" + Names.Upper(controlId) + "_" + Names.Upper(bitId);

    public int Explain(string name)
    {
        var key = Normalize(name);
        var known = new List<string>();
        var found = false;
        var arch = new ArchView(_model);

        foreach (var f in _model.VmcsFields)
        {
            var macro = VmcsMacro(f.Id);
            known.Add(f.Id);
            known.Add(macro);
            if (!Matches(key, f.Id, macro, f.Title)) continue;
            found = true;
            _out.WriteLine($"VMCS field {f.Id}: {f.Title}");
            _out.WriteLine($"  encoding 0x{f.Encoding:X4}{(f.HasHighAccess ? $" (high 0x{f.HighEncoding:X4})" : "")}: {FieldText.Describe(f.Width)} {FieldText.Describe(f.Type)}, index {f.Index}{(f.IsReadOnly ? ", read-only" : "")}");
            _out.WriteLine($"  exists {Existence(f, _model)}");
            _out.WriteLine($"  C: {macro}  C#: VmcsField.{Names.Pascal(f.Id)}");
            _out.WriteLine($"  SDM: \"{f.Section}\" ({f.SdmRevision}); {f.Description}");
        }
        foreach (var c in _model.ControlFields)
            foreach (var b in c.Bits)
            {
                var dotted = c.Id + "." + b.Id;
                var macro = ControlBitMacro(c.Id, b.Id);
                known.Add(dotted);
                known.Add(macro);
                if (!Matches(key, dotted, macro, b.Title)) continue;
                found = true;
                _out.WriteLine($"control bit {dotted}: {b.Title} — bit {b.Bit} of {c.Title}{(b.Default1 ? " (default1)" : "")}");
                _out.WriteLine($"  allowed settings in {c.CapabilityMsr}{(c.TrueCapabilityMsr is null ? "" : " / " + c.TrueCapabilityMsr)}; {b.Description}");
                _out.WriteLine($"  C: {macro}");
            }
        foreach (var l in arch.Layouts)
            foreach (var f in l.Fields)
            {
                // By dotted reference or C macro only: layout field titles ("Index", "Type") are too generic to match.
                var dotted = l.Id + "." + f.Id;
                known.Add(dotted);
                known.Add(f.Macro);
                if (!Matches(key, dotted, f.Macro)) continue;
                found = true;
                _out.WriteLine($"layout field {dotted}: {f.Title} — bit{(f.Width > 1 ? "s" : "")} {f.Bits} of {l.Title} ({l.Width} bits)");
                if (f.Description.Length > 0) _out.WriteLine($"  {f.Description}");
                _out.WriteLine($"  C: {f.Macro}_MASK / _SHIFT, {f.Getter}()  C#: {l.TypeName}.{f.Pascal}");
            }
        foreach (var m in arch.Msrs)
        {
            known.Add(m.Name);
            known.Add(m.Macro);
            if (!Matches(key, m.Id, m.Name, m.Title, m.Macro)) continue;
            found = true;
            var address = _model.Msrs.First(x => x.Id == m.Id).Address;
            _out.WriteLine($"MSR {m.Name} (0x{address:X}): {m.Title}{(m.Layout is null ? "" : $"; layout {m.Layout.Id}")}");
            _out.WriteLine($"  C: {m.Macro}");
        }
        foreach (var x in arch.ExitReasons)
        {
            known.Add(x.Id);
            known.Add(x.Macro);
            if (!Matches(key, x.Id, "exit_" + x.Id, x.Title, x.Macro)) continue;
            found = true;
            var byVector = string.Join(", ", x.QualificationByVector.Select(q => $"vector {q.Vector} {q.Layout.Id}"));
            _out.WriteLine($"exit reason {x.Number} {x.Id}: {x.Title}{(x.Qualification is null ? "" : $"; qualification layout {x.Qualification.Id}")}" +
                           $"{(byVector.Length == 0 ? "" : $"; qualification layout by vector: {byVector}")}");
            _out.WriteLine($"  C: {x.Macro}");
        }
        foreach (var x in arch.Errors)
        {
            known.Add(x.Id);
            known.Add(x.Macro);
            if (!Matches(key, x.Id, "error_" + x.Id, x.Title, x.Macro)) continue;
            found = true;
            _out.WriteLine($"VM-instruction error {x.Number} {x.Id}: {x.Title}");
            _out.WriteLine($"  C: {x.Macro}");
        }
        foreach (var x in new CpuidAreaView(_model).Bits)
        {
            known.Add(x.Id);
            known.Add(x.Function);
            if (!Matches(key, x.Id, x.Function, x.Macro)) continue;
            found = true;
            _out.WriteLine($"CPUID {x.Id}: {x.Where} {x.Title} (SDM \"{x.Section}\")");
            if (x.Description.Length > 0) _out.WriteLine($"  {x.Description}");
            _out.WriteLine($"  C: {x.Macro}_MASK, {x.Function}({x.Register}); C#: CpuidCatalog.{x.Pascal}");
        }
        var checks = new CheckExplainer(_model, _out);
        known.AddRange(checks.KnownNames);
        if (checks.Explain(names => Matches(key, names))) found = true;
        if (found) return 0;
        var nearest = NearestName.Find(name.Trim(), known.Distinct(StringComparer.Ordinal));
        _err.WriteLine(ToolDiagnostics.Line("vmxgen", ToolDiagnostics.UnknownName, name,
            nearest is null ? "no known name is close to it" : $"did you mean '{nearest}'?"));
        return 1;
    }

    internal static string Existence(VmcsField f, SpecModel model) => f.Exists.SeamOnly
        ? $"only in SEAM VMX root operation (the TDX module): {Decoder.InstructionErrorText(model, Decoder.UnsupportedComponentError)} for any other VMM"
        : f.Exists.IsAlways
        ? "always"
        : "only if the 1-setting of " + string.Join(" or ", f.Exists.AnyOf.Select(r => $"'{r}'")) + " is allowed";

    // Every non-alphanumeric becomes '_', so a dotted control reference (proc2.enable_ept) meets the control's
    // "proc2_enable_ept" name, and an SDM title ("Guest CR0") meets its id.
    private static string Normalize(string text) =>
        new string(text.Trim().ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray()).Trim('_');

    private static bool Matches(string key, params string[] names) =>
        names.Any(n => string.Equals(Normalize(n), key, StringComparison.Ordinal));
}

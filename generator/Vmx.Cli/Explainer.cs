using System;
using System.IO;
using System.Linq;
using Vmx.Spec.Lint;
using Vmx.Spec.Model;

namespace Vmx.Cli;

/// <summary><c>vmxgen explain NAME</c>: finds a VMCS field (id, C name or SDM title), a control bit
/// (<c>proc2.enable_ept</c> or <c>VMX_PROC2_ENABLE_EPT</c>), an MSR, an exit reason or a VM-instruction error.</summary>
public sealed class Explainer
{
    private readonly SpecModel _model;
    private readonly TextWriter _out;

    public Explainer(SpecModel model, TextWriter output)
    {
        _model = model;
        _out = output;
    }

    public int Explain(string name)
    {
        var key = Normalize(name);
        var found = false;
        foreach (var f in _model.VmcsFields.Where(f => Matches(key, f.Id, "vmcs_" + f.Id, f.Title)))
        {
            found = true;
            _out.WriteLine($"VMCS field {f.Id}: {f.Title}");
            _out.WriteLine($"  encoding 0x{f.Encoding:X4}{(f.HasHighAccess ? $" (high 0x{f.HighEncoding:X4})" : "")}: {FieldText.Describe(f.Width)} {FieldText.Describe(f.Type)}, index {f.Index}{(f.IsReadOnly ? ", read-only" : "")}");
            _out.WriteLine($"  exists {Existence(f)}");
            _out.WriteLine($"  C: VMCS_{f.Id.ToUpperInvariant()}  C#: VmcsField.{Spec.Emit.Names.Pascal(f.Id)}");
            _out.WriteLine($"  SDM: \"{f.Section}\" ({f.SdmRevision}); {f.Description}");
        }
        foreach (var c in _model.ControlFields)
            foreach (var b in c.Bits.Where(b => Matches(key, c.Id + "_" + b.Id, "vmx_" + c.Id + "_" + b.Id, b.Title)))
            {
                found = true;
                _out.WriteLine($"control bit {c.Id}.{b.Id}: {b.Title} — bit {b.Bit} of {c.Title}{(b.Default1 ? " (default1)" : "")}");
                _out.WriteLine($"  allowed settings in {c.CapabilityMsr}{(c.TrueCapabilityMsr is null ? "" : " / " + c.TrueCapabilityMsr)}; {b.Description}");
            }
        foreach (var m in _model.Msrs.Where(m => Matches(key, m.Id, m.Name, m.Title)))
        {
            found = true;
            _out.WriteLine($"MSR {m.Name} (0x{m.Address:X}): {m.Title}{(m.Layout is null ? "" : $"; layout {m.Layout}")}");
        }
        foreach (var x in _model.ExitReasons.Where(x => Matches(key, x.Id, "exit_" + x.Id, x.Title)))
        {
            found = true;
            _out.WriteLine($"exit reason {x.Number} {x.Id}: {x.Title}{(x.Qualification is null ? "" : $"; qualification layout {x.Qualification}")}");
        }
        foreach (var x in _model.InstructionErrors.Where(x => Matches(key, x.Id, "error_" + x.Id, x.Title)))
        {
            found = true;
            _out.WriteLine($"VM-instruction error {x.Number} {x.Id}: {x.Title}");
        }
        if (found) return 0;
        _out.WriteLine($"'{name}' is not in the spec");
        return 1;
    }

    internal static string Existence(VmcsField f) => f.Exists.SeamOnly
        ? "only in SEAM VMX root operation (the TDX module): error 12 for any other VMM"
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

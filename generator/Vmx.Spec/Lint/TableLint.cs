using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Loading;
using Vmx.Spec.Model;

namespace Vmx.Spec.Lint;

/// <summary>MSRs, exit reasons and VM-instruction errors: unique names and numbers, layouts that exist.</summary>
internal static class TableLint
{
    public static void Check(SpecModel model, DiagnosticBag diagnostics)
    {
        var layouts = new HashSet<string>(model.Layouts.Select(l => l.Id));

        SpecLinker.Unique(model.Msrs, m => m.Id, m => diagnostics.Sources[m], diagnostics, DiagnosticRule.DuplicateName,
            (m, first) => $"MSR id '{m.Id}' is already defined at {SpecLinker.Where(diagnostics.Sources[first])}");
        SpecLinker.Unique(model.Msrs, m => m.Name, m => diagnostics.Sources[m], diagnostics, DiagnosticRule.DuplicateName,
            (m, first) => $"MSR name '{m.Name}' is already defined at {SpecLinker.Where(diagnostics.Sources[first])}");
        SpecLinker.Unique(model.Msrs, m => m.Address, m => diagnostics.Sources[m], diagnostics, DiagnosticRule.DuplicateNumber,
            (m, first) => $"MSR address 0x{m.Address:X} of '{m.Name}' is already used by '{first.Name}'");
        foreach (var msr in model.Msrs.Where(m => m.Layout is not null && !layouts.Contains(m.Layout)))
            diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[msr], $"MSR '{msr.Name}' has layout '{msr.Layout}', which is not defined");

        SpecLinker.Unique(model.ExitReasons, x => x.Id, x => diagnostics.Sources[x], diagnostics, DiagnosticRule.DuplicateName,
            (x, first) => $"exit reason id '{x.Id}' is already defined at {SpecLinker.Where(diagnostics.Sources[first])}");
        SpecLinker.Unique(model.ExitReasons, x => x.Number, x => diagnostics.Sources[x], diagnostics, DiagnosticRule.DuplicateNumber,
            (x, first) => $"exit reason {x.Number} is both '{first.Id}' and '{x.Id}'");
        foreach (var exit in model.ExitReasons.Where(x => x.Qualification is not null && !layouts.Contains(x.Qualification)))
            diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[exit],
                $"exit reason '{exit.Id}' has qualification layout '{exit.Qualification}', which is not defined");
        foreach (var exit in model.ExitReasons)
        {
            foreach (var entry in exit.QualificationByVector.Where(v => !layouts.Contains(v.Layout)))
                diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[entry],
                    $"exit reason '{exit.Id}' has qualification layout '{entry.Layout}' for vector {entry.Vector}, which is not defined");
            SpecLinker.Unique(exit.QualificationByVector, v => v.Vector, v => diagnostics.Sources[v], diagnostics, DiagnosticRule.DuplicateNumber,
                (v, first) => $"vector {v.Vector} of exit reason '{exit.Id}' has qualification layouts '{first.Layout}' and '{v.Layout}'");
        }

        SpecLinker.Unique(model.InstructionErrors, x => x.Id, x => diagnostics.Sources[x], diagnostics, DiagnosticRule.DuplicateName,
            (x, first) => $"VM-instruction error id '{x.Id}' is already defined at {SpecLinker.Where(diagnostics.Sources[first])}");
        SpecLinker.Unique(model.InstructionErrors, x => x.Number, x => diagnostics.Sources[x], diagnostics, DiagnosticRule.DuplicateNumber,
            (x, first) => $"VM-instruction error {x.Number} is both '{first.Id}' and '{x.Id}'");
    }
}

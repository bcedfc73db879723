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
            (m, first) => new[] { "MSR id", m.Id, "the spec", SpecLinker.Where(diagnostics.Sources[first]) });
        SpecLinker.Unique(model.Msrs, m => m.Name, m => diagnostics.Sources[m], diagnostics, DiagnosticRule.DuplicateName,
            (m, first) => new[] { "MSR name", m.Name, "the spec", SpecLinker.Where(diagnostics.Sources[first]) });
        SpecLinker.Unique(model.Msrs, m => m.Address, m => diagnostics.Sources[m], diagnostics, DiagnosticRule.DuplicateNumber,
            (m, first) => new[] { $"MSR address 0x{m.Address:X}", first.Name, m.Name });
        foreach (var msr in model.Msrs.Where(m => m.Layout is not null && !layouts.Contains(m.Layout)))
            diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[msr], $"MSR '{msr.Name}'", "layout", msr.Layout!);

        SpecLinker.Unique(model.ExitReasons, x => x.Id, x => diagnostics.Sources[x], diagnostics, DiagnosticRule.DuplicateName,
            (x, first) => new[] { "exit reason id", x.Id, "the spec", SpecLinker.Where(diagnostics.Sources[first]) });
        SpecLinker.Unique(model.ExitReasons, x => x.Number, x => diagnostics.Sources[x], diagnostics, DiagnosticRule.DuplicateNumber,
            (x, first) => new[] { $"exit reason {x.Number}", first.Id, x.Id });
        foreach (var exit in model.ExitReasons.Where(x => x.Qualification is not null && !layouts.Contains(x.Qualification)))
            diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[exit],
                $"exit reason '{exit.Id}'", "qualification layout", exit.Qualification!);
        foreach (var exit in model.ExitReasons)
        {
            foreach (var entry in exit.QualificationByVector.Where(v => !layouts.Contains(v.Layout)))
                diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[entry],
                    $"vector {entry.Vector} of exit reason '{exit.Id}'", "qualification layout", entry.Layout);
            SpecLinker.Unique(exit.QualificationByVector, v => v.Vector, v => diagnostics.Sources[v], diagnostics, DiagnosticRule.DuplicateNumber,
                (v, first) => new[] { $"the qualification layout for vector {v.Vector} of exit reason '{exit.Id}'", first.Layout, v.Layout });
        }

        SpecLinker.Unique(model.InstructionErrors, x => x.Id, x => diagnostics.Sources[x], diagnostics, DiagnosticRule.DuplicateName,
            (x, first) => new[] { "VM-instruction error id", x.Id, "the spec", SpecLinker.Where(diagnostics.Sources[first]) });
        SpecLinker.Unique(model.InstructionErrors, x => x.Number, x => diagnostics.Sources[x], diagnostics, DiagnosticRule.DuplicateNumber,
            (x, first) => new[] { $"VM-instruction error {x.Number}", first.Id, x.Id });
    }
}

using System.Linq;
using Vmx.Spec.Checks;
using Vmx.Spec.Loading;
using Vmx.Spec.Model;

namespace Vmx.Spec.Lint;

/// <summary>Compiles every VM-entry check and reports what the compiler finds at the exact column inside the YAML
/// scalar (VMX0110-VMX0114), then duplicate ids after <c>each</c> expansion (VMX0005).</summary>
internal static class CheckLint
{
    public static void Check(SpecModel model, DiagnosticBag diagnostics)
    {
        if (model.Checks.Count == 0) return;
        // Texts compare by value ("4" may be written twice); each scalar is its own instance, so look them up by reference.
        var owner = new System.Collections.Generic.Dictionary<CheckText, VmEntryCheck>(ByReference.Instance);
        foreach (var check in model.Checks)
            foreach (var text in Texts(check))
                owner[text] = check;
        CheckCompiler.Compile(model, (text, start, length, kind, message) =>
        {
            var rule = kind switch
            {
                CheckErrorKind.Syntax => DiagnosticRule.CheckSyntax,
                CheckErrorKind.UnknownName => DiagnosticRule.CheckUnknownName,
                CheckErrorKind.Type => DiagnosticRule.CheckTypeMismatch,
                CheckErrorKind.Undeclared => DiagnosticRule.CheckInputs,
                _ => DiagnosticRule.CheckVectorTarget,
            };
            var id = owner.TryGetValue(text, out var check) ? check.Id : "?";
            diagnostics.Add(rule, Locate(diagnostics.Sources[text], start, length), id, message);
        });
        var expanded = model.Checks.SelectMany(c => c.Each.Count == 0
            ? new[] { (Id: c.Id, Check: c) }
            : c.Each.Select(r => (Id: CheckCompiler.Substitute(c.Id, r, upper: false), Check: c)).ToArray());
        SpecLinker.Unique(expanded, e => e.Id, e => diagnostics.Sources[e.Check], diagnostics, DiagnosticRule.DuplicateName,
            (e, first) => new[] { "check id", e.Id, "the spec", SpecLinker.Where(diagnostics.Sources[first.Check]) });
    }

    private sealed class ByReference : System.Collections.Generic.IEqualityComparer<CheckText>
    {
        public static readonly ByReference Instance = new();
        public bool Equals(CheckText? x, CheckText? y) => ReferenceEquals(x, y);
        public int GetHashCode(CheckText obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }

    private static System.Collections.Generic.IEnumerable<CheckText> Texts(VmEntryCheck check) =>
        check.Inputs.Concat(new[] { check.When, check.Require, check.Message }.Where(t => t is not null).Select(t => t!))
            .Concat(check.Pass.Concat(check.Fail).SelectMany(v => v.Assignments).SelectMany(a => new[] { a.Target, a.Value }));

    /// <summary>The text's own location moved to the offending characters; a multi-line scalar keeps the scalar's start.</summary>
    internal static SourceLocation Locate(SourceLocation text, int start, int length)
    {
        if (text.Line != text.EndLine) return text;
        return text with
        {
            Column = text.Column + start, EndColumn = text.Column + start + System.Math.Max(length, 1),
            Start = text.Start + start, End = text.Start + start + System.Math.Max(length, 1),
        };
    }
}

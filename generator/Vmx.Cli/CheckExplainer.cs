extern alias runtime;

using System.Collections.Generic;
using System.IO;
using System.Linq;
using Vmx.Spec.Checks;
using Vmx.Spec.Emit;
using Vmx.Spec.Model;

namespace Vmx.Cli;

/// <summary><c>vmxgen explain CHECK-ID</c>: a VM-entry check of spec/checks as the compiler sees it after <c>each</c>
/// expansion (<c>host_cs_selector_rpl_ti</c>), or every expansion of an id as written (<c>host_$_selector_rpl_ti</c>).</summary>
internal sealed class CheckExplainer
{
    private readonly IReadOnlyList<(CompiledCheck Check, VmEntryCheck Source)> _checks;
    private readonly TextWriter _out;

    public CheckExplainer(SpecModel model, TextWriter output)
    {
        _out = output;
        var compiled = CheckCompiler.Compile(model).ToDictionary(c => c.Id);
        var checks = new List<(CompiledCheck, VmEntryCheck)>();
        foreach (var source in model.Checks)
            foreach (var register in source.Each.Count == 0 ? new string?[] { null } : source.Each.Select(r => (string?)r))
                if (compiled.TryGetValue(Expand(source.Id, register), out var check)) checks.Add((check, source));
        _checks = checks;
    }

    /// <summary>The C constant of a check (vmx_checks.h: <c>VMX_CHECK_{{ x.upper }}</c>).</summary>
    public static string Macro(string checkId) => "VMX_CHECK_" + Names.Upper(checkId);

    /// <summary>Every name a check is known by, for "did you mean".</summary>
    public IEnumerable<string> KnownNames => _checks.SelectMany(c => new[] { c.Check.Id, Macro(c.Check.Id) }).Concat(_checks.Select(c => c.Source.Id).Distinct());

    /// <summary>Prints each check <paramref name="matches"/> accepts by id, written id, C constant or title; false if none.</summary>
    public bool Explain(System.Func<string[], bool> matches)
    {
        var found = false;
        foreach (var (check, source) in _checks)
        {
            if (!matches(new[] { check.Id, source.Id, Macro(check.Id), check.Title })) continue;
            found = true;
            Print(check, source);
        }
        return found;
    }

    private void Print(CompiledCheck check, VmEntryCheck source)
    {
        var outcome = new runtime::Vmx.VmEntryOutcome(check.Outcome.Number, check.Outcome.Qualification);
        _out.WriteLine($"VM-entry check {check.Id}: {check.Title}");
        _out.WriteLine($"  category {check.Category}, {check.Group}; SDM: \"{check.Section}\" ({source.SdmRevision})");
        _out.WriteLine($"  outcome:  {check.Outcome} ({outcome})");
        _out.WriteLine($"  inputs:   {string.Join(", ", check.Inputs.Select(Describe))}");
        _out.WriteLine($"  when:     {check.WhenSource ?? "always"}");
        _out.WriteLine($"  require:  {check.RequireSource}");
        _out.WriteLine($"  message:  {Message(check)}");
        if (check.Bochs is not null) _out.WriteLine($"  Bochs:    {check.Bochs}");
        if (check.Description is not null) _out.WriteLine($"  {check.Description.Trim()}");
        Vectors("pass", source.Pass, check.Register);
        Vectors("fail", source.Fail, check.Register);
        if (check.Register is not null)
            _out.WriteLine($"  one of {source.Id} (each: {string.Join(", ", source.Each)})");
        _out.WriteLine($"  C: {Macro(check.Id)}  C#: VmEntryCheckCatalog.Find(\"{check.Id}\")");
    }

    private static string Describe(CheckInput input) => input.Kind switch
    {
        InputKind.Field => $"{input.Id} (VMCS field, {input.Width} bits)",
        InputKind.Msr => $"{input.Msr?.Name ?? input.Id} (capability MSR)",
        InputKind.Fact => $"{input.Id} (CPU fact)",
        _ => "memory (guest-physical)",
    };

    /// <summary>The message as the spec writes it, <c>$</c> replaced: text, and each value's expression in braces.</summary>
    internal static string Message(CompiledCheck check)
    {
        var values = check.ValueTexts.GetEnumerator();
        return string.Concat(check.Message.Select(part =>
            part.Value is null ? part.Text : values.MoveNext() ? "{" + values.Current + (part.Decimal ? ":d" : "") + "}" : "{?}"));
    }

    private void Vectors(string kind, IReadOnlyList<CheckVector> vectors, string? register)
    {
        var first = true;
        foreach (var vector in vectors)
        {
            var text = string.Join(", ", vector.Assignments.Select(a => $"{Expand(a.Target.Text, register)}: {Expand(a.Value.Text, register)}"));
            _out.WriteLine($"  {(first ? kind + ":" : ""),-9} {{{text}}}");
            first = false;
        }
    }

    // Outside prose, '$' stands for the register's lower-case name (spec/checks/README.md, "One rule, several registers").
    private static string Expand(string text, string? register) => register is null ? text : text.Replace("$", register);
}

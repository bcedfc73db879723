using System.Linq;
using Vmx.Spec.Lint;
using Xunit;

namespace Vmx.Spec.Tests;

/// <summary>One failing and one passing case per rule (generator rule 10: one check, one id, both tests).</summary>
public class LintRuleTests
{
    [Theory]
    [MemberData(nameof(RuleCases.Names), MemberType = typeof(RuleCases))]
    public void Failing_case_reports_the_rule_at_its_position(string name)
    {
        var c = RuleCases.Named(name);
        var result = TestSpec.Load(c.Bad);

        Assert.True(c.Ids.SequenceEqual(result.Diagnostics.Select(d => d.Id)),
            $"expected {string.Join(", ", c.Ids)}; got:\n{TestSpec.Describe(result)}");
        var diagnostic = result.Diagnostics.First(d => d.Id == c.Rule);
        Assert.Equal(TestSpec.Path, diagnostic.Location.Path);
        Assert.Equal((c.Line, c.Column), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains(c.Message, diagnostic.Message);
        Assert.Same(DiagnosticRule.All.Single(r => r.Id == c.Rule), diagnostic.Rule);
        Assert.StartsWith($"{TestSpec.Path}({c.Line},{c.Column}): error {c.Rule}: ", diagnostic.ToString());
    }

    [Theory]
    [MemberData(nameof(RuleCases.Names), MemberType = typeof(RuleCases))]
    public void Every_diagnostic_offset_agrees_with_its_line_and_column(string name)
    {
        var c = RuleCases.Named(name);
        var text = c.Bad;
        foreach (var d in TestSpec.Load(text).Diagnostics)
        {
            var l = d.Location;
            Assert.Equal(TestSpec.Offset(text, l.Line, l.Column), l.Start);
            Assert.Equal(TestSpec.Offset(text, l.EndLine, l.EndColumn), l.End);
            Assert.True(l.Start <= l.End && l.End <= text.Length, d.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(RuleCases.Names), MemberType = typeof(RuleCases))]
    public void Corrected_case_has_no_diagnostics(string name)
    {
        var result = TestSpec.Load(RuleCases.Named(name).Base);
        Assert.False(result.HasErrors, TestSpec.Describe(result));
    }

    [Fact]
    public void Every_rule_has_a_failing_case()
    {
        var covered = RuleCases.All.Select(c => c.Rule).ToHashSet();
        var missing = DiagnosticRule.All.Where(r => !covered.Contains(r.Id) && !DiagnosticRule.GeneratorOnly.Contains(r))
            .Select(r => r.Id).ToList();
        Assert.True(missing.Count == 0, "rules without a failing case: " + string.Join(", ", missing));
    }

    [Fact]
    public void Rule_ids_are_unique_and_listed_in_order()
    {
        // Ids are handed out in blocks by area (VMX0060+ the naming contract), so they ascend but may leave gaps.
        var ids = DiagnosticRule.All.Select(r => r.Id).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.All(ids, id => Assert.Matches("^VMX0[0-9]{3}$", id));
        Assert.Equal(ids.OrderBy(i => i, System.StringComparer.Ordinal), ids);
        Assert.All(DiagnosticRule.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Title + r.Explanation)));
    }

    [Fact]
    public void Base_files_load_their_entries()
    {
        var m = TestSpec.Load(BaseYaml.Controls).Model;
        Assert.Equal(new[] { "pin_based_vm_execution_controls", "vm_entry_controls", "guest_ia32_pat" }, m.VmcsFields.Select(f => f.Id));
        Assert.Equal(new[] { 0x4000u, 0x4012u, 0x2804u }, m.VmcsFields.Select(f => f.Encoding));
        Assert.Equal("entry.load_ia32_pat", m.VmcsFields[2].Exists.ToString());
        Assert.Equal(new[] { 0, 3 }, m.ControlFields[0].Bits.Select(b => b.Bit));
        var layouts = TestSpec.Load(BaseYaml.Layouts).Model;
        Assert.Equal((53, 50), (layouts.Layouts[0].Fields[2].Msb, layouts.Layouts[0].Fields[2].Lsb));
        Assert.Equal(0x3C000000000000UL, layouts.Layouts[0].Fields[2].Mask);
        Assert.Equal(6UL, layouts.Enums[0].Values[1].Value);
        var tables = TestSpec.Load(BaseYaml.Tables).Model;
        Assert.Equal(new[] { 0x480u, 0x481u }, tables.Msrs.Select(x => x.Address));
        Assert.Equal(new[] { 0, 2 }, tables.ExitReasons.Select(x => x.Number));
        Assert.Equal(new[] { 1, 2 }, tables.InstructionErrors.Select(x => x.Number));
    }
}

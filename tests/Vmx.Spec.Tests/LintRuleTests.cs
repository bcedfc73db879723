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
        Assert.True(diagnostic.Message.Contains(c.Message), $"expected the message to contain \"{c.Message}\"; got \"{diagnostic.Message}\"");
        var rule = DiagnosticRule.All.Single(r => r.Id == c.Rule);
        Assert.Same(rule, diagnostic.Rule);
        // The message is the descriptor's format filled with exactly as many arguments as it has placeholders.
        Assert.Equal(rule.ArgumentCount, diagnostic.Arguments.Count);
        Assert.Equal(string.Format(rule.MessageFormat, diagnostic.Arguments.Cast<object>().ToArray()), diagnostic.Message);
        Assert.Equal(DiagnosticLevel.Error, diagnostic.Severity);
        Assert.Equal($"{TestSpec.Path}({c.Line},{c.Column}): error {c.Rule}: {diagnostic.Message}", diagnostic.ToString());
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
        // Ids are handed out in blocks (VMX0001-0022 first, VMX0040+ split off earlier ids, VMX0060+ the naming contract; from VMX0100 blocks of ten):
        // ascending, each block without gaps.
        var numbers = ids.Select(i => int.Parse(i.Substring(3))).ToList();
        Assert.All(ids, id => Assert.Matches("^VMX0[0-9]{3}$", id));
        Assert.Equal(numbers.OrderBy(n => n), numbers);
        foreach (var block in numbers.GroupBy(n => n < 40 ? 0 : n < 100 ? n / 20 * 20 : n / 10 * 10))
            Assert.Equal(Enumerable.Range(block.Min(), block.Count()), block);
    }

    // What each descriptor must say, stated here independently of DiagnosticRule.cs: category and argument count.
    // Every spec rule but those in Warnings is an error; the tool's warnings (VMX9008/9009) are checked in Vmx.Cli.Tests.
    public static readonly TheoryData<string, string, int> Descriptors = new()
    {
        { "VMX0001", "VmxSpec.Syntax", 1 }, { "VMX0002", "VmxSpec.Syntax", 3 }, { "VMX0003", "VmxSpec.Syntax", 2 },
        { "VMX0004", "VmxSpec.Syntax", 3 }, { "VMX0005", "VmxSpec.Consistency", 4 }, { "VMX0006", "VmxSpec.Encoding", 4 },
        { "VMX0007", "VmxSpec.Encoding", 7 }, { "VMX0008", "VmxSpec.Encoding", 7 }, { "VMX0009", "VmxSpec.Encoding", 5 },
        { "VMX0010", "VmxSpec.Encoding", 4 }, { "VMX0011", "VmxSpec.Encoding", 3 }, { "VMX0012", "VmxSpec.Encoding", 3 },
        { "VMX0013", "VmxSpec.References", 3 }, { "VMX0014", "VmxSpec.Consistency", 4 }, { "VMX0015", "VmxSpec.Consistency", 4 },
        { "VMX0016", "VmxSpec.Consistency", 3 }, { "VMX0017", "VmxSpec.Syntax", 1 }, { "VMX0018", "VmxSpec.Consistency", 2 },
        { "VMX0019", "VmxSpec.Generator", 2 }, { "VMX0020", "VmxSpec.Generator", 1 }, { "VMX0021", "VmxSpec.Contract", 2 },
        { "VMX0022", "VmxSpec.Encoding", 3 }, { "VMX0023", "VmxSpec.Syntax", 1 }, { "VMX0024", "VmxSpec.Syntax", 1 },
        { "VMX0025", "VmxSpec.Syntax", 1 }, { "VMX0026", "VmxSpec.Syntax", 3 }, { "VMX0040", "VmxSpec.Syntax", 3 }, { "VMX0041", "VmxSpec.Syntax", 2 },
        { "VMX0042", "VmxSpec.Contract", 3 }, { "VMX0060", "VmxSpec.Consistency", 6 }, { "VMX0061", "VmxSpec.Syntax", 1 },
        { "VMX0100", "VmxSpec.Consistency", 2 }, { "VMX0101", "VmxSpec.Syntax", 1 },
        { "VMX0110", "VmxSpec.Syntax", 2 }, { "VMX0111", "VmxSpec.References", 2 }, { "VMX0112", "VmxSpec.Consistency", 2 },
        { "VMX0113", "VmxSpec.Consistency", 2 }, { "VMX0114", "VmxSpec.Syntax", 2 },
        { "VMX0130", "VmxSpec.Generator", 3 },
    };

    /// <summary>The only spec rules that are warnings: the generated code is incomplete, not wrong.</summary>
    private static readonly string[] Warnings = { "VMX0130" };

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void Descriptor_states_severity_category_format_and_help_link(string id, string category, int arguments)
    {
        var rule = DiagnosticRule.All.Single(r => r.Id == id);
        Assert.Equal(Warnings.Contains(id) ? DiagnosticLevel.Warning : DiagnosticLevel.Error, rule.Severity);
        Assert.Equal(category, rule.Category);
        Assert.Equal(arguments, rule.ArgumentCount);
        Assert.Equal($"https://github.com/vmxgen/vmxgen/blob/main/spec/reference/diagnostics.md#{id.ToLowerInvariant()}", rule.HelpLink);
        Assert.False(string.IsNullOrWhiteSpace(rule.Title) || string.IsNullOrWhiteSpace(rule.Description));
        // Placeholders are {0}..{n-1} with none skipped, so every argument a call site passes is shown.
        for (var i = 0; i < arguments; i++) Assert.Contains("{" + i + "}", rule.MessageFormat);
    }

    [Fact]
    public void Every_descriptor_has_its_expectations()
    {
        Assert.Equal(DiagnosticRule.All.Select(r => r.Id), Descriptors.Select(d => (string)d[0]));
    }

    [Fact]
    public void Too_few_arguments_still_format_without_throwing()
    {
        var message = DiagnosticRule.DuplicateName.Format(new[] { "VMCS field id" });
        Assert.Contains("VMCS field id", message);
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

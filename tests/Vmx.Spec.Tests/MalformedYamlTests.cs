using System;
using Vmx.Spec.Lint;
using Vmx.Spec.Loading;
using Xunit;

namespace Vmx.Spec.Tests;

/// <summary>Input that is not a spec file at all still yields a located diagnostic and an empty fragment, never an exception.</summary>
public class MalformedYamlTests
{
    private static SpecDiagnostic Single(string text, DiagnosticRule rule)
    {
        var fragment = SpecFileParser.Parse(TestSpec.Path, text);
        Assert.Empty(fragment.Content.VmcsFields);
        var d = Assert.Single(fragment.Diagnostics);
        Assert.Equal(rule, d.Rule);
        Assert.Equal(TestSpec.Path, d.Location.Path);
        Assert.InRange(d.Location.Start, 0, text.Length);
        Assert.InRange(d.Location.End, d.Location.Start, text.Length);
        return d;
    }

    [Fact]
    public void Bad_indentation()
    {
        var text = "sdm-revision: \"x\"\nmsrs:\n  - id: ia32_vmx_basic\n   name: IA32_VMX_BASIC\n";
        var d = Single(text, DiagnosticRule.MalformedYaml);
        Assert.Equal((4, 4), (d.Location.Line, d.Location.Column));
        Assert.StartsWith("malformed YAML: ", d.Message);
    }

    [Fact]
    public void Unclosed_quote_points_at_the_opening_quote()
    {
        var text = "sdm-revision: \"325462-086US\nmsrs: []\n";
        var d = Single(text, DiagnosticRule.MalformedYaml);
        Assert.Equal((1, 15), (d.Location.Line, d.Location.Column));
        Assert.Equal('"', text[d.Location.Start]);
    }

    [Theory]
    [InlineData("sdm-revision: x\n\tmsrs: []\n", 2)]
    [InlineData("sdm-revision: x\nmsrs: []\n\tenums: []\n", 3)] // YamlDotNet marks this one from the file's start
    [InlineData("sdm-revision: x\nmsrs:\n  - id: a\n \t title: b\n", 4)]
    public void Tab_in_indentation_is_located_at_the_tab(string text, int line)
    {
        var d = Single(text, DiagnosticRule.MalformedYaml);
        Assert.Equal((line, text.Split('\n')[line - 1].IndexOf('\t') + 1), (d.Location.Line, d.Location.Column));
        Assert.Contains("tab", d.Message);
        Assert.Equal(text.IndexOf('\t'), d.Location.Start);
    }

    [Fact]
    public void Duplicate_key_is_reported_at_the_second_key()
    {
        // YamlDotNet refuses duplicate keys itself (it does not keep one silently), so it is malformed YAML.
        var text = "sdm-revision: \"a\"\nsdm-revision: \"b\"\n";
        var d = Single(text, DiagnosticRule.MalformedYaml);
        Assert.Equal((2, 1, 2, 13), (d.Location.Line, d.Location.Column, d.Location.EndLine, d.Location.EndColumn));
        Assert.Contains("Duplicate key sdm-revision", d.Message);
    }

    [Fact]
    public void Duplicate_key_in_a_nested_entry_is_reported_at_the_second_key()
    {
        var text = TestSpec.ReplaceOnce(BaseYaml.Vmcs16, "        index: 1\n", "        index: 1\n        index: 1\n");
        var d = Single(text, DiagnosticRule.MalformedYaml);
        Assert.Equal((17, 9), (d.Location.Line, d.Location.Column));
        Assert.Contains("Duplicate key index", d.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("# only a comment\n")]
    public void Empty_file(string text)
    {
        var d = Single(text, DiagnosticRule.MalformedYaml);
        Assert.Equal((1, 1), (d.Location.Line, d.Location.Column));
        Assert.Contains("found 0", d.Message);
    }

    [Fact]
    public void Two_documents_are_located_at_the_second()
    {
        var d = Single("sdm-revision: a\n---\nsdm-revision: b\n", DiagnosticRule.MalformedYaml);
        Assert.Equal((2, 1), (d.Location.Line, d.Location.Column));
        Assert.Contains("a second one starts here", d.Message);
    }

    [Theory]
    [InlineData("- vmcs-groups\n- msrs\n", "mapping")]
    [InlineData("just text\n", "mapping")]
    public void Root_that_is_not_a_mapping(string text, string expected)
    {
        var d = Single(text, DiagnosticRule.NotAMapping);
        Assert.Equal((1, 1), (d.Location.Line, d.Location.Column));
        Assert.Contains($"expected a {expected} (a spec file)", d.Message);
    }

    [Fact]
    public void List_where_an_entry_belongs()
    {
        var text = "sdm-revision: \"x\"\nmsrs:\n  - [a, b]\n";
        var d = Single(text, DiagnosticRule.NotAMapping);
        Assert.Equal((3, 5), (d.Location.Line, d.Location.Column));
        Assert.Contains("expected a mapping (an MSR)", d.Message);
    }

    [Fact]
    public void Mapping_where_a_list_belongs()
    {
        var text = "sdm-revision: \"x\"\nmsrs:\n  id: ia32_vmx_basic\n";
        var d = Single(text, DiagnosticRule.WrongValueType);
        Assert.Equal((3, 3), (d.Location.Line, d.Location.Column));
        Assert.Contains("'msrs' must be a list", d.Message);
    }

    [Theory]
    [InlineData("sdm-revision: x\nmsrs: &a [*a]\n")]
    [InlineData("&m\nsdm-revision: x\nmsrs: *m\n")]
    [InlineData("sdm-revision: x\nmsrs: *nowhere\n")]
    [InlineData("sdm-revision: x\n[a]: 1\n")]
    [InlineData("\uFEFFsdm-revision: x\nmsrs: {\n")]
    public void Odd_documents_become_diagnostics(string text)
    {
        var fragment = SpecFileParser.Parse(TestSpec.Path, text);
        Assert.NotEmpty(fragment.Diagnostics);
        Assert.All(fragment.Diagnostics, d => Assert.InRange(d.Location.Line, 1, 10));
    }
}

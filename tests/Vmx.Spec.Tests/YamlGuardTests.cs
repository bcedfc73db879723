using System;
using System.Linq;
using System.Text;
using Vmx.Spec.Lint;
using Vmx.Spec.Loading;
using Xunit;

namespace Vmx.Spec.Tests;

/// <summary>Input that would exhaust the stack or the time of YamlDotNet's node building, or that YamlDotNet reports
/// without a position, is refused first with a located error in the loader's words.</summary>
public class YamlGuardTests
{
    private static SpecDiagnostic Single(string text, DiagnosticRule rule)
    {
        var fragment = SpecFileParser.Parse(TestSpec.Path, text);
        var d = Assert.Single(fragment.Diagnostics);
        Assert.Equal(rule, d.Rule);
        Assert.InRange(d.Location.Start, 0, text.Length);
        Assert.InRange(d.Location.End, d.Location.Start, text.Length);
        return d;
    }

    [Fact]
    public void Self_containing_alias_as_a_key_is_refused_at_the_key()
    {
        var text = "sdm-revision: x\n? &k [a, *k]\n: v\n";
        var d = Single(text, DiagnosticRule.UnsupportedYaml);
        Assert.Equal((2, 3), (d.Location.Line, d.Location.Column));
        Assert.Contains("mapping key must be a plain value", d.Message);
    }

    [Fact]
    public void Self_containing_alias_as_a_value_is_refused_at_the_alias()
    {
        var text = "sdm-revision: x\nmsrs: &k [a, *k]\n";
        var d = Single(text, DiagnosticRule.UnsupportedYaml);
        Assert.Equal((2, 14), (d.Location.Line, d.Location.Column));
        Assert.Contains("*k refers to the node that contains it", d.Message);
    }

    [Fact]
    public void Deep_flow_nesting_is_refused_at_the_first_bracket_too_deep()
    {
        var text = "sdm-revision: x\nmsrs:\n  - description: " + new string('[', 100_000) + "\n";
        var d = Single(text, DiagnosticRule.YamlLimit);
        Assert.Equal((3, 17 + YamlGuard.MaxNestingDepth - 2), (d.Location.Line, d.Location.Column));
        Assert.Contains("nested more than 64 deep", d.Message);
    }

    [Fact]
    public void Nesting_at_the_limit_is_accepted_by_the_guard()
    {
        // Depth 64 counting the file's own mapping: the guard passes it on and only the spec format rejects it.
        var text = "sdm-revision: x\nmsrs: " + new string('[', 63) + new string(']', 63) + "\n";
        var d = Single(text, DiagnosticRule.NotAMapping);
        Assert.Equal((2, 8), (d.Location.Line, d.Location.Column)); // the first list entry is not a mapping (VMX0041)
    }

    private static string Bomb(int levels, bool asKey)
    {
        var text = new StringBuilder("sdm-revision: x\nl0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < levels; i++)
            text.Append($"l{i}: &a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10)) + "]\n");
        text.Append(asKey ? $"? *a{levels - 1}\n: v\n" : $"msrs: *a{levels - 1}\n");
        return text.ToString();
    }

    [Fact]
    public void Alias_bomb_is_refused_where_it_passes_the_expansion_limit()
    {
        var text = Bomb(10, asKey: false);
        var d = Single(text, DiagnosticRule.YamlLimit);
        // 10 + 100 + 1000 + 10000 + 100000 values fit; the second alias of level 5 passes 200000.
        Assert.Equal(7, d.Location.Line);
        Assert.Contains("more than 200000 values", d.Message);
    }

    [Fact]
    public void Alias_as_a_key_is_refused_at_the_alias()
    {
        var text = "sdm-revision: x\nl0: &a0 [x]\n? *a0\n: v\n";
        var d = Single(text, DiagnosticRule.UnsupportedYaml);
        Assert.Equal((3, 3), (d.Location.Line, d.Location.Column));
        Assert.Contains("not an alias", d.Message);
    }

    [Fact]
    public void Alias_to_no_anchor_is_located_at_the_alias()
    {
        var text = "sdm-revision: x\nmsrs: *nowhere\n";
        var d = Single(text, DiagnosticRule.MalformedYaml);
        Assert.Equal((2, 7, 2, 15), (d.Location.Line, d.Location.Column, d.Location.EndLine, d.Location.EndColumn));
        Assert.Contains("*nowhere refers to no anchor", d.Message);
    }

    [Theory]
    [InlineData("sdm-revision: x\nmsrs:\n  - exists: [proc2.virtual_interrupt_delivery\n", 3, 13, '[')]
    [InlineData("sdm-revision: x\nmsrs:\n  - exists: {a: b\n", 3, 13, '{')]
    [InlineData("sdm-revision: x\nmsrs: [a, [b, c]\nenums: []\n", 2, 7, '[')]
    public void Unclosed_flow_collection_is_located_at_its_opening_bracket(string text, int line, int column, char opener)
    {
        var d = Single(text, DiagnosticRule.MalformedYaml);
        Assert.Equal((line, column), (d.Location.Line, d.Location.Column));
        Assert.Equal(opener, text[d.Location.Start]);
        Assert.Contains("never closed", d.Message);
        Assert.DoesNotContain("state of the object", d.Message);
    }

    [Theory]
    [InlineData("sdm-revision: x\n---\nmsrs: []\n", 2, 1)]
    [InlineData("---\nsdm-revision: x\n...\n--- # again\nmsrs: []\n", 4, 1)]
    public void Second_document_is_located_where_it_starts(string text, int line, int column)
    {
        var d = Single(text, DiagnosticRule.MalformedYaml);
        Assert.Equal((line, column), (d.Location.Line, d.Location.Column));
        Assert.Contains("a second one starts here", d.Message);
    }

    [Fact]
    public void One_explicit_document_is_accepted()
    {
        Assert.Empty(SpecFileParser.Parse(TestSpec.Path, "---\nsdm-revision: x\nmsrs: []\n...\n").Diagnostics);
    }

    [Fact]
    public void Oversized_file_is_refused()
    {
        var text = "sdm-revision: x\n" + new string('#', YamlGuard.MaxDocumentChars) + "\n";
        var d = Single(text, DiagnosticRule.YamlLimit);
        Assert.Equal((1, 1), (d.Location.Line, d.Location.Column));
    }

    [Theory]
    [InlineData("sdm-revision: x\nmsrs: [\u0001]\n", 2, 8, "U+0001")]
    [InlineData("sdm-revision: x\nmsrs: []\n# caf\uFFFD\n", 3, 6, "not UTF-8")]
    [InlineData("sdm-revision: \"\u007F\"\n", 1, 16, "U+007F")]
    [InlineData("sdm-revision: x\nmsrs: [] # a\u0085b\n", 2, 13, "line separator U+0085")]
    [InlineData("sdm-revision: \"a\u2028b\"\n", 1, 17, "line separator U+2028")]
    public void Characters_yaml_forbids_are_located(string text, int line, int column, string expected)
    {
        var d = Single(text, DiagnosticRule.InvalidCharacter);
        Assert.Equal((line, column), (d.Location.Line, d.Location.Column));
        Assert.Contains(expected, d.Message);
    }

    [Fact]
    public void Printable_non_ascii_and_tabs_inside_text_are_accepted()
    {
        var fragment = SpecFileParser.Parse(TestSpec.Path, "sdm-revision: \"caf\u00E9\tx \U0001F600\"\nmsrs: []\n");
        Assert.Empty(fragment.Diagnostics);
    }
}

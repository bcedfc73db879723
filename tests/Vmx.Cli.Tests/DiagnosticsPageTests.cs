using System.Linq;
using Vmx.Cli;
using Vmx.Spec.Lint;
using Xunit;

namespace Vmx.Cli.Tests;

/// <summary>The rules page (spec/reference/diagnostics.md) cannot lie: each documented example yields exactly its own
/// id, every spec rule has an example or says why not, and every id has its heading (the help links' anchors).</summary>
public class DiagnosticsPageTests
{
    public static TheoryData<string> ExampleIds => new(DiagnosticExamples.Spec.Keys);

    [Theory]
    [MemberData(nameof(ExampleIds))]
    public void Example_yields_exactly_its_id_located_in_the_example(string id)
    {
        var diagnostics = DiagnosticsPage.Load(DiagnosticExamples.Spec[id]);
        var only = Assert.Single(diagnostics);
        Assert.Equal(id, only.Id);
        Assert.Equal(DiagnosticsPage.ExamplePath, only.Location.Path);
        Assert.True(only.Location.Line >= 1, only.ToString());
    }

    public static TheoryData<string> ToolExampleIds => new(DiagnosticExamples.Tool.Keys);

    [Theory]
    [MemberData(nameof(ToolExampleIds))]
    public void Tool_example_prints_the_line_the_page_shows(string id)
    {
        var (command, output) = DiagnosticExamples.Tool[id];
        var run = Cli.Invoke(Cli.RepoRoot, command.Split(' '));
        Assert.Contains(output + "\n", run.Err);
        Assert.DoesNotMatch(@"VMX(?!" + id.Substring(3) + @")\d{4}", run.Err);
    }

    [Fact]
    public void Every_tool_diagnostic_has_an_example()
    {
        Assert.Equal(ToolDiagnostics.All.Select(r => r.Id).OrderBy(i => i),
            DiagnosticExamples.Tool.Keys.Concat(DiagnosticExamples.ToolInWords.Keys).OrderBy(i => i));
    }

    [Fact]
    public void Every_spec_rule_has_an_example_or_says_why_not()
    {
        foreach (var rule in DiagnosticRule.All)
            Assert.True(DiagnosticExamples.Spec.ContainsKey(rule.Id) ^ DiagnosticExamples.NoYaml.ContainsKey(rule.Id), rule.Id);
        Assert.Equal(DiagnosticRule.GeneratorOnly.Select(r => r.Id), DiagnosticExamples.NoYaml.Keys);
    }

    [Fact]
    public void Page_has_a_section_per_id_with_its_severity_and_the_example_output()
    {
        var page = DiagnosticsPage.Render().Content;
        foreach (var rule in DiagnosticRule.All.Concat(ToolDiagnostics.All))
        {
            Assert.Contains($"\n## {rule.Id}\n\n**{rule.Title}** · {rule.SeverityWord} · {rule.Category}\n", page);
            Assert.Contains($"| [{rule.Id}](#{rule.Id.ToLowerInvariant()}) | {rule.SeverityWord} |", page);
        }
        Assert.Contains("spec/example.yaml(5,14): error VMX0004: 'address' must be a hex number such as 0x0800, not '1152'", page);
        Assert.Contains("**Impossible capability value** · warning · VmxTool", page);
    }
}

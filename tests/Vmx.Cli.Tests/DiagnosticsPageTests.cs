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

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Vmx.Spec;
using Vmx.Spec.Lint;
using Xunit;

namespace Vmx.Generator.Tests;

/// <summary>Generator rule 1 (no exception escapes) and the generator-only diagnostics VMX0019 and VMX0020.
/// The fault seams are static, so every test that sets one is in this class (xunit runs a class's tests one at a
/// time) and each seam throws only for its own file name.</summary>
public class GeneratorRobustnessTests
{
    private static ImmutableArray<AdditionalText> Mini(string fileName)
    {
        var path = Path.Combine(GeneratorHarness.FixtureDirectory, "mini.yaml");
        return ImmutableArray.Create<AdditionalText>(new InMemoryText(Path.Combine(Path.GetDirectoryName(path)!, fileName), File.ReadAllText(path)));
    }

    [Fact]
    public void An_exception_while_parsing_becomes_VMX0019_at_the_file()
    {
        SpecGenerator.Faults.BeforeParse = path => { if (path.EndsWith("parse-fault.yaml")) throw new InvalidOperationException("injected\nfault"); };
        try
        {
            var (driver, _, diagnostics) = GeneratorHarness.Run(Mini("parse-fault.yaml"));
            var result = driver.GetRunResult().Results.Single();
            Assert.Null(result.Exception);
            var error = Assert.Single(diagnostics);
            Assert.Equal("VMX0019", error.Id);
            Assert.EndsWith("parse-fault.yaml", error.Location.GetLineSpan().Path);
            Assert.Contains("internal error while parsing the spec: InvalidOperationException: injected fault", error.GetMessage());
            Assert.Empty(result.GeneratedSources);
        }
        finally { SpecGenerator.Faults.BeforeParse = null; }
    }

    [Fact]
    public void An_exception_while_linking_becomes_VMX0019_at_the_first_file()
    {
        SpecGenerator.Faults.BeforeLink = fragments => { if (fragments.Any(f => f.Path.EndsWith("link-fault.yaml"))) throw new KeyNotFoundException("injected"); };
        try
        {
            var (driver, _, diagnostics) = GeneratorHarness.Run(Mini("link-fault.yaml"));
            Assert.Null(driver.GetRunResult().Results.Single().Exception);
            var error = Assert.Single(diagnostics);
            Assert.Equal("VMX0019", error.Id);
            Assert.EndsWith("link-fault.yaml", error.Location.GetLineSpan().Path);
            Assert.Contains("internal error while linking the spec: KeyNotFoundException: injected", error.GetMessage());
        }
        finally { SpecGenerator.Faults.BeforeLink = null; }
    }

    [Fact]
    public void Without_a_fault_the_seams_change_nothing()
    {
        var (driver, _, diagnostics) = GeneratorHarness.Run(Mini("no-fault.yaml"));
        Assert.Empty(diagnostics);
        Assert.NotEmpty(driver.GetRunResult().Results.Single().GeneratedSources);
    }

    [Theory]
    [InlineData(10, 5, 10, 1, 50, 40)]   // end column before start column on one line; End < Start
    [InlineData(3, 1, 2, 7, 20, 10)]     // end line before start line
    [InlineData(0, 0, 0, 0, -4, -9)]     // nonsense everywhere
    public void A_backwards_or_negative_span_is_clamped_not_thrown(int line, int column, int endLine, int endColumn, int start, int end)
    {
        var location = DiagnosticFactory.LocationOf(new SourceLocation("spec/x.yaml", line, column, endLine, endColumn, start, end));
        var span = location.GetLineSpan();
        Assert.True(span.EndLinePosition >= span.StartLinePosition);
        Assert.True(location.SourceSpan.Length >= 0 && location.SourceSpan.Start >= 0);
        var diagnostic = DiagnosticFactory.Create(new SpecDiagnostic(DiagnosticRule.MalformedYaml, 
            new SourceLocation("spec/x.yaml", line, column, endLine, endColumn, start, end), "m"));
        Assert.Equal("VMX0001", diagnostic.Id);
    }

    [Fact]
    public void A_diagnostic_without_a_path_has_no_location()
    {
        Assert.Equal(Location.None, DiagnosticFactory.LocationOf(SourceLocation.FileStart("")));
    }

    private static ImmutableArray<Diagnostic> RunWithoutSpec(string? required)
    {
        var options = new Options(required is null ? new Dictionary<string, string>() : new() { [SpecGenerator.SpecRequiredProperty] = required });
        var driver = CSharpGeneratorDriver.Create(new[] { new SpecGenerator().AsSourceGenerator() }, ImmutableArray<AdditionalText>.Empty,
            GeneratorHarness.ParseOptions, options);
        driver.RunGeneratorsAndUpdateCompilation(CSharpCompilation.Create("Unrelated"), out _, out var diagnostics);
        return diagnostics;
    }

    [Fact]
    public void A_project_that_requires_the_spec_but_has_none_gets_VMX0020()
    {
        var error = Assert.Single(RunWithoutSpec("true"));
        Assert.Equal("VMX0020", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains("no spec files: add spec/**/*.yaml as AdditionalFiles", error.GetMessage());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    [InlineData("")]
    public void An_unrelated_project_without_spec_files_stays_quiet(string? required) => Assert.Empty(RunWithoutSpec(required));

    [Fact]
    public void The_runtime_project_requires_the_spec()
    {
        var project = File.ReadAllText(Path.Combine(GeneratorHarness.RepoRoot, "runtime", "Vmx.Runtime", "Vmx.Runtime.csproj"));
        Assert.Contains("<VmxSpecRequired>true</VmxSpecRequired>", project);
        Assert.Contains("<CompilerVisibleProperty Include=\"VmxSpecRequired\" />", project);
    }

    [Fact]
    public void Every_generator_only_rule_is_tested_here()
    {
        // VMX0130 (an overlay entry without C# beside Vmx.Runtime): OverlayEmissionTests.
        Assert.Equal(new[] { "VMX0019", "VMX0020", "VMX0130" }, DiagnosticRule.GeneratorOnly.Select(r => r.Id));
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Set(values);
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Set(new());
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Set(new());

        private sealed class Set(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                var found = values.TryGetValue(key, out var v);
                value = v ?? "";
                return found;
            }
        }
    }
}

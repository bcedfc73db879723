using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Vmx.Generator.Tests;

public class GeneratorDiagnosticTests
{
    private static ImmutableArray<AdditionalText> MiniWith(string find, string replace)
    {
        var path = Path.Combine(GeneratorHarness.FixtureDirectory, "mini.yaml");
        var text = File.ReadAllText(path);
        Assert.Contains(find, text);
        return ImmutableArray.Create<AdditionalText>(new InMemoryText(path, text.Replace(find, replace)));
    }

    [Fact]
    public void A_spec_error_becomes_a_located_compiler_error_and_no_code_is_generated()
    {
        // 0x0C00 is a 16-bit *host*-state encoding: the group says guest-state.
        var (driver, _, diagnostics) = GeneratorHarness.Run(MiniWith("encoding: 0x0800", "encoding: 0x0C00"));

        var error = Assert.Single(diagnostics);
        Assert.Equal("VMX0008", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        var span = error.Location.GetLineSpan();
        Assert.EndsWith("mini.yaml", span.Path);
        Assert.Equal(8, span.StartLinePosition.Line);        // 0-based: line 9, where the field's mapping starts
        Assert.Equal(8, span.StartLinePosition.Character);
        Assert.Empty(driver.GetRunResult().Results.Single().GeneratedSources);
    }

    [Fact]
    public void Malformed_yaml_is_a_diagnostic_not_an_exception()
    {
        var (driver, _, diagnostics) = GeneratorHarness.Run(MiniWith("fields:\n      - id: guest_es_selector", "fields:\n    \t- id: [guest_es_selector"));

        Assert.Contains(diagnostics, d => d.Id == "VMX0001");
        Assert.Null(driver.GetRunResult().Results.Single().Exception);
    }

    [Fact]
    public void A_valid_spec_reports_nothing()
    {
        var (_, _, diagnostics) = GeneratorHarness.Run(MiniWith("encoding: 0x0800", "encoding: 0x0800"));
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void Yaml_outside_a_spec_folder_is_ignored()
    {
        var other = ImmutableArray.Create<AdditionalText>(new InMemoryText(Path.Combine(Path.GetTempPath(), "config", "x.yaml"), "not: [valid"));
        var (driver, _, diagnostics) = GeneratorHarness.Run(other);
        Assert.Empty(diagnostics);
        Assert.Empty(driver.GetRunResult().Results.Single().GeneratedSources);
    }
}

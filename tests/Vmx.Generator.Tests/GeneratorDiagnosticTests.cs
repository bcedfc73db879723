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
    public void The_compiler_error_carries_the_descriptor_and_its_formatted_message()
    {
        var (_, _, diagnostics) = GeneratorHarness.Run(MiniWith("encoding: 0x0800", "encoding: 0x0C00"));

        var error = Assert.Single(diagnostics);
        Assert.Equal("VmxSpec.Encoding", error.Descriptor.Category);
        Assert.Equal("encoding {0} of '{1}' says {2} (bits {3} = {4}) but its group '{5}' is {6}", error.Descriptor.MessageFormat.ToString());
        Assert.Equal("https://github.com/vmxgen/vmxgen/blob/main/spec/reference/diagnostics.md#vmx0008", error.Descriptor.HelpLinkUri);
        Assert.Equal("encoding 0x0C00 of 'guest_es_selector' says host-state (bits 11:10 = 3) but its group '16-bit guest-state fields' is guest-state",
            error.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static TheoryData<string> RuleIds => new(Vmx.Spec.Lint.DiagnosticRule.All.Select(r => r.Id));

    // Each spec rule maps to one cached Roslyn descriptor with the same id, title, format, category, severity and link.
    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Each_rule_maps_to_a_roslyn_descriptor_saying_the_same(string id)
    {
        var rule = Vmx.Spec.Lint.DiagnosticRule.All.Single(r => r.Id == id);
        var descriptor = DiagnosticFactory.DescriptorOf(rule);
        Assert.Same(descriptor, DiagnosticFactory.DescriptorOf(rule));
        Assert.Equal((rule.Id, rule.Title, rule.MessageFormat, rule.Category, rule.HelpLink, rule.Description),
            (descriptor.Id, descriptor.Title.ToString(), descriptor.MessageFormat.ToString(), descriptor.Category, descriptor.HelpLinkUri,
                descriptor.Description.ToString()));
        // VMX0130 is the one warning (generated code incomplete, not wrong).
        Assert.Equal(id == "VMX0130" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, descriptor.DefaultSeverity);
        Assert.True(descriptor.IsEnabledByDefault);
    }

    [Fact]
    public void A_warning_rule_becomes_a_compiler_warning()
    {
        var rule = new Vmx.Spec.Lint.DiagnosticRule("VMX0049", "Test warning", "warned about '{0}'", "VmxSpec.Syntax", "A test rule.",
            Vmx.Spec.Lint.DiagnosticLevel.Warning);
        var diagnostic = DiagnosticFactory.Create(new Vmx.Spec.Lint.SpecDiagnostic(rule, Vmx.Spec.SourceLocation.FileStart("spec/x.yaml"), "it"));
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("warned about 'it'", diagnostic.GetMessage());
        Assert.Equal("spec/x.yaml(1,1): warning VMX0049: warned about 'it'",
            new Vmx.Spec.Lint.SpecDiagnostic(rule, Vmx.Spec.SourceLocation.FileStart("spec/x.yaml"), "it").ToString());
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

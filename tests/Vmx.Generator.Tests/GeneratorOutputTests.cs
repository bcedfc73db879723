using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Vmx.Generator.Tests;

public class GeneratorOutputTests
{
    [Fact]
    public void Full_spec_generates_csharp_that_compiles_without_errors_or_warnings()
    {
        var (driver, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.SpecFiles(Path.Combine(GeneratorHarness.RepoRoot, "spec")));

        Assert.Empty(diagnostics);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Contains(result.GeneratedSources, s => s.HintName == "VmcsFields.g.cs");
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
    }

    [Fact]
    public void Read_only_fields_have_no_setter_and_each_field_has_its_widths_type()
    {
        var (_, output, _) = GeneratorHarness.Run(GeneratorHarness.SpecFiles(GeneratorHarness.FixtureDirectory));
        var vmcs = output.GetTypeByMetadataName("Vmx.Vmcs`1")!;
        IPropertySymbol Property(string name) => vmcs.GetMembers(name).OfType<IPropertySymbol>().Single();

        Assert.Null(Property("ExitReason").SetMethod);                      // exit-information: read-only
        Assert.Empty(vmcs.GetMembers("TryWriteExitReason"));
        Assert.NotNull(Property("GuestEsSelector").SetMethod);
        Assert.Equal(SpecialType.System_UInt16, Property("GuestEsSelector").Type.SpecialType);  // 16-bit field
        Assert.Equal(SpecialType.System_UInt64, Property("EptPointer").Type.SpecialType);       // 64-bit field
        Assert.Equal(SpecialType.System_UInt32, Property("ExitReason").Type.SpecialType);       // 32-bit field
        Assert.Equal("Proc2Controls", Property("SecondaryProcessorBasedVmExecutionControls").Type.Name); // typed controls
    }

    [Theory]
    [InlineData("VmcsFields.g.cs")]
    [InlineData("Controls.g.cs")]
    [InlineData("Layouts.g.cs")]
    [InlineData("Enums.g.cs")]
    [InlineData("Msrs.g.cs")]
    [InlineData("MsrBitmap.g.cs")]
    [InlineData("ExitReasons.g.cs")]
    [InlineData("VmInstructionErrors.g.cs")]
    [InlineData("Cpuid.g.cs")]
    public void Generated_csharp_matches_the_reviewed_baseline(string hintName)
    {
        var (driver, _, _) = GeneratorHarness.Run(GeneratorHarness.SpecFiles(GeneratorHarness.FixtureDirectory));
        var source = driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == hintName);
        Baseline.AssertMatches("mini." + hintName, source.SourceText.ToString());
    }
}

using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Vmx.Generator.Tests;

/// <summary>An MSR the MSR bitmap cannot control is an error at compile time in C#: the generator gives
/// <c>BitmapMsr</c> a member only for the spec's MSRs inside the bitmap's ranges, and no <c>MsrBitmap</c> method takes an
/// address or an <c>Msr</c>. The spec gets two MSRs just outside the ranges (2000H, C0002000H) and one at each
/// range's last address.</summary>
public class MsrBitmapCompileTests
{
    private const string ExtraMsrs = """
          - id: test_low_last
            name: TEST_LOW_LAST
            address: 0x1FFF
            title: Last MSR of the low range
          - id: test_low_outside
            name: TEST_LOW_OUTSIDE
            address: 0x2000
            title: First MSR above the low range
          - id: test_high_last
            name: TEST_HIGH_LAST
            address: 0xC0001FFF
            title: Last MSR of the high range
          - id: test_high_outside
            name: TEST_HIGH_OUTSIDE
            address: 0xC0002000
            title: First MSR above the high range
        """;

    private static ImmutableArray<Diagnostic> Compile(string user)
    {
        var files = GeneratorHarness.SpecFiles(Path.Combine(GeneratorHarness.RepoRoot, "spec"))
            .Select(f => (AdditionalText)new InMemoryText(f.Path, Path.GetFileName(f.Path) == "msrs.yaml"
                ? f.GetText()!.ToString().Replace("\nmsrs:\n", "\nmsrs:\n" + ExtraMsrs.Replace("\r\n", "\n") + "\n")
                : f.GetText()!.ToString()))
            .ToImmutableArray();
        var compilation = GeneratorHarness.RuntimeCompilation()
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(
                // The MSRs outside the ranges are in the spec (enum Msr has them): only BitmapMsr lacks them.
                "namespace User; public static class Code { public static readonly Vmx.Msr[] Outside = { Vmx.Msr.TestLowOutside, Vmx.Msr.TestHighOutside }; " + user + " }",
                GeneratorHarness.ParseOptions));
        var (driver, output, diagnostics) = GeneratorHarness.Run(files, compilation);
        Assert.Empty(diagnostics);
        Assert.Contains(driver.GetRunResult().Results.Single().GeneratedSources, s => s.HintName == "MsrBitmap.g.cs");
        return output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
    }

    [Fact]
    public void An_msr_inside_the_ranges_is_named_by_its_member()
    {
        var errors = Compile("""
            public static void M(Vmx.MsrBitmap b)
            {
                b.Intercept(Vmx.BitmapMsr.TestLowLast, Vmx.MsrBitmapAccess.Read);
                b.PassThrough(Vmx.BitmapMsr.TestHighLast);
                b.Intercept(Vmx.BitmapMsr.Ia32VmxBasic, Vmx.MsrBitmapAccess.Write);
            }
            """);
        Assert.True(errors.IsEmpty, string.Join("\n", errors));
    }

    [Theory]
    [InlineData("b.Intercept(Vmx.BitmapMsr.TestLowOutside);", "CS0117")]     // no member for 2000H
    [InlineData("b.Intercept(Vmx.BitmapMsr.TestHighOutside);", "CS0117")]    // nor for C0002000H
    [InlineData("b.Intercept(Vmx.Msr.TestLowOutside);", "CS1503")]           // an Msr is not a BitmapMsr
    [InlineData("b.Intercept(0x2000u);", "CS1503")]                          // nor is an address
    [InlineData("b.Intercept(new Vmx.BitmapMsr(0x2000));", "CS0122")]        // and it has no public constructor to make one
    public void An_msr_outside_the_ranges_does_not_compile(string statement, string error)
    {
        var errors = Compile("public static void M(Vmx.MsrBitmap b) { " + statement + " }");
        Assert.True(errors.Length > 0 && errors.All(d => d.Id == error), string.Join("\n", errors));
    }
}

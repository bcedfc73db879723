using System.IO;
using System.Linq;
using Vmx.Spec.Emit;
using Vmx.Spec.Lint;
using Vmx.Spec.Loading;
using Xunit;

namespace Vmx.Generator.Tests;

/// <summary>The C side of the same emitter: reviewed baselines of the headers made from the mini spec.</summary>
public class CHeaderBaselineTests
{
    [Theory]
    [InlineData("vmcs_fields.h")]
    [InlineData("vmx_controls.h")]
    [InlineData("vmx_layouts.h")]
    [InlineData("vmx_enums.h")]
    [InlineData("vmx_msrs.h")]
    [InlineData("vmx_msr_bitmap.h")]
    [InlineData("vmx_exits.h")]
    [InlineData("vmx_errors.h")]
    [InlineData("vmx_cpuid.h")]
    public void Generated_header_matches_the_reviewed_baseline(string header)
    {
        var path = Path.Combine(GeneratorHarness.FixtureDirectory, "mini.yaml");
        var result = SpecLinker.Link(new[] { SpecFileParser.Parse("mini.yaml", File.ReadAllText(path)) });
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));

        var file = Emitter.Emit(result.Model, OutputKind.C).Single(f => f.Path == header);
        Baseline.AssertMatches("mini." + header, file.Content);
    }
}

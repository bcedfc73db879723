using System.Linq;
using Vmx.Spec.Checks;
using Xunit;

namespace Vmx.Spec.Tests;

/// <summary>The check language beyond one rule per case (those are in RuleCases): precedence, 'each' expansion and
/// positions inside expanded and quoted texts.</summary>
public class CheckLanguageTests
{
    private static string WithCheck(string check) => BaseYaml.Checks.Replace(
        BaseYaml.Checks.Substring(BaseYaml.Checks.IndexOf("      - id: guest_cr0_pg_needs_pe", System.StringComparison.Ordinal)), check);

    [Fact]
    public void Bitwise_operators_bind_tighter_than_comparisons()
    {
        var syntax = CheckParser.Parse("x & 7 == 0", null);
        var comparison = Assert.IsType<BinarySyntax>(syntax);
        Assert.Equal("==", comparison.Operator);
        Assert.Equal("&", Assert.IsType<BinarySyntax>(comparison.Left).Operator);
    }

    [Fact]
    public void Each_expands_to_one_check_per_register_with_prose_in_upper_case()
    {
        var result = TestSpec.Load(WithCheck("""
      - id: guest_$_low
        each: [cr0, cr3]
        title: Guest $ bits 63:32 are 0
        inputs: [guest_$]
        require: guest_$ >> 32 == 0
        message: "guest $ is {guest_$}"
        pass: [{guest_$: 1}]
        fail: [{guest_$: 0x1_0000_0000}]

"""));
        Assert.False(result.HasErrors, TestSpec.Describe(result));
        var checks = CheckCompiler.Compile(result.Model);
        Assert.Equal(new[] { "guest_cr0_low", "guest_cr3_low" }, checks.Select(c => c.Id));
        Assert.Equal("Guest CR3 bits 63:32 are 0", checks[1].Title);
        Assert.Equal("guest CR3 is ", checks[1].Message[0].Text);
        Assert.Equal("guest_cr3", Assert.IsType<BoundRead>(checks[1].Message[1].Value).Input.Id);
    }

    [Fact]
    public void An_error_after_a_dollar_is_located_in_the_text_as_written()
    {
        // "        require: " is 17 characters: the text starts at column 18, 'guest_$.pgg' at 18, so an error there is
        // at 18 whichever register '$' stands for, and reported once per register.
        var result = TestSpec.Load(WithCheck("""
      - id: guest_$_low
        each: [cr0, cr3]
        title: Guest $ bits
        inputs: [guest_$]
        require: guest_$.pgg
        message: "guest $ is {guest_$}"
        pass: [{guest_$: 1}]
        fail: [{guest_$: 2}]

"""));
        var errors = result.Diagnostics.Where(d => d.Id == "VMX0111").ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal((37, 18), (e.Location.Line, e.Location.Column)));
        Assert.Contains("'guest_cr3' declares no layout", errors[1].Message);
    }

    [Fact]
    public void A_quoted_message_is_located_after_its_quote()
    {
        var result = TestSpec.Load(BaseYaml.Checks.Replace("message: \"guest CR0 {guest_cr0} sets PG without PE\"",
            "message: \"guest CR0 {guest_cr4} sets PG without PE\""));
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("VMX0111", error.Id);
        // '        message: "' is 18 characters; '{' at column 29, the name after it at 30.
        Assert.Equal((38, 30), (error.Location.Line, error.Location.Column));
    }
}

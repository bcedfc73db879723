using System.IO;
using System.Linq;
using Vmx.Spec.Lint;
using Xunit;

namespace Vmx.Cli.Tests;

public class CheckTests
{
    [Fact]
    public void Real_spec_is_ok()
    {
        var run = Cli.Invoke(Cli.RepoRoot, "check");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("spec OK: 206 VMCS fields", run.Out);
        Assert.Equal("", run.Err);
    }

    [Fact]
    public void Finds_spec_by_walking_up_from_a_subdirectory()
    {
        var run = Cli.Invoke(Path.Combine(Cli.RepoRoot, "generator"), "check");
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public void Spec_directory_by_option_or_argument()
    {
        using var temp = new TempDir().CopySpec();
        var empty = new TempDir();
        using (empty)
        {
            Assert.Equal(0, Cli.Invoke(empty.Path, "check", "--spec", temp.Spec).ExitCode);
            Assert.Equal(0, Cli.Invoke(empty.Path, "check", temp.Spec).ExitCode);
            Assert.Equal(0, Cli.Invoke(temp.Path, "check", "spec").ExitCode);
        }
    }

    [Fact]
    public void Injected_encoding_error_is_located()
    {
        using var temp = new TempDir().CopySpec();
        // Guest RIP is 0x681E (SDM Appendix B); 0x681F is its encoding with the access bit set.
        var file = Path.Combine("vmcs", "guest-state.yaml");
        var entry = temp.Edit(file, "- id: guest_rip", "- id: guest_rip");
        temp.Edit(file, "encoding: 0x681E", "encoding: 0x681F");

        var run = Cli.Invoke(temp.Path, "check");

        Assert.True(run.ExitCode == 1, run.ToString());
        var expected = $"{Path.Combine("spec", file)}({entry.Line},{entry.Column + 2}): error VMX0010: encoding 0x681F of 'guest_rip' has the access bit 0 set";
        Assert.Contains(expected, run.Err);
        Assert.Contains("1 error(s)", run.Err);
        Assert.DoesNotContain("spec OK", run.Out);
    }

    // The naming contract (VMX0060) on the real spec: names that used to pass the lint and then break the generated
    // C or C#, each reported at the entry that clashes, naming what it clashes with. columnOffset: from the first
    // character of the edited text to the reported node (an entry's first key, a value).
    [Theory]
    [InlineData("layouts/registers.yaml", "      - id: mp\n", "      - id: reserved\n", 2, "layout field 'reserved' would generate C name 'VMX_CR0_RESERVED_MASK' (its mask macro) in the C headers, already generated for layout 'cr0'")]
    [InlineData("vmcs/guest-state.yaml", "      - id: guest_rip\n", "      - id: field_count\n", 2, "VMCS field 'field_count' would generate C name 'VMCS_FIELD_COUNT' (its encoding macro) in the C headers, which is a name the generator itself defines")]
    [InlineData("vmcs/guest-state.yaml", "      - id: guest_rip\n", "      - id: guest_es__selector\n", 2, "VMCS field 'guest_es__selector' would generate C# name 'GuestEsSelector' (its enum member) in enum VmcsField, already generated for VMCS field 'guest_es_selector'")]
    [InlineData("layouts/registers.yaml", "      - id: mp\n", "      - id: value\n", 2, "layout field 'value' would generate C# name 'Value' (its property) in struct Cr0, which is a name the generator itself defines")]
    [InlineData("msrs/msrs.yaml", "    name: IA32_FEATURE_CONTROL", "    name: IA32-FEATURE-CONTROL", 6, "error VMX0061: 'IA32-FEATURE-CONTROL' is not a valid MSR name")]
    public void A_name_that_would_break_the_generated_code_is_located(string file, string find, string replace, int columnOffset, string message)
    {
        using var temp = new TempDir().CopySpec();
        var at = temp.Edit(file.Replace('/', Path.DirectorySeparatorChar), find, replace);

        var run = Cli.Invoke(temp.Path, "check");

        Assert.Equal(1, run.ExitCode);
        var located = $"{Path.Combine("spec", file.Replace('/', Path.DirectorySeparatorChar))}({at.Line},{at.Column + columnOffset}): error VMX00";
        Assert.Contains(located, run.Err);
        Assert.Contains(message, run.Err);
    }

    [Fact]
    public void Injected_typo_is_located_with_a_suggestion()
    {
        using var temp = new TempDir().CopySpec();
        var file = Path.Combine("exits", "exit-reasons.yaml");
        var at = temp.Edit(file, "    title: Triple fault", "    titel: Triple fault");

        var run = Cli.Invoke(temp.Path, "check", "--spec", "spec");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{Path.Combine("spec", file)}({at.Line},{at.Column}): error VMX0002: unknown key 'titel' in an exit reason; did you mean 'title'?", run.Err);
        Assert.Contains($"{Path.Combine("spec", file)}({at.Line - 2},{at.Column}): error VMX0003: an exit reason is missing required key 'title'", run.Err);
    }

    [Fact]
    public void Malformed_yaml_is_located()
    {
        using var temp = new TempDir().CopySpec();
        var file = Path.Combine("errors", "instruction-errors.yaml");
        temp.Edit(file, "sdm-revision: \"325462-086US\"", "sdm-revision: \"325462-086US");
        var run = Cli.Invoke(temp.Path, "check");
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"spec[/\\]errors[/\\]instruction-errors\.yaml\(\d+,\d+\): error VMX0001: malformed YAML", run.Err);
    }

    [Fact]
    public void List_prints_every_rule()
    {
        using var empty = new TempDir();
        var run = Cli.Invoke(empty.Path, "check", "--list");
        Assert.Equal(0, run.ExitCode);
        foreach (var rule in DiagnosticRule.All.Concat(ToolDiagnostics.All))
            Assert.Contains($"{rule.Id}  {rule.SeverityWord,-7}  {rule.Category,-19}  {rule.Title}\n", run.Out);
        Assert.Contains("VMX0004  error    VmxSpec.Syntax       Wrong value type\n", run.Out);
        Assert.Contains("VMX9008  warning  VmxTool              Impossible capability value\n", run.Out);
        Assert.Contains("VMX0040  error    VmxSpec.Syntax       Keys that exclude each other\n", run.Out);
        for (var i = 1; i <= 22; i++) Assert.Contains($"VMX{i:D4}", run.Out);
        // The tool's own diagnostics, VMX9001 (I/O) to VMX9009 (exit-reason warnings), follow the lint rules.
        for (var i = 1; i <= ToolDiagnostics.All.Count; i++) Assert.Contains($"VMX{9000 + i:D4}  ", run.Out);
        Assert.Equal(DiagnosticRule.All.Count + ToolDiagnostics.All.Count, run.Out.TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public void Broken_spec_says_how_many_errors_not_that_nothing_was_generated()
    {
        using var temp = new TempDir().CopySpec();
        temp.Edit(Path.Combine("vmcs", "guest-state.yaml"), "encoding: 0x681E", "encoding: 0x681F");
        foreach (var args in new[] { new[] { "check" }, new[] { "decode", "0x681E" }, new[] { "explain", "guest_rip" }, new[] { "export", "--format", "json" } })
        {
            var run = Cli.Invoke(temp.Path, args);
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains("vmxgen: the spec has 1 error(s)", run.Err);
            Assert.DoesNotContain("nothing was generated", run.Err);
            Assert.Equal("", run.Out);
        }
    }

    [Fact]
    public void Missing_spec_directory_is_an_error()
    {
        using var empty = new TempDir();
        var run = Cli.Invoke(empty.Path, "check", "--spec", "nowhere");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error VMX9002: spec directory not found", run.Err);
    }
}

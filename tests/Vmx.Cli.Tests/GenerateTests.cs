using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Vmx.Cli.Tests;

public class GenerateTests
{
    [Theory]
    [InlineData("c", "vmcs_fields.h", "vmx_controls.h")]
    [InlineData("docs", "vmcs-fields.md", "vmx-controls.md")]
    public void Writes_files_then_reports_them_unchanged(string what, string first, string second)
    {
        using var temp = new TempDir();
        var outDir = temp.Combine("out");

        var run = Cli.Invoke(Cli.RepoRoot, "generate", what, "--out", outDir);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(Path.Combine(outDir, first)));
        Assert.True(File.Exists(Path.Combine(outDir, second)));
        Assert.Contains("wrote     " + Path.Combine(outDir, first), run.Out);
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(outDir, first));

        var again = Cli.Invoke(Cli.RepoRoot, "generate", what, "--out", outDir);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("unchanged " + Path.Combine(outDir, first), again.Out);
        Assert.Contains("unchanged " + Path.Combine(outDir, second), again.Out);
        Assert.DoesNotContain("wrote", again.Out);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(outDir, first)));
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp-*"));
    }

    [Fact]
    public void C_header_holds_sdm_encodings()
    {
        using var temp = new TempDir();
        Assert.Equal(0, Cli.Invoke(temp.Path, "generate", "c", "--spec", Cli.SpecDirectory, "--out", "gen").ExitCode);
        var header = File.ReadAllText(temp.Combine("gen", "vmcs_fields.h"));
        Assert.Equal(0x681EUL, Value(header, "VMCS_GUEST_RIP"));
        Assert.Equal(0x0800UL, Value(header, "VMCS_GUEST_ES_SELECTOR"));
        Assert.Equal(0x2401UL, Value(header, "VMCS_GUEST_PHYSICAL_ADDRESS_HIGH"));
    }

    [Fact]
    public void Rewrites_only_a_file_whose_content_changed()
    {
        using var temp = new TempDir().CopySpec();
        var outDir = temp.Combine("out");
        Assert.Equal(0, Cli.Invoke(temp.Path, "generate", "c", "--out", outDir).ExitCode);
        File.WriteAllText(Path.Combine(outDir, "vmcs_fields.h"), "stale");

        var run = Cli.Invoke(temp.Path, "generate", "c", "--out", outDir);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("wrote     " + Path.Combine(outDir, "vmcs_fields.h"), run.Out);
        Assert.Contains("unchanged " + Path.Combine(outDir, "vmx_controls.h"), run.Out);
        Assert.NotEqual("stale", File.ReadAllText(Path.Combine(outDir, "vmcs_fields.h")));
    }

    [Theory]
    [InlineData("c")]
    [InlineData("docs")]
    public void Broken_spec_writes_nothing(string what)
    {
        using var temp = new TempDir().CopySpec();
        var outDir = temp.Combine("out");
        Assert.Equal(0, Cli.Invoke(temp.Path, "generate", what, "--out", outDir).ExitCode);
        var before = Directory.GetFiles(outDir).ToDictionary(f => f, File.ReadAllText);
        temp.Edit(Path.Combine("vmcs", "guest-state.yaml"), "encoding: 0x681E", "encoding: 0x681F");
        // A change that would alter the output, were anything written.
        temp.Edit(Path.Combine("vmcs", "guest-state.yaml"), "title: Guest RIP", "title: Guest RIP changed");

        var run = Cli.Invoke(temp.Path, "generate", what, "--out", outDir);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error VMX0010", run.Err);
        Assert.Contains("the spec has 1 error(s); nothing was generated", run.Err);
        Assert.Equal("", run.Out);
        Assert.Equal(before, Directory.GetFiles(outDir).ToDictionary(f => f, File.ReadAllText));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Broken_spec_does_not_create_the_output_directory()
    {
        using var temp = new TempDir().CopySpec();
        temp.Edit(Path.Combine("vmcs", "control.yaml"), "index: 0", "index: 1");
        var run = Cli.Invoke(temp.Path, "generate", "c", "--out", "fresh");
        Assert.Equal(1, run.ExitCode);
        Assert.False(Directory.Exists(temp.Combine("fresh")));
    }

    [Theory]
    [InlineData("c")]
    [InlineData("docs")]
    public void Spec_option_without_out_is_a_usage_error_and_writes_nothing(string what)
    {
        using var temp = new TempDir().CopySpec();
        var run = Cli.Invoke(temp.Path, "generate", what, "--spec", "spec");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"generate {what} --spec DIR needs --out DIR", run.Err);
        Assert.Equal(new[] { temp.Spec }, Directory.GetDirectories(temp.Path));
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Usage_text_says_spec_needs_out()
    {
        Assert.Contains("--spec needs --out", Cli.Invoke(Cli.RepoRoot, "help").Out);
    }

    [Fact]
    public void Out_that_is_a_file_is_a_located_error()
    {
        using var temp = new TempDir();
        var file = temp.Combine("taken");
        File.WriteAllText(file, "mine");
        var run = Cli.Invoke(Cli.RepoRoot, "generate", "c", "--out", file);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{file}: error VMX9001: cannot write the output: --out {file} is a file, not a directory; nothing was generated", run.Err);
        Assert.DoesNotContain("already exists", run.Err);
        Assert.Equal("mine", File.ReadAllText(file));
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Out_dev_null_is_a_located_error()
    {
        if (!File.Exists("/dev/null")) return; // Unix only
        var run = Cli.Invoke(Cli.RepoRoot, "generate", "c", "--out", "/dev/null");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/dev/null: error VMX9001: cannot write the output: --out /dev/null is a file, not a directory", run.Err);
    }

    [Fact]
    public void Out_that_cannot_be_created_is_a_located_error()
    {
        if (!Directory.Exists("/proc/self")) return; // Linux only: procfs refuses new directories
        var run = Cli.Invoke(Cli.RepoRoot, "generate", "c", "--out", "/proc/vmxgen-test");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/proc/vmxgen-test: error VMX9001: cannot create the output directory: ", run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Output_file_name_taken_by_a_directory_writes_nothing()
    {
        using var temp = new TempDir();
        var outDir = temp.Combine("out");
        Directory.CreateDirectory(Path.Combine(outDir, "vmx_exits.h"));
        var run = Cli.Invoke(Cli.RepoRoot, "generate", "c", "--out", outDir);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(Path.Combine(outDir, "vmx_exits.h") + ": error VMX9001: cannot write the file: a directory of that name is in the way", run.Err);
        Assert.Empty(Directory.GetFiles(outDir));
    }

    private static ulong Value(string header, string name)
    {
        var m = Regex.Match(header, @"^#define\s+" + name + @"\s+0x([0-9A-Fa-f]+)", RegexOptions.Multiline);
        Assert.True(m.Success, name + " is not defined");
        return ulong.Parse(m.Groups[1].Value, System.Globalization.NumberStyles.HexNumber);
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Vmx.Cli.Tests;

/// <summary>Every VMX9xxx diagnostic of the tool: one input that raises it and the corrected input that does not.</summary>
public class ToolDiagnosticTests
{
    private static string Fixture(string model) => Path.Combine(Cli.RepoRoot, "tests", "fixtures", "caps", model + ".json");

    /// <summary>A Skylake-X dump (IA32_VMX_BASIC 0x00d810000000002b) with MSR <paramref name="address"/> set to <paramref name="value"/>.</summary>
    internal static string SkylakeWith(TempDir dir, string address, string value)
    {
        var text = File.ReadAllText(Fixture("corei7_skylake_x"));
        var at = text.IndexOf($"\"{address}\": \"", StringComparison.Ordinal);
        Assert.True(at >= 0, address);
        var start = at + address.Length + 5;
        var end = text.IndexOf('"', start);
        var path = dir.Combine($"skylake-{address}-{value}.json");
        File.WriteAllText(path, text.Substring(0, start) + value + text.Substring(end));
        return path;
    }

    private sealed record Case(string Kind, Func<TempDir, string[]> Failing, int FailingExit, Func<TempDir, string[]> Passing);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // A spec file that is a dangling symbolic link cannot be read.
        ["VMX9001"] = new("error", d =>
        {
            d.CopySpec();
            File.CreateSymbolicLink(Path.Combine(d.Spec, "gone.yaml"), Path.Combine(d.Path, "nowhere.yaml"));
            return new[] { "check", "--spec", d.Spec };
        }, 1, d => new[] { "check", "--spec", d.CopySpec().Spec }),
        ["VMX9002"] = new("error", d => new[] { "check", "--spec", d.Path }, 1, d => new[] { "check", "--spec", d.CopySpec().Spec }),
        ["VMX9003"] = new("error", d => new[] { "caps", d.Path }, 1, _ => new[] { "caps", Fixture("corei7_skylake_x") }),
        ["VMX9004"] = new("error", d =>
        {
            File.WriteAllText(d.Combine("bad.json"), "{\"msrs\": [");
            return new[] { "caps", d.Combine("bad.json") };
        }, 1, _ => new[] { "caps", Fixture("tigerlake") }),
        ["VMX9005"] = new("error", d => new[] { "caps", SkylakeWith(d, "0x480", "gp") }, 1, _ => new[] { "caps", Fixture("corei5_lynnfield_750") }),
        // SDM "VMX Basic Exit Reasons": 35 is not used; 36 is MWAIT.
        ["VMX9006"] = new("error", _ => new[] { "exit", "35" }, 1, _ => new[] { "exit", "36" }),
        ["VMX9007"] = new("error", _ => new[] { "explain", "guest_rip_pointer", "--spec", Cli.SpecDirectory }, 1,
            _ => new[] { "explain", "guest_rip", "--spec", Cli.SpecDirectory }),
        // Region size 0 (bits 44:32) is impossible; 4096 is what Skylake reports.
        ["VMX9008"] = new("warning", d => new[] { "caps", SkylakeWith(d, "0x480", "0x00d800000000002b") }, 0,
            d => new[] { "caps", SkylakeWith(d, "0x480", "0x00d810000000002b") }),
        // Bit 16 of the exit-reason field is reserved; 0x1c is CR access.
        ["VMX9009"] = new("warning", _ => new[] { "exit", "0x1001c" }, 0, _ => new[] { "exit", "0x1c" }),
        ["VMX9010"] = new("error", d =>
        {
            File.WriteAllText(d.Combine("kvm.log"), "*** Guest State ***\nRSP = 0x0000000000000000  RIP = 0xzz\n");
            return new[] { "why", d.Combine("kvm.log") };
        }, 2, _ => new[] { "why", Path.Combine(Cli.RepoRoot, "tests", "fixtures", "kvm", "baseline-6x.log") }),
        ["VMX9011"] = new("error", _ => new[] { "why", Path.Combine(Cli.RepoRoot, "tests", "fixtures", "kvm", "baseline-6x.log"), "--cpu", "maxphyaddr=lots" }, 2,
            _ => new[] { "why", Path.Combine(Cli.RepoRoot, "tests", "fixtures", "kvm", "baseline-6x.log"), "--cpu", "maxphyaddr=46" }),
    };

    public static IEnumerable<object[]> Ids => ToolDiagnostics.All.Select(r => new object[] { r.Id });

    [Fact]
    public void Every_tool_diagnostic_has_a_case()
    {
        Assert.Equal(ToolDiagnostics.All.Select(r => r.Id).OrderBy(i => i), Cases.Keys.OrderBy(i => i));
        Assert.Equal(ToolDiagnostics.All.Count, ToolDiagnostics.All.Select(r => r.Id).Distinct().Count());
        Assert.All(ToolDiagnostics.All, r => Assert.Matches(@"^VMX9\d{3}$", r.Id));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Failing_input_reports_the_diagnostic(string id)
    {
        using var dir = new TempDir();
        var c = Cases[id];
        var run = Cli.Invoke(dir.Path, c.Failing(dir));
        Assert.True(run.ExitCode == c.FailingExit, run.ToString());
        Assert.Contains($"{c.Kind} {id}: ", run.Err);
        // The descriptor states the same severity the output shows, the tool's category and the message's fixed text.
        var rule = ToolDiagnostics.All.Single(r => r.Id == id);
        Assert.Equal(c.Kind, rule.SeverityWord);
        Assert.Equal("VmxTool", rule.Category);
        Assert.Equal($"https://github.com/vmxgen/vmxgen/blob/main/spec/reference/diagnostics.md#{id.ToLowerInvariant()}", rule.HelpLink);
        var fixedText = rule.MessageFormat.Substring(0, rule.MessageFormat.IndexOf('{'));
        Assert.Contains($"{c.Kind} {id}: {fixedText}", run.Err);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Passing_input_does_not(string id)
    {
        using var dir = new TempDir();
        var run = Cli.Invoke(dir.Path, Cases[id].Passing(dir));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain(id, run.Err);
        Assert.Equal("", run.Err);
    }
}

public class SpecDirectoryTests
{
    [Fact]
    public void Empty_directory_is_an_error_and_writes_nothing()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("empty"));

        var check = Cli.Invoke(dir.Path, "check", "--spec", "empty");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains(dir.Combine("empty") + ": error VMX9002: spec directory holds no *.yaml spec files", check.Err);
        Assert.Equal("", check.Out);

        var generate = Cli.Invoke(dir.Path, "generate", "c", "--spec", "empty", "--out", "out");
        Assert.Equal(1, generate.ExitCode);
        Assert.Contains("error VMX9002", generate.Err);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    [Fact]
    public void Yml_files_are_named_as_ignored()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("spec"));
        File.WriteAllText(dir.Combine("spec", "exits.yml"), "sdm-revision: \"325462-086US\"\n");
        var run = Cli.Invoke(dir.Path, "check");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("holds no *.yaml spec files (1 *.yml file(s) such as exits.yml are ignored: rename them to *.yaml)", run.Err);
    }

    [Fact]
    public void A_directory_named_yaml_is_not_a_spec_file()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("spec", "vmcs.yaml"));
        var run = Cli.Invoke(dir.Path, "check");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error VMX9002: spec directory holds no *.yaml spec files", run.Err);
        Assert.DoesNotContain("spec OK", run.Out);
    }

    [Fact]
    public void A_directory_named_yaml_beside_real_files_is_skipped()
    {
        using var dir = new TempDir().CopySpec();
        Directory.CreateDirectory(dir.Combine("spec", "extra.yaml"));
        var run = Cli.Invoke(dir.Path, "check");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("spec OK: 206 VMCS fields", run.Out);
    }

    [Fact]
    public void Dangling_spec_file_link_is_a_located_error()
    {
        using var dir = new TempDir().CopySpec();
        var link = Path.Combine(dir.Spec, "gone.yaml");
        File.CreateSymbolicLink(link, dir.Combine("nowhere.yaml"));
        var run = Cli.Invoke(dir.Path, "check");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{link}: error VMX9001: cannot read spec file: it is a symbolic link to '{dir.Combine("nowhere.yaml")}', which does not exist", run.Err);
        Assert.DoesNotContain("Could not find", run.Err);
    }

    [Fact]
    public void Link_to_a_parent_directory_does_not_load_files_twice()
    {
        using var dir = new TempDir().CopySpec();
        Directory.CreateSymbolicLink(Path.Combine(dir.Spec, "vmcs", "up"), "..");
        var run = Cli.Invoke(dir.Path, "check");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("spec OK: 206 VMCS fields", run.Out);
    }

    [Fact]
    public void Proc_self_is_walked_without_following_its_links()
    {
        if (!Directory.Exists("/proc/self/root")) return; // Linux only
        var run = Cli.Invoke(Cli.RepoRoot, "check", "--spec", "/proc/self");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/proc/self: error VMX9002: spec directory holds no *.yaml spec files", run.Err);
    }

    [Fact]
    public void Spec_directory_that_is_a_file_is_an_error()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("spec.yaml"), "");
        var run = Cli.Invoke(dir.Path, "check", "--spec", "spec.yaml");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(dir.Combine("spec.yaml") + ": error VMX9002: spec directory is a file, not a directory", run.Err);
    }
}

public class ExtraArgumentTests
{
    [Theory]
    [InlineData("check", "A", "B")]
    [InlineData("generate", "c", "extra", "--out", "x")]
    [InlineData("export", "--format", "json", "extra")]
    [InlineData("decode", "0x681E", "extra")]
    [InlineData("explain", "guest_rip", "extra")]
    [InlineData("caps", "a.json", "b.json")]
    [InlineData("exit", "28", "0x13", "extra")]
    public void Extra_arguments_are_usage_error_2(params string[] args)
    {
        using var dir = new TempDir();
        var run = Cli.Invoke(dir.Path, args);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Out);
        Assert.False(Directory.Exists(dir.Combine("x")));
    }

    [Theory]
    [InlineData("decode", "0x681E")]
    [InlineData("explain", "guest_rip")]
    [InlineData("exit", "28", "0x13")]
    public void The_arguments_a_verb_takes_are_fine(params string[] args)
    {
        Assert.Equal(0, Cli.Invoke(Cli.RepoRoot, args).ExitCode);
    }
}

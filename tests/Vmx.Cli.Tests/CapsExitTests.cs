using System.IO;
using Xunit;

namespace Vmx.Cli.Tests;

public class CapsTests
{
    private static string Fixture(string model) => Path.Combine(Cli.RepoRoot, "tests", "fixtures", "caps", model + ".json");

    [Fact]
    public void Skylake_report_shows_basics_and_every_control_bit()
    {
        var run = Cli.Invoke(Cli.RepoRoot, "caps", Fixture("corei7_skylake_x"));
        Assert.True(run.ExitCode == 0, run.ToString());
        // IA32_VMX_BASIC 0x00d810000000002b; TRUE_PINBASED 0x0000007f00000016 (bits 1, 2, 4 must be 1; 7 must be 0).
        Assert.Contains("VMCS revision 0x2b, region 4096 bytes", run.Out);
        Assert.Contains("pin: Pin-Based VM-Execution Controls (IA32_VMX_TRUE_PINBASED_CTLS 0x0000007f00000016)", run.Out);
        Assert.Matches(@"\n   2  reserved_2 +must-be-1\n", run.Out);
        Assert.Matches(@"\n   3  nmi_exiting +flexible\n", run.Out);
        Assert.Matches(@"\n   7  process_posted_interrupts +must-be-0\n", run.Out);
        Assert.Matches(@"\n   7  unrestricted_guest +flexible\n", run.Out);
    }

    [Fact]
    public void Lynnfield_shows_unrestricted_guest_as_must_be_0()
    {
        var run = Cli.Invoke(Cli.RepoRoot, "caps", Fixture("corei5_lynnfield_750"));
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"\n   7  unrestricted_guest +must-be-0\n", run.Out);
    }

    [Fact]
    public void Missing_file_is_exit_1_with_its_path()
    {
        using var dir = new TempDir();
        var run = Cli.Invoke(dir.Path, "caps", "nope.json");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(dir.Combine("nope.json") + ": error VMX9003: capability dump not found", run.Err);
    }

    [Fact]
    public void Bad_json_is_exit_1_located()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("bad.json"), "{\n  \"msrs\": {\n    \"0x480\": \"0x1\",,\n  }\n}\n");
        var run = Cli.Invoke(dir.Path, "caps", "bad.json");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(dir.Combine("bad.json") + "(3,", run.Err);
        Assert.Contains("error VMX9004: not valid JSON", run.Err);
    }

    [Fact]
    public void Unknown_msr_is_exit_1_located()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("unknown.json"), "{\n  \"msrs\": {\n    \"0x4ff\": \"0x1\"\n  }\n}\n");
        var run = Cli.Invoke(dir.Path, "caps", "unknown.json");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(dir.Combine("unknown.json") + "(3,5): error VMX9004: unknown MSR 0x4ff", run.Err);
    }

    [Fact]
    public void Dump_without_vmx_msrs_is_exit_1()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("novmx.json"), "{\"msrs\": {\"0x480\": \"gp\"}}");
        var run = Cli.Invoke(dir.Path, "caps", "novmx.json");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error VMX9005: not a VMX processor: IA32_VMX_BASIC (0x480)", run.Err);
    }

    [Fact]
    public void No_path_is_usage_error_2()
    {
        Assert.Equal(2, Cli.Invoke(Cli.RepoRoot, "caps").ExitCode);
    }
}

public class ExitVerbTests
{
    [Fact]
    public void Control_register_access_is_decoded_field_by_field()
    {
        // SDM: qualification 0x13 of exit 28 = MOV from CR3 into RAX.
        var run = Cli.Invoke(Cli.RepoRoot, "exit", "28", "0x13");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("exit reason 28 control_register_access", run.Out);
        Assert.Contains("control_register = 3 (cr3)", run.Out);
        Assert.Contains("access_type = 1", run.Out);
    }

    [Fact]
    public void Reason_by_id_and_entry_failure_bit()
    {
        var byId = Cli.Invoke(Cli.RepoRoot, "exit", "cpuid");
        Assert.Equal(0, byId.ExitCode);
        Assert.Contains("exit reason 10 cpuid", byId.Out);
        var failure = Cli.Invoke(Cli.RepoRoot, "exit", "0x80000021", "0");
        Assert.Equal(0, failure.ExitCode);
        Assert.StartsWith("VM-entry failure: exit reason 33", failure.Out);
    }

    [Fact]
    public void Undefined_reason_is_exit_1()
    {
        // 35 is not used by the SDM's basic exit reasons.
        var run = Cli.Invoke(Cli.RepoRoot, "exit", "35");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error VMX9006: exit reason 35 is not defined", run.Err);
    }

    [Theory]
    [InlineData("exit")]
    [InlineData("exit", "banana")]
    [InlineData("exit", "28", "0xZZ")]
    [InlineData("exit", "28", "1", "2")]
    public void Bad_input_is_usage_error_2(params string[] args)
    {
        Assert.Equal(2, Cli.Invoke(Cli.RepoRoot, args).ExitCode);
    }

    [Fact]
    public void Usage_lists_the_new_verbs()
    {
        var run = Cli.Invoke(Cli.RepoRoot, "help");
        Assert.Contains("caps DUMP.json", run.Out);
        Assert.Contains("exit REASON [QUALIFICATION]", run.Out);
    }
}

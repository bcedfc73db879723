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
        Assert.Contains("error VMX9004: malformed capability dump: not valid JSON", run.Err);
    }

    [Fact]
    public void Unknown_msr_is_exit_1_located()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("unknown.json"), "{\n  \"msrs\": {\n    \"0x4ff\": \"0x1\"\n  }\n}\n");
        var run = Cli.Invoke(dir.Path, "caps", "unknown.json");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(dir.Combine("unknown.json") + "(3,5): error VMX9004: malformed capability dump: unknown MSR 0x4ff", run.Err);
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
    public void Directory_is_said_to_be_a_directory()
    {
        using var dir = new TempDir();
        var run = Cli.Invoke(dir.Path, "caps", ".");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(dir.Path + ": error VMX9003: capability dump is a directory", run.Err);
        Assert.DoesNotContain("not found", run.Err);
    }

    // Skylake-X reports IA32_VMX_BASIC 0x00d810000000002b: revision 0x2b, region 4096 (44:32), memory type 6 = WB (53:50).
    [Theory]
    [InlineData("0x480", "0x00d800000000002b", "IA32_VMX_BASIC reports a VMCS region size of 0 bytes; the SDM allows 1 to 4096")]
    [InlineData("0x480", "0x00d811000000002b", "IA32_VMX_BASIC reports a VMCS region size of 4352 bytes; the SDM allows 1 to 4096")]
    [InlineData("0x480", "0x00c810000000002b", "IA32_VMX_BASIC reports memory type 2, which is not a defined memory type")]
    [InlineData("0x480", "0x00d810008000002b", "IA32_VMX_BASIC bit 31 is set; the SDM says it is always 0")]
    // TRUE_PINBASED 0x0000007f00000016: allowed-1 0x7f; setting allowed-0 bit 7 asks "process posted interrupts" (bit 7) to be 1 and 0.
    [InlineData("0x48d", "0x0000007f00000096", "IA32_VMX_TRUE_PINBASED_CTLS says pin bit 7 (process_posted_interrupts) must be 1 (allowed-0 setting 1) but may not be 1 (allowed-1 setting 0)")]
    public void Impossible_values_are_warned_of(string msr, string value, string warning)
    {
        using var dir = new TempDir();
        var path = ToolDiagnosticTests.SkylakeWith(dir, msr, value);
        var run = Cli.Invoke(dir.Path, "caps", path);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"{path}: warning VMX9008: impossible capability value: {warning}", run.Err);
        Assert.Contains($"warning: {warning}", run.Out);
    }

    [Theory]
    [InlineData("corei7_skylake_x")]
    [InlineData("tigerlake")]
    [InlineData("corei5_lynnfield_750")]
    [InlineData("core2_penryn_t9600")]
    public void Real_processors_have_no_warnings(string model)
    {
        var run = Cli.Invoke(Cli.RepoRoot, "caps", Fixture(model));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Err);
        Assert.DoesNotContain("warning", run.Out);
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
    public void Page_fault_vector_decodes_the_linear_address()
    {
        // SDM "Exit Qualification for VM Exits": exit reason 0 with vector 14 (#PF) saves the faulting linear address.
        var run = Cli.Invoke(Cli.RepoRoot, "exit", "0", "0x7fff1000", "--vector", "14");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("exit reason 0 exception_or_nmi", run.Out);
        Assert.Contains("vector 14; qualification 0x7FFF1000 (exit_qualification_page_fault): linear_address = 0x7FFF1000", run.Out);
        Assert.Matches(@"\n  63:0  linear_address = 0x7FFF1000  \(Faulting linear address\)", run.Out);
        Assert.DoesNotContain("b0", run.Out);
    }

    [Fact]
    public void Debug_vector_decodes_the_dr6_bits()
    {
        // SDM "Exit Qualification for Debug Exceptions": 0x4003 = B0 (bit 0), B1 (bit 1), BS (bit 14). Vector in hex works too.
        var run = Cli.Invoke(Cli.RepoRoot, "exit", "exception_or_nmi", "0x4003", "--vector", "0x1");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("(exit_qualification_debug_exception): b0 = 1, b1 = 1, b2 = 0, b3 = 0, bd = 0, bs = 1", run.Out);
        Assert.Matches(@"\n  14:14 bs = 1  \(BS\)", run.Out);
    }

    [Fact]
    public void Exception_without_vector_says_the_layout_depends_on_it()
    {
        var run = Cli.Invoke(Cli.RepoRoot, "exit", "0", "0x7fff1000");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("not decoded: the layout depends on the vector", run.Out);
        Assert.DoesNotContain(" = ", run.Out);
        // A vector with no qualification (#GP) decodes nothing either, without the hint.
        var gp = Cli.Invoke(Cli.RepoRoot, "exit", "0", "0", "--vector", "13");
        Assert.Equal(0, gp.ExitCode);
        Assert.DoesNotContain("depends on the vector", gp.Out);
        Assert.Contains("vector 13; qualification 0x0", gp.Out);
    }

    [Theory]
    [InlineData("256")]
    [InlineData("0x100")]
    [InlineData("-1")]
    [InlineData("pf")]
    public void Vector_beyond_bits_7_0_is_a_usage_error(string vector)
    {
        var run = Cli.Invoke(Cli.RepoRoot, "exit", "0", "0x1000", "--vector", vector);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"'{vector}' is no vector: give the event's vector, 0 to 255", run.Err);
        Assert.Equal("", run.Out);
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
    [InlineData("cpuid,hlt")]
    [InlineData("Cpuid, Hlt")]
    [InlineData("+28")]
    [InlineData(" 28")]
    [InlineData("28 ")]
    [InlineData("-1")]
    [InlineData("0x")]
    [InlineData("1c")]
    [InlineData("0x1_c")]
    [InlineData("0x100000000")]
    [InlineData("cpuid hlt")]
    [InlineData("")]
    public void Anything_but_one_number_or_id_is_usage_error_2(string reason)
    {
        var run = Cli.Invoke(Cli.RepoRoot, "exit", reason);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"'{reason}' is no exit reason", run.Err);
        Assert.Equal("", run.Out);
    }

    // SDM "VMX Basic Exit Reasons": 10 CPUID, 12 HLT, 28 control-register accesses.
    [Theory]
    [InlineData("cpuid", "exit reason 10 cpuid")]
    [InlineData("CPUID", "exit reason 10 cpuid")]
    [InlineData("Cpuid", "exit reason 10 cpuid")]
    [InlineData("hlt", "exit reason 12 hlt")]
    [InlineData("control_register_access", "exit reason 28 control_register_access")]
    [InlineData("ControlRegisterAccess", "exit reason 28 control_register_access")]
    [InlineData("28", "exit reason 28 control_register_access")]
    [InlineData("0x1c", "exit reason 28 control_register_access")]
    [InlineData("0X1C", "exit reason 28 control_register_access")]
    public void One_number_id_or_name_is_accepted(string reason, string expected)
    {
        var run = Cli.Invoke(Cli.RepoRoot, "exit", reason);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith(expected + " (", run.Out);
        Assert.Equal("", run.Err);
    }

    [Fact]
    public void Near_miss_id_gets_a_suggestion()
    {
        Assert.Contains("did you mean 'cpuid'?", Cli.Invoke(Cli.RepoRoot, "exit", "cpuidd").Err);
    }

    // SDM "Basic VM-Exit Information": bits 24:16 and 30 of the exit-reason field are reserved (0).
    [Theory]
    [InlineData("0x1869F", "exit-reason field 0x0001869F has reserved bits set (0x00010000: bit 16)", 1)]
    [InlineData("0x4000001c", "exit-reason field 0x4000001C has reserved bits set (0x40000000: bit 30)", 0)]
    [InlineData("0x0181001c", "exit-reason field 0x0181001C has reserved bits set (0x01810000: bits 16, 23, 24)", 0)]
    public void Reserved_exit_reason_bits_are_warned_of(string field, string warning, int exitCode)
    {
        var run = Cli.Invoke(Cli.RepoRoot, "exit", field);
        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.Contains($"vmxgen: warning VMX9009: impossible exit-reason field: {warning}", run.Err);
    }

    [Theory]
    [InlineData("0x8000001c", "28 control_register_access")]
    [InlineData("0x8000000a", "10 cpuid")]
    public void Entry_failure_bit_with_a_reason_that_is_no_entry_failure_is_warned_of(string field, string reason)
    {
        var run = Cli.Invoke(Cli.RepoRoot, "exit", field);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"vmxgen: warning VMX9009: impossible exit-reason field: bit 31 (VM-entry failure) is set, but basic exit reason {reason} is no VM-entry failure reason " +
                        "(33 vm_entry_failure_invalid_guest_state, 34 vm_entry_failure_msr_loading, 41 vm_entry_failure_machine_check)", run.Err);
    }

    // SDM: VM-entry failures report basic reason 33 (invalid guest state), 34 (MSR loading) or 41 (machine-check event).
    [Theory]
    [InlineData("0x80000021")]
    [InlineData("0x80000022")]
    [InlineData("0x80000029")]
    [InlineData("0x0800001c")] // bit 27, enclave mode
    [InlineData("0x1c")]
    public void Plausible_exit_reason_fields_have_no_warning(string field)
    {
        var run = Cli.Invoke(Cli.RepoRoot, "exit", field);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Err);
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

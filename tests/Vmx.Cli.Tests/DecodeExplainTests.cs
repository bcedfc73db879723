using Xunit;

namespace Vmx.Cli.Tests;

public class DecodeTests
{
    [Theory]
    [InlineData("0x681E")]
    [InlineData("0x681e")]
    [InlineData("26654")]
    public void Guest_rip(string encoding)
    {
        // SDM Appendix B: 0x681E is natural-width (bits 14:13 = 3), guest-state (bits 11:10 = 2), index 15: Guest RIP.
        var run = Cli.Invoke(Cli.RepoRoot, "decode", encoding);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("index   15", run.Out);
        Assert.Contains("(guest-state)", run.Out);
        Assert.Contains("(natural-width)", run.Out);
        Assert.Contains("guest_rip: Guest RIP", run.Out);
        Assert.DoesNotContain("high", run.Out.Replace("(full)", ""));
    }

    [Theory]
    [InlineData("0x2001", "address_of_io_bitmap_a: Address of I/O bitmap A (high 32 bits)")]
    [InlineData("0x201B", "ept_pointer: ")]
    [InlineData("0x2805", "guest_ia32_pat: ")]
    [InlineData("0x2807", "guest_ia32_efer: ")]
    public void High_access_of_a_64_bit_field_names_its_high_half(string encoding, string expected)
    {
        var run = Cli.Invoke(Cli.RepoRoot, "decode", encoding);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(expected, run.Out);
        Assert.Contains("(high 32 bits)", run.Out);
        Assert.Contains("access  1 (high)", run.Out);
    }

    [Fact]
    public void Unknown_well_formed_encoding_says_unknown()
    {
        // Natural-width host-state index 511: well formed, and no SDM field has it.
        var run = Cli.Invoke(Cli.RepoRoot, "decode", "0x6FFE");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("unknown", run.Out);
        Assert.Contains("index 511", run.Out);
    }

    [Theory]
    [InlineData("0x1800")]     // bit 12
    [InlineData("0x8000")]     // bit 15
    [InlineData("0x10000681E")] // bit 32
    public void Reserved_bits_are_an_error(string encoding)
    {
        var run = Cli.Invoke(Cli.RepoRoot, "decode", encoding);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("reserved bits", run.Out);
    }

    [Fact]
    public void High_access_of_a_field_that_is_not_64_bit_is_an_error()
    {
        var run = Cli.Invoke(Cli.RepoRoot, "decode", "0x0801");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("high access (bit 0) exists only for 64-bit fields", run.Out);
    }

    [Theory]
    [InlineData("decode")]
    [InlineData("decode", "guest_rip")]
    [InlineData("decode", "0xZZ")]
    public void Not_a_number_is_a_usage_error(params string[] args)
    {
        var run = Cli.Invoke(Cli.RepoRoot, args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("decode needs an encoding", run.Err);
    }
}

public class ExplainTests
{
    [Theory]
    [InlineData("guest_cr0")]
    [InlineData("VMCS_GUEST_CR0")]
    [InlineData("vmcs_guest_cr0")]
    [InlineData("Guest CR0")]
    public void Vmcs_field_by_id_c_name_or_title(string name)
    {
        var run = Cli.Invoke(Cli.RepoRoot, "explain", name);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("VMCS field guest_cr0: Guest CR0", run.Out);
        Assert.Contains("encoding 0x6800: natural-width guest-state, index 0", run.Out);
        Assert.Contains("C: VMCS_GUEST_CR0", run.Out);
    }

    [Theory]
    [InlineData("proc2.enable_ept")]
    [InlineData("VMX_PROC2_ENABLE_EPT")]
    [InlineData("proc2_enable_ept")]
    public void Control_bit_by_dotted_reference_or_c_name(string name)
    {
        // SDM: "enable EPT" is bit 1 of the secondary processor-based controls, reported in IA32_VMX_PROCBASED_CTLS2.
        var run = Cli.Invoke(Cli.RepoRoot, "explain", name);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("control bit proc2.enable_ept: Enable EPT — bit 1 of", run.Out);
        Assert.Contains("IA32_VMX_PROCBASED_CTLS2", run.Out);
    }

    [Fact]
    public void Dotted_reference_to_a_pin_control()
    {
        // SDM: NMI exiting is bit 3 of the pin-based controls.
        var run = Cli.Invoke(Cli.RepoRoot, "explain", "pin.nmi_exiting");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("control bit pin.nmi_exiting", run.Out);
        Assert.Contains("bit 3 of", run.Out);
    }

    [Fact]
    public void Msr_exit_reason_and_error()
    {
        var msr = Cli.Invoke(Cli.RepoRoot, "explain", "IA32_VMX_BASIC");
        Assert.Equal(0, msr.ExitCode);
        Assert.Contains("MSR IA32_VMX_BASIC (0x480)", msr.Out);

        var exit = Cli.Invoke(Cli.RepoRoot, "explain", "ept_violation");
        Assert.Equal(0, exit.ExitCode);
        Assert.Contains("exit reason 48 ept_violation", exit.Out);

        var error = Cli.Invoke(Cli.RepoRoot, "explain", "vmclear_invalid_physical_address");
        Assert.Equal(0, error.ExitCode);
        Assert.Contains("VM-instruction error 2 vmclear_invalid_physical_address", error.Out);
    }

    [Fact]
    public void Unknown_name_exits_1()
    {
        var run = Cli.Invoke(Cli.RepoRoot, "explain", "proc2.enable_warp_drive");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'proc2.enable_warp_drive' is not in the spec", run.Out);
    }

    [Fact]
    public void Missing_name_is_a_usage_error()
    {
        var run = Cli.Invoke(Cli.RepoRoot, "explain");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("explain needs a name", run.Err);
    }
}

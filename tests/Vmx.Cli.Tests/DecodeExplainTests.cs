using System.IO;
using System.Linq;
using Vmx.Spec;
using Vmx.Spec.Model;
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
        Assert.Matches(@"bits 9:1 +index +15\n", run.Out);
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
        Assert.Matches(@"bit 0 +access_type +1 \(high\)\n", run.Out);
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
    [InlineData("0xFFFFFFFF")] // bits 31:15 and 12, within 32 bits
    public void Reserved_bits_are_an_error(string encoding)
    {
        var run = Cli.Invoke(Cli.RepoRoot, "decode", encoding);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("reserved bits", run.Out);
        // SDM "VM-Instruction Error Numbers": 12 is VMREAD/VMWRITE from/to unsupported VMCS component.
        Assert.Contains("VMREAD/VMWRITE fail with VM-instruction error 12", run.Out);
    }

    [Fact]
    public void Reserved_message_names_only_the_set_bits()
    {
        Assert.Contains("reserved bits (12) are set", Cli.Invoke(Cli.RepoRoot, "decode", "0x1800").Out);
        Assert.Contains("reserved bits (31:15) are set", Cli.Invoke(Cli.RepoRoot, "decode", "0x8000").Out);
    }

    [Theory]
    [InlineData("0x10000681E")]         // bit 32
    [InlineData("0xFFFFFFFFFFFFFFFF")]
    [InlineData("4294967296")]
    public void Values_wider_than_32_bits_are_a_usage_error(string encoding)
    {
        var run = Cli.Invoke(Cli.RepoRoot, "decode", encoding);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("decode needs a 32-bit encoding", run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Bits_come_from_the_spec_layout()
    {
        // SDM "Field Encoding in VMCS": bit 0 access type, 9:1 index, 11:10 type, 12 reserved, 14:13 width, 31:15 reserved.
        var run = Cli.Invoke(Cli.RepoRoot, "decode", "0x4402");
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"bit 0 +access_type +0 \(full\)\n", run.Out);
        Assert.Matches(@"bits 9:1 +index +1\n", run.Out);
        Assert.Matches(@"bits 11:10 +type +1 \(exit-information\)\n", run.Out);
        Assert.Matches(@"bit 12 +reserved +0\n", run.Out);
        Assert.Matches(@"bits 14:13 +width +2 \(32-bit\)\n", run.Out);
        Assert.Matches(@"bits 31:15 +reserved +0x0\n", run.Out);
        Assert.Contains("exit_reason: Exit reason", run.Out);
    }

    private static SpecModel RealModel() => SpecLoader.LoadDirectory(Cli.SpecDirectory, Cli.RepoRoot).Model;

    private static (int Code, string Out, string Err) DecodeWith(SpecModel model, uint encoding)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = new Decoder(model, stdout, stderr).Decode(encoding);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Decoder_reads_the_bits_from_the_model_layout()
    {
        // The lint pins the real layout to the SDM, so only a model built in memory can differ: with the index
        // narrowed to bits 8:1, bit 9 is reserved, and 0x0200 (index 256 by the SDM) has a reserved bit set.
        var model = RealModel();
        var layout = model.Layouts.Single(l => l.Id == Decoder.LayoutId);
        var narrowed = layout with { Fields = new EquatableArray<LayoutField>(layout.Fields.Select(f => f.Id == "index" ? f with { Msb = 8 } : f)) };
        var changed = model with { Layouts = new EquatableArray<Layout>(model.Layouts.Select(l => l.Id == layout.Id ? narrowed : l)) };

        var run = DecodeWith(changed, 0x0200);

        Assert.Equal(1, run.Code);
        Assert.Matches(@"bits 8:1 +index +0\n", run.Out);
        Assert.Matches(@"bit 9 +reserved +1\n", run.Out);
        Assert.Contains("reserved bits (9) are set", run.Out);
        Assert.Matches(@"bits 9:1 +index +256\n", DecodeWith(model, 0x0200).Out);
    }

    [Fact]
    public void Model_without_the_encoding_layout_is_an_error_not_a_crash()
    {
        var model = RealModel();
        var without = model with { Layouts = new EquatableArray<Layout>(model.Layouts.Where(l => l.Id != Decoder.LayoutId)) };
        var run = DecodeWith(without, 0x681E);
        Assert.Equal(1, run.Code);
        Assert.Contains("the spec has no layout 'vmcs_component_encoding'", run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Error_number_comes_from_the_model()
    {
        // Renumbered in memory, the message follows the model rather than a literal 12.
        var model = RealModel();
        var renumbered = model with { InstructionErrors = new EquatableArray<InstructionError>(model.InstructionErrors.Select(e => e.Id == Decoder.UnsupportedComponentError ? e with { Number = 99 } : e)) };
        Assert.Contains("fail with VM-instruction error 99 (", DecodeWith(renumbered, 0x1800).Out);
        Assert.Contains("fail with VM-instruction error 12 (", DecodeWith(model, 0x1800).Out);    }

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
    public void Cpuid_fact_by_id_and_by_c_name()
    {
        var run = Cli.Invoke(Cli.RepoRoot, "explain", "cpuid.80000001.edx.lm");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("CPUID cpuid.80000001.edx.lm: CPUID.80000001H:EDX[29] Intel 64 Architecture (long mode) (SDM \"CPUID—CPU Identification\")", run.Out);
        Assert.Contains("C: VMX_CPUID_80000001_EDX_LM_MASK, vmx_cpuid_80000001_edx_lm(edx); C#: CpuidCatalog.Leaf80000001EdxLm", run.Out);

        var maxphyaddr = Cli.Invoke(Cli.RepoRoot, "explain", "vmx_cpuid_80000008_eax_maxphyaddr");
        Assert.Equal(0, maxphyaddr.ExitCode);
        Assert.Contains("CPUID.80000008H:EAX[7:0]", maxphyaddr.Out);

        var typo = Cli.Invoke(Cli.RepoRoot, "explain", "cpuid.7.0.ecx.la75");
        Assert.Equal(1, typo.ExitCode);
        Assert.Equal("vmxgen: error VMX9007: 'cpuid.7.0.ecx.la75' is not in the spec; did you mean 'cpuid.7.0.ecx.la57'?\n", typo.Err);
    }

    [Fact]
    public void Cpuid_1_ecx_vmx_is_the_cpuid_1_ecx_layout_field()
    {
        // CPUID.1:ECX is stated once, as layout cpuid_1_ecx; its SDM-style dotted name reaches that field.
        var run = Cli.Invoke(Cli.RepoRoot, "explain", "cpuid.1.ecx.vmx");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("layout field cpuid_1_ecx.vmx: Virtual Machine Extensions — bit 5 of CPUID.01H:ECX feature information", run.Out);
        Assert.Contains("C: VMX_CPUID_1_ECX_VMX_MASK", run.Out);
    }

    [Fact]
    public void Unknown_name_exits_1_with_an_error_on_stderr()
    {
        var run = Cli.Invoke(Cli.RepoRoot, "explain", "proc2.enable_warp_drive");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("vmxgen: error VMX9007: 'proc2.enable_warp_drive' is not in the spec; no known name is close to it\n", run.Err);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("VMX_EXIT_CPUIDD", "VMX_EXIT_CPUID")]
    [InlineData("proc2.enable_etp", "proc2.enable_ept")]
    [InlineData("IA32_VMX_BASICS", "IA32_VMX_BASIC")]
    [InlineData("cr4.vmxx", "cr4.vmxe")]
    public void Near_miss_suggests_the_nearest_name(string name, string suggestion)
    {
        var run = Cli.Invoke(Cli.RepoRoot, "explain", name);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"vmxgen: error VMX9007: '{name}' is not in the spec; did you mean '{suggestion}'?\n", run.Err);
    }

    [Theory]
    [InlineData("VMX_EXIT_CPUID", "exit reason 10 cpuid: CPUID")]                                    // SDM: CPUID is basic exit reason 10
    [InlineData("VMX_EXIT_EPT_VIOLATION", "exit reason 48 ept_violation")]
    [InlineData("VMX_ERROR_VMLAUNCH_NON_CLEAR_VMCS", "VM-instruction error 4 vmlaunch_non_clear_vmcs")] // SDM: error 4
    [InlineData("VMX_MSR_IA32_VMX_BASIC", "MSR IA32_VMX_BASIC (0x480)")]
    [InlineData("cr4.vmxe", "layout field cr4.vmxe: VMX-Enable Bit — bit 13 of")]                    // SDM: CR4.VMXE is bit 13
    [InlineData("VMX_CR4_VMXE", "layout field cr4.vmxe: VMX-Enable Bit — bit 13 of")]
    [InlineData("exit_reason.vm_entry_failure", "bit 31 of")]
    [InlineData("exception_or_nmi", "qualification layout by vector: vector 1 exit_qualification_debug_exception, vector 14 exit_qualification_page_fault")]
    public void Generated_c_names_and_layout_fields(string name, string expected)
    {
        var run = Cli.Invoke(Cli.RepoRoot, "explain", name);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(expected, run.Out);
    }

    [Fact]
    public void Explains_the_c_macro_it_was_given()
    {
        Assert.Contains("C: VMX_EXIT_CPUID", Cli.Invoke(Cli.RepoRoot, "explain", "cpuid").Out);
        Assert.Contains("C: VMX_CR4_VMXE_MASK", Cli.Invoke(Cli.RepoRoot, "explain", "cr4.vmxe").Out);
        Assert.Contains("C: VMX_PROC2_ENABLE_EPT", Cli.Invoke(Cli.RepoRoot, "explain", "proc2.enable_ept").Out);
    }

    [Fact]
    public void Seam_only_field_names_error_12_from_the_spec()
    {
        // Shared EPT pointer (0x203C) exists only in SEAM VMX root operation; VMREAD fails with error 12 (SDM) elsewhere.
        var explain = Cli.Invoke(Cli.RepoRoot, "explain", "shared_ept_pointer");
        Assert.Contains("VM-instruction error 12 (VMREAD/VMWRITE from/to unsupported VMCS component) for any other VMM", explain.Out);
        var decode = Cli.Invoke(Cli.RepoRoot, "decode", "0x203C");
        Assert.Contains("VM-instruction error 12 (VMREAD/VMWRITE from/to unsupported VMCS component) for any other VMM", decode.Out);
    }

    [Fact]
    public void Missing_name_is_a_usage_error()
    {
        var run = Cli.Invoke(Cli.RepoRoot, "explain");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("explain needs a name", run.Err);
    }
}

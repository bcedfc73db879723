using System.Linq;
using Xunit;

namespace Vmx.Runtime.Tests;

public class DecoderTests
{
    [Fact]
    public void Control_register_access_qualification()
    {
        // SDM "Exit Qualification for Control-Register Accesses": 0x13 = CR3 (3:0), access type 1 = MOV from CR (5:4), RAX (11:8).
        var exit = VmxDecoder.Exit(28, 0x13);
        Assert.Equal(ExitReason.ControlRegisterAccess, exit.Reason!.Reason);
        Assert.Equal(3UL, exit.Qualification.Single(f => f.Id == "control_register").Value);
        Assert.Equal(1UL, exit.Qualification.Single(f => f.Id == "access_type").Value);
        Assert.Contains("control_register_access", exit.Text);
    }

    [Fact]
    public void Entry_failure_bit_31()
    {
        var exit = VmxDecoder.Exit(0x80000021, 0);
        Assert.True(exit.IsEntryFailure);
        Assert.Equal(33, exit.BasicReason);
        Assert.StartsWith("VM-entry failure", exit.Text);
    }

    [Fact]
    public void Instruction_errors_have_their_sdm_titles()
    {
        Assert.Equal("VM-instruction error 4: VMLAUNCH with non-clear VMCS", VmxDecoder.InstructionError(4));
        Assert.Equal("VM-instruction error 12: VMREAD/VMWRITE from/to unsupported VMCS component", VmxDecoder.InstructionError(12));
        Assert.Contains("not defined", VmxDecoder.InstructionError(14));
    }

    [Fact]
    public void Interruption_information_of_a_page_fault()
    {
        // Vector 14, type 3 (hardware exception), error code valid (11), valid (31).
        var decoded = VmxDecoder.ExitInterruptionInformation(0x80000B0E);
        Assert.Equal(14UL, decoded.Fields.Single(f => f.Id == "vector").Value);
        var type = decoded.Fields.Single(f => f.Id == "interruption_type");
        Assert.Equal(3UL, type.Value);
        Assert.Equal("hardware_exception", type.EnumValue!.Id);
    }

    [Fact]
    public void Access_rights_of_a_64_bit_code_segment()
    {
        // 0xA09B: type 0xB (execute/read, accessed), S, DPL 0, P, L, G (SDM "Guest Register State").
        var rights = new SegmentAccessRights(0xA09B);
        Assert.Equal(0xB, rights.SegmentType);
        Assert.True(rights.DescriptorType && rights.Present && rights.LongMode && rights.Granularity);
        Assert.False(rights.Unusable);
        Assert.Contains("long_mode = 1", VmxDecoder.SegmentAccessRights(0xA09B).Text);
    }

    [Fact]
    public void Ept_violation_bits()
    {
        // 0x182: data write (1), linear address valid (7), caused by translation (8).
        var q = new ExitQualificationEptViolation(0x182);
        Assert.True(q.DataWrite && q.GuestLinearAddressValid && q.CausedByTranslation);
        Assert.False(q.DataRead || q.InstructionFetch);
        Assert.Equal(1UL, VmxDecoder.EptViolation(0x182).Fields.Single(f => f.Id == "data_write").Value);
    }

    [Theory]
    [InlineData("28", 28U)]
    [InlineData("0x1c", 28U)]
    [InlineData("control_register_access", 28U)]
    [InlineData("Cpuid", 10U)]
    public void Exit_reasons_parse_by_number_id_or_name(string text, uint expected)
    {
        Assert.True(VmxDecoder.TryParseExitReason(text, out var reason));
        Assert.Equal(expected, reason);
    }
}

public class ExitReasonParsingTests
{
    // Enum.TryParse on ExitReason read "cpuid,hlt" as Cpuid | Hlt = 10 | 12 = 14, and "+28" as 28.
    [Theory]
    [InlineData("cpuid,hlt")]
    [InlineData("Cpuid, Hlt")]
    [InlineData("+28")]
    [InlineData("-0")]
    [InlineData(" 28")]
    [InlineData("28 ")]
    [InlineData("1_0")]
    [InlineData("0x")]
    [InlineData("0x+1c")]
    [InlineData("1c")]
    [InlineData("0x100000000")]
    [InlineData("4294967296")]
    [InlineData("cpuid hlt")]
    [InlineData("")]
    [InlineData("Cpuidd")]
    public void Anything_but_one_number_id_or_name_is_refused(string text)
    {
        Assert.False(VmxDecoder.TryParseExitReason(text, out _));
    }

    // SDM "VMX Basic Exit Reasons": 10 CPUID, 12 HLT, 48 EPT violation; bit 31 marks a VM-entry failure.
    [Theory]
    [InlineData("CPUID", 10U)]
    [InlineData("hlt", 12U)]
    [InlineData("Hlt", 12U)]
    [InlineData("EptViolation", 48U)]
    [InlineData("EPT_VIOLATION", 48U)]
    [InlineData("0X30", 48U)]
    [InlineData("0x80000021", 0x80000021U)]
    [InlineData("4294967295", 0xFFFFFFFFU)]
    public void Exact_ids_names_and_numbers_parse(string text, uint expected)
    {
        Assert.True(VmxDecoder.TryParseExitReason(text, out var reason));
        Assert.Equal(expected, reason);
    }

    [Fact]
    public void Entry_failure_reasons_are_33_34_and_41()
    {
        // SDM "VM-Entry Failures During or After Loading Guest State".
        Assert.Equal(new uint[] { 33, 34, 41 }, VmxDecoder.EntryFailureReasons.Select(r => (uint)r));
    }

    // SDM "Basic VM-Exit Information": bits 24:16 and 30 of the exit-reason field are reserved.
    [Theory]
    [InlineData(0x0001869FU, "reserved bits set (0x00010000: bit 16)")]
    [InlineData(0x4000000AU, "reserved bits set (0x40000000: bit 30)")]
    [InlineData(0x01FF000AU, "reserved bits set (0x01FF0000: bits 16, 17, 18, 19, 20, 21, 22, 23, 24)")]
    [InlineData(0x8000001CU, "bit 31 (VM-entry failure) is set, but basic exit reason 28 control_register_access is no VM-entry failure reason")]
    [InlineData(0x80000023U, "bit 31 (VM-entry failure) is set, but basic exit reason 35 is no VM-entry failure reason")]
    public void Impossible_exit_reason_fields_are_named(uint field, string problem)
    {
        Assert.Contains(VmxDecoder.ExitReasonProblems(field), p => p.Contains(problem));
    }

    [Theory]
    [InlineData(0x0000001CU)]
    [InlineData(0x80000021U)]
    [InlineData(0x80000022U)]
    [InlineData(0x80000029U)]
    [InlineData(0x3E00001CU)] // bits 29:25 are flags the layout defines
    public void Plausible_exit_reason_fields_have_no_problem(uint field)
    {
        Assert.Empty(VmxDecoder.ExitReasonProblems(field));
    }
}

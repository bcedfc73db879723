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

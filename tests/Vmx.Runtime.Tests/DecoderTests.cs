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
    public void Page_fault_qualification_is_the_linear_address()
    {
        // SDM "Exit Qualification for VM Exits": for a #PF (vector 14) exit, bits 63:0 hold the linear address CR2 would get.
        var exit = VmxDecoder.Exit(0, 0x7FFF_1000, 14);
        Assert.Equal(ExitReason.ExceptionOrNmi, exit.Reason!.Reason);
        Assert.Equal("exit_qualification_page_fault", exit.QualificationLayout!.Id);
        var address = Assert.Single(exit.Qualification);
        Assert.Equal(("linear_address", 0, 64, 0x7FFF_1000UL), (address.Id, address.Field.Lsb, address.Field.Width, address.Value));
        Assert.Equal(14u, exit.Vector);
        Assert.Contains("vector 14; qualification 0x7FFF1000 (exit_qualification_page_fault): linear_address = 0x7FFF1000", exit.Text);
        // A canonical kernel address uses all 64 bits.
        Assert.Equal(0xFFFF_8000_DEAD_B000UL, VmxDecoder.Exit(0, 0xFFFF_8000_DEAD_B000, 14).Qualification.Single().Value);
    }

    [Fact]
    public void Debug_exception_qualification_has_the_dr6_bits()
    {
        // SDM "Exit Qualification for Debug Exceptions": B0..B3 bits 3:0, BD bit 13, BS bit 14.
        var exit = VmxDecoder.Exit(0, (1UL << 0) | (1UL << 2) | (1UL << 14), 1);
        Assert.Equal("exit_qualification_debug_exception", exit.QualificationLayout!.Id);
        var bits = exit.Qualification.ToDictionary(f => f.Id, f => (f.Field.Lsb, f.Value));
        Assert.Equal((0, 1UL), bits["b0"]);
        Assert.Equal((1, 0UL), bits["b1"]);
        Assert.Equal((2, 1UL), bits["b2"]);
        Assert.Equal((3, 0UL), bits["b3"]);
        Assert.Equal((13, 0UL), bits["bd"]);
        Assert.Equal((14, 1UL), bits["bs"]);
        Assert.Equal(1UL, VmxDecoder.Exit(0, 1UL << 3, 1).Qualification.Single(f => f.Id == "b3").Value);
    }

    [Fact]
    public void Exception_without_a_vector_decodes_no_qualification_fields()
    {
        var exit = VmxDecoder.Exit(0, 0x7FFF_1000);
        Assert.True(exit.Reason!.QualificationDependsOnVector);
        Assert.True(exit.QualificationNeedsVector);
        Assert.Null(exit.QualificationLayout);
        Assert.Empty(exit.Qualification);
        Assert.Contains("the layout depends on the vector", exit.Text);
        Assert.Contains("vector 1 exit_qualification_debug_exception", exit.Text);
        Assert.Contains("vector 14 exit_qualification_page_fault", exit.Text);
        Assert.Null(exit.Reason.Qualification);
    }

    [Fact]
    public void Other_vectors_of_exit_reason_0_have_no_qualification()
    {
        // #GP (13), #UD (6), NMI (2): SDM: the qualification is used only for #DB and #PF.
        foreach (var vector in new uint[] { 2, 6, 13 })
        {
            var exit = VmxDecoder.Exit(0, 0x1234, vector);
            Assert.Null(exit.QualificationLayout);
            Assert.Empty(exit.Qualification);
            Assert.False(exit.QualificationNeedsVector);
        }
    }

    [Fact]
    public void Vector_comes_from_the_interruption_information_layout()
    {
        // 0x80000B0E: valid, hardware exception (type 3), error code valid, vector 14 (#PF).
        Assert.Equal(14u, VmxDecoder.VectorOf(0x80000B0E));
        Assert.Equal(255u, VmxDecoder.MaxVector);
        var exit = VmxDecoder.ExitWithInterruptionInformation(0, 0xDEAD_0000, 0x80000B0E);
        Assert.Equal("exit_qualification_page_fault", exit.QualificationLayout!.Id);
        Assert.Equal(0xDEAD_0000UL, exit.Qualification.Single().Value);
        // 0x80000301: valid, hardware exception, vector 1 (#DB).
        Assert.Equal("exit_qualification_debug_exception", VmxDecoder.ExitWithInterruptionInformation(0, 1, 0x80000301).QualificationLayout!.Id);
    }

    [Fact]
    public void Reasons_with_one_layout_ignore_the_vector()
    {
        var exit = VmxDecoder.Exit(28, 0x13, 14);
        Assert.Equal("exit_qualification_control_register_access", exit.QualificationLayout!.Id);
        Assert.False(exit.Reason!.QualificationDependsOnVector);
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

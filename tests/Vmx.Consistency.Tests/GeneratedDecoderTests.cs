using System;
using System.Linq;
using Xunit;

namespace Vmx.Consistency.Tests;

/// <summary>The generated layouts and exit decoder against worked examples from the SDM's exit-qualification
/// tables, plus round trips through every layout field. Expected values are the SDM's bit positions.</summary>
public class GeneratedDecoderTests
{
    [Fact]
    public void Mov_to_cr4_from_rcx_decodes_from_the_qualification_table()
    {
        // SDM "Exit Qualification for Control-Register Accesses": CR number bits 3:0, access type 5:4
        // (0 = MOV to CR), general-purpose register 11:8 (1 = RCX).
        var d = ExitDecoder.Describe(ExitReason.ControlRegisterAccess, 0x104);

        Assert.Equal(28, d.BasicReason);
        Assert.False(d.IsEntryFailure);
        Assert.Equal("4", Field(d, "control_register").Value.ToString());
        Assert.Equal("mov_to_cr", Field(d, "access_type").EnumValue!.Id);
        Assert.Equal("rcx", Field(d, "general_purpose_register").EnumValue!.Id);
    }

    [Fact]
    public void An_ept_violation_read_through_a_linear_address_decodes_its_bits()
    {
        // Bit 0 data read, bit 7 guest-linear address valid, bit 8 the access was a translation of it.
        var d = ExitDecoder.Describe(ExitReason.EptViolation, 0x181);

        Assert.Equal(48, d.BasicReason);
        var set = d.Qualification.Where(f => f.Value != 0).Select(f => f.Id).ToArray();
        Assert.Equal(new[] { "data_read", "guest_linear_address_valid", "caused_by_translation" }, set);
    }

    [Fact]
    public void A_vm_entry_failure_exit_reason_field_sets_bit_31_over_basic_reason_33()
    {
        var d = ExitDecoder.Describe(0x80000021u, 0);

        Assert.True(d.IsEntryFailure);
        Assert.Equal(33, d.BasicReason);
        Assert.Equal("vm_entry_failure_invalid_guest_state", d.Reason!.Id);
    }

    [Fact]
    public void An_out_to_port_3f8_decodes_size_direction_and_port()
    {
        // I/O qualification: size 2:0 (0 = 1 byte), direction bit 3 (0 = OUT), port 31:16.
        var d = ExitDecoder.Describe(ExitReason.IoInstruction, 0x03F8_0000);

        Assert.Equal(0x3F8UL, Field(d, "port_number").Value);
        Assert.Equal(0UL, Field(d, "direction").Value);
        Assert.Equal(0UL, Field(d, "size_of_access").Value);
    }

    [Fact]
    public void Unknown_basic_reasons_decode_without_a_qualification_layout()
    {
        var d = ExitDecoder.Describe(35u, 0x1234);   // 35 is not a defined basic exit reason
        Assert.Null(d.Reason);
        Assert.Empty(d.Qualification);
    }

    [Fact]
    public void Layout_setters_reject_values_wider_than_their_field()
    {
        // IA32_VMX_BASIC bits 44:32 (13 bits) hold the VMCS region size; 0x1000 fits, 0x2000 does not.
        var basic = new Ia32VmxBasic(0).WithVmcsRegionSize(0x1000);
        Assert.Equal(0x1000UL << 32, basic.Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => basic.WithVmcsRegionSize(0x2000));
        // An enumeration-typed field: CR numbers are 4 bits.
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExitQualificationControlRegisterAccess(0).WithControlRegister((ControlRegisterNumber)16));
    }

    public static TheoryData<string> LayoutIds() => new(LayoutCatalog.All.Select(l => l.Id));

    [Theory]
    [MemberData(nameof(LayoutIds))]
    public void Every_field_of_every_layout_round_trips_and_stays_in_its_bits(string layoutId)
    {
        var layout = LayoutCatalog.All.Single(l => l.Id == layoutId);
        var random = new Random(layoutId.GetHashCode(StringComparison.Ordinal) & 0x7FFFFFFF ^ 1234);
        foreach (var field in layout.Fields)
        {
            var max = field.Width >= 64 ? ulong.MaxValue : (1UL << field.Width) - 1;
            var value = (ulong)random.NextInt64() & max;
            var background = (ulong)random.NextInt64();
            var placed = (background & ~field.Mask) | (value << field.Lsb);

            Assert.Equal(value, field.Extract(placed));
            Assert.Equal(background & ~field.Mask, placed & ~field.Mask);   // no other bit disturbed
            Assert.True(field.Msb < layout.Width, $"{layout.Id}.{field.Id} beyond {layout.Width} bits");
        }
        Assert.Equal(0UL, layout.DefinedMask & layout.ReservedMask);
    }

    private static DecodedField Field(ExitDescription d, string id) => d.Qualification.Single(f => f.Id == id);
}

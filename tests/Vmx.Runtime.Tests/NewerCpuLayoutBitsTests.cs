using System.Linq;
using Xunit;

namespace Vmx.Runtime.Tests;

/// <summary>Layout bits that VM-entry checks on newer CPUs read: FRED's nested-exception bit 13 of the event
/// fields and IA32_DEBUGCTL bit 2 (bus-lock detect). Before they were in the spec, each of these bits counted
/// as reserved, so a reserved-bit check would have rejected a VMCS that a FRED or bus-lock-capable CPU accepts.</summary>
public class NewerCpuLayoutBitsTests
{
    [Theory]
    [InlineData("vm_entry_interruption_information")]
    [InlineData("vm_exit_interruption_information")]
    [InlineData("idt_vectoring_information")]
    public void Bit_13_of_the_event_fields_is_the_nested_exception_flag(string layoutId)
    {
        var layout = LayoutCatalog.All.Single(l => l.Id == layoutId);
        var field = layout.FindField("nested_exception");
        Assert.NotNull(field);
        Assert.Equal(13, field!.Lsb);
        Assert.Equal(1, field.Width);
        Assert.Equal(0UL, layout.ReservedMask & (1UL << 13));
        // valid | hardware exception | vector 14 | nested: the flag decodes, the vector is untouched.
        var decoded = layout.Decode(0x8000_230EUL);
        Assert.Equal(1UL, decoded.Single(f => f.Id == "nested_exception").Value);
        Assert.Equal(14UL, decoded.Single(f => f.Id == "vector").Value);
    }

    [Fact]
    public void Ia32_debugctl_bit_2_is_bus_lock_detect_and_bits_5_to_3_stay_reserved()
    {
        var layout = LayoutCatalog.All.Single(l => l.Id == "ia32_debugctl");
        var field = layout.FindField("bld");
        Assert.NotNull(field);
        Assert.Equal(2, field!.Lsb);
        Assert.Equal(0UL, layout.ReservedMask & 0x4UL);
        Assert.Equal(0x38UL, layout.ReservedMask & 0x3FUL);
    }
}

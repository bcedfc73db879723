using Xunit;

namespace Vmx.Runtime.Tests;

public class FixedBitsTests
{
    private static readonly VmxCapabilities Skylake = Fixtures.Caps(Fixtures.Skylake);

    [Fact]
    public void Cr0_gets_pe_ne_pg_from_fixed0()
    {
        // CR0_FIXED0 0x80000021, CR0_FIXED1 0xffffffff.
        Assert.Equal(0x80000021UL, FixedBits.AdjustCr0(Skylake, new Cr0(0)).Value);
        Assert.Equal(0x80000031UL, FixedBits.AdjustCr0(Skylake, new Cr0(0x10)).Value);
        Assert.Equal(0xFFFFFFFFUL, FixedBits.AdjustCr0(Skylake, new Cr0(ulong.MaxValue)).Value);
    }

    [Fact]
    public void Unrestricted_guest_exempts_pe_and_pg()
    {
        Assert.Equal(0x20UL, FixedBits.AdjustCr0(Skylake, new Cr0(0), unrestrictedGuest: true).Value);
        Assert.Equal(0UL, FixedBits.Cr0Violations(Skylake, new Cr0(0x20), unrestrictedGuest: true));
        Assert.Equal(0x80000001UL, FixedBits.Cr0Violations(Skylake, new Cr0(0x20)));
    }

    [Fact]
    public void Cr4_gets_vmxe_and_loses_bits_fixed1_clears()
    {
        // CR4_FIXED0 0x2000 (VMXE), CR4_FIXED1 0x3727ff.
        Assert.Equal(0x2000UL, FixedBits.AdjustCr4(Skylake, new Cr4(0)).Value);
        Assert.Equal(0x3727FFUL, FixedBits.AdjustCr4(Skylake, new Cr4(ulong.MaxValue)).Value);
        Assert.Equal(0x2000UL | 0x800UL, FixedBits.Cr4Violations(Skylake, new Cr4(0x800)));
    }
}

using System;
using System.Linq;
using Vmx;
using Xunit;

namespace Vmx.Runtime.Tests;

/// <summary>MsrBitmap against the SDM's description of the page ("MSR-Bitmap Address"): read bitmap for low MSRs
/// 00000000H–00001FFFH at byte 0, for high MSRs C0000000H–C0001FFFH at 1024, write bitmaps at 2048 and 3072, bit n of a
/// bitmap at byte n/8, bit n%8. Expected positions are worked out by hand; the page is searched for the bit that changed.</summary>
public class MsrBitmapTests
{
    private static BitmapMsr At(uint address)
    {
        Assert.True(BitmapMsr.TryFromAddress(address, out var msr), $"0x{address:X} should be inside the bitmap");
        return msr;
    }

    private static int OnlySetBit(MsrBitmap bitmap)
    {
        var bits = Enumerable.Range(0, MsrBitmap.PageSize * 8).Where(i => (bitmap.Bytes[i / 8] >> (i % 8) & 1) != 0).ToList();
        Assert.Single(bits);
        return bits[0];
    }

    [Theory]
    [InlineData(0x00000000u, 0, 2048, 0)]
    [InlineData(0x00000010u, 2, 2050, 0)]
    [InlineData(0x00001FFFu, 1023, 3071, 7)]
    [InlineData(0xC0000000u, 1024, 3072, 0)]
    [InlineData(0xC0000080u, 1040, 3088, 0)]
    [InlineData(0xC0000101u, 1056, 3104, 1)]
    [InlineData(0xC0001FFFu, 2047, 4095, 7)]
    public void Each_intercept_is_the_bit_the_SDM_describes(uint address, int readByte, int writeByte, int bit)
    {
        var msr = At(address);
        Assert.Equal(address, msr.Address);

        var read = new MsrBitmap();
        read.Intercept(msr, MsrBitmapAccess.Read);
        Assert.Equal(readByte * 8 + bit, OnlySetBit(read));
        Assert.True(read.IsIntercepted(msr, MsrBitmapAccess.Read));
        Assert.False(read.IsIntercepted(msr, MsrBitmapAccess.Write));
        Assert.Equal((readByte, bit), MsrBitmap.Position(msr, MsrBitmapAccess.Read));

        var write = new MsrBitmap();
        write.Intercept(msr, MsrBitmapAccess.Write);
        Assert.Equal(writeByte * 8 + bit, OnlySetBit(write));
        Assert.Equal((writeByte, bit), MsrBitmap.Position(msr, MsrBitmapAccess.Write));

        write.Intercept(msr);
        Assert.True(write.IsIntercepted(msr, MsrBitmapAccess.ReadWrite));
        write.PassThrough(msr, MsrBitmapAccess.Write);
        Assert.Equal(readByte * 8 + bit, OnlySetBit(write));
        write.PassThrough(msr);
        Assert.All(write.Bytes.ToArray(), b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(0x00002000u)]
    [InlineData(0x0000FFFFu)]
    [InlineData(0x40000000u)]
    [InlineData(0xBFFFFFFFu)]
    [InlineData(0xC0002000u)]
    [InlineData(0xFFFFFFFFu)]
    public void An_address_outside_both_ranges_is_no_bitmap_msr(uint address)
    {
        Assert.False(BitmapMsr.TryFromAddress(address, out _));
    }

    [Fact]
    public void Each_ranges_edges_are_slots_0_8191_8192_and_16383()
    {
        Assert.Equal(0, At(0).Slot);
        Assert.Equal(8191, At(0x1FFF).Slot);
        Assert.Equal(8192, At(0xC0000000).Slot);
        Assert.Equal(16383, At(0xC0001FFF).Slot);
    }

    [Fact]
    public void The_generated_members_are_the_spec_msrs_at_their_addresses()
    {
        Assert.Equal(0xC0000080u, BitmapMsr.Ia32Efer.Address);
        Assert.Equal("IA32_EFER", BitmapMsr.Ia32Efer.ToString());
        Assert.Equal(0x174u, BitmapMsr.Ia32SysenterCs.Address);
        Assert.True(BitmapMsr.TryFrom(Msr.Ia32KernelGsBase, out var kernelGs));
        Assert.Equal(BitmapMsr.Ia32KernelGsBase, kernelGs);
        Assert.Equal("0x00001FFF", At(0x1FFF).ToString()); // not in the spec: its address
    }

    [Fact]
    public void Clearing_one_intercept_leaves_the_neighbours_in_its_byte()
    {
        var page = Enumerable.Repeat((byte)0xFF, MsrBitmap.PageSize).ToArray();
        var bitmap = new MsrBitmap(page);
        bitmap.PassThrough(BitmapMsr.Ia32Efer);
        Assert.Equal(0xFE, page[1040]);
        Assert.Equal(0xFE, page[3088]);
        Assert.Equal(0xFF, page[1041]);
    }

    [Fact]
    public void A_page_of_the_wrong_size_or_an_empty_access_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new MsrBitmap(new byte[4095]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MsrBitmap().Intercept(BitmapMsr.Ia32Efer, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MsrBitmap.Position(BitmapMsr.Ia32Efer, MsrBitmapAccess.ReadWrite));
    }
}

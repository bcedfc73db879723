using System.Collections.Generic;
using System.Linq;

namespace Vmx.Spec.Emit;

/// <summary>The MSR-bitmap page as the templates see it (SDM Vol. 3 "MSR-Bitmap Address"): four contiguous 1-KByte
/// bitmaps, one bit per MSR — read bitmap for low MSRs (00000000H–00001FFFH) at offset 0, read bitmap for high MSRs
/// (C0000000H–C0001FFFH) at 1024, write bitmap for low MSRs at 2048, write bitmap for high MSRs at 3072; bit n of a
/// quarter is bit n mod 8 of its byte n/8. RDMSR/WRMSR of an MSR outside both ranges always exits. These are the only
/// statement of that layout: vmx_msr_bitmap.h and MsrBitmap.g.cs are both rendered from them.
/// A <i>slot</i> numbers the MSRs the bitmap controls: the low range is slots 0–8191, the high range 8192–16383, so an
/// MSR's read bit is bit <c>slot</c> of the page and its write bit bit <c>WriteBitOffset + slot</c>.</summary>
public sealed class MsrBitmapView
{
    public const string Section = "MSR-Bitmap Address";
    public const uint PageSize = 4096;
    public const uint LowFirst = 0x00000000, LowLast = 0x00001FFF;
    public const uint HighFirst = 0xC0000000, HighLast = 0xC0001FFF;
    public const uint ReadLowOffset = 0, ReadHighOffset = 1024, WriteLowOffset = 2048, WriteHighOffset = 3072;
    /// <summary>MSRs per range (one 1-KByte quarter: 8192 bits).</summary>
    public const uint RangeSize = LowLast - LowFirst + 1;

    public MsrBitmapView(IEnumerable<MsrView> msrs)
    {
        var all = msrs.ToList();
        InRange = all.Where(m => SlotOf(m.AddressValue) is not null).Select(m => new BitmapMsrView(m, SlotOf(m.AddressValue)!.Value)).ToList();
        OutOfRange = all.Where(m => SlotOf(m.AddressValue) is null).ToList();
    }

    /// <summary>The slot of an address the bitmap controls, or null for one outside both ranges.</summary>
    public static uint? SlotOf(uint address) =>
        address <= LowLast ? address - LowFirst
        : address >= HighFirst && address <= HighLast ? address - HighFirst + RangeSize
        : null;

    /// <summary>The spec's MSRs whose RDMSR/WRMSR the bitmap controls, in spec order.</summary>
    public List<BitmapMsrView> InRange { get; }
    /// <summary>The spec's MSRs outside both ranges: they get no per-MSR bitmap member (every access to them exits).</summary>
    public List<MsrView> OutOfRange { get; }

    public string PageSizeText => PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public uint PageLast => PageSize - 1;
    public string LowFirstHex => Names.Hex(LowFirst, 8);
    public string LowLastHex => Names.Hex(LowLast, 8);
    public string HighFirstHex => Names.Hex(HighFirst, 8);
    public string HighLastHex => Names.Hex(HighLast, 8);
    public uint ReadLow => ReadLowOffset;
    public uint ReadHigh => ReadHighOffset;
    public uint WriteLow => WriteLowOffset;
    public uint WriteHigh => WriteHighOffset;
    public uint Range => RangeSize;
    public string SectionTitle => Section;
}

/// <summary>An MSR of the spec that the bitmap controls, with its slot.</summary>
public sealed class BitmapMsrView
{
    public BitmapMsrView(MsrView msr, uint slot)
    {
        Msr = msr;
        Slot = slot;
        SlotMacro = "VMX_MSR_BITMAP_SLOT_" + msr.Macro.Substring("VMX_MSR_".Length);
    }

    public MsrView Msr { get; }
    public uint Slot { get; }
    public string SlotHex => Names.Hex(Slot, 4);
    public string SlotMacro { get; }
    public uint ReadByte => MsrBitmapView.ReadLowOffset + Slot / 8;
    public uint WriteByte => MsrBitmapView.WriteLowOffset + Slot / 8;
    public uint Bit => Slot % 8;
}

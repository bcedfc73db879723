using System;
using System.Globalization;

namespace Vmx;

/// <summary>RDMSR, WRMSR or both: which intercepts of an MSR a bitmap call changes or tests.</summary>
[Flags]
public enum MsrBitmapAccess
{
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,
}

/// <summary>An MSR the MSR bitmap controls, as its slot: addresses 00000000H–00001FFFH are slots 0–8191,
/// C0000000H–C0001FFFH slots 8192–16383. No value of this type names an MSR outside those ranges: the generated static
/// members exist only for the spec's MSRs inside them (<c>BitmapMsr.Ia32Efer</c>), so naming one outside does not
/// compile, and an arbitrary address goes through <see cref="TryFromAddress"/>. <c>default</c> is MSR 0.</summary>
public readonly partial struct BitmapMsr : IEquatable<BitmapMsr>
{
    private readonly ushort _slot;

    private BitmapMsr(int slot) => _slot = (ushort)slot;

    /// <summary>0–8191 for the low range, 8192–16383 for the high range.</summary>
    public int Slot => _slot;

    public uint Address => _slot < MsrBitmap.RangeSize
        ? MsrBitmap.LowFirst + _slot
        : MsrBitmap.HighFirst + (uint)(_slot - MsrBitmap.RangeSize);

    /// <summary>The bitmap's MSR at <paramref name="address"/>; false for an address outside both ranges (every
    /// RDMSR/WRMSR of it exits, whatever the bitmap says).</summary>
    public static bool TryFromAddress(uint address, out BitmapMsr msr)
    {
        if (address <= MsrBitmap.LowLast) msr = new BitmapMsr((int)(address - MsrBitmap.LowFirst));
        else if (address >= MsrBitmap.HighFirst && address <= MsrBitmap.HighLast)
            msr = new BitmapMsr((int)(address - MsrBitmap.HighFirst) + MsrBitmap.RangeSize);
        else
        {
            msr = default;
            return false;
        }
        return true;
    }

    /// <summary>The spec's MSR <paramref name="msr"/>, if the bitmap controls it.</summary>
    public static bool TryFrom(Msr msr, out BitmapMsr bitmapMsr) => TryFromAddress((uint)msr, out bitmapMsr);

    public bool Equals(BitmapMsr other) => _slot == other._slot;
    public override bool Equals(object? obj) => obj is BitmapMsr other && Equals(other);
    public override int GetHashCode() => _slot;
    public static bool operator ==(BitmapMsr left, BitmapMsr right) => left.Equals(right);
    public static bool operator !=(BitmapMsr left, BitmapMsr right) => !left.Equals(right);

    /// <summary>The spec's name (<c>IA32_EFER</c>) or the address in hex.</summary>
    public override string ToString() =>
        MsrCatalog.Find(Address)?.Name ?? "0x" + Address.ToString("X8", CultureInfo.InvariantCulture);
}

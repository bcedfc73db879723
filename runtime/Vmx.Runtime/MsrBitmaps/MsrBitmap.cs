using System;

namespace Vmx;

/// <summary>A 4-KByte MSR-bitmap page (the generated half states its layout): which RDMSR and WRMSR exit. A set bit
/// intercepts (exit reason 31 or 32), a clear bit passes the access through. A new page intercepts nothing.</summary>
public sealed partial class MsrBitmap
{
    private static readonly MsrBitmapAccess[] OneAccess = { MsrBitmapAccess.Read, MsrBitmapAccess.Write };
    private readonly byte[] _page;

    public MsrBitmap() => _page = new byte[PageSize];

    /// <summary>Over an existing page (e.g. one shared with a driver); it must be <see cref="PageSize"/> bytes.</summary>
    public MsrBitmap(byte[] page)
    {
        if (page is null) throw new ArgumentNullException(nameof(page));
        if (page.Length != PageSize) throw new ArgumentException($"an MSR bitmap is {PageSize} bytes, not {page.Length}", nameof(page));
        _page = page;
    }

    /// <summary>The page as the processor reads it.</summary>
    public Span<byte> Bytes => _page;

    /// <summary>The byte of the page and the bit in it that hold one intercept (<see cref="MsrBitmapAccess.Read"/> or
    /// <see cref="MsrBitmapAccess.Write"/>) of <paramref name="msr"/>.</summary>
    public static (int ByteOffset, int Bit) Position(BitmapMsr msr, MsrBitmapAccess access)
    {
        if (access != MsrBitmapAccess.Read && access != MsrBitmapAccess.Write)
            throw new ArgumentOutOfRangeException(nameof(access), access, "one intercept: Read or Write");
        // The quarters are consecutive: read low, read high, write low, write high.
        var first = access == MsrBitmapAccess.Write ? WriteLowOffset : ReadLowOffset;
        return (first + msr.Slot / 8, msr.Slot % 8);
    }

    /// <summary>RDMSR and/or WRMSR of <paramref name="msr"/> exit.</summary>
    public void Intercept(BitmapMsr msr, MsrBitmapAccess access = MsrBitmapAccess.ReadWrite) => Set(msr, access, true);

    /// <summary>RDMSR and/or WRMSR of <paramref name="msr"/> reach the MSR without an exit.</summary>
    public void PassThrough(BitmapMsr msr, MsrBitmapAccess access = MsrBitmapAccess.ReadWrite) => Set(msr, access, false);

    /// <summary>Whether every access in <paramref name="access"/> of <paramref name="msr"/> exits.</summary>
    public bool IsIntercepted(BitmapMsr msr, MsrBitmapAccess access)
    {
        CheckAccess(access);
        foreach (var one in OneAccess)
        {
            if ((access & one) == 0) continue;
            var (offset, bit) = Position(msr, one);
            if ((_page[offset] >> bit & 1) == 0) return false;
        }
        return true;
    }

    private void Set(BitmapMsr msr, MsrBitmapAccess access, bool intercept)
    {
        CheckAccess(access);
        foreach (var one in OneAccess)
        {
            if ((access & one) == 0) continue;
            var (offset, bit) = Position(msr, one);
            _page[offset] = intercept ? (byte)(_page[offset] | 1 << bit) : (byte)(_page[offset] & ~(1 << bit));
        }
    }

    private static void CheckAccess(MsrBitmapAccess access)
    {
        if (access == 0 || (access & ~MsrBitmapAccess.ReadWrite) != 0)
            throw new ArgumentOutOfRangeException(nameof(access), access, "Read, Write or ReadWrite");
    }
}

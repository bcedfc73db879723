namespace Vmx;

/// <summary>CR0 and CR4 in VMX operation (SDM "VMX-Fixed Bits in CR0", "VMX-Fixed Bits in CR4"): a bit set in FIXED0
/// must be 1, a bit clear in FIXED1 must be 0. With "unrestricted guest", a guest's CR0.PE and CR0.PG are exempt
/// (SDM "Checks on Guest Control Registers, Debug Registers, and MSRs").</summary>
public static class FixedBits
{
    public static Cr0 AdjustCr0(VmxCapabilities caps, Cr0 value, bool unrestrictedGuest = false)
        => new((value.Value | Cr0MustBe1(caps, unrestrictedGuest)) & caps.Cr0Fixed1.Value);

    public static Cr4 AdjustCr4(VmxCapabilities caps, Cr4 value)
        => new((value.Value | caps.Cr4Fixed0.Value) & caps.Cr4Fixed1.Value);

    /// <summary>The bits of <paramref name="value"/> that break the fixed-bit rules (0 if none).</summary>
    public static ulong Cr0Violations(VmxCapabilities caps, Cr0 value, bool unrestrictedGuest = false)
        => (~value.Value & Cr0MustBe1(caps, unrestrictedGuest)) | (value.Value & ~caps.Cr0Fixed1.Value);

    public static ulong Cr4Violations(VmxCapabilities caps, Cr4 value)
        => (~value.Value & caps.Cr4Fixed0.Value) | (value.Value & ~caps.Cr4Fixed1.Value);

    private static ulong Cr0MustBe1(VmxCapabilities caps, bool unrestrictedGuest)
        => unrestrictedGuest ? caps.Cr0Fixed0.Value & ~(Cr0.PeMask | Cr0.PgMask) : caps.Cr0Fixed0.Value;
}

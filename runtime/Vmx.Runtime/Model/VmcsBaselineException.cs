namespace Vmx;

/// <summary>The processor cannot host the baseline's 64-bit guest: a control it needs may not be 1, or a CR0/CR4 bit
/// it needs is fixed to 0. <see cref="Msr"/> and <see cref="MsrBit"/> name the capability MSR bit that says so.</summary>
public sealed class VmcsBaselineException : System.Exception
{
    public VmcsBaselineException(string msr, int msrBit, string what)
        : base($"no baseline VMCS on this processor: {what}, but {msr} bit {msrBit} is 0")
    {
        Msr = msr;
        MsrBit = msrBit;
    }

    /// <summary>The capability MSR's name, e.g. IA32_VMX_TRUE_EXIT_CTLS.</summary>
    public string Msr { get; }

    /// <summary>The bit of <see cref="Msr"/> that is 0 where the baseline needs a 1.</summary>
    public int MsrBit { get; }
}

using System;
using System.Collections.Generic;

namespace Vmx;

/// <summary>What the spec says about one MSR. <paramref name="ExistsIfAnyAllowed"/>: the MSR exists only if the processor
/// allows the 1-setting of one of these controls (SDM Appendix A); empty when the spec states no condition.</summary>
public sealed record MsrInfo(Msr Msr, string Id, string Name, string Title, LayoutInfo? Layout,
    IReadOnlyList<ControlBitReference> ExistsIfAnyAllowed)
{
    public uint Address => (uint)Msr;

    /// <summary>Whether the MSR exists, given which control bits may be 1 (e.g. <c>VmxCapabilities.IsAllowed1</c>).</summary>
    public bool Exists(Func<ControlBitReference, bool> isAllowed1)
    {
        if (ExistsIfAnyAllowed.Count == 0) return true;
        foreach (var reference in ExistsIfAnyAllowed)
            if (isAllowed1(reference)) return true;
        return false;
    }
}

/// <summary>Every MSR of the spec; the generated half holds <c>All</c> and <c>Find(uint)</c>.</summary>
public static partial class MsrCatalog
{
    public static MsrInfo? Find(Msr msr) => Find((uint)msr);
}

using System.Collections.Generic;

namespace Vmx;

/// <summary>What the spec says about one basic exit reason: its id, the SDM's title and the layout of its exit
/// qualification (null when the qualification is not used or not described, or depends on the vector).</summary>
public sealed record ExitReasonInfo(ExitReason Reason, string Id, string Title, LayoutInfo? Qualification)
{
    private static readonly IReadOnlyDictionary<uint, LayoutInfo> NoVectors = new Dictionary<uint, LayoutInfo>();

    public ushort Number => (ushort)Reason;

    /// <summary>The spec id of the qualification's layout, or null.</summary>
    public string? QualificationLayout => Qualification?.Id;

    /// <summary>The qualification's layout per vector (bits 7:0 of the VM-exit interruption information) for a reason
    /// whose qualification depends on it (exception or NMI: #DB, #PF); empty otherwise. A vector not listed has no qualification.</summary>
    public IReadOnlyDictionary<uint, LayoutInfo> QualificationByVector { get; init; } = NoVectors;

    /// <summary>True when the qualification's layout depends on the vector (<see cref="QualificationByVector"/>).</summary>
    public bool QualificationDependsOnVector => QualificationByVector.Count > 0;

    /// <summary>The layout of the qualification saved with this reason and event vector: the per-vector layout when
    /// the reason has them (null without a vector or for a vector not listed), else <see cref="Qualification"/>.</summary>
    public LayoutInfo? QualificationFor(uint? vector)
    {
        if (!QualificationDependsOnVector) return Qualification;
        return vector is { } v && QualificationByVector.TryGetValue(v, out var layout) ? layout : null;
    }
}

/// <summary>Every basic exit reason of the spec; the generated half holds <c>All</c>, <c>Find(uint)</c> and
/// <c>MaxBasicReason</c>.</summary>
public static partial class ExitReasonCatalog
{
    public static ExitReasonInfo? Find(ExitReason reason) => Find((uint)reason);
}

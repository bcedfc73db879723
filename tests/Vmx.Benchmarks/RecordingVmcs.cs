using System.Collections.Generic;

namespace Vmx.Benchmarks;

/// <summary>Passes reads through to another VMCS and records which encodings were read, in order: which fields and
/// how many the validator reads on one VMCS.</summary>
public sealed class RecordingVmcs : IVmcsAccessor
{
    private readonly IVmcsAccessor _inner;

    public RecordingVmcs(IVmcsAccessor inner) => _inner = inner;

    public List<VmcsField> Reads { get; } = new();

    public VmxResult Read(VmcsField field, out ulong value)
    {
        Reads.Add(field);
        return _inner.Read(field, out value);
    }

    public VmxResult Write(VmcsField field, ulong value) => _inner.Write(field, value);
}

using System.Collections.Generic;
using System.Linq;

namespace Vmx;

/// <summary>A VMCS region held in memory: the header (revision id, shadow-VMCS indicator, abort indicator), the launch
/// state, and the value of every field. As an <see cref="IVmcsAccessor"/> it behaves like the current VMCS under
/// VMREAD/VMWRITE: unsupported fields fail with error 12, read-only ones with 13 unless IA32_VMX_MISC[29].</summary>
public sealed class InMemoryVmcs : IVmcsAccessor
{
    private readonly Dictionary<VmcsField, ulong> _values = new();

    /// <param name="revisionId">Bits 30:0 of the region's first dword.</param>
    /// <param name="capabilities">The processor whose fields exist; null means every field of the spec exists and
    /// the read-only fields are read-only.</param>
    public InMemoryVmcs(uint revisionId, VmxCapabilities? capabilities = null)
    {
        RevisionId = revisionId;
        Capabilities = capabilities;
    }

    /// <summary>A VMCS with the revision id the processor expects.</summary>
    public static InMemoryVmcs For(VmxCapabilities capabilities) => new(capabilities.VmcsRevisionId, capabilities);

    public VmxCapabilities? Capabilities { get; }

    public uint RevisionId { get; set; }

    /// <summary>Bit 31 of the first dword: the region is a shadow VMCS.</summary>
    public bool ShadowVmcsIndicator { get; set; }

    /// <summary>The VMX-abort indicator (the region's second dword).</summary>
    public uint AbortIndicator { get; set; }

    public VmcsLaunchState LaunchState { get; set; }

    /// <summary>Set by the model when VMXOFF left this VMCS launched: a later VMRESUME fails with error 6.</summary>
    internal bool LaunchedBeforeVmxoff { get; set; }

    /// <summary>Every field this VMCS has, in catalog order, with its value (0 where never written).</summary>
    public IEnumerable<(VmcsFieldInfo Field, ulong Value)> Fields =>
        VmcsFieldCatalog.All.Where(Exists).Select(f => (f, _values.TryGetValue(f.Field, out var v) ? v : 0));

    public bool Exists(VmcsFieldInfo field) => Capabilities?.FieldExists(field) ?? true;

    public VmxResult Read(VmcsField field, out ulong value)
    {
        value = 0;
        if (Resolve(field) is not { } access) return VmxResult.FailValid((uint)VmInstructionError.VmreadVmwriteUnsupportedVmcsComponent);
        var full = _values.TryGetValue(access.Info.Field, out var stored) ? stored : 0;
        value = access.High ? full >> 32 : full;
        return VmxResult.Success;
    }

    public VmxResult Write(VmcsField field, ulong value)
    {
        if (Resolve(field) is not { } access) return VmxResult.FailValid((uint)VmInstructionError.VmreadVmwriteUnsupportedVmcsComponent);
        if (access.Info.IsReadOnly && !(Capabilities?.VmwriteAnyField ?? false))
            return VmxResult.FailValid((uint)VmInstructionError.VmwriteReadOnlyVmcsComponent);
        Store(access, value);
        return VmxResult.Success;
    }

    /// <summary>Sets a field as the processor itself does (VM exits write the read-only fields), without VMWRITE's
    /// rules; the value is truncated to the field's width like VMWRITE truncates its source.</summary>
    public void Store(VmcsField field, ulong value)
    {
        var access = VmcsEncoding.Resolve((uint)field) ?? throw new System.ArgumentException($"0x{(uint)field:X4} is no VMCS field", nameof(field));
        Store(access, value);
    }

    private void Store(VmcsFieldAccess access, ulong value)
    {
        var info = access.Info;
        if (access.High)
        {
            var old = _values.TryGetValue(info.Field, out var v) ? v : 0;
            _values[info.Field] = (old & 0xFFFF_FFFFUL) | ((value & 0xFFFF_FFFFUL) << 32);
            return;
        }
        _values[info.Field] = info.BitWidth == 64 ? value : value & ((1UL << info.BitWidth) - 1);
    }

    private VmcsFieldAccess? Resolve(VmcsField field) =>
        VmcsEncoding.Resolve((uint)field) is { } access && Exists(access.Info) ? access : null;
}

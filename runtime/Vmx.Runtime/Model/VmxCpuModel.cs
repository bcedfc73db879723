using System.Collections.Generic;

namespace Vmx;

/// <summary>One logical processor's VMX state as the SDM's instruction pseudo-code defines it ("VMX Instruction
/// Reference"): VMX operation and the VMXON pointer, the current-VMCS pointer, and VMCS regions in a sparse physical
/// memory. Every VMX failure is a <see cref="VmxResult"/>; VMfailValid also stores the error number in the current
/// VMCS's VM-instruction error field, as the processor does. Faults (#UD outside VMX operation) are
/// <see cref="VmxFaultException"/>s. The model does not perform VM entries: a VMLAUNCH or VMRESUME that passes the
/// instruction's own checks counts as an entry followed at once by an exit, so only the launch state changes.</summary>
public sealed class VmxCpuModel : IVmcsAccessor
{
    /// <summary>The current-VMCS pointer when there is no current VMCS (what VMPTRST stores).</summary>
    public const ulong NoCurrentVmcs = ulong.MaxValue;

    private const ulong PageMask = 0xFFF;
    private readonly Dictionary<ulong, InMemoryVmcs> _memory = new();
    private readonly int _physicalAddressWidth;

    /// <param name="capabilities">The processor's capability MSRs: revision id, which fields exist, MISC[29].</param>
    /// <param name="physicalAddressWidth">MAXPHYADDR (CPUID.80000008H:EAX[7:0]); VMX pointers must lie below it, and
    /// below 4 GiB when IA32_VMX_BASIC[48] is 1.</param>
    public VmxCpuModel(VmxCapabilities capabilities, int physicalAddressWidth = 46)
    {
        Capabilities = capabilities;
        _physicalAddressWidth = capabilities.Basic.PhysicalAddressWidth32 && physicalAddressWidth > 32 ? 32 : physicalAddressWidth;
    }

    public VmxCapabilities Capabilities { get; }

    public bool InVmxOperation { get; private set; }

    public ulong VmxonPointer { get; private set; } = NoCurrentVmcs;

    public ulong CurrentVmcsPointer { get; private set; } = NoCurrentVmcs;

    public InMemoryVmcs? CurrentVmcs => CurrentVmcsPointer == NoCurrentVmcs ? null : _memory.GetValueOrDefault(CurrentVmcsPointer);

    /// <summary>Models a MOV SS or POP SS just before the next VMLAUNCH/VMRESUME (error 26).</summary>
    public bool EventsBlockedByMovSs { get; set; }

    /// <summary>Puts a region with the processor's VMCS revision id at <paramref name="physicalAddress"/> (for a VMCS or
    /// a VMXON region: both start with the revision id).</summary>
    public InMemoryVmcs Allocate(ulong physicalAddress) => Place(physicalAddress, InMemoryVmcs.For(Capabilities));

    public InMemoryVmcs Place(ulong physicalAddress, InMemoryVmcs region)
    {
        _memory[physicalAddress] = region;
        return region;
    }

    public InMemoryVmcs? RegionAt(ulong physicalAddress) => _memory.GetValueOrDefault(physicalAddress);

    public VmxResult Vmxon(ulong pointer)
    {
        if (InVmxOperation) return Fail(VmInstructionError.VmxonInVmxRootOperation);
        // Outside VMX operation there is no current VMCS to hold an error number: every failure is VMfailInvalid.
        if (!IsValidPointer(pointer) || RevisionOf(pointer) is not { } header || header.RevisionId != Capabilities.VmcsRevisionId || header.ShadowVmcsIndicator)
            return VmxResult.FailInvalid;
        InVmxOperation = true;
        VmxonPointer = pointer;
        CurrentVmcsPointer = NoCurrentVmcs;
        return VmxResult.Success;
    }

    public VmxResult Vmxoff()
    {
        RequireVmxOperation("VMXOFF");
        foreach (var region in _memory.Values)
            if (region.LaunchState == VmcsLaunchState.Launched) region.LaunchedBeforeVmxoff = true;
        InVmxOperation = false;
        VmxonPointer = NoCurrentVmcs;
        CurrentVmcsPointer = NoCurrentVmcs;
        return VmxResult.Success;
    }

    public VmxResult Vmclear(ulong pointer)
    {
        RequireVmxOperation("VMCLEAR");
        if (!IsValidPointer(pointer)) return Fail(VmInstructionError.VmclearInvalidPhysicalAddress);
        if (pointer == VmxonPointer) return Fail(VmInstructionError.VmclearVmxonPointer);
        if (_memory.TryGetValue(pointer, out var region))
        {
            region.LaunchState = VmcsLaunchState.Clear;
            region.LaunchedBeforeVmxoff = false;
        }
        if (pointer == CurrentVmcsPointer) CurrentVmcsPointer = NoCurrentVmcs;
        return VmxResult.Success;
    }

    public VmxResult Vmptrld(ulong pointer)
    {
        RequireVmxOperation("VMPTRLD");
        if (!IsValidPointer(pointer)) return Fail(VmInstructionError.VmptrldInvalidPhysicalAddress);
        if (pointer == VmxonPointer) return Fail(VmInstructionError.VmptrldVmxonPointer);
        var region = RevisionOf(pointer);
        var shadowing = ControlCapability.BitOf((ulong)Proc2Controls.VmcsShadowing);
        if (region is null || region.RevisionId != Capabilities.VmcsRevisionId ||
            (region.ShadowVmcsIndicator && !Capabilities.IsAllowed1(ControlFieldKind.Proc2, shadowing)))
            return Fail(VmInstructionError.VmptrldIncorrectVmcsRevisionIdentifier);
        CurrentVmcsPointer = pointer;
        return VmxResult.Success;
    }

    public VmxResult Vmptrst(out ulong pointer)
    {
        RequireVmxOperation("VMPTRST");
        pointer = CurrentVmcsPointer;
        return VmxResult.Success;
    }

    /// <summary>VMREAD: VMfailInvalid without a current VMCS, error 12 for a field this processor does not have.</summary>
    public VmxResult Read(VmcsField field, out ulong value)
    {
        RequireVmxOperation("VMREAD");
        value = 0;
        return CurrentVmcs is { } vmcs ? Record(vmcs.Read(field, out value)) : VmxResult.FailInvalid;
    }

    /// <summary>VMWRITE: VMfailInvalid without a current VMCS, error 12 for a field this processor does not have,
    /// 13 for a VM-exit information field unless IA32_VMX_MISC[29].</summary>
    public VmxResult Write(VmcsField field, ulong value)
    {
        RequireVmxOperation("VMWRITE");
        return CurrentVmcs is { } vmcs ? Record(vmcs.Write(field, value)) : VmxResult.FailInvalid;
    }

    public VmxResult Vmlaunch()
    {
        RequireVmxOperation("VMLAUNCH");
        if (CurrentVmcs is not { } vmcs) return VmxResult.FailInvalid;
        if (EventsBlockedByMovSs) return Fail(VmInstructionError.VmEntryEventsBlockedByMovSs);
        if (vmcs.LaunchState != VmcsLaunchState.Clear) return Fail(VmInstructionError.VmlaunchNonClearVmcs);
        vmcs.LaunchState = VmcsLaunchState.Launched;
        return VmxResult.Success;
    }

    public VmxResult Vmresume()
    {
        RequireVmxOperation("VMRESUME");
        if (CurrentVmcs is not { } vmcs) return VmxResult.FailInvalid;
        if (EventsBlockedByMovSs) return Fail(VmInstructionError.VmEntryEventsBlockedByMovSs);
        if (vmcs.LaunchState != VmcsLaunchState.Launched) return Fail(VmInstructionError.VmresumeNonLaunchedVmcs);
        if (vmcs.LaunchedBeforeVmxoff) return Fail(VmInstructionError.VmresumeAfterVmxoff);
        return VmxResult.Success;
    }

    /// <summary>VMCALL in VMX root operation, without the dual-monitor treatment this model does not have.</summary>
    public VmxResult Vmcall()
    {
        RequireVmxOperation("VMCALL");
        return Fail(VmInstructionError.VmcallInVmxRootOperation);
    }

    /// <summary>The SDM's VMfail(error): VMfailValid with the error stored in the current VMCS when there is one,
    /// VMfailInvalid otherwise.</summary>
    private VmxResult Fail(VmInstructionError error) => Record(VmxResult.FailValid((uint)error));

    private VmxResult Record(VmxResult result)
    {
        if (result.Kind != VmxResultKind.FailValid) return result;
        if (CurrentVmcs is not { } vmcs) return VmxResult.FailInvalid;
        vmcs.Store(VmcsField.VmInstructionError, result.Error);
        return result;
    }

    private void RequireVmxOperation(string instruction)
    {
        if (!InVmxOperation) throw new VmxFaultException("#UD", instruction, "the processor is not in VMX operation");
    }

    /// <summary>4-KByte aligned and within the physical-address width.</summary>
    private bool IsValidPointer(ulong pointer) => (pointer & PageMask) == 0 && pointer >> _physicalAddressWidth == 0;

    /// <summary>The region at the address; memory nobody placed a region in reads as zeros, hence revision 0.</summary>
    private InMemoryVmcs? RevisionOf(ulong pointer) => _memory.GetValueOrDefault(pointer);
}

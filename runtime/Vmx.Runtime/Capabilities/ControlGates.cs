namespace Vmx;

/// <summary>Control fields that exist only when a control of another field may be 1 (SDM "VM-Execution Controls",
/// "VM-Exit Controls", "VM Functions"): their capability MSR is reported only then, and when the gate is 0 they act as
/// all zero. The bit positions come from the generated control enums.</summary>
internal static class ControlGates
{
    public static ControlBitReference? GateOf(ControlFieldKind kind) => kind switch
    {
        ControlFieldKind.Proc2 => new ControlBitReference(ControlFieldKind.Proc, ControlCapability.BitOf((ulong)ProcControls.ActivateSecondaryControls)),
        ControlFieldKind.Proc3 => new ControlBitReference(ControlFieldKind.Proc, ControlCapability.BitOf((ulong)ProcControls.ActivateTertiaryControls)),
        ControlFieldKind.Exit2 => new ControlBitReference(ControlFieldKind.Exit, ControlCapability.BitOf((ulong)ExitControls.ActivateSecondaryControls)),
        ControlFieldKind.Vmfunc => new ControlBitReference(ControlFieldKind.Proc2, ControlCapability.BitOf((ulong)Proc2Controls.EnableVmFunctions)),
        _ => null,
    };
}

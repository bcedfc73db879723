namespace Vmx;

/// <summary>The launch state of a VMCS (SDM "Software Use of the VMCS and Related Structures"): VMCLEAR makes it
/// clear, a VMLAUNCH that enters the guest makes it launched.</summary>
public enum VmcsLaunchState { Clear, Launched }

namespace Vmx;

/// <summary>How a VMX instruction ended (SDM "Conventions" for VMX instructions): VMsucceed; VMfailInvalid
/// (no current VMCS, CF=1); or VMfailValid with a VM-instruction error number (ZF=1).</summary>
public enum VmxResultKind { Success, FailInvalid, FailValid }

/// <summary>The outcome of a VMX instruction. Failures are values, not exceptions: the error number is the
/// one the CPU would store in the VM-instruction error field.</summary>
public readonly record struct VmxResult(VmxResultKind Kind, uint Error)
{
    public static VmxResult Success => default;
    public static VmxResult FailInvalid => new(VmxResultKind.FailInvalid, 0);
    public static VmxResult FailValid(uint error) => new(VmxResultKind.FailValid, error);

    public bool IsSuccess => Kind == VmxResultKind.Success;

    public override string ToString() => Kind switch
    {
        VmxResultKind.Success => "VMsucceed",
        VmxResultKind.FailInvalid => "VMfailInvalid",
        _ => $"VMfailValid({Error})",
    };
}

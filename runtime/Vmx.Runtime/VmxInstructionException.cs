using System;

namespace Vmx;

/// <summary>Thrown by the typed VMCS properties when the accessor reports a failure; the TryRead/TryWrite
/// methods return the <see cref="VmxResult"/> instead.</summary>
public sealed class VmxInstructionException : Exception
{
    public VmxInstructionException(VmxResult result, VmcsField field)
        : base($"{result} accessing VMCS field {field} (0x{(uint)field:X4})")
    {
        Result = result;
        Field = field;
    }

    public VmxResult Result { get; }
    public VmcsField Field { get; }
}

using System;

namespace Vmx;

/// <summary>A fault the instruction raises instead of completing (#UD outside VMX operation, #GP): not a VMX failure,
/// which <see cref="VmxResult"/> reports, but the model's way to say the instruction never ran.</summary>
public sealed class VmxFaultException : InvalidOperationException
{
    public VmxFaultException(string vector, string instruction, string why)
        : base($"{instruction} raises {vector}: {why}")
    {
        Vector = vector;
        Instruction = instruction;
    }

    /// <summary>"#UD" or "#GP".</summary>
    public string Vector { get; }

    public string Instruction { get; }
}

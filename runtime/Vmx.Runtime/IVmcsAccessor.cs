namespace Vmx;

/// <summary>The read/write primitive the generated accessors sit on: the CPU (through a driver), an in-memory
/// VMCS, or a dump. Values are the raw 64-bit VMREAD/VMWRITE operand; the typed accessors narrow them.</summary>
public interface IVmcsAccessor
{
    VmxResult Read(VmcsField field, out ulong value);
    VmxResult Write(VmcsField field, ulong value);
}

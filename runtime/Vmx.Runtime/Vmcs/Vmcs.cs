namespace Vmx;

/// <summary>Typed access to every VMCS field through an accessor (the CPU, an in-memory VMCS, a dump).
/// Each field has its width's type; read-only fields have no setter; control fields are typed controls.
/// This half is the mechanism; the generated half has one property (and TryRead/TryWrite) per field of the spec.</summary>
public readonly partial struct Vmcs<TAccessor> where TAccessor : IVmcsAccessor
{
    private readonly TAccessor _accessor;

    public Vmcs(TAccessor accessor) => _accessor = accessor;

    public TAccessor Accessor => _accessor;

    private ulong Get(VmcsField field)
    {
        var result = _accessor.Read(field, out var value);
        return result.IsSuccess ? value : throw new VmxInstructionException(result, field);
    }

    private void Set(VmcsField field, ulong value)
    {
        var result = _accessor.Write(field, value);
        if (!result.IsSuccess) throw new VmxInstructionException(result, field);
    }
}

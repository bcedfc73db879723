namespace Vmx;

/// <summary>A required control the processor does not allow, and the capability MSR bit that says so.</summary>
/// <param name="Kind">The control field.</param>
/// <param name="FieldId">The control field's spec id (<c>proc2</c>).</param>
/// <param name="Bit">The control's bit position.</param>
/// <param name="BitId">The control's spec id (<c>unrestricted_guest</c>).</param>
/// <param name="Reason">The MSR fact, e.g. "IA32_VMX_PROCBASED_CTLS2 bit 39 is 0".</param>
public sealed record MissingControl(ControlFieldKind Kind, string FieldId, int Bit, string BitId, string Reason)
{
    public override string ToString() => $"{FieldId}.{BitId} (bit {Bit}): {Reason}";
}

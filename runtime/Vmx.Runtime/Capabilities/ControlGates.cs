namespace Vmx;

/// <summary>Control fields that are used only while a control of another field is 1 (the spec's <c>enabled-by</c>:
/// secondary and tertiary processor-based, secondary exit, VM-function controls): their capability MSR is reported
/// only when that control may be 1, and while it is 0 they act as all zero.</summary>
internal static class ControlGates
{
    public static ControlBitReference? GateOf(ControlFieldKind kind) => ControlFieldCatalog.All[(int)kind].EnabledBy;
}

namespace Vmx.Spec.Model;

/// <summary>An MSR. <see cref="Exists"/>: "exists only if the processor allows the 1-setting of any of these
/// controls" (SDM Appendix A), e.g. IA32_VMX_EPT_VPID_CAP; <see cref="ExistenceCondition.Always"/> when the spec says none.</summary>
public sealed record Msr(string Id, string Name, uint Address, string Title, string Section, string? Layout,
    string Description, string SdmRevision)
{
    public ExistenceCondition Exists { get; init; } = ExistenceCondition.Always;
}

/// <summary>A basic exit reason. <see cref="Qualification"/> names the layout of its exit qualification; a reason whose
/// qualification depends on the vector of the event (exit reason 0: #DB, #PF) states <see cref="QualificationByVector"/>
/// instead (SDM "Exit Qualification for VM Exits"), and a vector it does not list has no qualification.</summary>
public sealed record ExitReason(string Id, int Number, string Title, string Section, string? Qualification, string Description,
    string SdmRevision)
{
    public EquatableArray<VectorQualification> QualificationByVector { get; init; } = EquatableArray<VectorQualification>.Empty;
}

/// <summary>The exit-qualification layout of an exit reason for one vector (bits 7:0 of the VM-exit interruption information).</summary>
public sealed record VectorQualification(int Vector, string Layout);

public sealed record InstructionError(string Id, int Number, string Title, string Section, string Description, string SdmRevision);

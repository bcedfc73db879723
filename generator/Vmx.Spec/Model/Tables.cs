namespace Vmx.Spec.Model;

/// <summary>An MSR. <see cref="Exists"/>: "exists only if the processor allows the 1-setting of any of these
/// controls" (SDM Appendix A), e.g. IA32_VMX_EPT_VPID_CAP; <see cref="ExistenceCondition.Always"/> when the spec says none.</summary>
public sealed record Msr(string Id, string Name, uint Address, string Title, string Section, string? Layout,
    string Description, string SdmRevision, SourceLocation Location)
{
    public ExistenceCondition Exists { get; init; } = ExistenceCondition.Always;
}

public sealed record ExitReason(string Id, int Number, string Title, string Section, string? Qualification, string Description,
    string SdmRevision, SourceLocation Location);

public sealed record InstructionError(string Id, int Number, string Title, string Section, string Description, string SdmRevision,
    SourceLocation Location);

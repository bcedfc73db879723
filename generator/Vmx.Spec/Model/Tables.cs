namespace Vmx.Spec.Model;

public sealed record Msr(string Id, string Name, uint Address, string Title, string Section, string? Layout,
    string Description, string SdmRevision, SourceLocation Location);

public sealed record ExitReason(string Id, int Number, string Title, string Section, string? Qualification, string Description,
    string SdmRevision, SourceLocation Location);

public sealed record InstructionError(string Id, int Number, string Title, string Section, string Description, string SdmRevision,
    SourceLocation Location);

namespace Vmx.Spec.Model;

/// <summary>What the processor does when a VM-entry check fails: VMfailValid with VM-instruction error 7 or 8, or a
/// VM-entry failure (exit reason 33 or 34 with bit 31 set) with an exit qualification.</summary>
public sealed record CheckOutcome(int Number, int? Qualification)
{
    public bool IsVmExit => Number >= 33;

    public override string ToString() =>
        IsVmExit ? "exit " + Number + (Qualification is { } q ? " qualification " + q : "") : "vmfail " + Number;
}

/// <summary>A condition, a message or a vector value as the spec writes it, in the check language; parsed by
/// <see cref="Vmx.Spec.Checks.CheckCompiler"/>. A distinct instance per YAML scalar, so its position can be looked up.</summary>
public sealed record CheckText(string Text)
{
    public override string ToString() => Text;
}

/// <summary>One assignment of a vector: <c>target: value</c> on top of the baseline VMCS.</summary>
public sealed record CheckAssignment(CheckText Target, CheckText Value);

public sealed record CheckVector(EquatableArray<CheckAssignment> Assignments);

/// <summary>One VM-entry check as written in spec/checks, before <c>each</c> expands it: strings still hold <c>$</c>.</summary>
public sealed record VmEntryCheck(
    string Id,
    string Title,
    string Category,
    string Group,
    string Section,
    CheckOutcome Outcome,
    EquatableArray<CheckText> Inputs,
    CheckText? When,
    CheckText Require,
    CheckText Message,
    EquatableArray<CheckVector> Pass,
    EquatableArray<CheckVector> Fail,
    string SdmRevision)
{
    /// <summary>The registers <c>$</c> stands for; empty for a check of one register.</summary>
    public EquatableArray<string> Each { get; init; } = EquatableArray<string>.Empty;
    public string? Bochs { get; init; }
    public string? Description { get; init; }
}

namespace Vmx.Spec.Model;

/// <summary>The whole spec after loading and linking: what every emitter reads. Compares by value.</summary>
public sealed record SpecModel(
    EquatableArray<VmcsField> VmcsFields,
    EquatableArray<ControlField> ControlFields,
    EquatableArray<Layout> Layouts,
    EquatableArray<EnumDefinition> Enums,
    EquatableArray<Msr> Msrs,
    EquatableArray<ExitReason> ExitReasons,
    EquatableArray<InstructionError> InstructionErrors)
{
    public static SpecModel Empty { get; } = new(default, default, default, default, default, default, default);

    /// <summary>CPU facts read with CPUID (spec/cpuid/).</summary>
    public EquatableArray<CpuidBits> Cpuid { get; init; }

    /// <summary>Bits added to control fields by <c>control-bits:</c> entries whose control field is not in this model
    /// (a fragment's, or an overlay's own entries); the linked spec has them merged into <see cref="ControlFields"/>.</summary>
    public EquatableArray<ControlBitAddition> ControlBitAdditions { get; init; }

    /// <summary>The VM-entry checks (spec/checks/), unexpanded.</summary>
    public EquatableArray<VmEntryCheck> Checks { get; init; }
}

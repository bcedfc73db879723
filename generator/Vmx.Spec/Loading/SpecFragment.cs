using Vmx.Spec.Lint;
using Vmx.Spec.Model;

namespace Vmx.Spec.Loading;

/// <summary>What one spec file holds, before the files are joined and cross-checked. Compares by value so
/// the generator re-links only when a file's content really changed.</summary>
public sealed record SpecFragment(
    string Path,
    EquatableArray<VmcsField> VmcsFields,
    EquatableArray<ControlField> ControlFields,
    EquatableArray<Layout> Layouts,
    EquatableArray<EnumDefinition> Enums,
    EquatableArray<Msr> Msrs,
    EquatableArray<ExitReason> ExitReasons,
    EquatableArray<InstructionError> InstructionErrors,
    EquatableArray<SpecDiagnostic> Diagnostics);

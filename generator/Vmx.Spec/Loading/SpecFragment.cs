using Vmx.Spec.Lint;
using Vmx.Spec.Model;

namespace Vmx.Spec.Loading;

/// <summary>What one spec file holds, before the files are joined and cross-checked: its entries as a partial
/// model, where each entry was written, and the problems found in the file itself. Compares by value so the generator re-links only when a
/// file's content really changed.</summary>
public sealed record SpecFragment(string Path, SpecModel Content, SourceTable Sources, EquatableArray<SpecDiagnostic> Diagnostics);

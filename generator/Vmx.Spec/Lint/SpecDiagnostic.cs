namespace Vmx.Spec.Lint;

/// <summary>One problem in the spec, located in its YAML. Formats itself in MSBuild's canonical form so that
/// `dotnet build`, `vmxgen check` and the IDE all show the same line.</summary>
public sealed record SpecDiagnostic(DiagnosticRule Rule, SourceLocation Location, string Message)
{
    public string Id => Rule.Id;

    public override string ToString() => $"{Location.Path}({Location.Line},{Location.Column}): error {Rule.Id}: {Message}";
}

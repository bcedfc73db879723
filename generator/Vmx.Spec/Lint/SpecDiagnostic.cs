using System.Collections.Generic;

namespace Vmx.Spec.Lint;

/// <summary>One problem in the spec, located in its YAML: a rule and the arguments of its message format (equatable,
/// so the generator's pipeline caches it). Formats itself in MSBuild's canonical form so that `dotnet build`,
/// `vmxgen check` and the IDE all show the same line.</summary>
public sealed record SpecDiagnostic(DiagnosticRule Rule, SourceLocation Location, EquatableArray<string> Arguments)
{
    public SpecDiagnostic(DiagnosticRule rule, SourceLocation location, params string[] arguments)
        : this(rule, location, new EquatableArray<string>(arguments)) { }

    public string Id => Rule.Id;

    public DiagnosticLevel Severity => Rule.Severity;

    public string Message => Rule.Format(Arguments);

    public override string ToString() => $"{Location.Path}({Location.Line},{Location.Column}): {Rule.SeverityWord} {Rule.Id}: {Message}";
}

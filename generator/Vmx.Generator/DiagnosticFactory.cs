using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Vmx.Spec.Lint;

namespace Vmx.Generator;

/// <summary>Turns a spec diagnostic into a Roslyn error that points into the YAML, so `dotnet build` prints
/// <c>spec/x.yaml(12,5): error VMX0003: …</c> and the IDE underlines the node.</summary>
internal static class DiagnosticFactory
{
    private static readonly ConcurrentDictionary<string, DiagnosticDescriptor> Descriptors = new();

    public static Diagnostic Create(SpecDiagnostic diagnostic)
    {
        var descriptor = Descriptors.GetOrAdd(diagnostic.Rule.Id, _ => new DiagnosticDescriptor(
            diagnostic.Rule.Id, diagnostic.Rule.Title, "{0}", "VmxSpec", DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: diagnostic.Rule.Explanation));
        var l = diagnostic.Location;
        var span = new LinePositionSpan(new LinePosition(l.Line - 1, l.Column - 1), new LinePosition(l.EndLine - 1, l.EndColumn - 1));
        var location = Location.Create(l.Path, new TextSpan(l.Start, l.End - l.Start), span);
        return Diagnostic.Create(descriptor, location, diagnostic.Message);
    }
}

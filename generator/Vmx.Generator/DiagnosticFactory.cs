using System;
using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Vmx.Spec;
using Vmx.Spec.Lint;

namespace Vmx.Generator;

/// <summary>Turns a spec diagnostic into a Roslyn error that points into the YAML, so `dotnet build` prints
/// <c>spec/x.yaml(12,5): error VMX0003: …</c> and the IDE underlines the node. Never throws on a bad location:
/// spans are clamped (an end before its start becomes empty), and a diagnostic without a path has no location.</summary>
internal static class DiagnosticFactory
{
    private static readonly ConcurrentDictionary<string, DiagnosticDescriptor> Descriptors = new();

    public static Diagnostic Create(SpecDiagnostic diagnostic)
    {
        var descriptor = Descriptors.GetOrAdd(diagnostic.Rule.Id, _ => new DiagnosticDescriptor(
            diagnostic.Rule.Id, diagnostic.Rule.Title, "{0}", "VmxSpec", DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: diagnostic.Rule.Explanation));
        return Diagnostic.Create(descriptor, LocationOf(diagnostic.Location), diagnostic.Message);
    }

    internal static Location LocationOf(SourceLocation l)
    {
        if (string.IsNullOrEmpty(l.Path)) return Location.None;
        var start = new LinePosition(Math.Max(0, l.Line - 1), Math.Max(0, l.Column - 1));
        var end = new LinePosition(Math.Max(0, l.EndLine - 1), Math.Max(0, l.EndColumn - 1));
        if (end < start) end = start;
        var from = Math.Max(0, l.Start);
        var to = Math.Max(from, l.End);
        return Location.Create(l.Path, new TextSpan(from, to - from), new LinePositionSpan(start, end));
    }
}

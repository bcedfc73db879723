using System;
using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Vmx.Spec;
using Vmx.Spec.Lint;

namespace Vmx.Generator;

/// <summary>Turns a spec diagnostic into a Roslyn diagnostic that points into the YAML, so `dotnet build` prints
/// <c>spec/x.yaml(12,5): error VMX0003: …</c> and the IDE underlines the node. Each <see cref="DiagnosticRule"/> maps to
/// one cached Roslyn descriptor with the same id, title, message format, category, severity and help link; the message
/// is Roslyn's formatting of the diagnostic's arguments. Never throws on a bad location: spans are clamped (an end
/// before its start becomes empty), and a diagnostic without a path has no location.</summary>
internal static class DiagnosticFactory
{
    private static readonly ConcurrentDictionary<DiagnosticRule, DiagnosticDescriptor> Descriptors = new();

    public static DiagnosticDescriptor DescriptorOf(DiagnosticRule rule) => Descriptors.GetOrAdd(rule, r => new DiagnosticDescriptor(
        r.Id, r.Title, r.MessageFormat, r.Category, SeverityOf(r.Severity), isEnabledByDefault: true,
        description: r.Description, helpLinkUri: r.HelpLink));

    public static DiagnosticSeverity SeverityOf(DiagnosticLevel level) =>
        level == DiagnosticLevel.Warning ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;

    public static Diagnostic Create(SpecDiagnostic diagnostic) =>
        Diagnostic.Create(DescriptorOf(diagnostic.Rule), LocationOf(diagnostic.Location), Arguments(diagnostic));

    // Roslyn formats the message from the descriptor; a call site with too few arguments must still not throw.
    private static object?[] Arguments(SpecDiagnostic diagnostic)
    {
        var arguments = new object?[Math.Max(diagnostic.Rule.ArgumentCount, diagnostic.Arguments.Count)];
        for (var i = 0; i < arguments.Length; i++) arguments[i] = i < diagnostic.Arguments.Count ? diagnostic.Arguments[i] : "";
        return arguments;
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

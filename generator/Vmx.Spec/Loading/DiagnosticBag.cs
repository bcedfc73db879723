using System.Collections.Generic;
using Vmx.Spec.Lint;

namespace Vmx.Spec.Loading;

public sealed class DiagnosticBag
{
    private readonly List<SpecDiagnostic> _items = new();

    public DiagnosticBag(SourceTable? sources = null) => Sources = sources ?? SourceTable.Empty;

    /// <summary>Where the entries being checked were written: the lint locates its diagnostics here.</summary>
    public SourceTable Sources { get; }

    public IReadOnlyList<SpecDiagnostic> Items => _items;
    public bool HasErrors => _items.Count > 0;

    public void Add(DiagnosticRule rule, SourceLocation location, string message) => _items.Add(new SpecDiagnostic(rule, location, message));
    public void AddRange(IEnumerable<SpecDiagnostic> diagnostics) => _items.AddRange(diagnostics);
}

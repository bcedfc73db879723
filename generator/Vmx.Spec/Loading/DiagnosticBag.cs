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

    /// <summary>Reports <paramref name="rule"/> at <paramref name="location"/>; the arguments fill its message format.</summary>
    public void Add(DiagnosticRule rule, SourceLocation location, params string[] arguments) =>
        _items.Add(new SpecDiagnostic(rule, location, arguments));
    public void AddRange(IEnumerable<SpecDiagnostic> diagnostics) => _items.AddRange(diagnostics);
}

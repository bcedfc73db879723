using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Vmx.Spec;

/// <summary>Where each spec entry was written, kept beside the model instead of inside it (System.Text.Json's
/// generator keeps its spec location-free the same way): an edit that moves entries without changing a fact — a
/// comment, a blank line — leaves the model equal, so nothing downstream re-renders. Keyed by the entry
/// instance the loader made; compares by the sequence of locations, so a moved entry still changes the table
/// (and re-locates its diagnostics).</summary>
public sealed class SourceTable : IEquatable<SourceTable>
{
    private readonly Dictionary<object, SourceLocation> _byEntry = new(ReferenceComparer.Instance);
    private readonly List<SourceLocation> _order = new();

    public static SourceTable Empty { get; } = new();

    /// <summary>Records where <paramref name="entry"/> was written and returns it, so readers can write
    /// <c>return sources.Add(new Layout(…), reader.Location);</c>.</summary>
    public T Add<T>(T entry, SourceLocation location) where T : class
    {
        if (!_byEntry.ContainsKey(entry)) _order.Add(location);
        _byEntry[entry] = location;
        return entry;
    }

    /// <summary>Where <paramref name="entry"/> was written; the start of an unnamed file for an entry the table never
    /// saw (one built by code, not loaded).</summary>
    public SourceLocation this[object entry] => _byEntry.TryGetValue(entry, out var location) ? location : SourceLocation.FileStart("");

    public int Count => _order.Count;

    /// <summary>One table holding every entry of <paramref name="tables"/>, in their order.</summary>
    public static SourceTable Join(IEnumerable<SourceTable> tables)
    {
        var joined = new SourceTable();
        foreach (var table in tables)
            foreach (var pair in table._byEntry)
                joined.Add(pair.Key, pair.Value);
        joined._order.Clear();
        foreach (var table in tables) joined._order.AddRange(table._order);
        return joined;
    }

    public bool Equals(SourceTable? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        if (_order.Count != other._order.Count) return false;
        for (var i = 0; i < _order.Count; i++)
            if (!_order[i].Equals(other._order[i])) return false;
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as SourceTable);

    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var location in _order) hash = unchecked(hash * 31 + location.GetHashCode());
        return hash;
    }

    private sealed class ReferenceComparer : IEqualityComparer<object>
    {
        public static readonly ReferenceComparer Instance = new();
        public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);
        public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
    }
}

using System.Collections.Generic;

namespace Vmx;

/// <summary>A raw value taken apart by one of the spec's layouts.</summary>
public sealed record DecodedValue(LayoutInfo Layout, ulong Raw, IReadOnlyList<DecodedField> Fields)
{
    /// <summary><c>layout_id 0x…: field = value, …</c>.</summary>
    public string Text => $"{Layout.Id} 0x{Raw:X}: {string.Join(", ", Fields)}";

    public override string ToString() => Text;
}

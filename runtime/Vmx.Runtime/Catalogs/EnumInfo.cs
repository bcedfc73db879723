using System.Collections.Generic;

namespace Vmx;

/// <summary>One value of an enumeration of the spec.</summary>
public sealed record EnumValueInfo(string Id, ulong Value, string Title);

/// <summary>An enumeration of the spec: the values a layout field takes. The generated <see cref="EnumCatalog"/> holds
/// one per enumeration.</summary>
public sealed record EnumInfo(string Id, string Title, IReadOnlyList<EnumValueInfo> Values)
{
    /// <summary>The value with this number, or null if the enumeration does not define it.</summary>
    public EnumValueInfo? Find(ulong value)
    {
        foreach (var v in Values)
            if (v.Value == value) return v;
        return null;
    }
}

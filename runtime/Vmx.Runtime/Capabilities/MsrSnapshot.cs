using System.Collections.Generic;

namespace Vmx;

/// <summary>What RDMSR returned for each MSR of one processor: a value, or #GP. An MSR the snapshot does not mention
/// is treated like one that raised #GP, since a tool cannot tell "not read" from "not there" any better.</summary>
public sealed class MsrSnapshot
{
    private readonly Dictionary<uint, ulong?> _values;

    /// <param name="values">MSR address → value read, or null where RDMSR raised #GP.</param>
    public MsrSnapshot(IReadOnlyDictionary<uint, ulong?> values)
    {
        _values = new Dictionary<uint, ulong?>(values.Count);
        foreach (var pair in values) _values[pair.Key] = pair.Value;
    }

    /// <summary>The MSR addresses the snapshot mentions, in ascending order.</summary>
    public IReadOnlyList<uint> Addresses
    {
        get
        {
            var addresses = new List<uint>(_values.Keys);
            addresses.Sort();
            return addresses;
        }
    }

    public bool TryRead(Msr msr, out ulong value) => TryRead((uint)msr, out value);

    public bool TryRead(uint address, out ulong value)
    {
        if (_values.TryGetValue(address, out var read) && read is { } v)
        {
            value = v;
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>The raw value, or null if reading it raised #GP (or it was not read).</summary>
    public ulong? this[Msr msr] => TryRead(msr, out var value) ? value : null;
}

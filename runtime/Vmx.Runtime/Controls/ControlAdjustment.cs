using System.Collections.Generic;
using System.Linq;

namespace Vmx;

/// <summary>The control values to write, or every required control the processor lacks.</summary>
public sealed class ControlAdjustment
{
    internal ControlAdjustment(IReadOnlyDictionary<ControlFieldKind, ulong> values, IReadOnlyList<MissingControl> missing)
    {
        Values = values;
        Missing = missing;
    }

    /// <summary>The adjusted value of every requested field (and of fields a request turned on, such as the primary
    /// controls that activate the secondary ones).</summary>
    public IReadOnlyDictionary<ControlFieldKind, ulong> Values { get; }

    public IReadOnlyList<MissingControl> Missing { get; }

    public bool Succeeded => Missing.Count == 0;

    public ulong this[ControlFieldKind kind] => Values.TryGetValue(kind, out var value) ? value : 0;

    /// <summary>One line per missing control, or "all required controls are available".</summary>
    public string Error => Succeeded
        ? "all required controls are available"
        : "the processor lacks required controls:\n" + string.Join("\n", Missing.Select(m => "  " + m));

    public override string ToString() => Error;
}

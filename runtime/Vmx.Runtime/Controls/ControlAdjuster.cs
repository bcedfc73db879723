using System.Collections.Generic;
using System.Linq;
using System.Numerics;

namespace Vmx;

/// <summary>Turns requests into control values the processor accepts: KVM's adjust_vmx_controls over every field,
/// with the capability MSRs chosen by <see cref="VmxCapabilities"/> (TRUE_ ones exactly when IA32_VMX_BASIC[55]).
/// The result always has allowed-0 ⊆ value ⊆ allowed-1; a required bit outside allowed-1 is reported, not dropped.</summary>
public static class ControlAdjuster
{
    public static ControlAdjustment Adjust(VmxCapabilities caps, ControlFieldKind kind, ControlRequest request)
        => Adjust(caps, new Dictionary<ControlFieldKind, ControlRequest> { [kind] = request });

    public static ControlAdjustment Adjust(VmxCapabilities caps, IReadOnlyDictionary<ControlFieldKind, ControlRequest> requests)
    {
        var effective = WithGates(requests, out var addedGates);
        var values = new Dictionary<ControlFieldKind, ulong>();
        var missing = new List<MissingControl>();
        // Catalog order puts every gate's field (proc, exit, proc2) before the field it gates.
        foreach (var field in ControlFieldCatalog.All.Where(f => effective.ContainsKey(f.Kind)).OrderBy(f => GateDepth(f.Kind)))
        {
            var capability = caps.Control(field.Kind);
            var request = effective[field.Kind];
            values[field.Kind] = AdjustOne(capability, request, missing);
        }
        // A gate the caller did not ask for is left on only if the field behind it ended up with something to do.
        foreach (var (gated, gate) in addedGates)
            if (values.TryGetValue(gated, out var value) && value == 0 && caps.Control(gate.Control).Setting(gate.Bit) != ControlSetting.MustBe1)
                values[gate.Control] &= ~(1UL << gate.Bit);
        return new ControlAdjustment(values, missing);
    }

    /// <summary>One field: <c>value = ((required | optional | default1 \ cleared) ∩ allowed-1) ∪ allowed-0</c>.</summary>
    public static ulong AdjustOne(ControlCapability capability, ControlRequest request, ICollection<MissingControl> missing)
    {
        var wanted = request.Required | request.Optional | (capability.Field.Default1 & ~request.Cleared);
        var value = (wanted & capability.Allowed1) | capability.Allowed0;
        for (var lacking = request.Required & ~value; lacking != 0; lacking &= lacking - 1)
        {
            var bit = BitOperations.TrailingZeroCount(lacking);
            missing.Add(new MissingControl(capability.Kind, capability.Field.Id, bit, VmxCapabilities.BitId(capability.Field, bit), Reason(capability, bit)));
        }
        return value;
    }

    private static string Reason(ControlCapability capability, int bit)
    {
        if (capability.Unavailable is not null) return capability.Unavailable;
        if (bit >= capability.Width) return $"the field has only {capability.Width} bits";
        return $"{capability.Msr!.Name} bit {capability.Allowed1MsrBit(bit)} is 0";
    }

    private static Dictionary<ControlFieldKind, ControlRequest> WithGates(
        IReadOnlyDictionary<ControlFieldKind, ControlRequest> requests, out List<(ControlFieldKind Gated, ControlBitReference Gate)> added)
    {
        var effective = requests.ToDictionary(p => p.Key, p => p.Value);
        added = new List<(ControlFieldKind, ControlBitReference)>();
        // Asking for a VM function turns on "enable VM functions", which turns on "activate secondary controls".
        // A gate's field is one level shallower than the field it gates, so levels visited deepest first see every
        // request the level below added.
        var deepest = effective.Keys.Select(GateDepth).DefaultIfEmpty(0).Max();
        for (var depth = deepest; depth > 0; depth--)
        {
            foreach (var kind in effective.Keys.Where(k => GateDepth(k) == depth).ToList())
            {
                var request = effective[kind];
                if (ControlFieldCatalog.All[(int)kind].EnabledBy is not { } gate || (request.Required | request.Optional) == 0) continue;
                var gateBit = 1UL << gate.Bit;
                var current = effective.TryGetValue(gate.Control, out var r) ? r : default;
                if (((current.Required | current.Optional) & gateBit) != 0) continue;
                effective[gate.Control] = request.Required != 0
                    ? current with { Required = current.Required | gateBit }
                    : current with { Optional = current.Optional | gateBit };
                added.Add((kind, gate));
            }
        }
        return effective;
    }

    private static int GateDepth(ControlFieldKind kind) => ControlFieldCatalog.All[(int)kind].EnabledBy is { } gate ? 1 + GateDepth(gate.Control) : 0;
}

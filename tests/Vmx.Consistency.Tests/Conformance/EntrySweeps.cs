using System;
using System.Collections.Generic;
using System.Linq;
using Vmx.Consistency.Tests.Checks;
using Vmx.Spec.Checks;

namespace Vmx.Consistency.Tests.Conformance;

/// <summary>Value sweeps derived from the checks and the spec, beyond each check's own vectors:
/// <list type="bullet">
/// <item>every field a check requires <c>below_maxphyaddr</c> of: 0, a page-misaligned address, 2^MAXPHYADDR − 4096,
/// all ones;</item>
/// <item>every field a check requires <c>canonical</c>: the lowest and highest non-canonical address, bit 63 alone, and
/// the lowest canonical upper-half address;</item>
/// <item>every CR0/CR4 field a check compares with IA32_VMX_CRn_FIXED0/FIXED1: each bit FIXED0 fixes to 1 cleared, each
/// bit FIXED1 fixes to 0 set;</item>
/// <item>every bit of every segment access-rights field (the fields whose layout is segment_access_rights) flipped.</item>
/// </list>
/// An address or canonical sweep starts from the check's first launchable fail vector (which turns on what gates the
/// check) and replaces only the swept field; the others start from the baseline.</summary>
internal static class EntrySweeps
{
    public const ulong MisalignedAddress = 0x10_0800;

    public static IEnumerable<EntryCase> Cases(EntryCaseSet.Baseline baseline, IReadOnlyDictionary<string, List<ConcreteVector>> vectors, string model)
    {
        var facts = EntryCaseSet.BochsFacts;
        facts.TryGet("maxphyaddr", out var maxphyaddr);
        facts.TryGet("linear_address_width", out var width);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var check in CheckVectors.Checks)
        {
            var context = vectors.TryGetValue(check.Id, out var list) ? list.FirstOrDefault(v => !v.ShouldPass) : null;
            var start = context is null ? [] : context.Vmcs.Fields.Select(f => (f.Field.Encoding, f.Value)).ToList();
            foreach (var address in AddressChecks(check))
            {
                if (address.Input.Field is not { } field || address.Lsb != 0 || address.Type.Width != field.BitWidth) continue;
                var values = address.Canonical
                    ? new[] { ("noncanonical_low", 1UL << (int)(width - 1)), ("noncanonical_high", (ulong.MaxValue << (int)width) | ((1UL << (int)(width - 1)) - 1)), ("bit63", 1UL << 63), ("canonical_high", ulong.MaxValue << (int)(width - 1)) }
                    : new[] { ("zero", 0UL), ("misaligned", MisalignedAddress), ("top_page", (1UL << (int)maxphyaddr) - 4096), ("all_ones", ulong.MaxValue) };
                foreach (var (name, value) in values)
                {
                    var id = $"{(address.Canonical ? "canonical" : "address")}/{check.Id}/{name}";
                    if (seen.Add(id)) yield return baseline.Case(id, address.Canonical ? "canonical" : "address", start.Append((field.Encoding, value)), check);
                }
            }
            foreach (var k in FixedBitCases(baseline, check)) if (seen.Add(k.Id)) yield return k;
        }
        foreach (var field in Repo.LoadSpec().Model.VmcsFields.Where(f => f.Layout == "segment_access_rights"))
        {
            if (!baseline.Fields.TryGetValue(field.Encoding, out var value)) continue;
            for (var bit = 0; bit < field.BitWidth; bit++)
                yield return baseline.Case($"access_rights/{field.Id}/bit{bit}", "access_rights", [(field.Encoding, value ^ (1UL << bit))], null);
        }
    }

    /// <summary>The check's CR fields (by layout cr0/cr4) against its IA32_VMX_CRn_FIXED0/1 inputs, bit by bit.</summary>
    private static IEnumerable<EntryCase> FixedBitCases(EntryCaseSet.Baseline baseline, CompiledCheck check)
    {
        foreach (var msr in check.Inputs.Where(i => i.Kind == InputKind.Msr && i.Msr is not null))
        {
            var name = msr.Id;
            var fixedTo = name.EndsWith("_fixed0", StringComparison.Ordinal) ? 1 : name.EndsWith("_fixed1", StringComparison.Ordinal) ? 0 : -1;
            if (fixedTo < 0 || !name.StartsWith("ia32_vmx_", StringComparison.Ordinal)) continue;
            var register = name["ia32_vmx_".Length..^"_fixed0".Length];
            if (!baseline.Capabilities.Msrs.TryRead(msr.Msr!.Address, out var fixedBits)) continue;
            foreach (var field in check.Inputs.Where(i => i.Kind == InputKind.Field && i.Field?.Layout == register).Select(i => i.Field!))
            {
                if (!baseline.Fields.TryGetValue(field.Encoding, out var value)) continue;
                for (var bit = 0; bit < field.BitWidth; bit++)
                {
                    var mask = 1UL << bit;
                    if (fixedTo == 1 && (fixedBits & mask) != 0 && (value & mask) != 0)
                        yield return baseline.Case($"cr_fixed/{field.Id}/bit{bit}/clear", "cr_fixed", [(field.Encoding, value & ~mask)], check);
                    else if (fixedTo == 0 && (fixedBits & mask) == 0 && (value & mask) == 0)
                        yield return baseline.Case($"cr_fixed/{field.Id}/bit{bit}/set", "cr_fixed", [(field.Encoding, value | mask)], check);
                }
            }
        }
    }

    private sealed record AddressRead(bool Canonical, CheckInput Input, int Lsb, CheckType Type);

    /// <summary>The direct field reads under <c>canonical(...)</c> and <c>below_maxphyaddr(...)</c> in the check.</summary>
    private static IEnumerable<AddressRead> AddressChecks(CompiledCheck check) =>
        new[] { check.When, check.Require }.Where(b => b is not null).SelectMany(b => Walk(b!))
            .OfType<BoundAddressCheck>()
            .Where(a => a.Value is BoundRead)
            .Select(a => (a.Canonical, Read: (BoundRead)a.Value))
            .Select(p => new AddressRead(p.Canonical, p.Read.Input, p.Read.Lsb, p.Read.Type));

    private static IEnumerable<Bound> Walk(Bound bound)
    {
        yield return bound;
        IEnumerable<Bound?> children = bound switch
        {
            BoundUnary u => [u.Operand],
            BoundBinary b => [b.Left, b.Right],
            BoundAddressCheck a => [a.Value],
            BoundListSearch l => [l.Address, l.Count],
            BoundMemory m => [m.Address],
            BoundControl c => [c.Gate],
            _ => [],
        };
        foreach (var child in children.Where(c => c is not null))
            foreach (var b in Walk(child!)) yield return b;
    }
}

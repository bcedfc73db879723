using System.Globalization;
using System.Linq;
using Vmx.Spec.Loading;
using Vmx.Spec.Model;

namespace Vmx.Spec.Lint;

/// <summary>CPUID entries: unique ids, an id that says where its bits are, no two entries over the same bits.</summary>
internal static class CpuidLint
{
    public static void Check(SpecModel model, DiagnosticBag diagnostics)
    {
        SpecLinker.Unique(model.Cpuid, x => x.Id, x => diagnostics.Sources[x], diagnostics, DiagnosticRule.DuplicateName,
            (x, first) => $"CPUID id '{x.Id}' is already defined at {SpecLinker.Where(diagnostics.Sources[first])}");
        foreach (var x in model.Cpuid)
        {
            var expected = ExpectedPrefix(x);
            if (!x.Id.StartsWith(expected, System.StringComparison.Ordinal) || x.Id.Substring(expected.Length).Contains('.'))
                diagnostics.Add(DiagnosticRule.CpuidIdMismatch, diagnostics.Sources[x],
                    $"CPUID id '{x.Id}' does not match its leaf, subleaf and register: it must start with '{expected}'");
        }
        var entries = model.Cpuid.ToList();
        for (var i = 0; i < entries.Count; i++)
        for (var j = 0; j < i; j++)
        {
            var a = entries[i];
            var b = entries[j];
            if (a.Leaf != b.Leaf || a.Subleaf != b.Subleaf || a.Register != b.Register || a.Lsb > b.Msb || b.Lsb > a.Msb) continue;
            diagnostics.Add(DiagnosticRule.OverlappingBits, diagnostics.Sources[a],
                $"CPUID '{a.Id}' (bits {a.Msb}:{a.Lsb}) overlaps '{b.Id}' (bits {b.Msb}:{b.Lsb}) at {SpecLinker.Where(diagnostics.Sources[b])}");
            break;
        }
    }

    /// <summary>cpuid.&lt;leaf hex&gt;[.&lt;subleaf&gt;].&lt;register&gt;. — the part of the id fixed by the entry's location.</summary>
    internal static string ExpectedPrefix(CpuidBits x) =>
        "cpuid." + x.Leaf.ToString("x", CultureInfo.InvariantCulture) +
        (x.Subleaf is { } s ? "." + s.ToString(CultureInfo.InvariantCulture) : "") + "." + x.Register + ".";
}

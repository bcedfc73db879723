using System;
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
            (x, first) => new[] { "CPUID id", x.Id, "the spec", SpecLinker.Where(diagnostics.Sources[first]) });
        foreach (var x in model.Cpuid)
        {
            var expected = ExpectedPrefix(x);
            if (!x.Id.StartsWith(expected, System.StringComparison.Ordinal) || x.Id.Substring(expected.Length).Contains('.'))
                diagnostics.Add(DiagnosticRule.CpuidIdMismatch, diagnostics.Sources[x], x.Id, expected);
        }
        var entries = model.Cpuid.ToList();
        for (var i = 0; i < entries.Count; i++)
        for (var j = 0; j < i; j++)
        {
            var a = entries[i];
            var b = entries[j];
            if (a.Leaf != b.Leaf || a.Subleaf != b.Subleaf || a.Register != b.Register || a.Lsb > b.Msb || b.Lsb > a.Msb) continue;
            diagnostics.Add(DiagnosticRule.OverlappingBits, diagnostics.Sources[a], Math.Max(a.Lsb, b.Lsb).ToString(CultureInfo.InvariantCulture),
                $"CPUID.{a.Leaf:X}H:{a.Register.ToUpperInvariant()}", a.Id, b.Id);
            break;
        }
    }

    /// <summary>cpuid.&lt;leaf hex&gt;[.&lt;subleaf&gt;].&lt;register&gt;. — the part of the id fixed by the entry's location.</summary>
    internal static string ExpectedPrefix(CpuidBits x) =>
        "cpuid." + x.Leaf.ToString("x", CultureInfo.InvariantCulture) +
        (x.Subleaf is { } s ? "." + s.ToString(CultureInfo.InvariantCulture) : "") + "." + x.Register + ".";
}

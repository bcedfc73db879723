using System;
using System.Collections.Generic;
using System.Linq;

namespace Vmx.Consistency.Tests.Conformance;

/// <summary>Seeded random combinations of 2-4 single cases (their writes applied in order, a later write to a field
/// winning): where several checks fail at once, Bochs's outcome must be one the validator allows. The seed and the
/// model decide every combination, so a failing one replays (<c>VMX_CONFORMANCE_SEED</c>).</summary>
internal static class EntryCombos
{
    public const int Minimum = 400;

    public static IEnumerable<EntryCase> Cases(EntryCaseSet.Baseline baseline, IReadOnlyList<EntryCase> singles, int seed, string model, int wanted)
    {
        var random = new Random(seed ^ StableHash(model));
        var count = Math.Max(Minimum, wanted);
        for (var n = 0; n < count && singles.Count >= 4; n++)
        {
            var parts = new List<EntryCase>();
            var size = random.Next(2, 5);
            while (parts.Count < size)
            {
                var pick = singles[random.Next(singles.Count)];
                if (!parts.Contains(pick)) parts.Add(pick);
            }
            yield return baseline.Case($"combo/{n}", "combo", parts.SelectMany(p => p.Writes), null, parts);
        }
    }

    /// <summary>FNV-1a: string.GetHashCode differs from process to process.</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return (int)hash;
    }
}

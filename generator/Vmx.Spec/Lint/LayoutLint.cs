using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Loading;
using Vmx.Spec.Model;

namespace Vmx.Spec.Lint;

/// <summary>Layouts and enumerations: unique names, fields inside the register and apart from each other,
/// enumerations that exist and whose values fit the field that uses them.</summary>
internal static class LayoutLint
{
    public static void Check(SpecModel model, DiagnosticBag diagnostics)
    {
        SpecLinker.Unique(model.Layouts, l => l.Id, l => diagnostics.Sources[l], diagnostics, DiagnosticRule.DuplicateName,
            (l, first) => $"layout id '{l.Id}' is already defined at {SpecLinker.Where(diagnostics.Sources[first])}");
        SpecLinker.Unique(model.Enums, e => e.Id, e => diagnostics.Sources[e], diagnostics, DiagnosticRule.DuplicateName,
            (e, first) => $"enumeration id '{e.Id}' is already defined at {SpecLinker.Where(diagnostics.Sources[first])}");
        var enums = model.Enums.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First());

        foreach (var layout in model.Layouts)
        {
            SpecLinker.Unique(layout.Fields, f => f.Id, f => diagnostics.Sources[f], diagnostics, DiagnosticRule.DuplicateName,
                (f, first) => $"field id '{f.Id}' is already defined in layout '{layout.Id}' at {SpecLinker.Where(diagnostics.Sources[first])}");
            var owner = new string?[layout.Width];
            foreach (var field in layout.Fields)
            {
                if (field.Msb >= layout.Width)
                {
                    diagnostics.Add(DiagnosticRule.BitBeyondWidth, diagnostics.Sources[field],
                        $"field '{field.Id}' (bits {field.Bits}) lies beyond the {layout.Width}-bit layout '{layout.Id}'");
                    continue;
                }
                var clash = Enumerable.Range(field.Lsb, field.Width).FirstOrDefault(b => owner[b] is not null, -1);
                if (clash >= 0)
                    diagnostics.Add(DiagnosticRule.OverlappingBits, diagnostics.Sources[field],
                        $"field '{field.Id}' (bits {field.Bits}) overlaps '{owner[clash]}' at bit {clash} in layout '{layout.Id}'");
                for (var b = field.Lsb; b <= field.Msb; b++) owner[b] ??= field.Id;
                CheckEnumReference(layout, field, enums, diagnostics);
            }
        }

        foreach (var definition in model.Enums)
        {
            SpecLinker.Unique(definition.Values, v => v.Id, v => diagnostics.Sources[v], diagnostics, DiagnosticRule.DuplicateName,
                (v, first) => $"value id '{v.Id}' is already defined in enumeration '{definition.Id}' at {SpecLinker.Where(diagnostics.Sources[first])}");
            SpecLinker.Unique(definition.Values, v => v.Value, v => diagnostics.Sources[v], diagnostics, DiagnosticRule.DuplicateNumber,
                (v, first) => $"value {v.Value} of enumeration '{definition.Id}' is both '{first.Id}' and '{v.Id}'");
        }
    }

    private static int FirstOrDefault(this IEnumerable<int> source, System.Func<int, bool> predicate, int fallback)
    {
        foreach (var item in source) if (predicate(item)) return item;
        return fallback;
    }

    private static void CheckEnumReference(Layout layout, LayoutField field, Dictionary<string, EnumDefinition> enums, DiagnosticBag diagnostics)
    {
        if (field.Enum is null) return;
        if (!enums.TryGetValue(field.Enum, out var definition))
        {
            diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[field],
                $"field '{field.Id}' of layout '{layout.Id}' uses enumeration '{field.Enum}', which is not defined");
            return;
        }
        var limit = field.Width >= 64 ? ulong.MaxValue : (1UL << field.Width) - 1;
        foreach (var value in definition.Values.Where(v => v.Value > limit))
            diagnostics.Add(DiagnosticRule.ValueDoesNotFit, diagnostics.Sources[field],
                $"enumeration '{definition.Id}' value '{value.Id}' = {value.Value} does not fit the {field.Width}-bit field '{layout.Id}.{field.Id}'");
    }
}

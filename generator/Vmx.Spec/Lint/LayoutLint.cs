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
            (l, first) => new[] { "layout id", l.Id, "the spec", SpecLinker.Where(diagnostics.Sources[first]) });
        SpecLinker.Unique(model.Enums, e => e.Id, e => diagnostics.Sources[e], diagnostics, DiagnosticRule.DuplicateName,
            (e, first) => new[] { "enumeration id", e.Id, "the spec", SpecLinker.Where(diagnostics.Sources[first]) });
        var enums = model.Enums.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First());

        foreach (var layout in model.Layouts)
        {
            SpecLinker.Unique(layout.Fields, f => f.Id, f => diagnostics.Sources[f], diagnostics, DiagnosticRule.DuplicateName,
                (f, first) => new[] { "field id", f.Id, $"layout '{layout.Id}'", SpecLinker.Where(diagnostics.Sources[first]) });
            var owner = new string?[layout.Width];
            foreach (var field in layout.Fields)
            {
                if (field.Msb >= layout.Width)
                {
                    diagnostics.Add(DiagnosticRule.BitBeyondWidth, diagnostics.Sources[field],
                        field.Id, field.Bits, Text(layout.Width), $"layout '{layout.Id}'");
                    continue;
                }
                var clash = Enumerable.Range(field.Lsb, field.Width).FirstOrDefault(b => owner[b] is not null, -1);
                if (clash >= 0)
                    diagnostics.Add(DiagnosticRule.OverlappingBits, diagnostics.Sources[field],
                        Text(clash), $"layout '{layout.Id}'", owner[clash]!, field.Id);
                for (var b = field.Lsb; b <= field.Msb; b++) owner[b] ??= field.Id;
                CheckEnumReference(layout, field, enums, diagnostics);
            }
        }

        foreach (var definition in model.Enums)
        {
            SpecLinker.Unique(definition.Values, v => v.Id, v => diagnostics.Sources[v], diagnostics, DiagnosticRule.DuplicateName,
                (v, first) => new[] { "value id", v.Id, $"enumeration '{definition.Id}'", SpecLinker.Where(diagnostics.Sources[first]) });
            SpecLinker.Unique(definition.Values, v => v.Value, v => diagnostics.Sources[v], diagnostics, DiagnosticRule.DuplicateNumber,
                (v, first) => new[] { $"value {v.Value} of enumeration '{definition.Id}'", first.Id, v.Id });
        }
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

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
                $"field '{layout.Id}.{field.Id}'", "enumeration", field.Enum);
            return;
        }
        var limit = field.Width >= 64 ? ulong.MaxValue : (1UL << field.Width) - 1;
        foreach (var value in definition.Values.Where(v => v.Value > limit))
            diagnostics.Add(DiagnosticRule.ValueDoesNotFit, diagnostics.Sources[field],
                $"enumeration '{definition.Id}' value '{value.Id}' = {value.Value}", $"the {field.Width}-bit field '{layout.Id}.{field.Id}'");
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Loading;
using Vmx.Spec.Model;

namespace Vmx.Spec.Lint;

/// <summary>The result of loading a spec: the model (facts only), where each entry was written, and every diagnostic.
/// Emitters see only <see cref="Model"/> and run only when there are no diagnostics.</summary>
public sealed record SpecResult(SpecModel Model, SourceTable Sources, EquatableArray<SpecDiagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Count > 0;

    /// <summary>The overlay's own entries (a part of <see cref="Model"/>): what a project that references Vmx.Runtime
    /// gets C# for, beside the runtime's types. Empty without an overlay.</summary>
    public SpecModel Overlay { get; init; } = SpecModel.Empty;
}

/// <summary>Joins the files' fragments into one model and runs the cross-entry lint (duplicates, encodings,
/// references, overlaps). Fragments are taken in path order so the model does not depend on file-system order.</summary>
public static class SpecLinker
{
    public static SpecResult Link(IEnumerable<SpecFragment> fragments) => Link(fragments, null);

    /// <summary>Links a base spec (the one bundled with the package or tool) and a user's overlay files:
    /// <paramref name="isOverlay"/> names the overlay's paths. The base comes first, so the lint reports a clash (same
    /// id, encoding, number or bit) at the overlay's entry, naming the base entry it clashes with.</summary>
    public static SpecResult Link(IEnumerable<SpecFragment> fragments, Func<string, bool>? isOverlay)
    {
        var ordered = fragments.OrderBy(f => isOverlay is not null && isOverlay(f.Path) ? 1 : 0)
            .ThenBy(f => f.Path, StringComparer.Ordinal).ToList();
        var diagnostics = new DiagnosticBag(SourceTable.Join(ordered.Select(f => f.Sources)));
        var model = Join(ordered, diagnostics.Sources);
        diagnostics.AddRange(ordered.SelectMany(f => f.Diagnostics));
        // A bit added to a control field the spec does not have is left over.
        foreach (var addition in model.ControlBitAdditions)
            diagnostics.Add(DiagnosticRule.UnresolvedReference, diagnostics.Sources[addition],
                $"'control-bits' entry for bit '{addition.Bit.Id}'", "control field", addition.Control);
        VmcsLint.Check(model, diagnostics);
        LayoutLint.Check(model, diagnostics);
        TableLint.Check(model, diagnostics);
        ContractLint.Check(model, diagnostics);
        CpuidLint.Check(model, diagnostics);
        // The naming contract reads the model through the emitters' views, which assume the rules above hold.
        if (!diagnostics.HasErrors) NameLint.Check(model, diagnostics);
        // The checks name fields, controls, layouts and MSRs: they are compiled against a model the rules above accept.
        if (!diagnostics.HasErrors) CheckLint.Check(model, diagnostics);
        var overlay = isOverlay is null ? SpecModel.Empty : Join(ordered.Where(f => isOverlay(f.Path)).ToList(), null);
        return new SpecResult(model, diagnostics.Sources, diagnostics.Items.ToEquatableArray()) { Overlay = overlay };
    }

    /// <summary>The fragments' entries, concatenated in the order given, with each <c>control-bits</c> addition appended
    /// to its control field (an earlier bit of the same position or id then is a clash the lint reports at the added
    /// one); an addition whose control field is not among them stays in <see cref="SpecModel.ControlBitAdditions"/>.
    /// <paramref name="sources"/>, when given, learns where each merged control field was written.</summary>
    private static SpecModel Join(IReadOnlyList<SpecFragment> ordered, SourceTable? sources)
    {
        var model = Concatenate(ordered);
        if (model.ControlBitAdditions.Count == 0) return model;
        var controls = model.ControlFields.ToList();
        var left = new List<ControlBitAddition>();
        foreach (var addition in model.ControlBitAdditions)
        {
            var index = controls.FindIndex(c => c.Id == addition.Control);
            if (index < 0) { left.Add(addition); continue; }
            var merged = controls[index] with { Bits = controls[index].Bits.Append(addition.Bit).ToEquatableArray() };
            sources?.Add(merged, sources[controls[index]]);
            controls[index] = merged;
        }
        return model with { ControlFields = controls.ToEquatableArray(), ControlBitAdditions = left.ToEquatableArray() };
    }

    private static SpecModel Concatenate(IReadOnlyList<SpecFragment> ordered) =>
        new SpecModel(
            ordered.SelectMany(f => f.Content.VmcsFields).ToEquatableArray(),
            ordered.SelectMany(f => f.Content.ControlFields).ToEquatableArray(),
            ordered.SelectMany(f => f.Content.Layouts).ToEquatableArray(),
            ordered.SelectMany(f => f.Content.Enums).ToEquatableArray(),
            ordered.SelectMany(f => f.Content.Msrs).ToEquatableArray(),
            ordered.SelectMany(f => f.Content.ExitReasons).ToEquatableArray(),
            ordered.SelectMany(f => f.Content.InstructionErrors).ToEquatableArray())
        {
            Cpuid = ordered.SelectMany(f => f.Content.Cpuid).ToEquatableArray(),
            Checks = ordered.SelectMany(f => f.Content.Checks).ToEquatableArray(),
            ControlBitAdditions = ordered.SelectMany(f => f.Content.ControlBitAdditions).ToEquatableArray(),
        };

    /// <summary>Reports every entry whose key was already taken by an earlier one, with the arguments of (later, earlier).</summary>
    internal static void Unique<T, TKey>(IEnumerable<T> items, Func<T, TKey> key, Func<T, SourceLocation> location,
        DiagnosticBag diagnostics, DiagnosticRule rule, Func<T, T, string[]> arguments)
    {
        var seen = new Dictionary<TKey, T>();
        foreach (var item in items)
        {
            var k = key(item);
            if (seen.TryGetValue(k, out var first))
                diagnostics.Add(rule, location(item), arguments(item, first));
            else
                seen[k] = item;
        }
    }

    internal static string Where(SourceLocation location) => $"{location.Path}({location.Line},{location.Column})";
}

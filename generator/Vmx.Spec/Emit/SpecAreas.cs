using System;
using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Model;

namespace Vmx.Spec.Emit;

/// <summary>The parts of the spec that are rendered apart: each has its own outputs and its own cached step in the
/// Roslyn generator, so an edit in one area re-renders only the areas whose facts it changed.</summary>
public enum SpecArea { Fields, Controls, Layouts, Enums, Msrs, Exits, Errors, Cpuid, Checks }

/// <summary>What each area's outputs read: the area's own entries and, from other areas, only the entries they
/// refer to. A projection is an ordinary <see cref="SpecModel"/> (lists the area does not read are empty), so it
/// compares by value and the generator can cache on it.</summary>
public static class SpecAreas
{
    public static IReadOnlyList<SpecArea> All { get; } = (SpecArea[])Enum.GetValues(typeof(SpecArea));

    public static SpecModel Project(SpecModel model, SpecArea area) => area switch
    {
        // Field accessors name the controls of their existence conditions and the width/type codes of encodings.
        SpecArea.Fields => SpecModel.Empty with
        {
            VmcsFields = model.VmcsFields,
            ControlFields = model.ControlFields,
            Enums = model.Enums.Where(e => e.Id == Lint.EncodingRules.WidthEnumId || e.Id == Lint.EncodingRules.TypeEnumId).ToEquatableArray(),
        },
        // A control field's width is that of the VMCS field holding it.
        SpecArea.Controls => SpecModel.Empty with
        {
            ControlFields = model.ControlFields,
            VmcsFields = Referenced(model.VmcsFields, f => f.Id, model.ControlFields.Select(c => c.Field)),
        },
        SpecArea.Layouts => SpecModel.Empty with
        {
            Layouts = model.Layouts,
            Enums = Referenced(model.Enums, e => e.Id, model.Layouts.SelectMany(l => l.Fields).Select(f => f.Enum)),
        },
        // An enumeration's C# type is as wide as the widest layout field that uses it.
        SpecArea.Enums => SpecModel.Empty with
        {
            Enums = model.Enums,
            Layouts = model.Layouts.Where(l => l.Fields.Any(f => f.Enum is not null)).ToEquatableArray(),
        },
        SpecArea.Msrs => SpecModel.Empty with
        {
            Msrs = model.Msrs,
            ControlFields = model.ControlFields,
            Layouts = Referenced(model.Layouts, l => l.Id, model.Msrs.Select(m => m.Layout)).Select(NameOnly).ToEquatableArray(),
        },
        // Exit reasons name their qualification layouts; the exit decoder reads layout exit_reason.
        SpecArea.Exits => SpecModel.Empty with
        {
            ExitReasons = model.ExitReasons,
            Layouts = Referenced(model.Layouts, l => l.Id, model.ExitReasons
                    .SelectMany(x => x.QualificationByVector.Select(q => q.Layout).Append(x.Qualification))
                    .Append(ExitDecoderView.LayoutId))
                .Select(l => l.Id == ExitDecoderView.LayoutId ? l : NameOnly(l)).ToEquatableArray(),
        },
        SpecArea.Errors => SpecModel.Empty with { InstructionErrors = model.InstructionErrors },
        SpecArea.Cpuid => SpecModel.Empty with { Cpuid = model.Cpuid },
        // Checks read fields, controls, layouts, MSRs, enumerations and CPU facts by name; a check-free spec renders nothing.
        SpecArea.Checks => model.Checks.Count == 0 ? SpecModel.Empty : model with
        {
            ExitReasons = EquatableArray<ExitReason>.Empty, InstructionErrors = EquatableArray<InstructionError>.Empty,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(area), area, null),
    };

    /// <summary>A layout as an area that only names it sees it: its id and width, so editing its fields, titles or
    /// descriptions leaves that area cached.</summary>
    private static Layout NameOnly(Layout layout) =>
        new(layout.Id, "", "", layout.Width, EquatableArray<LayoutField>.Empty, "", layout.SdmRevision);

    /// <summary>The entries of <paramref name="items"/> whose key is among <paramref name="references"/>, in spec order.</summary>
    private static EquatableArray<T> Referenced<T>(EquatableArray<T> items, Func<T, string> key, IEnumerable<string?> references)
        where T : IEquatable<T>
    {
        var wanted = new HashSet<string>(references.Where(r => r is not null)!, StringComparer.Ordinal);
        return items.Where(item => wanted.Contains(key(item))).ToEquatableArray();
    }
}

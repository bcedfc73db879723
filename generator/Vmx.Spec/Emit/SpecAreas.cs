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
        // Checks read fields, controls, layouts, MSRs, enumerations and CPU facts by id, bits and width, never their prose, so
        // a retitled field leaves them cached; a check-free spec renders nothing.
        SpecArea.Checks => model.Checks.Count == 0 ? SpecModel.Empty : SpecModel.Empty with
        {
            Checks = model.Checks,
            VmcsFields = model.VmcsFields.Select(f => f with { Title = "", Description = "", Group = "", Section = "", SdmRevision = "" }).ToEquatableArray(),
            ControlFields = model.ControlFields.Select(c => c with
            {
                Title = "", Section = "", SdmRevision = "",
                Bits = c.Bits.Select(b => b with { Title = "", Description = "" }).ToEquatableArray(),
            }).ToEquatableArray(),
            Layouts = model.Layouts.Select(l => l with
            {
                Title = "", Section = "", Description = "", SdmRevision = "",
                Fields = l.Fields.Select(f => f with { Title = "", Description = "" }).ToEquatableArray(),
            }).ToEquatableArray(),
            Enums = model.Enums.Select(e => e with
            {
                Title = "", Section = "", Description = "", SdmRevision = "",
                Values = e.Values.Select(v => v with { Title = "", Description = "" }).ToEquatableArray(),
            }).ToEquatableArray(),
            Msrs = model.Msrs.Select(m => m with { Title = "", Section = "", Description = "", SdmRevision = "" }).ToEquatableArray(),
            Cpuid = model.Cpuid.Select(c => c with { Title = "", Section = "", Description = "", SdmRevision = "" }).ToEquatableArray(),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(area), area, null),
    };

    /// <summary>The areas a project that references Vmx.Runtime gets overlay C# for: entries it can join to the runtime's
    /// types (C# 14 extension members, or new types of its own); for controls, the bits added to the runtime's control
    /// fields. Whole new control fields, CPUID facts and checks have C headers only (the runtime's catalogs, capability
    /// types and validator are closed).</summary>
    public static bool HasOverlayCSharp(SpecArea area) =>
        area is SpecArea.Fields or SpecArea.Controls or SpecArea.Layouts or SpecArea.Enums or SpecArea.Msrs or SpecArea.Exits or SpecArea.Errors;

    /// <summary>What an area's overlay outputs read: <see cref="Project"/> of the whole spec (so references to the
    /// bundled spec resolve), with the area's own entries narrowed to the overlay's. Null for an area without overlay
    /// C#, or whose overlay has no entries.</summary>
    public static SpecModel? ProjectOverlay(SpecModel model, SpecModel overlay, SpecArea area)
    {
        if (!HasOverlayCSharp(area)) return null;
        var full = Project(model, area);
        var own = area switch
        {
            SpecArea.Fields => full with { VmcsFields = overlay.VmcsFields },
            // The whole controls (their views need gates and widths), plus which bits the overlay adds.
            SpecArea.Controls => full with { ControlBitAdditions = overlay.ControlBitAdditions },
            SpecArea.Layouts => full with { Layouts = overlay.Layouts },
            SpecArea.Enums => full with { Enums = overlay.Enums },
            SpecArea.Msrs => full with { Msrs = overlay.Msrs },
            SpecArea.Exits => full with { ExitReasons = overlay.ExitReasons },
            _ => full with { InstructionErrors = overlay.InstructionErrors },
        };
        var count = area switch
        {
            SpecArea.Fields => own.VmcsFields.Count,
            SpecArea.Controls => own.ControlBitAdditions.Count,
            SpecArea.Layouts => own.Layouts.Count,
            SpecArea.Enums => own.Enums.Count,
            SpecArea.Msrs => own.Msrs.Count,
            SpecArea.Exits => own.ExitReasons.Count,
            _ => own.InstructionErrors.Count,
        };
        return count == 0 ? null : own;
    }

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

using System;
using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Model;

namespace Vmx.Spec.Emit;

// MSRs, exit reasons, VM-instruction errors and the exit decoder as the templates see them (reached through ArchView).

public sealed class MsrView : EntryView
{
    public MsrView(Msr m, Dictionary<string, LayoutView> layouts, Dictionary<string, int> controlIndex, Dictionary<string, int> bitPositions)
        : base(m.Id, m.Title, m.Description, m)
    {
        Exists = m.Exists.AnyOf.Select(r => new ExistsView(r, controlIndex, bitPositions)).ToList();
        ExistsText = m.Exists.IsAlways ? "always" : string.Join(" or ", m.Exists.AnyOf.Select(r => r.ToString()));
        Name = m.Name;
        Pascal = Names.PascalMember(m.Id);
        Macro = "VMX_MSR_" + Names.Upper(m.Name);
        Address = Names.Hex(m.Address, 8);
        AddressValue = m.Address;
        Section = m.Section;
        Layout = m.Layout is not null && layouts.TryGetValue(m.Layout, out var l) ? l : null;
    }

    public string Name { get; }
    public string Pascal { get; }
    public string Macro { get; }
    public string Address { get; }
    public uint AddressValue { get; }
    public string Section { get; }
    public LayoutView? Layout { get; }
    /// <summary>The MSR exists only if one of these control bits may be 1; empty: always.</summary>
    public List<ExistsView> Exists { get; }
    public string ExistsText { get; }
}

public sealed class ExitReasonView : EntryView
{
    public ExitReasonView(ExitReason x, Dictionary<string, LayoutView> layouts)
        : base(x.Id, x.Title, x.Description, x)
    {
        Number = x.Number;
        Pascal = Names.PascalMember(x.Id);
        Macro = "VMX_EXIT_" + Names.Upper(x.Id);
        Section = x.Section;
        Qualification = x.Qualification is not null && layouts.TryGetValue(x.Qualification, out var l) ? l : null;
        QualificationByVector = x.QualificationByVector.OrderBy(v => v.Vector)
            .Select(v => layouts.TryGetValue(v.Layout, out var vl) ? new VectorQualificationView(v.Vector, vl) : null)
            .Where(v => v is not null).Select(v => v!).ToList();
    }

    public int Number { get; }
    public string Pascal { get; }
    public string Macro { get; }
    public string Section { get; }
    public LayoutView? Qualification { get; }
    /// <summary>The qualification's layout per vector, by vector; empty unless the layout depends on the vector.</summary>
    public List<VectorQualificationView> QualificationByVector { get; }
    public bool HasQualificationByVector => QualificationByVector.Count > 0;
}

/// <summary>The exit-qualification layout of an exit reason for one vector.</summary>
public sealed class VectorQualificationView
{
    public VectorQualificationView(int vector, LayoutView layout)
    {
        Vector = vector;
        Layout = layout;
    }

    public int Vector { get; }
    public LayoutView Layout { get; }
}

public sealed class InstructionErrorView : EntryView
{
    public InstructionErrorView(InstructionError x)
        : base(x.Id, x.Title, x.Description, x)
    {
        Number = x.Number;
        Pascal = Names.PascalMember(x.Id);
        Macro = "VMX_ERROR_" + Names.Upper(x.Id);
        Section = x.Section;
    }

    public int Number { get; }
    public string Pascal { get; }
    public string Macro { get; }
    public string Section { get; }
}

/// <summary>The exit-reason layout's fields the decoder splits on: the basic exit reason and the VM-entry failure
/// bit (SDM "Basic VM-Exit Information"). Found by id in layout <c>exit_reason</c>; absent if the spec lacks them.</summary>
public sealed class ExitDecoderView
{
    public const string LayoutId = "exit_reason";
    public const string BasicFieldId = "basic_exit_reason";
    public const string FailureFieldId = "vm_entry_failure";

    private ExitDecoderView(LayoutView layout, LayoutFieldView basic, LayoutFieldView failure)
    {
        Layout = layout;
        Basic = basic;
        Failure = failure;
    }

    public static ExitDecoderView? TryCreate(Dictionary<string, LayoutView> layouts)
    {
        if (!layouts.TryGetValue(LayoutId, out var layout)) return null;
        var basic = layout.Fields.FirstOrDefault(f => f.Id == BasicFieldId && f.EnumView is null && f.Width <= 16 && f.Width > 1);
        var failure = layout.Fields.FirstOrDefault(f => f.Id == FailureFieldId && f.Type == "bool");
        return basic is null || failure is null ? null : new ExitDecoderView(layout, basic, failure);
    }

    public LayoutView Layout { get; }
    public LayoutFieldView Basic { get; }
    public LayoutFieldView Failure { get; }
}

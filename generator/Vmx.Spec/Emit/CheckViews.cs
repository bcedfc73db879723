using System.Collections.Generic;
using System.Linq;
using System.Text;
using Vmx.Spec.Checks;
using Vmx.Spec.Model;

namespace Vmx.Spec.Emit;

/// <summary>The VM-entry checks as the templates read them: each check's conditions already printed as C# and as C
/// (<see cref="CheckPrinter"/>), and the slot tables those printed expressions index.</summary>
public sealed class CheckAreaView
{
    public CheckAreaView(SpecModel model)
    {
        var compiled = CheckCompiler.Compile(model);
        var cs = new CheckSlots();
        var c = new CheckSlots();
        Checks = compiled.Select((check, i) => new CheckView(check, i, new CheckPrinter(false, cs), new CheckPrinter(true, c))).ToList();
        CsFieldSlots = cs.Fields.Select(f => Names.Pascal(f.Id)).ToList();
        CsMsrSlots = cs.Msrs.Select(m => Names.Pascal(m.Id)).ToList();
        CsFactSlots = cs.Facts.Select(f => f.Id).ToList();
        FieldSlotsC = c.Fields.Select(f => Names.VmcsMacro(f.Id)).ToList();
        MsrSlotsC = c.Msrs.Select(m => "VMX_MSR_" + m.Msr!.Name).ToList();
        FactSlotsC = c.Facts.Select(f => f.Id).ToList();
        Controls = model.ControlFields.Select(control => new CheckControlView(control, model)).ToList();
        var basic = model.Msrs.FirstOrDefault(m => m.Layout == BasicLayout);
        BasicMsr = basic is null ? "0" : "VMX_MSR_" + basic.Name;
        TrueControlsBit = model.Layouts.FirstOrDefault(l => l.Id == BasicLayout)?.Fields.FirstOrDefault(f => f.Id == "true_controls")?.Lsb ?? 0;
        Revisions = model.Checks.Select(x => x.SdmRevision).Where(r => r.Length > 0).Distinct().OrderBy(r => r, System.StringComparer.Ordinal).ToList();
        Categories = Checks.GroupBy(x => x.Category).OrderBy(g => g.Key, System.StringComparer.Ordinal)
            .Select(g => new CheckCategoryView(g.Key, g.First().Group, model.Checks.Count(c => c.Category == g.Key), g.ToList())).ToList();
        Rules = model.Checks.Count;
    }

    private const string BasicLayout = "ia32_vmx_basic";

    public List<CheckView> Checks { get; }

    /// <summary>The checks in runs of <see cref="ChunkSize"/>, one generated C# method each.</summary>
    public List<List<CheckView>> Chunks => Checks.Select((c, i) => (c, i)).GroupBy(p => p.i / ChunkSize).Select(g => g.Select(p => p.c).ToList()).ToList();
    private const int ChunkSize = 16;

    public List<CheckCategoryView> Categories { get; }
    public List<string> CsFieldSlots { get; }
    public List<string> CsMsrSlots { get; }
    public List<string> CsFactSlots { get; }
    public List<string> FieldSlotsC { get; }
    public List<string> MsrSlotsC { get; }
    public List<string> FactSlotsC { get; }
    public List<CheckControlView> Controls { get; }
    public int Rules { get; }
    public List<string> Revisions { get; }
    public string Revision => Revisions.Count == 0 ? "" : string.Join(", ", Revisions);
    public int MaxValues => CheckCompiler.MaxValues;

    /// <summary>IA32_VMX_BASIC and its bit 55 (TRUE_ capability MSRs), from the spec: C picks the MSRs with them.</summary>
    public string BasicMsr { get; }
    public int TrueControlsBit { get; }
}

/// <summary>A catalogue category: <see cref="Rules"/> entries as the spec writes them, <see cref="Checks"/> after <c>each</c>.</summary>
public sealed record CheckCategoryView(string Letter, string Name, int Rules, List<CheckView> Checks);

/// <summary>How C finds a control field's allowed settings: its capability MSRs, their format, and its gate.</summary>
public sealed class CheckControlView
{
    public CheckControlView(ControlField control, SpecModel model)
    {
        Upper = Names.Upper(control.Id);
        var msr = model.Msrs.FirstOrDefault(m => m.Name == control.CapabilityMsr);
        var trueMsr = control.TrueCapabilityMsr is null ? null : model.Msrs.FirstOrDefault(m => m.Name == control.TrueCapabilityMsr);
        Msr = msr is null ? "0" : "VMX_MSR_" + msr.Name;
        TrueMsr = trueMsr is null ? "0" : "VMX_MSR_" + trueMsr.Name;
        // The 32-bit format holds allowed-0 settings in bits 31:0 and allowed-1 settings in 63:32 (SDM A.3); the 64-bit
        // formats (layout vmx_control_capability_64) only allowed-1 settings.
        Split = msr?.Layout == "vmx_control_capability" ? 1 : 0;
        var gate = control.EnabledBy;
        var gateIndex = gate is null ? -1 : model.ControlFields.Select((c, i) => (c, i)).FirstOrDefault(p => p.c.Id == gate.ControlField).i;
        GateIndex = gate is null ? -1 : gateIndex;
        GateBit = gate is null ? 0 : model.ControlFields.First(cf => cf.Id == gate.ControlField).Bits.First(b => b.Id == gate.Bit).Bit;
        Id = control.Id;
    }

    public string Id { get; }
    public string Upper { get; }
    public string Msr { get; }
    public string TrueMsr { get; }
    public int Split { get; }
    public int GateIndex { get; }
    public int GateBit { get; }
}

public sealed class CheckView
{
    public CheckView(CompiledCheck check, int index, CheckPrinter cs, CheckPrinter c)
    {
        Index = index;
        Id = check.Id;
        Upper = Names.Upper(check.Id);
        Title = check.Title;
        Category = check.Category;
        Group = check.Group;
        Section = check.Section;
        Number = check.Outcome.Number;
        Qualification = check.Outcome.Qualification ?? -1;
        Outcome = check.Outcome.ToString();
        Inputs = check.Inputs.Select(i => i.Id).ToList();
        WhenText = check.When is null ? null : Source(check, when: true);
        RequireText = Source(check, when: false);
        CsWhen = check.When is null ? "true" : cs.Print(check.When);
        CsRequire = cs.Print(check.Require);
        WhenC = check.When is null ? "1" : c.Print(check.When);
        RequireC = c.Print(check.Require);
        var values = check.Values.ToList();
        ValueCount = values.Count;
        CsValues = string.Concat(values.Select(v => ", " + cs.Print(v)));
        ValuesC = string.Join(", ", values.Select(v => c.Print(v)));
        var format = new StringBuilder();
        var messageC = new StringBuilder();
        var spec = new StringBuilder();
        var n = 0;
        foreach (var part in check.Message)
        {
            if (part.Value is null)
            {
                format.Append(part.Text.Replace("{", "{{").Replace("}", "}}"));
                messageC.Append(part.Text.Replace("{", "{{").Replace("}", "}}"));
                spec.Append(part.Text);
                continue;
            }
            format.Append(part.Decimal ? $"{{{n}}}" : $"0x{{{n}:X}}");
            messageC.Append(part.Decimal ? "{d}" : "{x}");
            spec.Append('{').Append(ValueText(check, n)).Append(part.Decimal ? ":d}" : "}");
            n++;
        }
        MessageFormat = format.ToString();
        MessageC = messageC.ToString();
        Message = spec.ToString();
        Bochs = check.Bochs;
        Description = check.Description;
        Register = check.Register;
    }

    // The spec's own text of a condition, with the register substituted: what a reader and `vmxgen explain` show.
    private static string Source(CompiledCheck check, bool when) => check.SourceText(when);

    private static string ValueText(CompiledCheck check, int n) => check.ValueTexts.Count > n ? check.ValueTexts[n] : "?";

    public int Index { get; }
    public string Id { get; }
    public string Upper { get; }
    public string Title { get; }
    public string Category { get; }
    public string Group { get; }
    public string Section { get; }
    public int Number { get; }
    public int Qualification { get; }
    public string Outcome { get; }
    public List<string> Inputs { get; }
    public string? WhenText { get; }
    public string RequireText { get; }
    public string CsWhen { get; }
    public string CsRequire { get; }
    public string WhenC { get; }
    public string RequireC { get; }
    public int ValueCount { get; }
    public string CsValues { get; }
    public string ValuesC { get; }
    public string MessageFormat { get; }
    public string MessageC { get; }
    public string Message { get; }
    public string? Bochs { get; }
    public string? Description { get; }
    public string? Register { get; }
}

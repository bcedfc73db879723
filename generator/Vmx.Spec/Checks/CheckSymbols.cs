using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Model;

namespace Vmx.Spec.Checks;

/// <summary>Every name the check language knows, looked up from the model once.</summary>
public sealed class CheckSymbols
{
    /// <summary>Facts of the processor's state at VM entry, not read with CPUID.</summary>
    public static readonly string[] StateFacts = { "current_lma", "in_smm" };

    public const string MemoryInput = "memory";

    public CheckSymbols(SpecModel model)
    {
        Model = model;
        foreach (var field in model.VmcsFields) Fields[field.Id] = field;
        foreach (var control in model.ControlFields) Controls[control.Id] = control;
        foreach (var layout in model.Layouts) Layouts[layout.Id] = layout;
        foreach (var msr in model.Msrs) Msrs[msr.Id] = msr;
        foreach (var definition in model.Enums) Enums[definition.Id] = definition;
        foreach (var group in model.Cpuid.GroupBy(c => c.Id.Substring(c.Id.LastIndexOf('.') + 1)))
            if (group.Count() == 1) Cpuid[group.Key] = group.First();
        foreach (var control in model.ControlFields)
            if (Fields.TryGetValue(control.Field, out var field)) ControlFieldOf[control.Id] = field;
    }

    public SpecModel Model { get; }
    public Dictionary<string, VmcsField> Fields { get; } = new();
    public Dictionary<string, ControlField> Controls { get; } = new();
    public Dictionary<string, VmcsField> ControlFieldOf { get; } = new();
    public Dictionary<string, Layout> Layouts { get; } = new();
    public Dictionary<string, Msr> Msrs { get; } = new();
    public Dictionary<string, EnumDefinition> Enums { get; } = new();
    public Dictionary<string, CpuidBits> Cpuid { get; } = new();

    /// <summary>The input a declared name stands for, or null when the name is none.</summary>
    public CheckInput? Input(string name)
    {
        if (Fields.TryGetValue(name, out var field)) return FieldInput(field);
        if (ControlFieldOf.TryGetValue(name, out var controlField)) return FieldInput(controlField);
        if (Msrs.TryGetValue(name, out var msr)) return new CheckInput(InputKind.Msr, msr.Id, 64) { Msr = msr };
        if (Cpuid.TryGetValue(name, out var cpuid)) return new CheckInput(InputKind.Fact, name, cpuid.Width) { Cpuid = cpuid };
        if (StateFacts.Contains(name)) return new CheckInput(InputKind.Fact, name, 1);
        if (name == MemoryInput) return new CheckInput(InputKind.Memory, name, 64);
        return null;
    }

    public static CheckInput FieldInput(VmcsField field) => new(InputKind.Field, field.Id, field.BitWidth) { Field = field };

    /// <summary>Every name an input may be declared as, for "did you mean".</summary>
    public IEnumerable<string> InputNames =>
        Fields.Keys.Concat(ControlFieldOf.Keys).Concat(Msrs.Keys).Concat(Cpuid.Keys).Concat(StateFacts).Concat(new[] { MemoryInput });

    /// <summary>The capability MSR a check declares to read a control field's allowed settings: the non-TRUE one (the
    /// TRUE_ one is used instead when IA32_VMX_BASIC[55] says so, without being declared).</summary>
    public Msr? CapabilityMsr(ControlField control) => Model.Msrs.FirstOrDefault(m => m.Name == control.CapabilityMsr);
}

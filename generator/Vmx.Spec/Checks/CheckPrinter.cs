using System.Collections.Generic;
using System.Globalization;
using Vmx.Spec.Emit;
using Vmx.Spec.Model;

namespace Vmx.Spec.Checks;

/// <summary>Where each input a check reads sits in the validator's caches: one slot per distinct field, MSR and fact.</summary>
public sealed class CheckSlots
{
    public List<CheckInput> Fields { get; } = new();
    public List<CheckInput> Msrs { get; } = new();
    public List<CheckInput> Facts { get; } = new();

    public int Slot(CheckInput input)
    {
        var list = input.Kind switch { InputKind.Field => Fields, InputKind.Msr => Msrs, _ => Facts };
        var index = list.FindIndex(i => i.Id == input.Id);
        if (index >= 0) return index;
        list.Add(input);
        return list.Count - 1;
    }
}

/// <summary>Prints a bound expression as C# (over <c>CheckContext</c>, runtime/Vmx.Runtime/Checks) or as C (over
/// <c>struct vmx_check_context</c>, driver/include/vmx/check_engine.h). Both are fully parenthesized, so the check
/// language's precedence is never C's.</summary>
public sealed class CheckPrinter
{
    private readonly bool _c;
    private readonly CheckSlots _slots;

    public CheckPrinter(bool c, CheckSlots slots)
    {
        _c = c;
        _slots = slots;
    }

    public string Print(Bound bound) => bound switch
    {
        BoundLiteral { Type.IsBool: true } b => b.Value != 0 ? (_c ? "1" : "true") : (_c ? "0" : "false"),
        BoundLiteral l => Literal(l.Value),
        BoundRead r => Read(r),
        BoundControl control => Control(control),
        BoundAllowed a => _c
            ? $"vmx_check_allowed(c, VMX_CHECK_CONTROL_{Names.Upper(a.Control.Id)}, {(a.One ? 1 : 0)})"
            : $"c.Allowed{(a.One ? 1 : 0)}(ControlFieldKind.{Names.Pascal(a.Control.Id)})",
        BoundUnary { Operator: "-" } u => _c ? $"((uint64_t)0 - {Print(u.Operand)})" : $"(0UL - {Print(u.Operand)})",
        BoundUnary u => _c && u.Operator == "~" ? $"(~(uint64_t){Print(u.Operand)})" : $"({u.Operator}{Print(u.Operand)})",
        BoundBinary b => Binary(b),
        BoundAddressCheck a => _c
            ? $"vmx_check_{(a.Canonical ? "canonical" : "below_maxphyaddr")}({Print(a.Value)}, {Fact(a.Fact)})"
            : $"CheckMath.{(a.Canonical ? "Canonical" : "BelowMaxPhyAddr")}({Print(a.Value)}, {Fact(a.Fact)})",
        BoundMemory m => _c ? $"vmx_check_memory(c, {Print(m.Address)}, {m.Size})" : $"c.Memory({Print(m.Address)}, {m.Size})",
        _ => throw new System.ArgumentException("unknown bound node " + bound.GetType().Name),
    };

    private string Literal(ulong value) =>
        _c ? $"((uint64_t)0x{value.ToString("X", CultureInfo.InvariantCulture)}ull)" : $"0x{value.ToString("X", CultureInfo.InvariantCulture)}UL";

    private string Whole(CheckInput input) => input.Kind switch
    {
        InputKind.Field => _c ? $"vmx_check_field(c, {_slots.Slot(input)})" : $"c.Field({_slots.Slot(input)})",
        InputKind.Msr => _c ? $"vmx_check_msr(c, {_slots.Slot(input)})" : $"c.Msr({_slots.Slot(input)})",
        _ => Fact(input),
    };

    private string Fact(CheckInput input) => _c ? $"vmx_check_fact(c, {_slots.Slot(input)})" : $"c.Fact({_slots.Slot(input)})";

    private string Read(BoundRead read)
    {
        var whole = Whole(read.Input);
        var width = read.Type.IsBool ? 1 : read.Type.Width;
        if (read.Lsb == 0 && width >= read.Input.Width) return read.Type.IsBool ? $"({whole} != 0)" : whole;
        var shifted = read.Lsb == 0 ? whole : $"({whole} >> {read.Lsb})";
        if (read.Type.IsBool) return $"(({shifted} & 1{(_c ? "u" : "UL")}) != 0)";
        return $"({shifted} & {Literal(width >= 64 ? ulong.MaxValue : (1UL << width) - 1)})";
    }

    private string Control(BoundControl control)
    {
        var bit = $"((({Whole(control.Field)} >> {control.Bit}) & 1{(_c ? "u" : "UL")}) != 0)";
        return control.Gate is null ? bit : $"({Control(control.Gate)} && {bit})";
    }

    private string Binary(BoundBinary b)
    {
        var left = Print(b.Left);
        var right = Print(b.Right);
        switch (b.Operator)
        {
            case "<<":
            case ">>":
                if (b.Right is BoundLiteral { Value: < 64 } literal) return $"({left} {b.Operator} {literal.Value})";
                return _c ? $"vmx_check_{(b.Operator == "<<" ? "shl" : "shr")}({left}, {right})" : $"CheckMath.{(b.Operator == "<<" ? "Shl" : "Shr")}({left}, {right})";
            case "/":
            case "%":
                return _c ? $"vmx_check_{(b.Operator == "/" ? "div" : "mod")}({left}, {right})" : $"CheckMath.{(b.Operator == "/" ? "Div" : "Mod")}({left}, {right})";
            default:
                return $"({left} {b.Operator} {right})";
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Loading;
using Vmx.Spec.Model;

namespace Vmx.Spec.Checks;

/// <summary>A name the binder cannot resolve, a type or width error, or an undeclared input, at an offset of the text.</summary>
public sealed class CheckBindError : System.Exception
{
    public CheckBindError(CheckErrorKind kind, string message, int start, int length) : base(message)
    {
        Kind = kind;
        Start = start;
        Length = length;
    }

    public CheckErrorKind Kind { get; }
    public int Start { get; }
    public int Length { get; }
}

public enum CheckErrorKind { Syntax, UnknownName, Type, Undeclared, Target }

/// <summary>Resolves a <see cref="Syntax"/> tree against the spec and types it (spec/checks/README.md, "The check
/// language"). With <see cref="_declared"/> null (vector values) every input may be read.</summary>
public sealed class CheckBinder
{
    private readonly CheckSymbols _symbols;
    private readonly HashSet<string>? _declared;

    public CheckBinder(CheckSymbols symbols, HashSet<string>? declared)
    {
        _symbols = symbols;
        _declared = declared;
    }

    /// <summary>The declared inputs the bound expressions read so far.</summary>
    public HashSet<string> Used { get; } = new();

    public Bound Bind(Syntax syntax) => syntax switch
    {
        LiteralSyntax literal => new BoundLiteral(literal.Value, literal.IsBool ? CheckType.Bool : CheckType.Int(LiteralWidth(literal.Value))),
        NameSyntax name => BindName(name),
        UnarySyntax unary => BindUnary(unary),
        BinarySyntax binary => BindBinary(binary),
        CallSyntax call => BindCall(call),
        _ => throw new CheckBindError(CheckErrorKind.Syntax, "not an expression", syntax.Start, syntax.Length),
    };

    public Bound BindBool(Syntax syntax)
    {
        var bound = Bind(syntax);
        if (!bound.Type.IsBool)
            throw Type(syntax, $"a condition must be a boolean, but this is {bound.Type}: compare it ('!= 0') or name a single bit");
        return bound;
    }

    private static int LiteralWidth(ulong value)
    {
        var width = 1;
        while (width < 64 && value >> width != 0) width++;
        return width;
    }

    private Bound BindName(NameSyntax name)
    {
        if (name.IsEnum)
        {
            if (!_symbols.Enums.TryGetValue(name.First, out var definition))
                throw Unknown(name, $"'{name.First}' is not an enumeration", name.First, _symbols.Enums.Keys);
            var value = definition.Values.FirstOrDefault(v => v.Id == name.Second);
            if (value is null) throw Unknown(name, $"enumeration '{definition.Id}' has no value '{name.Second}'", name.Second!, definition.Values.Select(v => v.Id));
            return new BoundLiteral(value.Value, CheckType.Int(LiteralWidth(value.Value)));
        }
        if (name.Second is null)
        {
            var input = _symbols.Input(name.First);
            if (input is null || input.Kind == InputKind.Memory)
                throw Unknown(name, $"'{name.First}' is no VMCS field, control field, MSR or CPU fact", name.First, _symbols.InputNames);
            Use(name.First, name);
            return new BoundRead(input, 0, input.Width == 1 ? CheckType.Bool : CheckType.Int(input.Width));
        }
        if (_symbols.Controls.TryGetValue(name.First, out var control)) return BindControl(control, name.Second, name);
        if (_symbols.Fields.TryGetValue(name.First, out var field))
        {
            if (field.Layout is null || !_symbols.Layouts.TryGetValue(field.Layout, out var layout))
                throw Unknown(name, $"VMCS field '{field.Id}' declares no layout, so it has no field '{name.Second}'", name.Second, System.Array.Empty<string>());
            return BindBits(name, name.First, SymbolsInput(name.First), layout);
        }
        if (_symbols.Msrs.TryGetValue(name.First, out var msr))
        {
            if (msr.Layout is null || !_symbols.Layouts.TryGetValue(msr.Layout, out var layout))
                throw Unknown(name, $"MSR '{msr.Id}' has no layout, so it has no field '{name.Second}'", name.Second, System.Array.Empty<string>());
            return BindBits(name, name.First, SymbolsInput(name.First), layout);
        }
        throw Unknown(name, $"'{name.First}' is no VMCS field, control field or MSR", name.First,
            _symbols.Fields.Keys.Concat(_symbols.Controls.Keys).Concat(_symbols.Msrs.Keys));
    }

    private CheckInput SymbolsInput(string name) => _symbols.Input(name)!;

    private Bound BindBits(NameSyntax name, string declaredAs, CheckInput input, Layout layout)
    {
        var bits = layout.Fields.FirstOrDefault(f => f.Id == name.Second);
        if (bits is null) throw Unknown(name, $"layout '{layout.Id}' of '{declaredAs}' has no field '{name.Second}'", name.Second!, layout.Fields.Select(f => f.Id));
        if (bits.Msb >= input.Width)
            throw Type(name, $"'{name.Text}' is bits {bits.Bits}, beyond the {input.Width} bits of '{declaredAs}'");
        Use(declaredAs, name);
        return new BoundRead(input, bits.Lsb, bits.Width == 1 ? CheckType.Bool : CheckType.Int(bits.Width));
    }

    private BoundControl BindControl(ControlField control, string bitId, NameSyntax name)
    {
        var bit = control.Bits.FirstOrDefault(b => b.Id == bitId);
        if (bit is null) throw Unknown(name, $"control field '{control.Id}' has no bit '{bitId}'", bitId, control.Bits.Select(b => b.Id));
        Use(control.Id, name);
        return ControlInEffect(control, bit.Bit);
    }

    // The gate is read implied: "activate secondary controls" is part of what "proc2.x is in effect" means.
    private BoundControl ControlInEffect(ControlField control, int bit)
    {
        BoundControl? gate = null;
        if (control.EnabledBy is { } by && _symbols.Controls.TryGetValue(by.ControlField, out var gateControl)
            && gateControl.Bits.FirstOrDefault(b => b.Id == by.Bit) is { } gateBit)
            gate = ControlInEffect(gateControl, gateBit.Bit);
        return new BoundControl(control, CheckSymbols.FieldInput(_symbols.ControlFieldOf[control.Id]), bit, gate);
    }

    private void Use(string declaredAs, Syntax at)
    {
        if (_declared is not null && !_declared.Contains(declaredAs))
            throw new CheckBindError(CheckErrorKind.Undeclared, $"the check reads '{declaredAs}' but does not declare it in 'inputs'", at.Start, at.Length);
        Used.Add(declaredAs);
    }

    private Bound BindUnary(UnarySyntax unary)
    {
        var operand = Bind(unary.Operand);
        if (unary.Operator == "!")
        {
            if (!operand.Type.IsBool) throw Type(unary, $"'!' needs a boolean, but its operand is {operand.Type} (use '~' for bits)");
            return new BoundUnary("!", operand, CheckType.Bool);
        }
        if (operand.Type.IsBool) throw Type(unary, $"'{unary.Operator}' needs an integer, but its operand is a boolean (use '!')");
        return new BoundUnary(unary.Operator, operand, CheckType.Int(64));
    }

    private Bound BindBinary(BinarySyntax binary)
    {
        var left = Bind(binary.Left);
        var right = Bind(binary.Right);
        var op = binary.Operator;
        if (op is "&&" or "||")
        {
            if (!left.Type.IsBool || !right.Type.IsBool)
                throw Type(binary, $"'{op}' joins booleans, but here it joins {left.Type} and {right.Type}");
            return new BoundBinary(op, left, right, CheckType.Bool);
        }
        if (op is "==" or "!=" && left.Type.IsBool && right.Type.IsBool) return new BoundBinary(op, left, right, CheckType.Bool);
        if (left.Type.IsBool || right.Type.IsBool)
            throw Type(binary, $"'{op}' needs integers, but here it has {left.Type} and {right.Type}");
        if (op is "==" or "!=" or "<" or "<=" or ">" or ">=")
        {
            CheckFits(left, right, binary);
            CheckFits(right, left, binary);
            return new BoundBinary(op, left, right, CheckType.Bool);
        }
        var width = op switch
        {
            "&" => System.Math.Min(left.Type.Width, right.Type.Width),
            "|" or "^" => System.Math.Max(left.Type.Width, right.Type.Width),
            ">>" => left.Type.Width,
            _ => 64,
        };
        return new BoundBinary(op, left, right, CheckType.Int(width));
    }

    // A constant wider than the value it is compared with makes the comparison always true or always false.
    private static void CheckFits(Bound value, Bound other, BinarySyntax at)
    {
        if (other is BoundLiteral literal && literal.Type.Width > value.Type.Width)
            throw Type(at, $"0x{literal.Value:X} does not fit the {value.Type.Width} bits it is compared with, so the comparison never changes");
    }

    private Bound BindCall(CallSyntax call)
    {
        var arguments = call.Arguments;
        switch (call.Function)
        {
            case "canonical":
            case "below_maxphyaddr":
            {
                Arity(call, 1);
                var value = Integer(arguments[0]);
                var factName = call.Function == "canonical" ? "linear_address_width" : "maxphyaddr";
                var fact = _symbols.Input(factName)
                    ?? throw Unknown(call, $"{call.Function}() needs the CPU fact '{factName}', which spec/cpuid does not define", factName, _symbols.Cpuid.Keys);
                Use(factName, call);
                return new BoundAddressCheck(call.Function == "canonical", value, fact);
            }
            case "aligned":
            {
                Arity(call, 2);
                var value = Integer(arguments[0]);
                var n = Constant(arguments[1]);
                if (n == 0 || (n & (n - 1)) != 0) throw Type(arguments[1], $"aligned() takes a power of two, not {n}");
                return new BoundBinary("==", new BoundBinary("&", value, new BoundLiteral(n - 1, CheckType.Int(LiteralWidth(n - 1))), CheckType.Int(64)),
                    new BoundLiteral(0, CheckType.Int(1)), CheckType.Bool);
            }
            case "bits":
            {
                Arity(call, 3);
                var value = Integer(arguments[0]);
                var msb = Constant(arguments[1]);
                var lsb = Constant(arguments[2]);
                if (msb < lsb || msb > 63) throw Type(call, $"bits(x, {msb}, {lsb}) needs 63 >= msb >= lsb");
                var width = (int)(msb - lsb + 1);
                var mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
                Bound shifted = lsb == 0 ? value : new BoundBinary(">>", value, new BoundLiteral(lsb, CheckType.Int(LiteralWidth(lsb))), CheckType.Int(64));
                return new BoundBinary("&", shifted, new BoundLiteral(mask, CheckType.Int(width)), CheckType.Int(width));
            }
            case "allowed":
            case "allowed0":
            case "allowed1":
            {
                Arity(call, 1);
                var control = ControlArgument(call, arguments[0]);
                var msr = DeclaredCapability(control, call);
                var allowed0 = new BoundAllowed(control, false, msr);
                var allowed1 = new BoundAllowed(control, true, msr);
                if (call.Function == "allowed0") return allowed0;
                if (call.Function == "allowed1") return allowed1;
                Use(control.Id, arguments[0]);
                var value = new BoundRead(CheckSymbols.FieldInput(_symbols.ControlFieldOf[control.Id]), 0,
                    CheckType.Int(_symbols.ControlFieldOf[control.Id].BitWidth));
                var mustBeOne = new BoundBinary("==", new BoundBinary("&", value, allowed0, CheckType.Int(64)), allowed0, CheckType.Bool);
                var mayBeOne = new BoundBinary("==", new BoundBinary("&", value, new BoundUnary("~", allowed1, CheckType.Int(64)), CheckType.Int(64)),
                    new BoundLiteral(0, CheckType.Int(1)), CheckType.Bool);
                return new BoundBinary("&&", mustBeOne, mayBeOne, CheckType.Bool);
            }
            case "supported":
            {
                Arity(call, 1);
                if (arguments[0] is not NameSyntax { Second: { } bitId, IsEnum: false } name || !_symbols.Controls.TryGetValue(name.First, out var control))
                    throw Type(arguments[0], "supported() takes a control bit such as proc.monitor_trap_flag");
                var bit = control.Bits.FirstOrDefault(b => b.Id == bitId)
                    ?? throw Unknown(name, $"control field '{control.Id}' has no bit '{bitId}'", bitId, control.Bits.Select(b => b.Id));
                var msr = DeclaredCapability(control, call);
                var allowed1 = new BoundAllowed(control, true, msr);
                return new BoundBinary("!=", new BoundBinary("&", allowed1, new BoundLiteral(1UL << bit.Bit, CheckType.Int(bit.Bit + 1)), CheckType.Int(64)),
                    new BoundLiteral(0, CheckType.Int(1)), CheckType.Bool);
            }
            case "mem8":
            case "mem16":
            case "mem32":
            case "mem64":
            {
                Arity(call, 1);
                var address = Integer(arguments[0]);
                Use(CheckSymbols.MemoryInput, call);
                var size = int.Parse(call.Function.Substring(3), System.Globalization.CultureInfo.InvariantCulture) / 8;
                return new BoundMemory(address, size, _symbols.Input(CheckSymbols.MemoryInput)!);
            }
            default:
                throw Unknown(call, $"'{call.Function}' is not a function of the check language", call.Function, Functions);
        }
    }

    public static readonly string[] Functions =
        { "canonical", "below_maxphyaddr", "aligned", "bits", "allowed", "allowed0", "allowed1", "supported", "mem8", "mem16", "mem32", "mem64" };

    private ControlField ControlArgument(CallSyntax call, Syntax argument)
    {
        if (argument is NameSyntax { Second: null } name && _symbols.Controls.TryGetValue(name.First, out var control)) return control;
        throw argument is NameSyntax other
            ? Unknown(other, $"{call.Function}() takes a control field id, and '{other.Text}' is none", other.First, _symbols.Controls.Keys)
            : Type(argument, $"{call.Function}() takes a control field id such as proc2");
    }

    private CheckInput DeclaredCapability(ControlField control, CallSyntax call)
    {
        var msr = _symbols.CapabilityMsr(control)
            ?? throw Unknown(call, $"control field '{control.Id}' names capability MSR {control.CapabilityMsr}, which the spec does not define", control.CapabilityMsr, System.Array.Empty<string>());
        Use(msr.Id, call);
        return _symbols.Input(msr.Id)!;
    }

    private Bound Integer(Syntax syntax)
    {
        var bound = Bind(syntax);
        if (bound.Type.IsBool) throw Type(syntax, "an integer is needed here, not a boolean");
        return bound;
    }

    private static ulong Constant(Syntax syntax) =>
        syntax is LiteralSyntax { IsBool: false } literal ? literal.Value : throw Type(syntax, "a number is needed here (a literal)");

    private static void Arity(CallSyntax call, int count)
    {
        if (call.Arguments.Count != count)
            throw Type(call, $"{call.Function}() takes {count} argument{(count == 1 ? "" : "s")}, not {call.Arguments.Count}");
    }

    private static CheckBindError Type(Syntax at, string message) => new(CheckErrorKind.Type, message, at.Start, at.Length);

    private static CheckBindError Unknown(Syntax at, string message, string name, IEnumerable<string> candidates)
    {
        var suggestion = NearestName.Find(name, candidates);
        return new CheckBindError(CheckErrorKind.UnknownName, message + (suggestion is null ? "" : $"; did you mean '{suggestion}'?"), at.Start, at.Length);
    }
}

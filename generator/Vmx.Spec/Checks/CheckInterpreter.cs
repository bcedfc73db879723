namespace Vmx.Spec.Checks;

/// <summary>Where the interpreter reads inputs; each returns false when the input is not available.</summary>
public interface ICheckEnvironment
{
    bool TryRead(CheckInput input, out ulong value);
    bool TryAllowed(BoundAllowed allowed, out ulong value);
    bool TryReadMemory(ulong address, int size, out ulong value);
}

/// <summary>Evaluates a bound expression directly, with the semantics the printed C# and C have (shifts by 64 or more
/// and division by 0 give 0). Tools use it for vector values; <see cref="Missing"/> tells whether an input was absent.</summary>
public sealed class CheckInterpreter
{
    private readonly ICheckEnvironment _environment;

    public CheckInterpreter(ICheckEnvironment environment) => _environment = environment;

    public bool Missing { get; private set; }

    public ulong Evaluate(Bound bound)
    {
        switch (bound)
        {
            case BoundLiteral literal: return literal.Value;
            case BoundRead read:
            {
                var whole = Read(read.Input);
                var width = read.Type.IsBool ? 1 : read.Type.Width;
                var shifted = whole >> read.Lsb;
                return width >= 64 ? shifted : shifted & ((1UL << width) - 1);
            }
            case BoundControl control:
                if (control.Gate is not null && Evaluate(control.Gate) == 0) return 0;
                return (Read(control.Field) >> control.Bit) & 1;
            case BoundAllowed allowed:
                if (_environment.TryAllowed(allowed, out var mask)) return mask;
                Missing = true;
                return 0;
            case BoundUnary unary:
            {
                var operand = Evaluate(unary.Operand);
                return unary.Operator switch { "!" => operand == 0 ? 1UL : 0, "~" => ~operand, _ => 0 - operand };
            }
            case BoundBinary binary: return Binary(binary);
            case BoundAddressCheck check:
            {
                var value = Evaluate(check.Value);
                var width = Read(check.Fact);
                if (!check.Canonical) return width >= 64 || value >> (int)width == 0 ? 1UL : 0;
                if (width < 32 || width >= 64) return width == 64 ? 1UL : 0;
                var top = (long)value >> ((int)width - 1);
                return top == 0 || top == -1 ? 1UL : 0;
            }
            case BoundListSearch search:
            {
                var address = Evaluate(search.Address);
                var count = Evaluate(search.Count);
                if (count > BoundListSearch.MaxEntries) { Missing = true; return 0; }
                for (ulong i = 0; i < count; i++)
                {
                    if (!_environment.TryReadMemory(address + 16 * i, 8, out var entry)) { Missing = true; return 0; }
                    if (search.NonZero ? (entry & search.Mask) != 0 : (entry & search.Mask) == search.Value) return i + 1;
                }
                return 0;
            }
            case BoundMemory memory:
            {
                var address = Evaluate(memory.Address);
                if (_environment.TryReadMemory(address, memory.Size, out var value)) return value;
                Missing = true;
                return 0;
            }
            default: throw new System.ArgumentException("unknown bound node " + bound.GetType().Name);
        }
    }

    private ulong Binary(BoundBinary binary)
    {
        var left = Evaluate(binary.Left);
        switch (binary.Operator)
        {
            case "&&": return left != 0 && Evaluate(binary.Right) != 0 ? 1UL : 0;
            case "||": return left != 0 || Evaluate(binary.Right) != 0 ? 1UL : 0;
        }
        var right = Evaluate(binary.Right);
        return binary.Operator switch
        {
            "==" => left == right ? 1UL : 0,
            "!=" => left != right ? 1UL : 0,
            "<" => left < right ? 1UL : 0,
            "<=" => left <= right ? 1UL : 0,
            ">" => left > right ? 1UL : 0,
            ">=" => left >= right ? 1UL : 0,
            "|" => left | right,
            "^" => left ^ right,
            "&" => left & right,
            "<<" => right >= 64 ? 0 : left << (int)right,
            ">>" => right >= 64 ? 0 : left >> (int)right,
            "+" => left + right,
            "-" => left - right,
            "*" => left * right,
            "/" => right == 0 ? 0 : left / right,
            "%" => right == 0 ? 0 : left % right,
            _ => throw new System.ArgumentException("unknown operator " + binary.Operator),
        };
    }

    private ulong Read(CheckInput input)
    {
        if (_environment.TryRead(input, out var value)) return value;
        Missing = true;
        return 0;
    }
}

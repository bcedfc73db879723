using Vmx.Spec.Model;

namespace Vmx.Spec.Checks;

/// <summary>The type of a check-language expression: a boolean, or an unsigned integer of <see cref="Width"/> bits.</summary>
public readonly record struct CheckType(bool IsBool, int Width)
{
    public static CheckType Bool { get; } = new(true, 1);
    public static CheckType Int(int width) => new(false, width);
    public override string ToString() => IsBool ? "a boolean" : $"a {Width}-bit integer";
}

public enum InputKind { Field, Msr, Fact, Memory }

/// <summary>A value a check reads: a VMCS field, a capability MSR, a CPU fact (by name: <c>maxphyaddr</c>,
/// <c>current_lma</c>) or guest memory. <see cref="Width"/> is its width in bits.</summary>
public sealed record CheckInput(InputKind Kind, string Id, int Width)
{
    public VmcsField? Field { get; init; }
    public Msr? Msr { get; init; }
    /// <summary>For a CPUID fact, the spec entry it comes from.</summary>
    public CpuidBits? Cpuid { get; init; }
}

/// <summary>A resolved, typed expression; what the emitters print and the interpreter runs.</summary>
public abstract record Bound(CheckType Type);

public sealed record BoundLiteral(ulong Value, CheckType Literal) : Bound(Literal);

/// <summary>Bits <see cref="Lsb"/>.. of an input, <see cref="Type"/>'s width of them (a whole input when Lsb is 0 and
/// the width is the input's); a 1-bit read typed boolean is a flag.</summary>
public sealed record BoundRead(CheckInput Input, int Lsb, CheckType Read) : Bound(Read);

/// <summary>A control in effect: bit <see cref="Bit"/> of the control field is 1 and, when the field is activated by
/// another control (<see cref="Gate"/>), that one is in effect too.</summary>
public sealed record BoundControl(ControlField Control, CheckInput Field, int Bit, BoundControl? Gate) : Bound(CheckType.Bool);

/// <summary>The allowed-0 (<see cref="One"/> false) or allowed-1 settings of a control field on this processor.</summary>
public sealed record BoundAllowed(ControlField Control, bool One, CheckInput Msr) : Bound(CheckType.Int(64));

public sealed record BoundUnary(string Operator, Bound Operand, CheckType Result) : Bound(Result);

public sealed record BoundBinary(string Operator, Bound Left, Bound Right, CheckType Result) : Bound(Result);

/// <summary><c>canonical(x)</c> (Fact = linear-address width) or <c>below_maxphyaddr(x)</c> (Fact = MAXPHYADDR).</summary>
public sealed record BoundAddressCheck(bool Canonical, Bound Value, CheckInput Fact) : Bound(CheckType.Bool);

/// <summary>Guest-physical memory: <see cref="Size"/> bytes at an address.</summary>
public sealed record BoundMemory(Bound Address, int Size, CheckInput Memory) : Bound(CheckType.Int(Size * 8));

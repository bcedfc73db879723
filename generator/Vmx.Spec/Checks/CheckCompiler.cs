using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Model;

namespace Vmx.Spec.Checks;

/// <summary>One piece of a message: text, or a value printed in hex (or decimal).</summary>
public sealed record MessagePart(string Text, Bound? Value, bool Decimal);

/// <summary>Where a vector assignment writes: bits of an input, a control bit, or guest memory.</summary>
public sealed record VectorTarget(CheckInput Input, int Lsb, int Width, ulong Address = 0)
{
    public string Describe() => Input.Kind == InputKind.Memory ? $"mem{Width}(0x{Address:X})" : Width == Input.Width ? Input.Id : $"{Input.Id} bits {Lsb + Width - 1}:{Lsb}";
}

public sealed record CompiledAssignment(VectorTarget Target, Bound Value);

public sealed record CompiledVector(EquatableArray<CompiledAssignment> Assignments);

/// <summary>A check after <c>each</c> expansion, every text resolved and typed: what the emitters print.</summary>
public sealed record CompiledCheck(
    string Id,
    string Title,
    string Category,
    string Group,
    string Section,
    CheckOutcome Outcome,
    EquatableArray<CheckInput> Inputs,
    Bound? When,
    Bound Require,
    EquatableArray<MessagePart> Message,
    EquatableArray<CompiledVector> Pass,
    EquatableArray<CompiledVector> Fail,
    string? Bochs,
    string? Description,
    string? Register)
{
    /// <summary>The spec's text of the precondition, the requirement and each message value, with the register substituted.</summary>
    public string? WhenSource { get; init; }
    public string RequireSource { get; init; } = "";
    public EquatableArray<string> ValueTexts { get; init; } = EquatableArray<string>.Empty;

    public string SourceText(bool when) => when ? WhenSource ?? "" : RequireSource;

    /// <summary>The message's values, in order.</summary>
    public IEnumerable<Bound> Values => Message.Where(p => p.Value is not null).Select(p => p.Value!);
}

/// <summary>Turns the spec's checks into <see cref="CompiledCheck"/>s. Each problem is reported once through
/// <paramref name="report"/> with the text and the offsets inside it; a check with a problem is left out.</summary>
public static class CheckCompiler
{
    public delegate void Report(CheckText text, int start, int length, CheckErrorKind kind, string message);

    /// <summary>At most this many values per message: the C callback receives them in a fixed array.</summary>
    public const int MaxValues = 6;

    public static IReadOnlyList<CompiledCheck> Compile(SpecModel model, Report? report = null)
    {
        var symbols = new CheckSymbols(model);
        var compiled = new List<CompiledCheck>();
        foreach (var check in model.Checks)
        {
            if (check.Each.Count == 0) Add(compiled, CompileOne(symbols, check, null, report));
            else foreach (var register in check.Each) Add(compiled, CompileOne(symbols, check, register, report));
        }
        return compiled;
    }

    private static void Add(List<CompiledCheck> list, CompiledCheck? check)
    {
        if (check is not null) list.Add(check);
    }

    private static CompiledCheck? CompileOne(CheckSymbols symbols, VmEntryCheck check, string? register, Report? report)
    {
        var failed = false;
        void Error(CheckText text, int start, int length, CheckErrorKind kind, string message)
        {
            failed = true;
            report?.Invoke(text, start, length, kind, message);
        }

        var declared = new Dictionary<string, CheckText>();
        var inputs = new List<CheckInput>();
        foreach (var text in check.Inputs)
        {
            var name = Substitute(text.Text.Trim(), register, upper: false);
            if (text.Text.Contains('$') && register is null) { Error(text, text.Text.IndexOf('$'), 1, CheckErrorKind.Syntax, "'$' stands for a register, but the check has no 'each'"); continue; }
            var input = symbols.Input(name);
            if (input is null)
            {
                var suggestion = Loading.NearestName.Find(name, symbols.InputNames);
                Error(text, 0, text.Text.Length, CheckErrorKind.UnknownName,
                    $"input '{name}' is no VMCS field, control field, MSR, CPU fact or 'memory'" + (suggestion is null ? "" : $"; did you mean '{suggestion}'?"));
                continue;
            }
            if (declared.ContainsKey(name)) { Error(text, 0, text.Text.Length, CheckErrorKind.Type, $"input '{name}' is declared twice"); continue; }
            declared[name] = text;
            inputs.Add(input);
        }
        var binder = new CheckBinder(symbols, new HashSet<string>(declared.Keys));
        Bound? Condition(CheckText? text)
        {
            if (text is null) return null;
            try { return binder.BindBool(CheckParser.Parse(text.Text, register)); }
            catch (CheckSyntaxError e) { Error(text, e.Start, e.Length, CheckErrorKind.Syntax, e.Message); }
            catch (CheckBindError e) { Error(text, e.Start, e.Length, e.Kind, e.Message); }
            return null;
        }
        var when = Condition(check.When);
        var require = Condition(check.Require);
        var message = Message(check.Message, register, binder, Error);
        foreach (var unused in declared.Where(d => !binder.Used.Contains(d.Key)))
            Error(unused.Value, 0, unused.Value.Text.Length, CheckErrorKind.Undeclared, $"input '{unused.Key}' is declared but no condition or message reads it");
        var pass = check.Pass.Select(v => Vector(symbols, v, register, Error)).ToList();
        var fail = check.Fail.Select(v => Vector(symbols, v, register, Error)).ToList();
        if (failed || require is null || message is null || pass.Any(v => v is null) || fail.Any(v => v is null)) return null;
        return new CompiledCheck(Substitute(check.Id, register, upper: false), Substitute(check.Title, register, upper: true), check.Category,
            check.Group, check.Section, check.Outcome, inputs.ToEquatableArray(), when, require, message.ToEquatableArray(),
            pass.Select(v => v!).ToEquatableArray(), fail.Select(v => v!).ToEquatableArray(),
            check.Bochs is null ? null : Substitute(check.Bochs, register, upper: true),
            check.Description is null ? null : Substitute(check.Description, register, upper: true), register)
        {
            WhenSource = check.When is null ? null : Substitute(check.When.Text, register, upper: false),
            RequireSource = Substitute(check.Require.Text, register, upper: false),
            ValueTexts = ValueSources(check.Message.Text, register).ToEquatableArray(),
        };
    }

    private static IEnumerable<string> ValueSources(string message, string? register)
    {
        var position = 0;
        while ((position = message.IndexOf('{', position)) >= 0)
        {
            var close = message.IndexOf('}', position);
            if (close < 0) yield break;
            var inner = message.Substring(position + 1, close - position - 1);
            if (inner.EndsWith(":d", System.StringComparison.Ordinal)) inner = inner.Substring(0, inner.Length - 2);
            yield return Substitute(inner.Trim(), register, upper: false);
            position = close + 1;
        }
    }

    internal static string Substitute(string text, string? register, bool upper) =>
        register is null ? text : text.Replace("$", upper ? register.ToUpperInvariant() : register);

    private static List<MessagePart>? Message(CheckText text, string? register, CheckBinder binder, Report error)
    {
        var parts = new List<MessagePart>();
        var s = text.Text;
        var position = 0;
        var values = 0;
        while (position < s.Length)
        {
            var open = s.IndexOf('{', position);
            if (open < 0) { parts.Add(new MessagePart(Substitute(s.Substring(position), register, true), null, false)); break; }
            if (open > position) parts.Add(new MessagePart(Substitute(s.Substring(position, open - position), register, true), null, false));
            var close = s.IndexOf('}', open);
            if (close < 0) { error(text, open, 1, CheckErrorKind.Syntax, "'{' opens a value that no '}' closes"); return null; }
            var end = close;
            var colon = s.IndexOf(':', open);
            var isDecimal = false;
            // ':' is also half of '::' (an enum value): only a lone ':d' before '}' is the format.
            if (colon > open && colon < close && s.Substring(colon, close - colon) == ":d") { isDecimal = true; end = colon; }
            try
            {
                var bound = binder.Bind(CheckParser.Parse(s, register, open + 1, end));
                if (bound.Type.IsBool) { error(text, open + 1, end - open - 1, CheckErrorKind.Type, "a message shows integers: this value is a boolean"); return null; }
                parts.Add(new MessagePart("", bound, isDecimal));
            }
            catch (CheckSyntaxError e) { error(text, e.Start, e.Length, CheckErrorKind.Syntax, e.Message); return null; }
            catch (CheckBindError e) { error(text, e.Start, e.Length, e.Kind, e.Message); return null; }
            if (++values > MaxValues) { error(text, open, close - open + 1, CheckErrorKind.Type, $"a message shows at most {MaxValues} values"); return null; }
            position = close + 1;
        }
        return parts;
    }

    private static CompiledVector? Vector(CheckSymbols symbols, CheckVector vector, string? register, Report error)
    {
        var assignments = new List<CompiledAssignment>();
        var ok = true;
        foreach (var assignment in vector.Assignments)
        {
            var target = Target(symbols, assignment.Target, register, error);
            Bound? value = null;
            try
            {
                value = new CheckBinder(symbols, null).Bind(CheckParser.Parse(assignment.Value.Text, register));
                var flag = target is not null && target.Width == 1 && target.Input.Kind != InputKind.Memory;
                if (target is not null && (flag ? !(value.Type.IsBool || value is BoundLiteral { Value: <= 1 }) : value.Type.IsBool))
                {
                    error(assignment.Value, 0, assignment.Value.Text.Length, CheckErrorKind.Type,
                        $"{target.Describe()} takes {(flag ? "a boolean or 0/1" : "an integer")}, not {value.Type}");
                    value = null;
                }
                else if (target is not null && !flag && value is BoundLiteral literal && target.Width < 64 && literal.Value >> target.Width != 0)
                {
                    error(assignment.Value, 0, assignment.Value.Text.Length, CheckErrorKind.Type, $"0x{literal.Value:X} does not fit the {target.Width} bits of {target.Describe()}");
                    value = null;
                }
            }
            catch (CheckSyntaxError e) { error(assignment.Value, e.Start, e.Length, CheckErrorKind.Syntax, e.Message); }
            catch (CheckBindError e) { error(assignment.Value, e.Start, e.Length, e.Kind, e.Message); }
            if (target is null || value is null) { ok = false; continue; }
            assignments.Add(new CompiledAssignment(target, value));
        }
        return ok ? new CompiledVector(assignments.ToEquatableArray()) : null;
    }

    private static VectorTarget? Target(CheckSymbols symbols, CheckText text, string? register, Report error)
    {
        try
        {
            var syntax = CheckParser.Parse(text.Text, register);
            if (syntax is CallSyntax { Function: "mem8" or "mem16" or "mem32" or "mem64", Arguments.Count: 1 } call && call.Arguments[0] is LiteralSyntax { IsBool: false } address)
                return new VectorTarget(symbols.Input(CheckSymbols.MemoryInput)!, 0, int.Parse(call.Function.Substring(3), System.Globalization.CultureInfo.InvariantCulture), address.Value);
            if (syntax is NameSyntax { IsEnum: false } name)
            {
                var bound = new CheckBinder(symbols, null).Bind(name);
                switch (bound)
                {
                    case BoundRead read: return new VectorTarget(read.Input, read.Lsb, read.Type.IsBool ? 1 : read.Type.Width);
                    case BoundControl control: return new VectorTarget(control.Field, control.Bit, 1);
                }
            }
            error(text, 0, text.Text.Length, CheckErrorKind.Target,
                $"'{text.Text}' is not something a vector can set: a VMCS field, field.bit, control bit, capability MSR (or its field), CPU fact or memN(address)");
        }
        catch (CheckSyntaxError e) { error(text, e.Start, e.Length, CheckErrorKind.Syntax, e.Message); }
        catch (CheckBindError e) { error(text, e.Start, e.Length, e.Kind, e.Message); }
        return null;
    }
}

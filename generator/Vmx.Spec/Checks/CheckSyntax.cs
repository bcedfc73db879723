using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Vmx.Spec.Checks;

/// <summary>A parsed expression of the check language, before names are resolved. Offsets are into the text as the spec
/// writes it (with <c>$</c>), so diagnostics point at the right column of every expanded register.</summary>
public abstract record Syntax(int Start, int Length);

public sealed record LiteralSyntax(ulong Value, bool IsBool, int Start, int Length) : Syntax(Start, Length);

/// <summary><c>first</c>, <c>first.second</c> or <c>first::second</c> (an enum value).</summary>
public sealed record NameSyntax(string First, string? Second, bool IsEnum, int Start, int Length) : Syntax(Start, Length)
{
    public string Text => Second is null ? First : First + (IsEnum ? "::" : ".") + Second;
}

public sealed record CallSyntax(string Function, IReadOnlyList<Syntax> Arguments, int Start, int Length) : Syntax(Start, Length);

public sealed record UnarySyntax(string Operator, Syntax Operand, int Start, int Length) : Syntax(Start, Length);

public sealed record BinarySyntax(string Operator, Syntax Left, Syntax Right, int Start, int Length) : Syntax(Start, Length);

/// <summary>A syntax error at an offset of the text.</summary>
public sealed class CheckSyntaxError : System.Exception
{
    public CheckSyntaxError(string message, int start, int length) : base(message)
    {
        Start = start;
        Length = length;
    }

    public int Start { get; }
    public int Length { get; }
}

/// <summary>Recursive descent over the grammar of spec/checks/README.md. <c>$</c> in a name is replaced by
/// <see cref="_register"/>; without one, <c>$</c> is an error.</summary>
public sealed class CheckParser
{
    // Loosest first; every level is left-associative except the comparisons, which do not chain.
    private static readonly string[][] Levels =
    {
        new[] { "||" }, new[] { "&&" }, new[] { "==", "!=", "<=", ">=", "<", ">" }, new[] { "|" }, new[] { "^" }, new[] { "&" },
        new[] { "<<", ">>" }, new[] { "+", "-" }, new[] { "*", "/", "%" },
    };

    private static readonly string[] Symbols = { "||", "&&", "==", "!=", "<=", ">=", "<<", ">>", "::", "<", ">", "|", "^", "&", "+", "-", "*", "/", "%", "!", "~", "(", ")", ",", "." };

    private readonly string _text;
    private readonly string? _register;
    private readonly int _end;
    private int _position;

    private CheckParser(string text, string? register, int start, int end)
    {
        _text = text;
        _register = register;
        _position = start;
        _end = end;
    }

    /// <summary>Parses <paramref name="text"/>[start..end) as one expression.</summary>
    /// <exception cref="CheckSyntaxError">The text is not an expression of the language.</exception>
    public static Syntax Parse(string text, string? register, int start = 0, int? end = null)
    {
        var parser = new CheckParser(text, register, start, end ?? text.Length);
        var expression = parser.Expression(0);
        parser.SkipSpace();
        if (parser._position < parser._end)
            throw new CheckSyntaxError($"unexpected '{parser.Peek()}' after a complete expression", parser._position, 1);
        return expression;
    }

    private Syntax Expression(int level)
    {
        if (level == Levels.Length) return Unary();
        var left = Expression(level + 1);
        var comparisons = level == 2;
        while (Match(Levels[level]) is { } op)
        {
            var right = Expression(level + 1);
            left = new BinarySyntax(op, left, right, left.Start, right.Start + right.Length - left.Start);
            if (comparisons && Match(Levels[level], consume: false) is { } again)
                throw new CheckSyntaxError($"comparisons do not chain: write '&&' between them", _position, again.Length);
        }
        return left;
    }

    private Syntax Unary()
    {
        SkipSpace();
        var start = _position;
        if (Match(new[] { "!", "~", "-" }) is { } op)
        {
            var operand = Unary();
            return new UnarySyntax(op, operand, start, operand.Start + operand.Length - start);
        }
        return Primary();
    }

    private Syntax Primary()
    {
        SkipSpace();
        var start = _position;
        if (_position >= _end) throw new CheckSyntaxError("expected a value, a name or '(' but the text ends", _end, 0);
        var c = _text[_position];
        if (c == '(')
        {
            _position++;
            var inner = Expression(0);
            Expect(")");
            return inner;
        }
        if (char.IsDigit(c)) return Number();
        if (IsNameChar(c))
        {
            var first = Name();
            if (first == "true" || first == "false") return new LiteralSyntax(first == "true" ? 1UL : 0UL, true, start, _position - start);
            SkipSpace();
            if (Match(new[] { "(" }) is not null)
            {
                var arguments = new List<Syntax>();
                SkipSpace();
                if (Match(new[] { ")" }) is null)
                {
                    do arguments.Add(Expression(0)); while (Match(new[] { "," }) is not null);
                    Expect(")");
                }
                return new CallSyntax(first, arguments, start, _position - start);
            }
            if (Match(new[] { "::" }) is not null) return new NameSyntax(first, Name(), true, start, _position - start);
            if (_position < _end && _text[_position] == '.')
            {
                _position++;
                return new NameSyntax(first, Name(), false, start, _position - start);
            }
            return new NameSyntax(first, null, false, start, _position - start);
        }
        throw new CheckSyntaxError($"unexpected '{c}': expected a value, a name or '('", _position, 1);
    }

    private Syntax Number()
    {
        var start = _position;
        var hex = _position + 1 < _end && _text[_position] == '0' && (_text[_position + 1] == 'x' || _text[_position + 1] == 'X');
        if (hex) _position += 2;
        var digits = new StringBuilder();
        while (_position < _end && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            if (_text[_position] != '_') digits.Append(_text[_position]);
            _position++;
        }
        var ok = hex
            ? ulong.TryParse(digits.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(digits.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || digits.Length == 0)
            throw new CheckSyntaxError($"'{_text.Substring(start, _position - start)}' is not a number that fits 64 bits", start, _position - start);
        return new LiteralSyntax(value, false, start, _position - start);
    }

    private string Name()
    {
        var start = _position;
        var name = new StringBuilder();
        while (_position < _end && IsNameChar(_text[_position]))
        {
            if (_text[_position] == '$')
            {
                if (_register is null) throw new CheckSyntaxError("'$' stands for a register, but the check has no 'each'", _position, 1);
                name.Append(_register);
            }
            else name.Append(_text[_position]);
            _position++;
        }
        if (name.Length == 0) throw new CheckSyntaxError("expected a name", start, 1);
        return name.ToString();
    }

    private static bool IsNameChar(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or '$';

    private void Expect(string symbol)
    {
        if (Match(new[] { symbol }) is null)
            throw new CheckSyntaxError(_position < _end ? $"expected '{symbol}', found '{Peek()}'" : $"expected '{symbol}' but the text ends",
                _position, _position < _end ? 1 : 0);
    }

    private string? Match(string[] candidates, bool consume = true)
    {
        var symbol = SymbolHere();
        if (symbol is null || System.Array.IndexOf(candidates, symbol) < 0) return null;
        if (consume) _position += symbol.Length;
        return symbol;
    }

    // The longest symbol at the current position ('<<' not '<', '||' not '|'), found once per position: every
    // precedence level asks for it.
    private int _symbolPosition = -1;
    private string? _symbol;

    private string? SymbolHere()
    {
        SkipSpace();
        if (_symbolPosition == _position) return _symbol;
        _symbolPosition = _position;
        _symbol = null;
        foreach (var symbol in Symbols)
            if (_position + symbol.Length <= _end && string.CompareOrdinal(_text, _position, symbol, 0, symbol.Length) == 0
                && (_symbol is null || symbol.Length > _symbol.Length))
                _symbol = symbol;
        return _symbol;
    }

    private string Peek() => _text.Substring(_position, 1);

    private void SkipSpace()
    {
        while (_position < _end && _text[_position] == ' ') _position++;
    }
}

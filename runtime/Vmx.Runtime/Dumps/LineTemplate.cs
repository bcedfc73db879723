using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Vmx;

/// <summary>One line shape of a printf-style text dump, written as literal text with holes: <c>{name}</c> a hex number
/// (with or without 0x), <c>{#name}</c> a decimal number, <c>{*name}</c> any token without spaces. A space in the template
/// matches one or more blanks. Matching a line either yields the holes' values with their columns, or says how far the
/// line followed the shape and what it expected there, so a malformed line gets a located error.</summary>
internal sealed class LineTemplate
{
    private enum PieceKind { Literal, Blank, Hex, Decimal, Token }

    private readonly record struct Piece(PieceKind Kind, string Text);

    private readonly List<Piece> _pieces;

    private LineTemplate(string text, List<Piece> pieces)
    {
        Text = text;
        _pieces = pieces;
        Key = pieces[0].Kind == PieceKind.Literal ? pieces[0].Text : "";
    }

    public string Text { get; }

    /// <summary>The literal text the line starts with: a line that starts with it (at a word boundary) is meant to be this
    /// shape, so failing to match it is an error rather than an unknown line.</summary>
    public string Key { get; }

    /// <summary>The hole names as written (with their # or * sigil, and any @ the reader gives meaning to), in order.</summary>
    public IEnumerable<string> Holes => _pieces.Where(p => p.Kind is PieceKind.Hex or PieceKind.Decimal or PieceKind.Token).Select(p => p.Text);

    /// <summary>The shape as a reader sees it: holes shown as &lt;hex&gt;, &lt;decimal&gt;, &lt;token&gt;.</summary>
    public string Display => string.Concat(_pieces.Select(p => p.Kind switch
    {
        PieceKind.Literal => p.Text,
        PieceKind.Blank => " ",
        PieceKind.Hex => "<hex>",
        PieceKind.Decimal => "<decimal>",
        _ => "<token>",
    }));

    public static LineTemplate Parse(string template)
    {
        var pieces = new List<Piece>();
        var literal = new StringBuilder();
        void Flush()
        {
            if (literal.Length > 0) pieces.Add(new Piece(PieceKind.Literal, literal.ToString()));
            literal.Clear();
        }
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == ' ')
            {
                Flush();
                if (pieces.Count == 0 || pieces[^1].Kind != PieceKind.Blank) pieces.Add(new Piece(PieceKind.Blank, " "));
            }
            else if (c == '{')
            {
                Flush();
                var end = template.IndexOf('}', i);
                var name = template.Substring(i + 1, end - i - 1);
                pieces.Add(name[0] switch
                {
                    '#' => new Piece(PieceKind.Decimal, name),
                    '*' => new Piece(PieceKind.Token, name),
                    _ => new Piece(PieceKind.Hex, name),
                });
                i = end;
            }
            else literal.Append(c);
        }
        Flush();
        return new LineTemplate(template, pieces);
    }

    /// <summary>True when <paramref name="line"/> from <paramref name="start"/> begins with the key as a whole word.</summary>
    public bool Claims(string line, int start)
    {
        if (Key.Length == 0 || !At(line, start, Key)) return false;
        var next = start + Key.Length;
        return next >= line.Length || !char.IsLetterOrDigit(Key[^1]) || !char.IsLetterOrDigit(line[next]);
    }

    /// <summary>A hole's value and the 0-based index in the line where it starts.</summary>
    public readonly record struct Capture(string Name, ulong Value, string Raw, int Index);

    /// <summary>The outcome: every capture, or the index where the line left the shape and what was expected there.</summary>
    public sealed record Result(IReadOnlyList<Capture>? Captures, int FailIndex, string? Expected)
    {
        public bool Success => Captures is not null;
    }

    private static bool At(string line, int index, string text) =>
        index + text.Length <= line.Length && string.CompareOrdinal(line, index, text, 0, text.Length) == 0;

    public Result Match(string line, int start)
    {
        var captures = new List<Capture>();
        var i = start;
        foreach (var piece in _pieces)
        {
            switch (piece.Kind)
            {
                case PieceKind.Literal:
                    if (!At(line, i, piece.Text))
                        return new Result(null, i, $"\"{piece.Text}\"");
                    i += piece.Text.Length;
                    break;
                case PieceKind.Blank:
                    if (i >= line.Length || !char.IsWhiteSpace(line[i])) return new Result(null, i, "a space");
                    while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
                    break;
                case PieceKind.Hex:
                {
                    var at = i;
                    if (At(line, i, "0x")) i += 2;
                    var digits = i;
                    while (i < line.Length && Uri.IsHexDigit(line[i])) i++;
                    if (i == digits) return new Result(null, at, $"a hex number for {piece.Text}");
                    if (i - digits > 16) return new Result(null, at, $"a hex number of at most 64 bits for {piece.Text}");
                    if (i < line.Length && char.IsLetterOrDigit(line[i])) return new Result(null, i, $"a hex digit in {piece.Text}");
                    captures.Add(new Capture(piece.Text, ulong.Parse(line.AsSpan(digits, i - digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture), line.Substring(at, i - at), at));
                    break;
                }
                case PieceKind.Decimal:
                {
                    var at = i;
                    while (i < line.Length && char.IsAsciiDigit(line[i])) i++;
                    if (i == at || i - at > 9) return new Result(null, at, $"a decimal number for {piece.Text}");
                    if (i < line.Length && char.IsLetterOrDigit(line[i])) return new Result(null, i, $"a decimal digit in {piece.Text}");
                    captures.Add(new Capture(piece.Text, ulong.Parse(line.AsSpan(at, i - at), NumberStyles.None, CultureInfo.InvariantCulture), line.Substring(at, i - at), at));
                    break;
                }
                default:
                {
                    var at = i;
                    while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] != ',') i++;
                    if (i == at) return new Result(null, at, $"a value for {piece.Text}");
                    captures.Add(new Capture(piece.Text, 0, line.Substring(at, i - at), at));
                    break;
                }
            }
        }
        while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
        return i == line.Length ? new Result(captures, i, null) : new Result(null, i, "the end of the line");
    }
}

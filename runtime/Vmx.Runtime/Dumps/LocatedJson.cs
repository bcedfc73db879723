using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vmx;

/// <summary>A JSON value with the line and column it starts at, so that a dump's semantic errors (a bad number, an
/// unknown name) point at the offending text just as syntax errors do. System.Text.Json's DOM keeps no positions.</summary>
internal abstract record LocatedJson(int Line, int Column)
{
    public sealed record Object(int Line, int Column, IReadOnlyList<Member> Members) : LocatedJson(Line, Column);
    public sealed record Array(int Line, int Column, IReadOnlyList<LocatedJson> Items) : LocatedJson(Line, Column);
    public sealed record Text(int Line, int Column, string Value) : LocatedJson(Line, Column);
    /// <summary>Numbers, true, false and null, kept as written.</summary>
    public sealed record Literal(int Line, int Column, string Raw) : LocatedJson(Line, Column);

    public sealed record Member(string Name, int Line, int Column, LocatedJson Value);

    public string Kind => this switch
    {
        Object => "an object",
        Array => "an array",
        Text => "a string",
        _ => "a literal",
    };

    /// <exception cref="DumpFormatException">The text is not JSON.</exception>
    public static LocatedJson Parse(string json, string source)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var lineStarts = LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read()) throw new DumpFormatException(source, 1, 1, "empty file: expected a JSON object");
            var root = ReadValue(ref reader, lineStarts);
            if (reader.Read()) throw At(source, lineStarts, reader.TokenStartIndex, "unexpected text after the JSON value");
            return root;
        }
        catch (JsonException e)
        {
            throw new DumpFormatException(source, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, "not valid JSON: " + FirstSentence(e.Message));
        }
    }

    private static LocatedJson ReadValue(ref Utf8JsonReader reader, List<long> lineStarts)
    {
        var (line, column) = Position(lineStarts, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var members = new List<Member>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var (nameLine, nameColumn) = Position(lineStarts, reader.TokenStartIndex);
                    var name = reader.GetString()!;
                    reader.Read();
                    members.Add(new Member(name, nameLine, nameColumn, ReadValue(ref reader, lineStarts)));
                }
                return new Object(line, column, members);
            case JsonTokenType.StartArray:
                var items = new List<LocatedJson>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(ReadValue(ref reader, lineStarts));
                return new Array(line, column, items);
            case JsonTokenType.String:
                return new Text(line, column, reader.GetString()!);
            default:
                return new Literal(line, column, Encoding.UTF8.GetString(reader.ValueSpan));
        }
    }

    public static DumpFormatException Error(string source, LocatedJson at, string problem) => new(source, at.Line, at.Column, problem);

    public static DumpFormatException Error(string source, Member at, string problem) => new(source, at.Line, at.Column, problem);

    /// <summary>Parses "0x…" hex (or plain decimal) into a number no wider than <paramref name="bits"/>.</summary>
    public static ulong Number(string source, LocatedJson value, int bits, string what)
    {
        var text = value switch { Text t => t.Value, Literal l => l.Raw, _ => null };
        ulong parsed = 0;
        var ok = text is not null && (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out parsed)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out parsed));
        if (!ok) throw Error(source, value, $"{what} must be a number such as \"0x1f\", not {Describe(value)}");
        if (bits < 64 && parsed >> bits != 0) throw Error(source, value, $"{what} {text} does not fit in {bits} bits");
        return parsed;
    }

    public static string Describe(LocatedJson value) => value switch
    {
        Text t => "\"" + t.Value + "\"",
        Literal l => l.Raw,
        _ => value.Kind,
    };

    private static DumpFormatException At(string source, List<long> lineStarts, long index, string problem)
    {
        var (line, column) = Position(lineStarts, index);
        return new DumpFormatException(source, line, column, problem);
    }

    private static List<long> LineStarts(byte[] bytes)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < bytes.Length; i++) if (bytes[i] == (byte)'\n') starts.Add(i + 1);
        return starts;
    }

    private static (int Line, int Column) Position(List<long> lineStarts, long index)
    {
        var line = lineStarts.BinarySearch(index);
        if (line < 0) line = ~line - 1;
        return (line + 1, (int)(index - lineStarts[line]) + 1);
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end < 0 ? message : message.Substring(0, end);
    }
}

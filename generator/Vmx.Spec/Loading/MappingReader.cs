using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Vmx.Spec.Lint;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vmx.Spec.Loading;

/// <summary>Reads one YAML mapping against the keys its kind allows, reporting unknown, missing and ill-typed
/// values at their exact position. Readers return null for a bad value; the caller drops the entry.</summary>
internal sealed class MappingReader
{
    private static readonly Regex IdPattern = new("^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant);
    private static readonly Regex MsrNamePattern = new("^[A-Z][A-Z0-9_]*$", RegexOptions.CultureInvariant);
    private static readonly Regex HexPattern = new("^0x[0-9A-Fa-f]+$", RegexOptions.CultureInvariant);

    private readonly YamlMappingNode _node;
    private readonly SourceMap _source;
    private readonly DiagnosticBag _diagnostics;
    private readonly string _kind;
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);
    private int _errorsAtOpen;

    private MappingReader(YamlMappingNode node, SourceMap source, DiagnosticBag diagnostics, string kind)
    {
        _node = node;
        _source = source;
        _diagnostics = diagnostics;
        _kind = kind;
    }

    public SourceLocation Location => _source.Locate(_node);

    /// <summary>True when no value of this mapping was rejected so far.</summary>
    public bool IsValid => _diagnostics.Items.Count == _errorsAtOpen;

    public static MappingReader? Open(YamlNode node, SourceMap source, DiagnosticBag diagnostics, string kind, IReadOnlyList<string> keys)
    {
        if (node is not YamlMappingNode mapping)
        {
            diagnostics.Add(DiagnosticRule.NotAMapping, source.Locate(node), kind, Shown(node));
            return null;
        }
        var reader = new MappingReader(mapping, source, diagnostics, kind) { _errorsAtOpen = diagnostics.Items.Count };
        foreach (var pair in mapping.Children)
        {
            var key = (pair.Key as YamlScalarNode)?.Value ?? "";
            if (keys.Contains(key))
            {
                reader._values[key] = pair.Value;
                continue;
            }
            var suggestion = NearestName.Find(key, keys);
            var hint = suggestion is null ? $"{kind} takes: {string.Join(", ", keys)}" : $"did you mean '{suggestion}'?";
            diagnostics.Add(DiagnosticRule.UnknownKey, source.Locate(pair.Key), key, kind, hint);
        }
        // Unknown keys do not invalidate the entry: the rest of it is still checked and reported.
        reader._errorsAtOpen = diagnostics.Items.Count;
        return reader;
    }

    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>The raw value of <paramref name="key"/>, for readers of free-form values (check vectors).</summary>
    public YamlNode? Node(string key) => _values.TryGetValue(key, out var node) ? node : null;

    public DiagnosticBag Diagnostics => _diagnostics;

    public SourceLocation LocationOf(string key) => _values.TryGetValue(key, out var node) ? _source.Locate(node) : Location;

    private YamlNode? Get(string key, bool required)
    {
        if (_values.TryGetValue(key, out var node)) return node;
        if (required)
            _diagnostics.Add(DiagnosticRule.MissingKey, Location, _kind, key);
        return null;
    }

    private string? Scalar(string key, bool required, string expected)
    {
        var node = Get(key, required);
        if (node is null) return null;
        if (node is YamlScalarNode { Value: { Length: > 0 } value } scalar)
        {
            // YAML 1.2's core schema reads a plain ~ or null as no value at all, as the JSON Schema does.
            if (scalar.Style != ScalarStyle.Plain || !NullWords.Contains(value)) return value;
            Fail(node, key, expected, "null");
            return null;
        }
        Fail(node, key, expected);
        return null;
    }

    private static readonly string[] NullWords = { "~", "null", "Null", "NULL" };

    /// <summary>A quoted scalar is a string in YAML 1.2 and in the JSON Schema, never a number or a boolean.</summary>
    private bool IsPlain(string key, string expected)
    {
        var node = (YamlScalarNode)_values[key];
        if (node.Style == ScalarStyle.Plain) return true;
        _diagnostics.Add(DiagnosticRule.QuotedScalar, _source.Locate(node), key, expected, node.Value ?? "");
        return false;
    }

    private void Fail(YamlNode node, string key, string expected, string? actual = null)
    {
        _diagnostics.Add(DiagnosticRule.WrongValueType, _source.Locate(node), key, expected, actual ?? Shown(node));
    }

    /// <summary>A value as the messages quote it: a scalar's text, otherwise the node's kind (mapping, sequence).</summary>
    private static string Shown(YamlNode node) => (node as YamlScalarNode)?.Value ?? node.NodeType.ToString().ToLowerInvariant();

    public string? String(string key, bool required = true) => Scalar(key, required, "a text");

    public string? Id(string key = "id")
    {
        var value = Scalar(key, true, "a lower snake_case identifier");
        if (value is null) return null;
        if (IdPattern.IsMatch(value)) return value;
        _diagnostics.Add(DiagnosticRule.InvalidIdentifier, LocationOf(key), value);
        return null;
    }

    /// <summary>An MSR name as the SDM writes it (<c>IA32_VMX_BASIC</c>): upper snake_case, because it becomes the C macro
    /// <c>VMX_MSR_&lt;name&gt;</c> and the names other entries refer to it by.</summary>
    public string? MsrName(string key, bool required = true)
    {
        var value = Scalar(key, required, "an MSR name such as IA32_VMX_BASIC");
        if (value is null) return null;
        if (MsrNamePattern.IsMatch(value)) return value;
        _diagnostics.Add(DiagnosticRule.InvalidMsrName, LocationOf(key), value);
        return null;
    }

    /// <summary>A number that the spec writes in hex (encodings, addresses), as the SDM does.</summary>
    public ulong? Hex(string key, bool required = true)
    {
        var text = Scalar(key, required, "a hex number such as 0x0800");
        if (text is null) return null;
        if (HexPattern.IsMatch(text) && ulong.TryParse(text.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            return value;
        Fail(_values[key], key, "a hex number such as 0x0800");
        return null;
    }

    /// <summary>A decimal number (indices, bit positions, exit reasons); hex is accepted where it reads better.</summary>
    public ulong? Number(string key, bool required = true)
    {
        var text = Scalar(key, required, "a number");
        if (text is null || !IsPlain(key, "a number")) return null;
        if (HexPattern.IsMatch(text) && ulong.TryParse(text.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
            return hex;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        Fail(_values[key], key, "a number");
        return null;
    }

    public bool? Bool(string key, bool required = true)
    {
        var text = Scalar(key, required, "true or false");
        if (text is null || !IsPlain(key, "true or false")) return null;
        if (text == "true") return true;
        if (text == "false") return false;
        Fail(_values[key], key, "true or false");
        return null;
    }

    public T? Choice<T>(string key, IReadOnlyDictionary<string, T> choices, bool required = true) where T : struct
    {
        var expected = "one of " + string.Join(", ", choices.Keys);
        var text = Scalar(key, required, expected);
        if (text is null) return null;
        if (choices.TryGetValue(text, out var value)) return value;
        Fail(_values[key], key, expected);
        return null;
    }

    /// <summary>A bit (<c>13</c>) or an inclusive range written msb:lsb (<c>63:32</c>).</summary>
    public (int Msb, int Lsb)? BitRange(string key)
    {
        var text = Scalar(key, true, "a bit (5) or a range msb:lsb (63:32)");
        if (text is null) return null;
        var parts = text.Split(':');
        if (parts.Length <= 2 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var msb = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var lsb = int.Parse(parts[parts.Length - 1], CultureInfo.InvariantCulture);
            if (msb >= lsb) return (msb, lsb);
        }
        Fail(_values[key], key, "a bit (5) or a range msb:lsb with msb >= lsb (63:32)");
        return null;
    }

    public IReadOnlyList<YamlNode> List(string key, bool required = true)
    {
        var node = Get(key, required);
        if (node is null) return Array.Empty<YamlNode>();
        if (node is YamlSequenceNode sequence) return sequence.Children.ToList();
        Fail(node, key, "a list");
        return Array.Empty<YamlNode>();
    }
}

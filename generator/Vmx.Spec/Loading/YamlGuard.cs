using System;
using System.Collections.Generic;
using System.IO;
using Vmx.Spec.Lint;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Vmx.Spec.Loading;

/// <summary>Reads a file's YAML event stream once, iteratively, before YamlDotNet builds nodes from it, and refuses
/// what would make node building recurse without bound or hash an alias graph: documents beyond the size, nesting
/// and alias-expansion limits, aliases to unknown or unfinished anchors, and keys that are not plain values. The
/// real spec (largest file under 30 KB, nesting under 10) is far below every limit.</summary>
public static class YamlGuard
{
    public const int MaxDocumentChars = 1 << 20;
    public const int MaxNestingDepth = 64;
    public const long MaxExpandedNodes = 200_000;

    /// <summary>True when <paramref name="text"/> may be given to YamlDotNet's representation model.</summary>
    internal static bool Check(string path, string text, DiagnosticBag diagnostics)
    {
        if (text.Length > MaxDocumentChars)
        {
            diagnostics.Add(DiagnosticRule.YamlLimit, SourceLocation.FileStart(path),
                $"the file has {text.Length} characters; a spec file may have at most {MaxDocumentChars}");
            return false;
        }
        if (!CheckCharacters(path, text, diagnostics)) return false;
        var open = new Stack<Open>();
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var unfinished = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        var documents = 0;
        var parser = new Parser(new StringReader(text));
        ParsingEvent? last = null;
        try
        {
            while (parser.MoveNext())
            {
                var e = parser.Current!;
                last = e;
                switch (e)
                {
                    case DocumentStart when ++documents > 1:
                        return Fail(diagnostics, DiagnosticRule.MalformedYaml, path, text, e.Start, e.End,
                            "a spec file holds one YAML document; a second one starts here");
                    case NodeEvent or AnchorAlias:
                        if (open.Count > 0 && open.Peek().ExpectsKey && e is not Scalar)
                        {
                            var what = e is AnchorAlias ? "an alias" : "a list or mapping";
                            return Fail(diagnostics, DiagnosticRule.UnsupportedYaml, path, text, e.Start, e.End,
                                $"a mapping key must be a plain value, not {what}");
                        }
                        long size = 1;
                        if (e is AnchorAlias alias)
                        {
                            var name = alias.Value.Value;
                            if (unfinished.Contains(name))
                                return Fail(diagnostics, DiagnosticRule.UnsupportedYaml, path, text, e.Start, e.End,
                                    $"alias *{name} refers to the node that contains it; a spec value cannot contain itself");
                            if (!sizes.TryGetValue(name, out size))
                                return Fail(diagnostics, DiagnosticRule.MalformedYaml, path, text, e.Start, e.End,
                                    $"alias *{name} refers to no anchor &{name} defined before it");
                        }
                        total += size;
                        if (total > MaxExpandedNodes)
                            return Fail(diagnostics, DiagnosticRule.YamlLimit, path, text, e.Start, e.End,
                                $"the file expands (aliases counted in full) to more than {MaxExpandedNodes} values here");
                        if (open.Count > 0) open.Peek().Advance(size);
                        if (e is Scalar scalar)
                        {
                            if (!scalar.Anchor.IsEmpty) sizes[scalar.Anchor.Value] = 1;
                        }
                        else if (e is NodeEvent node)
                        {
                            if (open.Count >= MaxNestingDepth)
                                return Fail(diagnostics, DiagnosticRule.YamlLimit, path, text, e.Start, e.End,
                                    $"lists and mappings are nested more than {MaxNestingDepth} deep here");
                            var anchor = node.Anchor.IsEmpty ? null : node.Anchor.Value;
                            if (anchor is not null) unfinished.Add(anchor);
                            open.Push(new Open(node is MappingStart, anchor, e.Start));
                        }
                        break;
                    case MappingEnd or SequenceEnd:
                        var closed = open.Pop();
                        if (closed.Anchor is not null)
                        {
                            unfinished.Remove(closed.Anchor);
                            sizes[closed.Anchor] = closed.Size;
                        }
                        if (open.Count > 0) open.Peek().AddNested(closed.Size - 1);
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            // YamlDotNet marks some tabs from the end of the line before, others (after a flow collection) from the
            // file's start; the mistake is the first tab that indents a line.
            var tab = TabIn(text, e.Start, e.End) ??
                      (Message(e).IndexOf("tab", StringComparison.OrdinalIgnoreCase) >= 0 ? TabIn(text, Mark.Empty, new Mark(text.Length, 1, 1)) : null);
            if (tab is not null)
                return Fail(diagnostics, DiagnosticRule.MalformedYaml, path, text, tab.Value, tab.Value,
                    "a tab in indentation; YAML indents with spaces only");
            if (e.Message.IndexOf("did not find expected ',' or ']'", StringComparison.Ordinal) < 0 && !(open.Count > 0 && IsEndOfText(e, text)))
                return Fail(diagnostics, DiagnosticRule.MalformedYaml, path, text, e.Start, e.End, Message(e));
            return Unclosed(diagnostics, path, text, open, e.Start, e.End, Message(e));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser gives up with no position on some unclosed flow collections.
            var at = last?.End ?? Mark.Empty;
            return Unclosed(diagnostics, path, text, open, at, at, null);
        }
        return true;
    }

    // YamlDotNet reports a tab in indentation from the end of the line before it; the mistake is the tab.
    private static Mark? TabIn(string text, Mark start, Mark end)
    {
        long line = start.Line, column = start.Column;
        var atIndentation = start.Index == 0;
        for (var i = (int)start.Index; i <= end.Index && i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\t' && atIndentation) return new Mark(i, line, column);
            if (c == '\n')
            {
                line++;
                column = 1;
                atIndentation = true;
                continue;
            }
            if (c != ' ' && c != '\t') atIndentation = false;
            column++;
        }
        return null;
    }

    private static bool IsEndOfText(YamlException e, string text) => e.Start.Index >= text.TrimEnd().Length;

    private static bool Unclosed(DiagnosticBag diagnostics, string path, string text, Stack<Open> open, Mark start, Mark end, string? detail)
    {
        foreach (var collection in open)
        {
            if (collection.Start.Index >= text.Length) continue;
            var opener = text[(int)collection.Start.Index];
            if (opener is not ('[' or '{')) continue;
            var closer = opener == '[' ? ']' : '}';
            return Fail(diagnostics, DiagnosticRule.MalformedYaml, path, text, collection.Start, collection.Start,
                $"this '{opener}' is never closed by a matching '{closer}'");
        }
        return Fail(diagnostics, DiagnosticRule.MalformedYaml, path, text, start, end,
            (detail ?? "the file ends inside a list or mapping"));
    }

    private static string Message(YamlException e)
    {
        var inner = e;
        while (inner.InnerException is YamlException next) inner = next;
        // YamlDotNet prefixes its own position "(Line: 1, Col: 2, Idx: 1) - (...): "; ours is in the location.
        var message = inner.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && cut >= 0 ? message.Substring(cut + 3) : message;
    }

    /// <summary>YAML 1.2 §5.1: only printable characters may appear; a replacement character is what a reader made
    /// of bytes that are not UTF-8.</summary>
    private static bool CheckCharacters(string path, string text, DiagnosticBag diagnostics)
    {
        var line = 1;
        var column = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? problem = null;
            if (c == '\uFFFD') problem = "bytes that are not UTF-8 (or U+FFFD); spec files are UTF-8";
            // YAML 1.2 reads these as text, YamlDotNet and the compiler as line breaks: lines would disagree.
            else if (c is '\u0085' or '\u2028' or '\u2029')
                problem = $"the line separator U+{(int)c:X4}, which YAML 1.2 and the tools read differently; use a newline";
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                column++;
                continue;
            }
            else if (char.IsSurrogate(c) || (c < 0x20 && c is not ('\t' or '\n' or '\r')) || (c >= 0x7F && c <= 0x9F) ||
                     c is '\uFFFE' or '\uFFFF')
                problem = $"the character U+{(int)c:X4}, which YAML does not allow in a file";
            else if (c == '\uFEFF' && i > 0 && (i > 1 || text[0] != '\uFEFF'))
                problem = null;
            if (problem is not null)
            {
                var location = new SourceLocation(path, line, column, line, column + 1, i, i + 1);
                diagnostics.Add(DiagnosticRule.InvalidCharacter, location, $"the file holds {problem}");
                return false;
            }
            if (c == '\n')
            {
                line++;
                column = 1;
            }
            else column++;
        }
        return true;
    }

    private static bool Fail(DiagnosticBag diagnostics, DiagnosticRule rule, string path, string text, Mark start, Mark end, string message)
    {
        var from = (int)Math.Min(Math.Max(0, start.Index), text.Length);
        var to = (int)Math.Min(Math.Max(from, end.Index), text.Length);
        diagnostics.Add(rule, new SourceLocation(path, Math.Max(1, (int)start.Line), Math.Max(1, (int)start.Column),
            Math.Max(1, (int)end.Line), Math.Max(1, (int)end.Column), from, to), message);
        return false;
    }

    private sealed class Open
    {
        private bool _atKey;

        public Open(bool isMapping, string? anchor, Mark start)
        {
            IsMapping = isMapping;
            Anchor = anchor;
            Start = start;
            _atKey = isMapping;
        }

        public bool IsMapping { get; }
        public string? Anchor { get; }
        public Mark Start { get; }
        public long Size { get; private set; } = 1;
        public bool ExpectsKey => IsMapping && _atKey;

        public void Advance(long size)
        {
            Size += size;
            if (IsMapping) _atKey = !_atKey;
        }

        public void AddNested(long size) => Size += size;
    }
}

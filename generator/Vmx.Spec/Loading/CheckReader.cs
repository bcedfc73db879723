using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Vmx.Spec.Lint;
using Vmx.Spec.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vmx.Spec.Loading;

/// <summary>Reads <c>check-groups</c> (spec/checks/README.md). Conditions, messages and vectors stay text here; the
/// check compiler parses them during the lint, at positions recorded for each <see cref="CheckText"/>.</summary>
internal static class CheckReader
{
    internal static readonly string[] GroupKeys = { "category", "name", "section", "outcome", "checks" };
    internal static readonly string[] CheckKeys =
        { "id", "each", "title", "section", "outcome", "inputs", "when", "require", "message", "bochs", "description", "pass", "fail" };

    private static readonly Regex CheckId = new("^[a-z][a-z0-9_$]*$", RegexOptions.CultureInvariant);
    private static readonly Regex Category = new("^[A-Z]$", RegexOptions.CultureInvariant);
    private static readonly Regex Outcome = new("^(vmfail (7|8)|exit (33|34)|exit 33 qualification (0|2|3|4))$", RegexOptions.CultureInvariant);

    public static void ReadGroup(YamlNode node, Context context, List<VmEntryCheck> checks)
    {
        var group = MappingReader.Open(node, context.Source, context.Diagnostics, "a check group", GroupKeys);
        if (group is null) return;
        var category = group.String("category");
        if (category is not null && !Category.IsMatch(category))
            context.Diagnostics.Add(DiagnosticRule.WrongValueType, group.LocationOf("category"), "category", "one capital letter (A-L, M for MSR loading)", category);
        var name = group.String("name");
        var section = group.String("section");
        var outcome = group.Has("outcome") ? ReadOutcome(group, context) : null;
        var entries = group.List("checks");
        if (!group.IsValid || category is null || name is null || section is null) return;
        foreach (var entry in entries)
            if (ReadCheck(entry, context, category, name, section, outcome) is { } check) checks.Add(check);
    }

    private static VmEntryCheck? ReadCheck(YamlNode node, Context context, string category, string group, string groupSection,
        CheckOutcome? groupOutcome)
    {
        var check = MappingReader.Open(node, context.Source, context.Diagnostics, "a VM-entry check", CheckKeys);
        if (check is null) return null;
        var id = check.String("id");
        if (id is not null && !CheckId.IsMatch(id))
        {
            context.Diagnostics.Add(DiagnosticRule.InvalidIdentifier, check.LocationOf("id"), id);
            id = null;
        }
        var each = check.Has("each") ? Words(check, "each", context) : new List<string>();
        var title = check.String("title");
        var section = check.Has("section") ? check.String("section") : groupSection;
        var outcome = check.Has("outcome") ? ReadOutcome(check, context) : groupOutcome;
        if (outcome is null && !check.Has("outcome")) context.Diagnostics.Add(DiagnosticRule.MissingKey, check.Location, "a VM-entry check (or its group)", "outcome");
        var inputs = check.List("inputs").Select(n => Text(n, "inputs", context)).ToList();
        var when = check.Has("when") ? Text(check, "when", context) : null;
        var require = Text(check, "require", context);
        var message = Text(check, "message", context);
        var bochs = check.Has("bochs") ? check.String("bochs") : null;
        var description = check.Has("description") ? check.String("description") : null;
        var pass = Vectors(check, "pass", context);
        var fail = Vectors(check, "fail", context);
        if (!check.IsValid || id is null || title is null || section is null || outcome is null || require is null || message is null
            || inputs.Any(i => i is null) || (check.Has("when") && when is null))
            return null;
        return context.Sources.Add(new VmEntryCheck(id, title, category, group, section, outcome,
            inputs.Select(i => i!).ToEquatableArray(), when, require, message, pass.ToEquatableArray(), fail.ToEquatableArray(), context.Revision)
        {
            Each = each.ToEquatableArray(), Bochs = bochs, Description = description,
        }, check.Location);
    }

    private static CheckOutcome? ReadOutcome(MappingReader reader, Context context)
    {
        var text = reader.String("outcome");
        if (text is null) return null;
        var match = Outcome.Match(text.Trim());
        if (!match.Success)
        {
            context.Diagnostics.Add(DiagnosticRule.WrongValueType, reader.LocationOf("outcome"), "outcome",
                "'vmfail 7', 'vmfail 8', 'exit 33', 'exit 33 qualification 2|3|4' or 'exit 34'", text);
            return null;
        }
        var parts = match.Value.Split(' ');
        var number = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        int? qualification = parts.Length == 4 ? int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture) : number == 33 ? 0 : null;
        return new CheckOutcome(number, qualification);
    }

    private static List<string> Words(MappingReader reader, string key, Context context)
    {
        var words = new List<string>();
        foreach (var item in reader.List(key))
        {
            if (item is YamlScalarNode { Value: { } word } && Regex.IsMatch(word, "^[a-z][a-z0-9_]*$")) words.Add(word);
            else context.Diagnostics.Add(DiagnosticRule.WrongValueType, context.Source.Locate(item), key, "lower-case register names", Shown(item));
        }
        if (reader.Has(key) && words.Count == 0 && reader.IsValid)
            context.Diagnostics.Add(DiagnosticRule.WrongValueType, reader.LocationOf(key), key, "a non-empty list of register names", "an empty list");
        return words;
    }

    private static List<CheckVector> Vectors(MappingReader reader, string key, Context context)
    {
        var vectors = new List<CheckVector>();
        var items = reader.List(key);
        if (reader.Has(key) && items.Count == 0 && reader.Node(key) is YamlSequenceNode)
            context.Diagnostics.Add(DiagnosticRule.WrongValueType, reader.LocationOf(key), key, "at least one vector", "an empty list");
        foreach (var item in items)
        {
            if (item is not YamlMappingNode mapping)
            {
                context.Diagnostics.Add(DiagnosticRule.WrongValueType, context.Source.Locate(item), key, "a mapping of target: value", Shown(item));
                continue;
            }
            var assignments = new List<CheckAssignment>();
            foreach (var pair in mapping.Children)
            {
                var target = Text(pair.Key, key, context);
                var value = Text(pair.Value, key, context);
                if (target is not null && value is not null) assignments.Add(new CheckAssignment(target, value));
            }
            vectors.Add(new CheckVector(assignments.ToEquatableArray()));
        }
        return vectors;
    }

    private static CheckText? Text(MappingReader reader, string key, Context context) =>
        reader.Node(key) is { } node ? Text(node, key, context) : Missing(reader, key, context);

    private static CheckText? Missing(MappingReader reader, string key, Context context)
    {
        context.Diagnostics.Add(DiagnosticRule.MissingKey, reader.Location, "a VM-entry check", key);
        return null;
    }

    /// <summary>A scalar as check-language text, located at its first character so the compiler can point inside it:
    /// a quoted scalar starts one column after its quote. Only single-line scalars keep exact columns.</summary>
    private static CheckText? Text(YamlNode node, string key, Context context)
    {
        if (node is not YamlScalarNode { Value: { Length: > 0 } value } scalar)
        {
            context.Diagnostics.Add(DiagnosticRule.WrongValueType, context.Source.Locate(node), key, "a text in the check language", Shown(node));
            return null;
        }
        var location = context.Source.Locate(node);
        var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
        var exact = scalar.Style is ScalarStyle.Plain or ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted && location.Line == location.EndLine
            && value.IndexOf('\n') < 0;
        var start = exact
            ? location with { Column = location.Column + quoted, Start = location.Start + quoted, EndLine = location.Line, EndColumn = location.Column + quoted + value.Length, End = location.Start + quoted + value.Length }
            : location with { EndLine = location.Line + 1 };
        return context.Sources.Add(new CheckText(value), start);
    }

    private static string Shown(YamlNode node) => (node as YamlScalarNode)?.Value ?? node.NodeType.ToString().ToLowerInvariant();
}

using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Vmx.Cli.Diff;

/// <summary>Writes the changes as plain text (one line per entry) or as Markdown for a pull-request comment.</summary>
public static class DiffReport
{
    public static void WriteText(IReadOnlyList<Change> changes, string oldName, string newName, TextWriter output)
    {
        if (changes.Count == 0)
        {
            output.WriteLine($"no changes between {oldName} and {newName}");
            return;
        }
        output.WriteLine($"{oldName} -> {newName}: {Summary(changes)}");
        foreach (var c in changes)
            output.WriteLine($"{Sign(c.How)} {c.Kind} {c.Key}: {Facts(c, f => f, quote: false)}");
    }

    public static void WriteMarkdown(IReadOnlyList<Change> changes, string oldName, string newName, TextWriter output)
    {
        output.WriteLine($"### VMX spec changes: `{Escape(oldName)}` → `{Escape(newName)}`");
        output.WriteLine();
        if (changes.Count == 0)
        {
            output.WriteLine("No changes.");
            return;
        }
        output.WriteLine(Summary(changes) + ".");
        output.WriteLine();
        output.WriteLine("| | kind | entry | facts |");
        output.WriteLine("|---|---|---|---|");
        foreach (var c in changes)
            output.WriteLine($"| {c.How.ToString().ToLowerInvariant()} | {c.Kind} | `{c.Key}` | {Facts(c, Escape, quote: true)} |");
    }

    private static string Summary(IReadOnlyList<Change> changes) =>
        $"{changes.Count(c => c.How == ChangeKind.Added)} added, {changes.Count(c => c.How == ChangeKind.Removed)} removed, " +
        $"{changes.Count(c => c.How == ChangeKind.Changed)} changed";

    private static string Sign(ChangeKind how) => how switch { ChangeKind.Added => "+", ChangeKind.Removed => "-", _ => "~" };

    private static string Facts(Change c, System.Func<string, string> escape, bool quote)
    {
        string Value(string v) => quote ? $"`{escape(v)}`" : v;
        return string.Join(", ", c.Facts.Select(f => c.How switch
        {
            ChangeKind.Added => $"{f.Name} {Value(f.New)}",
            ChangeKind.Removed => $"{f.Name} {Value(f.Old)}",
            _ => $"{f.Name} {Value(f.Old)} -> {Value(f.New)}",
        }));
    }

    // Table cells: a pipe would end the cell, a backtick the code span.
    private static string Escape(string text) => text.Replace("|", "\\|").Replace("`", "'");
}

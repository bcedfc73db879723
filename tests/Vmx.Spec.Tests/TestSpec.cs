using System;
using System.IO;
using System.Linq;
using Vmx.Spec.Lint;
using Vmx.Spec.Loading;

namespace Vmx.Spec.Tests;

/// <summary>Parses and links YAML text the way the generator does (one file, then the linker), and finds the repo.</summary>
internal static class TestSpec
{
    public const string Path = "spec/test.yaml";

    public const string EncodingPath = "spec/encoding.yaml";

    /// <summary>Loads one file. A file with VMCS fields that states none of what the generator relies on for them
    /// (VMX0021) is linked with <see cref="BaseYaml.Encoding"/>, so the small bases stay about what they test.</summary>
    public static SpecResult Load(string yaml) => SpecLinker.Link(WithEncoding(SpecFileParser.Parse(Path, yaml)));

    public static SpecFragment[] WithEncoding(SpecFragment fragment)
    {
        var content = fragment.Content;
        var statesEncoding = content.Layouts.Any(l => l.Id == "vmcs_component_encoding") ||
                             content.Enums.Any(e => e.Id is "vmcs_field_width" or "vmcs_field_type");
        return content.VmcsFields.Count == 0 || statesEncoding
            ? new[] { fragment }
            : new[] { fragment, SpecFileParser.Parse(EncodingPath, BaseYaml.Encoding) };
    }

    /// <summary>The folder holding spec/, found by walking up from the test assembly.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SpecDirectory => System.IO.Path.Combine(RepoRoot, "spec");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(System.IO.Path.Combine(dir.FullName, "spec")) &&
                Directory.Exists(System.IO.Path.Combine(dir.FullName, "generator")))
                return dir.FullName;
        throw new InvalidOperationException("no folder holding spec/ above " + AppContext.BaseDirectory);
    }

    /// <summary>Replaces the one occurrence of <paramref name="find"/>; a case whose edit misses is a broken test.</summary>
    public static string ReplaceOnce(string text, string find, string replacement)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(find, at + 1, StringComparison.Ordinal) >= 0)
            throw new ArgumentException($"'{find}' must occur exactly once in the base YAML");
        return text.Substring(0, at) + replacement + text.Substring(at + find.Length);
    }

    public static string Describe(SpecResult result) =>
        result.Diagnostics.Count == 0 ? "(no diagnostics)" : string.Join(Environment.NewLine, result.Diagnostics.Select(d => d.ToString()));

    /// <summary>0-based offset of a 1-based line and column, to check Start/End against the text itself.</summary>
    public static int Offset(string text, int line, int column)
    {
        var offset = 0;
        for (var l = 1; l < line; l++) offset = text.IndexOf('\n', offset) + 1;
        return offset + column - 1;
    }
}

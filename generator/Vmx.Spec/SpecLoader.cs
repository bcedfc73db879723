using System.Collections.Generic;
using System.IO;
using System.Linq;
using Vmx.Spec.Lint;
using Vmx.Spec.Loading;

namespace Vmx.Spec;

/// <summary>Entry point for tools that read a spec directory from disk (the CLI, tests, benchmarks).
/// The Roslyn generator calls <see cref="SpecFileParser"/> and <see cref="SpecLinker"/> itself, per file.</summary>
public static class SpecLoader
{
    public static IReadOnlyList<string> FindFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*.yaml", SearchOption.AllDirectories)
            .OrderBy(p => p, System.StringComparer.Ordinal).ToList();

    /// <summary>Loads every *.yaml below <paramref name="directory"/>; paths in diagnostics are relative to <paramref name="baseDirectory"/>.</summary>
    public static SpecResult LoadDirectory(string directory, string? baseDirectory = null)
    {
        var root = baseDirectory ?? Directory.GetCurrentDirectory();
        var fragments = FindFiles(directory)
            .Select(path => SpecFileParser.Parse(Relative(root, path), File.ReadAllText(path)));
        return SpecLinker.Link(fragments);
    }

    private static string Relative(string root, string path)
    {
        var full = Path.GetFullPath(path);
        var prefix = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, System.StringComparison.Ordinal) ? full.Substring(prefix.Length) : full;
    }
}

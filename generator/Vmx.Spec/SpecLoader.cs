using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using Vmx.Spec.Lint;
using Vmx.Spec.Loading;

namespace Vmx.Spec;

/// <summary>Entry point for tools that read a spec directory from disk (the CLI, tests, benchmarks).
/// The Roslyn generator calls <see cref="SpecFileParser"/> and <see cref="SpecLinker"/> itself, per file.</summary>
public static class SpecLoader
{
    /// <summary>The spec's file extension; files ending otherwise (<c>*.yml</c> too) are not read.</summary>
    public const string Extension = ".yaml";

    /// <summary>Every *.yaml file below <paramref name="directory"/>, in ordinal order of their paths.</summary>
    public static IReadOnlyList<string> FindFiles(string directory) => FindFiles(directory, null);

    /// <summary>Every *.yaml file below <paramref name="directory"/>, in ordinal order of their paths. Symbolic links to
    /// directories (reparse points) below it are not followed, so a link to a parent or to / cannot make the walk load
    /// a file twice or never end; <paramref name="directory"/> itself may be a link. A *.yaml that is a directory is
    /// walked like any directory, not read.</summary>
    /// <param name="onUnreadable">Called with a directory that cannot be listed and why; null to let the exception
    /// propagate.</param>
    public static IReadOnlyList<string> FindFiles(string directory, Action<string, Exception>? onUnreadable)
    {
        var files = new List<string>();
        Walk(new DirectoryInfo(directory), files, onUnreadable);
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>The files below <paramref name="directory"/> that look like spec files but are not read: <c>*.yml</c>.</summary>
    public static IReadOnlyList<string> FindIgnoredFiles(string directory)
    {
        var files = new List<string>();
        Walk(new DirectoryInfo(directory), files, (_, _) => { }, ".yml");
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static void Walk(DirectoryInfo directory, List<string> files, Action<string, Exception>? onUnreadable, string extension = Extension)
    {
        FileSystemInfo[] entries;
        try
        {
            entries = directory.GetFileSystemInfos();
        }
        catch (Exception e) when (onUnreadable is not null && (e is IOException || e is UnauthorizedAccessException || e is SecurityException))
        {
            onUnreadable(directory.FullName, e);
            return;
        }
        foreach (var entry in entries)
        {
            if (entry is DirectoryInfo sub)
            {
                if ((sub.Attributes & FileAttributes.ReparsePoint) == 0) Walk(sub, files, onUnreadable, extension);
            }
            else if (entry.Name.EndsWith(extension, StringComparison.Ordinal))
            {
                files.Add(entry.FullName);
            }
        }
    }

    /// <summary>Loads every *.yaml below <paramref name="directory"/>; paths in diagnostics are relative to <paramref name="baseDirectory"/>.</summary>
    public static SpecResult LoadDirectory(string directory, string? baseDirectory = null) =>
        LoadFiles(FindFiles(directory).Select(path => (path, File.ReadAllText(path))), baseDirectory);

    /// <summary>Links spec files already read: (path, text) pairs; paths in diagnostics are relative to
    /// <paramref name="baseDirectory"/>.</summary>
    public static SpecResult LoadFiles(IEnumerable<(string Path, string Text)> files, string? baseDirectory = null)
    {
        var root = baseDirectory ?? Directory.GetCurrentDirectory();
        return SpecLinker.Link(files.Select(file => SpecFileParser.Parse(Relative(root, file.Path), file.Text)));
    }

    /// <summary>Links a base spec and a user's overlay (both (path, text) pairs); a clash is reported at the overlay's
    /// entry (<see cref="SpecLinker.Link(IEnumerable{SpecFragment}, Func{string, bool})"/>).</summary>
    public static SpecResult LoadFiles(IEnumerable<(string Path, string Text)> baseFiles, IEnumerable<(string Path, string Text)> overlayFiles,
        string? baseDirectory, string? overlayBaseDirectory)
    {
        var root = baseDirectory ?? Directory.GetCurrentDirectory();
        var overlayRoot = overlayBaseDirectory ?? root;
        var overlay = overlayFiles.Select(file => SpecFileParser.Parse(Relative(overlayRoot, file.Path), file.Text)).ToList();
        var overlayPaths = new HashSet<string>(overlay.Select(f => f.Path), StringComparer.Ordinal);
        // A base file whose relative path equals an overlay's keeps its full path, so the two stay apart.
        var fragments = baseFiles.Select(file =>
        {
            var path = Relative(root, file.Path);
            return SpecFileParser.Parse(overlayPaths.Contains(path) ? Path.GetFullPath(file.Path) : path, file.Text);
        }).Concat(overlay);
        return SpecLinker.Link(fragments, overlayPaths.Contains);
    }

    private static string Relative(string root, string path)
    {
        var full = Path.GetFullPath(path);
        var prefix = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal) ? full.Substring(prefix.Length) : full;
    }
}

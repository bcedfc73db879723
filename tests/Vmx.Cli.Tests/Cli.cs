using System;
using System.IO;
using System.Linq;

namespace Vmx.Cli.Tests;

/// <summary>Runs vmxgen in-process and captures what it prints.</summary>
internal static class Cli
{
    public sealed record Run(int ExitCode, string Out, string Err)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
    }

    public static Run Invoke(string cwd, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = new CommandLine(stdout, stderr, cwd).Run(args);
        return new Run(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The folder holding spec/, found by walking up from the test assembly.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SpecDirectory => Path.Combine(RepoRoot, "spec");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "spec")) && Directory.Exists(Path.Combine(dir.FullName, "generator")))
                return dir.FullName;
        throw new InvalidOperationException("no folder holding spec/ above " + AppContext.BaseDirectory);
    }
}

/// <summary>A scratch folder, deleted afterwards. <see cref="CopySpec"/> puts a copy of the real spec/ in it for tests
/// that break it, so the repository's spec is never touched.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vmxgen-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Spec => System.IO.Path.Combine(Path, "spec");

    public string Combine(params string[] parts) => System.IO.Path.Combine(new[] { Path }.Concat(parts).ToArray());

    public TempDir CopySpec()
    {
        foreach (var file in Directory.GetFiles(Cli.SpecDirectory, "*.yaml", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(Spec, System.IO.Path.GetRelativePath(Cli.SpecDirectory, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return this;
    }

    /// <summary>Edits one spec file of the copy: replaces the first occurrence of <paramref name="find"/>, and
    /// returns its 1-based line and column (of the first non-blank character of <paramref name="find"/>).</summary>
    public (int Line, int Column) Edit(string relativePath, string find, string replacement)
    {
        var file = System.IO.Path.Combine(Spec, relativePath);
        var text = File.ReadAllText(file);
        var at = text.IndexOf(find, StringComparison.Ordinal);
        if (at < 0) throw new ArgumentException($"'{find}' is not in {relativePath}");
        File.WriteAllText(file, text.Substring(0, at) + replacement + text.Substring(at + find.Length));
        var start = at + (find.Length - find.TrimStart().Length);
        var line = 1 + text.Take(start).Count(c => c == '\n');
        var column = start - (text.LastIndexOf('\n', Math.Max(0, start - 1)) + 1) + 1;
        return (line, column);
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

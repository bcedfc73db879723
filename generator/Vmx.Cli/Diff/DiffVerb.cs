using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using Vmx.Spec;
using Vmx.Spec.Lint;
using Vmx.Spec.Model;

namespace Vmx.Cli.Diff;

/// <summary><c>vmxgen diff OLD NEW</c>: each side a spec directory or a git revision (<c>REV</c> means <c>REV:spec</c>,
/// or <c>REV:PATH</c>) of the repository around the working directory. Exit 0 when the specs state the same facts,
/// 1 when they differ, 2 for a usage error or a side that cannot be read or does not lint clean (like diff(1)).</summary>
public sealed class DiffVerb
{
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly string _cwd;
    private readonly Options _options;

    public DiffVerb(TextWriter stdout, TextWriter stderr, string cwd, Options options)
    {
        _out = stdout;
        _err = stderr;
        _cwd = cwd;
        _options = options;
    }

    public int Run()
    {
        if (_options.Positional.Count != 2)
        {
            _err.WriteLine($"vmxgen: diff takes two arguments (OLD NEW: spec directories or git revisions), not {_options.Positional.Count}");
            return 2;
        }
        var format = _options["--format"] ?? "text";
        if (format is not ("text" or "markdown"))
        {
            _err.WriteLine($"vmxgen: diff --format takes text or markdown, not '{format}'");
            return 2;
        }
        if (_options["--spec"] is not null || _options["--out"] is not null)
        {
            _err.WriteLine("vmxgen: diff takes its two specs as arguments; --spec and --out are not options of diff");
            return 2;
        }
        var older = Load(_options.Positional[0]);
        if (older is null) return 2;
        var newer = Load(_options.Positional[1]);
        if (newer is null) return 2;
        var changes = SpecDiff.Compare(older, newer);
        if (format == "markdown") DiffReport.WriteMarkdown(changes, _options.Positional[0], _options.Positional[1], _out);
        else DiffReport.WriteText(changes, _options.Positional[0], _options.Positional[1], _out);
        return changes.Count == 0 ? 0 : 1;
    }

    private SpecModel? Load(string side)
    {
        var dir = Path.GetFullPath(side, _cwd);
        if (Directory.Exists(dir)) return LoadDirectory(dir, _cwd, side, "");
        if (File.Exists(dir))
        {
            _err.WriteLine(ToolDiagnostics.Line(dir, ToolDiagnostics.NoSpec, "is a file, not a directory or a git revision"));
            return null;
        }
        var temp = Path.Combine(Path.GetTempPath(), "vmxgen-diff-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(temp);
            var treeish = side.Contains(':') ? side : side + ":spec";
            if (!ExtractRevision(treeish, temp)) return null;
            return LoadDirectory(temp, temp, side, treeish + "/");
        }
        finally
        {
            try { Directory.Delete(temp, recursive: true); } catch (Exception e) when (ToolDiagnostics.IsIoFailure(e)) { }
        }
    }

    /// <summary>Writes the tree <paramref name="treeish"/> into <paramref name="target"/> with git archive.</summary>
    private bool ExtractRevision(string treeish, string target)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = _cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "archive", "--format=tar", treeish }) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            _err.WriteLine(ToolDiagnostics.Line(treeish, ToolDiagnostics.NoSpec, $"is not a directory, and git cannot be run to read it as a revision: {e.Message}"));
            return false;
        }
        using (process)
        {
            var tar = new MemoryStream();
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.BaseStream.CopyTo(tar);
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                var why = errors.Result.Trim().Split('\n').FirstOrDefault() ?? "";
                _err.WriteLine(ToolDiagnostics.Line(treeish, ToolDiagnostics.NoSpec, $"is neither a directory nor a git revision holding one ({why})"));
                return false;
            }
            tar.Position = 0;
            TarFile.ExtractToDirectory(tar, target, overwriteFiles: false);
            return true;
        }
    }

    /// <summary>Paths in diagnostics are relative to <paramref name="root"/> (the working directory, or the extracted
    /// revision, then prefixed with it: <c>HEAD:spec/msrs/msrs.yaml(82,14)</c>).</summary>
    private SpecModel? LoadDirectory(string dir, string root, string side, string prefix)
    {
        var paths = SpecLoader.FindFiles(dir);
        if (paths.Count == 0)
        {
            _err.WriteLine(ToolDiagnostics.Line(side, ToolDiagnostics.NoSpec, "holds no *.yaml spec files"));
            return null;
        }
        var result = SpecLoader.LoadFiles(paths.Select(p => (p, File.ReadAllText(p))), root);
        if (!result.HasErrors) return result.Model;
        foreach (var diagnostic in result.Diagnostics) _err.WriteLine(prefix + diagnostic);
        _err.WriteLine($"vmxgen: {side} has {result.Diagnostics.Count} error(s); nothing was compared");
        return null;
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Vmx.Spec;
using Vmx.Spec.Emit;
using Vmx.Spec.Lint;
using Vmx.Spec.Model;

namespace Vmx.Cli;

/// <summary>The verbs. Each loads the spec, stops with located errors if it has any, then does its one job.</summary>
public sealed class Verbs
{
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly string _cwd;
    private readonly Options _options;

    public Verbs(TextWriter stdout, TextWriter stderr, string cwd, Options options)
    {
        _out = stdout;
        _err = stderr;
        _cwd = cwd;
        _options = options;
    }

    public int Check()
    {
        if (TooManyArguments("check", 1, "the spec directory")) return 2;
        if (_options.Switches.Contains("--list"))
        {
            foreach (var rule in DiagnosticRule.All.Concat(ToolDiagnostics.All))
                _out.WriteLine(ListLine(rule));
            return 0;
        }
        var spec = Load(_options.Positional.FirstOrDefault());
        if (spec is null) return 1;
        var m = spec.Model;
        _out.WriteLine($"spec OK: {m.VmcsFields.Count} VMCS fields, {m.ControlFields.Count} control fields " +
                       $"({m.ControlFields.Sum(c => c.Bits.Count)} bits), {m.Layouts.Count} layouts, {m.Enums.Count} enumerations, " +
                       $"{m.Msrs.Count} MSRs, {m.ExitReasons.Count} exit reasons, {m.InstructionErrors.Count} VM-instruction errors");
        return 0;
    }

    /// <summary>What <c>generate</c> writes: the spec's outputs, and with the docs the rules page of the diagnostics.</summary>
    public static IReadOnlyList<GeneratedFile> Outputs(Vmx.Spec.Model.SpecModel model, OutputKind kind) =>
        kind == OutputKind.Docs ? Emitter.Emit(model, kind).Append(DiagnosticsPage.Render()).ToList() : Emitter.Emit(model, kind);

    /// <summary>One line of <c>check --list</c>: id, severity, category and title in columns.</summary>
    internal static string ListLine(DiagnosticRule rule) => $"{rule.Id}  {rule.SeverityWord,-7}  {rule.Category,-19}  {rule.Title}";

    public int Generate()
    {
        var what = _options.Positional.FirstOrDefault();
        OutputKind kind;
        string defaultOut;
        switch (what)
        {
            case "c": kind = OutputKind.C; defaultOut = "driver/include/vmx/generated"; break;
            case "docs": kind = OutputKind.Docs; defaultOut = "spec/reference"; break;
            default:
                _err.WriteLine($"vmxgen: generate takes 'c' or 'docs', not '{what}'");
                return 2;
        }
        if (TooManyArguments("generate", 1, "'c' or 'docs'")) return 2;
        // The default output folders belong to the repository's own spec/; another spec directory has no place for
        // them, and writing beside it (or into the repository) would surprise. So --spec needs --out.
        if ((_options["--spec"] ?? _options["--overlay"]) is not null && _options["--out"] is null)
        {
            _err.WriteLine($"vmxgen: generate {what} {(_options["--spec"] is null ? "--overlay" : "--spec")} DIR needs --out DIR: the default output folder belongs to the repository's spec/");
            return 2;
        }
        var spec = Load(null);
        if (spec is null) return 1;
        var outDir = _options["--out"] is { } o ? Path.GetFullPath(o, _cwd) : Path.Combine(RepoRoot(SpecDirectory(null)), defaultOut);
        if (File.Exists(outDir) || (Path.Exists(outDir) && !Directory.Exists(outDir)))
        {
            _err.WriteLine(ToolDiagnostics.Line(outDir, ToolDiagnostics.FileAccess, "write the output", $"--out {outDir} is a file, not a directory; nothing was generated"));
            return 1;
        }
        var files = Outputs(spec.Model, kind);
        var occupied = files.Select(f => Path.Combine(outDir, f.Path)).FirstOrDefault(Directory.Exists);
        if (occupied is not null)
        {
            _err.WriteLine(ToolDiagnostics.Line(occupied, ToolDiagnostics.FileAccess, "write the file", "a directory of that name is in the way; nothing was generated"));
            return 1;
        }
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception e) when (ToolDiagnostics.IsIoFailure(e))
        {
            _err.WriteLine(ToolDiagnostics.Line(outDir, ToolDiagnostics.FileAccess, "create the output directory", $"{ToolDiagnostics.Reason(e)}; nothing was generated"));
            return 1;
        }
        HashSet<string> changed;
        try
        {
            changed = AtomicWriter.WriteAll(outDir, files);
        }
        catch (Exception e) when (ToolDiagnostics.IsIoFailure(e))
        {
            _err.WriteLine(ToolDiagnostics.Line(outDir, ToolDiagnostics.FileAccess, "write the output", $"{ToolDiagnostics.Reason(e)}; nothing was generated"));
            return 1;
        }
        foreach (var file in files)
            _out.WriteLine($"{(changed.Contains(file.Path) ? "wrote    " : "unchanged")} {Path.Combine(outDir, file.Path)}");
        return 0;
    }

    public int Export()
    {
        if (_options["--format"] != "json")
        {
            _err.WriteLine("vmxgen: export needs --format json");
            return 2;
        }
        if (TooManyArguments("export", 0, "")) return 2;
        var spec = Load(null);
        if (spec is null) return 1;
        JsonExport.Write(spec.Model, _out);
        return 0;
    }

    public int Decode()
    {
        var text = _options.Positional.FirstOrDefault();
        if (text is null || !TryParseNumber(text, out var encoding))
        {
            _err.WriteLine($"vmxgen: decode needs an encoding such as 0x681E, not '{text}'");
            return 2;
        }
        if (encoding > uint.MaxValue)
        {
            _err.WriteLine($"vmxgen: decode needs a 32-bit encoding (VMREAD/VMWRITE take bits 31:0), not '{text}', which is wider");
            return 2;
        }
        if (TooManyArguments("decode", 1, "the encoding")) return 2;
        var spec = Load(null);
        if (spec is null) return 1;
        return new Decoder(spec.Model, _out, _err).Decode((uint)encoding);
    }

    public int Explain()
    {
        var name = _options.Positional.FirstOrDefault();
        if (name is null)
        {
            _err.WriteLine("vmxgen: explain needs a name, e.g. guest_cr0, VMCS_GUEST_CR0, proc2.enable_ept, IA32_VMX_BASIC");
            return 2;
        }
        if (TooManyArguments("explain", 1, "the name (quote a title with spaces)")) return 2;
        var spec = Load(null);
        if (spec is null) return 1;
        return new Explainer(spec.Model, _out, _err).Explain(name);
    }

    internal static bool TryParseNumber(string text, out ulong value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Rejects positional arguments beyond the <paramref name="max"/> the verb takes (usage error, exit 2).</summary>
    private bool TooManyArguments(string verb, int max, string what)
    {
        if (_options.Positional.Count <= max) return false;
        var extra = string.Join(" ", _options.Positional.Skip(max).Select(a => $"'{a}'"));
        _err.WriteLine(max == 0
            ? $"vmxgen: {verb} takes no arguments, not {extra}"
            : $"vmxgen: {verb} takes {(max == 1 ? "one argument" : $"{max} arguments")} ({what}); unexpected {extra}");
        return true;
    }

    private string SpecDirectory(string? positional)
    {
        var explicitDir = positional ?? _options["--spec"];
        if (explicitDir is not null) return Path.GetFullPath(explicitDir, _cwd);
        // An overlay needs the full spec beneath it: the one installed with the tool (a dotnet tool package carries it).
        var bundled = Path.Combine(AppContext.BaseDirectory, "spec");
        if (_options["--overlay"] is not null && Directory.Exists(bundled)) return bundled;
        // Like git: walk up from the working directory to the first folder holding spec/.
        for (var dir = new DirectoryInfo(_cwd); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "spec"))) return Path.Combine(dir.FullName, "spec");
        return Path.Combine(_cwd, "spec");
    }

    private static string RepoRoot(string specDirectory) => Path.GetDirectoryName(specDirectory.TrimEnd(Path.DirectorySeparatorChar))!;

    private SpecResult? Load(string? positional)
    {
        var dir = SpecDirectory(positional);
        var texts = ReadSpecDirectory(dir);
        if (texts is null) return null;
        SpecResult result;
        if (_options["--overlay"] is { } overlayOption)
        {
            var overlayDir = Path.GetFullPath(overlayOption, _cwd);
            var overlay = ReadSpecDirectory(overlayDir);
            if (overlay is null) return null;
            // Overlay paths are relative to the working directory, as a build prints them; the base's to its own root.
            result = SpecLoader.LoadFiles(texts, overlay, RepoRoot(dir), _cwd);
        }
        else
        {
            result = SpecLoader.LoadFiles(texts, RepoRoot(dir));
        }
        foreach (var diagnostic in result.Diagnostics) _err.WriteLine(diagnostic);
        if (!result.HasErrors) return result;
        _err.WriteLine($"vmxgen: the spec has {result.Diagnostics.Count} error(s){(_options.Verb == "generate" ? "; nothing was generated" : "")}");
        return null;
    }

    /// <summary>Every *.yaml below <paramref name="dir"/>, read; null after reporting a located problem.</summary>
    private List<(string Path, string Text)>? ReadSpecDirectory(string dir)
    {
        if (!Directory.Exists(dir))
        {
            _err.WriteLine(ToolDiagnostics.Line(dir, ToolDiagnostics.NoSpec, File.Exists(dir) ? "is a file, not a directory" : "not found"));
            return null;
        }
        var problems = 0;
        var paths = SpecLoader.FindFiles(dir, (unreadable, e) =>
        {
            problems++;
            _err.WriteLine(ToolDiagnostics.Line(unreadable, ToolDiagnostics.FileAccess, "read spec directory", ToolDiagnostics.Reason(e)));
        });
        var texts = new List<(string Path, string Text)>();
        foreach (var path in paths)
        {
            try
            {
                texts.Add((path, File.ReadAllText(path)));
            }
            catch (Exception e) when (ToolDiagnostics.IsIoFailure(e))
            {
                problems++;
                var why = e is FileNotFoundException && new FileInfo(path).LinkTarget is { } target
                    ? $"it is a symbolic link to '{target}', which does not exist"
                    : ToolDiagnostics.Reason(e);
                _err.WriteLine(ToolDiagnostics.Line(path, ToolDiagnostics.FileAccess, "read spec file", why));
            }
        }
        if (problems > 0) return null;
        if (paths.Count == 0)
        {
            var yml = SpecLoader.FindIgnoredFiles(dir);
            _err.WriteLine(ToolDiagnostics.Line(dir, ToolDiagnostics.NoSpec, "holds no *.yaml spec files" +
                (yml.Count == 0 ? "" : $" ({yml.Count} *.yml file(s) such as {Path.GetFileName(yml[0])} are ignored: rename them to *.yaml)")));
            return null;
        }
        return texts;
    }
}

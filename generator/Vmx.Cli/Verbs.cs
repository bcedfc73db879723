using System;
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
        if (_options.Switches.Contains("--list"))
        {
            foreach (var rule in DiagnosticRule.All) _out.WriteLine($"{rule.Id}  {rule.Title}: {rule.Explanation}");
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
        var spec = Load(null);
        if (spec is null) return 1;
        var outDir = _options["--out"] is { } o ? Path.GetFullPath(o, _cwd) : Path.Combine(RepoRoot(SpecDirectory(null)), defaultOut);
        var files = Emitter.Emit(spec.Model, kind);
        var changed = AtomicWriter.WriteAll(outDir, files);
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
        var spec = Load(null);
        if (spec is null) return 1;
        return new Decoder(spec.Model, _out).Decode(encoding);
    }

    public int Explain()
    {
        var name = _options.Positional.FirstOrDefault();
        if (name is null)
        {
            _err.WriteLine("vmxgen: explain needs a name, e.g. guest_cr0, VMCS_GUEST_CR0, proc2.enable_ept, IA32_VMX_BASIC");
            return 2;
        }
        var spec = Load(null);
        if (spec is null) return 1;
        return new Explainer(spec.Model, _out).Explain(name);
    }

    internal static bool TryParseNumber(string text, out ulong value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return ulong.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private string SpecDirectory(string? positional)
    {
        var explicitDir = positional ?? _options["--spec"];
        if (explicitDir is not null) return Path.GetFullPath(explicitDir, _cwd);
        // Like git: walk up from the working directory to the first folder holding spec/.
        for (var dir = new DirectoryInfo(_cwd); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "spec"))) return Path.Combine(dir.FullName, "spec");
        return Path.Combine(_cwd, "spec");
    }

    private static string RepoRoot(string specDirectory) => Path.GetDirectoryName(specDirectory.TrimEnd(Path.DirectorySeparatorChar))!;

    private SpecResult? Load(string? positional)
    {
        var dir = SpecDirectory(positional);
        if (!Directory.Exists(dir))
        {
            _err.WriteLine($"{dir}: error VMX9002: spec directory not found");
            return null;
        }
        var result = SpecLoader.LoadDirectory(dir, RepoRoot(dir));
        foreach (var diagnostic in result.Diagnostics) _err.WriteLine(diagnostic);
        if (!result.HasErrors) return result;
        _err.WriteLine($"vmxgen: {result.Diagnostics.Count} error(s); nothing was generated");
        return null;
    }
}

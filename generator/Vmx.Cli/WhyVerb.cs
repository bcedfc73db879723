extern alias runtime;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using runtime::Vmx;

namespace Vmx.Cli;

/// <summary><c>why DUMP [--caps CAPS] [--cpu name=value,...]</c>: every VM-entry check of the spec run on a VMCS (the
/// driver's JSON dump or a Linux KVM dump_vmcs log), each violation explained. Exit 0 when no check is violated, 1 when
/// one is, 2 on bad input (a located VMX9xxx error).</summary>
public sealed class WhyVerb
{
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly string _cwd;
    private readonly Options _options;

    public WhyVerb(TextWriter stdout, TextWriter stderr, string cwd, Options options)
    {
        _out = stdout;
        _err = stderr;
        _cwd = cwd;
        _options = options;
    }

    public int Run()
    {
        if (_options.Positional.Count != 1)
        {
            _err.WriteLine("vmxgen: why needs one VMCS dump (the driver's JSON, or the text Linux KVM logs after 'KVM: entry failed')");
            return 2;
        }
        var given = new HashSet<string>(StringComparer.Ordinal);
        if (!TryFacts(given, out var facts)) return 2;
        VmxCapabilities? caps = null;
        if (_options["--caps"] is { } capsPath && !TryCapabilities(Path.GetFullPath(capsPath, _cwd), out caps)) return 2;

        var path = Path.GetFullPath(_options.Positional[0], _cwd);
        if (Directory.Exists(path)) return Bad(path, ToolDiagnostics.FileAccess, "read VMCS dump", "it is a directory");
        PartialVmcs vmcs;
        string kind;
        try
        {
            (vmcs, kind) = VmcsInput.Read(File.ReadAllText(path), path, caps);
        }
        catch (DumpFormatException e) { return Bad($"{e.Source}({e.Line},{e.Column})", ToolDiagnostics.MalformedVmcsDump, e.Problem); }
        catch (Exception e) when (ToolDiagnostics.IsIoFailure(e)) { return Bad(path, ToolDiagnostics.FileAccess, "read VMCS dump", ToolDiagnostics.Reason(e)); }

        var report = VmEntryValidator.Validate(vmcs, caps, facts);
        new WhyReport(_out, new CheckInputs(vmcs, caps, facts, given)).Print(report, Path.GetFileName(path), kind);
        return report.Passed ? 0 : 1;
    }

    private bool TryCapabilities(string path, out VmxCapabilities? caps)
    {
        caps = null;
        if (!File.Exists(path))
        {
            Bad(path, ToolDiagnostics.DumpNotFound, Directory.Exists(path) ? "is a directory" : "not found");
            return false;
        }
        try
        {
            caps = CapabilityDump.Load(path);
            return true;
        }
        catch (DumpFormatException e) { Bad($"{e.Source}({e.Line},{e.Column})", ToolDiagnostics.MalformedDump, e.Problem); }
        catch (ArgumentException e)
        {
            // The runtime's message starts with the title the format already states.
            const string said = "not a VMX processor: ";
            var missing = e.Message.Split(new[] { " (Parameter" }, StringSplitOptions.None)[0];
            Bad(path, ToolDiagnostics.NotVmx, missing.StartsWith(said, StringComparison.Ordinal) ? missing.Substring(said.Length) : missing);
        }
        catch (Exception e) when (ToolDiagnostics.IsIoFailure(e)) { Bad(path, ToolDiagnostics.FileAccess, "read capability dump", ToolDiagnostics.Reason(e)); }
        return false;
    }

    /// <summary>--cpu name=value,...: each name one the checks read, each value a number. Errors are located in the
    /// option's text as <c>--cpu(1,column)</c>.</summary>
    private bool TryFacts(HashSet<string> given, out CpuFacts facts)
    {
        facts = CpuFacts.Default;
        if (_options["--cpu"] is not { } text) return true;
        var known = CheckInputs.FactNames;
        var start = 0;
        foreach (var pair in text.Split(','))
        {
            var column = start + 1;
            start += pair.Length + 1;
            if (pair.Trim().Length == 0) continue;
            var parts = pair.Split('=');
            var name = parts[0].Trim();
            string? problem = null;
            if (parts.Length != 2) problem = $"'{pair.Trim()}' is not name=value (e.g. --cpu maxphyaddr=46,current_lma=1)";
            else if (!known.Contains(name))
            {
                var nearest = Spec.Loading.NearestName.Find(name, known);
                problem = $"'{name}' is no CPU fact the checks read" + (nearest is null ? $" (they read {string.Join(", ", known)})" : $"; did you mean '{nearest}'?");
            }
            else if (!TryNumber(parts[1].Trim(), out var value))
            {
                column += parts[0].Length + 1;
                problem = $"'{parts[1].Trim()}' is no number: the value of {name} is decimal or 0x hex";
            }
            else
            {
                facts = facts.With(name, value);
                given.Add(name);
                continue;
            }
            Bad($"--cpu(1,{column})", ToolDiagnostics.MalformedCpuFacts, problem);
            return false;
        }
        return true;
    }

    private static bool TryNumber(string text, out ulong value) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private int Bad(string where, Spec.Lint.DiagnosticRule rule, params string[] arguments)
    {
        _err.WriteLine(ToolDiagnostics.Line(where, rule, arguments));
        return 2;
    }
}

/// <summary>A VMCS as a user has it: the driver's JSON dump, or the block Linux KVM prints (dump_vmcs). Either way only
/// the fields the input shows are present, so a check that reads another is not decidable rather than judged on 0.</summary>
internal static class VmcsInput
{
    public const string JsonKind = "VMCS dump";
    public const string KvmKind = "Linux KVM dump_vmcs log";

    /// <exception cref="DumpFormatException">Malformed JSON, a JSON dump the format does not allow, a malformed KVM
    /// dump line, or text that is neither.</exception>
    public static (PartialVmcs Vmcs, string Kind) Read(string text, string source, VmxCapabilities? caps) =>
        text.TrimStart().StartsWith("{", StringComparison.Ordinal)
            ? (PartialVmcs.FromJsonDump(text, source, caps), JsonKind)
            : (KvmVmcsDump.Parse(text, source), KvmKind);
}

extern alias runtime;

using System;
using System.IO;
using System.Linq;
using runtime::Vmx;

namespace Vmx.Cli;

/// <summary>The verbs that work on what a processor reported rather than on the spec: they use Vmx.Runtime, whose
/// tables the generator made from the spec at build time, so they need no spec/ folder at run time.</summary>
public sealed class RuntimeVerbs
{
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly string _cwd;
    private readonly Options _options;

    public RuntimeVerbs(TextWriter stdout, TextWriter stderr, string cwd, Options options)
    {
        _out = stdout;
        _err = stderr;
        _cwd = cwd;
        _options = options;
    }

    /// <summary><c>caps DUMP.json</c>: exit 0 with the report, 1 for a missing or malformed dump, 2 without a path.</summary>
    public int Caps()
    {
        if (_options.Positional.Count != 1)
        {
            _err.WriteLine("vmxgen: caps needs one capability dump, e.g. tests/fixtures/caps/corei7_skylake_x.json");
            return 2;
        }
        var path = Path.GetFullPath(_options.Positional[0], _cwd);
        if (Directory.Exists(path))
        {
            _err.WriteLine(ToolDiagnostics.Line(path, ToolDiagnostics.DumpNotFound, "is a directory"));
            return 1;
        }
        if (!File.Exists(path))
        {
            _err.WriteLine(ToolDiagnostics.Line(path, ToolDiagnostics.DumpNotFound, "not found"));
            return 1;
        }
        try
        {
            var caps = CapabilityDump.Load(path);
            _out.Write(CapabilityReport.Format(caps));
            foreach (var warning in CapabilityReport.Warnings(caps))
                _err.WriteLine(ToolDiagnostics.Line(path, ToolDiagnostics.ImplausibleCapabilities, warning));
            return 0;
        }
        catch (DumpFormatException e)
        {
            _err.WriteLine(ToolDiagnostics.Line($"{e.Source}({e.Line},{e.Column})", ToolDiagnostics.MalformedDump, e.Problem));
        }
        catch (ArgumentException e)
        {
            // The runtime's message starts with the title the format already states.
            const string said = "not a VMX processor: ";
            var missing = e.Message.Split(new[] { " (Parameter" }, StringSplitOptions.None)[0];
            _err.WriteLine(ToolDiagnostics.Line(path, ToolDiagnostics.NotVmx, missing.StartsWith(said, StringComparison.Ordinal) ? missing.Substring(said.Length) : missing));
        }
        catch (Exception e) when (ToolDiagnostics.IsIoFailure(e))
        {
            _err.WriteLine(ToolDiagnostics.Line(path, ToolDiagnostics.FileAccess, "read capability dump", ToolDiagnostics.Reason(e)));
        }
        return 1;
    }

    /// <summary><c>exit REASON [QUALIFICATION] [--vector N]</c>: exit 0 with the decoded exit, 2 for input that is no reason,
    /// qualification or vector, 1 for a reason number the SDM does not define (still decoded, so the flags are shown).</summary>
    public int Exit()
    {
        if (_options.Positional.Count is < 1 or > 2)
        {
            _err.WriteLine("vmxgen: exit needs a reason and optionally a qualification, e.g. 'exit 28 0x13' or 'exit cpuid'");
            return 2;
        }
        var reasonText = _options.Positional[0];
        if (!VmxDecoder.TryParseExitReason(reasonText, out var reason))
        {
            var ids = string.Join(", ", ExitReasonCatalog.All.Take(4).Select(r => r.Id));
            var nearest = char.IsDigit(reasonText.FirstOrDefault()) ? null : Spec.Loading.NearestName.Find(reasonText, ExitReasonCatalog.All.Select(r => r.Id));
            _err.WriteLine($"vmxgen: '{reasonText}' is no exit reason: give one number, decimal (28) or 0x hex (0x1c) up to 32 bits, " +
                           $"or one id ({ids}, …){(nearest is null ? "" : $"; did you mean '{nearest}'?")}");
            return 2;
        }
        ulong qualification = 0;
        if (_options.Positional.Count == 2 && !VmxDecoder.TryParseNumber(_options.Positional[1], out qualification))
        {
            _err.WriteLine($"vmxgen: '{_options.Positional[1]}' is no qualification: give a number such as 0x13");
            return 2;
        }
        uint? vector = null;
        if (_options["--vector"] is { } vectorText)
        {
            if (!VmxDecoder.TryParseNumber(vectorText, out var number) || number > VmxDecoder.MaxVector)
            {
                _err.WriteLine($"vmxgen: '{vectorText}' is no vector: give the event's vector, 0 to {VmxDecoder.MaxVector} " +
                               "(bits 7:0 of the VM-exit interruption information), such as 14 for #PF");
                return 2;
            }
            vector = (uint)number;
        }
        var exit = VmxDecoder.Exit(reason, qualification, vector);
        _out.WriteLine(exit.Text);
        foreach (var field in exit.Qualification) _out.WriteLine($"  {field.Field.Msb,2}:{field.Field.Lsb,-2} {field}  ({field.Title})");
        foreach (var problem in VmxDecoder.ExitReasonProblems(reason))
            _err.WriteLine(ToolDiagnostics.Line("vmxgen", ToolDiagnostics.ImplausibleExitReason, problem));
        if (exit.Reason is not null) return 0;
        _err.WriteLine(ToolDiagnostics.Line("vmxgen", ToolDiagnostics.UndefinedExitReason, exit.BasicReason.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return 1;
    }
}

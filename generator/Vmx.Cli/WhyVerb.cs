extern alias runtime;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using runtime::Vmx;

namespace Vmx.Cli;

/// <summary><c>why DUMP [--caps CAPS] [--cpu name=value,...]</c>: every VM-entry check of the spec run on a VMCS dump,
/// each violation explained. Exit 0 when no check is violated, 1 when one is, 2 on bad input.</summary>
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
        if (!TryFacts(out var facts)) return 2;
        VmxCapabilities? caps = null;
        if (_options["--caps"] is { } capsPath)
        {
            var full = Path.GetFullPath(capsPath, _cwd);
            try { caps = CapabilityDump.Load(full); }
            catch (DumpFormatException e) { return Bad($"{e.Source}({e.Line},{e.Column})", e.Problem); }
            catch (ArgumentException e) { return Bad(full, e.Message.Split(new[] { " (Parameter" }, StringSplitOptions.None)[0]); }
            catch (Exception e) when (ToolDiagnostics.IsIoFailure(e)) { return Bad(full, ToolDiagnostics.Reason(e)); }
        }
        var path = Path.GetFullPath(_options.Positional[0], _cwd);
        IVmcsAccessor vmcs;
        string kind;
        try
        {
            var text = File.ReadAllText(path);
            (vmcs, kind) = VmcsInput.Read(text, path, caps);
        }
        catch (DumpFormatException e) { return Bad($"{e.Source}({e.Line},{e.Column})", e.Problem); }
        catch (Exception e) when (ToolDiagnostics.IsIoFailure(e)) { return Bad(path, ToolDiagnostics.Reason(e)); }

        var report = VmEntryValidator.Validate(vmcs, caps, facts);
        Print(report, path, kind, caps, facts);
        return report.Passed ? 0 : 1;
    }

    private void Print(VmEntryReport report, string path, string kind, VmxCapabilities? caps, CpuFacts facts)
    {
        var all = VmEntryCheckCatalog.All;
        int Count(CheckVerdict v) => all.Count(c => report[c] == v);
        _out.WriteLine($"{Path.GetFileName(path)} ({kind}): {all.Count} checks: {Count(CheckVerdict.Violated)} violated, {Count(CheckVerdict.Passed)} passed, " +
                       $"{Count(CheckVerdict.NotApplicable)} not applicable, {Count(CheckVerdict.NotDecidable)} not decidable");
        _out.WriteLine("CPU facts: " + string.Join(", ", facts.Values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) +
                       (_options["--cpu"] is null ? " (assumed; give --cpu name=value,... to change)" : ""));
        if (caps is null) _out.WriteLine("No --caps: the checks that read capability MSRs (allowed settings, fixed bits, MISC) are not decidable.");
        foreach (var violation in report.Violations)
        {
            var check = violation.Check;
            _out.WriteLine();
            _out.WriteLine($"VIOLATED {check.Id}: {check.Title}");
            _out.WriteLine($"  SDM:      \"{check.Section}\"");
            _out.WriteLine($"  found:    {violation.Message}");
            _out.WriteLine($"  requires: {check.Require}" + (check.When is null ? "" : $"   (applies when {check.When})"));
            _out.WriteLine($"  outcome:  {check.Outcome}");
            if (check.Bochs is not null) _out.WriteLine($"  Bochs:    {check.Bochs}");
        }
        if (!report.Passed)
        {
            _out.WriteLine();
            _out.WriteLine("Expect: " + string.Join(" or ", report.PossibleOutcomes) +
                           (report.PossibleOutcomes.Count > 1 ? " (the SDM leaves the order of the checks open)" : ""));
        }
        var undecided = report.NotDecidable;
        if (undecided.Count > 0) _out.WriteLine($"\nNot decidable ({undecided.Count}): " + string.Join(", ", undecided.Select(c => c.Id)));
    }

    private bool TryFacts(out CpuFacts facts)
    {
        facts = CpuFacts.Default;
        if (_options["--cpu"] is not { } text) return true;
        foreach (var pair in text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=');
            if (parts.Length != 2 || !TryNumber(parts[1].Trim(), out var value))
            {
                _err.WriteLine($"vmxgen: '{pair}' is no CPU fact: write name=value, e.g. --cpu maxphyaddr=46,current_lma=1");
                return false;
            }
            facts = facts.With(parts[0].Trim(), value);
        }
        return true;
    }

    private static bool TryNumber(string text, out ulong value) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private int Bad(string where, string problem)
    {
        _err.WriteLine(ToolDiagnostics.Line(where, ToolDiagnostics.MalformedDump, problem));
        return 2;
    }
}

/// <summary>A VMCS as a user has it: the driver's JSON dump, or the block Linux KVM prints (dump_vmcs).</summary>
internal static class VmcsInput
{
    public static (IVmcsAccessor Vmcs, string Kind) Read(string text, string source, VmxCapabilities? caps)
    {
        if (text.TrimStart().StartsWith("{", StringComparison.Ordinal)) return (VmcsDump.Parse(text, source, caps), "VMCS dump");
        throw new DumpFormatException(source, 1, 1, "not a VMCS dump: expected the driver's JSON or a Linux KVM dump_vmcs log");
    }
}

extern alias runtime;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using runtime::Vmx;

namespace Vmx.Cli;

/// <summary>What <c>why</c> prints: a summary, then per violated check what a hypervisor developer needs to fix it (the
/// SDM section, the values that broke it, the requirement and when it applies, the outcome), the outcomes to expect,
/// and which checks could not be judged for want of which input.</summary>
internal sealed class WhyReport
{
    private readonly TextWriter _out;
    private readonly CheckInputs _inputs;

    public WhyReport(TextWriter output, CheckInputs inputs)
    {
        _out = output;
        _inputs = inputs;
    }

    public void Print(VmEntryReport report, string name, string kind)
    {
        var all = VmEntryCheckCatalog.All;
        int Count(CheckVerdict v) => all.Count(c => report[c] == v);
        _out.WriteLine($"{name} ({kind}, {_inputs.FieldCount} VMCS fields): {all.Count} checks: {Count(CheckVerdict.Violated)} violated, " +
                       $"{Count(CheckVerdict.Passed)} passed, {Count(CheckVerdict.NotApplicable)} not applicable, {Count(CheckVerdict.NotDecidable)} not decidable");
        _out.WriteLine("CPU facts: " + string.Join(", ", _inputs.Facts.Values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) +
                       (_inputs.GivenFacts.Count == 0
                           ? " (assumed; give --cpu name=value,... to change)"
                           : $" (given: {string.Join(", ", _inputs.GivenFacts.OrderBy(f => f, StringComparer.Ordinal))}; the rest assumed)"));
        if (_inputs.Capabilities is null)
        {
            var needCaps = report.NotDecidable.Count(c => c.Inputs.Any(CheckInputs.IsMsr));
            _out.WriteLine("No --caps: only the checks that read no capability MSR on this VMCS are judged; " +
                           $"{needCaps} that need one (allowed control settings, CR0/CR4 fixed bits, IA32_VMX_MISC, ...) are not decidable.");
        }
        foreach (var violation in report.Violations) PrintViolation(violation);
        if (!report.Passed)
        {
            var outcomes = report.PossibleOutcomes;
            _out.WriteLine();
            _out.WriteLine(outcomes.Count == 1
                ? $"Expect: {outcomes[0]}"
                : "Expect one of (the SDM leaves the order of the checks open): " + string.Join("; ", outcomes));
            if (report.Violations.Any(v => v.Check.Outcome.IsVmExit) && outcomes.All(o => !o.IsVmExit))
                _out.WriteLine("  (VMfailValid comes first: the controls and host state are checked before the guest state is loaded)");
        }
        PrintNotDecidable(report.NotDecidable);
    }

    private void PrintViolation(VmEntryViolation violation)
    {
        var check = violation.Check;
        _out.WriteLine();
        _out.WriteLine($"VIOLATED {check.Id}: {check.Title}");
        _out.WriteLine($"  SDM:      \"{check.Section}\" (category {check.Category})");
        _out.WriteLine($"  found:    {violation.Message}");
        var first = true;
        foreach (var input in check.Inputs)
        {
            _out.WriteLine($"  {(first ? "values:" : ""),-9} {_inputs.Describe(input)}");
            first = false;
        }
        if (check.When is not null) _out.WriteLine($"  applies:  {check.When}   (holds here)");
        _out.WriteLine($"  requires: {check.Require}" + (check.When is null ? "   (always)" : ""));
        _out.WriteLine($"  outcome:  {check.Outcome}");
        if (check.Bochs is not null) _out.WriteLine($"  Bochs:    {check.Bochs}");
        _out.WriteLine($"  more:     vmxgen explain {check.Id}");
    }

    private void PrintNotDecidable(IReadOnlyList<VmEntryCheckInfo> undecided)
    {
        if (undecided.Count == 0) return;
        _out.WriteLine();
        _out.WriteLine($"Not decidable ({undecided.Count}): each reads an input that is not given; the ones it declares that are missing:");
        foreach (var group in undecided.GroupBy(c => string.Join(", ", _inputs.Missing(c))).OrderBy(g => g.Key, StringComparer.Ordinal))
            _out.WriteLine($"  {(group.Key.Length == 0 ? "an input it reads" : group.Key)}: {string.Join(", ", group.Select(c => c.Id))}");
    }
}

/// <summary>The inputs a check declares (spec/checks: a VMCS field, a control field, a capability MSR, a CPU fact or
/// guest memory), read from what <c>why</c> was given, to show their values and say which are missing.</summary>
internal sealed class CheckInputs
{
    private static readonly Dictionary<string, VmcsFieldInfo> Fields = VmcsFieldCatalog.All.ToDictionary(f => f.Id, StringComparer.Ordinal);
    private static readonly Dictionary<string, ControlFieldInfo> Controls = ControlFieldCatalog.All.ToDictionary(c => c.Id, StringComparer.Ordinal);
    private static readonly Dictionary<VmcsField, ControlFieldInfo> ControlsByField = ControlFieldCatalog.All.ToDictionary(c => c.Field);
    private static readonly Dictionary<string, MsrInfo> Msrs = MsrCatalog.All.ToDictionary(m => m.Id, StringComparer.Ordinal);
    private const string Memory = "memory";

    private readonly PartialVmcs _vmcs;

    public CheckInputs(PartialVmcs vmcs, VmxCapabilities? capabilities, CpuFacts facts, IReadOnlyCollection<string> givenFacts)
    {
        _vmcs = vmcs;
        Capabilities = capabilities;
        Facts = facts;
        GivenFacts = givenFacts;
    }

    public VmxCapabilities? Capabilities { get; }
    public CpuFacts Facts { get; }
    public IReadOnlyCollection<string> GivenFacts { get; }
    public int FieldCount => _vmcs.Fields.Count();

    /// <summary>The CPU facts: what the checks read that is no VMCS field, control field, MSR or memory, and the facts
    /// <see cref="CpuFacts.Default"/> assumes.</summary>
    public static IReadOnlyList<string> FactNames { get; } = VmEntryCheckCatalog.All.SelectMany(c => c.Inputs)
        .Where(i => !Fields.ContainsKey(i) && !Controls.ContainsKey(i) && !IsMsr(i) && i != Memory)
        .Concat(CpuFacts.Default.Values.Keys).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();

    public static bool IsMsr(string input) => Msrs.ContainsKey(input);

    /// <summary><c>name = value</c> with where the dump states it, or why the value is not known.</summary>
    public string Describe(string input)
    {
        if (Field(input) is { } field)
        {
            if (!TryRead(field, out var value)) return $"{input}: not in the dump";
            var at = _vmcs.LocationOf(field) is { } location ? $" (line {location.Line})" : "";
            var bits = ControlsByField.TryGetValue(field.Field, out var control) ? SetBits(control, value) : "";
            return $"{input} = 0x{value:X}{bits}{at}";
        }
        if (Msrs.TryGetValue(input, out var msr))
        {
            if (Capabilities is null) return $"{msr.Name}: not known (no --caps)";
            return Capabilities.Msrs.TryRead(msr.Address, out var value) ? $"{msr.Name} = 0x{value:X}" : $"{msr.Name}: not in the capability dump";
        }
        if (input == Memory) return "guest memory: not available to why";
        return Facts.TryGet(input, out var fact)
            ? $"{input} = {fact} (CPU fact, {(GivenFacts.Contains(input) ? "given" : "assumed")})"
            : $"{input}: CPU fact not given";
    }

    /// <summary>The declared inputs of <paramref name="check"/> that are not available.</summary>
    public IEnumerable<string> Missing(VmEntryCheckInfo check)
    {
        foreach (var input in check.Inputs)
        {
            if (Field(input) is { } field) { if (!TryRead(field, out _)) yield return $"{input} (not in the dump)"; }
            else if (Msrs.TryGetValue(input, out var msr)) { if (Capabilities is null || !Capabilities.Msrs.TryRead(msr.Address, out _)) yield return $"{msr.Name} (no --caps)"; }
            else if (input == Memory) yield return "guest memory";
            else if (!Facts.TryGet(input, out _)) yield return $"{input} (CPU fact, give --cpu)";
        }
    }

    private static VmcsFieldInfo? Field(string input) =>
        Fields.TryGetValue(input, out var field) ? field
        : Controls.TryGetValue(input, out var control) ? VmcsFieldCatalog.Find((uint)control.Field)
        : null;

    private bool TryRead(VmcsFieldInfo field, out ulong value) => _vmcs.Read(field.Field, out value).IsSuccess;

    private static string SetBits(ControlFieldInfo control, ulong value)
    {
        // The default1 bits are set by every VMM that does not use the TRUE_ capability MSRs: naming them hides the rest.
        var set = control.Bits.Where(b => !b.Default1 && (value >> b.Bit & 1) != 0).Select(b => b.Id).ToList();
        return set.Count == 0 ? " (only default1 bits set)" : $" ({string.Join(", ", set)})";
    }
}

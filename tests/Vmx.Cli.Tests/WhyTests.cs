using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Vmx.Cli.Tests;

/// <summary><c>vmxgen why</c> on the Bochs VMCS dumps (tests/fixtures/vmcs, read by the driver on four CPU models),
/// mutations of them, and the Linux KVM dump_vmcs fixtures (tests/fixtures/kvm).</summary>
public class WhyTests
{
    public static TheoryData<string> Models => new() { "core2_penryn_t9600", "corei5_lynnfield_750", "corei7_skylake_x", "tigerlake" };

    private static string Fixture(string kind, string name) => Path.Combine(Cli.RepoRoot, "tests", "fixtures", kind, name);
    private static string Vmcs(string model) => Fixture("vmcs", model + ".json");
    private static string Caps(string model) => Fixture("caps", model + ".json");
    private static string Kvm(string name) => Fixture("kvm", name + ".log");

    /// <summary>The Skylake-X VMCS dump with <paramref name="field"/>'s value replaced, written to <paramref name="dir"/>.</summary>
    private static string Mutated(TempDir dir, string field, Func<ulong, ulong> change, string model = "corei7_skylake_x")
    {
        var text = File.ReadAllText(Vmcs(model));
        var pattern = new Regex($"(\"{field}\": \\{{\"encoding\": \"0x[0-9a-f]+\", \"value\": \")0x([0-9a-f]+)\"");
        var match = pattern.Match(text);
        Assert.True(match.Success, field);
        var value = change(Convert.ToUInt64(match.Groups[2].Value, 16));
        var path = dir.Combine($"{model}-{field}.json");
        File.WriteAllText(path, pattern.Replace(text, m => $"{m.Groups[1].Value}0x{value:x16}\"", 1));
        return path;
    }

    private static Cli.Run Why(params string[] args) => Cli.Invoke(Cli.RepoRoot, new[] { "why" }.Concat(args).ToArray());

    private static string[] Violated(Cli.Run run) =>
        Regex.Matches(run.Out, @"^VIOLATED ([a-z0-9_]+):", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToArray();

    [Theory]
    [MemberData(nameof(Models))]
    public void Bochs_dumps_with_their_capabilities_pass_every_check(string model)
    {
        var run = Why(Vmcs(model), "--caps", Caps(model));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Err);
        Assert.Contains($"{model}.json (VMCS dump, ", run.Out);
        Assert.Matches(@": \d+ checks: 0 violated, [1-9]\d* passed, \d+ not applicable, 0 not decidable\n", run.Out);
        Assert.Empty(Violated(run));
        Assert.DoesNotContain("No --caps", run.Out);
        Assert.DoesNotContain("Expect", run.Out);
    }

    [Theory]
    // RPL 3: SDM "Checks on Host Segment and Descriptor-Table Registers".
    [InlineData("host_cs_selector", 0x0B, "host_cs_selector_rpl_ti", "VMfailValid, VM-instruction error 8", "host CS selector 0xB has RPL/TI bits set")]
    // RFLAGS bit 1 is reserved as 1: SDM "Checks on Guest RIP, RFLAGS, and SSP".
    [InlineData("guest_rflags", 0x44, "guest_rflags_fixed_1", "VM-entry failure, exit reason 33 (exit qualification 0)", "guest_rflags = 0x44")]
    // At most 4 CR3-target values: SDM "VM-Execution Control Fields".
    [InlineData("cr3_target_count", 5, "cr3_target_count", "VMfailValid, VM-instruction error 7", "CR3-target count 5 is above 4")]
    // Access rights 0xA01B: P (bit 7) clear.
    [InlineData("guest_cs_access_rights", 0xA01B, "guest_cs_present", "VM-entry failure, exit reason 33 (exit qualification 0)", "guest_cs_access_rights = 0xA01B")]
    public void A_broken_field_names_its_check_values_and_outcome(string field, ulong value, string check, string outcome, string shown)
    {
        using var dir = new TempDir();
        var run = Why(Mutated(dir, field, _ => value), "--caps", Caps("corei7_skylake_x"));
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(new[] { check }, Violated(run));
        Assert.Matches(@": \d+ checks: 1 violated, ", run.Out);
        Assert.Contains(shown, run.Out);
        Assert.Contains($"  outcome:  {outcome}\n", run.Out);
        Assert.Contains($"\nExpect: {outcome}\n", run.Out);
        Assert.Contains($"  more:     vmxgen explain {check}\n", run.Out);
        Assert.Matches(@"  SDM:      ""Checks on [^""]+""|  SDM:      ""VM-Execution Control Fields""", run.Out);
    }

    [Fact]
    public void A_violation_shows_the_requirement_its_precondition_and_where_the_value_is()
    {
        using var dir = new TempDir();
        var dump = Mutated(dir, "guest_cs_access_rights", _ => 0xA01B);
        var line = 1 + Array.FindIndex(File.ReadAllLines(dump), l => l.Contains("\"guest_cs_access_rights\""));
        var run = Why(dump, "--caps", Caps("corei7_skylake_x"));
        Assert.Contains("VIOLATED guest_cs_present: Guest CS is present (P = 1)\n", run.Out);
        Assert.Contains("  SDM:      \"Checks on Guest Segment Registers\" (category H)\n", run.Out);
        Assert.Contains("  found:    guest CS access rights 0xA01B have P = 0\n", run.Out);
        Assert.Contains($"guest_cs_access_rights = 0xA01B (line {line})\n", run.Out);
        Assert.Contains("  applies:  !guest_rflags.vm   (holds here)\n", run.Out);
        Assert.Contains("  requires: guest_cs_access_rights.present\n", run.Out);
    }

    [Fact]
    public void Host_state_and_guest_state_broken_together_expect_vmfail_first()
    {
        using var dir = new TempDir();
        var hostBroken = Mutated(dir, "host_cs_selector", _ => 0x0B);
        File.Move(hostBroken, dir.Combine("base.json"));
        var text = File.ReadAllText(dir.Combine("base.json"));
        File.WriteAllText(dir.Combine("both.json"), Regex.Replace(text, "(\"guest_rflags\": \\{\"encoding\": \"0x6820\", \"value\": \")0x[0-9a-f]+", "${1}0x0000000000000044"));
        var run = Why(dir.Combine("both.json"), "--caps", Caps("corei7_skylake_x"));
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(new[] { "guest_rflags_fixed_1", "host_cs_selector_rpl_ti" }, Violated(run).OrderBy(i => i, StringComparer.Ordinal));
        // Controls and host state are checked before the guest state is loaded: only VMfailValid 8 can be reported.
        Assert.Contains("\nExpect: VMfailValid, VM-instruction error 8\n", run.Out);
    }

    [Fact]
    public void Without_caps_checks_reading_capability_msrs_are_not_decidable_and_the_rest_are_judged()
    {
        using var dir = new TempDir();
        // CR0.NE clear: IA32_VMX_CR0_FIXED0 of Skylake-X requires it, so only a check reading that MSR sees it.
        var ne = Mutated(dir, "guest_cr0", v => v & ~0x20UL);
        var withCaps = Why(ne, "--caps", Caps("corei7_skylake_x"));
        Assert.True(withCaps.ExitCode == 1, withCaps.ToString());
        Assert.Equal(new[] { "guest_cr0_fixed0" }, Violated(withCaps));

        var without = Why(ne);
        Assert.True(without.ExitCode == 0, without.ToString());
        Assert.Contains("No --caps: only the checks that read no capability MSR on this VMCS are judged; ", without.Out);
        Assert.Matches(@"\n  IA32_VMX_CR0_FIXED0 \(no --caps\)[^\n]*: [a-z0-9_, ]*\bguest_cr0_fixed0\b", without.Out);
        Assert.Matches(@"\n  IA32_VMX_PINBASED_CTLS \(no --caps\): pin_controls_allowed\n", without.Out);

        // A check that reads no MSR is judged without --caps.
        var rflags = Why(Mutated(dir, "guest_rflags", _ => 0x44));
        Assert.True(rflags.ExitCode == 1, rflags.ToString());
        Assert.Equal(new[] { "guest_rflags_fixed_1" }, Violated(rflags));
    }

    [Fact]
    public void Cpu_facts_change_the_verdict()
    {
        // Guest CR3 0x115000 has bit 20 set: with MAXPHYADDR 20 it is beyond the physical-address width.
        var run = Why(Vmcs("corei7_skylake_x"), "--caps", Caps("corei7_skylake_x"), "--cpu", "maxphyaddr=20");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("guest_cr3_maxphyaddr", Violated(run));
        Assert.Contains("maxphyaddr=20", run.Out);
        Assert.Contains("(given: maxphyaddr; the rest assumed)", run.Out);
        Assert.Contains("maxphyaddr = 20 (CPU fact, given)", run.Out);
        Assert.Equal(0, Why(Vmcs("corei7_skylake_x"), "--caps", Caps("corei7_skylake_x"), "--cpu", "maxphyaddr=0x2e").ExitCode);
    }

    [Theory]
    [InlineData("baseline-6x")]
    [InlineData("baseline-4.19-efer-pat")]
    public void Kvm_baseline_dumps_pass(string name)
    {
        var run = Why(Kvm(name));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Err);
        Assert.Contains($"{name}.log (Linux KVM dump_vmcs log, ", run.Out);
        Assert.Contains(" 0 violated, ", run.Out);
        Assert.Empty(Violated(run));
        // KVM's dump_vmcs never prints the CR3-target count: that check is not decidable, not passed.
        Assert.Contains("\n  cr3_target_count (not in the dump): cr3_target_count\n", run.Out);
    }

    [Theory]
    [InlineData("entry-interruption-type-reserved", "injected_type_not_reserved", "VMfailValid, VM-instruction error 7")]
    [InlineData("guest-cs-access-rights-present-clear", "guest_cs_present", "VM-entry failure, exit reason 33 (exit qualification 0)")]
    [InlineData("guest-rflags-bit1-clear", "guest_rflags_fixed_1", "VM-entry failure, exit reason 33 (exit qualification 0)")]
    [InlineData("host-cr4-pae-clear-with-host-address-space-size", "host_cr4_pae_needs_host_address_space_size", "VMfailValid, VM-instruction error 8")]
    public void Kvm_dump_with_one_broken_rule_names_its_check(string name, string check, string outcome)
    {
        var run = Why(Kvm(name));
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(new[] { check }, Violated(run));
        Assert.Contains($"\nExpect: {outcome}\n", run.Out);
    }

    [Fact]
    public void Kvm_value_is_shown_with_its_log_line()
    {
        var path = Kvm("guest-rflags-bit1-clear");
        var line = 1 + Array.FindIndex(File.ReadAllLines(path), l => l.Contains("RFLAGS=0x00000000"));
        var run = Why(path);
        Assert.Contains($"  values:   guest_rflags = 0x0 (line {line})\n", run.Out);
        Assert.Contains("  requires: guest_rflags.fixed_1   (always)\n", run.Out);
    }

    [Fact]
    public void Kvm_format_fixtures_report_the_rules_their_values_break()
    {
        // features-fred: CS limit 0xFFFFF000 with G = 1 (limit bits 11:0 not all 1); host IA32_FRED_CONFIG 0xC0D sets
        // reserved bits 2 and 11. features-4.19: an external interrupt injected under blocking by STI.
        var fred = Why(Kvm("features-fred"));
        Assert.True(fred.ExitCode == 1, fred.ToString());
        Assert.Contains("guest_cs_granularity", Violated(fred));
        Assert.Contains("host_ia32_fred_config_reserved_bits", Violated(fred));
        Assert.Contains("host IA32_FRED_CONFIG 0xC0D sets reserved bits 0x804", fred.Out);
        var old = Why(Kvm("features-4.19"));
        Assert.True(old.ExitCode == 1, old.ToString());
        Assert.Equal(new[] { "guest_interruptibility_external_interrupt" }, Violated(old));
    }

    [Fact]
    public void Missing_dump_is_a_located_error()
    {
        using var dir = new TempDir();
        var run = Cli.Invoke(dir.Path, "why", "nope.json");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(dir.Combine("nope.json") + ": error VMX9001: cannot read VMCS dump: no such file or directory\n", run.Err);
        Assert.Equal("", run.Out);
        var directory = Cli.Invoke(dir.Path, "why", dir.Path);
        Assert.Equal(2, directory.ExitCode);
        Assert.Contains(dir.Path + ": error VMX9001: cannot read VMCS dump: it is a directory", directory.Err);
    }

    [Fact]
    public void Malformed_json_is_located()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("bad.json"), "{\n  \"revision\": \"0x4\",\n  \"fields\": {\n    \"guest_rip\": {\"value\": \"0x1\"}\n");
        var run = Cli.Invoke(dir.Path, "why", "bad.json");
        Assert.Equal(2, run.ExitCode);
        Assert.Matches("^" + Regex.Escape(dir.Combine("bad.json")) + @"\(\d+,\d+\): error VMX9010: malformed VMCS dump: not valid JSON", run.Err);
        Assert.Equal("", run.Out);

        File.WriteAllText(dir.Combine("unknown.json"), "{\n  \"revision\": \"0x4\",\n  \"fields\": {\n    \"guest_ripp\": {\"value\": \"0x1\"}\n  }\n}\n");
        var unknown = Cli.Invoke(dir.Path, "why", "unknown.json");
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith(dir.Combine("unknown.json") + "(4,5): error VMX9010: malformed VMCS dump: unknown VMCS field \"guest_ripp\"", unknown.Err);
    }

    [Fact]
    public void Malformed_kvm_line_is_located()
    {
        using var dir = new TempDir();
        var lines = File.ReadAllLines(Kvm("baseline-6x"));
        var at = Array.FindIndex(lines, l => l.Contains("RIP = 0x0000000000100000"));
        lines[at] = lines[at].Replace("RIP = 0x0000000000100000", "RIP = 0xzz");
        File.WriteAllLines(dir.Combine("bad.log"), lines);
        var column = lines[at].IndexOf("0xzz", StringComparison.Ordinal) + 1;
        var run = Cli.Invoke(dir.Path, "why", "bad.log");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"{dir.Combine("bad.log")}({at + 1},{column}): error VMX9010: malformed VMCS dump: malformed KVM dump line: expected a hex number for guest_rip", run.Err);
        Assert.Equal("", run.Out);

        File.WriteAllText(dir.Combine("text.log"), "[    1.0] nothing about KVM here\n");
        var text = Cli.Invoke(dir.Path, "why", "text.log");
        Assert.Equal(2, text.ExitCode);
        Assert.StartsWith(dir.Combine("text.log") + "(1,1): error VMX9010: malformed VMCS dump: no KVM VMCS dump here", text.Err);
    }

    [Theory]
    [InlineData("maxphyadr=46", 1, "'maxphyadr' is no CPU fact the checks read; did you mean 'maxphyaddr'?")]
    [InlineData("maxphyaddr=46,lam=x", 19, "'x' is no number: the value of lam is decimal or 0x hex")]
    [InlineData("maxphyaddr=46,current_lma", 15, "'current_lma' is not name=value")]
    public void Malformed_cpu_facts_are_located_in_the_option(string cpu, int column, string problem)
    {
        var run = Why(Kvm("baseline-6x"), "--cpu", cpu);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"--cpu(1,{column}): error VMX9011: malformed --cpu: {problem}", run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Bad_capability_dump_is_located()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("caps.json"), "{\"msrs\": [");
        var malformed = Cli.Invoke(dir.Path, "why", Kvm("baseline-6x"), "--caps", "caps.json");
        Assert.Equal(2, malformed.ExitCode);
        Assert.Matches("^" + Regex.Escape(dir.Combine("caps.json")) + @"\(\d+,\d+\): error VMX9004: malformed capability dump: ", malformed.Err);
        Assert.Equal("", malformed.Out);

        var missing = Cli.Invoke(dir.Path, "why", Kvm("baseline-6x"), "--caps", "nope.json");
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal(dir.Combine("nope.json") + ": error VMX9003: capability dump not found\n", missing.Err);

        var notVmx = Cli.Invoke(dir.Path, "why", Kvm("baseline-6x"), "--caps", ToolDiagnosticTests.SkylakeWith(dir, "0x480", "gp"));
        Assert.Equal(2, notVmx.ExitCode);
        Assert.Contains("error VMX9005: not a VMX processor: IA32_VMX_BASIC (0x480)", notVmx.Err);
    }
}

/// <summary>What <c>why</c> says without --caps ("only the checks that read no capability MSR are judged") holds on the
/// Bochs dumps: a check keeps the verdict it has with the capabilities, or it reads an MSR and becomes not decidable.</summary>
public class WhyWithoutCapsTests
{
    [Theory]
    [MemberData(nameof(WhyTests.Models), MemberType = typeof(WhyTests))]
    public void Checks_reading_no_msr_keep_their_verdict_and_the_others_are_not_judged(string model)
    {
        var dump = System.IO.Path.Combine(Cli.RepoRoot, "tests", "fixtures", "vmcs", model + ".json");
        var caps = Vmx.CapabilityDump.Load(System.IO.Path.Combine(Cli.RepoRoot, "tests", "fixtures", "caps", model + ".json"));
        var text = System.IO.File.ReadAllText(dump);
        var with = Vmx.VmEntryValidator.Validate(Vmx.PartialVmcs.FromJsonDump(text, dump, caps), caps, Vmx.CpuFacts.Default);
        var without = Vmx.VmEntryValidator.Validate(Vmx.PartialVmcs.FromJsonDump(text, dump), null, Vmx.CpuFacts.Default);
        var msrs = Vmx.MsrCatalog.All.Select(m => m.Id).ToHashSet();
        var lost = 0;
        foreach (var check in Vmx.VmEntryCheckCatalog.All)
        {
            if (with[check] == without[check]) continue;
            // A check whose verdict changes is one that reads an MSR, and it is not judged otherwise: not decidable.
            Assert.True(check.Inputs.Any(msrs.Contains), $"{check.Id} reads no MSR: {with[check]} with caps, {without[check]} without");
            Assert.True(without[check] == Vmx.CheckVerdict.NotDecidable, $"{check.Id}: {without[check]} without caps");
            lost++;
        }
        // The allowed settings of the pin-based, primary, exit and entry controls exist on every VMX processor.
        Assert.True(lost >= 4, $"{lost}");
    }
}

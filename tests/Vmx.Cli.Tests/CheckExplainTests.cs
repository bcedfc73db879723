using System.Linq;
using Xunit;

namespace Vmx.Cli.Tests;

/// <summary><c>vmxgen explain CHECK-ID</c>: a VM-entry check of spec/checks, as written there.</summary>
public class CheckExplainTests
{
    private static Cli.Run Explain(string name) => Cli.Invoke(Cli.RepoRoot, "explain", name, "--spec", Cli.SpecDirectory);

    [Fact]
    public void A_check_prints_its_rule_outcome_and_vectors()
    {
        var run = Explain("guest_rflags_fixed_1");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Err);
        // spec/checks/guest-registers.yaml, group J.
        Assert.StartsWith("VM-entry check guest_rflags_fixed_1: Guest RFLAGS bit 1 is 1\n", run.Out);
        Assert.Contains("  category J, Guest RIP, RFLAGS and SSP; SDM: \"Checks on Guest RIP, RFLAGS, and SSP\" (325462-086US)\n", run.Out);
        Assert.Contains("  outcome:  exit 33 qualification 0 (VM-entry failure, exit reason 33 (exit qualification 0))\n", run.Out);
        Assert.Contains("  inputs:   guest_rflags (VMCS field, 64 bits)\n", run.Out);
        Assert.Contains("  when:     always\n", run.Out);
        Assert.Contains("  require:  guest_rflags.fixed_1\n", run.Out);
        Assert.Contains("  message:  guest RFLAGS {guest_rflags} clears bit 1\n", run.Out);
        Assert.Contains("  pass:     {guest_rflags: 0x202}\n", run.Out);
        Assert.Contains("  fail:     {guest_rflags: 0x0}\n", run.Out);
        Assert.Contains("  C: VMX_CHECK_GUEST_RFLAGS_FIXED_1", run.Out);
    }

    [Fact]
    public void An_id_after_each_expansion_is_one_check_with_the_register_substituted()
    {
        var run = Explain("host_cs_selector_rpl_ti");
        Assert.True(run.ExitCode == 0, run.ToString());
        // spec/checks/host-state.yaml: host_$_selector_rpl_ti, each [es, cs, ss, ds, fs, gs, tr], outcome vmfail 8.
        Assert.StartsWith("VM-entry check host_cs_selector_rpl_ti: Host CS selector has RPL = 0 and TI = 0\n", run.Out);
        Assert.Contains("  outcome:  vmfail 8 (VMfailValid, VM-instruction error 8)\n", run.Out);
        Assert.Contains("  require:  host_cs_selector & 7 == 0\n", run.Out);
        Assert.Contains("  message:  host CS selector {host_cs_selector} has RPL/TI bits set\n", run.Out);
        Assert.Contains("  pass:     {host_cs_selector: 0x10}\n            {host_cs_selector: 0xFFF8}\n", run.Out);
        Assert.Contains("  fail:     {host_cs_selector: 0x13}\n            {host_cs_selector: 0x14}\n", run.Out);
        Assert.Contains("  one of host_$_selector_rpl_ti (each: es, cs, ss, ds, fs, gs, tr)\n", run.Out);
        Assert.DoesNotContain("host_ss_selector", run.Out);
        Assert.Single(run.Out.Split('\n'), l => l.StartsWith("VM-entry check ", System.StringComparison.Ordinal));
    }

    [Fact]
    public void The_id_as_written_prints_every_register()
    {
        var run = Explain("host_$_selector_rpl_ti");
        Assert.True(run.ExitCode == 0, run.ToString());
        var checks = run.Out.Split('\n').Where(l => l.StartsWith("VM-entry check ", System.StringComparison.Ordinal)).Select(l => l.Split(':')[0].Substring(15));
        Assert.Equal(new[] { "es", "cs", "ss", "ds", "fs", "gs", "tr" }.Select(r => $"host_{r}_selector_rpl_ti"), checks);
    }

    [Fact]
    public void A_near_miss_gets_did_you_mean()
    {
        var run = Explain("host_cs_selector_rpl_tx");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal("vmxgen: error VMX9007: 'host_cs_selector_rpl_tx' is not in the spec; did you mean 'host_cs_selector_rpl_ti'?\n", run.Err);
    }
}

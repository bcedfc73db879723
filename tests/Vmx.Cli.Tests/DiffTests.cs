using System.IO;
using Xunit;

namespace Vmx.Cli.Tests;

/// <summary>vmxgen diff on pairs of spec directories (copies of the real spec, one edited), with exact output.</summary>
public sealed class DiffTests
{
    private static (TempDir Old, TempDir New) Pair()
    {
        return (new TempDir().CopySpec(), new TempDir().CopySpec());
    }

    [Fact]
    public void Equal_specs_report_no_change_and_exit_0()
    {
        var (a, b) = Pair();
        using (a) using (b)
        {
            // Moving prose and adding a comment changes no fact.
            b.Edit("vmcs/control.yaml", "        description: Tag that associates", "        # a comment\n        description: Tag that associates");
            var run = Cli.Invoke(a.Path, "diff", a.Spec, b.Spec);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal($"no changes between {a.Spec} and {b.Spec}\n", run.Out);
        }
    }

    [Fact]
    public void Every_kind_of_change_is_listed_with_its_facts()
    {
        var (a, b) = Pair();
        using (a) using (b)
        {
            b.Edit("vmcs/control.yaml", "title: Virtual-processor identifier (VPID)", "title: VPID");
            b.Edit("controls/execution.yaml", "title: Enable VPID\n        bit: 5\n        default1: false", "title: Enable VPID\n        bit: 5\n        default1: true");
            b.Edit("layouts/registers.yaml", "      - id: vmxe\n        bits: 13", "      - id: vmxe\n        bits: 63");
            b.Edit("exits/exit-reasons.yaml", "  - id: cpuid\n    number: 10\n    title: CPUID", "  - id: cpuid\n    number: 10\n    title: CPUID instruction");
            b.Edit("errors/instruction-errors.yaml", "  - id: vmcall_in_vmx_root_operation", "  - id: vmcall_in_root");
            b.Edit("enums/enums.yaml", "title: Uncacheable (UC)", "title: UC");
            b.Edit("msrs/msrs.yaml", "  - id: ia32_kernel_gs_base\n    name: IA32_KERNEL_GS_BASE\n    address: 0xC0000102",
                "  - id: vendor_vm_cr\n    name: VENDOR_VM_CR\n    address: 0xC0010114");
            var run = Cli.Invoke(a.Path, "diff", a.Spec, b.Spec);
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Equal(
                $"{a.Spec} -> {b.Spec}: 2 added, 2 removed, 5 changed\n" +
                "~ VMCS field virtual_processor_identifier: title Virtual-processor identifier (VPID) -> VPID\n" +
                "~ control bit proc2.enable_vpid: default 0 -> 1\n" +
                "- MSR ia32_kernel_gs_base: name IA32_KERNEL_GS_BASE, address 0xC0000102, layout none, exists always, title Swap Target of BASE Address of GS, section Architectural MSRs\n" +
                "+ MSR vendor_vm_cr: name VENDOR_VM_CR, address 0xC0010114, layout none, exists always, title Swap Target of BASE Address of GS, section Architectural MSRs\n" +
                "~ layout field cr4.vmxe: bits 13 -> 63\n" +
                "~ enumeration value memory_type.uncacheable: title Uncacheable (UC) -> UC\n" +
                "~ exit reason cpuid: title CPUID -> CPUID instruction\n",
                run.Out.Substring(0, run.Out.IndexOf("+ VM-instruction error")));
            Assert.EndsWith(
                "+ VM-instruction error vmcall_in_root: number 1, title VMCALL executed in VMX root operation, section VM Instruction Error Numbers\n" +
                "- VM-instruction error vmcall_in_vmx_root_operation: number 1, title VMCALL executed in VMX root operation, section VM Instruction Error Numbers\n",
                run.Out);
        }
    }

    [Fact]
    public void Markdown_is_a_table_ready_for_a_pull_request_comment()
    {
        var (a, b) = Pair();
        using (a) using (b)
        {
            b.Edit("controls/execution.yaml", "title: Enable VPID\n        bit: 5", "title: Enable VPID\n        bit: 29");
            var run = Cli.Invoke(a.Path, "diff", a.Spec, b.Spec, "--format", "markdown");
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Equal(
                $"### VMX spec changes: `{a.Spec}` → `{b.Spec}`\n\n0 added, 0 removed, 1 changed.\n\n" +
                "| | kind | entry | facts |\n|---|---|---|---|\n" +
                "| changed | control bit | `proc2.enable_vpid` | bit `5` -> `29` |\n",
                run.Out);
        }
    }

    [Fact]
    public void A_git_revision_is_read_with_git_archive()
    {
        // HEAD's committed spec against the work tree's (this test's checkout has no uncommitted spec edits) is equal;
        // a revision that does not exist is trouble, exit 2.
        var run = Cli.Invoke(Cli.RepoRoot, "diff", "HEAD", "HEAD:spec");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("no changes between HEAD and HEAD:spec\n", run.Out);
        var bad = Cli.Invoke(Cli.RepoRoot, "diff", "no-such-revision", "HEAD");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("error VMX9002: spec directory is neither a directory nor a git revision", bad.Err);
    }

    [Fact]
    public void A_broken_side_or_wrong_usage_is_exit_2()
    {
        using var a = new TempDir().CopySpec();
        var at = a.Edit("msrs/msrs.yaml", "address: 0x480", "address: zz");
        var run = Cli.Invoke(a.Path, "diff", Cli.SpecDirectory, a.Spec);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"spec/msrs/msrs.yaml({at.Line},{at.Column + 9}): error VMX0004", run.Err);
        Assert.Equal(2, Cli.Invoke(a.Path, "diff", a.Spec).ExitCode);
        Assert.Equal(2, Cli.Invoke(a.Path, "diff", a.Spec, a.Spec, "--format", "html").ExitCode);
    }
}

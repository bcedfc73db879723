using System.IO;
using Xunit;

namespace Vmx.Cli.Tests;

/// <summary>--overlay: a user's spec files on top of the base spec; a clash is located at the user's entry.</summary>
public sealed class OverlayTests
{
    private const string NewFieldAndMsr = """
        sdm-revision: "325462-086US"
        vmcs-groups:
          - name: vendor 64-bit guest-state fields
            section: 64-Bit Guest-State Fields
            width: 64
            type: guest-state
            fields:
              - id: vendor_guest_extra
                title: Vendor guest extra
                encoding: 0x28FE
                index: 127
                description: A field of a newer CPU.
        msrs:
          - id: vendor_vm_cr
            name: VENDOR_VM_CR
            address: 0xC0010114
            title: Vendor VM control
            section: Vendor MSRs
            layout: vendor_vm_cr
            description: A vendor-specific MSR.
        layouts:
          - id: vendor_vm_cr
            title: Vendor VM control
            section: Vendor MSRs
            width: 64
            description: Its bits.
            fields:
              - id: lock
                bits: 3
                title: Lock
                description: Locks the register.
        """;

    [Fact]
    public void An_overlay_adds_entries_to_the_generated_headers()
    {
        using var user = new TempDir();
        Directory.CreateDirectory(user.Spec);
        File.WriteAllText(Path.Combine(user.Spec, "vendor.yaml"), NewFieldAndMsr);
        var check = Cli.Invoke(user.Path, "check", "--spec", Cli.SpecDirectory, "--overlay", "spec");
        Assert.True(check.ExitCode == 0, check.ToString());
        var generate = Cli.Invoke(user.Path, "generate", "c", "--spec", Cli.SpecDirectory, "--overlay", "spec", "--out", "out");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        Assert.Contains("0xC0010114", File.ReadAllText(user.Combine("out", "vmx_msrs.h")), System.StringComparison.OrdinalIgnoreCase);
        Assert.Contains("#define VMCS_VENDOR_GUEST_EXTRA 0x000028FEu", File.ReadAllText(user.Combine("out", "vmcs_fields.h")));
        Assert.Equal(2, Cli.Invoke(user.Path, "generate", "c", "--overlay", "spec").ExitCode);
    }

    private const string TertiaryBit = """
        sdm-revision: "325462-086US"
        control-bits:
          - control: proc3
            bits:
              - id: vendor_feature
                title: Vendor feature
                bit: 20
                default1: false
                description: A tertiary control of a newer CPU.
        """;

    [Fact]
    public void An_overlay_adds_a_bit_to_a_base_control_field()
    {
        using var user = new TempDir();
        Directory.CreateDirectory(user.Spec);
        File.WriteAllText(Path.Combine(user.Spec, "proc3.yaml"), TertiaryBit);
        var check = Cli.Invoke(user.Path, "check", "--spec", Cli.SpecDirectory, "--overlay", "spec");
        Assert.True(check.ExitCode == 0, check.ToString());
        var generate = Cli.Invoke(user.Path, "generate", "c", "--spec", Cli.SpecDirectory, "--overlay", "spec", "--out", "out");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        var header = File.ReadAllText(user.Combine("out", "vmx_controls.h"));
        Assert.Contains("#define VMX_PROC3_VENDOR_FEATURE_BIT 20\n", header);
        Assert.Contains("#define VMX_PROC3_VENDOR_FEATURE (1ull << 20) /* Vendor feature */\n", header);
        Assert.Contains("#define VMX_PROC3_APIC_TIMER_VIRTUALIZATION_BIT 8\n", header);   // the base's bits stay
    }

    [Theory]
    [InlineData("bit: 20", "bit: 8", "VMX0014", "bit 8 of control field 'proc3' is both 'apic_timer_virtualization' and 'vendor_feature'")]
    [InlineData("id: vendor_feature", "id: ipi_virtualization", "VMX0005", "bit id 'ipi_virtualization' is already defined in control field 'proc3' at spec/controls/")]
    [InlineData("control: proc3", "control: proc9", "VMX0013", "names control field 'proc9', which is not defined")]
    [InlineData("bit: 20", "bit: 64", "VMX0015", "vendor_feature")]
    public void A_control_bit_that_clashes_with_the_base_is_reported_at_the_overlay(string find, string replace, string id, string message)
    {
        using var user = new TempDir();
        Directory.CreateDirectory(user.Spec);
        File.WriteAllText(Path.Combine(user.Spec, "proc3.yaml"), TertiaryBit.Replace(find, replace));
        var run = Cli.Invoke(user.Path, "check", "--spec", Cli.SpecDirectory, "--overlay", "spec");
        Assert.Equal(1, run.ExitCode);
        Assert.Matches($@"^spec/proc3\.yaml\(\d+,\d+\): error {id}: .*{System.Text.RegularExpressions.Regex.Escape(message)}", run.Err);
    }

    [Theory]
    [InlineData("encoding: 0x28FE", "encoding: 0x2800", "index: 127", "index: 0", "VMX0006", "already used by 'vmcs_link_pointer' at spec/vmcs/")]
    [InlineData("id: vendor_guest_extra", "id: guest_cr0", null, null, "VMX0005", "VMCS field id 'guest_cr0' is already defined in the spec at spec/vmcs/")]
    [InlineData("address: 0xC0010114", "address: 0x480", null, null, "VMX0016", "MSR address 0x480 is both 'IA32_VMX_BASIC' and 'VENDOR_VM_CR'")]
    public void A_clash_with_the_base_is_reported_at_the_overlay_entry(string find, string replace, string? find2, string? replace2, string id, string names)
    {
        using var user = new TempDir();
        Directory.CreateDirectory(user.Spec);
        var text = NewFieldAndMsr.Replace(find, replace);
        if (find2 is not null) text = text.Replace(find2, replace2);
        File.WriteAllText(Path.Combine(user.Spec, "vendor.yaml"), text);
        var run = Cli.Invoke(user.Path, "check", "--spec", Cli.SpecDirectory, "--overlay", "spec");
        Assert.Equal(1, run.ExitCode);
        Assert.Matches($@"^spec/vendor\.yaml\(\d+,\d+\): error {id}: .*{System.Text.RegularExpressions.Regex.Escape(names)}", run.Err);
    }
}

using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Vmx.Runtime.Tests;

/// <summary>KVM's dump_vmcs text (tests/fixtures/kvm/*.log, written by hand in the formats of the kernels' source). The
/// expected values are the ones written into the fixture text, field by field; the set of fields present must be exactly
/// the ones the text shows, so a value KVM prints that is not the VMCS field (effective EFER, a 0 printed for a field the
/// processor lacks) is caught if it slips in.</summary>
public class KvmVmcsDumpTests
{
    private static string FixturePath(string name) => Path.Combine(Fixtures.RepoRoot, "tests", "fixtures", "kvm", name);

    private static PartialVmcs Load(string name) => KvmVmcsDump.Load(FixturePath(name));

    private static void AssertExactly(PartialVmcs vmcs, IReadOnlyDictionary<string, ulong> expected)
    {
        var actual = vmcs.Fields.ToDictionary(f => f.Field.Id, f => f.Value);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (id, value) in expected) Assert.True(value == actual[id], $"{id}: expected 0x{value:x}, read 0x{actual[id]:x}");
    }

    /// <summary>The baseline of spec/checks/README.md on the corei7_skylake_x capabilities (TRUE controls: allowed-0 of
    /// pin 0x16, proc 0x04006172, exit 0x00036dfb | host address-space size, entry 0x000011fb | IA-32e mode guest; CR0 =
    /// FIXED0 0x80000021 | PE | PG | NE | WP, CR4 = FIXED0 0x2000 | PAE), in both kernels' words.</summary>
    private static Dictionary<string, ulong> Baseline() => new()
    {
        ["guest_cr0"] = 0x80010021, ["cr0_read_shadow"] = 0, ["cr0_guest_host_mask"] = 0,
        ["guest_cr4"] = 0x2020, ["cr4_read_shadow"] = 0, ["cr4_guest_host_mask"] = 0,
        ["guest_cr3"] = 0x1000, ["guest_rsp"] = 0, ["guest_rip"] = 0x100000, ["guest_rflags"] = 0x2, ["guest_dr7"] = 0x400,
        ["guest_ia32_sysenter_esp"] = 0, ["guest_ia32_sysenter_cs"] = 0, ["guest_ia32_sysenter_eip"] = 0,
        ["guest_cs_selector"] = 0x8, ["guest_cs_access_rights"] = 0xa09b, ["guest_cs_limit"] = 0xffffffff, ["guest_cs_base"] = 0,
        ["guest_ds_selector"] = 0x10, ["guest_ds_access_rights"] = 0xc093, ["guest_ds_limit"] = 0xffffffff, ["guest_ds_base"] = 0,
        ["guest_ss_selector"] = 0x10, ["guest_ss_access_rights"] = 0xc093, ["guest_ss_limit"] = 0xffffffff, ["guest_ss_base"] = 0,
        ["guest_es_selector"] = 0x10, ["guest_es_access_rights"] = 0xc093, ["guest_es_limit"] = 0xffffffff, ["guest_es_base"] = 0,
        ["guest_fs_selector"] = 0x10, ["guest_fs_access_rights"] = 0xc093, ["guest_fs_limit"] = 0xffffffff, ["guest_fs_base"] = 0,
        ["guest_gs_selector"] = 0x10, ["guest_gs_access_rights"] = 0xc093, ["guest_gs_limit"] = 0xffffffff, ["guest_gs_base"] = 0,
        ["guest_gdtr_limit"] = 0x27, ["guest_gdtr_base"] = 0, ["guest_idtr_limit"] = 0xfff, ["guest_idtr_base"] = 0,
        ["guest_ldtr_selector"] = 0, ["guest_ldtr_access_rights"] = 0x10000, ["guest_ldtr_limit"] = 0, ["guest_ldtr_base"] = 0,
        ["guest_tr_selector"] = 0x18, ["guest_tr_access_rights"] = 0x8b, ["guest_tr_limit"] = 0x67, ["guest_tr_base"] = 0,
        ["guest_ia32_debugctl"] = 0, ["guest_pending_debug_exceptions"] = 0,
        ["guest_interruptibility_state"] = 0, ["guest_activity_state"] = 0,
        ["host_rip"] = 0x101000, ["host_rsp"] = 0x200000,
        ["host_cs_selector"] = 0x8, ["host_ss_selector"] = 0x10, ["host_ds_selector"] = 0x10, ["host_es_selector"] = 0x10,
        ["host_fs_selector"] = 0x10, ["host_gs_selector"] = 0x10, ["host_tr_selector"] = 0x18,
        ["host_fs_base"] = 0, ["host_gs_base"] = 0, ["host_tr_base"] = 0, ["host_gdtr_base"] = 0x3000, ["host_idtr_base"] = 0x4000,
        ["host_cr0"] = 0x80010021, ["host_cr3"] = 0x2000, ["host_cr4"] = 0x2020,
        ["host_ia32_sysenter_esp"] = 0, ["host_ia32_sysenter_cs"] = 0, ["host_ia32_sysenter_eip"] = 0,
        ["pin_based_vm_execution_controls"] = 0x16, ["primary_processor_based_vm_execution_controls"] = 0x04006172,
        ["vm_entry_controls"] = 0x13fb, ["primary_vm_exit_controls"] = 0x36ffb,
        ["exception_bitmap"] = 0, ["page_fault_error_code_mask"] = 0, ["page_fault_error_code_match"] = 0,
        ["vm_entry_interruption_information_field"] = 0, ["vm_entry_exception_error_code"] = 0, ["vm_entry_instruction_length"] = 0,
        ["vm_exit_interruption_information"] = 0, ["vm_exit_interruption_error_code"] = 0, ["vm_exit_instruction_length"] = 0,
        ["exit_reason"] = 0x80000021, ["exit_qualification"] = 0,
        ["idt_vectoring_information_field"] = 0, ["idt_vectoring_error_code"] = 0, ["tsc_offset"] = 0,
    };

    [Fact]
    public void A_6x_dump_of_the_baseline_guest_maps_every_line()
    {
        var vmcs = Load("baseline-6x.log");
        var expected = Baseline();
        // Kernels since 5.12 print the PDPTEs whenever the processor has EPT.
        foreach (var i in Enumerable.Range(0, 4)) expected[$"guest_pdpte{i}"] = 0;
        AssertExactly(vmcs, expected);

        // "EFER= … (effective)" is KVM's software EFER, not guest_ia32_efer (entry.load_ia32_efer is 0): a note only.
        var efer = Assert.Single(vmcs.Notes, n => n.Subject == "effective guest EFER");
        Assert.Equal(0x500UL, efer.Value);
        Assert.Equal(new DumpLocation(22, 33), efer.At);
        Assert.False(vmcs.Contains(VmcsFieldCatalog.Find((uint)VmcsField.GuestIa32Efer)!));
        // SecondaryExec and TertiaryExec are printed as 0 with their activating controls (proc bits 31, 17) clear.
        Assert.Contains(vmcs.Notes, n => n.Subject == "secondary_processor_based_vm_execution_controls" && n.At.Line == 33);
        Assert.Contains(vmcs.Notes, n => n.Subject == "tertiary_processor_based_vm_execution_controls" && n.At.Line == 33);
        Assert.Contains(vmcs.Notes, n => n.Subject == "last VM-entry CPU" && n.Value == 3);
        Assert.Contains(vmcs.Notes, n => n.Subject == "VMCS pointer" && n.Meaning.EndsWith("00000000d3adb33f"));
    }

    [Fact]
    public void A_4_19_dump_reads_the_combined_efer_pat_lines_as_the_vmcs_fields()
    {
        var vmcs = Load("baseline-4.19-efer-pat.log");
        var expected = Baseline();
        // This guest also loads EFER and PAT on entry and the host on exit (entry bits 14, 15; exit bits 20, 21), so 4.19
        // prints "EFER = … PAT = …": both are VMCS reads.
        expected["vm_entry_controls"] = 0xd3fb;
        expected["primary_vm_exit_controls"] = 0x336ffb;
        expected["guest_ia32_efer"] = 0x500;
        expected["guest_ia32_pat"] = 0x0007040600070406;
        expected["host_ia32_efer"] = 0x500;
        expected["host_ia32_pat"] = 0x0007040600070406;
        AssertExactly(vmcs, expected);
        Assert.Equal(new DumpLocation(18, 56), vmcs.LocationOf(VmcsFieldCatalog.Find((uint)VmcsField.GuestIa32Efer)!));
        Assert.DoesNotContain(vmcs.Notes, n => n.Subject.Contains("EFER"));
    }

    [Fact]
    public void Every_line_of_the_FRED_format_maps_to_its_field()
    {
        var vmcs = Load("features-fred.log");
        AssertExactly(vmcs, new Dictionary<string, ulong>
        {
            ["guest_cr0"] = 0x80050033, ["cr0_read_shadow"] = 0x60000010, ["cr0_guest_host_mask"] = 0xfffffffffffefff7,
            ["guest_cr4"] = 0x7726f0, ["cr4_read_shadow"] = 0x7706f0, ["cr4_guest_host_mask"] = 0xfffffffffffef871,
            ["guest_cr3"] = 0x10c85a006,
            ["guest_pdpte0"] = 0xa01001, ["guest_pdpte1"] = 0xa02001, ["guest_pdpte2"] = 0xa03001, ["guest_pdpte3"] = 0xa04001,
            ["guest_rsp"] = 0xffffc90000b17e38, ["guest_rip"] = 0xffffffff81e0a2b4, ["guest_rflags"] = 0x246, ["guest_dr7"] = 0x401,
            ["guest_ia32_sysenter_esp"] = 0xfffffe0000003000, ["guest_ia32_sysenter_cs"] = 0x10, ["guest_ia32_sysenter_eip"] = 0xffffffff81c01b40,
            ["guest_cs_selector"] = 0x10, ["guest_cs_access_rights"] = 0xa09b, ["guest_cs_limit"] = 0xfffff000, ["guest_cs_base"] = 0x100,
            ["guest_ds_selector"] = 0x20, ["guest_ds_access_rights"] = 0xc0f3, ["guest_ds_limit"] = 0xfffff001, ["guest_ds_base"] = 0x200,
            ["guest_ss_selector"] = 0x18, ["guest_ss_access_rights"] = 0xc093, ["guest_ss_limit"] = 0xfffff002, ["guest_ss_base"] = 0x300,
            ["guest_es_selector"] = 0x28, ["guest_es_access_rights"] = 0xc0f2, ["guest_es_limit"] = 0xfffff003, ["guest_es_base"] = 0x400,
            ["guest_fs_selector"] = 0x30, ["guest_fs_access_rights"] = 0xc0f1, ["guest_fs_limit"] = 0xfffff004, ["guest_fs_base"] = 0x7f3a2c1ff740,
            ["guest_gs_selector"] = 0x38, ["guest_gs_access_rights"] = 0xc0f0, ["guest_gs_limit"] = 0xfffff005, ["guest_gs_base"] = 0xffff88813bc00000,
            ["guest_gdtr_limit"] = 0x7f, ["guest_gdtr_base"] = 0xfffffe0000001000, ["guest_idtr_limit"] = 0xffe, ["guest_idtr_base"] = 0xfffffe0000000000,
            ["guest_ldtr_selector"] = 0x40, ["guest_ldtr_access_rights"] = 0x82, ["guest_ldtr_limit"] = 0xffff, ["guest_ldtr_base"] = 0x500,
            ["guest_tr_selector"] = 0x48, ["guest_tr_access_rights"] = 0x8b, ["guest_tr_limit"] = 0x4087, ["guest_tr_base"] = 0xfffffe0000003000,
            ["guest_ia32_fred_config"] = 0xa0b, ["guest_ia32_fred_stklvls"] = 0xc0,
            ["guest_ia32_fred_rsp1"] = 0xffffc90000c10000, ["guest_ia32_fred_rsp2"] = 0xffffc90000c20000, ["guest_ia32_fred_rsp3"] = 0xffffc90000c30000,
            ["guest_ia32_pat"] = 0x0407050600070106,
            ["guest_ia32_debugctl"] = 0x1, ["guest_pending_debug_exceptions"] = 0x4000,
            ["guest_ia32_perf_global_ctrl"] = 0x70000000f, ["guest_ia32_bndcfgs"] = 0x3,
            ["guest_interruptibility_state"] = 0x8, ["guest_activity_state"] = 0x1,
            ["guest_interrupt_status"] = 0x31ec, // "InterruptStatus = 31ec" and "SVI|RVI = 31|ec" agree
            ["host_rip"] = 0xffffffffc0d2a460, ["host_rsp"] = 0xffffc90001e3bd68,
            ["host_cs_selector"] = 0x10, ["host_ss_selector"] = 0x18, ["host_ds_selector"] = 0, ["host_es_selector"] = 0,
            ["host_fs_selector"] = 0, ["host_gs_selector"] = 0, ["host_tr_selector"] = 0x40,
            ["host_fs_base"] = 0x7f3a2e8ff640, ["host_gs_base"] = 0xffff88885f600000, ["host_tr_base"] = 0xfffffe000019e000,
            ["host_gdtr_base"] = 0xfffffe000019c000, ["host_idtr_base"] = 0xfffffe0000000000,
            ["host_ia32_fred_config"] = 0xc0d, ["host_ia32_fred_stklvls"] = 0xe0,
            ["host_ia32_fred_rsp1"] = 0xffffc90001e40000, ["host_ia32_fred_rsp2"] = 0xffffc90001e50000, ["host_ia32_fred_rsp3"] = 0xffffc90001e60000,
            ["host_cr0"] = 0x80050033, ["host_cr3"] = 0x104e62005, ["host_cr4"] = 0xf72ef0,
            ["host_ia32_sysenter_esp"] = 0xfffffe000019e000, ["host_ia32_sysenter_cs"] = 0x10, ["host_ia32_sysenter_eip"] = 0xffffffff81c01b80,
            ["host_ia32_efer"] = 0xd01, ["host_ia32_pat"] = 0x0407050600070107, ["host_ia32_perf_global_ctrl"] = 0x70000000e,
            ["primary_processor_based_vm_execution_controls"] = 0xb5a26dfa,
            ["secondary_processor_based_vm_execution_controls"] = 0x02b637eb, // activated: proc bit 31
            ["tertiary_processor_based_vm_execution_controls"] = 0x10, // activated: proc bit 17
            ["pin_based_vm_execution_controls"] = 0xff, ["vm_entry_controls"] = 0x00e0d3ff,
            ["primary_vm_exit_controls"] = 0x80ffeffb, ["secondary_vm_exit_controls"] = 0x2, // activated: exit bit 31
            ["exception_bitmap"] = 0x60042, ["page_fault_error_code_mask"] = 0x3, ["page_fault_error_code_match"] = 0x1,
            ["vm_entry_interruption_information_field"] = 0x80000b0e, ["vm_entry_exception_error_code"] = 0x2,
            ["vm_entry_instruction_length"] = 0x3, ["injected_event_data"] = 0x1234,
            ["vm_exit_interruption_information"] = 0x80000306, ["vm_exit_interruption_error_code"] = 0x4, ["vm_exit_instruction_length"] = 0x5,
            ["exit_reason"] = 0x80000021, ["exit_qualification"] = 0x7,
            ["idt_vectoring_information_field"] = 0x8000030d, ["idt_vectoring_error_code"] = 0x6,
            ["tsc_offset"] = 0xfffffe2a3c8e1d00, ["tsc_multiplier"] = 0x0001000000000000, ["tpr_threshold"] = 0x0a,
            ["apic_access_address"] = 0x112a4f000, ["virtual_apic_address"] = 0x112a50000,
            ["posted_interrupt_notification_vector"] = 0xf2, ["ept_pointer"] = 0x10a3b205e,
            ["ple_gap"] = 0x80, ["ple_window"] = 0x1000, ["virtual_processor_identifier"] = 0x7,
            ["virtualization_exception_information_address"] = 0x112a51000,
        });

        // Not VMCS fields: the autoload EFER, KVM's MSR lists, RSP0, the #VE information area, event data printed as 0.
        Assert.Contains(vmcs.Notes, n => n.Subject == "autoload guest EFER" && n.Value == 0xd01 && n.At == new DumpLocation(25, 36));
        Assert.Equal(new (string, uint?, ulong)[] { ("guest autoload [0]", 0xc0000080, 0xd01), ("guest autoload [1]", 0xda0, 0x100), ("guest autostore [0]", 0x48, 0x5), ("host autoload [0]", 0xda0, 0) },
            vmcs.Notes.Where(n => n.Msr is not null).Select(n => (n.Subject, n.Msr, n.Value)).ToArray());
        Assert.Equal(new[] { 0xffffc90000b18000UL, 0xffffc90001e3c000UL }, vmcs.Notes.Where(n => n.Subject == "FRED RSP0").Select(n => n.Value));
        Assert.Contains(vmcs.Notes, n => n.Subject == "#VE information: EPTP index" && n.Value == 2);
        Assert.Contains(vmcs.Notes, n => n.Subject == "original_event_data" && n.At.Line == 60);
        // The SVI|RVI line stores at the SVI digits; InterruptStatus came first and keeps its location.
        Assert.Equal(new DumpLocation(31, 48), vmcs.LocationOf(VmcsFieldCatalog.Find((uint)VmcsField.GuestInterruptStatus)!));
    }

    [Fact]
    public void Every_line_of_the_4_19_format_maps_to_its_field()
    {
        var vmcs = Load("features-4.19.log");
        AssertExactly(vmcs, new Dictionary<string, ulong>
        {
            ["guest_cr0"] = 0x80000031, ["cr0_read_shadow"] = 0x60000010, ["cr0_guest_host_mask"] = 0xfffffffffffffff7,
            ["guest_cr4"] = 0x2030, ["cr4_read_shadow"] = 0x30, ["cr4_guest_host_mask"] = 0xffffffffffffe871,
            ["guest_cr3"] = 0xbad000,
            ["guest_pdpte0"] = 0xb01001, ["guest_pdpte1"] = 0xb02001, ["guest_pdpte2"] = 0xb03001, ["guest_pdpte3"] = 0xb04001,
            ["guest_rsp"] = 0x8ff00, ["guest_rip"] = 0xc0100000, ["guest_rflags"] = 0x202, ["guest_dr7"] = 0x400,
            ["guest_ia32_sysenter_esp"] = 0, ["guest_ia32_sysenter_cs"] = 0, ["guest_ia32_sysenter_eip"] = 0,
            ["guest_cs_selector"] = 0x60, ["guest_cs_access_rights"] = 0xc09b, ["guest_cs_limit"] = 0xffffffff, ["guest_cs_base"] = 0,
            ["guest_ds_selector"] = 0x68, ["guest_ds_access_rights"] = 0xc093, ["guest_ds_limit"] = 0xffffffff, ["guest_ds_base"] = 0,
            ["guest_ss_selector"] = 0x68, ["guest_ss_access_rights"] = 0xc093, ["guest_ss_limit"] = 0xffffffff, ["guest_ss_base"] = 0,
            ["guest_es_selector"] = 0x68, ["guest_es_access_rights"] = 0xc093, ["guest_es_limit"] = 0xffffffff, ["guest_es_base"] = 0,
            ["guest_fs_selector"] = 0xd8, ["guest_fs_access_rights"] = 0x4093, ["guest_fs_limit"] = 0xfffff, ["guest_fs_base"] = 0x1e2b000,
            ["guest_gs_selector"] = 0xe0, ["guest_gs_access_rights"] = 0x4091, ["guest_gs_limit"] = 0x18, ["guest_gs_base"] = 0x1e2c000,
            ["guest_gdtr_limit"] = 0xff, ["guest_gdtr_base"] = 0x1e24000, ["guest_idtr_limit"] = 0x7ff, ["guest_idtr_base"] = 0xfffba000,
            ["guest_ldtr_selector"] = 0, ["guest_ldtr_access_rights"] = 0x10000, ["guest_ldtr_limit"] = 0, ["guest_ldtr_base"] = 0,
            ["guest_tr_selector"] = 0x80, ["guest_tr_access_rights"] = 0x8b, ["guest_tr_limit"] = 0x206b, ["guest_tr_base"] = 0x1e2a000,
            ["guest_ia32_debugctl"] = 0, ["guest_pending_debug_exceptions"] = 0, ["guest_ia32_perf_global_ctrl"] = 0x3,
            ["guest_interruptibility_state"] = 0x1, ["guest_activity_state"] = 0, ["guest_interrupt_status"] = 0xf1,
            ["host_rip"] = 0xffffffffc0e19b40, ["host_rsp"] = 0xffffb1a3c15f7c90,
            ["host_cs_selector"] = 0x10, ["host_ss_selector"] = 0x18, ["host_ds_selector"] = 0, ["host_es_selector"] = 0,
            ["host_fs_selector"] = 0, ["host_gs_selector"] = 0, ["host_tr_selector"] = 0x40,
            ["host_fs_base"] = 0x7f1e5d7fe700, ["host_gs_base"] = 0xffff9b4e5fa00000, ["host_tr_base"] = 0xfffffe0000033000,
            ["host_gdtr_base"] = 0xfffffe0000031000, ["host_idtr_base"] = 0xfffffe0000000000,
            ["host_cr0"] = 0x80050033, ["host_cr3"] = 0x46b0e4006, ["host_cr4"] = 0x3626e0,
            ["host_ia32_sysenter_esp"] = 0xfffffe0000033000, ["host_ia32_sysenter_cs"] = 0x10, ["host_ia32_sysenter_eip"] = 0xffffffff91801590,
            ["host_ia32_perf_global_ctrl"] = 0x70000000f,
            ["pin_based_vm_execution_controls"] = 0xff, ["primary_processor_based_vm_execution_controls"] = 0xb5a06dfa,
            ["secondary_processor_based_vm_execution_controls"] = 0x237ea,
            ["vm_entry_controls"] = 0xf3ff, ["primary_vm_exit_controls"] = 0x2fefff,
            ["exception_bitmap"] = 0x60042, ["page_fault_error_code_mask"] = 0, ["page_fault_error_code_match"] = 0,
            ["vm_entry_interruption_information_field"] = 0x800000ec, ["vm_entry_exception_error_code"] = 0, ["vm_entry_instruction_length"] = 0,
            ["vm_exit_interruption_information"] = 0, ["vm_exit_interruption_error_code"] = 0, ["vm_exit_instruction_length"] = 1,
            ["exit_reason"] = 0x80000021, ["exit_qualification"] = 0,
            ["idt_vectoring_information_field"] = 0, ["idt_vectoring_error_code"] = 0,
            ["tsc_offset"] = 0xffffd8e4b3c2a1f0, ["tpr_threshold"] = 0, ["posted_interrupt_notification_vector"] = 0xf2,
            ["ept_pointer"] = 0x45ac9c05e, ["cr3_target_value_0"] = 0xc01000, ["cr3_target_value_1"] = 0xc02000,
            ["ple_gap"] = 0x80, ["ple_window"] = 0x1000, ["virtual_processor_identifier"] = 0x3,
        });
        Assert.Empty(vmcs.Notes);
    }

    [Theory]
    [InlineData("guest-cs-access-rights-present-clear.log", "guest_cs_access_rights", 0xa01bUL)]
    [InlineData("host-cr4-pae-clear-with-host-address-space-size.log", "host_cr4", 0x2000UL)]
    [InlineData("entry-interruption-type-reserved.log", "vm_entry_interruption_information_field", 0x80000100UL)]
    [InlineData("guest-rflags-bit1-clear.log", "guest_rflags", 0UL)]
    public void Each_failing_fixture_is_the_baseline_with_one_field_broken(string fixture, string brokenField, ulong brokenValue)
    {
        // The checks to come must fail these for exactly one reason: CS access rights with P (bit 7) clear; host CR4.PAE
        // clear while exit.host_address_space_size is 1; an injected event of interruption type 1 (reserved) with the
        // valid bit set; RFLAGS bit 1 (reserved, must be 1) clear. Here: the reader sees that one difference.
        var expected = Baseline();
        foreach (var i in Enumerable.Range(0, 4)) expected[$"guest_pdpte{i}"] = 0;
        expected[brokenField] = brokenValue;
        AssertExactly(Load(fixture), expected);
    }

    [Fact]
    public void A_field_the_dump_does_not_show_reads_as_unsupported_component()
    {
        var vmcs = Load("baseline-6x.log");
        var error12 = VmxResult.FailValid((uint)VmInstructionError.VmreadVmwriteUnsupportedVmcsComponent);
        Assert.Equal(12u, error12.Error);
        // KVM never prints the VMCS link pointer; this dump has no guest IA32_EFER (it shows the effective EFER) nor EPT pointer.
        foreach (var field in new[] { VmcsField.VmcsLinkPointer, VmcsField.GuestIa32Efer, VmcsField.EptPointer, VmcsField.VmcsLinkPointer + 1 })
        {
            Assert.Equal(error12, vmcs.Read(field, out var value));
            Assert.Equal(0UL, value);
        }
        var typed = new Vmcs<PartialVmcs>(vmcs);
        Assert.Equal(0x100000UL, typed.GuestRip);
        var e = Assert.Throws<VmxInstructionException>(() => typed.GuestIa32Efer);
        Assert.Equal(error12, e.Result);
        // The high half of a present 64-bit field reads like VMREAD's high access (encoding + 1).
        var fred = Load("features-fred.log");
        Assert.Equal(VmxResult.Success, fred.Read(VmcsField.GuestIa32Pat + 1, out var patHigh));
        Assert.Equal(0x04070506UL, patHigh);
    }

    private const string GuestHeader = "*** Guest State ***";

    [Theory]
    [InlineData("")]
    [InlineData("[ 4711.120023] ")]
    [InlineData("[ 4711.120023] kvm_intel: ")]
    [InlineData("<3>[    1.500000][ T1234] kvm_intel: ")]
    [InlineData("<3>")]
    [InlineData("Dec  2 14:00:01 hv01 kernel: ")]
    [InlineData("Dec 12 14:00:01 hv01 kernel: [  812.345007] ")]
    [InlineData("2026-12-02T14:00:01.123456+00:00 hv01 kernel: kvm: ")]
    [InlineData("[Wed Dec  2 14:00:01 2026] kvm-intel: ")]
    [InlineData("kvm_intel: ")]
    public void Kernel_log_prefixes_are_stripped(string prefix)
    {
        var vmcs = KvmVmcsDump.Parse($"{prefix}{GuestHeader}\n{prefix}CR3 = 0x0000000000001000\n{prefix}        reason=1\n", "dmesg.txt");
        Assert.Equal(VmxResult.Success, vmcs.Read(VmcsField.GuestCr3, out var cr3));
        Assert.Equal(0x1000UL, cr3);
        Assert.Equal(new DumpLocation(2, prefix.Length + "CR3 = ".Length + 1), vmcs.LocationOf(VmcsFieldCatalog.Find((uint)VmcsField.GuestCr3)!));
        Assert.False(vmcs.Contains(VmcsField.ExitReason)); // "reason=" is a control-state line: ignored in the guest section
    }

    [Theory]
    // line 2 is the malformed one; the column points at what is wrong.
    [InlineData("CR3 = 0xzz", 7, "a hex number for guest_cr3")]
    [InlineData("RSP = 0x1  RIP 0x2", 16, "\"=\"")]
    [InlineData("CS:   sel=0x0008, attr=0x0a09b, limit=0xffffffff", 49, "\",\"")]
    [InlineData("CS:   sel=0x10008, attr=0x0a09b, limit=0xffffffff, base=0x0", 11, "0x10008 does not fit guest_cs_selector (16 bits)")]
    [InlineData("RFLAGS=0x2 DR7 = 0x400 trailing", 24, "the end of the line")]
    [InlineData("Interruptibility = 00000000 ActivityState = 0000000g", 52, "a hex digit in guest_activity_state")]
    [InlineData("EFER= 0x0000000000000500 (efective)", 26, "the end of the line")]
    [InlineData("PDPTR0 = 0x11112222333344445 PDPTR1 = 0x0", 10, "at most 64 bits")]
    public void A_malformed_dump_line_is_a_located_error(string line, int column, string problem)
    {
        var text = $"[ 1.000000] kvm_intel: {GuestHeader}\n{line}\n";
        var e = Assert.Throws<DumpFormatException>(() => KvmVmcsDump.Parse(text, "kvm.log"));
        Assert.Equal(2, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains(problem, e.Problem);
        Assert.StartsWith($"kvm.log(2,{column}): ", e.Message);
    }

    [Theory]
    [InlineData("*** Control State ***\nCR3 target4=0000000000001000", 2, 11, "there is no CR3-target value 4")]
    [InlineData("*** Control State ***\nTSC Offset = 0x1\nTSC Multiplier = 0x", 3, 18, "a hex number for tsc_multiplier")]
    [InlineData("*** Guest State ***\nMSR guest autoload:\n   0: msr=0xc0000080 value=", 3, 28, "malformed entry of KVM's MSR guest autoload list")]
    [InlineData("*** Guest State ***\nMSR guest autoload:\n   0: msr=0x1c0000080 value=0x0", 3, 11, "an MSR index has 32 bits")]
    [InlineData("*** Guest State ***\nInterruptStatus = 0001\n*** Host State ***\n*** Control State ***\nSVI|RVI = 00|02 TPR Threshold = 0x00", 5, 11, "guest_interrupt_status is 0x2 here but 0x1 on line 2")]
    [InlineData("*** Control State ***\nSVI|RVI = 100|02 TPR Threshold = 0x00", 2, 11, "SVI and RVI are one byte each")]
    [InlineData("*** Guest State ***\nCR3 = 0x1\n*** Host State ***\n*** Guest State ***", 4, 1, "a second VMCS dump starts here")]
    [InlineData("*** Control State ***\n*** Host State ***", 2, 1, "a second VMCS dump starts here")]
    public void Inconsistent_dumps_are_located_errors(string text, int line, int column, string problem)
    {
        var e = Assert.Throws<DumpFormatException>(() => KvmVmcsDump.Parse(text, "kvm.log"));
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.Contains(problem, e.Problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello\nworld\n")]
    [InlineData("{\"revision\": \"0x4\", \"fields\": {}}")]
    // What QEMU prints on stderr: looks like the host-state lines, but is not KVM's dump.
    [InlineData("KVM: entry failed, hardware error 0x80000021\nRAX=0000000000000000 RBX=0000000000000000\nCR0=80050033 CR2=0000000000000000 CR3=0000000001a0c000 CR4=00350ef0\nEFER=0000000000000d01\n")]
    public void Text_without_a_dump_is_rejected_with_a_clear_message(string text)
    {
        var e = Assert.Throws<DumpFormatException>(() => KvmVmcsDump.Parse(text, "pasted.txt"));
        Assert.Equal((1, 1), (e.Line, e.Column));
        Assert.Contains("no KVM VMCS dump here", e.Problem);
        Assert.Contains("*** Guest State ***", e.Problem);
        Assert.Contains("kvm_intel.dump_invalid_vmcs=1", e.Problem);
    }

    [Fact]
    public void Lines_the_dump_never_prints_are_skipped_even_inside_it()
    {
        var vmcs = KvmVmcsDump.Parse(string.Join("\n",
            "[ 1.0] kvm_intel: *** Guest State ***",
            "[ 1.0] kvm_intel: PKRS = 0x0000000000000001", // a posted patch's line, not one any release prints
            "[ 1.0] kvm_intel: set kvm_intel.dump_invalid_vmcs=1 to dump internal KVM state.",
            "[ 1.0] usb 1-1: reset high-speed USB device number 2 using xhci_hcd",
            "[ 1.0] kvm_intel: CR3 = 0x2000",
            "[ 1.0] kvm_intel: CR0=0000000080050033 CR3=0000000104e62005 CR4=0000000000f72ef0"), "kvm.log"); // host words in the guest part
        Assert.Equal(new[] { "guest_cr3" }, vmcs.Fields.Select(f => f.Field.Id));
    }

    [Theory]
    // KVM prints 0 for a control field the processor lacks: a 0 is kept only when its activating control is 1; any other
    // value can only come from a VMREAD, so it is kept.
    [InlineData("PinBased=00000000 CPUBased=00000000 SecondaryExec=00000002", true)]
    [InlineData("PinBased=00000000 CPUBased=80000000 SecondaryExec=00000000", true)]
    [InlineData("PinBased=00000000 CPUBased=7fffffff SecondaryExec=00000000", false)]
    public void A_zero_secondary_control_counts_only_when_activated(string line, bool present)
    {
        var vmcs = KvmVmcsDump.Parse($"*** Control State ***\n{line}\n", "kvm.log");
        Assert.Equal(present, vmcs.Contains(VmcsField.SecondaryProcessorBasedVmExecutionControls));
        Assert.Equal(!present, vmcs.Notes.Any(n => n.Subject == "secondary_processor_based_vm_execution_controls"));
    }

    [Fact]
    public void A_truncated_dump_keeps_what_it_shows()
    {
        var vmcs = KvmVmcsDump.Parse("*** Control State ***\nPLE Gap=00000080 Window=00001000\n", "tail.log");
        Assert.Equal(new[] { ("ple_gap", 0x80UL), ("ple_window", 0x1000UL) }, vmcs.Fields.Select(f => (f.Field.Id, f.Value)));
        Assert.Equal("tail.log", vmcs.Source);
        Assert.Null(vmcs.RevisionId);
        Assert.Null(vmcs.LaunchState);
    }
}

using System.Linq;
using Xunit;

namespace Vmx.Runtime.Tests;

/// <summary>The four Bochs models' capability dumps, read against values worked out by hand from the SDM's MSR formats
/// (Appendix A) and the measurements in bochs.md.</summary>
public class CapabilityTests
{
    [Fact]
    public void Skylake_pin_based_controls_from_0x0000007f00000016()
    {
        // Allowed-0 0x16: bits 1, 2, 4 must be 1. Allowed-1 0x7f: bits 0-6 may be 1, so 0, 3, 5, 6 are flexible; 7 must be 0.
        var pin = Fixtures.Caps(Fixtures.Skylake).Control(ControlFieldKind.Pin);
        foreach (var bit in new[] { 1, 2, 4 }) Assert.Equal(ControlSetting.MustBe1, pin.Setting(bit));
        foreach (var bit in new[] { 0, 3, 5, 6 }) Assert.Equal(ControlSetting.Flexible, pin.Setting(bit));
        Assert.Equal(ControlSetting.MustBe0, pin.Setting(7));
        Assert.Equal(0x16UL, pin.Allowed0);
        Assert.Equal(0x7fUL, pin.Allowed1);
    }

    [Fact]
    public void Skylake_basic_and_misc()
    {
        var caps = Fixtures.Caps(Fixtures.Skylake);
        // IA32_VMX_BASIC 0x00d810000000002b: revision 0x2b, bits 44:32 = 0x1000, bits 53:50 = 6 (WB), bits 54, 55 set.
        Assert.Equal(0x2bU, caps.VmcsRevisionId);
        Assert.Equal(4096, caps.VmcsRegionSize);
        Assert.Equal(MemoryType.WriteBack, caps.Basic.MemoryType);
        Assert.True(caps.UsesTrueControls);
        Assert.True(caps.Basic.InsOutsInstructionInformation);
        // IA32_VMX_MISC 0x600401e0: rate 0, LMA stored (5), HLT/shutdown/wait-for-SIPI (6-8), 4 CR3 targets (24:16),
        // 512 MSRs (27:25 = 0), VMWRITE to any field (29), zero-length injection (30).
        Assert.Equal(0, caps.Misc.PreemptionTimerTscRatio);
        Assert.True(caps.Misc.StoreEferLmaOnExit);
        Assert.True(caps.Misc.ActivityStateHlt && caps.Misc.ActivityStateShutdown && caps.Misc.ActivityStateWaitForSipi);
        Assert.Equal(4, caps.Misc.Cr3TargetCount);
        Assert.Equal(512, caps.MaxMsrListEntries);
        Assert.True(caps.VmwriteAnyField);
        // IA32_VMX_VMCS_ENUM 0x34: bits 9:1 = 26.
        Assert.Equal(26, caps.VmcsEnum.HighestIndex);
        // CR0_FIXED0 0x80000021 = PE | NE | PG; CR4_FIXED0 0x2000 = VMXE.
        Assert.True(caps.Cr0Fixed0.Pe && caps.Cr0Fixed0.Ne && caps.Cr0Fixed0.Pg);
        Assert.True(caps.Cr4Fixed0.Vmxe);
    }

    [Fact]
    public void Tigerlake_revision_4_and_no_error_code_consistency_bit_56()
    {
        var caps = Fixtures.Caps(Fixtures.Tigerlake);
        Assert.Equal(4U, caps.VmcsRevisionId);
        Assert.True(caps.Basic.NoErrorCodeConsistency);
    }

    [Fact]
    public void True_msrs_are_used_exactly_when_basic_bit_55_is_set()
    {
        // IA32_VMX_PROCBASED_CTLS 0x...0401e172 reports CR3-load/store exiting (15, 16) as must-be-1; the TRUE MSR
        // 0x...04006172 lets them be 0.
        var withTrue = Fixtures.Caps(Fixtures.Skylake).Control(ControlFieldKind.Proc);
        Assert.Equal("IA32_VMX_TRUE_PROCBASED_CTLS", withTrue.Msr!.Name);
        Assert.Equal(ControlSetting.Flexible, withTrue.Setting(15));
        Assert.Equal(ControlSetting.Flexible, withTrue.Setting(16));

        var noTrue = Fixtures.CapsWith(Fixtures.Skylake, (Msr.Ia32VmxBasic, 0x00d810000000002bUL & ~(1UL << 55))).Control(ControlFieldKind.Proc);
        Assert.Equal("IA32_VMX_PROCBASED_CTLS", noTrue.Msr!.Name);
        Assert.Equal(ControlSetting.MustBe1, noTrue.Setting(15));
        Assert.Equal(ControlSetting.MustBe1, noTrue.Setting(16));
    }

    [Fact]
    public void Penryn_has_no_ept_vpid_or_vm_functions()
    {
        var caps = Fixtures.Caps(Fixtures.Penryn);
        // PROCBASED_CTLS2 0x0000004100000000: only virtualize APIC accesses (0) and WBINVD exiting (6) may be 1.
        Assert.False(caps.IsAllowed1(ControlFieldKind.Proc2, 1));
        Assert.False(caps.IsAllowed1(ControlFieldKind.Proc2, 5));
        Assert.True(caps.IsAllowed1(ControlFieldKind.Proc2, 6));
        Assert.Null(caps.EptVpid);
        Assert.Null(caps.Vmfunc);
        Assert.False(caps.FieldExists(VmcsField.EptPointer));
        Assert.False(caps.FieldExists(VmcsField.VirtualProcessorIdentifier));
        Assert.False(caps.Control(ControlFieldKind.Vmfunc).IsAvailable);
    }

    [Fact]
    public void Lynnfield_has_ept_without_unrestricted_guest()
    {
        var caps = Fixtures.Caps(Fixtures.Lynnfield);
        // PROCBASED_CTLS2 0x0000007f00000000: bits 0-6 may be 1 (EPT is 1, VPID 5), unrestricted guest (7) may not.
        Assert.True(caps.IsAllowed1(ControlFieldKind.Proc2, 1));
        Assert.False(caps.IsAllowed1(ControlFieldKind.Proc2, 7));
        Assert.True(caps.FieldExists(VmcsField.EptPointer));
        Assert.NotNull(caps.EptVpid);
        Assert.True(caps.EptVpid!.Value.PageWalkLength4);
        // No "enable VM functions" (13): no VMFUNC MSR and no VM-function controls field.
        Assert.Null(caps.Vmfunc);
        Assert.False(caps.FieldExists(VmcsField.VmFunctionControls));
        // IA32_VMX_MISC 0x401e0 lacks bit 29.
        Assert.False(caps.VmwriteAnyField);
    }

    [Fact]
    public void Skylake_has_unrestricted_guest_and_eptp_switching()
    {
        var caps = Fixtures.Caps(Fixtures.Skylake);
        Assert.True(caps.IsAllowed1(ControlFieldKind.Proc2, 7));
        Assert.True(caps.Vmfunc!.Value.EptpSwitching);
        Assert.True(caps.FieldExists(VmcsField.VmFunctionControls));
    }

    [Fact]
    public void Secondary_controls_count_only_if_primary_allows_activating_them()
    {
        // Skylake's TRUE_PROCBASED with allowed-1 bit 31 (MSR bit 63) cleared: PROCBASED_CTLS2 is not consulted at all.
        var caps = Fixtures.CapsWith(Fixtures.Skylake, (Msr.Ia32VmxTrueProcbasedCtls, 0x77f9fffe04006172UL));
        Assert.False(caps.Control(ControlFieldKind.Proc2).IsAvailable);
        Assert.Contains("IA32_VMX_TRUE_PROCBASED_CTLS bit 63", caps.Control(ControlFieldKind.Proc2).Unavailable);
        Assert.False(caps.FieldExists(VmcsField.EptPointer));
        Assert.Null(caps.EptVpid);
    }

    [Fact]
    public void Tertiary_controls_need_activate_tertiary_controls()
    {
        // Every model: TRUE_PROCBASED allowed-1 bit 17 (MSR bit 49) is 0, and 0x492 raises #GP.
        foreach (var model in new[] { Fixtures.Skylake, Fixtures.Tigerlake, Fixtures.Lynnfield, Fixtures.Penryn })
        {
            var proc3 = Fixtures.Caps(model).Control(ControlFieldKind.Proc3);
            Assert.False(proc3.IsAvailable);
            Assert.Contains("bit 49 (proc.activate_tertiary_controls) is 0", proc3.Unavailable);
        }
        Assert.False(Fixtures.Caps(Fixtures.Tigerlake).FieldExists(VmcsField.TertiaryProcessorBasedVmExecutionControls));
    }

    [Fact]
    public void Field_existence_follows_the_spec_conditions()
    {
        var skylake = Fixtures.Caps(Fixtures.Skylake);
        var penryn = Fixtures.Caps(Fixtures.Penryn);
        Assert.True(skylake.FieldExists(VmcsField.GuestRip));
        Assert.True(penryn.FieldExists(VmcsField.GuestRip));
        // The high half of a 64-bit field exists with the field (encoding | 1).
        Assert.True(skylake.FieldExists((VmcsField)((uint)VmcsField.EptPointer | 1)));
        Assert.False(penryn.FieldExists((VmcsField)((uint)VmcsField.EptPointer | 1)));
        Assert.False(skylake.FieldExists((VmcsField)0xFFFF));
        // Posted-interrupt notification vector needs pin bit 7, which no model allows.
        Assert.False(skylake.FieldExists(VmcsField.PostedInterruptNotificationVector));
        Assert.True(skylake.ExistingFields.Count() > penryn.ExistingFields.Count());
    }

    [Fact]
    public void A_snapshot_without_vmx_msrs_is_rejected_naming_them()
    {
        var e = Assert.Throws<System.ArgumentException>(() => Fixtures.CapsWith(Fixtures.Skylake, (Msr.Ia32VmxBasic, null), (Msr.Ia32VmxMisc, null)));
        Assert.Contains("IA32_VMX_BASIC (0x480)", e.Message);
        Assert.Contains("IA32_VMX_MISC (0x485)", e.Message);
    }

    [Fact]
    public void Report_shows_every_control_bit_as_must_be_1_must_be_0_or_flexible()
    {
        var report = CapabilityReport.Format(Fixtures.Caps(Fixtures.Skylake));
        Assert.Contains("VMCS revision 0x2b, region 4096 bytes", report);
        Assert.Matches(@"\n   1  reserved_1 +must-be-1\n", report);
        Assert.Matches(@"\n   0  external_interrupt_exiting +flexible\n", report);
        Assert.Matches(@"\n   7  process_posted_interrupts +must-be-0\n", report);
        Assert.Contains("proc3: Tertiary Processor-Based VM-Execution Controls (IA32_VMX_PROCBASED_CTLS3)", report);
        var bitLines = report.Split('\n').Count(l => l.EndsWith("must-be-1") || l.EndsWith("must-be-0") || l.EndsWith("flexible"));
        var availableBits = Fixtures.Caps(Fixtures.Skylake).Controls.Where(c => c.IsAvailable).Sum(c => c.Field.Bits.Count);
        Assert.True(bitLines >= availableBits);
    }
}

public class CapabilityWarningTests
{
    [Theory]
    [InlineData(Fixtures.Skylake)]
    [InlineData(Fixtures.Tigerlake)]
    [InlineData(Fixtures.Lynnfield)]
    [InlineData(Fixtures.Penryn)]
    public void Real_processors_report_nothing_impossible(string model)
    {
        Assert.Empty(CapabilityReport.Warnings(Fixtures.Caps(model)));
        Assert.DoesNotContain("warning", CapabilityReport.Format(Fixtures.Caps(model)));
    }

    // Skylake-X IA32_VMX_BASIC is 0x00d810000000002b: region size 4096 (bits 44:32), memory type 6 = WB (bits 53:50).
    [Theory]
    [InlineData(0x00d800000000002bUL, "VMCS region size of 0 bytes; the SDM allows 1 to 4096")]
    [InlineData(0x00d810010000002bUL, "VMCS region size of 4097 bytes; the SDM allows 1 to 4096")]
    [InlineData(0x00c810000000002bUL, "memory type 2, which is not a defined memory type (0 uncacheable, 1 write_combining, 4 write_through, 5 write_protected, 6 write_back, 7 uncacheable_minus)")]
    [InlineData(0x00cc10000000002bUL, "memory type 3, which is not a defined memory type")]
    [InlineData(0x00d810008000002bUL, "IA32_VMX_BASIC bit 31 is set; the SDM says it is always 0")]
    public void Impossible_basic_values_are_warned_of(ulong basic, string warning)
    {
        var caps = Fixtures.CapsWith(Fixtures.Skylake, (Msr.Ia32VmxBasic, basic));
        var warnings = CapabilityReport.Warnings(caps);
        Assert.Single(warnings);
        Assert.Contains(warning, warnings[0]);
        Assert.Contains("warning: " + warnings[0], CapabilityReport.Format(caps));
    }

    [Theory]
    [InlineData(0x00d810000000002bUL)] // 4096, WB
    [InlineData(0x0000000100000001UL)] // 1 byte, UC: odd but allowed
    public void Plausible_basic_values_are_not(ulong basic)
    {
        Assert.Empty(CapabilityReport.Warnings(Fixtures.CapsWith(Fixtures.Skylake, (Msr.Ia32VmxBasic, basic))));
    }

    [Fact]
    public void A_control_that_must_be_1_but_may_not_be_1_is_warned_of()
    {
        // TRUE_PINBASED 0x0000007f00000016: allowed-0 (31:0) 0x16, allowed-1 (63:32) 0x7f. Allowed-0 bit 7 with allowed-1
        // bit 7 clear says "process posted interrupts" (pin bit 7, SDM) must be 1 and must be 0.
        var caps = Fixtures.CapsWith(Fixtures.Skylake, (Msr.Ia32VmxTruePinbasedCtls, 0x0000007f00000096UL));
        var warning = Assert.Single(CapabilityReport.Warnings(caps));
        Assert.StartsWith("IA32_VMX_TRUE_PINBASED_CTLS says pin bit 7 (process_posted_interrupts) must be 1 (allowed-0 setting 1) but may not be 1", warning);
        Assert.EndsWith("(0x80)", warning);
    }

    [Fact]
    public void Set_flags_of_ept_vpid_cap_are_listed_by_their_layout_fields()
    {
        // Skylake-X IA32_VMX_EPT_VPID_CAP 0x00000f0106334141: bit 0 execute-only, bit 6 page-walk length 4, bit 8 UC,
        // bit 14 WB (SDM A.10); IA32_VMX_VMFUNC 0x1: EPTP switching (bit 0).
        var report = CapabilityReport.Format(Fixtures.Caps(Fixtures.Skylake));
        var ept = report.Split('\n').Single(l => l.StartsWith("IA32_VMX_EPT_VPID_CAP"));
        Assert.Contains("execute_only = 1, page_walk_length_4 = 1, memory_type_uc = 1", ept);
        Assert.Contains("memory_type_wb = 1", ept);
        Assert.DoesNotContain(" = 0", ept);
        Assert.Contains("eptp_switching = 1", report.Split('\n').Single(l => l.StartsWith("IA32_VMX_VMFUNC")));
    }
}

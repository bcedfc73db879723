using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Vmx.Runtime.Tests;

public class ControlAdjusterTests
{
    [Fact]
    public void Skylake_gives_ept_and_unrestricted_guest_and_turns_on_secondary_controls()
    {
        var result = ControlAdjuster.Adjust(Fixtures.Caps(Fixtures.Skylake), ControlFieldKind.Proc2,
            ControlRequest.Of(Proc2Controls.EnableEpt | Proc2Controls.UnrestrictedGuest));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((ulong)(Proc2Controls.EnableEpt | Proc2Controls.UnrestrictedGuest), result[ControlFieldKind.Proc2]);
        Assert.NotEqual(0UL, result[ControlFieldKind.Proc] & (ulong)ProcControls.ActivateSecondaryControls);
    }

    [Fact]
    public void Lynnfield_lacks_unrestricted_guest_and_the_error_names_the_msr_bit()
    {
        var result = ControlAdjuster.Adjust(Fixtures.Caps(Fixtures.Lynnfield), ControlFieldKind.Proc2,
            ControlRequest.Of(Proc2Controls.EnableEpt | Proc2Controls.UnrestrictedGuest));
        var missing = Assert.Single(result.Missing);
        // PROCBASED_CTLS2 has no TRUE_ variant; allowed-1 of control 7 is MSR bit 39.
        Assert.Equal("proc2.unrestricted_guest (bit 7): IA32_VMX_PROCBASED_CTLS2 bit 39 is 0", missing.ToString());
    }

    [Fact]
    public void Every_missing_required_control_is_named_at_once()
    {
        var requests = new Dictionary<ControlFieldKind, ControlRequest>
        {
            [ControlFieldKind.Pin] = ControlRequest.Of(PinControls.NmiExiting | PinControls.ProcessPostedInterrupts),
            [ControlFieldKind.Proc2] = ControlRequest.Of(Proc2Controls.EnableEpt | Proc2Controls.EnableVpid),
        };
        var result = ControlAdjuster.Adjust(Fixtures.Caps(Fixtures.Penryn), requests);
        Assert.False(result.Succeeded);
        // Penryn: TRUE_PINBASED 0x0000003f00000016 (bit 7 → MSR bit 39 clear); PROCBASED_CTLS2 0x0000004100000000.
        Assert.Equal(new[]
        {
            "pin.process_posted_interrupts (bit 7): IA32_VMX_TRUE_PINBASED_CTLS bit 39 is 0",
            "proc2.enable_ept (bit 1): IA32_VMX_PROCBASED_CTLS2 bit 33 is 0",
            "proc2.enable_vpid (bit 5): IA32_VMX_PROCBASED_CTLS2 bit 37 is 0",
        }, result.Missing.Select(m => m.ToString()).OrderBy(s => s));
        Assert.Contains("the processor lacks required controls", result.Error);
    }

    [Fact]
    public void Optional_controls_are_dropped_silently()
    {
        var result = ControlAdjuster.Adjust(Fixtures.Caps(Fixtures.Lynnfield), ControlFieldKind.Proc2,
            ControlRequest.Of(Proc2Controls.EnableEpt, optional: Proc2Controls.UnrestrictedGuest | Proc2Controls.EnableVpid));
        Assert.True(result.Succeeded);
        Assert.Equal((ulong)(Proc2Controls.EnableEpt | Proc2Controls.EnableVpid), result[ControlFieldKind.Proc2]);
    }

    [Fact]
    public void Default1_bits_are_set_unless_cleared_where_the_true_msr_allows()
    {
        var caps = Fixtures.Caps(Fixtures.Skylake);
        var cr3 = ProcControls.Cr3LoadExiting | ProcControls.Cr3StoreExiting;
        var keep = ControlAdjuster.Adjust(caps, ControlFieldKind.Proc, ControlRequest.Of(ProcControls.HltExiting));
        Assert.Equal((ulong)cr3, keep[ControlFieldKind.Proc] & (ulong)cr3);
        var cleared = ControlAdjuster.Adjust(caps, ControlFieldKind.Proc, ControlRequest.Of(ProcControls.HltExiting, cleared: cr3));
        Assert.Equal(0UL, cleared[ControlFieldKind.Proc] & (ulong)cr3);
        // Without TRUE MSRs the default1 bits are must-be-1: clearing them has no effect.
        var noTrue = Fixtures.CapsWith(Fixtures.Skylake, (Msr.Ia32VmxBasic, 0x00d810000000002bUL & ~(1UL << 55)));
        var forced = ControlAdjuster.Adjust(noTrue, ControlFieldKind.Proc, ControlRequest.Of(ProcControls.HltExiting, cleared: cr3));
        Assert.Equal((ulong)cr3, forced[ControlFieldKind.Proc] & (ulong)cr3);
        // Pin-based with nothing asked: the default1 bits 1, 2, 4 (0x16).
        Assert.Equal(0x16UL, ControlAdjuster.Adjust(caps, ControlFieldKind.Pin, default)[ControlFieldKind.Pin]);
    }

    [Fact]
    public void Tertiary_controls_fail_naming_the_primary_bit_that_gates_them()
    {
        var result = ControlAdjuster.Adjust(Fixtures.Caps(Fixtures.Skylake), ControlFieldKind.Proc3, new ControlRequest(Required: 1UL << 4));
        var missing = Assert.Single(result.Missing, m => m.Kind == ControlFieldKind.Proc3);
        Assert.Contains("IA32_VMX_TRUE_PROCBASED_CTLS bit 49 (proc.activate_tertiary_controls) is 0", missing.Reason);
        // The gate itself was required on the caller's behalf and is missing too.
        Assert.Contains(result.Missing, m => m.Kind == ControlFieldKind.Proc && m.Bit == 17);
    }

    [Fact]
    public void An_added_gate_is_dropped_when_the_gated_field_ends_up_empty()
    {
        var result = ControlAdjuster.Adjust(Fixtures.Caps(Fixtures.Penryn), ControlFieldKind.Proc2,
            ControlRequest.Of(Proc2Controls.None, optional: Proc2Controls.EnableEpt));
        Assert.True(result.Succeeded);
        Assert.Equal(0UL, result[ControlFieldKind.Proc2]);
        Assert.Equal(0UL, result[ControlFieldKind.Proc] & (ulong)ProcControls.ActivateSecondaryControls);
    }

    [Fact]
    public void Vm_functions_turn_on_enable_vm_functions_and_secondary_controls()
    {
        var result = ControlAdjuster.Adjust(Fixtures.Caps(Fixtures.Skylake), ControlFieldKind.Vmfunc, ControlRequest.Of(VmfuncControls.EptpSwitching));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(1UL, result[ControlFieldKind.Vmfunc]);
        Assert.NotEqual(0UL, result[ControlFieldKind.Proc2] & (ulong)Proc2Controls.EnableVmFunctions);
        Assert.NotEqual(0UL, result[ControlFieldKind.Proc] & (ulong)ProcControls.ActivateSecondaryControls);
    }
}

using Xunit;

namespace Vmx.Runtime.Tests;

/// <summary>Every VM-instruction error and VMfailInvalid the model returns, against the SDM's instruction pseudo-code
/// ("VMX Instruction Reference") and the error numbers of "VM Instruction Error Numbers".</summary>
public class VmxCpuModelTests
{
    private const ulong Vmxon = 0x1000, Vmcs = 0x2000, Other = 0x3000;

    private static VmxCpuModel InRoot(string model = Fixtures.Skylake)
    {
        var cpu = new VmxCpuModel(Fixtures.Caps(model));
        cpu.Allocate(Vmxon);
        cpu.Allocate(Vmcs);
        cpu.Allocate(Other);
        Assert.Equal(VmxResult.Success, cpu.Vmxon(Vmxon));
        return cpu;
    }

    private static VmxCpuModel WithCurrent(string model = Fixtures.Skylake)
    {
        var cpu = InRoot(model);
        Assert.Equal(VmxResult.Success, cpu.Vmptrld(Vmcs));
        return cpu;
    }

    private static VmxResult Valid(VmInstructionError error) => VmxResult.FailValid((uint)error);

    private static void AssertFailValid(VmxCpuModel cpu, VmxResult result, VmInstructionError error)
    {
        Assert.Equal(Valid(error), result);
        // VMfailValid stores the number in the current VMCS's VM-instruction error field.
        Assert.Equal((ulong)error, new Vmcs<VmxCpuModel>(cpu).VmInstructionError);
    }

    [Fact]
    public void Vmptrst_without_current_vmcs_gives_all_ones()
    {
        var cpu = InRoot();
        Assert.Equal(VmxResult.Success, cpu.Vmptrst(out var pointer));
        Assert.Equal(ulong.MaxValue, pointer);
        cpu.Vmptrld(Vmcs);
        cpu.Vmptrst(out pointer);
        Assert.Equal(Vmcs, pointer);
    }

    [Fact]
    public void Vmread_and_vmwrite_without_current_vmcs_fail_invalid()
    {
        var cpu = InRoot();
        Assert.Equal(VmxResult.FailInvalid, cpu.Read(VmcsField.GuestRip, out _));
        Assert.Equal(VmxResult.FailInvalid, cpu.Write(VmcsField.GuestRip, 1));
        Assert.Equal(VmxResult.FailInvalid, cpu.Vmlaunch());
        Assert.Equal(VmxResult.FailInvalid, cpu.Vmresume());
    }

    [Fact]
    public void Vmread_of_an_unsupported_field_is_error_12()
    {
        var cpu = WithCurrent();
        AssertFailValid(cpu, cpu.Read((VmcsField)0xFFFF, out _), VmInstructionError.VmreadVmwriteUnsupportedVmcsComponent);
        // Penryn has no EPT: the EPT pointer does not exist there.
        var penryn = WithCurrent(Fixtures.Penryn);
        AssertFailValid(penryn, penryn.Write(VmcsField.EptPointer, 0), VmInstructionError.VmreadVmwriteUnsupportedVmcsComponent);
    }

    [Fact]
    public void Vmwrite_to_a_read_only_field_is_error_13_unless_misc_bit_29()
    {
        var lynnfield = WithCurrent(Fixtures.Lynnfield);   // IA32_VMX_MISC 0x401e0: bit 29 clear
        AssertFailValid(lynnfield, lynnfield.Write(VmcsField.ExitReason, 12), VmInstructionError.VmwriteReadOnlyVmcsComponent);
        var skylake = WithCurrent(Fixtures.Skylake);       // IA32_VMX_MISC 0x600401e0: bit 29 set
        Assert.Equal(VmxResult.Success, skylake.Write(VmcsField.ExitReason, 12));
        Assert.Equal(12U, new Vmcs<VmxCpuModel>(skylake).ExitReason);
    }

    [Fact]
    public void Vmwrite_then_vmread_round_trips_truncated_to_the_field_width_with_high_access()
    {
        var cpu = WithCurrent();
        var vmcs = new Vmcs<VmxCpuModel>(cpu);
        vmcs.GuestEsSelector = 0x10;
        Assert.Equal(0x10, vmcs.GuestEsSelector);
        Assert.Equal(VmxResult.Success, cpu.Write(VmcsField.GuestEsSelector, 0x12345));
        Assert.Equal(0x2345, vmcs.GuestEsSelector);
        cpu.Write(VmcsField.GuestIa32Pat, 0x0007040600070406);
        Assert.Equal(VmxResult.Success, cpu.Read((VmcsField)((uint)VmcsField.GuestIa32Pat | 1), out var high));
        Assert.Equal(0x00070406UL, high);
        cpu.Write((VmcsField)((uint)VmcsField.GuestIa32Pat | 1), 0xAABBCCDD);
        cpu.Read(VmcsField.GuestIa32Pat, out var full);
        Assert.Equal(0xAABBCCDD00070406UL, full);
    }

    [Fact]
    public void Vmlaunch_needs_a_clear_vmcs_error_4()
    {
        var cpu = WithCurrent();
        Assert.Equal(VmxResult.Success, cpu.Vmlaunch());
        Assert.Equal(VmcsLaunchState.Launched, cpu.CurrentVmcs!.LaunchState);
        AssertFailValid(cpu, cpu.Vmlaunch(), VmInstructionError.VmlaunchNonClearVmcs);
        Assert.Equal(VmxResult.Success, cpu.Vmresume());
    }

    [Fact]
    public void Vmresume_needs_a_launched_vmcs_error_5()
    {
        var cpu = WithCurrent();
        AssertFailValid(cpu, cpu.Vmresume(), VmInstructionError.VmresumeNonLaunchedVmcs);
    }

    [Fact]
    public void Vmclear_makes_the_vmcs_clear_and_not_current()
    {
        var cpu = WithCurrent();
        cpu.Vmlaunch();
        Assert.Equal(VmxResult.Success, cpu.Vmclear(Vmcs));
        Assert.Equal(VmxCpuModel.NoCurrentVmcs, cpu.CurrentVmcsPointer);
        Assert.Equal(VmcsLaunchState.Clear, cpu.RegionAt(Vmcs)!.LaunchState);
        cpu.Vmptrld(Vmcs);
        Assert.Equal(VmxResult.Success, cpu.Vmlaunch());
    }

    [Fact]
    public void Vmresume_after_vmxoff_is_error_6()
    {
        var cpu = WithCurrent();
        cpu.Vmlaunch();
        cpu.Vmxoff();
        cpu.Vmxon(Vmxon);
        cpu.Vmptrld(Vmcs);
        AssertFailValid(cpu, cpu.Vmresume(), VmInstructionError.VmresumeAfterVmxoff);
    }

    [Fact]
    public void Vmclear_with_bad_pointer_is_2_and_with_vmxon_pointer_3()
    {
        var cpu = WithCurrent();
        AssertFailValid(cpu, cpu.Vmclear(Other + 8), VmInstructionError.VmclearInvalidPhysicalAddress);
        AssertFailValid(cpu, cpu.Vmclear(1UL << 50), VmInstructionError.VmclearInvalidPhysicalAddress);
        AssertFailValid(cpu, cpu.Vmclear(Vmxon), VmInstructionError.VmclearVmxonPointer);
    }

    [Fact]
    public void Vmptrld_errors_9_10_11()
    {
        var cpu = WithCurrent();
        AssertFailValid(cpu, cpu.Vmptrld(Other + 0x10), VmInstructionError.VmptrldInvalidPhysicalAddress);
        AssertFailValid(cpu, cpu.Vmptrld(Vmxon), VmInstructionError.VmptrldVmxonPointer);
        cpu.RegionAt(Other)!.RevisionId = 0x2a;
        AssertFailValid(cpu, cpu.Vmptrld(Other), VmInstructionError.VmptrldIncorrectVmcsRevisionIdentifier);
        // Memory holding no region reads as zeros: revision 0 is wrong too.
        AssertFailValid(cpu, cpu.Vmptrld(0x9000), VmInstructionError.VmptrldIncorrectVmcsRevisionIdentifier);
        // A shadow VMCS needs "VMCS shadowing", which Lynnfield lacks (PROCBASED_CTLS2 allowed-1 0x7f: bit 14 clear).
        var lynnfield = WithCurrent(Fixtures.Lynnfield);
        lynnfield.RegionAt(Other)!.ShadowVmcsIndicator = true;
        AssertFailValid(lynnfield, lynnfield.Vmptrld(Other), VmInstructionError.VmptrldIncorrectVmcsRevisionIdentifier);
    }

    [Fact]
    public void Errors_without_a_current_vmcs_are_fail_invalid()
    {
        // VMfail(error) is VMfailInvalid when there is no current VMCS to hold the number.
        var cpu = InRoot();
        Assert.Equal(VmxResult.FailInvalid, cpu.Vmptrld(Vmxon));
        Assert.Equal(VmxResult.FailInvalid, cpu.Vmclear(Vmxon));
        Assert.Equal(VmxResult.FailInvalid, cpu.Vmxon(Vmxon));
    }

    [Fact]
    public void Vmxon_in_vmx_root_operation_is_error_15()
    {
        var cpu = WithCurrent();
        AssertFailValid(cpu, cpu.Vmxon(Vmxon), VmInstructionError.VmxonInVmxRootOperation);
    }

    [Fact]
    public void Vmxon_with_bad_region_fails_invalid()
    {
        var cpu = new VmxCpuModel(Fixtures.Caps(Fixtures.Skylake));
        cpu.Place(Vmxon, new InMemoryVmcs(0x2a));
        Assert.Equal(VmxResult.FailInvalid, cpu.Vmxon(Vmxon));
        Assert.Equal(VmxResult.FailInvalid, cpu.Vmxon(Vmxon + 4));
        Assert.False(cpu.InVmxOperation);
    }

    [Fact]
    public void Vmcall_in_vmx_root_operation_is_error_1()
    {
        var cpu = WithCurrent();
        AssertFailValid(cpu, cpu.Vmcall(), VmInstructionError.VmcallInVmxRootOperation);
    }

    [Fact]
    public void Vm_entry_after_mov_ss_is_error_26()
    {
        var cpu = WithCurrent();
        cpu.EventsBlockedByMovSs = true;
        AssertFailValid(cpu, cpu.Vmlaunch(), VmInstructionError.VmEntryEventsBlockedByMovSs);
    }

    [Fact]
    public void Vmx_instructions_outside_vmx_operation_raise_ud()
    {
        var cpu = new VmxCpuModel(Fixtures.Caps(Fixtures.Skylake));
        var fault = Assert.Throws<VmxFaultException>(() => cpu.Read(VmcsField.GuestRip, out _));
        Assert.Equal("#UD", fault.Vector);
        Assert.Throws<VmxFaultException>(() => cpu.Vmptrld(Vmcs));
    }

    [Fact]
    public void Typed_accessor_on_the_model_throws_with_the_result()
    {
        var cpu = InRoot();
        var e = Assert.Throws<VmxInstructionException>(() => new Vmcs<VmxCpuModel>(cpu).GuestRip);
        Assert.Equal(VmxResult.FailInvalid, e.Result);
        Assert.Equal(VmxResult.FailInvalid, new Vmcs<VmxCpuModel>(cpu).TryReadGuestRip(out _));
    }
}

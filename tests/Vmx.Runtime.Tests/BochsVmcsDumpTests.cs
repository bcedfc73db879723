using System.IO;
using System.Linq;
using Xunit;

namespace Vmx.Runtime.Tests;

/// <summary>The VMCS dumps the C driver printed in Bochs (tests/fixtures/vmcs/&lt;model&gt;.json, written by
/// <c>UPDATE_VMCS=1 make -C driver check</c>): the 64-bit guest of scenario guest64_cpuid_loop after its HLT exit.
/// Each loads with the runtime's loader against the same model's capability dump, and holds what the driver set up
/// (driver/src/scenarios/common.c, guest_state.c, vmcs_setup.c, vmx_cpu.c, baremetal/boot.S and x86.h) and what the
/// SDM says a HLT exit stores. Expected values come from there, never from the dump.</summary>
public class BochsVmcsDumpTests
{
    public static TheoryData<string> Models => new() { Fixtures.Skylake, Fixtures.Tigerlake, Fixtures.Lynnfield, Fixtures.Penryn };

    private static string VmcsPath(string model) => Path.Combine(Fixtures.RepoRoot, "tests", "fixtures", "vmcs", model + ".json");

    private static (InMemoryVmcs Vmcs, Vmcs<InMemoryVmcs> Typed, VmxCapabilities Caps) Load(string model)
    {
        var caps = Fixtures.Caps(model);
        var vmcs = VmcsDump.Load(VmcsPath(model), caps); // rejects any field this model lacks
        return (vmcs, new Vmcs<InMemoryVmcs>(vmcs), caps);
    }

    private static ulong Read(InMemoryVmcs vmcs, VmcsField field)
    {
        Assert.Equal(VmxResult.Success, vmcs.Read(field, out var value));
        return value;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Loads_in_the_documented_format_with_every_existing_field(string model)
    {
        var (vmcs, _, caps) = Load(model);
        // VMXON/VMCS regions carry IA32_VMX_BASIC[30:0]; the guest ran, so VMLAUNCH made the VMCS launched.
        Assert.Equal(caps.VmcsRevisionId, vmcs.RevisionId);
        Assert.Equal(VmcsLaunchState.Launched, vmcs.LaunchState);
        // The driver VMREADs every field vmx_vmcs_field_exists allows: exactly the ones the capabilities say exist.
        Assert.Equal(caps.ExistingFields.Select(f => f.Id), vmcs.Fields.Select(f => f.Field.Id));
        // Same text as the C# writer: field order, spacing and hex widths of VmcsDump.Save.
        Assert.Equal(File.ReadAllText(VmcsPath(model)), VmcsDump.Save(vmcs));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void The_last_exit_is_the_guests_hlt(string model)
    {
        var (vmcs, typed, _) = Load(model);
        // Basic reason 12 (HLT), bit 31 clear: a VM exit, not a failed VM entry.
        Assert.Equal((ulong)ExitReason.Hlt, typed.ExitReason);
        Assert.Equal(12UL, typed.ExitReason);
        // HLT (F4) is one byte long; HLT exits save the instruction length.
        Assert.Equal(1UL, Read(vmcs, VmcsField.VmExitInstructionLength));
        // The guest halts with interrupts off (RFLAGS = 0x2 at entry, the guest never sets IF); bit 1 is always 1.
        var rflags = typed.GuestRflags;
        Assert.Equal(0x2UL, rflags & 0x2);
        Assert.Equal(0UL, rflags & (1UL << 9));
        // The guest is a function of the kernel, which is linked at 1 MiB in the identity-mapped low 4 GiB.
        Assert.InRange(typed.GuestRip, 0x10_0000UL, 0xFFFF_FFFFUL);
        Assert.Equal(0UL, Read(vmcs, VmcsField.GuestActivityState)); // HLT exiting: the guest never got to halt
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Control_registers_are_the_hosts_with_vmx_fixed_bits(string model)
    {
        var (_, typed, caps) = Load(model);
        var guestCr0 = typed.GuestCr0;
        var guestCr4 = typed.GuestCr4;
        // vmx_guest_setup_flat64 copies the host's CR0/CR3/CR4 into the guest; vmx_vmcs_setup_host reads the same registers.
        Assert.Equal(typed.HostCr0, guestCr0);
        Assert.Equal(typed.HostCr3, typed.GuestCr3);
        Assert.Equal(typed.HostCr4, guestCr4);

        // boot.S: CR0.PE|PG, CR4.PAE; vmx_cpu_on: CR0/CR4 FIXED0 set (NE, VMXE), FIXED1 clear bits cleared.
        var cr0 = new Cr0(guestCr0);
        Assert.True(cr0.Pe && cr0.Pg && cr0.Ne);
        Assert.Equal(caps.Cr0Fixed0.Value, guestCr0 & caps.Cr0Fixed0.Value);
        Assert.Equal(0UL, guestCr0 & ~caps.Cr0Fixed1.Value);
        var cr4 = new Cr4(guestCr4);
        Assert.True(cr4.Pae);
        Assert.True(new Cr4(typed.HostCr4).Vmxe);
        Assert.Equal(1UL << 13, typed.HostCr4 & (1UL << 13)); // SDM: CR4.VMXE is bit 13
        Assert.Equal(caps.Cr4Fixed0.Value, guestCr4 & caps.Cr4Fixed0.Value);
        Assert.Equal(0UL, guestCr4 & ~caps.Cr4Fixed1.Value);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Fields_the_driver_wrote_hold_its_values(string model)
    {
        var (vmcs, typed, _) = Load(model);
        // vmx_vmcs_setup_defaults: no VMCS shadowing (link pointer all ones), every exception exits, no CR3 targets.
        Assert.Equal(ulong.MaxValue, typed.VmcsLinkPointer);
        Assert.Equal(0xFFFF_FFFFUL, Read(vmcs, VmcsField.ExceptionBitmap));
        Assert.Equal(0UL, Read(vmcs, VmcsField.Cr3TargetCount));
        // baremetal/x86.h selectors, shared by host and guest: code 0x08, data 0x10, TSS 0x18.
        Assert.Equal(0x08UL, typed.GuestCsSelector);
        Assert.Equal(0x08UL, typed.HostCsSelector);
        Assert.Equal(0x10UL, typed.GuestSsSelector);
        Assert.Equal(0x10UL, typed.GuestDsSelector);
        Assert.Equal(0x18UL, typed.GuestTrSelector);
        Assert.Equal(0x18UL, typed.HostTrSelector);
        // scenario_controls_flat64: HLT exiting, a 64-bit host, an IA-32e mode guest.
        Assert.NotEqual(0UL, Read(vmcs, VmcsField.PrimaryProcessorBasedVmExecutionControls) & (ulong)ProcControls.HltExiting);
        Assert.NotEqual(0UL, Read(vmcs, VmcsField.PrimaryVmExitControls) & (ulong)ExitControls.HostAddressSpaceSize);
        Assert.NotEqual(0UL, Read(vmcs, VmcsField.VmEntryControls) & (ulong)EntryControls.Ia32eModeGuest);
    }
}

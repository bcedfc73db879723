using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Vmx.Runtime.Tests;

/// <summary>The baseline VMCS of spec/checks/README.md on the four Bochs models, and on capability sets that cannot
/// host a 64-bit guest. Expected values are the README's, written out here, not read back from the code.</summary>
public class VmcsBaselineTests
{
    public static TheoryData<string> Models => new() { Fixtures.Skylake, Fixtures.Tigerlake, Fixtures.Lynnfield, Fixtures.Penryn };

    private static ulong Value(InMemoryVmcs vmcs, VmcsField field) => vmcs.Read(field, out var value).IsSuccess ? value : throw new System.InvalidOperationException($"{field} unreadable");

    /// <summary>The README's non-zero values (CR0/CR4 and the controls depend on the processor and are checked apart).</summary>
    private static readonly Dictionary<VmcsField, ulong> ReadmeValues = new()
    {
        [VmcsField.GuestCr3] = 0x1000, [VmcsField.GuestDr7] = 0x400, [VmcsField.GuestRflags] = 0x2, [VmcsField.GuestRip] = 0x100000,
        [VmcsField.GuestCsSelector] = 0x8, [VmcsField.GuestCsLimit] = 0xFFFFFFFF, [VmcsField.GuestCsAccessRights] = 0xA09B,
        [VmcsField.GuestSsSelector] = 0x10, [VmcsField.GuestSsLimit] = 0xFFFFFFFF, [VmcsField.GuestSsAccessRights] = 0xC093,
        [VmcsField.GuestDsSelector] = 0x10, [VmcsField.GuestDsLimit] = 0xFFFFFFFF, [VmcsField.GuestDsAccessRights] = 0xC093,
        [VmcsField.GuestEsSelector] = 0x10, [VmcsField.GuestEsLimit] = 0xFFFFFFFF, [VmcsField.GuestEsAccessRights] = 0xC093,
        [VmcsField.GuestFsSelector] = 0x10, [VmcsField.GuestFsLimit] = 0xFFFFFFFF, [VmcsField.GuestFsAccessRights] = 0xC093,
        [VmcsField.GuestGsSelector] = 0x10, [VmcsField.GuestGsLimit] = 0xFFFFFFFF, [VmcsField.GuestGsAccessRights] = 0xC093,
        [VmcsField.GuestLdtrAccessRights] = 0x10000,
        [VmcsField.GuestTrSelector] = 0x18, [VmcsField.GuestTrLimit] = 0x67, [VmcsField.GuestTrAccessRights] = 0x8B,
        [VmcsField.GuestGdtrLimit] = 0x27, [VmcsField.GuestIdtrLimit] = 0xFFF,
        [VmcsField.VmcsLinkPointer] = ulong.MaxValue,
        [VmcsField.HostCr3] = 0x2000,
        [VmcsField.HostCsSelector] = 0x8, [VmcsField.HostSsSelector] = 0x10, [VmcsField.HostDsSelector] = 0x10,
        [VmcsField.HostEsSelector] = 0x10, [VmcsField.HostFsSelector] = 0x10, [VmcsField.HostGsSelector] = 0x10,
        [VmcsField.HostTrSelector] = 0x18, [VmcsField.HostGdtrBase] = 0x3000, [VmcsField.HostIdtrBase] = 0x4000,
        [VmcsField.HostRip] = 0x101000, [VmcsField.HostRsp] = 0x200000,
    };

    private static readonly VmcsField[] ProcessorDependent =
    {
        VmcsField.GuestCr0, VmcsField.GuestCr4, VmcsField.HostCr0, VmcsField.HostCr4,
    };

    [Theory, MemberData(nameof(Models))]
    public void Baseline_has_the_readme_values_and_zero_everywhere_else(string model)
    {
        var caps = Fixtures.Caps(model);
        var vmcs = VmcsBaseline.Create(caps);
        Assert.Equal(caps.VmcsRevisionId, vmcs.RevisionId);
        var controlFields = ControlFieldCatalog.All.Select(c => c.Field).ToHashSet();
        foreach (var (field, value) in vmcs.Fields)
        {
            if (ReadmeValues.TryGetValue(field.Field, out var expected)) Assert.True(expected == value, $"{field.Id} = 0x{value:x}, README says 0x{expected:x}");
            else if (!ProcessorDependent.Contains(field.Field) && !controlFields.Contains(field.Field))
                Assert.True(value == 0, $"{field.Id} = 0x{value:x}, README says everything else is 0");
        }
        // The README's fields all exist everywhere: none of them may be silently missing.
        Assert.All(ReadmeValues.Keys, f => Assert.True(caps.FieldExists(f), f.ToString()));
    }

    [Theory, MemberData(nameof(Models))]
    public void Baseline_controls_are_allowed0_plus_the_two_64_bit_controls(string model)
    {
        var caps = Fixtures.Caps(model);
        var vmcs = VmcsBaseline.Create(caps);
        foreach (var control in ControlFieldCatalog.All)
        {
            var capability = caps.Control(control.Kind);
            if (!caps.FieldExists(control.Field))
            {
                Assert.DoesNotContain(vmcs.Fields, f => f.Field.Field == control.Field);
                continue;
            }
            var value = Value(vmcs, control.Field);
            Assert.True((value & capability.Allowed0) == capability.Allowed0, $"{control.Id} 0x{value:x} lacks allowed-0 bits 0x{capability.Allowed0:x}");
            Assert.True((value & ~capability.Allowed1) == 0, $"{control.Id} 0x{value:x} has bits outside allowed-1 0x{capability.Allowed1:x}");
            var extra = value & ~capability.Allowed0;
            var expectedExtra = control.Kind switch
            {
                ControlFieldKind.Exit => (ulong)ExitControls.HostAddressSpaceSize,
                ControlFieldKind.Entry => (ulong)EntryControls.Ia32eModeGuest,
                _ => 0UL,
            };
            Assert.True(expectedExtra == extra, $"{control.Id}: bits beyond allowed-0 0x{extra:x}, expected 0x{expectedExtra:x}");
        }
        Assert.Equal(0UL, Value(vmcs, VmcsField.PrimaryProcessorBasedVmExecutionControls) & (ulong)ProcControls.ActivateSecondaryControls);
    }

    [Fact]
    public void Baseline_controls_on_skylake_are_the_true_msrs_minimum()
    {
        // IA32_VMX_TRUE_{PINBASED,PROCBASED,EXIT,ENTRY}_CTLS allowed-0 (bits 31:0) of the fixture: 0x16, 0x04006172,
        // 0x36dfb, 0x11fb; plus host address-space size (exit bit 9) and IA-32e mode guest (entry bit 9).
        var vmcs = VmcsBaseline.Create(Fixtures.Caps(Fixtures.Skylake));
        Assert.Equal(0x16UL, Value(vmcs, VmcsField.PinBasedVmExecutionControls));
        Assert.Equal(0x04006172UL, Value(vmcs, VmcsField.PrimaryProcessorBasedVmExecutionControls));
        Assert.Equal(0x36FFBUL, Value(vmcs, VmcsField.PrimaryVmExitControls));
        Assert.Equal(0x13FBUL, Value(vmcs, VmcsField.VmEntryControls));
        Assert.Equal(0UL, Value(vmcs, VmcsField.SecondaryProcessorBasedVmExecutionControls));
    }

    [Fact]
    public void Baseline_uses_the_non_true_msrs_when_basic_bit_55_is_clear()
    {
        // IA32_VMX_BASIC 0x00d810000000002b without bit 55: the default1 bits the TRUE MSRs let go (CR3-load/store
        // exiting, save/load debug controls) are back.
        var caps = Fixtures.CapsWith(Fixtures.Skylake, (Msr.Ia32VmxBasic, 0x0058_1000_0000_002BUL));
        var vmcs = VmcsBaseline.Create(caps);
        Assert.Equal(0x0401E172UL, Value(vmcs, VmcsField.PrimaryProcessorBasedVmExecutionControls));
        Assert.Equal(0x36FFFUL, Value(vmcs, VmcsField.PrimaryVmExitControls));
        Assert.Equal(0x13FFUL, Value(vmcs, VmcsField.VmEntryControls));
    }

    [Theory, MemberData(nameof(Models))]
    public void Baseline_cr0_and_cr4_respect_the_fixed_bits(string model)
    {
        var caps = Fixtures.Caps(model);
        var vmcs = VmcsBaseline.Create(caps);
        var cr0 = new Cr0(Value(vmcs, VmcsField.GuestCr0));
        var cr4 = new Cr4(Value(vmcs, VmcsField.GuestCr4));
        Assert.Equal(0UL, FixedBits.Cr0Violations(caps, cr0));
        Assert.Equal(0UL, FixedBits.Cr4Violations(caps, cr4));
        Assert.True(cr0.Pe && cr0.Pg && cr0.Ne && cr0.Wp);
        Assert.True(cr4.Pae && cr4.Vmxe);
        // Nothing beyond FIXED0 and the named bits.
        Assert.Equal(caps.Cr0Fixed0.Value | 0x8001_0021UL, cr0.Value);
        Assert.Equal(caps.Cr4Fixed0.Value | 0x20UL, cr4.Value);
        Assert.Equal(cr0.Value, Value(vmcs, VmcsField.HostCr0));
        Assert.Equal(cr4.Value, Value(vmcs, VmcsField.HostCr4));
    }

    [Theory, MemberData(nameof(Models))]
    public void Baseline_writes_only_existing_writable_fields_each_once(string model)
    {
        var caps = Fixtures.Caps(model);
        var recorder = new RecordingAccessor();
        VmcsBaseline.Write(caps, recorder);
        var expected = caps.ExistingFields.Where(f => !f.IsReadOnly).Select(f => f.Field).ToHashSet();
        Assert.Equal(expected.OrderBy(f => f), recorder.Written.Keys.OrderBy(f => f));
        Assert.Equal(VmcsBaseline.Create(caps).Fields.Where(f => !f.Field.IsReadOnly).Select(f => (f.Field.Field, f.Value)),
            recorder.Written.OrderBy(w => VmcsFieldCatalog.All.ToList().FindIndex(f => f.Field == w.Key)).Select(w => (w.Key, w.Value)));
    }

    [Fact]
    public void A_field_the_processor_lacks_is_not_written()
    {
        // Penryn allows neither tertiary controls (IA32_VMX_TRUE_PROCBASED_CTLS bit 49 is 0) nor EPT
        // (IA32_VMX_PROCBASED_CTLS2 bit 33 is 0): those control fields and the EPT pointer do not exist there.
        var caps = Fixtures.Caps(Fixtures.Penryn);
        var recorder = new RecordingAccessor();
        VmcsBaseline.Write(caps, recorder);
        Assert.DoesNotContain(VmcsField.TertiaryProcessorBasedVmExecutionControls, recorder.Written.Keys);
        Assert.DoesNotContain(VmcsField.EptPointer, recorder.Written.Keys);
        Assert.Contains(VmcsField.SecondaryProcessorBasedVmExecutionControls, recorder.Written.Keys);
        Assert.Contains(VmcsField.EptPointer, VmcsBaselineFieldsOf(Fixtures.Skylake));
    }

    private static IEnumerable<VmcsField> VmcsBaselineFieldsOf(string model) => VmcsBaseline.Create(Fixtures.Caps(model)).Fields.Select(f => f.Field.Field);

    [Fact]
    public void Throws_naming_the_msr_bit_when_host_address_space_size_may_not_be_1()
    {
        // IA32_VMX_TRUE_EXIT_CTLS 0x007fffff00036dfb with allowed-1 bit 9 (MSR bit 41) cleared.
        var caps = Fixtures.CapsWith(Fixtures.Skylake, (Msr.Ia32VmxTrueExitCtls, 0x007F_FDFF_0003_6DFBUL));
        AssertRefused(caps, "IA32_VMX_TRUE_EXIT_CTLS", 41, "exit.host_address_space_size");
    }

    [Fact]
    public void Throws_naming_the_msr_bit_when_ia32e_mode_guest_may_not_be_1()
    {
        // Without TRUE controls the baseline reads IA32_VMX_ENTRY_CTLS: 0x0000ffff000011ff with bit 41 cleared.
        var caps = Fixtures.CapsWith(Fixtures.Skylake, (Msr.Ia32VmxBasic, 0x0058_1000_0000_002BUL), (Msr.Ia32VmxEntryCtls, 0x0000_FDFF_0000_11FFUL));
        AssertRefused(caps, "IA32_VMX_ENTRY_CTLS", 41, "entry.ia32e_mode_guest");
    }

    [Fact]
    public void Throws_when_allowed0_demands_a_bit_allowed1_forbids()
    {
        // An impossible pin-based MSR: bit 1 must be 1 (allowed-0) and may not be 1 (allowed-1, MSR bit 33).
        var caps = Fixtures.CapsWith(Fixtures.Skylake, (Msr.Ia32VmxTruePinbasedCtls, 0x0000_007D_0000_0016UL));
        AssertRefused(caps, "IA32_VMX_TRUE_PINBASED_CTLS", 33, "allowed-0");
    }

    [Fact]
    public void Throws_naming_cr0_fixed1_when_paging_is_fixed_to_0()
    {
        var caps = Fixtures.CapsWith(Fixtures.Skylake, (Msr.Ia32VmxCr0Fixed1, 0x7FFF_FFFFUL), (Msr.Ia32VmxCr0Fixed0, 0x21UL));
        AssertRefused(caps, "IA32_VMX_CR0_FIXED1", 31, "cr0.pg");
    }

    [Fact]
    public void Throws_naming_cr4_fixed1_when_pae_is_fixed_to_0()
    {
        // IA32_VMX_CR4_FIXED1 0x3727ff without bit 5.
        var caps = Fixtures.CapsWith(Fixtures.Skylake, (Msr.Ia32VmxCr4Fixed1, 0x3727DFUL));
        AssertRefused(caps, "IA32_VMX_CR4_FIXED1", 5, "cr4.pae");
    }

    private static void AssertRefused(VmxCapabilities caps, string msr, int bit, string named)
    {
        var recorder = new RecordingAccessor();
        var error = Assert.Throws<VmcsBaselineException>(() => VmcsBaseline.Write(caps, recorder));
        Assert.Equal(msr, error.Msr);
        Assert.Equal(bit, error.MsrBit);
        Assert.Contains(named, error.Message);
        Assert.Contains($"{msr} bit {bit} is 0", error.Message);
        Assert.Empty(recorder.Written);
        Assert.Throws<VmcsBaselineException>(() => VmcsBaseline.Create(caps));
    }

    private sealed class RecordingAccessor : IVmcsAccessor
    {
        public Dictionary<VmcsField, ulong> Written { get; } = new();
        private readonly HashSet<VmcsField> _twice = new();

        public VmxResult Read(VmcsField field, out ulong value) => throw new System.NotSupportedException("the baseline only writes");

        public VmxResult Write(VmcsField field, ulong value)
        {
            // Zero first, then the value: a field may be written twice, but only from 0 to its value.
            if (Written.TryGetValue(field, out var old) && (old != 0 || !_twice.Add(field)))
                throw new System.InvalidOperationException($"{field} written again after 0x{old:x}");
            Written[field] = value;
            return VmxResult.Success;
        }
    }
}

using System.Linq;
using System.Numerics;

namespace Vmx;

/// <summary>A known-good VMCS: a 64-bit ring-0 guest and a 64-bit host that VM entry accepts on any processor whose
/// capability MSRs allow a 64-bit guest (spec/checks/README.md, "the baseline"). Every control is at its allowed-0
/// (minimum) setting except exit.host_address_space_size and entry.ia32e_mode_guest; CR0 and CR4 are the VMX-fixed
/// bits plus what 64-bit paging needs; the values below place every structure far below 2^36, so no MAXPHYADDR is
/// needed. Every other field that exists on the processor and is writable is 0. The C driver's vmx_baseline_vmcs
/// (driver/src/vmx_baseline.c) builds the same VMCS, field by field.</summary>
public static class VmcsBaseline
{
    public const ulong GuestCr3 = 0x1000;
    public const ulong GuestRip = 0x10_0000;
    public const ushort CodeSelector = 0x8;
    public const ushort DataSelector = 0x10;
    public const ushort TssSelector = 0x18;
    public const uint FlatLimit = 0xFFFF_FFFF;
    /// <summary>A 64-bit TSS is 104 bytes.</summary>
    public const uint TssLimit = 0x67;
    /// <summary>Five 8-byte GDT entries: null, code, data, and the 16-byte TSS descriptor.</summary>
    public const uint GdtrLimit = 0x27;
    /// <summary>256 16-byte IDT gates.</summary>
    public const uint IdtrLimit = 0xFFF;
    public const ulong HostCr3 = 0x2000;
    public const ulong HostGdtrBase = 0x3000;
    public const ulong HostIdtrBase = 0x4000;
    public const ulong HostRip = 0x10_1000;
    public const ulong HostRsp = 0x20_0000;
    /// <summary>The VMCS link pointer meaning "no VMCS linked".</summary>
    public const ulong NoLinkedVmcs = ulong.MaxValue;

    /// <summary>The baseline as an in-memory VMCS of <paramref name="caps"/>' processor (its revision id, its fields).</summary>
    /// <exception cref="VmcsBaselineException">The processor cannot host a 64-bit guest.</exception>
    public static InMemoryVmcs Create(VmxCapabilities caps)
    {
        var vmcs = InMemoryVmcs.For(caps);
        Write(caps, vmcs);
        return vmcs;
    }

    /// <summary>Writes the baseline through <paramref name="accessor"/>: 0 to every writable field the processor has,
    /// then the baseline's values. Nothing is written when the processor cannot host the guest.</summary>
    /// <exception cref="VmcsBaselineException">The processor cannot host a 64-bit guest.</exception>
    /// <exception cref="VmxInstructionException">The accessor refused a write.</exception>
    public static void Write<TAccessor>(VmxCapabilities caps, TAccessor accessor) where TAccessor : IVmcsAccessor
    {
        var controls = ControlFieldCatalog.All.ToDictionary(f => f.Kind, f => Control(caps, f.Kind));
        var cr0 = Cr0(caps);
        var cr4 = Cr4(caps);

        foreach (var field in caps.ExistingFields.Where(f => !f.IsReadOnly)) Check(accessor.Write(field.Field, 0), field.Field);
        foreach (var field in ControlFieldCatalog.All.Where(f => caps.FieldExists(f.Field)))
            Check(accessor.Write(field.Field, controls[field.Kind]), field.Field);

        var vmcs = new Vmcs<TAccessor>(accessor);
        vmcs.GuestCr0 = cr0.Value;
        vmcs.GuestCr3 = GuestCr3;
        vmcs.GuestCr4 = cr4.Value;
        vmcs.GuestDr7 = Dr7.Fixed1Mask;
        vmcs.GuestRflags = Rflags.Fixed1Mask;
        vmcs.GuestRip = GuestRip;
        vmcs.GuestCsSelector = CodeSelector;
        vmcs.GuestCsLimit = FlatLimit;
        vmcs.GuestCsAccessRights = CodeAccessRights.Value;
        vmcs.GuestSsSelector = DataSelector;
        vmcs.GuestSsLimit = FlatLimit;
        vmcs.GuestSsAccessRights = DataAccessRights.Value;
        vmcs.GuestDsSelector = DataSelector;
        vmcs.GuestDsLimit = FlatLimit;
        vmcs.GuestDsAccessRights = DataAccessRights.Value;
        vmcs.GuestEsSelector = DataSelector;
        vmcs.GuestEsLimit = FlatLimit;
        vmcs.GuestEsAccessRights = DataAccessRights.Value;
        vmcs.GuestFsSelector = DataSelector;
        vmcs.GuestFsLimit = FlatLimit;
        vmcs.GuestFsAccessRights = DataAccessRights.Value;
        vmcs.GuestGsSelector = DataSelector;
        vmcs.GuestGsLimit = FlatLimit;
        vmcs.GuestGsAccessRights = DataAccessRights.Value;
        vmcs.GuestLdtrAccessRights = UnusableAccessRights.Value;
        vmcs.GuestTrSelector = TssSelector;
        vmcs.GuestTrLimit = TssLimit;
        vmcs.GuestTrAccessRights = TssAccessRights.Value;
        vmcs.GuestGdtrLimit = GdtrLimit;
        vmcs.GuestIdtrLimit = IdtrLimit;
        vmcs.VmcsLinkPointer = NoLinkedVmcs;
        vmcs.GuestActivityState = (uint)Vmx.GuestActivityState.Active;

        vmcs.HostCr0 = cr0.Value;
        vmcs.HostCr3 = HostCr3;
        vmcs.HostCr4 = cr4.Value;
        vmcs.HostCsSelector = CodeSelector;
        vmcs.HostSsSelector = DataSelector;
        vmcs.HostDsSelector = DataSelector;
        vmcs.HostEsSelector = DataSelector;
        vmcs.HostFsSelector = DataSelector;
        vmcs.HostGsSelector = DataSelector;
        vmcs.HostTrSelector = TssSelector;
        vmcs.HostGdtrBase = HostGdtrBase;
        vmcs.HostIdtrBase = HostIdtrBase;
        vmcs.HostRip = HostRip;
        vmcs.HostRsp = HostRsp;
    }

    /// <summary>64-bit code, ring 0, execute/read, accessed, 4-KByte granularity.</summary>
    public static SegmentAccessRights CodeAccessRights { get; } = CodeOrData((byte)CodeDataSegmentType.CodeExecuteReadAccessed).WithLongMode(true);

    /// <summary>Read/write data, ring 0, accessed, 32-bit default size, 4-KByte granularity.</summary>
    public static SegmentAccessRights DataAccessRights { get; } = CodeOrData((byte)CodeDataSegmentType.DataReadWriteAccessed).WithDefaultBig(true);

    /// <summary>A busy 64-bit TSS, present, byte granularity.</summary>
    public static SegmentAccessRights TssAccessRights { get; } =
        new SegmentAccessRights(0).WithSegmentType((byte)SystemSegmentType.TssBusy).WithPresent(true);

    public static SegmentAccessRights UnusableAccessRights { get; } = new SegmentAccessRights(0).WithUnusable(true);

    private static SegmentAccessRights CodeOrData(byte type) =>
        new SegmentAccessRights(0).WithSegmentType(type).WithDescriptorType(true).WithPresent(true).WithGranularity(true);

    /// <summary>The baseline's value of a control field: its allowed-0 settings, plus host_address_space_size (exit)
    /// and ia32e_mode_guest (entry); 0 for a field the processor does not let software use.</summary>
    /// <exception cref="VmcsBaselineException">A bit of that value may not be 1.</exception>
    public static ulong Control(VmxCapabilities caps, ControlFieldKind kind)
    {
        var capability = caps.Control(kind);
        var named = kind switch
        {
            ControlFieldKind.Exit => (ulong)ExitControls.HostAddressSpaceSize,
            ControlFieldKind.Entry => (ulong)EntryControls.Ia32eModeGuest,
            _ => 0UL,
        };
        var value = capability.Allowed0 | named;
        var lacking = value & ~capability.Allowed1;
        if (lacking != 0)
        {
            var bit = BitOperations.TrailingZeroCount(lacking);
            var why = (named >> bit & 1) != 0 ? "a 64-bit guest and host need it" : "allowed-0 says it must be 1";
            throw new VmcsBaselineException(capability.Msr?.Name ?? capability.Field.CapabilityMsr, capability.Allowed1MsrBit(bit),
                $"{capability.Field.Id}.{VmxCapabilities.BitId(capability.Field, bit)} (bit {bit}) must be 1 ({why})");
        }
        return value;
    }

    /// <summary>IA32_VMX_CR0_FIXED0 plus PE, PG, NE and WP: protected mode with paging, native FPU errors, write
    /// protection — what a 64-bit kernel runs with.</summary>
    /// <exception cref="VmcsBaselineException">IA32_VMX_CR0_FIXED1 forbids one of those bits.</exception>
    public static Cr0 Cr0(VmxCapabilities caps)
    {
        var value = caps.Cr0Fixed0.WithPe(true).WithPg(true).WithNe(true).WithWp(true);
        CheckFixed1(value.Value, caps.Cr0Fixed1.Value, Msr.Ia32VmxCr0Fixed1, Vmx.Cr0.Info, "CR0");
        return value;
    }

    /// <summary>IA32_VMX_CR4_FIXED0 (which holds VMXE) plus PAE, which IA-32e mode needs.</summary>
    /// <exception cref="VmcsBaselineException">IA32_VMX_CR4_FIXED1 forbids one of those bits.</exception>
    public static Cr4 Cr4(VmxCapabilities caps)
    {
        var value = caps.Cr4Fixed0.WithPae(true);
        CheckFixed1(value.Value, caps.Cr4Fixed1.Value, Msr.Ia32VmxCr4Fixed1, Vmx.Cr4.Info, "CR4");
        return value;
    }

    private static void CheckFixed1(ulong value, ulong fixed1, Msr msr, LayoutInfo layout, string register)
    {
        var forbidden = value & ~fixed1;
        if (forbidden == 0) return;
        var bit = BitOperations.TrailingZeroCount(forbidden);
        var name = layout.Fields.FirstOrDefault(f => f.Width == 1 && f.Lsb == bit)?.Id ?? $"bit_{bit}";
        throw new VmcsBaselineException(MsrCatalog.Find(msr)!.Name, bit, $"the baseline's {register} needs {layout.Id}.{name} (bit {bit}) = 1");
    }

    private static void Check(VmxResult result, VmcsField field)
    {
        if (!result.IsSuccess) throw new VmxInstructionException(result, field);
    }
}

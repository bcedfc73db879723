using System;
using System.Collections.Generic;
using System.Linq;

namespace Vmx;

/// <summary>A processor's VMX capabilities, read from its capability MSRs (SDM Appendix A "VMX Capability Reporting
/// Facility"). Every layout is a generated struct and every control field comes from the generated catalog; this class
/// only knows which MSR to consult when.</summary>
public sealed class VmxCapabilities
{
    // MSRs every VMX processor reports (SDM A.1-A.7): without one of them the snapshot is not of a VMX processor.
    private static readonly Msr[] Mandatory =
    {
        Msr.Ia32VmxBasic, Msr.Ia32VmxPinbasedCtls, Msr.Ia32VmxProcbasedCtls, Msr.Ia32VmxExitCtls, Msr.Ia32VmxEntryCtls,
        Msr.Ia32VmxMisc, Msr.Ia32VmxCr0Fixed0, Msr.Ia32VmxCr0Fixed1, Msr.Ia32VmxCr4Fixed0, Msr.Ia32VmxCr4Fixed1,
        Msr.Ia32VmxVmcsEnum,
    };

    // Indexed by the kind, which is the catalog index.
    private readonly ControlCapability?[] _controls = new ControlCapability?[ControlFieldCatalog.All.Count];

    private VmxCapabilities(MsrSnapshot msrs, string? model)
    {
        Msrs = msrs;
        Model = model;
        Basic = new Ia32VmxBasic(Read(Msr.Ia32VmxBasic));
        Misc = new Ia32VmxMisc(Read(Msr.Ia32VmxMisc));
        Cr0Fixed0 = new Cr0(Read(Msr.Ia32VmxCr0Fixed0));
        Cr0Fixed1 = new Cr0(Read(Msr.Ia32VmxCr0Fixed1));
        Cr4Fixed0 = new Cr4(Read(Msr.Ia32VmxCr4Fixed0));
        Cr4Fixed1 = new Cr4(Read(Msr.Ia32VmxCr4Fixed1));
        VmcsEnum = new Ia32VmxVmcsEnum(Read(Msr.Ia32VmxVmcsEnum));
        foreach (var field in ControlFieldCatalog.All) Control(field.Kind);

        // IA32_VMX_EPT_VPID_CAP exists only if the spec's condition holds (its `exists:`, SDM A.10).
        if (MsrCatalog.Find(Msr.Ia32VmxEptVpidCap)!.Exists(IsAllowed1) && msrs.TryRead(Msr.Ia32VmxEptVpidCap, out var eptVpid))
            EptVpid = new Ia32VmxEptVpidCap(eptVpid);
        if (Control(ControlFieldKind.Vmfunc).IsAvailable) Vmfunc = new Ia32VmxVmfunc(Read(Msr.Ia32VmxVmfunc));
    }

    /// <summary>Reads the capabilities out of <paramref name="msrs"/>.</summary>
    /// <exception cref="ArgumentException">A capability MSR every VMX processor has raised #GP or is missing.</exception>
    public static VmxCapabilities FromMsrs(MsrSnapshot msrs, string? model = null)
    {
        var missing = Mandatory.Where(m => !msrs.TryRead(m, out _)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException(
                "not a VMX processor: " + string.Join(", ", missing.Select(m => $"{MsrCatalog.Find(m)!.Name} (0x{(uint)m:X})")) +
                " raised #GP or was not read", nameof(msrs));
        return new VmxCapabilities(msrs, model);
    }

    public MsrSnapshot Msrs { get; }

    /// <summary>The CPU model's name where the source says (a capability dump's "model").</summary>
    public string? Model { get; }

    public Ia32VmxBasic Basic { get; }
    public Ia32VmxMisc Misc { get; }
    public Cr0 Cr0Fixed0 { get; }
    public Cr0 Cr0Fixed1 { get; }
    public Cr4 Cr4Fixed0 { get; }
    public Cr4 Cr4Fixed1 { get; }
    public Ia32VmxVmcsEnum VmcsEnum { get; }

    /// <summary>IA32_VMX_EPT_VPID_CAP, or null when neither EPT nor VPID may be enabled.</summary>
    public Ia32VmxEptVpidCap? EptVpid { get; }

    /// <summary>IA32_VMX_VMFUNC, or null when VM functions may not be enabled.</summary>
    public Ia32VmxVmfunc? Vmfunc { get; }

    public uint VmcsRevisionId => Basic.VmcsRevisionIdentifier;
    public int VmcsRegionSize => Basic.VmcsRegionSize;

    /// <summary>IA32_VMX_BASIC[55]: the TRUE_ capability MSRs exist and are the ones to use.</summary>
    public bool UsesTrueControls => Basic.TrueControls;

    /// <summary>IA32_VMX_MISC[29]: VMWRITE may write the VM-exit information fields.</summary>
    public bool VmwriteAnyField => Misc.VmwriteAnyField;

    /// <summary>Recommended maximum number of entries in each MSR list: 512 × (N + 1), N = IA32_VMX_MISC[27:25].</summary>
    public int MaxMsrListEntries => 512 * (Misc.MaxMsrListSize + 1);

    /// <summary>The control fields in catalog order.</summary>
    public IEnumerable<ControlCapability> Controls => ControlFieldCatalog.All.Select(f => Control(f.Kind));

    public ControlCapability Control(ControlFieldKind kind)
    {
        return _controls[(int)kind] ?? ReadAndKeep(kind);
    }

    // Apart from Control: the lambda's closure would be allocated on every call of the method that declares the captured
    // parameter, cached or not (24 bytes per allowed() of the VM-entry checks, measured in tests/Vmx.Benchmarks).
    private ControlCapability ReadAndKeep(ControlFieldKind kind)
    {
        var capability = ReadControl(ControlFieldCatalog.All.First(f => f.Kind == kind));
        _controls[(int)kind] = capability;
        return capability;
    }

    public bool IsAllowed1(ControlFieldKind kind, int bit) => Control(kind).IsAllowed1(bit);

    public bool IsAllowed1(ControlBitReference reference) => IsAllowed1(reference.Control, reference.Bit);

    /// <summary>Whether VMREAD/VMWRITE of the field can succeed here; a VMM never runs in SEAM VMX root operation.</summary>
    public bool FieldExists(VmcsFieldInfo field) => !field.SeamOnly && (field.AlwaysExists || field.ExistsIfAnyAllowed.Any(IsAllowed1));

    /// <summary>Whether the encoding names a field this processor has; the high access of a 64-bit field exists when the
    /// field does.</summary>
    public bool FieldExists(VmcsField encoding) => VmcsEncoding.Resolve((uint)encoding) is { } access && FieldExists(access.Info);

    public IEnumerable<VmcsFieldInfo> ExistingFields => VmcsFieldCatalog.All.Where(FieldExists);

    private ulong Read(Msr msr) => Msrs.TryRead(msr, out var value) ? value : throw new ArgumentException($"{msr} raised #GP");

    private ControlCapability ReadControl(ControlFieldInfo field)
    {
        var useTrue = UsesTrueControls && field.TrueCapabilityMsr is not null;
        var msr = MsrCatalog.All.FirstOrDefault(m => m.Name == (useTrue ? field.TrueCapabilityMsr : field.CapabilityMsr));
        var split = msr?.Layout == LayoutCatalog.VmxControlCapability;
        var shift = split ? VmxControlCapability.Allowed1SettingsShift : 0;
        ControlCapability None(string why) => new(field, msr, 0, 0, shift, why);

        if (msr is null) return None($"the spec names no MSR '{field.CapabilityMsr}'");
        if (field.EnabledBy is { } gate && !IsAllowed1(gate))
        {
            var gateCapability = Control(gate.Control);
            return None($"{gateCapability.Msr?.Name} bit {gateCapability.Allowed1MsrBit(gate.Bit)} " +
                        $"({gateCapability.Field.Id}.{BitId(gateCapability.Field, gate.Bit)}) is 0");
        }
        if (!Msrs.TryRead(msr.Msr, out var raw)) return None($"{msr.Name} raises #GP");
        if (split)
        {
            var settings = new VmxControlCapability(raw);
            return new ControlCapability(field, msr, settings.Allowed0Settings, settings.Allowed1Settings, shift, null);
        }
        // The 64-bit formats (tertiary, secondary exit, VM functions) report only allowed-1 settings: every bit may be 0.
        var allowed1 = msr.Layout == LayoutCatalog.VmxControlCapability64 ? new VmxControlCapability64(raw).Allowed1Settings : raw;
        return new ControlCapability(field, msr, 0, allowed1, shift, null);
    }

    internal static string BitId(ControlFieldInfo field, int bit) =>
        field.Bits.FirstOrDefault(b => b.Bit == bit)?.Id ?? $"bit_{bit}";
}

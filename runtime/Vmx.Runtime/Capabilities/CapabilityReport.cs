using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Text;

namespace Vmx;

/// <summary>A human-readable report of <see cref="VmxCapabilities"/>, in the spirit of VirtualBox's VMX capability
/// dump: the basics, then every control bit as must-be-1, must-be-0 or flexible.</summary>
public static class CapabilityReport
{
    public static string Format(VmxCapabilities caps)
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        string Hex(ulong value) => "0x" + value.ToString("x16", CultureInfo.InvariantCulture);

        if (caps.Model is not null) Line($"model {caps.Model}");
        foreach (var warning in Warnings(caps)) Line($"warning: {warning}");
        var basic = caps.Basic;
        Line($"IA32_VMX_BASIC       {Hex(basic.Value)}: VMCS revision 0x{caps.VmcsRevisionId:x}, region {caps.VmcsRegionSize} bytes, " +
             $"memory type {basic.MemoryType}, TRUE controls {YesNo(caps.UsesTrueControls)}, " +
             $"INS/OUTS information {YesNo(basic.InsOutsInstructionInformation)}, 32-bit addresses {YesNo(basic.PhysicalAddressWidth32)}");
        var misc = caps.Misc;
        var activity = new[] { ("hlt", misc.ActivityStateHlt), ("shutdown", misc.ActivityStateShutdown), ("wait-for-SIPI", misc.ActivityStateWaitForSipi) }
            .Where(s => s.Item2).Select(s => s.Item1).ToList();
        Line($"IA32_VMX_MISC        {Hex(misc.Value)}: preemption timer ticks when TSC bit {misc.PreemptionTimerTscRatio} changes, " +
             $"activity states {(activity.Count == 0 ? "active only" : "active, " + string.Join(", ", activity))}, " +
             $"{misc.Cr3TargetCount} CR3 targets, MSR lists up to {caps.MaxMsrListEntries} entries, " +
             $"VMWRITE to exit-information fields {YesNo(caps.VmwriteAnyField)}");
        Line($"IA32_VMX_VMCS_ENUM   {Hex(caps.VmcsEnum.Value)}: highest field index {caps.VmcsEnum.HighestIndex}");
        Line($"CR0 fixed            must be 1: {Bits(Cr0.Info, caps.Cr0Fixed0.Value)}; must be 0: {Hex(~caps.Cr0Fixed1.Value)}");
        Line($"CR4 fixed            must be 1: {Bits(Cr4.Info, caps.Cr4Fixed0.Value)}; must be 0: {Hex(~caps.Cr4Fixed1.Value)}");
        Line(caps.EptVpid is { } ept ? $"IA32_VMX_EPT_VPID_CAP {Hex(ept.Value)}: {SetFlags(Ia32VmxEptVpidCap.Info, ept.Value)}" : "IA32_VMX_EPT_VPID_CAP not reported (neither EPT nor VPID)");
        Line(caps.Vmfunc is { } vmfunc ? $"IA32_VMX_VMFUNC      {Hex(vmfunc.Value)}: {SetFlags(Ia32VmxVmfunc.Info, vmfunc.Value)}" : "IA32_VMX_VMFUNC      not reported (no VM functions)");
        Line($"VMCS fields          {caps.ExistingFields.Count()} of {VmcsFieldCatalog.All.Count} exist");

        foreach (var control in caps.Controls)
        {
            Line("");
            var source = control.Msr is null ? "no MSR" : caps.Msrs.TryRead(control.Msr.Msr, out var raw) ? $"{control.Msr.Name} {Hex(raw)}" : control.Msr.Name;
            Line($"{control.Field.Id}: {control.Field.Title} ({source})");
            if (!control.IsAvailable)
            {
                Line($"  all must be 0: {control.Unavailable}");
                continue;
            }
            foreach (var bit in control.Field.Bits)
                Line($"  {bit.Bit,2}  {bit.Id,-42} {Name(control.Setting(bit.Bit))}");
            // Bits the spec does not define but the processor reports as allowed-1 or must-be-1 are facts worth seeing.
            var known = control.Field.Bits.Aggregate(0UL, (mask, b) => mask | 1UL << b.Bit);
            for (var unknown = (control.Allowed0 | control.Allowed1) & ~known; unknown != 0; unknown &= unknown - 1)
            {
                var bit = BitOperations.TrailingZeroCount(unknown);
                Line($"  {bit,2}  {"(not in the spec)",-42} {Name(control.Setting(bit))}");
            }
        }
        return text.ToString();
    }

    public static string Name(ControlSetting setting) => setting switch
    {
        ControlSetting.MustBe1 => "must-be-1",
        ControlSetting.MustBe0 => "must-be-0",
        _ => "flexible",
    };

    private static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary>The ids of the one-bit fields of <paramref name="layout"/> set in <paramref name="value"/>.</summary>
    private static string Bits(LayoutInfo layout, ulong value)
    {
        var names = layout.Fields.Where(f => f.Width == 1 && f.Extract(value) != 0).Select(f => f.Id).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    /// <summary>A layout's <c>field = value, …</c> text without the fields that are 0, which are most of them.</summary>
    private static string SetFlags(LayoutInfo layout, ulong value)
    {
        var set = layout.Decode(value).Where(field => field.Value != 0).Select(field => field.ToString()).ToList();
        return set.Count == 0 ? "nothing" : string.Join(", ", set);
    }

    /// <summary>The largest VMXON and VMCS region IA32_VMX_BASIC[44:32] may report (SDM A.1 "Basic VMX Information":
    /// "this value is at most 4096").</summary>
    public const int MaxVmcsRegionSize = 4096;

    /// <summary>What the capability MSRs report that no processor can (SDM Appendix A): a control whose allowed-0
    /// setting is 1 (must be 1) while its allowed-1 setting is 0 (may not be 1); an IA32_VMX_BASIC region size of 0 or
    /// above 4096; a memory type the spec's <see cref="MemoryType"/> enumeration does not define; bit 31 of
    /// IA32_VMX_BASIC, which is always 0. Empty for a plausible dump.</summary>
    public static IReadOnlyList<string> Warnings(VmxCapabilities caps)
    {
        var warnings = new List<string>();
        string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
        var basic = caps.Basic;
        if (caps.VmcsRegionSize == 0 || caps.VmcsRegionSize > MaxVmcsRegionSize)
            warnings.Add(Invariant($"IA32_VMX_BASIC reports a VMCS region size of {caps.VmcsRegionSize} bytes; the SDM allows 1 to {MaxVmcsRegionSize}"));
        var memoryType = (ulong)basic.MemoryType;
        if (EnumCatalog.MemoryType.Find(memoryType) is null)
        {
            var defined = string.Join(", ", EnumCatalog.MemoryType.Values.Select(v => Invariant($"{v.Value} {v.Id}")));
            warnings.Add(Invariant($"IA32_VMX_BASIC reports memory type {memoryType}, which is not a defined memory type ({defined})"));
        }
        // Bit 31 sits just above the 31-bit VMCS revision identifier (SDM A.1: "Bit 31 is always 0").
        var bit31 = Ia32VmxBasic.VmcsRevisionIdentifierShift + Ia32VmxBasic.VmcsRevisionIdentifierWidth;
        if (((basic.Value >> bit31) & 1) != 0)
            warnings.Add(Invariant($"IA32_VMX_BASIC bit {bit31} is set; the SDM says it is always 0"));
        foreach (var control in caps.Controls.Where(c => c.IsAvailable))
        {
            var impossible = control.Allowed0 & ~control.Allowed1;
            if (impossible == 0) continue;
            var bits = new List<string>();
            for (var rest = impossible; rest != 0; rest &= rest - 1)
            {
                var bit = BitOperations.TrailingZeroCount(rest);
                bits.Add(Invariant($"{bit} ({VmxCapabilities.BitId(control.Field, bit)})"));
            }
            warnings.Add(Invariant($"{control.Msr?.Name} says {control.Field.Id} bit{(bits.Count > 1 ? "s" : "")} {string.Join(", ", bits)} must be 1 (allowed-0 setting 1) but may not be 1 (allowed-1 setting 0): no VM entry can satisfy both ({Hex(impossible)})"));
        }
        return warnings;
    }

    private static string Invariant(System.FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

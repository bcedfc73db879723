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
        Line(caps.EptVpid is { } ept ? $"IA32_VMX_EPT_VPID_CAP {Hex(ept.Value)}: {SetFlags(ept.ToString())}" : "IA32_VMX_EPT_VPID_CAP not reported (neither EPT nor VPID)");
        Line(caps.Vmfunc is { } vmfunc ? $"IA32_VMX_VMFUNC      {Hex(vmfunc.Value)}: {SetFlags(vmfunc.ToString())}" : "IA32_VMX_VMFUNC      not reported (no VM functions)");
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
    private static string SetFlags(string formatted)
    {
        var set = formatted.Split(", ").Where(part => !part.EndsWith(" = 0", System.StringComparison.Ordinal)).ToList();
        return set.Count == 0 ? "nothing" : string.Join(", ", set);
    }
}

using System.Collections.Generic;
using System.Linq;

namespace Vmx;

/// <summary>The part of KVM's dump a line belongs to; the same words (CS, EFER, Sysenter) mean guest or host fields by part.</summary>
internal enum KvmDumpSection { Preamble, Guest, Host, Control }

/// <summary>One line shape of KVM's dump_vmcs (arch/x86/kvm/vmx.c until 4.19, vmx/vmx.c since 4.20), in the section it
/// appears in. Holes name spec VMCS field ids; holes starting with @ (hex), # (decimal) or * (token) are values that are
/// not simply a VMCS field and that <see cref="KvmVmcsDump"/> interprets (see <see cref="KvmDumpLines.NoteHoles"/>).</summary>
internal sealed record KvmDumpLine(KvmDumpSection Section, LineTemplate Template, string Kernels);

/// <summary>The shapes of every line KVM's VMCS dump has printed, read from the kernel source of 4.4, 4.19, 5.10, the 5.12
/// dump_vmcs series, 6.x (tertiary controls, #VE) and the FRED series. These are facts about KVM's text, not about VMX; the
/// VMX facts (field ids, widths, control bits) come from the generated catalogs.</summary>
internal static class KvmDumpLines
{
    private static KvmDumpLine Guest(string template, string kernels = "all") => new(KvmDumpSection.Guest, LineTemplate.Parse(template), kernels);
    private static KvmDumpLine Host(string template, string kernels = "all") => new(KvmDumpSection.Host, LineTemplate.Parse(template), kernels);
    private static KvmDumpLine Control(string template, string kernels = "all") => new(KvmDumpSection.Control, LineTemplate.Parse(template), kernels);

    private static IEnumerable<KvmDumpLine> GuestSegments() =>
        new[] { "cs", "ds", "ss", "es", "fs", "gs", "ldtr", "tr" }.Select(s => Guest(
            $"{s.ToUpperInvariant()}: sel={{guest_{s}_selector}}, attr={{guest_{s}_access_rights}}, limit={{guest_{s}_limit}}, base={{guest_{s}_base}}"))
        .Concat(new[] { "gdtr", "idtr" }.Select(t => Guest($"{t.ToUpperInvariant()}: limit={{guest_{t}_limit}}, base={{guest_{t}_base}}")));

    public static IReadOnlyList<KvmDumpLine> All { get; } = new[]
    {
        new KvmDumpLine(KvmDumpSection.Preamble, LineTemplate.Parse("VMCS {*vmcs_pointer}, last attempted VM-entry on CPU {#cpu}"), "5.12+"),

        Guest("CR0: actual={guest_cr0}, shadow={cr0_read_shadow}, gh_mask={cr0_guest_host_mask}"),
        Guest("CR4: actual={guest_cr4}, shadow={cr4_read_shadow}, gh_mask={cr4_guest_host_mask}"),
        Guest("CR3 = {guest_cr3}"),
        // Until 5.11 only with EPT, CR4.PAE and not EFER.LMA; since 5.12 whenever the processor has EPT.
        Guest("PDPTR0 = {guest_pdpte0} PDPTR1 = {guest_pdpte1}"),
        Guest("PDPTR2 = {guest_pdpte2} PDPTR3 = {guest_pdpte3}"),
        Guest("RSP = {guest_rsp} RIP = {guest_rip}"),
        Guest("RFLAGS={guest_rflags} DR7 = {guest_dr7}"),
        Guest("Sysenter RSP={guest_ia32_sysenter_esp} CS:RIP={guest_ia32_sysenter_cs}:{guest_ia32_sysenter_eip}"),
    }.Concat(GuestSegments()).Concat(new[]
    {
        // Until 5.11: both VMCS fields, printed when any of exit.save_ia32_pat/efer, entry.load_ia32_pat/efer is 1.
        Guest("EFER = {guest_ia32_efer} PAT = {guest_ia32_pat}", "4.4-5.11"),
        // Since 5.12: the VMCS field only when entry.load_ia32_efer is 1; otherwise KVM's own idea of EFER.
        Guest("EFER= {guest_ia32_efer}", "5.12+"),
        Guest("EFER= {@autoload_efer} (autoload)", "5.12+"),
        Guest("EFER= {@effective_efer} (effective)", "5.12+"),
        Guest("PAT = {guest_ia32_pat}", "5.12+"),
        Guest("DebugCtl = {guest_ia32_debugctl} DebugExceptions = {guest_pending_debug_exceptions}"),
        Guest("PerfGlobCtl = {guest_ia32_perf_global_ctrl}"),
        Guest("BndCfgS = {guest_ia32_bndcfgs}"),
        Guest("Interruptibility = {guest_interruptibility_state} ActivityState = {guest_activity_state}"),
        Guest("InterruptStatus = {guest_interrupt_status}"),
        Guest("MSR guest autoload:", "5.12+"),
        Guest("MSR guest autostore:", "5.12+"),
        Guest("FRED guest: config={guest_ia32_fred_config}, stack_levels={guest_ia32_fred_stklvls}", "FRED"),
        Guest("RSP0={@fred_rsp0}, RSP1={guest_ia32_fred_rsp1}", "FRED"),
        Guest("RSP2={guest_ia32_fred_rsp2}, RSP3={guest_ia32_fred_rsp3}", "FRED"),

        Host("RIP = {host_rip} RSP = {host_rsp}"),
        Host("CS={host_cs_selector} SS={host_ss_selector} DS={host_ds_selector} ES={host_es_selector} FS={host_fs_selector} GS={host_gs_selector} TR={host_tr_selector}"),
        Host("FSBase={host_fs_base} GSBase={host_gs_base} TRBase={host_tr_base}"),
        Host("GDTBase={host_gdtr_base} IDTBase={host_idtr_base}"),
        Host("FRED host: config={host_ia32_fred_config}, stack_levels={host_ia32_fred_stklvls}", "FRED"),
        Host("RSP0={@fred_rsp0}, RSP1={host_ia32_fred_rsp1}", "FRED"),
        Host("RSP2={host_ia32_fred_rsp2}, RSP3={host_ia32_fred_rsp3}", "FRED"),
        Host("CR0={host_cr0} CR3={host_cr3} CR4={host_cr4}"),
        Host("Sysenter RSP={host_ia32_sysenter_esp} CS:RIP={host_ia32_sysenter_cs}:{host_ia32_sysenter_eip}"),
        Host("EFER = {host_ia32_efer} PAT = {host_ia32_pat}", "4.4-5.11"),
        Host("EFER= {host_ia32_efer}", "5.12+"),
        Host("PAT = {host_ia32_pat}", "5.12+"),
        Host("PerfGlobCtl = {host_ia32_perf_global_ctrl}"),
        Host("MSR host autoload:", "5.12+"),

        // KVM prints SecondaryExec, TertiaryExec and SecondaryExitControls as 0 when the processor lacks the field: @.
        Control("PinBased={pin_based_vm_execution_controls} CPUBased={primary_processor_based_vm_execution_controls} SecondaryExec={@secondary_processor_based_vm_execution_controls}", "4.4-5.17"),
        Control("EntryControls={vm_entry_controls} ExitControls={primary_vm_exit_controls}", "4.4-5.17"),
        Control("CPUBased={primary_processor_based_vm_execution_controls} SecondaryExec={@secondary_processor_based_vm_execution_controls} TertiaryExec={@tertiary_processor_based_vm_execution_controls}", "5.18+"),
        Control("PinBased={pin_based_vm_execution_controls} EntryControls={vm_entry_controls} ExitControls={primary_vm_exit_controls}", "5.18+"),
        Control("PinBased={pin_based_vm_execution_controls} EntryControls={vm_entry_controls}", "FRED"),
        Control("ExitControls={primary_vm_exit_controls} SecondaryExitControls={@secondary_vm_exit_controls}", "FRED"),
        Control("ExceptionBitmap={exception_bitmap} PFECmask={page_fault_error_code_mask} PFECmatch={page_fault_error_code_match}"),
        Control("VMEntry: intr_info={vm_entry_interruption_information_field} errcode={vm_entry_exception_error_code} ilen={vm_entry_instruction_length}"),
        // FRED: KVM prints the event data as 0 when the processor has no FRED.
        Control("VMEntry: intr_info={vm_entry_interruption_information_field} errcode={vm_entry_exception_error_code} ilen={vm_entry_instruction_length} event_data={@injected_event_data}", "FRED"),
        Control("VMExit: intr_info={vm_exit_interruption_information} errcode={vm_exit_interruption_error_code} ilen={vm_exit_instruction_length}"),
        Control("reason={exit_reason} qualification={exit_qualification}"),
        Control("IDTVectoring: info={idt_vectoring_information_field} errcode={idt_vectoring_error_code}"),
        Control("IDTVectoring: info={idt_vectoring_information_field} errcode={idt_vectoring_error_code} event_data={@original_event_data}", "FRED"),
        Control("TSC Offset = {tsc_offset}"),
        Control("TSC Multiplier = {tsc_multiplier}"),
        Control("TPR Threshold = {tpr_threshold}"),
        // pr_err("SVI|RVI = ...") + pr_cont("TPR Threshold = ...") make one line; SVI and RVI are guest interrupt status.
        Control("SVI|RVI = {@svi}|{@rvi} TPR Threshold = {tpr_threshold}", "5.10+"),
        Control("APIC-access addr = {apic_access_address} virt-APIC addr = {virtual_apic_address}", "5.10+"),
        Control("virt-APIC addr = {virtual_apic_address}", "5.10+"),
        Control("PostedIntrVec = {posted_interrupt_notification_vector}"),
        Control("EPT pointer = {ept_pointer}"),
        Control("CR3 target{#cr3_target}={@cr3_target_value} target{#cr3_target}={@cr3_target_value}", "4.4-5.x"),
        Control("CR3 target{#cr3_target}={@cr3_target_value}", "4.4-5.x"),
        Control("PLE Gap={ple_gap} Window={ple_window}"),
        Control("Virtual processor ID = {virtual_processor_identifier}"),
        Control("VE info address = {virtualization_exception_information_address}", "5.10+"),
        Control("VE info address = {virtualization_exception_information_address}(corrupted!)", "6.10+"),
        Control("ve_info: {@ve_exit_reason} {@ve_delivery} {@ve_exit_qualification} {@ve_guest_linear_address} {@ve_guest_physical_address} {@ve_eptp_index}", "6.10+"),
    }).ToArray();

    private static readonly string[] InterpretedHoles = { "#cr3_target", "@cr3_target_value", "@svi", "@rvi" };

    /// <summary>Every hole names a spec field (plain or after @), a note, or one the reader combines: a typo here would
    /// otherwise silently drop a value.</summary>
    static KvmDumpLines()
    {
        foreach (var hole in All.SelectMany(l => l.Template.Holes).Concat(MsrEntry.Holes))
        {
            var bare = hole.TrimStart('@', '#', '*');
            if (KvmVmcsDump.FieldOf(hole) is null && KvmVmcsDump.FieldOf(bare) is null && !NoteHoles.ContainsKey(bare) &&
                !InterpretedHoles.Contains(hole) && !bare.StartsWith("msr", System.StringComparison.Ordinal))
                throw new System.InvalidOperationException($"KVM dump line hole {{{hole}}} names no VMCS field of the spec and no note");
        }
    }

    /// <summary>An entry of an MSR list, after its "MSR ... :" header: <c>"  %2d: msr=0x%08x value=0x%016llx"</c>.</summary>
    public static LineTemplate MsrEntry { get; } = LineTemplate.Parse("{#msr_slot}: msr={@msr} value={@msr_value}");

    /// <summary>Values the dump shows that are no VMCS field: what they are and what they mean.</summary>
    public static IReadOnlyDictionary<string, (string Subject, string Meaning)> NoteHoles { get; } = new Dictionary<string, (string, string)>
    {
        ["vmcs_pointer"] = ("VMCS pointer", "KVM's (hashed) kernel pointer to the VMCS region; no VMCS field"),
        ["cpu"] = ("last VM-entry CPU", "the host CPU of the last attempted VM entry; no VMCS field"),
        ["autoload_efer"] = ("autoload guest EFER", "the EFER value in KVM's VM-entry MSR-load list: VM entry loads IA32_EFER from that list, not from the guest IA32_EFER field, which this dump does not show (entry.load_ia32_efer is 0)"),
        ["effective_efer"] = ("effective guest EFER", "KVM's software EFER with LMA and LME set as the IA-32e mode guest entry control says; not a VMCS field: entry.load_ia32_efer is 0, so VM entry does not load IA32_EFER and the guest IA32_EFER field is not shown"),
        ["fred_rsp0"] = ("FRED RSP0", "IA32_FRED_RSP0 as KVM sees it (an MSR, or the host task stack); the VMCS has no RSP0 field"),
        ["ve_exit_reason"] = ("#VE information: exit reason", "a word of KVM's virtualization-exception information area in memory, not a VMCS field"),
        ["ve_delivery"] = ("#VE information: delivery", "a word of KVM's virtualization-exception information area in memory, not a VMCS field"),
        ["ve_exit_qualification"] = ("#VE information: exit qualification", "in KVM's virtualization-exception information area in memory, not a VMCS field"),
        ["ve_guest_linear_address"] = ("#VE information: guest linear address", "in KVM's virtualization-exception information area in memory, not a VMCS field"),
        ["ve_guest_physical_address"] = ("#VE information: guest physical address", "in KVM's virtualization-exception information area in memory, not a VMCS field"),
        ["ve_eptp_index"] = ("#VE information: EPTP index", "the EPTP index KVM's virtualization-exception information area in memory holds, not the VMCS EPTP-index field"),
    };
}

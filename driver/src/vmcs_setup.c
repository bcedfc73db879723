/* SPDX-License-Identifier: MIT */
/* VMCS areas that do not depend on the guest: host state and fields needing a defined value. */
#include "vmx/arch.h"
#include "vmx/baseline.h"
#include "vmx/vmx.h"
#include "vmx/vmwrite_batch.h"

/* Host data selectors may be 0 in 64-bit mode; one with RPL/TI bits set may not be loaded. */
static uint16_t host_data_selector(uint16_t sel)
{
    return (sel & 7) ? 0 : sel;
}

int vmx_vmcs_setup_host(void)
{
    int rc = 0;
    const char *failed = 0;
    struct arch_dtr gdt = arch_sgdt(), idt = arch_sidt();
    uint16_t tr = arch_read_tr();

    VMX_W(host_cr0, arch_read_cr0());
    VMX_W(host_cr3, arch_read_cr3());
    VMX_W(host_cr4, arch_read_cr4());
    VMX_W(host_cs_selector, arch_read_cs());
    VMX_W(host_ss_selector, arch_read_ss());
    VMX_W(host_ds_selector, host_data_selector(arch_read_ds()));
    VMX_W(host_es_selector, host_data_selector(arch_read_es()));
    VMX_W(host_fs_selector, host_data_selector(arch_read_fs()));
    VMX_W(host_gs_selector, host_data_selector(arch_read_gs()));
    VMX_W(host_tr_selector, tr);
    VMX_W(host_fs_base, arch_rdmsr(VMX_MSR_IA32_FS_BASE));
    VMX_W(host_gs_base, arch_rdmsr(VMX_MSR_IA32_GS_BASE));
    VMX_W(host_tr_base, arch_system_segment_base(gdt.base, tr));
    VMX_W(host_gdtr_base, gdt.base);
    VMX_W(host_idtr_base, idt.base);
    VMX_W(host_ia32_sysenter_cs, (uint32_t)arch_rdmsr(VMX_MSR_IA32_SYSENTER_CS));
    VMX_W(host_ia32_sysenter_esp, arch_rdmsr(VMX_MSR_IA32_SYSENTER_ESP));
    VMX_W(host_ia32_sysenter_eip, arch_rdmsr(VMX_MSR_IA32_SYSENTER_EIP));
    VMX_W(host_rip, (uint64_t)(uintptr_t)vmx_exit_stub);
    /* host RSP is written by vmx_enter_asm on every entry */
    return vmx_vmwrite_batch_report(rc, failed);
}

int vmx_vmcs_setup_defaults(void)
{
    int rc = 0;
    const char *failed = 0;

    VMX_W(vmcs_link_pointer, VMX_VMCS_LINK_POINTER_NONE);
    VMX_W(cr3_target_count, 0);
    VMX_W(vm_exit_msr_store_count, 0);
    VMX_W(vm_exit_msr_load_count, 0);
    VMX_W(vm_entry_msr_load_count, 0);
    VMX_W(vm_entry_interruption_information_field, 0);
    VMX_W(page_fault_error_code_mask, 0);
    VMX_W(page_fault_error_code_match, 0);
    VMX_W(exception_bitmap, 0xFFFFFFFFu); /* every guest exception exits: nothing is lost silently */
    VMX_W(cr0_guest_host_mask, 0);
    VMX_W(cr4_guest_host_mask, 0);
    VMX_W(cr0_read_shadow, 0);
    VMX_W(cr4_read_shadow, 0);
    VMX_W(guest_interruptibility_state, 0);
    VMX_W(guest_activity_state, VMX_GUEST_ACTIVITY_STATE_ACTIVE);
    VMX_W(guest_pending_debug_exceptions, 0);
    VMX_W(guest_ia32_debugctl, 0);
    VMX_W(guest_dr7, VMX_DR7_FIXED_1_MASK);
    VMX_W(guest_ia32_sysenter_cs, 0);
    VMX_W(guest_ia32_sysenter_esp, 0);
    VMX_W(guest_ia32_sysenter_eip, 0);
    return vmx_vmwrite_batch_report(rc, failed);
}

static int vmwrite_current(void *ctx, uint32_t encoding, uint64_t value)
{
    (void)ctx;
    return vmx_vmwrite(encoding, value);
}

int vmx_vmcs_setup_baseline(const struct vmx_caps *caps)
{
    return vmx_baseline_vmcs(caps, vmwrite_current, 0);
}

/* SPDX-License-Identifier: MIT */
/* VMCS areas that do not depend on the guest: host state and fields needing a defined value. */
#include "vmx/arch.h"
#include "vmx/vmx.h"

/* Record the first failing VMWRITE with its field name; later writes still run. */
#define W(id, val)                                                                              \
    do {                                                                                        \
        int s_ = vmcs_write_##id(val);                                                          \
        if (s_ && !rc) {                                                                        \
            rc = s_;                                                                            \
            failed = #id;                                                                       \
        }                                                                                       \
    } while (0)

static int report(int rc, const char *failed)
{
    if (rc)
        os_log("vmx: VMWRITE %s failed: %d (%s)\n", failed, rc, vmx_status_name(rc));
    return rc;
}

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

    W(host_cr0, arch_read_cr0());
    W(host_cr3, arch_read_cr3());
    W(host_cr4, arch_read_cr4());
    W(host_cs_selector, arch_read_cs());
    W(host_ss_selector, arch_read_ss());
    W(host_ds_selector, host_data_selector(arch_read_ds()));
    W(host_es_selector, host_data_selector(arch_read_es()));
    W(host_fs_selector, host_data_selector(arch_read_fs()));
    W(host_gs_selector, host_data_selector(arch_read_gs()));
    W(host_tr_selector, tr);
    W(host_fs_base, arch_rdmsr(VMX_MSR_IA32_FS_BASE));
    W(host_gs_base, arch_rdmsr(VMX_MSR_IA32_GS_BASE));
    W(host_tr_base, arch_system_segment_base(gdt.base, tr));
    W(host_gdtr_base, gdt.base);
    W(host_idtr_base, idt.base);
    W(host_ia32_sysenter_cs, (uint32_t)arch_rdmsr(VMX_MSR_IA32_SYSENTER_CS));
    W(host_ia32_sysenter_esp, arch_rdmsr(VMX_MSR_IA32_SYSENTER_ESP));
    W(host_ia32_sysenter_eip, arch_rdmsr(VMX_MSR_IA32_SYSENTER_EIP));
    W(host_rip, (uint64_t)(uintptr_t)vmx_exit_stub);
    /* host RSP is written by vmx_enter_asm on every entry */
    return report(rc, failed);
}

int vmx_vmcs_setup_defaults(void)
{
    int rc = 0;
    const char *failed = 0;

    W(vmcs_link_pointer, VMX_VMCS_LINK_POINTER_NONE);
    W(cr3_target_count, 0);
    W(vm_exit_msr_store_count, 0);
    W(vm_exit_msr_load_count, 0);
    W(vm_entry_msr_load_count, 0);
    W(vm_entry_interruption_information_field, 0);
    W(page_fault_error_code_mask, 0);
    W(page_fault_error_code_match, 0);
    W(exception_bitmap, 0xFFFFFFFFu); /* every guest exception exits: nothing is lost silently */
    W(cr0_guest_host_mask, 0);
    W(cr4_guest_host_mask, 0);
    W(cr0_read_shadow, 0);
    W(cr4_read_shadow, 0);
    W(guest_interruptibility_state, 0);
    W(guest_activity_state, VMX_GUEST_ACTIVITY_STATE_ACTIVE);
    W(guest_pending_debug_exceptions, 0);
    W(guest_ia32_debugctl, 0);
    W(guest_dr7, VMX_DR7_FIXED_1_MASK);
    W(guest_ia32_sysenter_cs, 0);
    W(guest_ia32_sysenter_esp, 0);
    W(guest_ia32_sysenter_eip, 0);
    return report(rc, failed);
}

/* SPDX-License-Identifier: MIT */
/* VM entry, exit decoding and dispatch by exit reason. */
#include <stddef.h>

#include "vmx/vmx.h"

/* vmx_entry.S hard-codes these offsets. */
_Static_assert(offsetof(struct vmx_gprs, rax) == 0, "gprs layout");
_Static_assert(offsetof(struct vmx_gprs, rdi) == 40, "gprs layout");
_Static_assert(offsetof(struct vmx_gprs, rbp) == 48, "gprs layout");
_Static_assert(offsetof(struct vmx_gprs, r8) == 56, "gprs layout");
_Static_assert(offsetof(struct vmx_gprs, r15) == 112, "gprs layout");

int vmx_enter(struct vmx_vcpu *vcpu, struct vmx_exit *exit)
{
    bool resume = vcpu->vmcs.launched;
    int rc = resume ? vmx_vmresume(&vcpu->gprs) : vmx_vmlaunch(&vcpu->gprs);
    if (rc)
        return rc; /* the instruction failed: the launch state did not change */

    uint32_t reason = 0;
    uint64_t qual = 0;
    rc = vmcs_read_exit_reason(&reason);
    if (!rc)
        rc = vmcs_read_exit_qualification(&qual);
    if (rc)
        return rc;

    *exit = (struct vmx_exit){
        .reason = reason,
        .basic = vmx_exit_reason_get_basic_exit_reason(reason),
        .entry_failure = vmx_exit_reason_get_vm_entry_failure(reason) != 0,
        .qualification = qual,
    };
    /* A VM-entry failure exit leaves a VMLAUNCHed VMCS clear; any real exit makes it launched. */
    if (!exit->entry_failure) {
        vcpu->vmcs.launched = true;
        vcpu->entries++;
    }
    vcpu->exits++;
    vcpu->last = *exit;
    return 0;
}

void vmx_log_exit(const char *who, const struct vmx_exit *exit)
{
    const char *name = vmx_exit_reason_title(exit->basic);
    os_log("%s: exit reason 0x%x (%u %s%s) qualification 0x%llx\n", who, exit->reason,
           exit->basic, name ? name : "unknown", exit->entry_failure ? ", VM-entry failure" : "",
           (unsigned long long)exit->qualification);
    if (exit->basic == VMX_EXIT_EXCEPTION_OR_NMI) {
        uint32_t info = 0, code = 0;
        uint64_t rip = 0;
        vmcs_read_vm_exit_interruption_information(&info);
        vmcs_read_vm_exit_interruption_error_code(&code);
        vmcs_read_guest_rip(&rip);
        os_log("%s: guest exception vector %u error code 0x%x at rip 0x%llx\n", who,
               vmx_vm_exit_interruption_information_get_vector(info), code, (unsigned long long)rip);
    }
}

int vmx_run(struct vmx_vcpu *vcpu)
{
    for (;;) {
        struct vmx_exit exit;
        int rc = vmx_enter(vcpu, &exit);
        if (rc) {
            os_log("vmx: %s failed: %d (%s)\n", vcpu->vmcs.launched ? "VMRESUME" : "VMLAUNCH",
                   rc, vmx_status_name(rc));
            return rc;
        }
        vmx_exit_fn fn = exit.basic < VMX_EXIT_TABLE_SIZE ? vcpu->handlers[exit.basic] : 0;
        if (!fn) {
            vmx_log_exit("vmx: unexpected exit", &exit);
            return VMX_E_GUEST;
        }
        rc = fn(vcpu, &exit);
        if (rc == VMX_STOP)
            return 0;
        if (rc != VMX_RESUME)
            return rc;
    }
}

int vmx_skip_instruction(void)
{
    uint64_t rip;
    uint32_t len;
    int rc = vmcs_read_guest_rip(&rip);
    if (!rc)
        rc = vmcs_read_vm_exit_instruction_length(&len);
    if (!rc)
        rc = vmcs_write_guest_rip(rip + len);
    return rc;
}

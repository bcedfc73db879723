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
    if (!resume && vcpu->check_before_launch)
        vmx_check_current_vmcs("before VMLAUNCH", 0, 0, &vcpu->check);
    int rc = resume ? vmx_vmresume(&vcpu->gprs) : vmx_vmlaunch(&vcpu->gprs);
    if (rc == (int)VMX_ERROR_VM_ENTRY_INVALID_CONTROL_FIELDS ||
        rc == (int)VMX_ERROR_VM_ENTRY_INVALID_HOST_STATE_FIELDS) {
        /* VMfailValid leaves the VMCS current and unchanged: say which checks it breaks. */
        os_log("vmx: %s failed with error %d (%s)\n", resume ? "VMRESUME" : "VMLAUNCH", rc,
               vmx_instruction_error_title((uint32_t)rc));
        vmx_check_current_vmcs(resume ? "VMRESUME failed" : "VMLAUNCH failed", (unsigned)rc, 0, &vcpu->check);
    }
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
    if (exit->entry_failure && (exit->basic == VMX_EXIT_VM_ENTRY_FAILURE_INVALID_GUEST_STATE ||
                                exit->basic == VMX_EXIT_VM_ENTRY_FAILURE_MSR_LOADING)) {
        vmx_log_exit("vmx: VM entry failed", exit);
        vmx_check_current_vmcs(resume ? "VMRESUME entry failure" : "VMLAUNCH entry failure", exit->basic,
                               qual, &vcpu->check);
    }
    if (!exit->entry_failure && !resume && vcpu->check_before_launch && vcpu->check.violated)
        os_log("VMXCHECK DISAGREE before VMLAUNCH: %u checks were violated before it, yet it entered the guest (%s)\n",
               vcpu->check.violated, vcpu->check.ids);
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

/* SPDX-License-Identifier: MIT */
#include "common.h"

#include "vmx/arch.h"

bool scenario_vmx_on(const char *name, struct vmx_cpu *cpu)
{
    int rc = vmx_cpu_on(cpu);
    if (rc == VMX_E_NOT_SUPPORTED)
        os_log("SCENARIO %s SKIP %s\n", name, vmx_status_name(rc));
    else if (rc)
        os_log("SCENARIO %s FAIL VMX on: %d (%s)\n", name, rc, vmx_status_name(rc));
    return rc == 0;
}

int scenario_controls_flat64(const struct vmx_caps *caps)
{
    static const struct vmx_ctl_bit proc_req[] = { VMX_CTL(PROC, HLT_EXITING) };
    static const struct vmx_ctl_bit exit_req[] = { VMX_CTL(EXIT, HOST_ADDRESS_SPACE_SIZE) };
    static const struct vmx_ctl_bit entry_req[] = { VMX_CTL(ENTRY, IA32E_MODE_GUEST) };
    uint32_t pin, proc, exit, entry;
    int rc = vmx_controls("pin-based controls", caps->pin, 0, 0, 0, &pin);
    if (!rc)
        rc = vmx_controls("primary processor-based controls", caps->proc, proc_req, 1, 0, &proc);
    if (!rc)
        rc = vmx_controls("VM-exit controls", caps->exit, exit_req, 1, 0, &exit);
    if (!rc)
        rc = vmx_controls("VM-entry controls", caps->entry, entry_req, 1, 0, &entry);
    if (rc)
        return rc;
    if ((rc = vmcs_write_pin_based_vm_execution_controls(pin)) ||
        (rc = vmcs_write_primary_processor_based_vm_execution_controls(proc)) ||
        (rc = vmcs_write_primary_vm_exit_controls(exit)) ||
        (rc = vmcs_write_vm_entry_controls(entry)))
        os_log("vmx: writing controls failed: %d (%s)\n", rc, vmx_status_name(rc));
    return rc;
}

int scenario_vcpu_flat64(struct vmx_vcpu *vcpu, struct vmx_cpu *cpu, void (*rip)(void),
                         void **stack)
{
    int rc;
    *stack = os_alloc_pages(GUEST_STACK_PAGES);
    if (!*stack)
        return VMX_E_NO_MEMORY;
    vcpu->cpu = cpu;
    rc = vmx_vmcs_alloc(cpu, &vcpu->vmcs);
    if (!rc)
        rc = vmx_vmcs_clear(&vcpu->vmcs);
    if (!rc)
        rc = vmx_vmcs_load(&vcpu->vmcs);
    if (!rc)
        rc = vmx_vmcs_setup_baseline(&cpu->caps);
    if (!rc)
        rc = scenario_controls_flat64(&cpu->caps);
    if (!rc)
        rc = vmx_vmcs_setup_defaults();
    if (!rc)
        rc = vmx_vmcs_setup_host();
    /* The guest starts as if called: RSP 8 below a 16-byte boundary. */
    if (!rc)
        rc = vmx_guest_setup_flat64((uint64_t)(uintptr_t)rip,
                                    (uint64_t)(uintptr_t)*stack + GUEST_STACK_PAGES * OS_PAGE_SIZE - 8);
    return rc;
}

void scenario_vcpu_release(struct vmx_vcpu *vcpu, void *stack)
{
    /* VMCLEAR before freeing: the CPU may cache VMCS data and write it back later. */
    if (vcpu->vmcs.region)
        vmx_vmcs_clear(&vcpu->vmcs);
    vmx_vmcs_free(&vcpu->vmcs);
    if (stack)
        os_free_pages(stack, GUEST_STACK_PAGES);
}

void scenario_cpuid(struct vmx_gprs *g)
{
    uint32_t leaf = (uint32_t)g->rax, sub = (uint32_t)g->rcx;
    struct arch_cpuid r;
    if (leaf == HV_CPUID_SIGNATURE)
        r = (struct arch_cpuid){ HV_CPUID_ECHO, HV_SIGNATURE_EBX, HV_SIGNATURE_ECX, HV_SIGNATURE_EDX };
    else if (leaf == HV_CPUID_ECHO)
        r = (struct arch_cpuid){ sub ^ HV_ECHO_XOR, 0, 0, 0 };
    else
        r = arch_cpuid(leaf, sub);
    g->rax = r.eax;
    g->rbx = r.ebx;
    g->rcx = r.ecx;
    g->rdx = r.edx;
}

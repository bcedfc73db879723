/* SPDX-License-Identifier: MIT */
/* VMX operation on one CPU: capabilities, IA32_FEATURE_CONTROL, CR0/CR4, VMXON/VMXOFF, VMCS. */
#include "vmx/arch.h"
#include "vmx/vmx.h"

const char *vmx_status_name(int status)
{
    switch (status) {
    case VMX_OK: return "success";
    case VMX_FAIL_INVALID: return "VMfailInvalid";
    case VMX_FAULT: return "instruction faulted (#UD/#GP)";
    case VMX_E_NOT_SUPPORTED: return "VMX not supported (CPUID.1:ECX.VMX=0)";
    case VMX_E_DISABLED_BY_FIRMWARE:
        return "VMX disabled by firmware (IA32_FEATURE_CONTROL locked, VMX outside SMX off)";
    case VMX_E_NO_MEMORY: return "out of memory";
    case VMX_E_CAPABILITY: return "required capability missing";
    case VMX_E_MSR: return "MSR access faulted";
    case VMX_E_INSTRUCTION: return "VMX instruction failed";
    case VMX_E_GUEST: return "unexpected guest behaviour";
    case VMX_E_BUSY: return "CR4.VMXE already set: VMX is owned by someone else";
    }
    if (status > 0) {
        const char *name = vmx_instruction_error_name((uint32_t)status);
        return name ? name : "unknown VM-instruction error";
    }
    return "unknown error";
}

static int read_msr(uint32_t msr, uint64_t *value)
{
    if (os_rdmsr_safe(msr, value)) {
        os_log("vmx: rdmsr 0x%x raised #GP\n", msr);
        return VMX_E_MSR;
    }
    return 0;
}

int vmx_caps_read(struct vmx_caps *c)
{
    int rc = 0;
    *c = (struct vmx_caps){ 0 };

    rc = read_msr(VMX_MSR_IA32_VMX_BASIC, &c->basic);
    if (rc)
        return rc;
    /* Bit 55: the TRUE_ MSRs exist and say which default-1 controls may really be 0. */
    c->true_controls = (c->basic & VMX_IA32_VMX_BASIC_TRUE_CONTROLS_MASK) != 0;

    rc = read_msr(c->true_controls ? VMX_MSR_IA32_VMX_TRUE_PINBASED_CTLS
                                   : VMX_MSR_IA32_VMX_PINBASED_CTLS, &c->pin);
    if (!rc)
        rc = read_msr(c->true_controls ? VMX_MSR_IA32_VMX_TRUE_PROCBASED_CTLS
                                       : VMX_MSR_IA32_VMX_PROCBASED_CTLS, &c->proc);
    if (!rc)
        rc = read_msr(c->true_controls ? VMX_MSR_IA32_VMX_TRUE_EXIT_CTLS
                                       : VMX_MSR_IA32_VMX_EXIT_CTLS, &c->exit);
    if (!rc)
        rc = read_msr(c->true_controls ? VMX_MSR_IA32_VMX_TRUE_ENTRY_CTLS
                                       : VMX_MSR_IA32_VMX_ENTRY_CTLS, &c->entry);
    if (!rc)
        rc = read_msr(VMX_MSR_IA32_VMX_MISC, &c->misc);
    if (!rc)
        rc = read_msr(VMX_MSR_IA32_VMX_CR0_FIXED0, &c->cr0_fixed0);
    if (!rc)
        rc = read_msr(VMX_MSR_IA32_VMX_CR0_FIXED1, &c->cr0_fixed1);
    if (!rc)
        rc = read_msr(VMX_MSR_IA32_VMX_CR4_FIXED0, &c->cr4_fixed0);
    if (!rc)
        rc = read_msr(VMX_MSR_IA32_VMX_CR4_FIXED1, &c->cr4_fixed1);
    if (!rc)
        rc = read_msr(VMX_MSR_IA32_VMX_VMCS_ENUM, &c->vmcs_enum);
    if (rc)
        return rc;

    /* PROCBASED_CTLS2 exists only if "activate secondary controls" may be 1. */
    c->has_proc2 = vmx_ctl_allowed1(c->proc, VMX_PROC_ACTIVATE_SECONDARY_CONTROLS);
    if (c->has_proc2) {
        rc = read_msr(VMX_MSR_IA32_VMX_PROCBASED_CTLS2, &c->proc2);
        if (rc)
            return rc;
        /* EPT_VPID_CAP exists only if EPT or VPID may be enabled. */
        if (vmx_ctl_allowed1(c->proc2, VMX_PROC2_ENABLE_EPT) ||
            vmx_ctl_allowed1(c->proc2, VMX_PROC2_ENABLE_VPID))
            c->has_ept_vpid_cap = os_rdmsr_safe(VMX_MSR_IA32_VMX_EPT_VPID_CAP,
                                                &c->ept_vpid_cap) == 0;
    }
    return 0;
}

uint32_t vmx_vmcs_revision(const struct vmx_caps *caps)
{
    return (uint32_t)((caps->basic & VMX_IA32_VMX_BASIC_VMCS_REVISION_IDENTIFIER_MASK) >>
                      VMX_IA32_VMX_BASIC_VMCS_REVISION_IDENTIFIER_SHIFT);
}

bool vmx_ctl_allowed1(uint64_t cap, uint32_t mask)
{
    uint32_t allowed1 = (uint32_t)((cap & VMX_CONTROL_CAPABILITY_ALLOWED_1_MASK) >>
                                   VMX_CONTROL_CAPABILITY_ALLOWED_1_SHIFT);
    return (allowed1 & mask) == mask;
}

int vmx_controls(const char *field, uint64_t cap, const struct vmx_ctl_bit *required,
                 size_t nrequired, uint32_t optional, uint32_t *value)
{
    uint32_t must1 = (uint32_t)((cap & VMX_CONTROL_CAPABILITY_ALLOWED_0_MASK) >>
                                VMX_CONTROL_CAPABILITY_ALLOWED_0_SHIFT);
    uint32_t may1 = (uint32_t)((cap & VMX_CONTROL_CAPABILITY_ALLOWED_1_MASK) >>
                               VMX_CONTROL_CAPABILITY_ALLOWED_1_SHIFT);
    uint32_t v = must1 | (optional & may1);
    int rc = 0;

    for (size_t i = 0; i < nrequired; i++) {
        if ((may1 & required[i].mask) != required[i].mask) {
            os_log("vmx: required control %s (bit %u) of %s is not supported by this CPU\n",
                   required[i].name, (unsigned)__builtin_ctz(required[i].mask), field);
            rc = VMX_E_CAPABILITY;
        }
        v |= required[i].mask;
    }
    *value = v;
    return rc;
}

bool vmx_cr4_vmxe(void)
{
    return (arch_read_cr4() & VMX_CR4_VMXE_MASK) != 0;
}

/* IA32_FEATURE_CONTROL: if firmware locked it, it must allow VMX outside SMX; if not, we set the
 * bit and lock it ourselves (wrmsr to a locked MSR would #GP, so never write when locked). */
static int enable_feature_control(void)
{
    uint64_t fc;
    const uint64_t want = VMX_IA32_FEATURE_CONTROL_ENABLE_VMX_OUTSIDE_SMX_MASK;

    if (read_msr(VMX_MSR_IA32_FEATURE_CONTROL, &fc))
        return VMX_E_MSR;
    if (fc & VMX_IA32_FEATURE_CONTROL_LOCK_MASK)
        return (fc & want) ? 0 : VMX_E_DISABLED_BY_FIRMWARE;

    fc |= want | VMX_IA32_FEATURE_CONTROL_LOCK_MASK;
    if (os_wrmsr_safe(VMX_MSR_IA32_FEATURE_CONTROL, fc)) {
        os_log("vmx: wrmsr IA32_FEATURE_CONTROL raised #GP\n");
        return VMX_E_MSR;
    }
    if (read_msr(VMX_MSR_IA32_FEATURE_CONTROL, &fc))
        return VMX_E_MSR;
    return (fc & want) ? 0 : VMX_E_DISABLED_BY_FIRMWARE;
}

int vmx_cpu_on(struct vmx_cpu *cpu)
{
    int rc;

    *cpu = (struct vmx_cpu){ 0 };
    cpu->pin_state = os_cpu_pin();
    cpu->pinned = true;

    if (!(arch_cpuid(1, 0).ecx & VMX_CPUID_01_ECX_VMX_MASK)) {
        rc = VMX_E_NOT_SUPPORTED;
        goto fail;
    }
    rc = enable_feature_control();
    if (!rc)
        rc = vmx_caps_read(&cpu->caps);
    if (rc)
        goto fail;
    if (vmx_cr4_vmxe()) {
        rc = VMX_E_BUSY; /* not ours to turn off: leave CR4 as we found it */
        goto fail;
    }
    if (!(cpu->caps.cr4_fixed1 & VMX_CR4_VMXE_MASK)) {
        rc = VMX_E_CAPABILITY;
        goto fail;
    }

    /* VMXON requires CR0/CR4 to honour the FIXED0 (must be 1) and FIXED1 (may be 1) MSRs. */
    cpu->saved_cr0 = arch_read_cr0();
    cpu->saved_cr4 = arch_read_cr4();
    cpu->cr_changed = true;
    arch_write_cr0((cpu->saved_cr0 | cpu->caps.cr0_fixed0) & cpu->caps.cr0_fixed1);
    arch_write_cr4((cpu->saved_cr4 | cpu->caps.cr4_fixed0 | VMX_CR4_VMXE_MASK) &
                   cpu->caps.cr4_fixed1);

    cpu->vmxon_region = os_alloc_pages(1);
    if (!cpu->vmxon_region) {
        rc = VMX_E_NO_MEMORY;
        goto fail;
    }
    *(uint32_t *)cpu->vmxon_region = vmx_vmcs_revision(&cpu->caps);
    cpu->vmxon_phys = os_virt_to_phys(cpu->vmxon_region);

    rc = vmx_vmxon(cpu->vmxon_phys);
    if (rc) {
        os_log("vmx: VMXON failed: %d (%s)\n", rc, vmx_status_name(rc));
        goto fail;
    }
    cpu->on = true;
    return 0;

fail:
    vmx_cpu_off(cpu);
    return rc;
}

void vmx_cpu_off(struct vmx_cpu *cpu)
{
    if (cpu->on) {
        int rc = vmx_vmxoff();
        if (rc)
            os_log("vmx: VMXOFF failed: %d (%s)\n", rc, vmx_status_name(rc));
        cpu->on = false;
    }
    if (cpu->cr_changed) {
        arch_write_cr4(cpu->saved_cr4);
        arch_write_cr0(cpu->saved_cr0);
        cpu->cr_changed = false;
    }
    if (cpu->vmxon_region) {
        os_free_pages(cpu->vmxon_region, 1);
        cpu->vmxon_region = 0;
    }
    if (cpu->pinned) {
        os_cpu_unpin(cpu->pin_state);
        cpu->pinned = false;
    }
}

int vmx_vmcs_alloc(struct vmx_cpu *cpu, struct vmx_vmcs *vmcs)
{
    *vmcs = (struct vmx_vmcs){ 0 };
    vmcs->region = os_alloc_pages(1);
    if (!vmcs->region)
        return VMX_E_NO_MEMORY;
    *(uint32_t *)vmcs->region = vmx_vmcs_revision(&cpu->caps);
    vmcs->phys = os_virt_to_phys(vmcs->region);
    return 0;
}

void vmx_vmcs_free(struct vmx_vmcs *vmcs)
{
    if (vmcs->region)
        os_free_pages(vmcs->region, 1);
    *vmcs = (struct vmx_vmcs){ 0 };
}

int vmx_vmcs_clear(struct vmx_vmcs *vmcs)
{
    int rc = vmx_vmclear(vmcs->phys);
    if (!rc)
        vmcs->launched = false;
    return rc;
}

int vmx_vmcs_load(struct vmx_vmcs *vmcs)
{
    uint64_t current = 0;
    int rc = vmx_vmptrld(vmcs->phys);
    if (rc)
        return rc;
    rc = vmx_vmptrst(&current);
    if (rc)
        return rc;
    if (current != vmcs->phys) {
        os_log("vmx: VMPTRST says 0x%llx, expected 0x%llx\n", (unsigned long long)current,
               (unsigned long long)vmcs->phys);
        return VMX_E_INSTRUCTION;
    }
    return 0;
}

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
        const char *name = vmx_instruction_error_title((uint32_t)status);
        return name ? name : "unknown VM-instruction error";
    }
    return "unknown error";
}

bool vmx_cr4_vmxe(void)
{
    return (arch_read_cr4() & VMX_CR4_VMXE_MASK) != 0;
}

/*
 * CR0 is written here, not through the OS seam as CR4 is (os_cr4_update): no OS the driver is
 * ported to keeps a copy of CR0 that it writes back (Linux has a per-CPU CR4 shadow but reads and
 * writes CR0 directly), so a plain mov is all a port would do. The register is written only when
 * a bit changes; on a running OS the FIXED bits (PE, PG, NE) are normally set already.
 */
static void cr0_update(uint64_t set, uint64_t clear)
{
    if (set | clear)
        arch_write_cr0((arch_read_cr0() | set) & ~clear);
}

int vmx_cpu_on(struct vmx_cpu *cpu)
{
    int rc;

    *cpu = (struct vmx_cpu){ 0 };
    cpu->pin_state = os_cpu_pin();
    cpu->pinned = true;

    if (!(arch_cpuid(1, 0).ecx & VMX_CPUID_1_ECX_VMX_MASK)) {
        rc = VMX_E_NOT_SUPPORTED;
        goto fail;
    }
    rc = vmx_feature_control_enable();
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

    /* VMXON requires CR0/CR4 to honour the FIXED0 (must be 1) and FIXED1 (may be 1) MSRs. Only
     * the bits that change are recorded, so that vmx_cpu_off undoes exactly those and keeps what
     * the OS changed meanwhile (Linux flips CR4.TSD/PCE per task, for instance). */
    {
        uint64_t cr0 = arch_read_cr0(), cr4 = arch_read_cr4();
        uint64_t cr0_want = (cr0 | cpu->caps.cr0_fixed0) & cpu->caps.cr0_fixed1;
        uint64_t cr4_want = (cr4 | cpu->caps.cr4_fixed0 | VMX_CR4_VMXE_MASK) & cpu->caps.cr4_fixed1;

        cpu->cr0_set = cr0_want & ~cr0;
        cpu->cr0_cleared = cr0 & ~cr0_want;
        cpu->cr4_set = cr4_want & ~cr4;
        cpu->cr4_cleared = cr4 & ~cr4_want;
        cr0_update(cpu->cr0_set, cpu->cr0_cleared);
        os_cr4_update(cpu->cr4_set, cpu->cr4_cleared);
    }

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
    /* Undo the CR4 then the CR0 changes of vmx_cpu_on (VMXE is cleared after VMXOFF). */
    if (cpu->cr4_set | cpu->cr4_cleared) {
        os_cr4_update(cpu->cr4_cleared, cpu->cr4_set);
        cpu->cr4_set = cpu->cr4_cleared = 0;
    }
    if (cpu->cr0_set | cpu->cr0_cleared) {
        cr0_update(cpu->cr0_cleared, cpu->cr0_set);
        cpu->cr0_set = cpu->cr0_cleared = 0;
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

/* SPDX-License-Identifier: MIT */
/*
 * Scenario 6: the baseline VMCS (vmx/baseline.h, spec/checks/README.md) passes the CPU's VM-entry
 * checks. vmx_baseline_vmcs fills a fresh VMCS through VMWRITE; then only what must name this
 * machine is replaced: the host state (vmx_vmcs_setup_host: the running kernel's CR0/CR3/CR4,
 * segments, tables and exit stub, without which the VM exit could not return here) and the
 * guest's CR3 and RIP (the host's page tables and a function that executes CPUID, which exits
 * unconditionally). Every control, the guest's CR0/CR4, segments, descriptor tables, DR7, RFLAGS,
 * link pointer and activity state stay the baseline's. VMLAUNCH must enter the guest, and the
 * first exit must be CPUID. The two controls the baseline adds to the allowed-0 settings are
 * shown to be needed: without exit.host_address_space_size VMLAUNCH fails with error 8 (invalid
 * host state: this host runs in IA-32e mode), without entry.ia32e_mode_guest VM entry fails with
 * exit 33 (invalid guest state: CS.L is 1).
 */
#include "common.h"
#include "vmx/arch.h"
#include "vmx/baseline.h"
#include "vmx/scenarios.h"

/* The guest: CPUID, which exits unconditionally. Plain assembly, because the baseline's guest RSP
 * is 0: a C function's prologue would push onto an unmapped page and triple-fault. */
void baseline_guest_cpuid(void);
__asm__(".pushsection .text\n"
        ".type baseline_guest_cpuid, @function\n"
        "baseline_guest_cpuid:\n"
        "    xor %eax, %eax\n"
        "    cpuid\n"
        "1:  hlt\n"
        "    jmp 1b\n"
        ".size baseline_guest_cpuid, . - baseline_guest_cpuid\n"
        ".popsection\n");

static int vmwrite_current(void *ctx, uint32_t encoding, uint64_t value)
{
    unsigned *count = ctx;
    ++*count;
    return vmx_vmwrite(encoding, value);
}

/* What one launch does: the VMCS cleared and loaded, the baseline written and this machine's
 * parts replaced, `drop` cleared from `control` (no field: nothing dropped), VMLAUNCH. */
struct launch {
    const char *step;
    bool attempted; /* VMLAUNCH ran: rc is its status */
    unsigned written;
    int rc;
    struct vmx_exit exit;
};

static struct launch launch(struct vmx_vcpu *vcpu, uint32_t control, uint64_t drop)
{
    struct launch l = { "vmclear", false, 0, 0, { 0 } };
    uint64_t value = 0;

    l.rc = vmx_vmcs_clear(&vcpu->vmcs);
    if (!l.rc)
        l.rc = vmx_vmcs_load(&vcpu->vmcs);
    if (!l.rc) {
        l.step = "baseline";
        l.rc = vmx_baseline_vmcs(&vcpu->cpu->caps, vmwrite_current, &l.written);
    }
    if (!l.rc) {
        l.step = "host_state";
        l.rc = vmx_vmcs_setup_host();
    }
    if (!l.rc) {
        l.step = "guest_cr3_rip";
        l.rc = vmcs_write_guest_cr3(arch_read_cr3());
    }
    if (!l.rc)
        l.rc = vmcs_write_guest_rip((uint64_t)(uintptr_t)baseline_guest_cpuid);
    if (!l.rc && control) {
        l.step = "drop_control";
        l.rc = vmx_vmread(control, &value);
        if (!l.rc)
            l.rc = vmx_vmwrite(control, value & ~drop);
    }
    if (!l.rc) {
        l.step = "vmlaunch";
        l.attempted = true;
        l.rc = vmx_enter(vcpu, &l.exit);
    }
    return l;
}

static const char *reason_name(const struct launch *l)
{
    const char *name = vmx_exit_reason_name(l->exit.basic);
    return name ? name : "unknown";
}

void scenario_baseline_launch(void)
{
    static const char name[] = "baseline_launch";
    struct vmx_cpu cpu;
    struct vmx_vcpu vcpu = { 0 };

    if (!scenario_vmx_on(name, &cpu))
        return;
    vcpu.cpu = &cpu;
    int rc = vmx_vmcs_alloc(&cpu, &vcpu.vmcs);
    if (rc) {
        os_log("SCENARIO %s FAIL vmcs_alloc: %d (%s)\n", name, rc, vmx_status_name(rc));
        vmx_cpu_off(&cpu);
        return;
    }
    struct launch ok = launch(&vcpu, 0, 0);
    struct launch no_host64 = launch(&vcpu, VMCS_PRIMARY_VM_EXIT_CONTROLS, VMX_EXIT_HOST_ADDRESS_SPACE_SIZE);
    struct launch no_guest64 = launch(&vcpu, VMCS_VM_ENTRY_CONTROLS, VMX_ENTRY_IA32E_MODE_GUEST);
    scenario_vcpu_release(&vcpu, 0);
    vmx_cpu_off(&cpu);

    os_log("baseline_launch: as built: %s status %d exit 0x%08x (%s)\n", ok.step, ok.rc, ok.exit.reason, reason_name(&ok));
    os_log("baseline_launch: without host_address_space_size: %s status %d (%s)\n", no_host64.step, no_host64.rc,
           vmx_status_name(no_host64.rc));
    os_log("baseline_launch: without ia32e_mode_guest: %s status %d exit 0x%08x (%s)\n", no_guest64.step, no_guest64.rc,
           no_guest64.exit.reason, reason_name(&no_guest64));
    bool launched = ok.attempted && ok.rc == 0 && !ok.exit.entry_failure && ok.exit.basic == VMX_EXIT_CPUID;
    bool host64_needed = no_host64.attempted && no_host64.rc == (int)VMX_ERROR_VM_ENTRY_INVALID_HOST_STATE_FIELDS;
    bool guest64_needed = no_guest64.attempted && no_guest64.rc == 0 && no_guest64.exit.entry_failure &&
                          no_guest64.exit.basic == VMX_EXIT_VM_ENTRY_FAILURE_INVALID_GUEST_STATE;
    if (launched && host64_needed && guest64_needed)
        os_log("SCENARIO %s PASS fields_written=%u exit=%u (%s) replaced=host_state,guest_cr3,guest_rip "
               "without_host_address_space_size=error_%d without_ia32e_mode_guest=exit_%u\n",
               name, ok.written, ok.exit.basic, reason_name(&ok), no_host64.rc, no_guest64.exit.basic);
    else
        os_log("SCENARIO %s FAIL launched=%d host_address_space_size_needed=%d ia32e_mode_guest_needed=%d "
               "fields_written=%u\n", name, launched, host64_needed, guest64_needed, ok.written);
}

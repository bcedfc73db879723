/* SPDX-License-Identifier: MIT */
/*
 * The Linux port is split in two halves that never share a translation unit:
 *
 *   vmx_core_glue.c  sees the VMX runtime (vmx/vmx.h and with it the generated facts headers)
 *                    and no kernel header beyond linux/types.h & co. (via shim/);
 *   vmxgen_main.c,   see the kernel's headers (per-CPU, debugfs, CPU hotplug, MSRs) and no VMX
 *   os_linux.c       facts, so the two name spaces cannot collide (asm/msr-index.h has VMX_BASIC_*,
 *                    asm/current.h turns every `current` into a function call, ...).
 *
 * This header is the narrow waist between them: plain types only.
 */
#ifndef VMXGEN_LINUX_H
#define VMXGEN_LINUX_H

#include <linux/types.h>

/* --- vmx_core_glue.c: one CPU's VMX operation, through the portable core --- */

/* The core's per-CPU state (struct vmx_cpu) is opaque to the kernel half: it only allocates it. */
size_t vmxgen_core_state_size(void);
size_t vmxgen_core_state_align(void);

/* On the calling CPU, with interrupts off: detect, IA32_FEATURE_CONTROL, CR0/CR4, VMXON region,
 * VMXON (vmx_cpu_on). 0 or a core status; on failure VMX is left as it was found. */
int vmxgen_core_on(void *state);
/* VMXOFF, CR0/CR4 changes undone (CR4 through the kernel's shadow), VMXON region freed
 * (vmx_cpu_off); idempotent. */
void vmxgen_core_off(void *state);
u64 vmxgen_core_vmxon_phys(const void *state);
u32 vmxgen_core_vmcs_revision(const void *state);

/* What a core status means to Linux. */
enum vmxgen_why {
    VMXGEN_WHY_OK,
    VMXGEN_WHY_NOT_SUPPORTED,   /* CPUID.1:ECX.VMX = 0 */
    VMXGEN_WHY_FIRMWARE,        /* IA32_FEATURE_CONTROL locked without VMX outside SMX */
    VMXGEN_WHY_BUSY,            /* CR4.VMXE already set: another hypervisor (KVM) owns VMX */
    VMXGEN_WHY_NO_MEMORY,
    VMXGEN_WHY_OTHER,
};
enum vmxgen_why vmxgen_core_why(int status);
const char *vmxgen_core_status_name(int status);

/* The scenarios of src/scenarios, by index (the kernel half looks names up). Each runs on the
 * calling CPU with interrupts off and does its own vmx_cpu_on/vmx_cpu_off, so the caller has
 * left VMX operation on this CPU before and re-enters it after. */
unsigned vmxgen_core_scenario_count(void);
const char *vmxgen_core_scenario_name(unsigned i);
void vmxgen_core_scenario_run(unsigned i);
/* scenario_smp (SMP <step> lines) from process context: it drives CPUs 0 .. n-1 through
 * os_run_on_cpu, each of which must have left VMX operation. */
void vmxgen_core_smp(void);

/* What the calling CPU itself says, read from the hardware, not from the module's bookkeeping:
 * CR4.VMXE of the register, and VMPTRST (-2: #UD, i.e. not in VMX operation; 0: in VMX
 * operation, current_vmcs the current-VMCS pointer). */
struct vmxgen_probe {
    bool cr4_vmxe;
    int vmptrst_status;
    u64 current_vmcs;
};
void vmxgen_core_probe(struct vmxgen_probe *probe);

#endif

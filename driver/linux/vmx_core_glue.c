/* SPDX-License-Identifier: MIT */
/*
 * Linux port, core-facing half: drives the portable VMX runtime (src/vmx_cpu.c) for one CPU and
 * hands the kernel half only plain values (see vmxgen_linux.h for why the halves are apart).
 */
#include "vmx/arch.h"
#include "vmx/scenarios.h"
#include "vmx/vmx.h"
#include "vmxgen_linux.h"

size_t vmxgen_core_state_size(void) { return sizeof(struct vmx_cpu); }
size_t vmxgen_core_state_align(void) { return _Alignof(struct vmx_cpu); }

int vmxgen_core_on(void *state) { return vmx_cpu_on(state); }
void vmxgen_core_off(void *state) { vmx_cpu_off(state); }

u64 vmxgen_core_vmxon_phys(const void *state)
{
    return ((const struct vmx_cpu *)state)->vmxon_phys;
}

u32 vmxgen_core_vmcs_revision(const void *state)
{
    return vmx_vmcs_revision(&((const struct vmx_cpu *)state)->caps);
}

enum vmxgen_why vmxgen_core_why(int status)
{
    switch (status) {
    case VMX_OK: return VMXGEN_WHY_OK;
    case VMX_E_NOT_SUPPORTED: return VMXGEN_WHY_NOT_SUPPORTED;
    case VMX_E_DISABLED_BY_FIRMWARE: return VMXGEN_WHY_FIRMWARE;
    case VMX_E_BUSY: return VMXGEN_WHY_BUSY;
    case VMX_E_NO_MEMORY: return VMXGEN_WHY_NO_MEMORY;
    default: return VMXGEN_WHY_OTHER;
    }
}

const char *vmxgen_core_status_name(int status) { return vmx_status_name(status); }

/* The bare-metal kernel's single-CPU scenarios (baremetal/kernel.c runs the same list), each
 * printing its SCENARIO line through os_log. Each owns the VMX lifecycle of the CPU it runs on:
 * vmx_cpu_on at its start, vmx_cpu_off at its end. */
static const struct {
    const char *name;
    void (*run)(void);
} scenarios[] = {
    { "caps_dump", scenario_caps_dump },
    { "guest64_cpuid_loop", scenario_guest64_cpuid_loop },
    { "error_paths", scenario_error_paths },
    { "vmcs_fields", scenario_vmcs_fields },
    { "baseline_launch", scenario_baseline_launch },
};

unsigned vmxgen_core_scenario_count(void) { return sizeof scenarios / sizeof scenarios[0]; }
const char *vmxgen_core_scenario_name(unsigned i) { return scenarios[i].name; }
void vmxgen_core_scenario_run(unsigned i) { scenarios[i].run(); }
void vmxgen_core_smp(void) { scenario_smp(0, 0); }

void vmxgen_core_probe(struct vmxgen_probe *probe)
{
    probe->cr4_vmxe = (arch_read_cr4() & VMX_CR4_VMXE_MASK) != 0;
    probe->vmptrst_status = vmx_vmptrst(&probe->current_vmcs);
}

/* SPDX-License-Identifier: MIT */
/*
 * Linux port, core-facing half: drives the portable VMX runtime (src/vmx_cpu.c) for one CPU and
 * hands the kernel half only plain values (see vmxgen_linux.h for why the halves are apart).
 */
#include "vmx/vmx.h"
#include "vmxgen_linux.h"

size_t vmxgen_core_state_size(void) { return sizeof(struct vmx_cpu); }
size_t vmxgen_core_state_align(void) { return _Alignof(struct vmx_cpu); }

int vmxgen_core_on(void *state) { return vmx_cpu_on(state); }
void vmxgen_core_off(void *state) { vmx_cpu_off(state); }

bool vmxgen_core_is_on(const void *state)
{
    return ((const struct vmx_cpu *)state)->on;
}

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

/* The same MSRs, in the same order, as the bare-metal caps_dump scenario; addresses from the
 * facts headers. */
#define CAP(name) { VMX_MSR_##name, #name }
static const struct {
    u32 msr;
    const char *name;
} caps[] = {
    CAP(IA32_FEATURE_CONTROL),
    CAP(IA32_VMX_BASIC),
    CAP(IA32_VMX_PINBASED_CTLS),
    CAP(IA32_VMX_PROCBASED_CTLS),
    CAP(IA32_VMX_EXIT_CTLS),
    CAP(IA32_VMX_ENTRY_CTLS),
    CAP(IA32_VMX_MISC),
    CAP(IA32_VMX_CR0_FIXED0),
    CAP(IA32_VMX_CR0_FIXED1),
    CAP(IA32_VMX_CR4_FIXED0),
    CAP(IA32_VMX_CR4_FIXED1),
    CAP(IA32_VMX_VMCS_ENUM),
    CAP(IA32_VMX_PROCBASED_CTLS2),
    CAP(IA32_VMX_EPT_VPID_CAP),
    CAP(IA32_VMX_TRUE_PINBASED_CTLS),
    CAP(IA32_VMX_TRUE_PROCBASED_CTLS),
    CAP(IA32_VMX_TRUE_EXIT_CTLS),
    CAP(IA32_VMX_TRUE_ENTRY_CTLS),
    CAP(IA32_VMX_VMFUNC),
    CAP(IA32_VMX_PROCBASED_CTLS3),
    CAP(IA32_VMX_EXIT_CTLS2),
};
#undef CAP

unsigned vmxgen_caps_count(void) { return sizeof caps / sizeof caps[0]; }
u32 vmxgen_caps_msr(unsigned i) { return i < vmxgen_caps_count() ? caps[i].msr : 0; }
const char *vmxgen_caps_name(unsigned i) { return i < vmxgen_caps_count() ? caps[i].name : 0; }

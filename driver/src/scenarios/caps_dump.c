/* SPDX-License-Identifier: MIT */
/*
 * Scenario 0: every IA32_VMX_* capability MSR (0x480-0x493) and IA32_FEATURE_CONTROL, one JSON
 * object per line between CAPS BEGIN / CAPS END; an MSR that raises #GP is listed as "gp".
 * Runs outside VMX operation: the capability MSRs are readable whenever CPUID says VMX.
 */
#include "vmx/arch.h"
#include "vmx/os.h"
#include "vmx/scenarios.h"
#include "vmx/vmx.h"

#define CAP(name) { VMX_MSR_##name, #name }

static const struct {
    uint32_t msr;
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

void scenario_caps_dump(void)
{
    unsigned n = sizeof caps / sizeof caps[0], gp = 0;
    bool basic_ok = false;

    if (!(arch_cpuid(1, 0).ecx & VMX_CPUID_01_ECX_VMX_MASK)) {
        os_log("SCENARIO caps_dump SKIP %s\n", vmx_status_name(VMX_E_NOT_SUPPORTED));
        return;
    }
    os_log("CAPS BEGIN\n");
    for (unsigned i = 0; i < n; i++) {
        uint64_t v;
        if (os_rdmsr_safe(caps[i].msr, &v)) {
            gp++;
            os_log("CAPS {\"msr\":\"0x%x\",\"name\":\"%s\",\"gp\":true}\n", caps[i].msr,
                   caps[i].name);
            continue;
        }
        if (caps[i].msr == VMX_MSR_IA32_VMX_BASIC)
            basic_ok = true;
        os_log("CAPS {\"msr\":\"0x%x\",\"name\":\"%s\",\"value\":\"0x%016llx\"}\n", caps[i].msr,
               caps[i].name, (unsigned long long)v);
    }
    os_log("CAPS END\n");
    if (basic_ok)
        os_log("SCENARIO caps_dump PASS msrs=%u readable=%u gp=%u\n", n, n - gp, gp);
    else
        os_log("SCENARIO caps_dump FAIL IA32_VMX_BASIC raised #GP although CPUID reports VMX\n");
}

/* SPDX-License-Identifier: MIT */
/*
 * Scenario 0: IA32_FEATURE_CONTROL and every IA32_VMX_* capability MSR (0x480-0x493), as the
 * capability dump JSON of tests/fixtures/caps/<model>.json between CAPS BEGIN / CAPS END (an MSR
 * that raises #GP is "gp"). The kernel does not know the Bochs model's name, so "model" is
 * "unknown"; tools/caps-json.sh puts the name in. Runs outside VMX operation: the capability
 * MSRs are readable whenever CPUID says VMX.
 */
#include "vmx/arch.h"
#include "vmx/dump.h"
#include "vmx/os.h"
#include "vmx/scenarios.h"
#include "vmx/vmx.h"

void scenario_caps_dump(void)
{
    struct vmx_caps_dump dump;
    unsigned gp = 0;
    bool basic_ok = false;

    if (!(arch_cpuid(1, 0).ecx & VMX_CPUID_1_ECX_VMX_MASK)) {
        os_log("SCENARIO caps_dump SKIP %s\n", vmx_status_name(VMX_E_NOT_SUPPORTED));
        return;
    }
    vmx_caps_dump_read(&dump);
    for (unsigned i = 0; i < dump.count; i++) {
        gp += dump.gp[i];
        if (dump.msr[i] == VMX_MSR_IA32_VMX_BASIC && !dump.gp[i])
            basic_ok = true;
    }
    os_log("CAPS BEGIN\n");
    vmx_caps_dump_json(&dump, "unknown", vmx_dump_to_log, 0);
    os_log("CAPS END\n");
    if (basic_ok)
        os_log("SCENARIO caps_dump PASS msrs=%u readable=%u gp=%u\n", dump.count,
               dump.count - gp, gp);
    else
        os_log("SCENARIO caps_dump FAIL IA32_VMX_BASIC raised #GP although CPUID reports VMX\n");
}

/* SPDX-License-Identifier: MIT */
/*
 * Scenario 2: a real-mode guest (CR0.PE=0, so "unrestricted guest", which needs EPT) whose
 * guest-physical pages are scattered host pages. The guest transforms a value the host seeded
 * and writes it back; the host then walks its EPT to the host-physical page and finds it there.
 * SKIPs cleanly (after a full VMXON/VMXOFF) where EPT or unrestricted guest is not allowed; the
 * SKIP line names the missing allowed-1 bit of its capability MSR as "requires=0x<msr>:<bit>"
 * (e.g. requires=0x48b:39, IA32_VMX_PROCBASED_CTLS2 bit 39, unrestricted guest), which
 * tools/check-models.sh and build.cake check against the model's tests/fixtures/caps/ dump.
 */
#include "common.h"
#include "vmx/fmt.h"
#include "vmx/scenarios.h"

extern const uint8_t guest16_start[], guest16_end[];

struct rm_ctx {
    unsigned cpuid, vmcall, hlt;
    bool done;
};

static int on_cpuid(struct vmx_vcpu *vcpu, const struct vmx_exit *exit)
{
    (void)exit;
    ((struct rm_ctx *)vcpu->ctx)->cpuid++;
    scenario_cpuid(&vcpu->gprs);
    return vmx_skip_instruction() ? VMX_E_INSTRUCTION : VMX_RESUME;
}

static int on_vmcall(struct vmx_vcpu *vcpu, const struct vmx_exit *exit)
{
    (void)exit;
    struct rm_ctx *c = vcpu->ctx;
    c->vmcall++;
    if ((uint32_t)vcpu->gprs.rax != HV_CALL_DONE)
        return VMX_E_GUEST;
    c->done = true;
    return vmx_skip_instruction() ? VMX_E_INSTRUCTION : VMX_RESUME;
}

static int on_hlt(struct vmx_vcpu *vcpu, const struct vmx_exit *exit)
{
    (void)exit;
    ((struct rm_ctx *)vcpu->ctx)->hlt++;
    return VMX_STOP;
}

static int on_ept_fault(struct vmx_vcpu *vcpu, const struct vmx_exit *exit)
{
    (void)vcpu;
    uint64_t gpa = 0;
    vmcs_read_guest_physical_address(&gpa);
    vmx_log_exit("realmode_ept", exit);
    os_log("realmode_ept: guest-physical address 0x%llx\n", (unsigned long long)gpa);
    return VMX_E_GUEST;
}

static const vmx_exit_fn handlers[VMX_EXIT_TABLE_SIZE] = {
    [VMX_EXIT_CPUID] = on_cpuid,
    [VMX_EXIT_VMCALL] = on_vmcall,
    [VMX_EXIT_HLT] = on_hlt,
    [VMX_EXIT_EPT_VIOLATION] = on_ept_fault,
    [VMX_EXIT_EPT_MISCONFIGURATION] = on_ept_fault,
};

/* The first control the scenario needs that this CPU does not allow to be 1, written to buf as
 * "<what> (<MSR> bit <n> is 0) requires=0x<msr>:<n>" (n: the bit of the capability MSR that
 * reports it allowed-1); false when every one is allowed. */
static bool missing_feature(const struct vmx_caps *c, char *buf, size_t size)
{
    static const struct {
        enum vmx_control_field control;
        unsigned bit;
        const char *what;
    } needs[] = {
        { VMX_CONTROL_PROC, VMX_PROC_ACTIVATE_SECONDARY_CONTROLS_BIT,
          "secondary processor-based controls not supported (no EPT)" },
        { VMX_CONTROL_PROC2, VMX_PROC2_ENABLE_EPT_BIT, "EPT not supported" },
        { VMX_CONTROL_PROC2, VMX_PROC2_UNRESTRICTED_GUEST_BIT, "unrestricted guest not supported" },
    };
    for (unsigned i = 0; i < sizeof needs / sizeof needs[0]; i++) {
        if (vmx_caps_allowed1(c, needs[i].control) & (1ull << needs[i].bit))
            continue;
        /* allowed-1 bits of TRUE_ and non-TRUE MSRs are the same: name the non-TRUE one */
        uint32_t msr = vmx_control_capability(needs[i].control).msr;
        unsigned msr_bit = VMX_CONTROL_CAPABILITY_ALLOWED_1_SETTINGS_SHIFT + needs[i].bit;
        const char *msr_name = vmx_msr_name(msr);
        fmt_snprintf(buf, size, "%s (%s bit %u is 0) requires=0x%x:%u", needs[i].what,
                     msr_name ? msr_name : "?", msr_bit, msr, msr_bit);
        return true;
    }
    return false;
}

static int setup_controls(const struct vmx_caps *caps, bool *vpid)
{
    static const struct vmx_ctl_bit proc_req[] = {
        VMX_CTL(PROC, HLT_EXITING),
        VMX_CTL(PROC, ACTIVATE_SECONDARY_CONTROLS),
    };
    static const struct vmx_ctl_bit proc2_req[] = {
        VMX_CTL(PROC2, ENABLE_EPT),
        VMX_CTL(PROC2, UNRESTRICTED_GUEST),
    };
    static const struct vmx_ctl_bit exit_req[] = { VMX_CTL(EXIT, HOST_ADDRESS_SPACE_SIZE) };
    uint32_t pin, proc, proc2, exit, entry;
    int rc = vmx_controls("pin-based controls", caps->pin, 0, 0, 0, &pin);
    if (!rc)
        rc = vmx_controls("primary processor-based controls", caps->proc, proc_req, 2, 0, &proc);
    if (!rc)
        rc = vmx_controls("secondary processor-based controls", caps->proc2, proc2_req, 2,
                          VMX_PROC2_ENABLE_VPID, &proc2);
    if (!rc)
        rc = vmx_controls("VM-exit controls", caps->exit, exit_req, 1, 0, &exit);
    if (!rc)
        rc = vmx_controls("VM-entry controls", caps->entry, 0, 0, 0, &entry);
    if (rc)
        return rc;
    *vpid = (proc2 & VMX_PROC2_ENABLE_VPID) != 0;
    if ((rc = vmcs_write_pin_based_vm_execution_controls(pin)) ||
        (rc = vmcs_write_primary_processor_based_vm_execution_controls(proc)) ||
        (rc = vmcs_write_secondary_processor_based_vm_execution_controls(proc2)) ||
        (rc = vmcs_write_primary_vm_exit_controls(exit)) ||
        (rc = vmcs_write_vm_entry_controls(entry)) ||
        (*vpid && (rc = vmcs_write_virtual_processor_identifier(1))))
        os_log("realmode_ept: writing controls failed: %d (%s)\n", rc, vmx_status_name(rc));
    return rc;
}

/* Drop cached translations for this EPTP/VPID, with the narrowest type the CPU offers. */
static int flush_tlbs(const struct vmx_caps *c, const struct vmx_ept *ept, bool vpid,
                      const char **how)
{
    uint64_t cap = c->ept_vpid_cap;
    int rc = 0;
    *how = "none";
    if (cap & VMX_IA32_VMX_EPT_VPID_CAP_INVEPT_MASK) {
        struct vmx_invept_descriptor d = { ept->eptp, 0 };
        bool single = cap & VMX_IA32_VMX_EPT_VPID_CAP_INVEPT_SINGLE_CONTEXT_MASK;
        if (single || (cap & VMX_IA32_VMX_EPT_VPID_CAP_INVEPT_ALL_CONTEXT_MASK)) {
            rc = vmx_invept(single ? VMX_INVEPT_TYPE_SINGLE_CONTEXT : VMX_INVEPT_TYPE_GLOBAL, &d);
            *how = single ? "invept-single" : "invept-all";
        }
    }
    if (!rc && vpid && (cap & VMX_IA32_VMX_EPT_VPID_CAP_INVVPID_MASK)) {
        struct vmx_invvpid_descriptor d = { 1, 0 };
        bool single = cap & VMX_IA32_VMX_EPT_VPID_CAP_INVVPID_SINGLE_CONTEXT_MASK;
        if (single || (cap & VMX_IA32_VMX_EPT_VPID_CAP_INVVPID_ALL_CONTEXT_MASK)) {
            rc = vmx_invvpid(single ? VMX_INVVPID_TYPE_SINGLE_CONTEXT : VMX_INVVPID_TYPE_ALL_CONTEXT, &d);
            *how = single ? "invept+invvpid-single" : "invept+invvpid-all";
        }
    }
    if (rc)
        os_log("realmode_ept: INVEPT/INVVPID failed: %d (%s)\n", rc, vmx_status_name(rc));
    return rc;
}

void scenario_realmode_ept(void)
{
    static const char name[] = "realmode_ept";
    const uint32_t seed = 0x12345678u;
    struct vmx_cpu cpu;
    struct vmx_ept ept = { 0 };
    struct rm_ctx ctx = { 0 };
    struct vmx_vcpu vcpu = { .handlers = handlers, .ctx = &ctx };
    uint8_t *mem[G16_MEM_PAGES] = { 0 };
    const char *flush = "none", *skip = 0;
    char missing[160];
    bool vpid = false;
    uint64_t result_hpa = 0;

    int rc = vmx_cpu_on(&cpu);
    if (rc == VMX_E_NOT_SUPPORTED)
        skip = vmx_status_name(rc);
    else if (!rc)
        skip = missing_feature(&cpu.caps, missing, sizeof missing) ? missing : 0;
    if (rc || skip)
        goto out;

    /* Guest memory: one host page per guest page, so GPA and HPA really differ. */
    rc = vmx_ept_init(&ept, &cpu.caps);
    for (unsigned i = 0; !rc && i < G16_MEM_PAGES; i++) {
        mem[i] = os_alloc_pages(1);
        rc = mem[i] ? vmx_ept_map_4k(&ept, (uint64_t)i * OS_PAGE_SIZE, os_virt_to_phys(mem[i]))
                    : VMX_E_NO_MEMORY;
    }
    if (rc)
        goto out;
    uint8_t *code = mem[G16_CODE_GPA / OS_PAGE_SIZE];
    for (const uint8_t *p = guest16_start; p < guest16_end; p++)
        *code++ = *p;
    *(volatile uint32_t *)(mem[G16_DATA_GPA / OS_PAGE_SIZE] + G16_SEED) = seed;

    vcpu.cpu = &cpu;
    rc = vmx_vmcs_alloc(&cpu, &vcpu.vmcs);
    if (!rc)
        rc = vmx_vmcs_clear(&vcpu.vmcs);
    if (!rc)
        rc = vmx_vmcs_load(&vcpu.vmcs);
    if (!rc)
        rc = vmx_vmcs_setup_baseline(&cpu.caps);
    if (!rc)
        rc = setup_controls(&cpu.caps, &vpid);
    if (!rc)
        rc = vmcs_write_ept_pointer(ept.eptp);
    if (!rc)
        rc = vmx_vmcs_setup_defaults();
    if (!rc)
        rc = vmx_vmcs_setup_host();
    if (!rc)
        rc = vmx_guest_setup_real_mode(&cpu.caps, 0, G16_CODE_GPA, 0, G16_STACK_TOP);
    if (!rc)
        rc = flush_tlbs(&cpu.caps, &ept, vpid, &flush);
    if (!rc)
        rc = vmx_run(&vcpu);
    if (!rc)
        rc = vmx_ept_translate(&ept, G16_DATA_GPA + G16_RESULT, &result_hpa);

out:
    scenario_vcpu_release(&vcpu, 0);
    vmx_cpu_off(&cpu);
    bool vmxe = vmx_cr4_vmxe();

    if (skip) {
        os_log("SCENARIO %s SKIP %s\n", name, skip);
    } else if (rc) {
        os_log("SCENARIO %s FAIL %d (%s) after exits=%llu\n", name, rc, vmx_status_name(rc),
               (unsigned long long)vcpu.exits);
    } else {
        /* Read the result where the EPT says it is, not through our own guest-page pointers. */
        uint32_t got = *(volatile uint32_t *)os_phys_to_virt(result_hpa);
        const uint32_t *sig = os_phys_to_virt(result_hpa - G16_RESULT + G16_SIGNATURE);
        bool sig_ok = sig[0] == HV_SIGNATURE_EBX && sig[1] == HV_SIGNATURE_ECX &&
                      sig[2] == HV_SIGNATURE_EDX;
        if (got != (seed ^ G16_SEED_XOR) || !sig_ok || !ctx.done || !ctx.hlt || vmxe)
            os_log("SCENARIO %s FAIL value=0x%08x expected=0x%08x signature_ok=%d done=%d hlt=%u "
                   "cr4.vmxe_after=%d\n", name, got, seed ^ G16_SEED_XOR, sig_ok, ctx.done,
                   ctx.hlt, vmxe);
        else
            os_log("SCENARIO %s PASS exits=%llu gpa=0x%x hpa=0x%llx value=0x%08x vpid=%d "
                   "flush=%s cr4.vmxe_after=0\n", name, (unsigned long long)vcpu.exits,
                   G16_DATA_GPA + G16_RESULT, (unsigned long long)result_hpa, got, vpid, flush);
    }
    for (unsigned i = 0; i < G16_MEM_PAGES; i++)
        if (mem[i])
            os_free_pages(mem[i], 1);
    vmx_ept_free(&ept);
}

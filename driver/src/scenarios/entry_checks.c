/* SPDX-License-Identifier: MIT */
/*
 * Scenario entry_checks (kernel option only=entry_checks; tools/entry-checks.sh): the VM-entry checks of spec/checks
 * against the CPU's own. The cases come from the check vectors (generated at build time by
 * tests/Vmx.Consistency.Tests/Conformance into the header named by VMX_ENTRY_CASES_H): per case the baseline VMCS is
 * written into a fresh VMCS with this machine's host state and guest CR3/RIP (as baseline_launch does), the case's
 * VMWRITEs follow (from case "entry_from=N" on: tools/entry-checks.sh resumes after a case that killed the machine),
 * the generated C validator predicts (violated checks and their outcomes), and VMLAUNCH says what the
 * CPU does. One line per case:
 *     ENTRYCASE <id> c_violations=<n> c_ids=<id,...|-> c_outcomes=<7,8,33:q,34|ok> got=<outcome>
 * where outcome is ok:<exit reason> (the guest ran and exited), vmfail:<error>, exit:<reason>:<qualification> (a
 * VM-entry failure), write:<encoding>:<status> (a case VMWRITE failed; not launched), setup:<status>.
 * The case table whose capability MSRs equal the CPU's is run; none matching is a FAIL.
 * Besides host state and guest CR3/RIP, one more thing names this machine: the three MSR-area addresses point at
 * pages of IA32_SYSENTER_CS entries (value 0), so a case that sets an MSR count loads and stores a harmless MSR instead
 * of reading physical page 0 (whose bytes name unknown MSRs: a VMX abort); a case's own MSR-area address is moved
 * into those pages, keeping its offset in the page (so its alignment), before the prediction, unless it lies within
 * the area's size of 2^MAXPHYADDR (where the checks on the address's width are what the case tests). Before each VMLAUNCH the kernel reads
 * MSR ENTRY_LOG_MARKER + case index, which Bochs logs as an unknown RDMSR: the marker that ties its VMFAIL lines in
 * bochs.log to the case.
 */
#include "common.h"
#include "vmx/arch.h"
#include "vmx/baseline.h"
#include "vmx/fmt.h"
#include "vmx/generated/vmx_checks.h"
#include "vmx/scenarios.h"

struct entry_case_write {
    uint32_t encoding;
    uint64_t value;
};
struct entry_case {
    const char *id;
    unsigned first, count; /* its writes in the model's write table */
};
struct entry_case_msr {
    uint32_t address;
    int gp; /* the fixture says RDMSR raises #GP */
    uint64_t value;
};
struct entry_case_model {
    const char *name;
    const struct entry_case_msr *msrs;
    unsigned msr_count;
    const struct entry_case *cases;
    unsigned case_count;
    const struct entry_case_write *writes;
};

#ifdef VMX_ENTRY_CASES_H
#include VMX_ENTRY_CASES_H
#else
/* Built without cases: the scenario reports that no table matches. */
static const struct entry_case_model entry_case_models[] = { { "none", 0, 0, 0, 0, 0 } };
#endif
#define ENTRY_MODELS (sizeof entry_case_models / sizeof entry_case_models[0])

/* The guest: CPUID, which exits unconditionally (no stack: the baseline's RSP is 0). */
void entry_checks_guest(void);
__asm__(".pushsection .text\n"
        ".type entry_checks_guest, @function\n"
        "entry_checks_guest:\n"
        "    xor %eax, %eax\n"
        "    cpuid\n"
        "1:  hlt\n"
        "    jmp 1b\n"
        ".size entry_checks_guest, . - entry_checks_guest\n"
        ".popsection\n");

#define ENTRY_LOG_MARKER 0xC0DE0000u /* no MSR: RDMSR raises #GP (caught), Bochs logs the number */
#define ENTRY_MSR_AREA_PAGES 8        /* 2048 entries: beyond the largest MSR count IA32_VMX_MISC allows here */

/* ---- the validator's environment: this CPU's VMCS, MSRs, CPUID facts and (identity-mapped) memory ---- */
#define ENTRY_MEMORY_LIMIT (64ull << 20) /* the Bochs machine's RAM (bochsrc megs: 64) */

static int env_vmread(void *ctx, uint32_t encoding, uint64_t *value)
{
    (void)ctx;
    return vmx_vmread(encoding, value) ? -1 : 0;
}

static int env_rdmsr(void *ctx, uint32_t msr, uint64_t *value)
{
    (void)ctx;
    return os_rdmsr_safe(msr, value) ? -1 : 0;
}

static int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static int env_fact(void *ctx, const char *name, uint64_t *value)
{
    (void)ctx;
    struct arch_cpuid sizes = arch_cpuid(0x80000008u, 0);
    if (str_eq(name, "maxphyaddr"))
        *value = sizes.eax & 0xff;
    else if (str_eq(name, "linear_address_width"))
        *value = (sizes.eax >> 8) & 0xff;
    else if (str_eq(name, "current_lma"))
        *value = 1; /* this kernel runs in IA-32e mode */
    else if (str_eq(name, "in_smm"))
        *value = 0;
    else if (str_eq(name, "lam"))
        *value = (arch_cpuid(7, 1).eax >> 26) & 1;
    else
        return -1;
    return 0;
}

static int env_read_memory(void *ctx, uint64_t gpa, unsigned size, uint64_t *value)
{
    (void)ctx;
    if (gpa >= ENTRY_MEMORY_LIMIT || gpa + size > ENTRY_MEMORY_LIMIT)
        return -1;
    uint64_t v = 0;
    for (unsigned i = size; i-- > 0;)
        v = (v << 8) | *(volatile const uint8_t *)(uintptr_t)(gpa + i);
    *value = v;
    return 0;
}

/* The prediction: violated checks, the outcomes they allow (VMfailValid before VM-entry failure exits). */
struct prediction {
    unsigned violations;
    char ids[4096];
    unsigned ids_len;
    bool outcome_seen[64];   /* 7, 8 (VMfailValid) and 34 by number */
    bool exit33_qual[8];     /* exit reason 33 by qualification (0..7) */
};

static void append(struct prediction *p, const char *s)
{
    while (*s && p->ids_len + 1 < sizeof p->ids)
        p->ids[p->ids_len++] = *s++;
    p->ids[p->ids_len] = 0;
}

static void on_verdict(void *user, const struct vmx_check_info *check, enum vmx_check_verdict verdict,
                       const uint64_t *values, unsigned count)
{
    struct prediction *p = user;
    (void)values, (void)count;
    if (verdict != VMX_CHECK_VIOLATED)
        return;
    if (p->violations++)
        append(p, ",");
    append(p, check->id);
    if (check->number == 33 && check->qualification >= 0 && check->qualification < 8)
        p->exit33_qual[check->qualification] = true;
    else if (check->number < 64)
        p->outcome_seen[check->number] = true;
}

static void format_outcomes(const struct prediction *p, char *out, unsigned size)
{
    unsigned n = 0;
    bool vmfail = p->outcome_seen[7] || p->outcome_seen[8];
    out[0] = 0;
    for (unsigned k = 7; k <= 8; k++)
        if (p->outcome_seen[k])
            n += (unsigned)fmt_snprintf(out + n, size - n, "%s%u", n ? "," : "", k);
    if (!vmfail) {
        for (unsigned q = 0; q < 8; q++)
            if (p->exit33_qual[q])
                n += (unsigned)fmt_snprintf(out + n, size - n, "%s33:%u", n ? "," : "", q);
        if (p->outcome_seen[34])
            n += (unsigned)fmt_snprintf(out + n, size - n, "%s34", n ? "," : "");
    }
    if (!n)
        fmt_snprintf(out, size, "ok");
}

static int vmwrite_baseline(void *ctx, uint32_t encoding, uint64_t value)
{
    (void)ctx;
    return vmx_vmwrite(encoding, value);
}

static bool case_writes(const struct entry_case_model *m, const struct entry_case *k, uint32_t encoding)
{
    for (unsigned i = 0; i < k->count; i++)
        if (m->writes[k->first + i].encoding == encoding)
            return true;
    return false;
}

/* The VMX-preemption timer bounds a guest that entered into a non-active state (a pass vector's HLT activity state)
 * or loops: armed after the prediction, and only where the case leaves the pin-based and exit controls alone. */
static void arm_timer(const struct vmx_cpu *cpu, const struct entry_case_model *m, const struct entry_case *k)
{
    uint64_t pin = 0;
    if (!((cpu->caps.pin >> 32) & VMX_PIN_ACTIVATE_VMX_PREEMPTION_TIMER) ||
        case_writes(m, k, VMCS_PIN_BASED_VM_EXECUTION_CONTROLS) || case_writes(m, k, VMCS_PRIMARY_VM_EXIT_CONTROLS) ||
        case_writes(m, k, VMCS_VMX_PREEMPTION_TIMER_VALUE) || vmx_vmread(VMCS_PIN_BASED_VM_EXECUTION_CONTROLS, &pin))
        return;
    if (!vmx_vmwrite(VMCS_PIN_BASED_VM_EXECUTION_CONTROLS, pin | VMX_PIN_ACTIVATE_VMX_PREEMPTION_TIMER))
        vmx_vmwrite(VMCS_VMX_PREEMPTION_TIMER_VALUE, 100000);
}

static uint64_t msr_area; /* physical address of the MSR-area pages */

static bool is_msr_area_address(uint32_t encoding)
{
    return encoding == VMCS_VM_EXIT_MSR_STORE_ADDRESS || encoding == VMCS_VM_EXIT_MSR_LOAD_ADDRESS ||
           encoding == VMCS_VM_ENTRY_MSR_LOAD_ADDRESS;
}

static bool msr_area_init(void)
{
    struct entry { uint32_t index, reserved; uint64_t data; } *e = os_alloc_pages(ENTRY_MSR_AREA_PAGES);
    if (!e)
        return false;
    for (unsigned i = 0; i < ENTRY_MSR_AREA_PAGES * 4096 / sizeof *e; i++)
        e[i] = (struct entry){ VMX_MSR_IA32_SYSENTER_CS, 0, 0 };
    msr_area = os_virt_to_phys(e);
    return true;
}

/* The fields this machine replaces in the baseline (every host-state field, guest CR3 and RIP, the MSR-area
 * addresses), as written before the case's own writes: one line, so that the host judges the VMCS launched. */
static void print_environment(void)
{
    const struct vmcs_field_info *f = vmcs_field_table();
    os_log("ENTRYENV");
    for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++) {
        uint64_t value;
        bool host = ((f[i].encoding >> 10) & 3) == 3;
        if ((host || f[i].encoding == VMCS_GUEST_CR3 || f[i].encoding == VMCS_GUEST_RIP ||
             is_msr_area_address(f[i].encoding)) && !vmx_vmread(f[i].encoding, &value))
            os_log(" %x=%llx", f[i].encoding, (unsigned long long)value);
    }
    os_log("\n");
}

static void run_case(struct vmx_vcpu *vcpu, const struct entry_case_model *m, const struct entry_case *k,
                     unsigned index, bool first_of_boot)
{
    char got[64], outcomes[64];
    static struct prediction p; /* static: its id list is too large for the kernel stack */
    p = (struct prediction){ 0 };

    int rc = vmx_vmcs_clear(&vcpu->vmcs);
    if (!rc)
        rc = vmx_vmcs_load(&vcpu->vmcs);
    if (!rc)
        rc = vmx_baseline_vmcs(&vcpu->cpu->caps, vmwrite_baseline, 0);
    if (!rc)
        rc = vmx_vmcs_setup_host();
    if (!rc)
        rc = vmcs_write_guest_cr3(arch_read_cr3());
    if (!rc)
        rc = vmcs_write_guest_rip((uint64_t)(uintptr_t)entry_checks_guest);
    if (!rc)
        rc = vmx_vmwrite(VMCS_VM_EXIT_MSR_STORE_ADDRESS, msr_area);
    if (!rc)
        rc = vmx_vmwrite(VMCS_VM_EXIT_MSR_LOAD_ADDRESS, msr_area);
    if (!rc)
        rc = vmx_vmwrite(VMCS_VM_ENTRY_MSR_LOAD_ADDRESS, msr_area);
    if (rc) {
        os_log("ENTRYCASE %s c_violations=0 c_ids=- c_outcomes=- got=setup:%d\n", k->id, rc);
        return;
    }
    if (first_of_boot)
        print_environment();
    for (unsigned i = 0; i < k->count; i++) {
        const struct entry_case_write *w = &m->writes[k->first + i];
        rc = vmx_vmwrite(w->encoding, w->value);
        if (rc) {
            os_log("ENTRYCASE %s c_violations=0 c_ids=- c_outcomes=- got=write:%x:%d\n", k->id, w->encoding, rc);
            return;
        }
    }
    uint64_t maxphyaddr = 0;
    env_fact(0, "maxphyaddr", &maxphyaddr);
    for (unsigned i = 0; i < k->count; i++) {
        const struct entry_case_write *w = &m->writes[k->first + i];
        if (is_msr_area_address(w->encoding) && w->value < (1ull << maxphyaddr) - ENTRY_MSR_AREA_PAGES * 4096ull)
            vmx_vmwrite(w->encoding, msr_area + (w->value & 0xfff));
    }
    struct vmx_check_env env = { env_vmread, env_rdmsr, env_fact, env_read_memory, 0 };
    vmx_check_vm_entry(&env, on_verdict, &p);
    format_outcomes(&p, outcomes, sizeof outcomes);
    arm_timer(vcpu->cpu, m, k);

    uint64_t ignored;
    (void)os_rdmsr_safe(ENTRY_LOG_MARKER + index, &ignored);
    struct vmx_exit exit = { 0 };
    vcpu->vmcs.launched = false;
    rc = vmx_enter(vcpu, &exit);
    if (rc > 0)
        fmt_snprintf(got, sizeof got, "vmfail:%d", rc);
    else if (rc < 0)
        fmt_snprintf(got, sizeof got, "status:%d", rc);
    else if (exit.entry_failure)
        fmt_snprintf(got, sizeof got, "exit:%u:%llu", exit.basic, (unsigned long long)exit.qualification);
    else
        fmt_snprintf(got, sizeof got, "ok:%u", exit.basic);
    os_log("ENTRYCASE %s c_violations=%u c_ids=%s c_outcomes=%s got=%s\n", k->id, p.violations,
           p.violations ? p.ids : "-", outcomes, got);
}

/* The model whose capability MSRs (0x480 on, #GP included) are this CPU's. */
static const struct entry_case_model *this_model(void)
{
    for (unsigned i = 0; i < ENTRY_MODELS; i++) {
        const struct entry_case_model *m = &entry_case_models[i];
        bool same = m->msr_count > 0;
        for (unsigned j = 0; j < m->msr_count && same; j++) {
            uint64_t v = 0;
            int gp = os_rdmsr_safe(m->msrs[j].address, &v) != 0;
            same = gp == m->msrs[j].gp && (gp || v == m->msrs[j].value);
        }
        if (same)
            return m;
    }
    return 0;
}

void scenario_entry_checks(unsigned first)
{
    static const char name[] = "entry_checks";
    struct vmx_cpu cpu;
    struct vmx_vcpu vcpu = { 0 };

    const struct entry_case_model *m = this_model();
    if (!m) {
        os_log("SCENARIO %s FAIL no case table for this CPU's capability MSRs (%u tables)\n", name, (unsigned)ENTRY_MODELS);
        return;
    }
    if (!msr_area_init()) {
        os_log("SCENARIO %s FAIL no memory for the MSR areas\n", name);
        return;
    }
    if (!scenario_vmx_on(name, &cpu))
        return;
    vcpu.cpu = &cpu;
    int rc = vmx_vmcs_alloc(&cpu, &vcpu.vmcs);
    if (rc) {
        os_log("SCENARIO %s FAIL vmcs_alloc: %d (%s)\n", name, rc, vmx_status_name(rc));
        vmx_cpu_off(&cpu);
        return;
    }
    struct arch_cpuid sizes = arch_cpuid(0x80000008u, 0);
    os_log("ENTRYCHECKS model=%s first=%u cases=%u maxphyaddr=%u linear_address_width=%u\n", m->name, first, m->case_count,
           sizes.eax & 0xff, (sizes.eax >> 8) & 0xff);
    for (unsigned i = first; i < m->case_count; i++)
        run_case(&vcpu, m, &m->cases[i], i, i == first);
    scenario_vcpu_release(&vcpu, 0);
    vmx_cpu_off(&cpu);
    os_log("SCENARIO %s PASS model=%s cases=%u\n", name, m->name, m->case_count);
}

/* SPDX-License-Identifier: MIT */
/*
 * The generated VM-entry checks (generated/vmx_checks.h, compiled from spec/checks/) run on the
 * current VMCS of this CPU: the environment reads fields with VMREAD, capability MSRs with
 * os_rdmsr_safe and CPU facts with CPUID; the report logs every violation through os_log.
 * This file holds the checks' definitions (VMX_CHECKS_IMPLEMENTATION): the only one in the driver.
 */
#define VMX_CHECKS_IMPLEMENTATION
#include "vmx/arch.h"
#include "vmx/fmt.h"
#include "vmx/vmx.h"
#include "vmx/generated/vmx_checks.h"

/* The CPU facts the checks may ask for, read once per run. */
struct check_facts {
    uint64_t maxphyaddr, linear_address_width, current_lma, lm, la57, lam, fred, cet_ss, cet_ibt, pks;
};

struct check_run {
    const char *who;
    unsigned failure;
    uint64_t qualification;
    struct check_facts facts;
    bool memory_asked; /* the running check wanted guest memory */
    size_t ids_len;
    bool ids_cut;
    struct vmx_check_summary *out;
};

static bool same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* Every VMX-capable CPU (Core 2 on) has basic leaf 7 and extended leaf 0x80000008; an unknown
 * subleaf of leaf 7 reads as zeros, so no maximum-leaf test is needed. */
static void read_facts(struct check_facts *f)
{
    struct arch_cpuid ext = arch_cpuid(VMX_CPUID_80000008_EAX_MAXPHYADDR_LEAF, 0);
    struct arch_cpuid ext1 = arch_cpuid(VMX_CPUID_80000001_EDX_LM_LEAF, 0);
    struct arch_cpuid l7 = arch_cpuid(VMX_CPUID_7_0_ECX_LA57_LEAF, VMX_CPUID_7_0_ECX_LA57_SUBLEAF);
    struct arch_cpuid l71 = arch_cpuid(VMX_CPUID_7_1_EAX_LAM_LEAF, VMX_CPUID_7_1_EAX_LAM_SUBLEAF);
    uint64_t efer = 0;

    f->maxphyaddr = vmx_cpuid_80000008_eax_maxphyaddr(ext.eax);
    f->linear_address_width = vmx_cpuid_80000008_eax_linear_address_width(ext.eax);
    f->lm = vmx_cpuid_80000001_edx_lm(ext1.edx);
    f->la57 = vmx_cpuid_7_0_ecx_la57(l7.ecx);
    f->cet_ss = vmx_cpuid_7_0_ecx_cet_ss(l7.ecx);
    f->cet_ibt = vmx_cpuid_7_0_edx_cet_ibt(l7.edx);
    f->pks = vmx_cpuid_7_0_ecx_pks(l7.ecx);
    f->lam = vmx_cpuid_7_1_eax_lam(l71.eax);
    f->fred = vmx_cpuid_7_1_eax_fred(l71.eax);
    /* VM entry happens on this CPU, in the mode it runs in now. */
    f->current_lma = os_rdmsr_safe(VMX_MSR_IA32_EFER, &efer) == 0 && (efer & VMX_IA32_EFER_LMA_MASK) != 0;
}

static int env_vmread(void *ctx, uint32_t encoding, uint64_t *value)
{
    (void)ctx;
    return vmx_vmread(encoding, value);
}

static int env_rdmsr(void *ctx, uint32_t msr, uint64_t *value)
{
    (void)ctx;
    return os_rdmsr_safe(msr, value);
}

static int env_fact(void *ctx, const char *name, uint64_t *value)
{
    const struct check_facts *f = &((struct check_run *)ctx)->facts;
    static const struct {
        const char *name;
        size_t offset;
    } known[] = {
        { "maxphyaddr", offsetof(struct check_facts, maxphyaddr) },
        { "linear_address_width", offsetof(struct check_facts, linear_address_width) },
        { "current_lma", offsetof(struct check_facts, current_lma) },
        { "lm", offsetof(struct check_facts, lm) },
        { "la57", offsetof(struct check_facts, la57) },
        { "lam", offsetof(struct check_facts, lam) },
        { "fred", offsetof(struct check_facts, fred) },
        { "cet_ss", offsetof(struct check_facts, cet_ss) },
        { "cet_ibt", offsetof(struct check_facts, cet_ibt) },
        { "pks", offsetof(struct check_facts, pks) },
    };
    if (same(name, "in_smm")) { /* the driver never runs in SMM */
        *value = 0;
        return 0;
    }
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (same(name, known[i].name)) {
            *value = *(const uint64_t *)((const char *)f + known[i].offset);
            return 0;
        }
    return -1;
}

/* Guest-physical memory is not mapped for the checker: the checks reading it are not decidable. */
static int env_read_memory(void *ctx, uint64_t gpa, unsigned size, uint64_t *value)
{
    (void)gpa, (void)size, (void)value;
    ((struct check_run *)ctx)->memory_asked = true;
    return -1;
}

/* "vmfail 7", "exit 33", "exit 33 qualification 4": the outcome as spec/checks writes it. */
static void outcome_text(char *buf, size_t size, const struct vmx_check_info *check)
{
    if (check->number == VMX_ERROR_VM_ENTRY_INVALID_CONTROL_FIELDS ||
        check->number == VMX_ERROR_VM_ENTRY_INVALID_HOST_STATE_FIELDS)
        fmt_snprintf(buf, size, "vmfail %u", check->number);
    else if (check->qualification > 0)
        fmt_snprintf(buf, size, "exit %u qualification %d", check->number, check->qualification);
    else
        fmt_snprintf(buf, size, "exit %u", check->number);
}

static bool matches_failure(const struct check_run *run, const struct vmx_check_info *check)
{
    if (run->failure == 0 || check->number != run->failure)
        return false;
    /* Exit 33 tells the failing check's kind by its qualification; the others carry no such kind. */
    return run->failure != VMX_EXIT_VM_ENTRY_FAILURE_INVALID_GUEST_STATE || check->qualification < 0 ||
           (uint64_t)check->qualification == run->qualification;
}

static void append_id(struct check_run *run, const char *id)
{
    struct vmx_check_summary *s = run->out;
    size_t cap = sizeof s->ids, need = 0;
    const char *sep = run->ids_len ? "," : "";
    while (id[need])
        need++;
    if (run->ids_cut)
        return;
    if (run->ids_len + need + 1 + 4 >= cap) { /* keep room for ",..." */
        fmt_snprintf(s->ids + run->ids_len, cap - run->ids_len, "%s...", sep);
        run->ids_cut = true;
        return;
    }
    run->ids_len += (size_t)fmt_snprintf(s->ids + run->ids_len, cap - run->ids_len, "%s%s", sep, id);
}

static void report(void *user, const struct vmx_check_info *check, enum vmx_check_verdict verdict,
                   const uint64_t *values, unsigned count)
{
    struct check_run *run = user;
    struct vmx_check_summary *s = run->out;
    bool memory = run->memory_asked;
    char message[192], outcome[40];

    run->memory_asked = false;
    switch (verdict) {
    case VMX_CHECK_NOT_APPLICABLE: s->not_applicable++; return;
    case VMX_CHECK_PASSED: s->passed++; return;
    case VMX_CHECK_NOT_DECIDABLE:
        s->not_decidable++;
        s->not_decidable_memory += memory;
        s->undecided_matching += matches_failure(run, check);
        return;
    case VMX_CHECK_VIOLATED: break;
    }
    s->violated++;
    if (matches_failure(run, check))
        s->matching++;
    append_id(run, check->id);
    vmx_check_format_message(message, sizeof message, check, values, count);
    outcome_text(outcome, sizeof outcome, check);
    os_log("VMXCHECK %s VIOLATED %s [%c %s] %s: %s (expected outcome: %s)\n", run->who, check->id,
           check->category, check->section, check->title, message, outcome);
}

int vmx_check_current_vmcs(const char *who, unsigned failure, uint64_t qualification,
                           struct vmx_check_summary *out)
{
    struct check_run run = { .who = who, .failure = failure, .qualification = qualification, .out = out };
    const struct vmx_check_env env = {
        .vmread = env_vmread,
        .rdmsr = env_rdmsr,
        .fact = env_fact,
        .read_memory = env_read_memory,
        .ctx = &run,
    };

    *out = (struct vmx_check_summary){ .ran = true, .failure = failure };
    read_facts(&run.facts);
    int violations = vmx_check_vm_entry(&env, report, &run);
    os_log("VMXCHECK %s checks=%u violated=%d passed=%u not_applicable=%u not_decidable=%u "
           "(guest memory not read: %u) failure=%u matching=%u ids=%s\n", who, (unsigned)VMX_CHECK_COUNT,
           violations, out->passed, out->not_applicable, out->not_decidable, out->not_decidable_memory,
           failure, out->matching, out->ids[0] ? out->ids : "none");
    /* The CPU refused the entry, yet no check with that outcome is violated: the spec misses a
     * check the CPU makes, or one of its checks could not be decided here. Never silent. */
    if (failure && !out->matching)
        os_log("VMXCHECK DISAGREE %s: the CPU failed the entry (%s %u, qualification %llu) but no check with "
               "that outcome is violated (%u with it not decidable)\n", who,
               failure < VMX_EXIT_VM_ENTRY_FAILURE_INVALID_GUEST_STATE ? "VMfailValid" : "exit", failure,
               (unsigned long long)qualification, out->undecided_matching);
    return violations;
}

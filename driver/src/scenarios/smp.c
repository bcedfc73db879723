/* SPDX-License-Identifier: MIT */
/*
 * The SMP scenarios, over os_cpu_count / os_run_on_cpu. Each prints one result line
 *     SMP <step> PASS|FAIL <details>
 * (tools/check-smp.sh decides which steps must be there for a CPU count):
 *   vmx_cpu<N>   CPU N on its own: detect VMX, IA32_FEATURE_CONTROL, CR0/CR4, VMXON of its own
 *                region (VMPTRST: no current VMCS), a 64-bit guest making `guest_calls` checked
 *                VMCALLs and halting, VMCLEAR (VMPTRST: no current VMCS again),
 *                VMXOFF, CR4.VMXE clear afterwards.
 *   smp_migrate  both CPUs 0 and 1 in VMX operation; a guest launched on CPU 0 is stopped half
 *                way, VMCLEARed there, VMPTRLDed on CPU 1 with the host state of CPU 1 and entered
 *                with VMLAUNCH (its launch state is clear), and finishes there. VMPTRST is checked
 *                at each step; both CPUs leave VMX operation whatever happened.
 *   vmx_off      after all that, CR4.VMXE is clear on every CPU.
 */
#include "common.h"
#include "vmx/arch.h"
#include "vmx/fmt.h"
#include "vmx/scenarios.h"

#define SMP_GUEST_CALLS_DEFAULT 200u
#define SMP_MAX_CPUS 8u
/* SDM (VMCLEAR, VMXON): with no current VMCS the current-VMCS pointer is FFFFFFFF_FFFFFFFFH. */
#define CURRENT_VMCS_NONE (~0ull)

/* How many VMCALLs each guest makes (the guest reads it: it shares the host's memory). */
static volatile unsigned smp_guest_calls = SMP_GUEST_CALLS_DEFAULT;
#define SMP_GUEST_CALLS smp_guest_calls

/* A failure to inject into smp_migrate ("smp_fail=" on the kernel command line): after the first
 * half on CPU 0 (the VMCS still current there) or after the VMPTRLD on CPU 1 (current there), so
 * that check-smp.sh sees the failure paths leave VMX operation on both CPUs too. */
enum smp_fail_point { SMP_FAIL_NONE, SMP_FAIL_FIRST_HALF, SMP_FAIL_SECOND_HALF };
static enum smp_fail_point smp_fail_at;

/* ---- guest: VMCALL ping SMP_GUEST_CALLS times, checking each answer, then HLT ---- */
static void smp_guest_main(void)
{
    for (uint64_t i = 0; i < SMP_GUEST_CALLS; i++) {
        uint64_t ret;
        __asm__ volatile("vmcall" : "=a"(ret) : "a"((uint64_t)HV_CALL_PING), "b"(i) : "memory");
        if (ret != i + 1) {
            __asm__ volatile("vmcall" : : "a"((uint64_t)HV_CALL_FAIL), "b"(i) : "memory");
        }
    }
    for (;;)
        __asm__ volatile("hlt");
}

struct smp_guest_ctx {
    unsigned calls, hlt, stop_after; /* stop_after: return to the host after that many calls (0: never) */
    unsigned exits_on[SMP_MAX_CPUS];
    bool failed;
};

static int smp_on_vmcall(struct vmx_vcpu *vcpu, const struct vmx_exit *exit)
{
    (void)exit;
    struct smp_guest_ctx *c = vcpu->ctx;
    unsigned me = os_cpu_current();
    if (me < SMP_MAX_CPUS)
        c->exits_on[me]++;
    if (vcpu->gprs.rax != HV_CALL_PING) {
        c->failed = true;
        return VMX_STOP;
    }
    vcpu->gprs.rax = vcpu->gprs.rbx + 1;
    c->calls++;
    if (vmx_skip_instruction())
        return VMX_E_INSTRUCTION;
    return c->stop_after && c->calls == c->stop_after ? VMX_STOP : VMX_RESUME;
}

static int smp_on_hlt(struct vmx_vcpu *vcpu, const struct vmx_exit *exit)
{
    (void)exit;
    struct smp_guest_ctx *c = vcpu->ctx;
    unsigned me = os_cpu_current();
    if (me < SMP_MAX_CPUS)
        c->exits_on[me]++;
    c->hlt++;
    return VMX_STOP;
}

static const vmx_exit_fn smp_handlers[VMX_EXIT_TABLE_SIZE] = {
    [VMX_EXIT_VMCALL] = smp_on_vmcall,
    [VMX_EXIT_HLT] = smp_on_hlt,
};

/* ---- vmx_cpu<N>: each CPU on its own ---- */
struct each_cpu_result {
    int rc;
    unsigned cpu;
    uint64_t feature_control;
    struct smp_guest_ctx guest;
    uint64_t ptr_after_vmxon, ptr_after_vmclear; /* VMPTRST: no current VMCS either time */
    bool vmxe_after;
};

static void each_cpu_run(void *arg)
{
    struct each_cpu_result *r = arg;
    struct vmx_cpu cpu;
    struct vmx_vcpu vcpu = { .handlers = smp_handlers, .ctx = &r->guest };
    void *stack = 0;

    r->cpu = os_cpu_current();
    r->rc = vmx_cpu_on(&cpu);
    if (!r->rc)
        os_rdmsr_safe(VMX_MSR_IA32_FEATURE_CONTROL, &r->feature_control);
    if (!r->rc)
        r->rc = vmx_vmptrst(&r->ptr_after_vmxon);
    if (!r->rc)
        r->rc = scenario_vcpu_flat64(&vcpu, &cpu, smp_guest_main, &stack); /* VMPTRST checked there */
    if (!r->rc)
        r->rc = vmx_run(&vcpu);
    scenario_vcpu_release(&vcpu, stack);
    if (!r->rc)
        r->rc = vmx_vmptrst(&r->ptr_after_vmclear);
    vmx_cpu_off(&cpu);
    r->vmxe_after = vmx_cr4_vmxe();
}

static void smp_each_cpu(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        struct each_cpu_result r = { 0 };
        if (os_run_on_cpu(i, each_cpu_run, &r)) {
            os_log("SMP vmx_cpu%u FAIL cpu not online\n", i);
            continue;
        }
        bool ok = !r.rc && r.cpu == i && r.guest.calls == SMP_GUEST_CALLS && r.guest.hlt == 1 &&
                  !r.guest.failed && r.guest.exits_on[i] == SMP_GUEST_CALLS + 1 && !r.vmxe_after &&
                  r.ptr_after_vmxon == CURRENT_VMCS_NONE && r.ptr_after_vmclear == CURRENT_VMCS_NONE;
        os_log("SMP vmx_cpu%u %s ran_on=%u rc=%d(%s) feature_control=0x%llx calls=%u hlt=%u "
               "vmptrst_after_vmxon=0x%llx vmptrst_after_vmclear=0x%llx cr4.vmxe_after=%d\n",
               i, ok ? "PASS" : "FAIL", r.cpu, r.rc, vmx_status_name(r.rc),
               (unsigned long long)r.feature_control, r.guest.calls, r.guest.hlt,
               (unsigned long long)r.ptr_after_vmxon, (unsigned long long)r.ptr_after_vmclear,
               r.vmxe_after);
    }
}

/* ---- smp_migrate ---- */
struct migrate {
    struct vmx_cpu cpus[2];
    int on_rc[2];
    struct vmx_vcpu vcpu;
    struct smp_guest_ctx guest;
    void *stack;
    unsigned holder;  /* the CPU the VMCS was last made current on */
    int rc;           /* the step that ran last */
    uint64_t ptr;     /* VMPTRST of the step */
    bool launched_before_entry;
};

static void mig_on(void *arg)
{
    struct migrate *m = arg;
    unsigned me = os_cpu_current();
    m->on_rc[me] = vmx_cpu_on(&m->cpus[me]);
}

static void mig_off(void *arg)
{
    struct migrate *m = arg;
    vmx_cpu_off(&m->cpus[os_cpu_current()]);
}

static void mig_vmptrst(void *arg)
{
    struct migrate *m = arg;
    m->rc = vmx_vmptrst(&m->ptr);
}

/* CPU 0: set up the guest, run it to the half-way stop, VMCLEAR. */
static void mig_first_half(void *arg)
{
    struct migrate *m = arg;
    m->holder = 0;
    m->rc = scenario_vcpu_flat64(&m->vcpu, &m->cpus[0], smp_guest_main, &m->stack);
    if (!m->rc)
        m->rc = vmx_run(&m->vcpu);
    if (!m->rc && smp_fail_at == SMP_FAIL_FIRST_HALF)
        m->rc = VMX_E_GUEST;
    if (!m->rc)
        m->rc = vmx_vmcs_clear(&m->vcpu.vmcs);
}

/* CPU 1: VMPTRLD (vmx_vmcs_load checks VMPTRST), this CPU's host state, run to the HLT. */
static void mig_second_half(void *arg)
{
    struct migrate *m = arg;
    m->vcpu.cpu = &m->cpus[1];
    m->holder = 1;
    m->rc = vmx_vmcs_load(&m->vcpu.vmcs);
    if (!m->rc && smp_fail_at == SMP_FAIL_SECOND_HALF)
        m->rc = VMX_E_GUEST;
    if (!m->rc)
        m->rc = vmx_vmcs_setup_host();
    m->launched_before_entry = m->vcpu.vmcs.launched;
    if (!m->rc)
        m->rc = vmx_run(&m->vcpu);
    if (!m->rc)
        m->rc = vmx_vmptrst(&m->ptr);
}

static void mig_release(void *arg)
{
    struct migrate *m = arg;
    scenario_vcpu_release(&m->vcpu, m->stack); /* VMCLEAR on the CPU that has it current */
    m->stack = 0;
}

static void smp_migrate(void)
{
    static struct migrate m;
    char why[96] = "";
    uint64_t ptr_after_clear = 0, ptr_cpu1_fresh = 0, ptr_cpu1_end = 0, vmcs_phys = 0;
    unsigned calls_cpu0 = 0;

    m = (struct migrate){ 0 };
    m.vcpu.handlers = smp_handlers;
    m.vcpu.ctx = &m.guest;
    m.guest.stop_after = SMP_GUEST_CALLS / 2;
    os_run_on_cpu(0, mig_on, &m);
    os_run_on_cpu(1, mig_on, &m);
    if (m.on_rc[0] || m.on_rc[1]) {
        fmt_snprintf(why, sizeof why, "vmx_on cpu0=%d cpu1=%d", m.on_rc[0], m.on_rc[1]);
        goto out;
    }
    os_run_on_cpu(1, mig_vmptrst, &m); /* fresh VMXON: no current VMCS */
    ptr_cpu1_fresh = m.ptr;
    if (m.rc || m.ptr != CURRENT_VMCS_NONE) {
        fmt_snprintf(why, sizeof why, "cpu1 vmptrst after vmxon rc=%d", m.rc);
        goto out;
    }
    os_run_on_cpu(0, mig_first_half, &m);
    vmcs_phys = m.vcpu.vmcs.phys;
    calls_cpu0 = m.guest.exits_on[0];
    if (m.rc || m.guest.calls != SMP_GUEST_CALLS / 2 || m.vcpu.vmcs.launched) {
        fmt_snprintf(why, sizeof why, "cpu0 first half rc=%d calls=%u", m.rc, m.guest.calls);
        goto out;
    }
    os_run_on_cpu(0, mig_vmptrst, &m); /* VMCLEAR of the current VMCS made it not current */
    ptr_after_clear = m.ptr;
    if (m.rc || m.ptr != CURRENT_VMCS_NONE) {
        fmt_snprintf(why, sizeof why, "cpu0 vmptrst after vmclear rc=%d", m.rc);
        goto out;
    }
    m.guest.stop_after = 0;
    os_run_on_cpu(1, mig_second_half, &m);
    ptr_cpu1_end = m.ptr;
    /* the exits continue on CPU 1: the last half of the calls and the HLT, none lost or repeated */
    if (m.rc || m.launched_before_entry || m.guest.calls != SMP_GUEST_CALLS || m.guest.hlt != 1 ||
        m.guest.exits_on[1] != SMP_GUEST_CALLS - SMP_GUEST_CALLS / 2 + 1 || m.guest.failed ||
        m.ptr != m.vcpu.vmcs.phys) {
        fmt_snprintf(why, sizeof why, "cpu1 second half rc=%d calls=%u hlt=%u", m.rc, m.guest.calls,
                     m.guest.hlt);
        goto out;
    }
    os_run_on_cpu(1, mig_release, &m);
out:
    if (m.stack) /* a failure left the VMCS behind: VMCLEAR and free it where it was current */
        os_run_on_cpu(m.holder, mig_release, &m);
    os_run_on_cpu(1, mig_off, &m);
    os_run_on_cpu(0, mig_off, &m);
    os_log("SMP smp_migrate %s exits_cpu0=%u exits_cpu1=%u vmptrst_cpu1_fresh=0x%llx "
           "vmptrst_cpu0_after_vmclear=0x%llx vmptrst_cpu1_end=%s launch_on_cpu1=%s%s%s\n",
           why[0] ? "FAIL" : "PASS", calls_cpu0, m.guest.exits_on[1],
           (unsigned long long)ptr_cpu1_fresh, (unsigned long long)ptr_after_clear,
           ptr_cpu1_end && ptr_cpu1_end == vmcs_phys ? "the_vmcs" : "other",
           m.launched_before_entry ? "vmresume" : "vmlaunch", why[0] ? " " : "", why);
    if (smp_fail_at != SMP_FAIL_NONE)
        os_log("SMP note the smp_migrate failure was injected (smp_fail=)\n");
}

static void vmxe_check(void *arg)
{
    if (vmx_cr4_vmxe())
        __atomic_add_fetch((unsigned *)arg, 1, __ATOMIC_SEQ_CST);
}

static bool same_word(const char *a, const char *word)
{
    while (*word && *a == *word)
        a++, word++;
    return !*word && (!*a || *a == ' ');
}

void scenario_smp(unsigned guest_calls, const char *fail_at)
{
    smp_fail_at = !fail_at                           ? SMP_FAIL_NONE
                  : same_word(fail_at, "first_half")  ? SMP_FAIL_FIRST_HALF
                  : same_word(fail_at, "second_half") ? SMP_FAIL_SECOND_HALF
                                                      : SMP_FAIL_NONE;
    if (fail_at && smp_fail_at == SMP_FAIL_NONE)
        os_log("SMP smp_fail FAIL unknown injection point (first_half, second_half)\n");
    if (guest_calls >= 2)
        smp_guest_calls = guest_calls;
    unsigned n = os_cpu_count();
    os_log("SMP cpus=%u\n", n);
    smp_each_cpu(n);
    if (n >= 2)
        smp_migrate();
    unsigned with_vmxe = 0;
    for (unsigned i = 0; i < n; i++)
        os_run_on_cpu(i, vmxe_check, &with_vmxe);
    os_log("SMP vmx_off %s cpus=%u cr4.vmxe_set_on=%u\n", with_vmxe ? "FAIL" : "PASS", n, with_vmxe);
}

/* SPDX-License-Identifier: MIT */
/*
 * Scenario 1: a 64-bit guest sharing the host's page tables alternates CPUID (hypervisor echo
 * leaf) and VMCALL (ping) GUEST_ITERATIONS times, checking every answer, then HLTs. Each exit is
 * dispatched by exit reason and followed by VMRESUME. After the HLT exit, with the VMCS still
 * current, every field that exists is printed as the VMCS dump JSON between VMCSDUMP BEGIN / END
 * (tests/fixtures/vmcs/<model>.json with UPDATE_VMCS=1).
 */
#include "common.h"
#include "vmx/arch.h"
#include "vmx/dump.h"
#include "vmx/scenarios.h"

#ifndef GUEST_ITERATIONS
#define GUEST_ITERATIONS 1000u /* override with -DGUEST_ITERATIONS=N for throughput runs */
#endif

/* ---- guest side: runs in VMX non-root operation ---- */
static uint64_t guest_vmcall(uint64_t fn, uint64_t arg)
{
    uint64_t ret;
    __asm__ volatile("vmcall" : "=a"(ret) : "a"(fn), "b"(arg) : "memory");
    return ret;
}

static void guest_main(void)
{
    struct arch_cpuid sig = arch_cpuid(HV_CPUID_SIGNATURE, 0);
    if (sig.ebx != HV_SIGNATURE_EBX || sig.ecx != HV_SIGNATURE_ECX || sig.edx != HV_SIGNATURE_EDX)
        guest_vmcall(HV_CALL_FAIL, 0xFFFFFFFFu);
    for (uint32_t i = 0; i < GUEST_ITERATIONS; i++) {
        if (i & 1) {
            if (arch_cpuid(HV_CPUID_ECHO, i).eax != (i ^ HV_ECHO_XOR))
                guest_vmcall(HV_CALL_FAIL, i);
        } else if (guest_vmcall(HV_CALL_PING, i) != (uint64_t)i + 1) {
            guest_vmcall(HV_CALL_FAIL, i);
        }
    }
    for (;;)
        __asm__ volatile("hlt");
}

/* ---- host side ---- */
struct loop_ctx {
    unsigned cpuid, vmcall, hlt;
    bool failed;
    uint64_t fail_arg;
};

static int on_cpuid(struct vmx_vcpu *vcpu, const struct vmx_exit *exit)
{
    (void)exit;
    struct loop_ctx *c = vcpu->ctx;
    c->cpuid++;
    scenario_cpuid(&vcpu->gprs);
    return vmx_skip_instruction() ? VMX_E_INSTRUCTION : VMX_RESUME;
}

static int on_vmcall(struct vmx_vcpu *vcpu, const struct vmx_exit *exit)
{
    (void)exit;
    struct loop_ctx *c = vcpu->ctx;
    c->vmcall++;
    switch (vcpu->gprs.rax) {
    case HV_CALL_PING:
        vcpu->gprs.rax = vcpu->gprs.rbx + 1;
        break;
    case HV_CALL_FAIL:
        c->failed = true;
        c->fail_arg = vcpu->gprs.rbx;
        return VMX_STOP;
    default:
        return VMX_E_GUEST;
    }
    return vmx_skip_instruction() ? VMX_E_INSTRUCTION : VMX_RESUME;
}

static int on_hlt(struct vmx_vcpu *vcpu, const struct vmx_exit *exit)
{
    (void)exit;
    ((struct loop_ctx *)vcpu->ctx)->hlt++;
    return VMX_STOP;
}

static const vmx_exit_fn handlers[VMX_EXIT_TABLE_SIZE] = {
    [VMX_EXIT_CPUID] = on_cpuid,
    [VMX_EXIT_VMCALL] = on_vmcall,
    [VMX_EXIT_HLT] = on_hlt,
};

void scenario_guest64_cpuid_loop(void)
{
    static const char name[] = "guest64_cpuid_loop";
    struct vmx_cpu cpu;
    struct vmx_vcpu vcpu = { .handlers = handlers };
    struct loop_ctx ctx = { 0 };
    void *stack = 0;
    uint64_t t0 = 0, t1 = 0;
    unsigned dumped = 0, existing = 0;
    int dump_rc = 0;

    vcpu.ctx = &ctx;
    int rc = vmx_cpu_on(&cpu);
    if (rc == VMX_E_NOT_SUPPORTED) {
        os_log("SCENARIO %s SKIP %s\n", name, vmx_status_name(rc));
        return;
    }
    if (!rc)
        rc = scenario_vcpu_flat64(&vcpu, &cpu, guest_main, &stack);
    /* The generated VM-entry checks run before the VMLAUNCH: this guest must break none. */
    vcpu.check_before_launch = true;
    if (!rc) {
        t0 = arch_rdtsc();
        rc = vmx_run(&vcpu);
        t1 = arch_rdtsc();
    }
    /* The guest halted and its VMCS is still current: every field, as the VMCS dump JSON. */
    if (!rc && ctx.hlt) {
        os_log("VMCSDUMP BEGIN\n");
        dump_rc = vmx_vmcs_dump_json(&cpu.caps, &vcpu.vmcs, vmx_dump_to_log, 0, &dumped);
        os_log("VMCSDUMP END\n");
        const struct vmcs_field_info *table = vmcs_field_table();
        for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++)
            existing += vmx_vmcs_field_exists(&cpu.caps, &table[i]);
    }
    scenario_vcpu_release(&vcpu, stack);
    vmx_cpu_off(&cpu);
    bool vmxe = vmx_cr4_vmxe();

    os_log("VMXCHECK ASSERT guest64_prelaunch %s failure=0 violated=%u not_decidable=%u ids=%s\n",
           vcpu.check.ran && !vcpu.check.violated ? "PASS" : "FAIL", vcpu.check.violated,
           vcpu.check.not_decidable, vcpu.check.ids[0] ? vcpu.check.ids : "none");
    if (rc)
        os_log("SCENARIO %s FAIL %d (%s) after exits=%llu\n", name, rc, vmx_status_name(rc),
               (unsigned long long)vcpu.exits);
    else if (ctx.failed)
        os_log("SCENARIO %s FAIL guest saw a wrong answer at iteration %lld\n", name,
               (long long)(int32_t)ctx.fail_arg);
    else if (!ctx.hlt || vcpu.exits < 1000 || vmxe)
        os_log("SCENARIO %s FAIL hlt=%u exits=%llu cr4.vmxe_after=%d\n", name, ctx.hlt,
               (unsigned long long)vcpu.exits, vmxe);
    else if (!vcpu.check.ran || vcpu.check.violated)
        os_log("SCENARIO %s FAIL VM-entry checker before VMLAUNCH: ran=%d violated=%u ids=%s\n", name,
               vcpu.check.ran, vcpu.check.violated, vcpu.check.ids[0] ? vcpu.check.ids : "none");
    else if (dump_rc || dumped != existing)
        os_log("SCENARIO %s FAIL VMCS dump: %d (%s) fields=%u exist=%u\n", name, dump_rc,
               vmx_status_name(dump_rc), dumped, existing);
    else
        os_log("SCENARIO %s PASS exits=%llu vmresumes=%llu cpuid=%u vmcall=%u hlt=%u "
               "tsc_per_exit=%llu vmcs_dump_fields=%u checker_violations=0 cr4.vmxe_after=0\n",
               name, (unsigned long long)vcpu.exits, (unsigned long long)(vcpu.entries - 1),
               ctx.cpuid, ctx.vmcall, ctx.hlt, (unsigned long long)((t1 - t0) / vcpu.exits),
               dumped);
}

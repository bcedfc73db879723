/* SPDX-License-Identifier: MIT */
/*
 * Scenario msr_bitmap: a 64-bit guest under "use MSR bitmaps" with a bitmap page built by the generated helpers
 * (vmx_msr_bitmap.h). Intercepted: WRMSR of IA32_SYSENTER_CS (by name: its slot macro), RDMSR of IA32_KERNEL_GS_BASE
 * (by address); each must exit with reason 32 / 31 and that ECX, and the handler names the MSR from the generated
 * table. Passed through: WRMSR then RDMSR of IA32_SYSENTER_ESP (intercepted first, then passed again) and RDMSR of
 * IA32_FS_BASE, which must not exit: the guest sees the value it wrote / the guest FS base of its VMCS. RDMSR of
 * 40000000H, outside both bitmap ranges (the helper refuses it), always exits.
 */
#include "common.h"
#include "vmx/arch.h"
#include "vmx/scenarios.h"

#define ESP_VALUE 0x00001234ABCD5670ull            /* canonical, as WRMSR of IA32_SYSENTER_ESP requires */
#define CS_VALUE 0x10u
#define KERNEL_GS_EMULATED 0xFFFF8000CAFE0000ull   /* what the host answers for the intercepted RDMSR */
#define FS_BASE_VALUE 0x0000000000ABC000ull         /* the guest's FS base (the guest never uses FS) */
#define OUTSIDE_MSR 0x40000000u                    /* in neither range of the bitmap */

enum { CALL_REPORT = 16 };                         /* VMCALL: RBX = step, RCX = value the guest saw */
enum { STEP_ESP = 1, STEP_FS = 2, STEP_KERNEL_GS = 3, STEP_OUTSIDE = 4 };

/* ---- guest side ---- */
static uint64_t guest_rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static void guest_wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)) : "memory");
}

static void guest_report(uint64_t step, uint64_t value)
{
    uint64_t rax = CALL_REPORT;
    __asm__ volatile("vmcall" : "+a"(rax) : "b"(step), "c"(value) : "memory");
}

static void guest_main(void)
{
    guest_wrmsr(VMX_MSR_IA32_SYSENTER_ESP, ESP_VALUE);  /* passed through */
    guest_report(STEP_ESP, guest_rdmsr(VMX_MSR_IA32_SYSENTER_ESP));
    guest_report(STEP_FS, guest_rdmsr(VMX_MSR_IA32_FS_BASE));
    guest_wrmsr(VMX_MSR_IA32_SYSENTER_CS, CS_VALUE);    /* intercepted: exit 32 */
    guest_report(STEP_KERNEL_GS, guest_rdmsr(VMX_MSR_IA32_KERNEL_GS_BASE)); /* intercepted: exit 31 */
    guest_report(STEP_OUTSIDE, guest_rdmsr(OUTSIDE_MSR));                   /* always exits */
    for (;;)
        __asm__ volatile("hlt");
}

/* ---- host side ---- */
struct msr_ctx {
    unsigned rdmsr, wrmsr, hlt, reports;
    unsigned bad;              /* first failed expectation, as a number for the result line */
    uint32_t rdmsr_ecx[4], wrmsr_ecx[4];
    uint64_t wrmsr_value;
    uint64_t seen[5];          /* by step */
};

static void note_bad(struct msr_ctx *c, unsigned what)
{
    if (!c->bad)
        c->bad = what;
}

static uint32_t exit_ecx(const struct vmx_vcpu *vcpu, const struct vmx_exit *exit, const char *insn)
{
    uint32_t ecx = (uint32_t)vcpu->gprs.rcx;
    const char *name = vmx_msr_name(ecx);
    os_log("MSRBITMAP exit=%u (%s) ecx=0x%x msr=%s\n", exit->basic, insn, ecx, name ? name : "unknown");
    return ecx;
}

static int on_rdmsr(struct vmx_vcpu *vcpu, const struct vmx_exit *exit)
{
    struct msr_ctx *c = vcpu->ctx;
    uint32_t ecx = exit_ecx(vcpu, exit, "RDMSR");
    if (c->rdmsr < 4)
        c->rdmsr_ecx[c->rdmsr] = ecx;
    c->rdmsr++;
    uint64_t value = ecx == VMX_MSR_IA32_KERNEL_GS_BASE ? KERNEL_GS_EMULATED : 0;
    vcpu->gprs.rax = (uint32_t)value;
    vcpu->gprs.rdx = (uint32_t)(value >> 32);
    return vmx_skip_instruction() ? VMX_E_INSTRUCTION : VMX_RESUME;
}

static int on_wrmsr(struct vmx_vcpu *vcpu, const struct vmx_exit *exit)
{
    struct msr_ctx *c = vcpu->ctx;
    uint32_t ecx = exit_ecx(vcpu, exit, "WRMSR");
    if (c->wrmsr < 4)
        c->wrmsr_ecx[c->wrmsr] = ecx;
    c->wrmsr++;
    c->wrmsr_value = (uint32_t)vcpu->gprs.rax | (uint64_t)(uint32_t)vcpu->gprs.rdx << 32;
    return vmx_skip_instruction() ? VMX_E_INSTRUCTION : VMX_RESUME; /* dropped: the MSR keeps its value */
}

static int on_vmcall(struct vmx_vcpu *vcpu, const struct vmx_exit *exit)
{
    (void)exit;
    struct msr_ctx *c = vcpu->ctx;
    if (vcpu->gprs.rax != CALL_REPORT || vcpu->gprs.rbx == 0 || vcpu->gprs.rbx > STEP_OUTSIDE)
        return VMX_E_GUEST;
    c->seen[vcpu->gprs.rbx] = vcpu->gprs.rcx;
    c->reports++;
    return vmx_skip_instruction() ? VMX_E_INSTRUCTION : VMX_RESUME;
}

static int on_hlt(struct vmx_vcpu *vcpu, const struct vmx_exit *exit)
{
    (void)exit;
    ((struct msr_ctx *)vcpu->ctx)->hlt++;
    return VMX_STOP;
}

static const vmx_exit_fn handlers[VMX_EXIT_TABLE_SIZE] = {
    [VMX_EXIT_RDMSR] = on_rdmsr,
    [VMX_EXIT_WRMSR] = on_wrmsr,
    [VMX_EXIT_VMCALL] = on_vmcall,
    [VMX_EXIT_HLT] = on_hlt,
};

/* The bitmap through the generated helpers: everything passes through but the two intercepts. */
static int build_bitmap(uint8_t *page)
{
    vmx_msr_bitmap_intercept_slot(page, VMX_MSR_BITMAP_SLOT_IA32_SYSENTER_CS, VMX_MSR_BITMAP_WRITE);
    if (vmx_msr_bitmap_intercept(page, VMX_MSR_IA32_KERNEL_GS_BASE, VMX_MSR_BITMAP_READ))
        return 1;
    /* intercepted, then passed through again: the pass must clear both bits */
    vmx_msr_bitmap_intercept_slot(page, VMX_MSR_BITMAP_SLOT_IA32_SYSENTER_ESP, VMX_MSR_BITMAP_READ_WRITE);
    vmx_msr_bitmap_pass_slot(page, VMX_MSR_BITMAP_SLOT_IA32_SYSENTER_ESP, VMX_MSR_BITMAP_READ_WRITE);
    if (vmx_msr_bitmap_intercept(page, OUTSIDE_MSR, VMX_MSR_BITMAP_READ) != VMX_MSR_BITMAP_E_RANGE)
        return 2;
    if (!vmx_msr_bitmap_intercepted(page, VMX_MSR_IA32_SYSENTER_CS, VMX_MSR_BITMAP_WRITE) ||
        vmx_msr_bitmap_intercepted(page, VMX_MSR_IA32_SYSENTER_CS, VMX_MSR_BITMAP_READ) ||
        vmx_msr_bitmap_intercepted(page, VMX_MSR_IA32_SYSENTER_ESP, VMX_MSR_BITMAP_WRITE))
        return 3;
    return 0;
}

static int setup_bitmap_controls(const struct vmx_caps *caps, uint8_t *page)
{
    uint32_t proc;
    int rc;
    if (!vmx_ctl_allowed1(caps->proc, VMX_PROC_USE_MSR_BITMAPS))
        return VMX_E_CAPABILITY;
    if ((rc = vmcs_read_primary_processor_based_vm_execution_controls(&proc)) ||
        (rc = vmcs_write_primary_processor_based_vm_execution_controls(proc | VMX_PROC_USE_MSR_BITMAPS)) ||
        (rc = vmcs_write_address_of_msr_bitmaps(os_virt_to_phys(page))) ||
        (rc = vmcs_write_guest_fs_base(FS_BASE_VALUE)))
        os_log("vmx: msr bitmap setup failed: %d (%s)\n", rc, vmx_status_name(rc));
    return rc;
}

void scenario_msr_bitmap(void)
{
    static const char name[] = "msr_bitmap";
    struct vmx_cpu cpu;
    struct vmx_vcpu vcpu = { .handlers = handlers };
    struct msr_ctx ctx = { 0 };
    void *stack = 0;
    uint64_t guest_esp = 0, guest_cs_before = 0, guest_cs_after = 0;
    uint32_t cs32;

    vcpu.ctx = &ctx;
    if (!scenario_vmx_on(name, &cpu))
        return;
    uint8_t *page = os_alloc_pages(1);
    int rc = page ? 0 : VMX_E_NO_MEMORY;
    int built = page ? build_bitmap(page) : 0;
    if (!rc)
        rc = scenario_vcpu_flat64(&vcpu, &cpu, guest_main, &stack);
    if (!rc)
        rc = setup_bitmap_controls(&cpu.caps, page);
    if (!rc && !(rc = vmcs_read_guest_ia32_sysenter_cs(&cs32)))
        guest_cs_before = cs32;
    if (!rc && !built)
        rc = vmx_run(&vcpu);
    if (!rc && ctx.hlt) {
        if (!(rc = vmcs_read_guest_ia32_sysenter_esp(&guest_esp)) && !(rc = vmcs_read_guest_ia32_sysenter_cs(&cs32)))
            guest_cs_after = cs32;
    }
    scenario_vcpu_release(&vcpu, stack);
    if (page)
        os_free_pages(page, 1);
    vmx_cpu_off(&cpu);

    /* What the SDM promises under these bitmaps, in the order the guest did it. */
    if (ctx.seen[STEP_ESP] != ESP_VALUE) note_bad(&ctx, 1);           /* passed-through WRMSR/RDMSR */
    if (guest_esp != ESP_VALUE) note_bad(&ctx, 2);                    /* ... reached the MSR (saved on exit) */
    if (ctx.seen[STEP_FS] != FS_BASE_VALUE) note_bad(&ctx, 3);        /* passed-through RDMSR of a high MSR */
    if (ctx.wrmsr != 1 || ctx.wrmsr_ecx[0] != VMX_MSR_IA32_SYSENTER_CS || ctx.wrmsr_value != CS_VALUE)
        note_bad(&ctx, 4);                                            /* the one intercepted WRMSR */
    if (guest_cs_after != guest_cs_before) note_bad(&ctx, 5);         /* ... never reached the MSR */
    if (ctx.rdmsr != 2 || ctx.rdmsr_ecx[0] != VMX_MSR_IA32_KERNEL_GS_BASE || ctx.rdmsr_ecx[1] != OUTSIDE_MSR)
        note_bad(&ctx, 6);                                            /* intercepted + out-of-range RDMSR */
    if (ctx.seen[STEP_KERNEL_GS] != KERNEL_GS_EMULATED || ctx.seen[STEP_OUTSIDE] != 0) note_bad(&ctx, 7);
    if (ctx.reports != 4 || ctx.hlt != 1) note_bad(&ctx, 8);

    if (rc == VMX_E_CAPABILITY)
        os_log("SCENARIO %s FAIL use MSR bitmaps not allowed (0x%x bit %u)\n", name,
               vmx_caps_control_msr(&cpu.caps, VMX_CONTROL_PROC),
               vmx_caps_allowed1_msr_bit(VMX_CONTROL_PROC, VMX_PROC_USE_MSR_BITMAPS_BIT));
    else if (rc)
        os_log("SCENARIO %s FAIL %d (%s) after exits=%llu\n", name, rc, vmx_status_name(rc),
               (unsigned long long)vcpu.exits);
    else if (built)
        os_log("SCENARIO %s FAIL bitmap helpers: step %d\n", name, built);
    else if (ctx.bad)
        os_log("SCENARIO %s FAIL check %u: rdmsr=%u (ecx 0x%x 0x%x) wrmsr=%u (ecx 0x%x value 0x%llx) "
               "esp seen 0x%llx saved 0x%llx fs 0x%llx kernel_gs 0x%llx cs %llu->%llu reports=%u hlt=%u\n",
               name, ctx.bad, ctx.rdmsr, ctx.rdmsr_ecx[0], ctx.rdmsr_ecx[1], ctx.wrmsr, ctx.wrmsr_ecx[0],
               (unsigned long long)ctx.wrmsr_value, (unsigned long long)ctx.seen[STEP_ESP],
               (unsigned long long)guest_esp, (unsigned long long)ctx.seen[STEP_FS],
               (unsigned long long)ctx.seen[STEP_KERNEL_GS], (unsigned long long)guest_cs_before,
               (unsigned long long)guest_cs_after, ctx.reports, ctx.hlt);
    else
        os_log("SCENARIO %s PASS rdmsr_exits=%u wrmsr_exits=%u intercepted=%s,%s outside=0x%x passed=%s,%s exits=%llu\n",
               name, ctx.rdmsr, ctx.wrmsr, vmx_msr_name(VMX_MSR_IA32_SYSENTER_CS),
               vmx_msr_name(VMX_MSR_IA32_KERNEL_GS_BASE), OUTSIDE_MSR, vmx_msr_name(VMX_MSR_IA32_SYSENTER_ESP),
               vmx_msr_name(VMX_MSR_IA32_FS_BASE), (unsigned long long)vcpu.exits);
}

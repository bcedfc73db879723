/* SPDX-License-Identifier: MIT */
/* vmx_baseline_vmcs against the capability fixtures: the README's values, allowed-0/1 of every
 * control, the fixed CR0/CR4 bits, only existing writable fields, and the refusals. */
#include "harness.h"

#include "caps_fixtures.h"
#include "host_os.h"
#include "vmx/baseline.h"

struct writes {
    uint64_t value[VMCS_FIELD_COUNT];
    unsigned count[VMCS_FIELD_COUNT];
    unsigned total, outside_table;
    bool fail;              /* the hook refuses fail_encoding */
    uint32_t fail_encoding;
};

static int field_index(uint32_t encoding)
{
    for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++)
        if (vmcs_field_table()[i].encoding == encoding)
            return (int)i;
    return -1;
}

static int record(void *ctx, uint32_t encoding, uint64_t value)
{
    struct writes *w = ctx;
    int i = field_index(encoding);
    w->total++;
    if (i < 0) {
        w->outside_table++;
        return 0;
    }
    w->value[i] = value;
    w->count[i]++;
    return w->fail && encoding == w->fail_encoding ? 12 : 0;
}

static uint64_t written(const struct writes *w, uint32_t encoding)
{
    int i = field_index(encoding);
    return i < 0 ? ~0ull : w->value[i];
}

/* A fixture's MSRs as the host's, with one replaced (msr 0: none); capabilities read from them. */
static void load(struct tc *t, unsigned fixture, uint32_t msr, uint64_t value, struct vmx_caps *c)
{
    host_msrs_clear();
    for (unsigned i = 0; i < caps_fixtures[fixture].count; i++) {
        const struct caps_fixture_msr *m = &caps_fixtures[fixture].msrs[i];
        if (m->gp)
            host_msr_set_gp(m->msr);
        else
            host_msr_set(m->msr, m->value);
    }
    if (msr)
        host_msr_set(msr, value);
    host_log_clear();
    EXPECT_EQ(t, vmx_caps_read(c), 0);
}

static unsigned fixture_named(const char *model)
{
    for (unsigned i = 0; i < CAPS_FIXTURE_COUNT; i++)
        if (strcmp(caps_fixtures[i].model, model) == 0)
            return i;
    return 0;
}

static void expect_control(struct tc *t, const struct vmx_caps *c, const struct writes *w, unsigned control,
                           uint32_t encoding, uint64_t named)
{
    uint64_t v = written(w, encoding);
    EXPECT_EQ(t, v, vmx_caps_allowed0(c, control) | named);
    EXPECT_EQ(t, v & ~vmx_caps_allowed1(c, control), 0);
}

void test_baseline_vmcs(struct tc *t, unsigned fixture)
{
    static struct writes w;
    struct vmx_caps c;
    unsigned writable = 0;

    memset(&w, 0, sizeof w);
    load(t, fixture, 0, 0, &c);
    EXPECT_EQ(t, vmx_baseline_vmcs(&c, record, &w), 0);

    for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++) {
        const struct vmcs_field_info *f = &vmcs_field_table()[i];
        bool want = !f->read_only && vmx_vmcs_field_exists(&c, f);
        writable += want;
        tc_check(t, w.count[i] == (want ? 1u : 0u), "%s written %u times", f->name, w.count[i]);
    }
    EXPECT_EQ(t, w.total, writable);
    EXPECT_EQ(t, w.outside_table, 0);

    expect_control(t, &c, &w, VMX_CONTROL_PIN, VMCS_PIN_BASED_VM_EXECUTION_CONTROLS, 0);
    expect_control(t, &c, &w, VMX_CONTROL_PROC, VMCS_PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, 0);
    expect_control(t, &c, &w, VMX_CONTROL_EXIT, VMCS_PRIMARY_VM_EXIT_CONTROLS, VMX_EXIT_HOST_ADDRESS_SPACE_SIZE);
    expect_control(t, &c, &w, VMX_CONTROL_ENTRY, VMCS_VM_ENTRY_CONTROLS, VMX_ENTRY_IA32E_MODE_GUEST);
    EXPECT_EQ(t, written(&w, VMCS_PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS) & VMX_PROC_ACTIVATE_SECONDARY_CONTROLS, 0);

    uint64_t cr0 = written(&w, VMCS_GUEST_CR0), cr4 = written(&w, VMCS_GUEST_CR4);
    EXPECT_EQ(t, cr0, c.cr0_fixed0 | 0x80010021ull); /* FIXED0 | PG | WP | NE | PE */
    EXPECT_EQ(t, cr0 & ~c.cr0_fixed1, 0);
    EXPECT_EQ(t, cr4, c.cr4_fixed0 | 0x20ull); /* FIXED0 | PAE */
    EXPECT_EQ(t, cr4 & ~c.cr4_fixed1, 0);
    EXPECT_EQ(t, written(&w, VMCS_HOST_CR0), cr0);
    EXPECT_EQ(t, written(&w, VMCS_HOST_CR4), cr4);

    /* spec/checks/README.md's values */
    EXPECT_EQ(t, written(&w, VMCS_GUEST_CS_ACCESS_RIGHTS), 0xA09B);
    EXPECT_EQ(t, written(&w, VMCS_GUEST_SS_ACCESS_RIGHTS), 0xC093);
    EXPECT_EQ(t, written(&w, VMCS_GUEST_GS_ACCESS_RIGHTS), 0xC093);
    EXPECT_EQ(t, written(&w, VMCS_GUEST_TR_ACCESS_RIGHTS), 0x8B);
    EXPECT_EQ(t, written(&w, VMCS_GUEST_LDTR_ACCESS_RIGHTS), 0x10000);
    EXPECT_EQ(t, written(&w, VMCS_GUEST_CS_LIMIT), 0xFFFFFFFF);
    EXPECT_EQ(t, written(&w, VMCS_GUEST_TR_LIMIT), 0x67);
    EXPECT_EQ(t, written(&w, VMCS_GUEST_GDTR_LIMIT), 0x27);
    EXPECT_EQ(t, written(&w, VMCS_GUEST_IDTR_LIMIT), 0xFFF);
    EXPECT_EQ(t, written(&w, VMCS_GUEST_DR7), 0x400);
    EXPECT_EQ(t, written(&w, VMCS_GUEST_RFLAGS), 0x2);
    EXPECT_EQ(t, written(&w, VMCS_GUEST_RIP), 0x100000);
    EXPECT_EQ(t, written(&w, VMCS_VMCS_LINK_POINTER), ~0ull);
    EXPECT_EQ(t, written(&w, VMCS_HOST_TR_SELECTOR), 0x18);
    EXPECT_EQ(t, written(&w, VMCS_HOST_IDTR_BASE), 0x4000);
    EXPECT_EQ(t, written(&w, VMCS_HOST_RSP), 0x200000);
    EXPECT_EQ(t, written(&w, VMCS_GUEST_RSP), 0);
    EXPECT_EQ(t, written(&w, VMCS_EXCEPTION_BITMAP), 0);
}

static void expect_refused(struct tc *t, uint32_t msr, uint64_t value, const char *says)
{
    static struct writes w;
    struct vmx_caps c;
    memset(&w, 0, sizeof w);
    load(t, fixture_named("corei7_skylake_x"), msr, value, &c);
    EXPECT_EQ(t, vmx_baseline_vmcs(&c, record, &w), VMX_E_CAPABILITY);
    EXPECT_EQ(t, w.total, 0);
    tc_check(t, strstr(host_log(), says) != NULL, "log lacks '%s': %s", says, host_log());
}

void test_baseline_refusals(struct tc *t)
{
    /* allowed-1 bit 9 of the exit / entry controls cleared (MSR bit 41) */
    expect_refused(t, VMX_MSR_IA32_VMX_TRUE_EXIT_CTLS, 0x007ffdff00036dfbull,
                   "primary_vm_exit_controls bit 9 must be 1 (a 64-bit guest and host need it), but IA32_VMX_TRUE_EXIT_CTLS bit 41 is 0");
    expect_refused(t, VMX_MSR_IA32_VMX_TRUE_ENTRY_CTLS, 0x0000fdff000011fbull, "IA32_VMX_TRUE_ENTRY_CTLS bit 41 is 0");
    /* a pin-based bit that must be 1 and may not be */
    expect_refused(t, VMX_MSR_IA32_VMX_TRUE_PINBASED_CTLS, 0x0000007d00000016ull,
                   "(allowed-0 says so), but IA32_VMX_TRUE_PINBASED_CTLS bit 33 is 0");
    expect_refused(t, VMX_MSR_IA32_VMX_CR0_FIXED1, 0x7fffffffull, "CR0 needs bit 31 = 1, but IA32_VMX_CR0_FIXED1 bit 31 is 0");
    expect_refused(t, VMX_MSR_IA32_VMX_CR4_FIXED1, 0x3727dfull, "IA32_VMX_CR4_FIXED1 bit 5 is 0");
}

void test_baseline_write_error(struct tc *t)
{
    static struct writes w;
    struct vmx_caps c;
    memset(&w, 0, sizeof w);
    w.fail = true;
    w.fail_encoding = VMCS_GUEST_CR0;
    load(t, fixture_named("corei7_skylake_x"), 0, 0, &c);
    /* the first failure is returned and logged by name; the fields after it are still written */
    EXPECT_EQ(t, vmx_baseline_vmcs(&c, record, &w), 12);
    EXPECT(t, strstr(host_log(), "writing guest_cr0 failed: 12") != NULL);
    EXPECT_EQ(t, written(&w, VMCS_HOST_RIP), 0x101000);
}

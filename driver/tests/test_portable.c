/* SPDX-License-Identifier: MIT */
/* The driver's portable code on the host: the formatter, capability reading, control
 * adjustment and field existence against the capability fixtures Bochs reported, EPT tables. */
#include "harness.h"

#include "caps_fixtures.h"
#include "host_os.h"
#include "vmread_fixtures.h"
#include "vmx/dump.h"
#include "vmx/fmt.h"
#include "vmx/vmx.h"

/* What each Bochs model offers (Bochs 2.7's CPU model definitions), for the checks of single
 * capabilities. Which VMCS fields exist is not listed here: Bochs's own answer to a VMREAD of
 * every field is in tests/fixtures/vmread/<model>.txt (vmread_fixtures.h). */
static const struct {
    const char *model;
    bool ept, vmfunc, unrestricted, pat;
} expected[] = {
    { "core2_penryn_t9600", false, false, false, false },
    { "corei5_lynnfield_750", true, false, false, true },
    { "corei7_skylake_x", true, true, true, true },
    { "tigerlake", true, true, true, true },
    { "corei5_arrandale_m520", true, false, true, true },
    { "corei7_sandy_bridge_2600k", true, false, true, true },
    { "corei7_ivy_bridge_3770k", true, false, true, true },
    { "corei7_haswell_4770", true, true, true, true },
    { "broadwell_ult", true, true, true, true },
    { "corei3_cnl", true, true, true, true },
    { "corei7_icelake_u", true, true, true, true },
};

static int expected_index(unsigned fixture)
{
    for (unsigned i = 0; i < sizeof expected / sizeof expected[0]; i++)
        if (strcmp(expected[i].model, caps_fixtures[fixture].model) == 0)
            return (int)i;
    return -1;
}

static void load_fixture(unsigned fixture)
{
    host_msrs_clear();
    for (unsigned i = 0; i < caps_fixtures[fixture].count; i++) {
        const struct caps_fixture_msr *m = &caps_fixtures[fixture].msrs[i];
        if (m->gp)
            host_msr_set_gp(m->msr);
        else
            host_msr_set(m->msr, m->value);
    }
}

static uint64_t fixture_msr(unsigned fixture, uint32_t msr)
{
    for (unsigned i = 0; i < caps_fixtures[fixture].count; i++)
        if (caps_fixtures[fixture].msrs[i].msr == msr && !caps_fixtures[fixture].msrs[i].gp)
            return caps_fixtures[fixture].msrs[i].value;
    return 0;
}

/* Every per-fixture test starts here: the fixture's MSRs as the host's, capabilities read from
 * them, and the row of `expected` for the model (-1, a failed check, when there is none). */
static int begin_fixture(struct tc *t, unsigned fixture, struct vmx_caps *c)
{
    int e = expected_index(fixture);
    load_fixture(fixture);
    host_log_clear();
    EXPECT_EQ(t, vmx_caps_read(c), 0);
    EXPECT(t, e >= 0);
    return e;
}

static const struct vmcs_field_info *field(const char *name)
{
    const struct vmcs_field_info *f = vmcs_field_table();
    for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++)
        if (strcmp(f[i].name, name) == 0)
            return &f[i];
    return NULL;
}

static bool exists(const struct vmx_caps *c, const char *name)
{
    const struct vmcs_field_info *f = field(name);
    return f && vmx_vmcs_field_exists(c, f);
}

void test_fmt_conversions(struct tc *t)
{
    char b[64];
    fmt_snprintf(b, sizeof b, "%d|%5d|%-5d|%05d", -5, 42, 42, -42);
    EXPECT_STR(t, b, "-5|   42|42   |-0042");
    fmt_snprintf(b, sizeof b, "%x %X %016llx", 0xbeefu, 0xbeefu, 0x2bull);
    EXPECT_STR(t, b, "beef BEEF 000000000000002b");
    fmt_snprintf(b, sizeof b, "%hhu %hd %zu %u", 257u, 70000, (size_t)12, 4000000000u);
    EXPECT_STR(t, b, "1 4464 12 4000000000");
    fmt_snprintf(b, sizeof b, "%s|%-4s|%4s|%c%%", "vmx", "ab", "ab", 'Z');
    EXPECT_STR(t, b, "vmx|ab  |  ab|Z%");
    const char *volatile none = NULL; /* hidden from the compiler's format check */
    fmt_snprintf(b, sizeof b, "%lld %s", (long long)-9223372036854775807LL - 1, none);
    EXPECT_STR(t, b, "-9223372036854775808 (null)");
    fmt_snprintf(b, sizeof b, "%p", (void *)(uintptr_t)0x1000);
    EXPECT_STR(t, b, "0x1000");
    EXPECT(t, strcmp(b, "0x01000") != 0);
}

void test_fmt_truncation(struct tc *t)
{
    char b[5];
    memset(b, 'x', sizeof b);
    int n = fmt_snprintf(b, sizeof b, "abcdefgh%d", 12);
    EXPECT_EQ(t, n, 10);          /* the full length, as snprintf */
    EXPECT_STR(t, b, "abcd");     /* truncated and terminated */
    n = fmt_snprintf(b, 0, "abc");
    EXPECT_EQ(t, n, 3);
    EXPECT_EQ(t, b[0], 'a');      /* size 0 writes nothing */
}

void test_caps_read(struct tc *t, unsigned fixture)
{
    struct vmx_caps c;
    int e = begin_fixture(t, fixture, &c);
    if (e < 0)
        return;
    uint64_t basic = fixture_msr(fixture, VMX_MSR_IA32_VMX_BASIC);
    EXPECT_EQ(t, c.basic, basic);
    EXPECT_EQ(t, vmx_vmcs_revision(&c), basic & 0x7FFFFFFFu);
    EXPECT(t, c.true_controls); /* every fixture has IA32_VMX_BASIC[55] */
    /* with TRUE_ MSRs the capability words are the TRUE_ ones */
    EXPECT_EQ(t, c.proc, fixture_msr(fixture, VMX_MSR_IA32_VMX_TRUE_PROCBASED_CTLS));
    EXPECT_EQ(t, c.entry, fixture_msr(fixture, VMX_MSR_IA32_VMX_TRUE_ENTRY_CTLS));
    EXPECT(t, c.has_proc2);
    EXPECT_EQ(t, c.has_ept_vpid_cap, expected[e].ept);
    EXPECT_EQ(t, c.has_vmfunc, expected[e].vmfunc);
    EXPECT(t, !c.has_proc3); /* Bochs 2.7: no tertiary controls on any model */
    EXPECT_EQ(t, c.proc3, 0);
    EXPECT_EQ(t, vmx_caps_vmwrite_any_field(&c),
                 (fixture_msr(fixture, VMX_MSR_IA32_VMX_MISC) >> 29) & 1);
    EXPECT_STR(t, host_log(), ""); /* no MSR the architecture promises raised #GP */
}

void test_caps_missing_basic(struct tc *t)
{
    struct vmx_caps c;
    host_msrs_clear();
    host_log_clear();
    EXPECT_EQ(t, vmx_caps_read(&c), VMX_E_MSR);
    EXPECT(t, strstr(host_log(), "IA32_VMX_BASIC") != NULL);
    /* a control MSR missing although BASIC promises it: an error, not "no bits" */
    host_msr_set(VMX_MSR_IA32_VMX_BASIC, 0x00d810000000002bull);
    host_log_clear();
    EXPECT_EQ(t, vmx_caps_read(&c), VMX_E_MSR);
    EXPECT(t, strstr(host_log(), "IA32_VMX_TRUE_PINBASED_CTLS") != NULL);
}

/* IA32_FEATURE_CONTROL (SDM "Enabling and Entering VMX Operation"): bit 0 lock, bit 2 VMX outside SMX. */
void test_feature_control(struct tc *t)
{
    uint64_t fc = 0;

    /* unlocked: we set VMX outside SMX and lock, in one write */
    host_msrs_clear();
    host_msr_allow_write(VMX_MSR_IA32_FEATURE_CONTROL);
    host_msr_set(VMX_MSR_IA32_FEATURE_CONTROL, 0);
    EXPECT_EQ(t, vmx_feature_control_enable(), 0);
    EXPECT_EQ(t, host_msr_writes(), 1u);
    EXPECT_EQ(t, os_rdmsr_safe(VMX_MSR_IA32_FEATURE_CONTROL, &fc), 0);
    EXPECT_EQ(t, fc, 0x5ull);

    /* locked by firmware with VMX outside SMX on (what Bochs reports): nothing written */
    host_msrs_clear();
    host_msr_allow_write(VMX_MSR_IA32_FEATURE_CONTROL);
    host_msr_set(VMX_MSR_IA32_FEATURE_CONTROL, 0x5);
    EXPECT_EQ(t, vmx_feature_control_enable(), 0);
    EXPECT_EQ(t, host_msr_writes(), 0u);

    /* locked with VMX off: a clear error, and never the write that would #GP */
    host_msrs_clear();
    host_msr_allow_write(VMX_MSR_IA32_FEATURE_CONTROL);
    host_msr_set(VMX_MSR_IA32_FEATURE_CONTROL, 0x1);
    EXPECT_EQ(t, vmx_feature_control_enable(), VMX_E_DISABLED_BY_FIRMWARE);
    EXPECT_EQ(t, host_msr_writes(), 0u);

    /* unlocked but the write raises #GP: an MSR error, logged */
    host_msrs_clear();
    host_log_clear();
    host_msr_set(VMX_MSR_IA32_FEATURE_CONTROL, 0);
    EXPECT_EQ(t, vmx_feature_control_enable(), VMX_E_MSR);
    EXPECT(t, strstr(host_log(), "IA32_FEATURE_CONTROL") != NULL);
}

void test_controls_adjust(struct tc *t, unsigned fixture)
{
    struct vmx_caps c;
    int e = begin_fixture(t, fixture, &c);
    if (e < 0)
        return;

    /* must-be-1 bits (allowed-0 = 1) are set, required ones added, nothing else */
    static const struct vmx_ctl_bit hlt[] = { VMX_CTL(PROC, HLT_EXITING) };
    uint32_t proc = 0;
    EXPECT_EQ(t, vmx_controls("proc", c.proc, hlt, 1, 0, &proc), 0);
    uint32_t must1 = vmx_control_capability_get_allowed_0_settings(c.proc);
    EXPECT_EQ(t, proc, must1 | VMX_PROC_HLT_EXITING);
    EXPECT(t, (proc & VMX_PROC_CR3_LOAD_EXITING) == 0); /* default1, but TRUE_ lets it be 0 */

    /* default1 logic: the non-TRUE MSR reports every default1 bit as must-be-1; the TRUE_ one
     * may clear some; both report the same allowed-1 settings */
    uint64_t legacy = fixture_msr(fixture, VMX_MSR_IA32_VMX_PROCBASED_CTLS);
    EXPECT_EQ(t, vmx_control_capability_get_allowed_0_settings(legacy) & VMX_PROC_DEFAULT1,
                 VMX_PROC_DEFAULT1);
    EXPECT_EQ(t, vmx_control_capability_get_allowed_1_settings(legacy),
                 vmx_control_capability_get_allowed_1_settings(c.proc));
    uint64_t legacy_entry = fixture_msr(fixture, VMX_MSR_IA32_VMX_ENTRY_CTLS);
    EXPECT_EQ(t, vmx_control_capability_get_allowed_0_settings(legacy_entry) & VMX_ENTRY_DEFAULT1,
                 VMX_ENTRY_DEFAULT1);

    /* optional bits only where allowed; a required bit the CPU lacks is an error naming it */
    static const struct vmx_ctl_bit ug[] = { VMX_CTL(PROC2, ENABLE_EPT), VMX_CTL(PROC2, UNRESTRICTED_GUEST) };
    uint32_t proc2 = 0;
    host_log_clear();
    int rc = vmx_controls("proc2", c.proc2, ug, 2, VMX_PROC2_ENABLE_VPID, &proc2);
    EXPECT_EQ(t, rc, expected[e].unrestricted ? 0 : VMX_E_CAPABILITY);
    EXPECT_EQ(t, (proc2 & VMX_PROC2_ENABLE_VPID) != 0, expected[e].ept);
    EXPECT_EQ(t, strstr(host_log(), "PROC2_UNRESTRICTED_GUEST (bit 7)") != NULL, !expected[e].unrestricted);
    EXPECT_EQ(t, strstr(host_log(), "PROC2_ENABLE_EPT") != NULL, !expected[e].ept);
    EXPECT(t, vmx_ctl_allowed1(c.proc, VMX_PROC_ACTIVATE_SECONDARY_CONTROLS));
    EXPECT(t, !vmx_ctl_allowed1(c.proc2, 0x80000000u)); /* no model allows proc2 bit 31 */
}

/* The VMREAD outcomes Bochs printed for the fixture's model (scenario vmcs_fields), or NULL. */
static const struct vmread_fixture *vmread_fixture(unsigned fixture)
{
    for (unsigned i = 0; i < VMREAD_FIXTURE_COUNT; i++)
        if (strcmp(vmread_fixtures[i].model, caps_fixtures[fixture].model) == 0)
            return &vmread_fixtures[i];
    return NULL;
}

/* Field by field: the spec's existence condition evaluated on the model's capability MSRs
 * (vmx_vmcs_field_exists) against what the model's CPU answered to VMREAD in Bochs: success
 * where the field exists, VM-instruction error 12 (unsupported component) where not. */
void test_field_exists_bochs(struct tc *t, unsigned fixture)
{
    struct vmx_caps c;
    int e = begin_fixture(t, fixture, &c);
    const struct vmread_fixture *answered = vmread_fixture(fixture);
    tc_check(t, answered != NULL, "no tests/fixtures/vmread/%s.txt (UPDATE_EXISTS=1 make check)",
             caps_fixtures[fixture].model);
    if (e < 0 || !answered)
        return;
    const struct vmcs_field_info *f = vmcs_field_table();
    EXPECT_EQ(t, answered->count, VMCS_FIELD_COUNT);
    for (unsigned i = 0; i < answered->count; i++)
        tc_check(t, field(answered->fields[i].name) != NULL,
                 "%s: Bochs answered for \"%s\", which is not a field of the spec", answered->model,
                 answered->fields[i].name);
    for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++) {
        const struct vmread_fixture_field *a = NULL;
        for (unsigned j = 0; j < answered->count && !a; j++)
            if (strcmp(answered->fields[j].name, f[i].name) == 0)
                a = &answered->fields[j];
        tc_check(t, a != NULL, "%s: no VMREAD outcome for %s", answered->model, f[i].name);
        if (!a)
            continue;
        bool exists = vmx_vmcs_field_exists(&c, &f[i]);
        int want = exists ? VMX_OK : (int)VMX_ERROR_VMREAD_VMWRITE_UNSUPPORTED_VMCS_COMPONENT;
        tc_check(t, a->status == want,
                 "%s: %s (0x%04x): vmx_vmcs_field_exists=%d, but Bochs answered VMREAD with %d",
                 answered->model, f[i].name, (unsigned)f[i].encoding, exists, a->status);
    }
}

/* Every model Bochs answered VMREADs for has its capability dump, so field_exists_bochs checks it. */
void test_vmread_fixtures_match_caps(struct tc *t)
{
    EXPECT(t, VMREAD_FIXTURE_COUNT > 0);
    for (unsigned i = 0; i < VMREAD_FIXTURE_COUNT; i++) {
        bool found = false;
        for (unsigned j = 0; j < CAPS_FIXTURE_COUNT; j++)
            found |= strcmp(vmread_fixtures[i].model, caps_fixtures[j].model) == 0;
        tc_check(t, found, "tests/fixtures/vmread/%s.txt has no tests/fixtures/caps/%s.json",
                 vmread_fixtures[i].model, vmread_fixtures[i].model);
    }
}

void test_field_exists(struct tc *t, unsigned fixture)
{
    struct vmx_caps c;
    int e = begin_fixture(t, fixture, &c);
    if (e < 0)
        return;
    EXPECT(t, exists(&c, "guest_rip"));
    EXPECT(t, exists(&c, "vmcs_link_pointer"));
    EXPECT(t, exists(&c, "secondary_processor_based_vm_execution_controls"));
    EXPECT_EQ(t, exists(&c, "ept_pointer"), expected[e].ept);
    EXPECT_EQ(t, exists(&c, "guest_physical_address"), expected[e].ept);
    EXPECT_EQ(t, exists(&c, "vm_function_controls"), expected[e].vmfunc);
    EXPECT_EQ(t, exists(&c, "eptp_list_address"), expected[e].vmfunc); /* vmfunc.eptp_switching */
    EXPECT(t, !exists(&c, "tertiary_processor_based_vm_execution_controls"));
    EXPECT(t, !exists(&c, "hypervisor_managed_linear_address_translation_pointer"));
    EXPECT(t, !exists(&c, "posted_interrupt_descriptor_address")); /* pin bit 7: no model */
    /* either of two controls suffices: guest IA32_PAT exists with entry.load or exit.save PAT */
    EXPECT_EQ(t, exists(&c, "guest_ia32_pat"), expected[e].pat);
    EXPECT_EQ(t, exists(&c, "guest_ia32_pat"),
              vmx_ctl_allowed1(c.entry, VMX_ENTRY_LOAD_IA32_PAT) ||
              vmx_ctl_allowed1(c.exit, VMX_EXIT_SAVE_IA32_PAT));
}

void test_field_exists_rules(struct tc *t)
{
    struct vmx_caps c = { 0 };
    /* secondary controls count only when the primary ones allow activating them */
    c.proc = vmx_control_capability_set_allowed_1_settings(0, VMX_PROC_ACTIVATE_SECONDARY_CONTROLS);
    c.proc2 = vmx_control_capability_set_allowed_1_settings(0, VMX_PROC2_ENABLE_EPT);
    c.has_proc2 = false;
    EXPECT(t, !exists(&c, "ept_pointer"));
    c.has_proc2 = true;
    EXPECT(t, exists(&c, "ept_pointer"));
    EXPECT(t, !exists(&c, "virtual_processor_identifier"));
    /* tertiary: a 64-bit allowed-1 word, only when its MSR was readable */
    c.proc3 = VMX_PROC3_ENABLE_MSR_LIST_INSTRUCTIONS | (1ull << 1); /* bit 1: HLAT */
    EXPECT(t, !exists(&c, "hypervisor_managed_linear_address_translation_pointer"));
    c.has_proc3 = true;
    EXPECT(t, exists(&c, "hypervisor_managed_linear_address_translation_pointer"));
    EXPECT(t, !exists(&c, "pid_pointer_table_address"));
    /* VM functions: IA32_VMX_VMFUNC bit n */
    c.vmfunc = 1;
    EXPECT(t, !exists(&c, "eptp_list_address"));
    c.has_vmfunc = true;
    EXPECT(t, exists(&c, "eptp_list_address"));
    /* an unknown control index never makes a field exist */
    EXPECT_EQ(t, vmx_caps_allowed1(&c, VMX_CONTROL_FIELD_COUNT), 0);
    /* IA32_VMX_MISC[29] */
    c.misc = 0x401e0;
    EXPECT(t, !vmx_caps_vmwrite_any_field(&c));
    c.misc = 0x600401e0;
    EXPECT(t, vmx_caps_vmwrite_any_field(&c));
}

void test_ept_map_translate(struct tc *t)
{
    struct vmx_caps c = { 0 };
    struct vmx_ept ept;
    uint64_t hpa = 0;
    host_log_clear();
    EXPECT_EQ(t, vmx_ept_init(&ept, &c), VMX_E_CAPABILITY); /* no EPT_VPID_CAP */
    c.has_ept_vpid_cap = true;
    c.ept_vpid_cap = 0x00000f0106334141ull; /* skylake: 4-level walk, UC and WB */
    EXPECT_EQ(t, vmx_ept_init(&ept, &c), 0);
    EXPECT_EQ(t, vmx_eptp_get_memory_type(ept.eptp), VMX_MEMORY_TYPE_WRITE_BACK);
    EXPECT_EQ(t, vmx_eptp_get_page_walk_length_minus_1(ept.eptp), 3);
    EXPECT_EQ(t, ept.eptp & VMX_EPTP_PML4_ADDRESS_MASK, os_virt_to_phys(ept.pml4));
    void *page = os_alloc_pages(1);
    uint64_t page_pa = os_virt_to_phys(page);
    EXPECT_EQ(t, vmx_ept_map_4k(&ept, 0x3000, page_pa), 0);
    EXPECT_EQ(t, vmx_ept_translate(&ept, 0x3004, &hpa), 0);
    EXPECT_EQ(t, hpa, page_pa + 4);
    EXPECT_EQ(t, vmx_ept_translate(&ept, 0x4000, &hpa), VMX_E_GUEST);
    EXPECT_EQ(t, ept.ntables, 4); /* PML4, PDPT, PD, PT */
    vmx_ept_free(&ept);
    os_free_pages(page, 1);
}

/* The core's capability dump printer (src/vmx_caps_dump.c, used by the bare-metal caps_dump
 * scenario and the Linux module's debugfs file) over the fixture's MSRs writes the fixture file
 * itself, byte for byte. */
struct text {
    char buf[4096];
    size_t len;
};

static void to_text(void *ctx, const char *fmt, va_list ap)
{
    struct text *x = ctx;
    int n = fmt_vsnprintf(x->buf + x->len, sizeof x->buf - x->len, fmt, ap);
    if (n > 0)
        x->len += (size_t)n < sizeof x->buf - x->len ? (size_t)n : sizeof x->buf - x->len - 1;
}

void test_caps_dump_json(struct tc *t, unsigned fixture)
{
    static struct text got, want;
    struct vmx_caps_dump dump;
    char path[512];

    load_fixture(fixture);
    vmx_caps_dump_read(&dump);
    EXPECT_EQ(t, dump.count, 21); /* IA32_FEATURE_CONTROL + 0x480..0x493 */
    got.len = 0;
    vmx_caps_dump_json(&dump, caps_fixtures[fixture].model, to_text, &got);

    snprintf(path, sizeof path, "%s/%s.json", CAPS_FIXTURES_DIR, caps_fixtures[fixture].model);
    FILE *f = fopen(path, "r");
    EXPECT(t, f != NULL);
    if (!f)
        return;
    want.len = fread(want.buf, 1, sizeof want.buf - 1, f);
    fclose(f);
    want.buf[want.len] = 0;
    EXPECT_EQ(t, got.len, want.len);
    EXPECT_STR(t, got.buf, want.buf);
}

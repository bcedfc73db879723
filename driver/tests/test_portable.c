/* SPDX-License-Identifier: MIT */
/* The driver's portable code on the host: the formatter, capability reading, control
 * adjustment and field existence against the capability fixtures Bochs reported, EPT tables. */
#include "harness.h"

#include "caps_fixtures.h"
#include "host_os.h"
#include "vmx/dump.h"
#include "vmx/fmt.h"
#include "vmx/vmx.h"

/* What scenario vmcs_fields counted as existing when it ran in Bochs on each model (exist=N,
 * every field of the spec answering as its existence condition says): the host evaluation of the
 * same fixtures must agree. */
static const struct {
    const char *model;
    unsigned existing;
    bool ept, vmfunc, unrestricted, pat;
} expected[] = {
    { "core2_penryn_t9600", 122, false, false, false, false },
    { "corei5_lynnfield_750", 134, true, false, false, true },
    { "corei7_skylake_x", 151, true, true, true, true },
    { "tigerlake", 158, true, true, true, true },
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

void test_field_exists(struct tc *t, unsigned fixture)
{
    struct vmx_caps c;
    int e = begin_fixture(t, fixture, &c);
    if (e < 0)
        return;
    unsigned n = 0;
    const struct vmcs_field_info *f = vmcs_field_table();
    for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++)
        n += vmx_vmcs_field_exists(&c, &f[i]);
    EXPECT_EQ(t, n, expected[e].existing);
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

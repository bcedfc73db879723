/* SPDX-License-Identifier: MIT */
/*
 * The baseline VMCS (vmx/baseline.h): computed from the capability MSRs, then written field by
 * field through a caller's hook, so the same code fills a real VMCS (VMWRITE), a dump or a test.
 * Every encoding and bit comes from the generated headers; allowed settings from vmx_caps.c.
 */
#include "vmx/baseline.h"

struct baseline {
    uint64_t control[VMX_CONTROL_FIELD_COUNT];
    uint64_t cr0, cr4;
    uint32_t code_ar, data_ar, tss_ar, unusable_ar;
};

static unsigned lowest_bit(uint64_t mask)
{
    unsigned bit = 0;
    while (!((mask >> bit) & 1))
        bit++;
    return bit;
}

static const char *msr_name(uint32_t msr)
{
    const char *name = vmx_msr_name(msr);
    return name ? name : "?";
}

/* The VMCS field that holds each control field (the spec's pairing, spelled with generated names). */
static uint32_t control_encoding(unsigned control)
{
    switch (control) {
    case VMX_CONTROL_ENTRY: return VMCS_VM_ENTRY_CONTROLS;
    case VMX_CONTROL_PIN: return VMCS_PIN_BASED_VM_EXECUTION_CONTROLS;
    case VMX_CONTROL_PROC: return VMCS_PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS;
    case VMX_CONTROL_PROC2: return VMCS_SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS;
    case VMX_CONTROL_PROC3: return VMCS_TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS;
    case VMX_CONTROL_VMFUNC: return VMCS_VM_FUNCTION_CONTROLS;
    case VMX_CONTROL_EXIT: return VMCS_PRIMARY_VM_EXIT_CONTROLS;
    case VMX_CONTROL_EXIT2: return VMCS_SECONDARY_VM_EXIT_CONTROLS;
    default: return 0;
    }
}

static const char *field_name(uint32_t encoding)
{
    const struct vmcs_field_info *table = vmcs_field_table();
    for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++)
        if (table[i].encoding == encoding)
            return table[i].name;
    return "?";
}

/* Bits beyond allowed-0 that a 64-bit guest and host need. */
static uint64_t needed_controls(unsigned control)
{
    switch (control) {
    case VMX_CONTROL_EXIT: return VMX_EXIT_HOST_ADDRESS_SPACE_SIZE;
    case VMX_CONTROL_ENTRY: return VMX_ENTRY_IA32E_MODE_GUEST;
    default: return 0;
    }
}

static int baseline_controls(const struct vmx_caps *caps, struct baseline *b)
{
    for (unsigned c = 0; c < VMX_CONTROL_FIELD_COUNT; c++) {
        uint64_t named = needed_controls(c);
        uint64_t value = vmx_caps_allowed0(caps, c) | named;
        uint64_t lacking = value & ~vmx_caps_allowed1(caps, c);
        if (lacking) {
            unsigned bit = lowest_bit(lacking);
            uint32_t msr = vmx_caps_control_msr(caps, c);
            os_log("vmx: no baseline VMCS: %s bit %u must be 1 (%s), but %s bit %u is 0\n",
                   field_name(control_encoding(c)), bit, ((named >> bit) & 1) ? "a 64-bit guest and host need it" : "allowed-0 says so",
                   msr_name(msr), vmx_caps_allowed1_msr_bit(c, bit));
            return VMX_E_CAPABILITY;
        }
        b->control[c] = value;
    }
    return 0;
}

static int within_fixed1(const char *reg, uint64_t value, uint64_t fixed1, uint32_t msr)
{
    uint64_t forbidden = value & ~fixed1;
    if (!forbidden)
        return 0;
    os_log("vmx: no baseline VMCS: %s needs bit %u = 1, but %s bit %u is 0\n", reg,
           lowest_bit(forbidden), msr_name(msr), lowest_bit(forbidden));
    return VMX_E_CAPABILITY;
}

static int baseline_compute(const struct vmx_caps *caps, struct baseline *b)
{
    const uint32_t code_data = VMX_SEGMENT_ACCESS_RIGHTS_DESCRIPTOR_TYPE_MASK |
                               VMX_SEGMENT_ACCESS_RIGHTS_PRESENT_MASK |
                               VMX_SEGMENT_ACCESS_RIGHTS_GRANULARITY_MASK;
    int rc = baseline_controls(caps, b);
    if (rc)
        return rc;
    b->cr0 = caps->cr0_fixed0 | VMX_CR0_PE_MASK | VMX_CR0_PG_MASK | VMX_CR0_NE_MASK | VMX_CR0_WP_MASK;
    b->cr4 = caps->cr4_fixed0 | VMX_CR4_PAE_MASK;
    if ((rc = within_fixed1("CR0", b->cr0, caps->cr0_fixed1, VMX_MSR_IA32_VMX_CR0_FIXED1)) ||
        (rc = within_fixed1("CR4", b->cr4, caps->cr4_fixed1, VMX_MSR_IA32_VMX_CR4_FIXED1)))
        return rc;
    b->code_ar = vmx_segment_access_rights_set_segment_type(0, VMX_CODE_DATA_SEGMENT_TYPE_CODE_EXECUTE_READ_ACCESSED) |
                 code_data | VMX_SEGMENT_ACCESS_RIGHTS_LONG_MODE_MASK;
    b->data_ar = vmx_segment_access_rights_set_segment_type(0, VMX_CODE_DATA_SEGMENT_TYPE_DATA_READ_WRITE_ACCESSED) |
                 code_data | VMX_SEGMENT_ACCESS_RIGHTS_DEFAULT_BIG_MASK;
    b->tss_ar = vmx_segment_access_rights_set_segment_type(0, VMX_SYSTEM_SEGMENT_TYPE_TSS_BUSY) |
                VMX_SEGMENT_ACCESS_RIGHTS_PRESENT_MASK;
    b->unusable_ar = VMX_SEGMENT_ACCESS_RIGHTS_UNUSABLE_MASK;
    return 0;
}

/* The baseline's value of one field; 0 for every field the baseline does not name. */
static uint64_t baseline_value(const struct baseline *b, uint32_t encoding)
{
    for (unsigned c = 0; c < VMX_CONTROL_FIELD_COUNT; c++)
        if (control_encoding(c) == encoding)
            return b->control[c];
    switch (encoding) {
    case VMCS_GUEST_CR0:
    case VMCS_HOST_CR0: return b->cr0;
    case VMCS_GUEST_CR4:
    case VMCS_HOST_CR4: return b->cr4;
    case VMCS_GUEST_CR3: return VMX_BASELINE_GUEST_CR3;
    case VMCS_GUEST_DR7: return VMX_DR7_FIXED_1_MASK;
    case VMCS_GUEST_RFLAGS: return VMX_RFLAGS_FIXED_1_MASK;
    case VMCS_GUEST_RIP: return VMX_BASELINE_GUEST_RIP;

    case VMCS_GUEST_CS_SELECTOR: return VMX_BASELINE_CODE_SELECTOR;
    case VMCS_GUEST_CS_ACCESS_RIGHTS: return b->code_ar;
    case VMCS_GUEST_SS_SELECTOR:
    case VMCS_GUEST_DS_SELECTOR:
    case VMCS_GUEST_ES_SELECTOR:
    case VMCS_GUEST_FS_SELECTOR:
    case VMCS_GUEST_GS_SELECTOR: return VMX_BASELINE_DATA_SELECTOR;
    case VMCS_GUEST_SS_ACCESS_RIGHTS:
    case VMCS_GUEST_DS_ACCESS_RIGHTS:
    case VMCS_GUEST_ES_ACCESS_RIGHTS:
    case VMCS_GUEST_FS_ACCESS_RIGHTS:
    case VMCS_GUEST_GS_ACCESS_RIGHTS: return b->data_ar;
    case VMCS_GUEST_CS_LIMIT:
    case VMCS_GUEST_SS_LIMIT:
    case VMCS_GUEST_DS_LIMIT:
    case VMCS_GUEST_ES_LIMIT:
    case VMCS_GUEST_FS_LIMIT:
    case VMCS_GUEST_GS_LIMIT: return VMX_BASELINE_FLAT_LIMIT;
    case VMCS_GUEST_LDTR_ACCESS_RIGHTS: return b->unusable_ar;
    case VMCS_GUEST_TR_SELECTOR: return VMX_BASELINE_TSS_SELECTOR;
    case VMCS_GUEST_TR_LIMIT: return VMX_BASELINE_TSS_LIMIT;
    case VMCS_GUEST_TR_ACCESS_RIGHTS: return b->tss_ar;
    case VMCS_GUEST_GDTR_LIMIT: return VMX_BASELINE_GDTR_LIMIT;
    case VMCS_GUEST_IDTR_LIMIT: return VMX_BASELINE_IDTR_LIMIT;
    case VMCS_VMCS_LINK_POINTER: return VMX_VMCS_LINK_POINTER_NONE;
    case VMCS_GUEST_ACTIVITY_STATE: return VMX_GUEST_ACTIVITY_STATE_ACTIVE;

    case VMCS_HOST_CR3: return VMX_BASELINE_HOST_CR3;
    case VMCS_HOST_CS_SELECTOR: return VMX_BASELINE_CODE_SELECTOR;
    case VMCS_HOST_SS_SELECTOR:
    case VMCS_HOST_DS_SELECTOR:
    case VMCS_HOST_ES_SELECTOR:
    case VMCS_HOST_FS_SELECTOR:
    case VMCS_HOST_GS_SELECTOR: return VMX_BASELINE_DATA_SELECTOR;
    case VMCS_HOST_TR_SELECTOR: return VMX_BASELINE_TSS_SELECTOR;
    case VMCS_HOST_GDTR_BASE: return VMX_BASELINE_HOST_GDTR_BASE;
    case VMCS_HOST_IDTR_BASE: return VMX_BASELINE_HOST_IDTR_BASE;
    case VMCS_HOST_RIP: return VMX_BASELINE_HOST_RIP;
    case VMCS_HOST_RSP: return VMX_BASELINE_HOST_RSP;
    default: return 0;
    }
}

int vmx_baseline_vmcs(const struct vmx_caps *caps, vmx_baseline_write_fn vmwrite, void *ctx)
{
    struct baseline b;
    const struct vmcs_field_info *table = vmcs_field_table();
    int rc = baseline_compute(caps, &b), first = 0;

    if (rc)
        return rc;
    for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++) {
        const struct vmcs_field_info *f = &table[i];
        if (f->read_only || !vmx_vmcs_field_exists(caps, f))
            continue;
        rc = vmwrite(ctx, f->encoding, baseline_value(&b, f->encoding));
        if (rc && !first) {
            os_log("vmx: baseline: writing %s failed: %d\n", f->name, rc);
            first = rc;
        }
    }
    return first;
}

/* SPDX-License-Identifier: MIT */
/* The generated headers on their own: name lookups, layout getters/setters, the VMCS field
 * table, and the typed accessors over a fake VMREAD/VMWRITE that records what it was given. */
#include "harness.h"

/* A fake VMCS: the accessors must pass the field's constant encoding and convert widths. */
static uint32_t last_encoding;
static uint64_t fake_value, last_written;
static int fake_vmread(uint32_t encoding, uint64_t *value)
{
    last_encoding = encoding;
    *value = fake_value;
    return 0;
}
static int fake_vmwrite(uint32_t encoding, uint64_t value)
{
    last_encoding = encoding;
    last_written = value;
    return 7; /* a status the accessor must hand back unchanged */
}
#define VMXGEN_VMREAD(encoding, value) fake_vmread((encoding), (value))
#define VMXGEN_VMWRITE(encoding, value) fake_vmwrite((encoding), (value))

#include "vmx/generated/vmcs_fields.h"
#include "vmx/generated/vmx_controls.h"
#include "vmx/generated/vmx_enums.h"
#include "vmx/generated/vmx_errors.h"
#include "vmx/generated/vmx_exits.h"
#include "vmx/generated/vmx_layouts.h"
#include "vmx/generated/vmx_msrs.h"

void test_harness_detects_failure(struct tc *t)
{
    struct tc inner = { .failed = false };
    EXPECT_EQ(&inner, 1 + 1, 3);           /* a wrong value must be reported ... */
    EXPECT(t, inner.failed);
    EXPECT(t, strstr(inner.why, "expected 0x3") != NULL);
    struct tc inner2 = { .failed = false };
    EXPECT_STR(&inner2, "CPUID", "HLT");    /* ... and a wrong string */
    EXPECT(t, inner2.failed);
    struct tc inner3 = { .failed = false };
    EXPECT_EQ(&inner3, 2, 2);
    EXPECT(t, !inner3.failed);
}

void test_exit_reason_lookup(struct tc *t)
{
    EXPECT_EQ(t, VMX_EXIT_CPUID, 10);
    EXPECT_EQ(t, VMX_EXIT_HLT, 12);
    EXPECT_EQ(t, VMX_EXIT_VM_ENTRY_FAILURE_INVALID_GUEST_STATE, 33);
    EXPECT_EQ(t, VMX_EXIT_EPT_VIOLATION, 48);
    EXPECT_STR(t, vmx_exit_reason_title(VMX_EXIT_CPUID), "CPUID");
    EXPECT_STR(t, vmx_exit_reason_name(VMX_EXIT_CPUID), "cpuid");
    EXPECT_STR(t, vmx_exit_reason_title(33), "VM-entry failure due to invalid guest state");
    EXPECT_STR(t, vmx_exit_reason_title(0), "Exception or non-maskable interrupt (NMI)");
    EXPECT(t, vmx_exit_reason_title(35) == NULL); /* not used by the SDM */
    EXPECT(t, vmx_exit_reason_title(0xFFFF) == NULL);
    /* SDM Vol. 3C Appendix C "VMX Basic Exit Reasons": 12 is HLT, 10 CPUID, 48 EPT violation */
    EXPECT_STR(t, vmx_exit_reason_title(12), "HLT");
    EXPECT_STR(t, vmx_exit_reason_title(10), "CPUID");
    EXPECT_STR(t, vmx_exit_reason_title(VMX_EXIT_EPT_VIOLATION), "EPT violation");
}

void test_instruction_error_lookup(struct tc *t)
{
    EXPECT_EQ(t, VMX_ERROR_VMREAD_VMWRITE_UNSUPPORTED_VMCS_COMPONENT, 12);
    EXPECT_EQ(t, VMX_ERROR_VMWRITE_READ_ONLY_VMCS_COMPONENT, 13);
    EXPECT_EQ(t, VMX_ERROR_INVEPT_INVVPID_INVALID_OPERAND, 28);
    EXPECT_STR(t, vmx_instruction_error_title(12), "VMREAD/VMWRITE from/to unsupported VMCS component");
    EXPECT_STR(t, vmx_instruction_error_title(13), "VMWRITE to read-only VMCS component");
    EXPECT_STR(t, vmx_instruction_error_name(4), "vmlaunch_non_clear_vmcs");
    EXPECT(t, vmx_instruction_error_title(0) == NULL);
    EXPECT(t, vmx_instruction_error_title(14) == NULL); /* reserved number */
    EXPECT(t, vmx_instruction_error_title(29) == NULL);
    EXPECT_STR(t, vmx_msr_name(0x480), "IA32_VMX_BASIC");
    EXPECT(t, vmx_msr_name(0x12345678) == NULL);
}

void test_layout_exit_reason(struct tc *t)
{
    uint32_t failure = 0x80000021u; /* seen in Bochs: VM-entry failure, invalid guest state */
    EXPECT_EQ(t, vmx_exit_reason_get_basic_exit_reason(failure), 33);
    EXPECT_EQ(t, vmx_exit_reason_get_vm_entry_failure(failure), 1);
    EXPECT_EQ(t, vmx_exit_reason_get_vm_entry_failure(0x0000000Cu), 0);
    /* a setter keeps only the field's width and leaves the other bits alone */
    uint32_t r = vmx_exit_reason_set_basic_exit_reason(0x80000000u, 0x12345);
    EXPECT_EQ(t, r, 0x80002345u);
    r = vmx_exit_reason_set_vm_entry_failure(r, 0);
    EXPECT_EQ(t, r, 0x00002345u);
    EXPECT_EQ(t, VMX_EXIT_REASON_BASIC_EXIT_REASON_MASK, 0xFFFFu);
}

void test_layout_roundtrip(struct tc *t)
{
    /* segment access rights of a 64-bit code segment: type 11, S, P, L, G */
    uint32_t ar = 0;
    ar = vmx_segment_access_rights_set_segment_type(ar, VMX_CODE_DATA_SEGMENT_TYPE_CODE_EXECUTE_READ_ACCESSED);
    ar = vmx_segment_access_rights_set_descriptor_type(ar, 1);
    ar = vmx_segment_access_rights_set_present(ar, 1);
    ar = vmx_segment_access_rights_set_long_mode(ar, 1);
    ar = vmx_segment_access_rights_set_granularity(ar, 1);
    EXPECT_EQ(t, ar, 0xA09Bu);
    EXPECT_EQ(t, vmx_segment_access_rights_get_segment_type(ar), 11);
    EXPECT_EQ(t, vmx_segment_access_rights_get_dpl(vmx_segment_access_rights_set_dpl(ar, 3)), 3);
    EXPECT_EQ(t, vmx_segment_access_rights_set_dpl(ar, 7) & VMX_SEGMENT_ACCESS_RIGHTS_DPL_MASK, 0x60u);
    EXPECT_EQ(t, VMX_SEGMENT_ACCESS_RIGHTS_UNUSABLE_MASK, 1u << 16);
    /* reserved bits are exactly those no field names */
    uint32_t fields = VMX_SEGMENT_ACCESS_RIGHTS_SEGMENT_TYPE_MASK | VMX_SEGMENT_ACCESS_RIGHTS_DESCRIPTOR_TYPE_MASK |
                      VMX_SEGMENT_ACCESS_RIGHTS_DPL_MASK | VMX_SEGMENT_ACCESS_RIGHTS_PRESENT_MASK |
                      VMX_SEGMENT_ACCESS_RIGHTS_AVAILABLE_MASK | VMX_SEGMENT_ACCESS_RIGHTS_LONG_MODE_MASK |
                      VMX_SEGMENT_ACCESS_RIGHTS_DEFAULT_BIG_MASK | VMX_SEGMENT_ACCESS_RIGHTS_GRANULARITY_MASK |
                      VMX_SEGMENT_ACCESS_RIGHTS_UNUSABLE_MASK;
    EXPECT_EQ(t, fields & VMX_SEGMENT_ACCESS_RIGHTS_RESERVED_MASK, 0);
    EXPECT_EQ(t, fields | VMX_SEGMENT_ACCESS_RIGHTS_RESERVED_MASK, 0xFFFFFFFFu);
    /* EPTP: write-back, 4-level walk, table at 0x123000 */
    uint64_t eptp = vmx_eptp_set_pml4_address(0, 0x123);
    eptp = vmx_eptp_set_page_walk_length_minus_1(eptp, 3);
    eptp = vmx_eptp_set_memory_type(eptp, VMX_MEMORY_TYPE_WRITE_BACK);
    EXPECT_EQ(t, eptp, 0x12301Eull);
    EXPECT_EQ(t, vmx_eptp_get_pml4_address(eptp), 0x123);
    /* control capability halves; the 64-bit form is all allowed-1 */
    uint64_t cap = 0xf7f9fffe0401e172ull;
    EXPECT_EQ(t, vmx_control_capability_get_allowed_0_settings(cap), 0x0401e172u);
    EXPECT_EQ(t, vmx_control_capability_get_allowed_1_settings(cap), 0xf7f9fffeu);
    EXPECT_EQ(t, vmx_control_capability_64_get_allowed_1_settings(cap), cap);
    EXPECT_EQ(t, vmx_ia32_vmx_basic_get_vmcs_revision_identifier(0x00d810000000002bull), 0x2b);
    EXPECT_EQ(t, vmx_ia32_vmx_basic_get_vmcs_region_size(0x00d810000000002bull), 0x1000);
    EXPECT_EQ(t, vmx_ia32_vmx_basic_get_true_controls(0x00d810000000002bull), 1);
    EXPECT_EQ(t, vmx_ia32_vmx_misc_get_vmwrite_any_field(0x600401e0ull), 1);
    EXPECT_EQ(t, vmx_ia32_vmx_misc_get_vmwrite_any_field(0x401e0ull), 0);
    EXPECT_EQ(t, VMX_CR4_VMXE_MASK, 1ull << 13);
    EXPECT_EQ(t, VMX_CR0_PG_MASK | VMX_CR0_PE_MASK, 0x80000001ull);
}

void test_layout_spec_additions(struct tc *t)
{
    /* facts added to the spec for the driver: RFLAGS/DR7 bits fixed at 1, descriptor types */
    EXPECT_EQ(t, VMX_RFLAGS_FIXED_1_MASK, 0x2ull);
    EXPECT_EQ(t, VMX_RFLAGS_RESERVED_MASK & VMX_RFLAGS_FIXED_1_MASK, 0);
    EXPECT_EQ(t, VMX_DR7_FIXED_1_MASK, 0x400ull);
    EXPECT_EQ(t, VMX_CODE_DATA_SEGMENT_TYPE_DATA_READ_WRITE_ACCESSED, 3);
    EXPECT_EQ(t, VMX_CODE_DATA_SEGMENT_TYPE_CODE_EXECUTE_READ_ACCESSED, 11);
    EXPECT_EQ(t, VMX_SYSTEM_SEGMENT_TYPE_LDT, 2);
    EXPECT_EQ(t, VMX_SYSTEM_SEGMENT_TYPE_TSS_AVAILABLE, 9);
    EXPECT_EQ(t, VMX_SYSTEM_SEGMENT_TYPE_TSS_BUSY, 11);
    EXPECT_EQ(t, VMX_SYSTEM_SEGMENT_TYPE_TSS16_BUSY, 3);
}

void test_vmcs_field_table(struct tc *t)
{
    const struct vmcs_field_info *f = vmcs_field_table();
    unsigned read_only = 0, conditional = 0;
    const struct vmcs_field_info *rip = NULL;
    EXPECT_EQ(t, VMCS_FIELD_COUNT, 206);
    for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++) {
        uint32_t e = f[i].encoding;
        /* the encoding agrees with the field's width and type, names the full field, and
         * sets no reserved bit */
        tc_check(t, vmx_vmcs_component_encoding_get_width(e) == f[i].width, "%s: width", f[i].name);
        tc_check(t, vmx_vmcs_component_encoding_get_type(e) == f[i].type, "%s: type", f[i].name);
        tc_check(t, vmx_vmcs_component_encoding_get_access_type(e) == 0, "%s: access type", f[i].name);
        tc_check(t, (e & VMX_VMCS_COMPONENT_ENCODING_RESERVED_MASK) == 0, "%s: reserved bits", f[i].name);
        /* read-only exactly for the VM-exit information fields */
        tc_check(t, f[i].read_only == (f[i].type == VMCS_TYPE_EXIT_INFORMATION), "%s: read_only", f[i].name);
        tc_check(t, f[i].exists_count <= VMCS_FIELD_MAX_EXISTS, "%s: exists_count", f[i].name);
        for (unsigned k = 0; k < f[i].exists_count; k++)
            tc_check(t, f[i].exists[k].control < VMX_CONTROL_FIELD_COUNT && f[i].exists[k].bit < 64,
                     "%s: exists[%u] out of range", f[i].name, k);
        for (unsigned j = 0; j < i; j++)
            tc_check(t, f[j].encoding != e && strcmp(f[j].name, f[i].name) != 0,
                     "%s: duplicate of %s", f[i].name, f[j].name);
        read_only += f[i].read_only;
        conditional += f[i].exists_count != 0;
        if (strcmp(f[i].name, "guest_rip") == 0)
            rip = &f[i];
    }
    EXPECT(t, rip != NULL);
    if (rip) {
        EXPECT_EQ(t, rip->encoding, 0x681E);
        EXPECT_EQ(t, rip->width, VMCS_WIDTH_NATURAL);
        EXPECT_EQ(t, rip->type, VMCS_TYPE_GUEST_STATE);
    }
    EXPECT(t, read_only > 0 && conditional > 0);
}

void test_vmcs_accessors(struct tc *t)
{
    uint64_t v64 = 0;
    uint16_t v16 = 0;
    uint32_t v32 = 0;

    fake_value = 0xFFFFFFFF12345678ull;
    EXPECT_EQ(t, vmcs_read_guest_rip(&v64), 0);
    EXPECT_EQ(t, last_encoding, VMCS_GUEST_RIP);
    EXPECT_EQ(t, v64, 0xFFFFFFFF12345678ull);
    EXPECT_EQ(t, vmcs_read_guest_cs_selector(&v16), 0); /* 16-bit field: truncated */
    EXPECT_EQ(t, last_encoding, 0x0802);
    EXPECT_EQ(t, v16, 0x5678);
    EXPECT_EQ(t, vmcs_read_exit_reason(&v32), 0); /* 32-bit read-only field */
    EXPECT_EQ(t, last_encoding, 0x4402);
    EXPECT_EQ(t, v32, 0x12345678u);
    EXPECT_EQ(t, vmcs_write_guest_cr0(0x80000031ull), 7); /* status passed through */
    EXPECT_EQ(t, last_encoding, 0x6800);
    EXPECT_EQ(t, last_written, 0x80000031ull);
    EXPECT_EQ(t, vmcs_write_vmcs_link_pointer(~0ull), 7);
    EXPECT_EQ(t, last_encoding, 0x2800);
    EXPECT_EQ(t, last_written, ~0ull);
}

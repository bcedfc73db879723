/* SPDX-License-Identifier: MIT */
/*
 * Capabilities: the VMX capability MSRs, control values adjusted to them, and whether a VMCS
 * field exists on this CPU. Pure logic over os_rdmsr_safe/os_log, so the host tests run it
 * against the capability fixtures of tests/fixtures/caps/.
 */
#include "vmx/vmx.h"

static int read_msr(uint32_t msr, uint64_t *value)
{
    if (os_rdmsr_safe(msr, value)) {
        const char *name = vmx_msr_name(msr);
        os_log("vmx: rdmsr 0x%x (%s) raised #GP\n", msr, name ? name : "?");
        return VMX_E_MSR;
    }
    return 0;
}

/* A control MSR, the TRUE_ one when IA32_VMX_BASIC[55] says they exist. */
static int read_control_msr(const struct vmx_caps *c, unsigned control, uint64_t *value)
{
    return read_msr(vmx_caps_control_msr(c, control), value);
}

/* An MSR that exists only with some capability: a #GP means "no bits", not an error. */
static bool read_optional(uint32_t msr, uint64_t *value)
{
    if (os_rdmsr_safe(msr, value)) {
        *value = 0;
        return false;
    }
    return true;
}

/* Whether an MSR exists by the spec's `exists:` (vmx_msr_exists_if): one of its control bits may be 1. */
static bool msr_exists(const struct vmx_caps *c, uint32_t msr)
{
    struct vmx_msr_existence e = vmx_msr_exists_if(msr);
    unsigned i;

    if (e.count == 0)
        return true;
    for (i = 0; i < e.count; i++)
        if ((vmx_caps_allowed1(c, e.any_of[i].control) >> e.any_of[i].bit) & 1)
            return true;
    return false;
}

static bool gate_may_be_1(const struct vmx_caps *c, enum vmx_control_field field)
{
    struct vmx_control_capability cap = vmx_control_capability(field);
    return cap.gate_control < 0 ||
           ((vmx_caps_allowed1(c, (unsigned)cap.gate_control) >> cap.gate_bit) & 1) != 0;
}

int vmx_caps_read(struct vmx_caps *c)
{
    int rc = 0;
    *c = (struct vmx_caps){ 0 };

    rc = read_msr(VMX_MSR_IA32_VMX_BASIC, &c->basic);
    if (rc)
        return rc;
    /* Bit 55: the TRUE_ MSRs exist and say which default1 controls may really be 0. Their
     * allowed-1 halves equal the non-TRUE ones; only allowed-0 (must be 1) differs. */
    c->true_controls = vmx_ia32_vmx_basic_get_true_controls(c->basic) != 0;

    rc = read_control_msr(c, VMX_CONTROL_PIN, &c->pin);
    if (!rc)
        rc = read_control_msr(c, VMX_CONTROL_PROC, &c->proc);
    if (!rc)
        rc = read_control_msr(c, VMX_CONTROL_EXIT, &c->exit);
    if (!rc)
        rc = read_control_msr(c, VMX_CONTROL_ENTRY, &c->entry);
    if (!rc)
        rc = read_msr(VMX_MSR_IA32_VMX_MISC, &c->misc);
    if (!rc)
        rc = read_msr(VMX_MSR_IA32_VMX_CR0_FIXED0, &c->cr0_fixed0);
    if (!rc)
        rc = read_msr(VMX_MSR_IA32_VMX_CR0_FIXED1, &c->cr0_fixed1);
    if (!rc)
        rc = read_msr(VMX_MSR_IA32_VMX_CR4_FIXED0, &c->cr4_fixed0);
    if (!rc)
        rc = read_msr(VMX_MSR_IA32_VMX_CR4_FIXED1, &c->cr4_fixed1);
    if (!rc)
        rc = read_msr(VMX_MSR_IA32_VMX_VMCS_ENUM, &c->vmcs_enum);
    if (rc)
        return rc;

    /* A gated control field's capability MSR exists only if the control that enables it may be 1
     * (the spec's enabled-by, in vmx_control_capability). Gates are read before what they gate. */
    c->has_proc2 = gate_may_be_1(c, VMX_CONTROL_PROC2);
    if (c->has_proc2) {
        rc = read_control_msr(c, VMX_CONTROL_PROC2, &c->proc2);
        if (rc)
            return rc;
        /* EPT_VPID_CAP exists only as the spec's `exists:` says (enable EPT or enable VPID may be 1). */
        if (msr_exists(c, VMX_MSR_IA32_VMX_EPT_VPID_CAP))
            c->has_ept_vpid_cap = read_optional(VMX_MSR_IA32_VMX_EPT_VPID_CAP, &c->ept_vpid_cap);
        if (gate_may_be_1(c, VMX_CONTROL_VMFUNC))
            c->has_vmfunc = read_optional(vmx_control_capability(VMX_CONTROL_VMFUNC).msr, &c->vmfunc);
    }
    /* Even with the gate open a CPU (Bochs 2.7) may #GP on the 64-bit control MSRs: "no bits allowed". */
    if (gate_may_be_1(c, VMX_CONTROL_PROC3))
        c->has_proc3 = read_optional(vmx_control_capability(VMX_CONTROL_PROC3).msr, &c->proc3);
    if (gate_may_be_1(c, VMX_CONTROL_EXIT2))
        c->has_exit2 = read_optional(vmx_control_capability(VMX_CONTROL_EXIT2).msr, &c->exit2);
    return 0;
}

/* IA32_FEATURE_CONTROL: if firmware locked it, it must allow VMX outside SMX; if not, we set the
 * bit and lock it ourselves (wrmsr to a locked MSR would #GP, so never write when locked). */
int vmx_feature_control_enable(void)
{
    uint64_t fc;
    const uint64_t want = VMX_IA32_FEATURE_CONTROL_VMX_OUTSIDE_SMX_MASK;

    if (read_msr(VMX_MSR_IA32_FEATURE_CONTROL, &fc))
        return VMX_E_MSR;
    if (fc & VMX_IA32_FEATURE_CONTROL_LOCK_MASK)
        return (fc & want) ? 0 : VMX_E_DISABLED_BY_FIRMWARE;

    fc |= want | VMX_IA32_FEATURE_CONTROL_LOCK_MASK;
    if (os_wrmsr_safe(VMX_MSR_IA32_FEATURE_CONTROL, fc)) {
        os_log("vmx: wrmsr IA32_FEATURE_CONTROL raised #GP\n");
        return VMX_E_MSR;
    }
    if (read_msr(VMX_MSR_IA32_FEATURE_CONTROL, &fc))
        return VMX_E_MSR;
    return (fc & want) ? 0 : VMX_E_DISABLED_BY_FIRMWARE;
}

uint32_t vmx_vmcs_revision(const struct vmx_caps *caps)
{
    return vmx_ia32_vmx_basic_get_vmcs_revision_identifier(caps->basic);
}

bool vmx_ctl_allowed1(uint64_t cap, uint32_t mask)
{
    return (vmx_control_capability_get_allowed_1_settings(cap) & mask) == mask;
}

uint64_t vmx_caps_allowed1(const struct vmx_caps *c, unsigned control)
{
    switch (control) {
    case VMX_CONTROL_ENTRY: return vmx_control_capability_get_allowed_1_settings(c->entry);
    case VMX_CONTROL_PIN: return vmx_control_capability_get_allowed_1_settings(c->pin);
    case VMX_CONTROL_PROC: return vmx_control_capability_get_allowed_1_settings(c->proc);
    case VMX_CONTROL_PROC2:
        return c->has_proc2 ? vmx_control_capability_get_allowed_1_settings(c->proc2) : 0;
    case VMX_CONTROL_PROC3:
        return c->has_proc3 ? vmx_control_capability_64_get_allowed_1_settings(c->proc3) : 0;
    case VMX_CONTROL_VMFUNC:
        return c->has_vmfunc ? c->vmfunc : 0; /* IA32_VMX_VMFUNC: bit n = control n may be 1 */
    case VMX_CONTROL_EXIT: return vmx_control_capability_get_allowed_1_settings(c->exit);
    case VMX_CONTROL_EXIT2:
        return c->has_exit2 ? vmx_control_capability_64_get_allowed_1_settings(c->exit2) : 0;
    default: return 0;
    }
}

uint64_t vmx_caps_allowed0(const struct vmx_caps *c, unsigned control)
{
    switch (control) {
    case VMX_CONTROL_ENTRY: return vmx_control_capability_get_allowed_0_settings(c->entry);
    case VMX_CONTROL_PIN: return vmx_control_capability_get_allowed_0_settings(c->pin);
    case VMX_CONTROL_PROC: return vmx_control_capability_get_allowed_0_settings(c->proc);
    case VMX_CONTROL_PROC2:
        return c->has_proc2 ? vmx_control_capability_get_allowed_0_settings(c->proc2) : 0;
    case VMX_CONTROL_EXIT: return vmx_control_capability_get_allowed_0_settings(c->exit);
    default: return 0; /* PROC3, EXIT2, VMFUNC: every bit may be 0 */
    }
}

uint32_t vmx_caps_control_msr(const struct vmx_caps *c, unsigned control)
{
    struct vmx_control_capability cap = vmx_control_capability((enum vmx_control_field)control);
    return c->true_controls && cap.true_msr ? cap.true_msr : cap.msr;
}

unsigned vmx_caps_allowed1_msr_bit(unsigned control, unsigned bit)
{
    switch (control) {
    case VMX_CONTROL_ENTRY:
    case VMX_CONTROL_PIN:
    case VMX_CONTROL_PROC:
    case VMX_CONTROL_PROC2:
    case VMX_CONTROL_EXIT: return VMX_CONTROL_CAPABILITY_ALLOWED_1_SETTINGS_SHIFT + bit;
    case VMX_CONTROL_PROC3:
    case VMX_CONTROL_EXIT2: return VMX_CONTROL_CAPABILITY_64_ALLOWED_1_SETTINGS_SHIFT + bit;
    default: return bit; /* IA32_VMX_VMFUNC: bit n = control n may be 1 */
    }
}

bool vmx_vmcs_field_exists(const struct vmx_caps *caps, const struct vmcs_field_info *field)
{
    if (field->seam_only)
        return false; /* SEAM VMX root operation (the TDX module) only; a VMM never runs there */
    if (field->exists_count == 0)
        return true;
    for (unsigned i = 0; i < field->exists_count && i < VMCS_FIELD_MAX_EXISTS; i++) {
        const struct vmcs_control_bit *b = &field->exists[i];
        if (b->bit < 64 && ((vmx_caps_allowed1(caps, b->control) >> b->bit) & 1))
            return true;
    }
    return false;
}

bool vmx_caps_vmwrite_any_field(const struct vmx_caps *caps)
{
    return vmx_ia32_vmx_misc_get_vmwrite_any_field(caps->misc) != 0;
}

int vmx_controls(const char *field, uint64_t cap, const struct vmx_ctl_bit *required,
                 size_t nrequired, uint32_t optional, uint32_t *value)
{
    uint32_t must1 = vmx_control_capability_get_allowed_0_settings(cap);
    uint32_t may1 = vmx_control_capability_get_allowed_1_settings(cap);
    uint32_t v = must1 | (optional & may1);
    int rc = 0;

    for (size_t i = 0; i < nrequired; i++) {
        if ((may1 & required[i].mask) != required[i].mask) {
            os_log("vmx: required control %s (bit %u) of %s is not supported by this CPU\n",
                   required[i].name, (unsigned)__builtin_ctz(required[i].mask), field);
            rc = VMX_E_CAPABILITY;
        }
        v |= required[i].mask;
    }
    *value = v;
    return rc;
}

/* SPDX-License-Identifier: MIT */
/*
 * Scenario 4: every VMCS field of the spec against the running CPU. With a current VMCS, each
 * field of vmcs_field_table() is VMREAD (and, for 64-bit fields, its high half), then VMWRITten
 * with the value read and read back. The expected outcome comes from the spec's existence
 * condition evaluated on the capability MSRs (vmx_vmcs_field_exists): a field that exists must
 * succeed, one that does not must fail with VM-instruction error 12; a read-only field fails a
 * VMWRITE with error 13 unless IA32_VMX_MISC[29] allows writing any field.
 *
 * Any disagreement is a spec bug or a Bochs deviation; with the SEAM-only fields marked
 * `exists: seam` in the spec, Bochs 2.7 agrees with every field on every model tested.
 *
 * What the CPU answered is also printed, independent of any expectation, as a machine-readable
 * block (before the result line): one line per field, the field's name and the status of its
 * VMREAD, "ok" or the number (12: unsupported component):
 *     VMCSEXIST BEGIN
 *     guest_rip ok
 *     ept_pointer 12
 *     VMCSEXIST END
 * `UPDATE_EXISTS=1 make check` saves it as tests/fixtures/vmread/<model>.txt, against which the
 * host tests and the C# runtime tests check their own evaluation of field existence.
 */
#include "common.h"
#include "vmx/scenarios.h"

struct field_result {
    unsigned ops, bad;
};

/* One instruction outcome against the expectation. */
static void check(struct field_result *r, const struct vmcs_field_info *f, uint32_t enc,
                  const char *op, int want, int got)
{
    r->ops++;
    if (got == want)
        return;
    r->bad++;
    os_log("VMCSFIELD MISMATCH %s 0x%04x expected=%s:%d got=%s:%d\n", f->name, enc, op, want, op,
           got);
}

static void check_value(struct field_result *r, const struct vmcs_field_info *f, uint32_t enc,
                        const char *what, uint64_t want, uint64_t got)
{
    r->ops++;
    if (want == got)
        return;
    r->bad++;
    os_log("VMCSFIELD MISMATCH %s 0x%04x expected=%s:0x%llx got=%s:0x%llx\n", f->name, enc, what,
           (unsigned long long)want, what, (unsigned long long)got);
}

/* Checks one field; returns the status of its VMREAD (the CPU's answer, whatever was expected). */
static int check_field(struct field_result *r, const struct vmx_caps *caps,
                       const struct vmcs_field_info *f)
{
    const int unsupported = (int)VMX_ERROR_VMREAD_VMWRITE_UNSUPPORTED_VMCS_COMPONENT;
    bool exists = vmx_vmcs_field_exists(caps, f);
    uint64_t value = 0, again = 0;

    int rc = vmx_vmread(f->encoding, &value);
    const int read_status = rc;
    check(r, f, f->encoding, "vmread", exists ? VMX_OK : unsupported, rc);
    bool readable = rc == VMX_OK;

    if (f->width == VMCS_WIDTH_64) { /* the high half: access type 1 */
        uint32_t high = vmx_vmcs_component_encoding_set_access_type(f->encoding, 1);
        uint64_t hv = 0;
        rc = vmx_vmread(high, &hv);
        check(r, f, high, "vmread_high", exists ? VMX_OK : unsupported, rc);
        if (rc == VMX_OK && readable)
            check_value(r, f, high, "high", value >> 32, hv);
    }

    int want;
    if (!exists)
        want = unsupported;
    else if (f->read_only && !vmx_caps_vmwrite_any_field(caps))
        want = (int)VMX_ERROR_VMWRITE_READ_ONLY_VMCS_COMPONENT;
    else
        want = VMX_OK;
    rc = vmx_vmwrite(f->encoding, value);
    check(r, f, f->encoding, "vmwrite", want, rc);
    if (rc == VMX_OK && readable) {
        rc = vmx_vmread(f->encoding, &again);
        check(r, f, f->encoding, "vmread_after_write", VMX_OK, rc);
        if (rc == VMX_OK)
            check_value(r, f, f->encoding, "written", value, again);
    }
    return read_status;
}

void scenario_vmcs_fields(void)
{
    static const char name[] = "vmcs_fields";
    struct vmx_cpu cpu;
    struct vmx_vmcs vmcs = { 0 };
    unsigned checked = 0, mismatches = 0, ops = 0, existing = 0;
    static int read_status[VMCS_FIELD_COUNT];

    if (!scenario_vmx_on(name, &cpu))
        return;
    int rc = vmx_vmcs_alloc(&cpu, &vmcs);
    if (!rc)
        rc = vmx_vmcs_clear(&vmcs);
    if (!rc)
        rc = vmx_vmcs_load(&vmcs);
    if (!rc) {
        const struct vmcs_field_info *table = vmcs_field_table();
        for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++) {
            struct field_result r = { 0 };
            existing += vmx_vmcs_field_exists(&cpu.caps, &table[i]);
            read_status[i] = check_field(&r, &cpu.caps, &table[i]);
            checked++;
            ops += r.ops;
            if (r.bad)
                mismatches++;
        }
    }
    if (vmcs.region)
        vmx_vmcs_clear(&vmcs);
    vmx_vmcs_free(&vmcs);
    vmx_cpu_off(&cpu);
    bool vmxe = vmx_cr4_vmxe();

    if (checked == VMCS_FIELD_COUNT) {
        const struct vmcs_field_info *table = vmcs_field_table();
        os_log("VMCSEXIST BEGIN\n");
        for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++) {
            if (read_status[i] == VMX_OK)
                os_log("%s ok\n", table[i].name);
            else
                os_log("%s %d\n", table[i].name, read_status[i]);
        }
        os_log("VMCSEXIST END\n");
    }

    if (rc)
        os_log("SCENARIO %s FAIL VMCS setup: %d (%s)\n", name, rc, vmx_status_name(rc));
    else
        os_log("SCENARIO %s %s checked=%u mismatches=%u exist=%u ops=%u "
               "vmwrite_any_field=%d cr4.vmxe_after=%d\n",
               name, (mismatches || vmxe || checked != VMCS_FIELD_COUNT) ? "FAIL" : "PASS",
               checked, mismatches, existing, ops, vmx_caps_vmwrite_any_field(&cpu.caps),
               vmxe);
}

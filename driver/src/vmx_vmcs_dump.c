/* SPDX-License-Identifier: MIT */
/* The VMCS dump (include/vmx/dump.h): the current VMCS in the C# runtime's VmcsDump format. */
#include "vmx/dump.h"
#include "vmx/vmx.h"

/* A field line waits until the next one is known, so that only the last goes without a comma. */
struct pending {
    const struct vmcs_field_info *field;
    uint64_t value;
};

static void flush(vmx_line_fn out, void *ctx, struct pending *p, const char *sep)
{
    if (!p->field)
        return;
    vmx_dump_line(out, ctx, "    \"%s\": {\"encoding\": \"0x%04x\", \"value\": \"0x%016llx\"}%s\n",
                  p->field->name, p->field->encoding, (unsigned long long)p->value, sep);
    p->field = 0;
}

int vmx_vmcs_dump_json(const struct vmx_caps *caps, const struct vmx_vmcs *vmcs, vmx_line_fn out,
                       void *ctx, unsigned *fields)
{
    const struct vmcs_field_info *table = vmcs_field_table();
    struct pending p = { 0 };
    unsigned n = 0;
    int rc = 0;

    /* The revision identifier of the region's header (bit 31 is the shadow-VMCS indicator). */
    vmx_dump_line(out, ctx, "{\n");
    vmx_dump_line(out, ctx, "  \"revision\": \"0x%08x\",\n",
                  vmx_vmcs_region_header_get_revision_identifier(*(const uint64_t *)vmcs->region));
    vmx_dump_line(out, ctx, "  \"launch_state\": \"%s\",\n", vmcs->launched ? "launched" : "clear");
    vmx_dump_line(out, ctx, "  \"fields\": {\n");
    for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++) {
        uint64_t value = 0;
        int s;

        if (!vmx_vmcs_field_exists(caps, &table[i]))
            continue;
        s = vmx_vmread(table[i].encoding, &value); /* the whole field: access type 0 */
        if (s) {
            if (!rc)
                rc = s;
            continue;
        }
        flush(out, ctx, &p, ",");
        p = (struct pending){ &table[i], value };
        n++;
    }
    flush(out, ctx, &p, "");
    vmx_dump_line(out, ctx, "  }\n");
    vmx_dump_line(out, ctx, "}\n");
    if (fields)
        *fields = n;
    return rc;
}

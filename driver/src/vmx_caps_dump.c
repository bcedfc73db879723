/* SPDX-License-Identifier: MIT */
/* The capability dump (include/vmx/dump.h): the MSRs the C# runtime's CapabilityDump reads;
 * and the line sink both dumps write through. */
#include "vmx/dump.h"
#include "vmx/os.h"
#include "vmx/vmx.h"

_Static_assert(1 + VMX_MSR_IA32_VMX_EXIT_CTLS2 - VMX_MSR_IA32_VMX_BASIC < VMX_CAPS_DUMP_MAX,
               "struct vmx_caps_dump holds IA32_FEATURE_CONTROL and 0x480..0x493");

void vmx_dump_to_log(void *ctx, const char *fmt, va_list ap)
{
    (void)ctx;
    os_vlog(fmt, ap);
}

void vmx_dump_line(vmx_line_fn out, void *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    out(ctx, fmt, ap);
    va_end(ap);
}

static void read_one(struct vmx_caps_dump *dump, uint32_t msr)
{
    unsigned i = dump->count++;
    dump->msr[i] = msr;
    dump->gp[i] = os_rdmsr_safe(msr, &dump->value[i]) != 0;
    if (dump->gp[i])
        dump->value[i] = 0;
}

void vmx_caps_dump_read(struct vmx_caps_dump *dump)
{
    dump->count = 0;
    read_one(dump, VMX_MSR_IA32_FEATURE_CONTROL);
    /* The capability MSRs are consecutive; each one the spec lists (vmx_msrs.h) is in range. */
    for (uint32_t msr = VMX_MSR_IA32_VMX_BASIC; msr <= VMX_MSR_IA32_VMX_EXIT_CTLS2; msr++)
        read_one(dump, msr);
}

void vmx_caps_dump_json(const struct vmx_caps_dump *dump, const char *model, vmx_line_fn out,
                        void *ctx)
{
    vmx_dump_line(out, ctx, "{\n");
    vmx_dump_line(out, ctx, "  \"model\": \"%s\",\n", model);
    vmx_dump_line(out, ctx, "  \"msrs\": {\n");
    for (unsigned i = 0; i < dump->count; i++) {
        const char *sep = i + 1 < dump->count ? "," : "";
        if (dump->gp[i])
            vmx_dump_line(out, ctx, "    \"0x%x\": \"gp\"%s\n", dump->msr[i], sep);
        else
            vmx_dump_line(out, ctx, "    \"0x%x\": \"0x%016llx\"%s\n", dump->msr[i],
                 (unsigned long long)dump->value[i], sep);
    }
    vmx_dump_line(out, ctx, "  }\n");
    vmx_dump_line(out, ctx, "}\n");
}

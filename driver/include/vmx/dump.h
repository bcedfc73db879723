/* SPDX-License-Identifier: MIT */
/*
 * Dumps as JSON, in the formats the C# runtime loads (runtime/Vmx.Runtime/README.md): the
 * capability dump (tests/fixtures/caps/<model>.json) and the VMCS dump
 * (tests/fixtures/vmcs/<model>.json). Plain types only: the Linux port's kernel half, which must
 * not see the VMX facts headers, includes this too.
 */
#ifndef VMX_DUMP_H
#define VMX_DUMP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Where a dump goes. Called once per output line with printf-style text (the os_log conversions)
 * that ends in "\n", so a sink that splits lines per call (os_log on Linux) keeps them whole.
 */
typedef void (*vmx_line_fn)(void *ctx, const char *fmt, va_list ap);

/* A vmx_line_fn over os_vlog (ctx unused): one os_log call per line. */
void vmx_dump_to_log(void *ctx, const char *fmt, va_list ap);

/* One line to `out` (fmt ends in "\n"). */
void vmx_dump_line(vmx_line_fn out, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- capability dump ---- */

#define VMX_CAPS_DUMP_MAX 32

struct vmx_caps_dump {
    unsigned count;
    uint32_t msr[VMX_CAPS_DUMP_MAX];
    uint64_t value[VMX_CAPS_DUMP_MAX]; /* 0 where gp */
    bool gp[VMX_CAPS_DUMP_MAX];        /* RDMSR raised #GP: the CPU does not implement the MSR */
};

/* IA32_FEATURE_CONTROL, then every capability MSR IA32_VMX_BASIC .. IA32_VMX_EXIT_CTLS2
 * (0x480..0x493) in address order, read on the calling CPU with os_rdmsr_safe. Needs no VMX
 * operation, only CPUID.1:ECX.VMX. */
void vmx_caps_dump_read(struct vmx_caps_dump *dump);

/* The dump as the fixture JSON: {"model": model, "msrs": {"0x480": "0x%016llx" or "gp", ...}},
 * two-space indented, one member a line. `model` is written as is (no escaping). */
void vmx_caps_dump_json(const struct vmx_caps_dump *dump, const char *model, vmx_line_fn out,
                        void *ctx);

/* ---- VMCS dump ---- */

struct vmx_caps;
struct vmx_vmcs;

/*
 * The current VMCS, which must be `vmcs`, as the VMCS dump JSON:
 * {"revision": "0x%08x", "launch_state": "clear"|"launched", "fields": {"<id>": {"encoding":
 * "0x%04x", "value": "0x%016llx"}, ...}}: every field of vmcs_field_table() that exists on a CPU
 * with these capabilities (vmx_vmcs_field_exists), in table order, 64-bit fields whole. Returns 0
 * or the first failing VMREAD's status (that field is left out; the JSON stays well formed);
 * *fields (if not NULL) gets the number of fields written.
 */
int vmx_vmcs_dump_json(const struct vmx_caps *caps, const struct vmx_vmcs *vmcs, vmx_line_fn out,
                       void *ctx, unsigned *fields);

#endif

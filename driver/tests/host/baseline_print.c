/* SPDX-License-Identifier: MIT */
/*
 * baseline-print MODEL [MSR=VALUE|MSR=gp ...]
 * Reads the capabilities of a tests/fixtures/caps model (with the given MSRs replaced: hex address,
 * hex value or "gp" for #GP) through the driver's vmx_caps_read, builds vmx_baseline_vmcs and prints
 * every field it wrote as "0xENCODING 0xVALUE", in field-table order. tests/Vmx.Consistency.Tests
 * compares that with the C# VmcsBaseline. Exit 0; 2 when the baseline is refused (the driver's log
 * on stderr); 1 on bad usage or a field written twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps_fixtures.h"
#include "host_os.h"
#include "vmx/baseline.h"

struct recorded {
    uint64_t value[VMCS_FIELD_COUNT];
    unsigned writes[VMCS_FIELD_COUNT];
    unsigned unknown;
};

static int record(void *ctx, uint32_t encoding, uint64_t value)
{
    struct recorded *r = ctx;
    const struct vmcs_field_info *table = vmcs_field_table();
    for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++)
        if (table[i].encoding == encoding) {
            r->value[i] = value;
            r->writes[i]++;
            return 0;
        }
    r->unknown++;
    return 0;
}

static int load_model(const char *model)
{
    for (unsigned f = 0; f < CAPS_FIXTURE_COUNT; f++) {
        if (strcmp(caps_fixtures[f].model, model) != 0)
            continue;
        host_msrs_clear();
        for (unsigned i = 0; i < caps_fixtures[f].count; i++) {
            const struct caps_fixture_msr *m = &caps_fixtures[f].msrs[i];
            if (m->gp)
                host_msr_set_gp(m->msr);
            else
                host_msr_set(m->msr, m->value);
        }
        return 0;
    }
    fprintf(stderr, "baseline-print: no capability fixture '%s'\n", model);
    return 1;
}

static int override(const char *arg)
{
    char *end;
    unsigned long msr = strtoul(arg, &end, 16);
    if (*end != '=' || end == arg) {
        fprintf(stderr, "baseline-print: '%s' is not MSR=VALUE\n", arg);
        return 1;
    }
    if (strcmp(end + 1, "gp") == 0) {
        host_msr_set_gp((uint32_t)msr);
        return 0;
    }
    const char *text = end + 1;
    unsigned long long value = strtoull(text, &end, 16);
    if (*end || end == text) {
        fprintf(stderr, "baseline-print: '%s' is not MSR=VALUE\n", arg);
        return 1;
    }
    host_msr_set((uint32_t)msr, value);
    return 0;
}

int main(int argc, char **argv)
{
    static struct recorded r;
    struct vmx_caps caps;
    const struct vmcs_field_info *table = vmcs_field_table();

    if (argc < 2) {
        fprintf(stderr, "usage: baseline-print MODEL [MSR=VALUE|MSR=gp ...]\n");
        return 1;
    }
    if (load_model(argv[1]))
        return 1;
    for (int i = 2; i < argc; i++)
        if (override(argv[i]))
            return 1;
    host_log_clear();
    if (vmx_caps_read(&caps)) {
        fprintf(stderr, "%s", host_log());
        return 2;
    }
    if (vmx_baseline_vmcs(&caps, record, &r)) {
        fprintf(stderr, "%s", host_log());
        return 2;
    }
    for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++) {
        if (r.writes[i] > 1) {
            fprintf(stderr, "baseline-print: %s written %u times\n", table[i].name, r.writes[i]);
            return 1;
        }
        if (r.writes[i])
            printf("0x%04x 0x%016llx\n", (unsigned)table[i].encoding, (unsigned long long)r.value[i]);
    }
    if (r.unknown) {
        fprintf(stderr, "baseline-print: %u writes to encodings outside the field table\n", r.unknown);
        return 1;
    }
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* The bare-metal test kernel: runs every scenario once, prints results to COM1, powers off. */
#include <stdbool.h>
#include <stdint.h>

#include "bm.h"
#include "vmx/arch.h"
#include "vmx/os.h"
#include "vmx/scenarios.h"
#include "x86.h"

void kernel_main(uint32_t magic, uint32_t info);

static void print_cpu(void)
{
    char brand[49] = { 0 };
    if (arch_cpuid(0x80000000u, 0).eax >= 0x80000004u) {
        for (uint32_t i = 0; i < 3; i++) {
            struct arch_cpuid r = arch_cpuid(0x80000002u + i, 0);
            uint32_t w[4] = { r.eax, r.ebx, r.ecx, r.edx };
            for (int j = 0; j < 16; j++)
                brand[i * 16 + j] = (char)(w[j / 4] >> (8 * (j % 4)));
        }
    }
    os_log("VMXGEN BOOT cpu=\"%s\"\n", brand);
}

/* The kernel command line from the Multiboot2 boot information (identity-mapped), or "". */
static const char *boot_cmdline(uint32_t magic, uint32_t info)
{
    if (magic != MB2_BOOTLOADER_MAGIC || info == 0)
        return "";
    const uint8_t *mbi = (const uint8_t *)(uintptr_t)info;
    uint32_t total = *(const uint32_t *)mbi;
    for (uint32_t at = 8; at + 8 <= total;) {
        const uint32_t *tag = (const uint32_t *)(mbi + at);
        if (tag[0] == MB2_TAG_END)
            break;
        if (tag[0] == MB2_TAG_CMDLINE)
            return (const char *)(tag + 2);
        at += (tag[1] + 7) & ~7u; /* tags are 8-byte aligned */
    }
    return "";
}

/* Whether the command-line word at arg (ended by a space or the end) is name. */
static bool word_is(const char *arg, const char *name)
{
    while (*name && *name == *arg)
        name++, arg++;
    return *name == 0 && (*arg == 0 || *arg == ' ');
}

static unsigned number_option(const char *cmdline, const char *name);

/* "only=NAME" on the command line runs one scenario (tools/time-scenarios.sh times them one boot
 * each); "only=none" runs none, the boot baseline; no option runs them all. */
static void run_scenarios(const char *cmdline)
{
    static const struct {
        const char *name;
        void (*run)(void);
    } scenarios[] = {
        { "caps_dump", scenario_caps_dump },
        { "guest64_cpuid_loop", scenario_guest64_cpuid_loop },
        { "realmode_ept", scenario_realmode_ept },
        { "error_paths", scenario_error_paths },
        { "vmcs_fields", scenario_vmcs_fields },
        { "baseline_launch", scenario_baseline_launch },
        { "msr_bitmap", scenario_msr_bitmap },
    };
    const char *only = 0;
    for (const char *p = cmdline; *p; p++)
        if (p[0] == 'o' && p[1] == 'n' && p[2] == 'l' && p[3] == 'y' && p[4] == '=') {
            only = p + 5;
            break;
        }
    /* entry_checks runs only when named: its cases are generated at build time (tools/entry-checks.sh);
     * "entry_from=N" starts at case N */
    if (only && word_is(only, "entry_checks"))
        scenario_entry_checks(number_option(cmdline, "entry_from"));
    for (unsigned i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
        if (!only || word_is(only, scenarios[i].name))
            scenarios[i].run();
}

/* What follows "name=" on the command line (up to a space or the end), or NULL. */
static const char *word_option(const char *cmdline, const char *name)
{
    for (const char *p = cmdline; *p; p++) {
        if (p != cmdline && p[-1] != ' ')
            continue;
        const char *q = p, *n = name;
        while (*n && *q == *n)
            q++, n++;
        if (!*n && *q == '=')
            return q + 1;
    }
    return 0;
}

/* The number after "name=" on the command line, 0 without it. */
static unsigned number_option(const char *cmdline, const char *name)
{
    for (const char *p = cmdline; *p; p++) {
        if (p != cmdline && p[-1] != ' ')
            continue;
        const char *q = p, *n = name;
        while (*n && *q == *n)
            q++, n++;
        if (*n || *q != '=')
            continue;
        unsigned v = 0;
        for (q++; *q >= '0' && *q <= '9'; q++)
            v = v * 10 + (unsigned)(*q - '0');
        return v;
    }
    return 0;
}

void kernel_main(uint32_t magic, uint32_t info)
{
    serial_init();
    smp_init();
    if (magic != MB2_BOOTLOADER_MAGIC)
        os_log("VMXGEN WARN not booted by multiboot2 (magic 0x%x)\n", magic);
    print_cpu();

    const char *cmdline = boot_cmdline(magic, info);
    /* "smp=N" (tools/check-smp.sh): start the other CPUs, waiting for N in all, and run the SMP
     * scenarios instead of the others; "smp_calls=K": VMCALLs per guest run (time-smp.sh);
     * "smp_fail=first_half|second_half": a failure injected into smp_migrate (check-smp.sh). */
    unsigned smp = number_option(cmdline, "smp");
    if (smp) {
        unsigned calls = number_option(cmdline, "smp_calls");
        /* the trampoline page may hold the boot information: nothing of it is read after this */
        smp_start_aps(smp);
        scenario_smp(calls, word_option(cmdline, "smp_fail"));
    } else {
        run_scenarios(cmdline);
    }

    os_log("VMXGEN DONE\n");
    bm_shutdown();
}

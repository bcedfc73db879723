/* SPDX-License-Identifier: MIT */
/* The bare-metal test kernel: runs every scenario once, prints results to COM1, powers off. */
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

void kernel_main(uint32_t magic, uint32_t info)
{
    (void)info;
    serial_init();
    cpu_tables_init();
    if (magic != MB2_BOOTLOADER_MAGIC)
        os_log("VMXGEN WARN not booted by multiboot2 (magic 0x%x)\n", magic);
    print_cpu();

    scenario_caps_dump();
    scenario_guest64_cpuid_loop();
    scenario_realmode_ept();
    scenario_error_paths();
    scenario_vmcs_fields();

    os_log("VMXGEN DONE\n");
    bm_shutdown();
}

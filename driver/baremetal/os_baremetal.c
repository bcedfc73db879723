/* SPDX-License-Identifier: MIT */
/* vmx/os.h on bare metal: identity-mapped memory, COM1 logging (the CPUs: smp.c). */
#include <stdbool.h>

#include "bm.h"
#include "vmx/arch.h"
#include "vmx/fmt.h"
#include "vmx/insn.h"
#include "vmx/os.h"
#include "x86.h"

/* Page pool: a static arena with a one-bit-per-page map, first fit. */
#define POOL_PAGES 1024 /* 4 MiB */
static uint8_t pool[POOL_PAGES][OS_PAGE_SIZE] __attribute__((aligned(4096)));
static uint8_t pool_used[POOL_PAGES / 8];

static bool used(size_t i) { return pool_used[i / 8] & (1u << (i % 8)); }
static void mark(size_t i, bool on)
{
    if (on)
        pool_used[i / 8] |= (uint8_t)(1u << (i % 8));
    else
        pool_used[i / 8] &= (uint8_t)~(1u << (i % 8));
}

void *os_alloc_pages(size_t count)
{
    for (size_t start = 0; count && start + count <= POOL_PAGES; start++) {
        size_t n = 0;
        while (n < count && !used(start + n))
            n++;
        if (n < count) {
            start += n; /* skip past the used page */
            continue;
        }
        for (size_t i = 0; i < count; i++) {
            mark(start + i, true);
            uint64_t *p = (uint64_t *)pool[start + i];
            for (size_t w = 0; w < OS_PAGE_SIZE / 8; w++)
                p[w] = 0;
        }
        return pool[start];
    }
    return 0;
}

void os_free_pages(void *pages, size_t count)
{
    size_t start = (size_t)((uint8_t(*)[OS_PAGE_SIZE])pages - pool);
    for (size_t i = 0; i < count && start + i < POOL_PAGES; i++)
        mark(start + i, false);
}

/* boot.S identity-maps the first 4 GiB */
uint64_t os_virt_to_phys(const void *virt) { return (uint64_t)(uintptr_t)virt; }
void *os_phys_to_virt(uint64_t phys) { return (void *)(uintptr_t)phys; }

static void put_serial(void *ctx, char c)
{
    (void)ctx;
    serial_putc(c);
}

void os_vlog(const char *fmt, va_list ap)
{
    fmt_vformat(put_serial, 0, fmt, ap);
}

void os_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    os_vlog(fmt, ap);
    va_end(ap);
}

int os_rdmsr_safe(uint32_t msr, uint64_t *value)
{
    uint32_t flt, lo = 0, hi = 0;
    __asm__ volatile(VMX_ASM_GUARDED("rdmsr")
                     : [flt] "=&r"(flt), "+a"(lo), "+d"(hi)
                     : "c"(msr)
                     : "memory");
    *value = flt ? 0 : ((uint64_t)hi << 32) | lo;
    return flt ? -1 : 0;
}

int os_wrmsr_safe(uint32_t msr, uint64_t value)
{
    uint32_t flt;
    __asm__ volatile(VMX_ASM_GUARDED("wrmsr")
                     : [flt] "=&r"(flt)
                     : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
                     : "memory");
    return flt ? -1 : 0;
}

/* Nothing else keeps a copy of CR4 here: the register is the only state. */
void os_cr4_update(uint64_t set, uint64_t clear)
{
    arch_write_cr4((arch_read_cr4() | set) & ~clear);
}

/* os_cpu_count, os_cpu_current and os_run_on_cpu are in smp.c. Interrupts are never enabled and a
 * CPU runs only what it is given; pinning is saving and clearing IF anyway. */
unsigned long os_cpu_pin(void)
{
    unsigned long flags;
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    return flags;
}

void os_cpu_unpin(unsigned long flags)
{
    if (flags & VMX_RFLAGS_IF_MASK)
        __asm__ volatile("sti" : : : "memory");
}

void bm_shutdown(void)
{
    serial_flush();
    for (const char *s = "Shutdown"; *s; s++)
        outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* SPDX-License-Identifier: MIT */
/* Internal interfaces of the bare-metal port. */
#ifndef BAREMETAL_BM_H
#define BAREMETAL_BM_H

#include <stdint.h>

void serial_init(void);
void serial_putc(char c);
void serial_flush(void);

void cpu_tables_init(unsigned cpu); /* this CPU's GDT with its TSS (ltr); the IDT (built by CPU 0) */

/* SMP (smp.c): CPU 0 is the BSP; smp_init sets up its per-CPU area, smp_start_aps starts the
 * others (INIT-SIPI-SIPI) and waits until `expected` CPUs in all are online or a bound passes. */
void smp_init(void);
unsigned smp_start_aps(unsigned expected);
void ap_main(unsigned cpu) __attribute__((noreturn));
void bm_shutdown(void) __attribute__((noreturn));

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

#endif

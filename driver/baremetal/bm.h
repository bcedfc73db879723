/* SPDX-License-Identifier: MIT */
/* Internal interfaces of the bare-metal port. */
#ifndef BAREMETAL_BM_H
#define BAREMETAL_BM_H

#include <stdint.h>

void serial_init(void);
void serial_putc(char c);
void serial_flush(void);

void cpu_tables_init(void); /* GDT with TSS (ltr), IDT for exceptions 0-31 */
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

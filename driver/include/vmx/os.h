/* SPDX-License-Identifier: MIT */
/*
 * The OS seam: everything the VMX runtime needs from its host environment. A port (bare metal,
 * Linux) implements these and provides "os_port.h" on its include path.
 */
#ifndef VMX_OS_H
#define VMX_OS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/*
 * os_port.h must define OS_ASM_EXTABLE(from, to): assembler text (a string) that registers a
 * fault fixup, so that a #UD/#GP at label `from` resumes at label `to` instead of killing the CPU.
 */
#include "os_port.h"

#define OS_PAGE_SIZE 4096u

/* Zeroed, 4 KiB-aligned, physically contiguous pages; NULL when out of memory. */
void *os_alloc_pages(size_t count);
void os_free_pages(void *pages, size_t count);

/* Translations for memory from os_alloc_pages (and, on bare metal, any memory at all). */
uint64_t os_virt_to_phys(const void *virt);
void *os_phys_to_virt(uint64_t phys);

/* printf-like logging: %[-0][width][hh|h|l|ll|z](d|i|u|x|X|c|s|p|%). One call, one line part. */
void os_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void os_vlog(const char *fmt, va_list ap);

/* MSR access that reports a #GP as -1 instead of faulting; 0 on success. */
int os_rdmsr_safe(uint32_t msr, uint64_t *value);
int os_wrmsr_safe(uint32_t msr, uint64_t value);

/* Per-CPU: the caller runs pinned to one CPU (interrupts/preemption off) while in VMX operation. */
unsigned os_cpu_count(void);
unsigned os_cpu_current(void);
unsigned long os_cpu_pin(void);                 /* returns state for os_cpu_unpin */
void os_cpu_unpin(unsigned long state);

#endif

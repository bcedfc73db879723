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

/*
 * Zeroed, 4 KiB-aligned, physically contiguous pages; NULL when out of memory. May be called
 * with interrupts off and pinned (vmx_cpu_on allocates the VMXON region that way; on Linux it runs
 * in on_each_cpu() callbacks): a port must not sleep then (Linux: GFP_ATOMIC, not GFP_KERNEL).
 */
void *os_alloc_pages(size_t count);
void os_free_pages(void *pages, size_t count);

/* Translations for memory from os_alloc_pages (and, on bare metal, any memory at all). */
uint64_t os_virt_to_phys(const void *virt);
void *os_phys_to_virt(uint64_t phys);

/*
 * printf-like logging: %[-0][width][hh|h|l|ll|z](d|i|u|x|X|c|s|p|%).
 * A port may end the line at the end of every call (Linux: one printk record per call, with a
 * prefix), so a caller that wants one output line makes one call that ends in "\n", never a
 * line out of several calls. Output meant to be parsed (CAPS, VMCSDUMP) is written a line a call.
 */
void os_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void os_vlog(const char *fmt, va_list ap);

/* MSR access that reports a #GP as -1 instead of faulting; 0 on success. */
int os_rdmsr_safe(uint32_t msr, uint64_t *value);
int os_wrmsr_safe(uint32_t msr, uint64_t value);

/*
 * Every CR4 change the core makes (CR4.VMXE, the IA32_VMX_CR4_FIXED0/FIXED1 adjustment, undoing
 * both): on the calling CPU, set the bits in `set` and clear those in `clear` (the two never
 * overlap), leaving every other bit as it is. A port whose OS keeps its own copy of CR4 and writes
 * the register from it must update that copy as well, or the OS's next CR4 write would drop VMXE
 * in VMX operation (#GP); Linux: cr4_update_irqsoff(), which keeps cpu_tlbstate.cr4. Bare metal:
 * mov to CR4. Called pinned, possibly with interrupts off.
 * (CR0 has no such hook: no supported OS shadows CR0, so the core writes it directly.)
 */
void os_cr4_update(uint64_t set, uint64_t clear);

/*
 * Per-CPU. VMXON, VMXOFF and everything in between must run on one CPU: vmx_cpu_on() calls
 * os_cpu_pin() and vmx_cpu_off() calls os_cpu_unpin() with what it returned, in a later call, so
 * the pin spans calls. A port may pin (bare metal: save RFLAGS, cli) or, when its callers already
 * run pinned by their context (Linux: on_each_cpu() and CPU-hotplug callbacks, interrupts off),
 * only check that and return the CPU number, for os_cpu_unpin() to check it is the same CPU.
 */
unsigned os_cpu_count(void);    /* CPUs online, numbered 0 .. count - 1 */
unsigned os_cpu_current(void);
/*
 * Run fn(arg) on CPU `cpu`, pinned there with interrupts off, and return when it has finished:
 * 0, or -1 when that CPU is not online. Per-CPU VMX state (a struct vmx_cpu each) is driven this
 * way: VMXON, VMXOFF and the VMCS instructions of one CPU run in calls on that CPU. fn must not
 * sleep. Bare metal: a mailbox the AP polls; Linux: smp_call_function_single(..., wait=1).
 */
int os_run_on_cpu(unsigned cpu, void (*fn)(void *), void *arg);
unsigned long os_cpu_pin(void);                 /* returns state for os_cpu_unpin */
void os_cpu_unpin(unsigned long state);

#endif

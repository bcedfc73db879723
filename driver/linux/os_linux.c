/* SPDX-License-Identifier: MIT */
/*
 * vmx/os.h on Linux: the page allocator, the direct map, printk, the kernel's safe MSR
 * accessors (exception-table backed), CR4 through the kernel's shadow, and the CPU the caller
 * already runs on.
 *
 * Kernel-facing half: sees kernel headers and os.h only, never the VMX facts headers.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/irqflags.h>
#include <linux/version.h>
#include <asm/io.h>
#include <asm/msr.h>
#include <asm/tlbflush.h>
#include <asm/processor-flags.h>

#include "vmx/os.h"
#include "vmxgen_linux.h"

/* Pages come from the buddy allocator: physically contiguous, page aligned, in the direct map
 * (so virt_to_phys/phys_to_virt hold). The core allocates from inside on_each_cpu() callbacks,
 * where sleeping is not allowed, so the GFP flags follow the context. */
static unsigned int pages_order(size_t count)
{
    return get_order(count * PAGE_SIZE);
}

void *os_alloc_pages(size_t count)
{
    gfp_t gfp = (preemptible() ? GFP_KERNEL : GFP_ATOMIC) | __GFP_ZERO;

    BUILD_BUG_ON(PAGE_SIZE != OS_PAGE_SIZE);
    if (!count)
        return NULL;
    return (void *)__get_free_pages(gfp, pages_order(count));
}

void os_free_pages(void *pages, size_t count)
{
    if (pages && count)
        free_pages((unsigned long)pages, pages_order(count));
}

uint64_t os_virt_to_phys(const void *virt)
{
    return (uint64_t)virt_to_phys((void *)virt);
}

void *os_phys_to_virt(uint64_t phys)
{
    return phys_to_virt((phys_addr_t)phys);
}

/* Each os_log call becomes one printk record, tagged with the CPU it ran on. The core's
 * conversions (%[-0][width][hh|h|l|ll|z](d|i|u|x|X|c|s|p|%)) are a subset of printk's. */
void os_vlog(const char *fmt, va_list ap)
{
    struct va_format vaf;
    va_list args;

    va_copy(args, ap);
    vaf.fmt = fmt;
    vaf.va = &args;
    printk(KERN_INFO "vmxgen: cpu%u: %pV", raw_smp_processor_id(), &vaf);
    va_end(args);
}

void os_log(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    os_vlog(fmt, ap);
    va_end(ap);
}

/* rdmsrl_safe/wrmsrl_safe were renamed rdmsrq_safe/wrmsrq_safe in Linux 6.16. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
#define vmxgen_rdmsr_safe rdmsrq_safe
#define vmxgen_wrmsr_safe wrmsrq_safe
#else
#define vmxgen_rdmsr_safe rdmsrl_safe
#define vmxgen_wrmsr_safe wrmsrl_safe
#endif

int os_rdmsr_safe(uint32_t msr, uint64_t *value)
{
    u64 v = 0;

    if (vmxgen_rdmsr_safe(msr, &v)) {
        *value = 0;
        return -1;
    }
    *value = v;
    return 0;
}

int os_wrmsr_safe(uint32_t msr, uint64_t value)
{
    return vmxgen_wrmsr_safe(msr, value) ? -1 : 0;
}

unsigned os_cpu_count(void)
{
    return num_online_cpus();
}

unsigned os_cpu_current(void)
{
    return raw_smp_processor_id();
}

/* Runs fn in the IPI handler of the target CPU (interrupts off there), or locally with interrupts
 * off when cpu is this CPU; wait=1 returns after fn has finished. Not from atomic context. */
int os_run_on_cpu(unsigned cpu, void (*fn)(void *), void *arg)
{
    return smp_call_function_single((int)cpu, fn, arg, 1) ? -1 : 0;
}

/*
 * On Linux a CPU stays in VMX operation for as long as the module is loaded, while the kernel
 * keeps scheduling on it; what must not happen is that one CPU's VMXON and VMXOFF run on another.
 * The module therefore calls the core only from on_each_cpu() callbacks (interrupts off, on the
 * target CPU) or from CPU-hotplug callbacks with interrupts off. os_cpu_pin() cannot take a
 * preempt/IRQ reference here: vmx_cpu_on() keeps the "pin" until vmx_cpu_off(), which runs in a
 * later callback. So it asserts the caller is pinned and remembers the CPU; os_cpu_unpin() checks
 * that the CPU is the same one.
 */
unsigned long os_cpu_pin(void)
{
    WARN_ON_ONCE(preemptible());
    return raw_smp_processor_id();
}

void os_cpu_unpin(unsigned long state)
{
    WARN_ON_ONCE(preemptible());
    WARN_ON_ONCE(state != raw_smp_processor_id());
}

/*
 * Linux keeps a per-CPU shadow of CR4 (cpu_tlbstate.cr4) and rewrites the register from it
 * (TSD/PCE on context switch, perf, ...): a shadow without VMXE would clear CR4.VMXE while the CPU
 * is in VMX operation (#GP). cr4_update_irqsoff() (exported; cr4_set_bits/cr4_clear_bits are
 * inline wrappers of it) updates shadow and register together; it wants interrupts off, which
 * the module's callers have already, but the seam does not promise that, so save and restore.
 * Linux has no CR0 shadow, so CR0 needs no such hook (the core writes it itself).
 */
void os_cr4_update(uint64_t set, uint64_t clear)
{
    unsigned long flags;

    local_irq_save(flags);
    cr4_update_irqsoff(set, clear);
    local_irq_restore(flags);
}

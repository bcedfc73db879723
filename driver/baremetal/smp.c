/* SPDX-License-Identifier: MIT */
/*
 * The bare-metal port's CPUs: a per-CPU area reached through IA32_GS_BASE, the start of the
 * application processors (INIT-SIPI-SIPI through the xAPIC, trampoline in ap_boot.S), and
 * os_run_on_cpu as a one-slot mailbox each AP polls with interrupts off.
 */
#include <stdbool.h>
#include <stddef.h>

#include "bm.h"
#include "vmx/arch.h"
#include "vmx/os.h"
#include "vmx/vmx.h"
#include "x86.h"

struct bm_cpu {
    unsigned index;
    volatile bool online;
    void (*volatile call)(void *); /* the mailbox: set by the caller, cleared by the CPU when done */
    void *call_arg;
};

static struct bm_cpu cpus[BM_MAX_CPUS];
static volatile unsigned online_count = 1;

/* ap_boot.S */
extern const uint8_t ap_trampoline[], ap_trampoline_end[], ap_trampoline_cr3[];
uint8_t ap_stacks[(BM_MAX_CPUS - 1) * AP_STACK_SIZE] __attribute__((aligned(16)));
volatile uint32_t ap_next_cpu = 1;

static void set_self(unsigned cpu)
{
    cpus[cpu].index = cpu;
    /* the data selector loads in cpu_tables_init set GS's base to 0: write it after them */
    os_wrmsr_safe(VMX_MSR_IA32_GS_BASE, (uint64_t)(uintptr_t)&cpus[cpu]);
}

unsigned os_cpu_current(void)
{
    unsigned cpu;
    __asm__ volatile("movl %%gs:%c1, %0" : "=r"(cpu) : "i"(offsetof(struct bm_cpu, index)));
    return cpu;
}

unsigned os_cpu_count(void) { return online_count; }

void smp_init(void)
{
    cpu_tables_init(0);
    set_self(0);
    cpus[0].online = true;
}

static void lapic_write(uint32_t reg, uint32_t value)
{
    *(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg) = value;
}

static uint32_t lapic_read(uint32_t reg)
{
    return *(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg);
}

static void lapic_send(uint32_t icr_low)
{
    lapic_write(LAPIC_ICR_HIGH, 0);
    lapic_write(LAPIC_ICR_LOW, icr_low);
    while (lapic_read(LAPIC_ICR_LOW) & LAPIC_ICR_DELIVERY_PENDING)
        __asm__ volatile("pause");
}

static void spin(unsigned n)
{
    while (n--)
        __asm__ volatile("pause");
}

unsigned smp_start_aps(unsigned expected)
{
    uint8_t *dst = (uint8_t *)(uintptr_t)AP_TRAMPOLINE_BASE;
    size_t size = (size_t)(ap_trampoline_end - ap_trampoline);
    for (size_t i = 0; i < size; i++)
        dst[i] = ap_trampoline[i];
    *(uint32_t *)(dst + (ap_trampoline_cr3 - ap_trampoline)) = (uint32_t)arch_read_cr3();

    /* INIT, then two start-up IPIs (the second is ignored by a CPU the first one started). */
    lapic_send(LAPIC_ICR_INIT_ASSERT_ALL_BUT_SELF);
    spin(10000);
    for (int i = 0; i < 2; i++) {
        lapic_send(LAPIC_ICR_STARTUP_ALL_BUT_SELF | (AP_TRAMPOLINE_BASE >> 12));
        spin(1000);
    }
    /* Wait for `expected` CPUs, or give up after a bound and report how many came. */
    for (unsigned waited = 0; online_count < expected && waited < 2000000; waited++)
        __asm__ volatile("pause");
    spin(10000); /* a CPU beyond `expected` would show up as well */
    return online_count;
}

void ap_main(unsigned cpu)
{
    struct bm_cpu *self = &cpus[cpu];
    cpu_tables_init(cpu);
    set_self(cpu);
    self->online = true;
    __atomic_add_fetch(&online_count, 1, __ATOMIC_SEQ_CST);
    for (;;) {
        void (*fn)(void *) = __atomic_load_n(&self->call, __ATOMIC_ACQUIRE);
        if (!fn) {
            __asm__ volatile("pause");
            continue;
        }
        fn(self->call_arg);
        __atomic_store_n(&self->call, (void (*)(void *))0, __ATOMIC_RELEASE);
    }
}

int os_run_on_cpu(unsigned cpu, void (*fn)(void *), void *arg)
{
    if (cpu >= BM_MAX_CPUS || !cpus[cpu].online)
        return -1;
    if (cpu == os_cpu_current()) {
        unsigned long flags = os_cpu_pin();
        fn(arg);
        os_cpu_unpin(flags);
        return 0;
    }
    struct bm_cpu *target = &cpus[cpu];
    target->call_arg = arg;
    __atomic_store_n(&target->call, fn, __ATOMIC_RELEASE);
    while (__atomic_load_n(&target->call, __ATOMIC_ACQUIRE))
        __asm__ volatile("pause");
    return 0;
}

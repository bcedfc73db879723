/* SPDX-License-Identifier: MIT */
/*
 * GDT/TSS/IDT and exception handling. A VMM host needs a usable TR (VM-entry checks the host TR),
 * and probing MSRs/VMX instructions needs #GP/#UD to come back as errors: trap_handler resumes
 * at the fixup registered with OS_ASM_EXTABLE instead of dying.
 */
#include <stdint.h>

#include "bm.h"
#include "vmx/os.h"
#include "x86.h"

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
    uint16_t offset_low, selector;
    uint8_t ist, type_attr;
    uint16_t offset_mid;
    uint32_t offset_high, reserved;
} __attribute__((packed));

struct dtr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

struct extable_entry {
    uint64_t from, to;
};

extern const uint64_t isr_table[32];
extern const struct extable_entry __vmx_extable_start[], __vmx_extable_end[];

/* A GDT and TSS per CPU: VM entry needs a non-zero host TR, and a busy TSS cannot be shared. */
static uint64_t gdts[BM_MAX_CPUS][5] __attribute__((aligned(16)));
static struct tss64 tsses[BM_MAX_CPUS] __attribute__((aligned(16)));
static struct idt_gate idt[32] __attribute__((aligned(16)));
static uint8_t double_fault_stacks[BM_MAX_CPUS][8192] __attribute__((aligned(16)));

enum { IST_DOUBLE_FAULT = 1, VECTOR_DOUBLE_FAULT = 8 };

static void set_tss_descriptor(uint64_t *slot, uint64_t base, uint32_t limit)
{
    slot[0] = (limit & 0xFFFFull) | ((base & 0xFFFFFFull) << 16) |
              ((uint64_t)DESC_TSS_AVAILABLE_PRESENT << 40) | (((uint64_t)limit >> 16 & 0xF) << 48) |
              ((base >> 24 & 0xFF) << 56);
    slot[1] = base >> 32;
}

void cpu_tables_init(unsigned cpu)
{
    uint64_t *gdt = gdts[cpu];
    struct tss64 *tss = &tsses[cpu];
    uint8_t *double_fault_stack = double_fault_stacks[cpu];
    gdt[0] = 0;
    gdt[SEL_CODE64 / 8] = DESC_CODE64;
    gdt[SEL_DATA / 8] = DESC_DATA;
    tss->iomap_base = sizeof *tss; /* no I/O permission bitmap */
    tss->ist[IST_DOUBLE_FAULT - 1] = (uint64_t)(uintptr_t)(double_fault_stack + sizeof double_fault_stacks[0]);
    set_tss_descriptor(&gdt[SEL_TSS / 8], (uint64_t)(uintptr_t)tss, sizeof *tss - 1);

    struct dtr g = { sizeof gdts[0] - 1, (uint64_t)(uintptr_t)gdt };
    __asm__ volatile("lgdt %0" : : "m"(g));
    /* reload CS with a far return, then the data segments and TR */
    __asm__ volatile("pushq %[cs]\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:"
                     :
                     : [cs] "i"(SEL_CODE64)
                     : "rax", "memory");
    __asm__ volatile("mov %0, %%ds\n\tmov %0, %%es\n\tmov %0, %%ss\n\tmov %0, %%fs\n\tmov %0, %%gs"
                     :
                     : "r"((uint16_t)SEL_DATA));
    __asm__ volatile("ltr %0" : : "r"((uint16_t)SEL_TSS));

    if (cpu != 0) { /* the IDT is shared: the BSP built it */
        struct dtr i = { sizeof idt - 1, (uint64_t)(uintptr_t)idt };
        __asm__ volatile("lidt %0" : : "m"(i));
        return;
    }
    for (int v = 0; v < 32; v++) {
        uint64_t h = isr_table[v];
        idt[v] = (struct idt_gate){
            .offset_low = (uint16_t)h,
            .selector = SEL_CODE64,
            .ist = v == VECTOR_DOUBLE_FAULT ? IST_DOUBLE_FAULT : 0,
            .type_attr = IDT_INTERRUPT_GATE_PRESENT,
            .offset_mid = (uint16_t)(h >> 16),
            .offset_high = (uint32_t)(h >> 32),
        };
    }
    struct dtr i = { sizeof idt - 1, (uint64_t)(uintptr_t)idt };
    __asm__ volatile("lidt %0" : : "m"(i));
}

void trap_handler(struct trap_frame *f);
void trap_handler(struct trap_frame *f)
{
    for (const struct extable_entry *e = __vmx_extable_start; e < __vmx_extable_end; e++) {
        if (e->from == f->rip) {
            f->rip = e->to; /* the wrapper turns this into a status */
            return;
        }
    }
    uint64_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    os_log("PANIC exception %llu error 0x%llx rip 0x%llx rsp 0x%llx cr2 0x%llx\n",
           (unsigned long long)f->vector, (unsigned long long)f->error_code,
           (unsigned long long)f->rip, (unsigned long long)f->rsp, (unsigned long long)cr2);
    bm_shutdown();
}

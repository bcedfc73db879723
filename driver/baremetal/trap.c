/* SPDX-License-Identifier: MIT */
/*
 * GDT/TSS/IDT and exception handling. A VMM host needs a usable TR (VM-entry checks the host TR),
 * and probing MSRs/VMX instructions needs #GP/#UD to come back as errors: trap_handler resumes
 * at the fixup registered with OS_ASM_EXTABLE instead of dying.
 */
#include <stdint.h>

#include "bm.h"
#include "vmx/facts.h"
#include "vmx/os.h"
#include "x86.h"

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

/* A GDT and TSS per CPU: VM entry needs a non-zero host TR, and a busy TSS cannot be shared. The descriptors,
 * the TSS fields and the IDT gates are placed by the spec's layouts (spec/layouts/x86-structures.yaml) and TSS
 * offsets (enumeration tss64_offset). */
static uint64_t gdts[BM_MAX_CPUS][5] __attribute__((aligned(16)));
static uint8_t tsses[BM_MAX_CPUS][VMX_TSS64_OFFSET_SIZE] __attribute__((aligned(16)));
static uint64_t idt[32][2] __attribute__((aligned(16))); /* 16-byte gates: lower and upper 8 bytes */
static uint8_t double_fault_stacks[BM_MAX_CPUS][8192] __attribute__((aligned(16)));

enum { IST_DOUBLE_FAULT = 1, VECTOR_DOUBLE_FAULT = 8 };

/* A flat (base 0, limit 4 GiB) ring-0 descriptor: 64-bit code, or read/write data. */
static uint64_t flat_descriptor(int code)
{
    uint64_t d = 0;
    d = vmx_code_data_segment_descriptor_set_limit_low(d, 0xFFFF);
    d = vmx_code_data_segment_descriptor_set_limit_high(d, 0xF);
    d = vmx_code_data_segment_descriptor_set_granularity(d, 1);
    d = vmx_code_data_segment_descriptor_set_readable_writable(d, 1);
    d = vmx_code_data_segment_descriptor_set_executable(d, (uint64_t)code);
    d = vmx_code_data_segment_descriptor_set_descriptor_type(d, 1);
    d = vmx_code_data_segment_descriptor_set_present(d, 1);
    return code ? vmx_code_data_segment_descriptor_set_long_mode(d, 1)
                : vmx_code_data_segment_descriptor_set_default_big(d, 1);
}

/* The 16-byte descriptor of an available 64-bit TSS. */
static void set_tss_descriptor(uint64_t *slot, uint64_t base, uint32_t limit)
{
    uint64_t d = 0;
    d = vmx_system_segment_descriptor_set_limit_low(d, limit);
    d = vmx_system_segment_descriptor_set_limit_high(d, limit >> 16);
    d = vmx_system_segment_descriptor_set_base_low(d, base);
    d = vmx_system_segment_descriptor_set_base_high(d, base >> 24);
    d = vmx_system_segment_descriptor_set_type(d, VMX_SYSTEM_SEGMENT_TYPE_TSS_AVAILABLE);
    d = vmx_system_segment_descriptor_set_present(d, 1);
    slot[0] = d;
    slot[1] = vmx_system_segment_descriptor_upper_set_base_upper(0, base >> 32);
}

/* The TSS's stack pointers and I/O map base are unaligned little-endian fields at the spec's offsets. */
static void tss_put(uint8_t *tss, unsigned offset, uint64_t value, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        tss[offset + i] = (uint8_t)(value >> (8 * i));
}

static void set_interrupt_gate(uint64_t *gate, uint64_t handler, unsigned ist)
{
    uint64_t g = 0;
    g = vmx_idt_gate_64_set_offset_low(g, handler);
    g = vmx_idt_gate_64_set_offset_middle(g, handler >> 16);
    g = vmx_idt_gate_64_set_selector(g, SEL_CODE64);
    g = vmx_idt_gate_64_set_ist(g, ist);
    g = vmx_idt_gate_64_set_type(g, VMX_SYSTEM_SEGMENT_TYPE_INTERRUPT_GATE);
    g = vmx_idt_gate_64_set_present(g, 1);
    gate[0] = g;
    gate[1] = vmx_idt_gate_64_upper_set_offset_high(0, handler >> 32);
}

void cpu_tables_init(unsigned cpu)
{
    uint64_t *gdt = gdts[cpu];
    uint8_t *tss = tsses[cpu];
    uint8_t *double_fault_stack = double_fault_stacks[cpu];
    gdt[0] = 0;
    gdt[SEL_CODE64 / 8] = flat_descriptor(1);
    gdt[SEL_DATA / 8] = flat_descriptor(0);
    tss_put(tss, VMX_TSS64_OFFSET_IO_MAP_BASE, VMX_TSS64_OFFSET_SIZE, 2); /* at the limit: no I/O permission bitmap */
    tss_put(tss, VMX_TSS64_OFFSET_IST1 + 8 * (IST_DOUBLE_FAULT - 1),
            (uint64_t)(uintptr_t)(double_fault_stack + sizeof double_fault_stacks[0]), 8);
    set_tss_descriptor(&gdt[SEL_TSS / 8], (uint64_t)(uintptr_t)tss, VMX_TSS64_OFFSET_SIZE - 1);

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
    for (int v = 0; v < 32; v++)
        set_interrupt_gate(idt[v], isr_table[v], v == VECTOR_DOUBLE_FAULT ? IST_DOUBLE_FAULT : 0);
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

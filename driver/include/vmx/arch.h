/* SPDX-License-Identifier: MIT */
/* x86-64 register access the VMX runtime needs; plain instructions, no policy. */
#ifndef VMX_ARCH_H
#define VMX_ARCH_H

#include <stdint.h>

#include "vmx/generated/vmx_layouts.h"

struct arch_cpuid {
    uint32_t eax, ebx, ecx, edx;
};

static inline struct arch_cpuid arch_cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct arch_cpuid r;
    __asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(subleaf));
    return r;
}

#define ARCH_READ_CR(n)                                                                         \
    static inline uint64_t arch_read_cr##n(void)                                                \
    {                                                                                           \
        uint64_t v;                                                                             \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                                       \
        return v;                                                                               \
    }                                                                                           \
    static inline void arch_write_cr##n(uint64_t v)                                             \
    {                                                                                           \
        __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");                              \
    }
ARCH_READ_CR(0)
ARCH_READ_CR(3)
ARCH_READ_CR(4)
#undef ARCH_READ_CR

static inline uint64_t arch_read_dr7(void)
{
    uint64_t v;
    __asm__ volatile("mov %%dr7, %0" : "=r"(v));
    return v;
}

/* rdmsr without a safety net: only for MSRs known to exist (else use os_rdmsr_safe). */
static inline uint64_t arch_rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t arch_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t arch_read_rflags(void)
{
    uint64_t v;
    __asm__ volatile("pushfq; popq %0" : "=r"(v));
    return v;
}

#define ARCH_READ_SEG(s)                                                                        \
    static inline uint16_t arch_read_##s(void)                                                  \
    {                                                                                           \
        uint16_t v;                                                                             \
        __asm__ volatile("mov %%" #s ", %0" : "=r"(v));                                         \
        return v;                                                                               \
    }
ARCH_READ_SEG(cs)
ARCH_READ_SEG(ss)
ARCH_READ_SEG(ds)
ARCH_READ_SEG(es)
ARCH_READ_SEG(fs)
ARCH_READ_SEG(gs)
#undef ARCH_READ_SEG

static inline uint16_t arch_read_tr(void)
{
    uint16_t v;
    __asm__ volatile("str %0" : "=r"(v));
    return v;
}

struct arch_dtr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static inline struct arch_dtr arch_sgdt(void)
{
    struct arch_dtr d;
    __asm__ volatile("sgdt %0" : "=m"(d));
    return d;
}

static inline struct arch_dtr arch_sidt(void)
{
    struct arch_dtr d;
    __asm__ volatile("sidt %0" : "=m"(d));
    return d;
}

/* Base address of the system segment (TSS) selected by sel in the GDT at gdt_base: a 16-byte descriptor in long
 * mode (layouts system_segment_descriptor and system_segment_descriptor_upper). */
static inline uint64_t arch_system_segment_base(uint64_t gdt_base, uint16_t sel)
{
    const uint64_t *d = (const uint64_t *)(uintptr_t)(gdt_base + (sel & ~7u));
    return (uint64_t)vmx_system_segment_descriptor_get_base_low(d[0]) |
           (uint64_t)vmx_system_segment_descriptor_get_base_high(d[0]) << 24 |
           (uint64_t)vmx_system_segment_descriptor_upper_get_base_upper(d[1]) << 32;
}

/* Limit of the segment selected by sel (LSL; 0 when the selector is not loadable). */
static inline uint32_t arch_segment_limit(uint16_t sel)
{
    uint64_t limit = 0;
    __asm__ volatile("lsl %1, %0" : "+r"(limit) : "r"((uint64_t)sel) : "cc");
    return (uint32_t)limit;
}

#endif

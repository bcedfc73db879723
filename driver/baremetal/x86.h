/* SPDX-License-Identifier: MIT */
/*
 * Hardware facts the bare-metal port itself needs (descriptor formats, the UART, Bochs's
 * shutdown port). Most are about booting a PC, not about VMX, so they are not in the VMX spec.
 * This header is shared by C and assembly.
 *
 * The exceptions are facts of the spec that boot.S and ap_boot.S need: the control-register and
 * IA32_EFER bits to enter long mode (CR0_PE, CR0_PG, CR4_PAE, MSR_EFER, EFER_LME: layouts cr0, cr4,
 * ia32_efer; MSR IA32_EFER), CPUID_EXT_LM_BIT (cpuid.80000001.edx.lm), the flat descriptors of the
 * boot GDTs (layout code_data_segment_descriptor) and the bits of the boot page tables (layouts
 * pml4e, pdpte, pde_2mb). They are restated here only because the assembler cannot include the
 * generated C headers (ull suffixes, inline functions); baremetal/spec_asserts.c proves each equal
 * to its generated counterpart with _Static_assert, so they cannot drift. The C code (trap.c)
 * builds its GDT, TSS and IDT with the generated accessors instead.
 */
#ifndef BAREMETAL_X86_H
#define BAREMETAL_X86_H

/* GDT layout of this kernel (boot.S uses the same selectors for its temporary GDT) */
#define SEL_CODE64 0x08
#define SEL_DATA   0x10
#define SEL_TSS    0x18                           /* a 16-byte descriptor: slots 3 and 4 (a GDT per CPU) */

/* flat descriptors of the boot GDTs: base 0, limit 0xFFFFF pages, present, DPL 0 */
#define DESC_CODE64 0x00AF9A000000FFFF            /* L=1, G=1, execute/read */
#define DESC_DATA   0x00CF92000000FFFF            /* D/B=1, G=1, read/write */

/* paging (boot.S): present | writable in a PML4E, PDPTE or PDE, and the 2 MiB page-size bit in a PDE */
#define PTE_PRESENT_WRITABLE 0x3
#define PDE_LARGE_PAGE       0x80
/* restated from the spec for boot.S; checked against the generated headers in spec_asserts.c */
#define CR0_PE   0x00000001
#define CR0_PG   0x80000000
#define CR4_PAE  0x00000020
#define MSR_EFER 0xC0000080
#define EFER_LME 0x00000100
#define CPUID_EXT_LM_BIT 29                       /* CPUID.80000001H:EDX.LM */

/* Multiboot2 */
#define MB2_HEADER_MAGIC     0xE85250D6
#define MB2_ARCH_I386        0
#define MB2_BOOTLOADER_MAGIC 0x36D76289
#define MB2_TAG_END          0   /* boot information tags (Multiboot2 specification) */
#define MB2_TAG_CMDLINE      1

/* 16550 UART at COM1 */
#define COM1           0x3F8
#define UART_DATA      0      /* with DLAB=1: divisor low */
#define UART_IER       1      /* with DLAB=1: divisor high */
#define UART_FCR       2
#define UART_LCR       3
#define UART_MCR       4
#define UART_LSR       5
#define UART_LCR_DLAB  0x80
#define UART_LCR_8N1   0x03
#define UART_FCR_ENABLE_CLEAR 0x07
#define UART_MCR_DTR_RTS 0x03
#define UART_LSR_THR_EMPTY 0x20
#define UART_LSR_TRANSMITTER_EMPTY 0x40

/* SMP start-up (ap_boot.S, smp.c): the 32-bit code descriptor the AP trampoline passes through,
 * the page below 1 MiB it is copied to (its SIPI vector is the page number), the xAPIC's
 * interrupt command register and the INIT / start-up IPIs sent to all CPUs but the sender. */
#define DESC_CODE32 0x00CF9A000000FFFF            /* D/B=1, G=1, execute/read */
#define SEL_TRAMP_CODE32 0x18                     /* in the trampoline's GDT, after code64 and data */
#define AP_TRAMPOLINE_BASE 0x8000
#define AP_STACK_SIZE 16384
#define BM_MAX_CPUS 8
#define LAPIC_BASE 0xFEE00000
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define LAPIC_ICR_DELIVERY_PENDING 0x1000          /* bit 12: send pending */
#define LAPIC_ICR_INIT_ASSERT_ALL_BUT_SELF 0x000C4500 /* shorthand 11b, level assert, INIT */
#define LAPIC_ICR_STARTUP_ALL_BUT_SELF 0x000C4600  /* shorthand 11b, start-up; | vector */

/* Bochs: writing "Shutdown" byte by byte here powers the emulator off */
#define BOCHS_SHUTDOWN_PORT 0x8900

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Application-processor start-up. smp.c copies ap_trampoline..ap_trampoline_end to
 * AP_TRAMPOLINE_BASE (a page below 1 MiB) and sends INIT-SIPI-SIPI with that page's number as the
 * vector: each AP starts there in real mode at CS = base >> 4, IP = 0, goes to protected mode
 * with the trampoline's GDT, enables PAE and long mode on the BSP's page tables (ap_cr3, filled
 * in by smp.c before the copy) and jumps to ap_long_mode in the kernel proper, which takes the
 * next CPU number, its own stack, and calls ap_main(cpu).
 */
#include "x86.h"

#define TRAMP(sym) (AP_TRAMPOLINE_BASE + ((sym) - ap_trampoline))

    .section .rodata
    .code16
    .globl ap_trampoline, ap_trampoline_end, ap_trampoline_cr3
ap_trampoline:
    cli
    cld
    mov     %cs, %ax
    mov     %ax, %ds
    lgdtl   (tramp_gdt_ptr - ap_trampoline)
    mov     %cr0, %eax
    or      $CR0_PE, %eax
    mov     %eax, %cr0
    ljmpl   $SEL_TRAMP_CODE32, $TRAMP(tramp_pm32)

    .code32
tramp_pm32:
    mov     $SEL_DATA, %ax
    mov     %ax, %ds
    mov     %ax, %es
    mov     %ax, %ss
    mov     TRAMP(ap_trampoline_cr3), %eax
    mov     %eax, %cr3
    mov     %cr4, %eax
    or      $CR4_PAE, %eax
    mov     %eax, %cr4
    mov     $MSR_EFER, %ecx
    rdmsr
    or      $EFER_LME, %eax
    wrmsr
    mov     %cr0, %eax
    or      $(CR0_PG | CR0_PE), %eax
    mov     %eax, %cr0
    ljmp    $SEL_CODE64, $ap_long_mode

    .balign 8
tramp_gdt:
    .quad 0
    .quad DESC_CODE64
    .quad DESC_DATA
    .quad DESC_CODE32
tramp_gdt_end:
tramp_gdt_ptr:
    .word tramp_gdt_end - tramp_gdt - 1
    .long TRAMP(tramp_gdt)
    .balign 4
ap_trampoline_cr3:
    .long 0
ap_trampoline_end:

    .text
    .code64
ap_long_mode:
    mov     $SEL_DATA, %ax
    mov     %ax, %ds
    mov     %ax, %es
    mov     %ax, %ss
    mov     %ax, %fs
    mov     %ax, %gs
    mov     $1, %edi
    lock xadd %edi, ap_next_cpu(%rip)      /* CPU numbers 1, 2, ... in order of arrival */
    cmp     $BM_MAX_CPUS, %edi
    jae     1f
    mov     %edi, %eax
    imul    $AP_STACK_SIZE, %rax
    lea     ap_stacks(%rip), %rsp
    add     %rax, %rsp                     /* top of stack (cpu - 1) = ap_stacks + cpu * size */
    call    ap_main
1:  cli
    hlt
    jmp     1b

    .section .note.GNU-stack, "", @progbits

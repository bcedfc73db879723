/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 entry. GRUB enters _start in 32-bit protected mode with paging off, EAX = magic,
 * EBX = boot information. We identity-map the first 4 GiB with 2 MiB pages, enable long mode
 * and call kernel_main(magic, info) on the boot stack.
 */
#include "x86.h"

#define MB2_HEADER_LENGTH (mb2_header_end - mb2_header)

    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long MB2_ARCH_I386
    .long MB2_HEADER_LENGTH
    .long 0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + MB2_HEADER_LENGTH)
    .short 0, 0                             /* end tag: type 0, flags 0, size 8 */
    .long 8
mb2_header_end:

    .section .text.boot, "ax"
    .code32
    .globl _start
_start:
    cli
    cld
    mov     $boot_stack_top, %esp
    mov     %eax, boot_magic
    mov     %ebx, boot_info

    /* Long mode available? */
    mov     $0x80000000, %eax
    cpuid
    cmp     $0x80000001, %eax
    jb      .Lno_long_mode
    mov     $0x80000001, %eax
    cpuid
    bt      $CPUID_EXT_LM_BIT, %edx
    jnc     .Lno_long_mode

    /* PML4[0] -> PDPT; PDPT[0..3] -> four page directories; 2048 PDEs of 2 MiB each. */
    mov     $boot_pdpt, %eax
    or      $PTE_PRESENT_WRITABLE, %eax
    mov     %eax, boot_pml4
    xor     %ecx, %ecx
1:  mov     %ecx, %eax
    shl     $12, %eax
    add     $boot_pd, %eax
    or      $PTE_PRESENT_WRITABLE, %eax
    mov     %eax, boot_pdpt(,%ecx,8)
    inc     %ecx
    cmp     $4, %ecx
    jb      1b
    xor     %ecx, %ecx
2:  mov     %ecx, %eax
    shl     $21, %eax
    or      $(PTE_PRESENT_WRITABLE | PDE_LARGE_PAGE), %eax
    mov     %eax, boot_pd(,%ecx,8)
    inc     %ecx
    cmp     $2048, %ecx
    jb      2b

    mov     $boot_pml4, %eax
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
    lgdt    boot_gdt_ptr
    ljmp    $SEL_CODE64, $.Llong_mode

.Lno_long_mode:
    mov     $no_lm_msg, %esi
3:  lodsb
    test    %al, %al
    jz      4f
    mov     $COM1, %dx
    out     %al, %dx
    jmp     3b
4:  hlt
    jmp     4b

    .code64
.Llong_mode:
    mov     $SEL_DATA, %ax
    mov     %ax, %ds
    mov     %ax, %es
    mov     %ax, %ss
    mov     %ax, %fs
    mov     %ax, %gs
    mov     $boot_stack_top, %rsp
    mov     boot_magic(%rip), %edi
    mov     boot_info(%rip), %esi
    call    kernel_main
5:  cli
    hlt
    jmp     5b

    .section .rodata
no_lm_msg:
    .asciz "VMXGEN FATAL no long mode\n"
    .balign 8
boot_gdt:
    .quad 0
    .quad DESC_CODE64
    .quad DESC_DATA
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .data
boot_magic: .long 0
boot_info:  .long 0

    .section .bss
    .balign 4096
boot_pml4:  .skip 4096
boot_pdpt:  .skip 4096
boot_pd:    .skip 4 * 4096
    .balign 16
boot_stack: .skip 65536
boot_stack_top:

    .section .note.GNU-stack, "", @progbits

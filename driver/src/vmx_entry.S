/* SPDX-License-Identifier: MIT */
/*
 * VMLAUNCH/VMRESUME and the VM-exit landing pad.
 *
 * int vmx_enter_asm(struct vmx_gprs *gprs, uint64_t resume, uint64_t host_rsp_encoding)
 *
 * Saves the callee-saved registers and the gprs pointer on this stack, makes this stack pointer
 * the VMCS host RSP (the encoding comes from the caller, which takes it from the facts headers),
 * loads the guest's general registers and enters the guest. A VM exit lands in vmx_exit_stub
 * (the VMCS host RIP) with RSP pointing at the saved gprs pointer, stores the guest registers and
 * returns 0 from vmx_enter_asm. If the instruction fails it returns -1 (CF, VMfailInvalid) or
 * 1 (ZF, VMfailValid: the caller reads the error number).
 */

/* offsets in struct vmx_gprs (checked by a _Static_assert in vmx_run.c) */
#define G_RAX 0
#define G_RBX 8
#define G_RCX 16
#define G_RDX 24
#define G_RSI 32
#define G_RDI 40
#define G_RBP 48
#define G_R8  56
#define G_R9  64
#define G_R10 72
#define G_R11 80
#define G_R12 88
#define G_R13 96
#define G_R14 104
#define G_R15 112

    .text
    .globl vmx_enter_asm
    .type vmx_enter_asm, @function
vmx_enter_asm:
    push    %rbp
    push    %rbx
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    push    %rdi                    /* gprs pointer: (%rsp) when a VM exit arrives */
    vmwrite %rsp, %rdx
    jbe     .Lfailed                /* CF or ZF: report like a failed VM entry */

    test    %rsi, %rsi              /* ZF=1: launch. The movs below leave the flags alone. */
    mov     G_RAX(%rdi), %rax
    mov     G_RBX(%rdi), %rbx
    mov     G_RCX(%rdi), %rcx
    mov     G_RDX(%rdi), %rdx
    mov     G_RSI(%rdi), %rsi
    mov     G_RBP(%rdi), %rbp
    mov     G_R8(%rdi), %r8
    mov     G_R9(%rdi), %r9
    mov     G_R10(%rdi), %r10
    mov     G_R11(%rdi), %r11
    mov     G_R12(%rdi), %r12
    mov     G_R13(%rdi), %r13
    mov     G_R14(%rdi), %r14
    mov     G_R15(%rdi), %r15
    mov     G_RDI(%rdi), %rdi
    jnz     .Lresume
    vmlaunch
    jmp     .Lfailed
.Lresume:
    vmresume
.Lfailed:
    /* Only reached when the instruction failed; the guest never ran. */
    mov     $-1, %eax
    jc      .Lrestore
    mov     $1, %eax
.Lrestore:
    pop     %rdi
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbx
    pop     %rbp
    ret
    .size vmx_enter_asm, . - vmx_enter_asm

    .globl vmx_exit_stub
    .type vmx_exit_stub, @function
vmx_exit_stub:
    push    %rdi                    /* guest rdi, to free a register for the gprs pointer */
    mov     8(%rsp), %rdi
    mov     %rax, G_RAX(%rdi)
    mov     %rbx, G_RBX(%rdi)
    mov     %rcx, G_RCX(%rdi)
    mov     %rdx, G_RDX(%rdi)
    mov     %rsi, G_RSI(%rdi)
    mov     %rbp, G_RBP(%rdi)
    mov     %r8, G_R8(%rdi)
    mov     %r9, G_R9(%rdi)
    mov     %r10, G_R10(%rdi)
    mov     %r11, G_R11(%rdi)
    mov     %r12, G_R12(%rdi)
    mov     %r13, G_R13(%rdi)
    mov     %r14, G_R14(%rdi)
    mov     %r15, G_R15(%rdi)
    pop     %rax
    mov     %rax, G_RDI(%rdi)
    xor     %eax, %eax
    jmp     .Lrestore
    .size vmx_exit_stub, . - vmx_exit_stub

    .section .note.GNU-stack, "", @progbits

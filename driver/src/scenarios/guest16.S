/* SPDX-License-Identifier: MIT */
/*
 * The real-mode guest of scenario 2, copied by the host to guest-physical G16_CODE_GPA and run
 * with CS=0. It reads the host's seed from its data page, writes seed ^ G16_SEED_XOR and the
 * hypervisor CPUID signature back, reports DONE by VMCALL, then halts. It lives in .rodata: it is
 * data to the host, executed only inside the guest.
 */
#include "hv_protocol.h"

    .section .rodata
    .globl guest16_start, guest16_end
    .code16
guest16_start:
    mov     $G16_DATA_SEG, %ax
    mov     %ax, %ds
    movl    $HV_CPUID_SIGNATURE, %eax
    xorl    %ecx, %ecx
    cpuid
    movl    %ebx, G16_SIGNATURE
    movl    %ecx, G16_SIGNATURE + 4
    movl    %edx, G16_SIGNATURE + 8
    movl    G16_SEED, %eax
    xorl    $G16_SEED_XOR, %eax
    movl    %eax, G16_RESULT
    movl    $HV_CALL_DONE, %eax
    vmcall
1:  hlt
    jmp     1b
guest16_end:
    .code64

    .section .note.GNU-stack, "", @progbits

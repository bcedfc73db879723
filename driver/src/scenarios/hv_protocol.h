/* SPDX-License-Identifier: MIT */
/*
 * The scenarios' own guest<->host protocol (a software convention, not an SDM fact): the
 * hypervisor CPUID leaves our host answers and the VMCALL functions. Plain #defines so that the
 * assembly guest (guest16.S) shares them with the C host.
 */
#ifndef SCENARIOS_HV_PROTOCOL_H
#define SCENARIOS_HV_PROTOCOL_H

#define HV_CPUID_SIGNATURE 0x40000000 /* EBX:ECX:EDX = "VMXGENBOCHS " */
#define HV_CPUID_ECHO      0x40000001 /* EAX = ECX ^ HV_ECHO_XOR */
#define HV_SIGNATURE_EBX   0x47584D56 /* "VMXG" */
#define HV_SIGNATURE_ECX   0x4F424E45 /* "ENBO" */
#define HV_SIGNATURE_EDX   0x20534843 /* "CHS " */
#define HV_ECHO_XOR        0x5A5A5A5A

/* VMCALL: RAX = function, RBX = argument; RAX = result */
#define HV_CALL_PING 1 /* returns RBX + 1 */
#define HV_CALL_FAIL 2 /* the guest saw a wrong answer; RBX says where */
#define HV_CALL_DONE 3

/* real-mode guest layout (guest-physical) */
#define G16_CODE_GPA   0x1000
#define G16_DATA_SEG   0x0300 /* data at GPA 0x3000 */
#define G16_DATA_GPA   0x3000
#define G16_STACK_TOP  0x8000
#define G16_MEM_PAGES  16     /* GPA 0 - 0xFFFF is mapped */
#define G16_SEED_XOR   0xA5A5A5A5
/* offsets in the data page */
#define G16_SEED       0  /* written by the host */
#define G16_RESULT     4  /* seed ^ G16_SEED_XOR, written by the guest */
#define G16_SIGNATURE  8  /* 12 bytes of the CPUID signature, written by the guest */

#endif

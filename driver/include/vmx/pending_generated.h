/* SPDX-License-Identifier: MIT */
/*
 * STAND-IN for the generated headers not yet written (driver/include/vmx/generated/): MSRs,
 * exit reasons, VM-instruction errors, register/structure layouts and enumerations.
 * (VMCS fields and control bits already come from generated/vmcs_fields.h and vmx_controls.h.)
 *
 * Every hand-written VMX fact the driver needs lives here and nowhere else, under the names the
 * generator will emit. When the remaining generated headers land: delete this file and replace
 * its include in vmx/facts.h. Values are from the Intel SDM Vol. 3 (Appendix A capability MSRs,
 * Appendix B field encodings, Appendix C exit reasons, "VM Instruction Error Numbers").
 */
#ifndef VMX_PENDING_GENERATED_H
#define VMX_PENDING_GENERATED_H

#include <stdint.h>

/* ---- MSRs -------------------------------------------------------------------------------- */
#define VMX_MSR_IA32_FEATURE_CONTROL                0x03Au
#define VMX_MSR_IA32_SYSENTER_CS                    0x174u
#define VMX_MSR_IA32_SYSENTER_ESP                   0x175u
#define VMX_MSR_IA32_SYSENTER_EIP                   0x176u
#define VMX_MSR_IA32_VMX_BASIC                      0x480u
#define VMX_MSR_IA32_VMX_PINBASED_CTLS              0x481u
#define VMX_MSR_IA32_VMX_PROCBASED_CTLS             0x482u
#define VMX_MSR_IA32_VMX_EXIT_CTLS                  0x483u
#define VMX_MSR_IA32_VMX_ENTRY_CTLS                 0x484u
#define VMX_MSR_IA32_VMX_MISC                       0x485u
#define VMX_MSR_IA32_VMX_CR0_FIXED0                 0x486u
#define VMX_MSR_IA32_VMX_CR0_FIXED1                 0x487u
#define VMX_MSR_IA32_VMX_CR4_FIXED0                 0x488u
#define VMX_MSR_IA32_VMX_CR4_FIXED1                 0x489u
#define VMX_MSR_IA32_VMX_VMCS_ENUM                  0x48Au
#define VMX_MSR_IA32_VMX_PROCBASED_CTLS2            0x48Bu
#define VMX_MSR_IA32_VMX_EPT_VPID_CAP               0x48Cu
#define VMX_MSR_IA32_VMX_TRUE_PINBASED_CTLS         0x48Du
#define VMX_MSR_IA32_VMX_TRUE_PROCBASED_CTLS        0x48Eu
#define VMX_MSR_IA32_VMX_TRUE_EXIT_CTLS             0x48Fu
#define VMX_MSR_IA32_VMX_TRUE_ENTRY_CTLS            0x490u
#define VMX_MSR_IA32_VMX_VMFUNC                     0x491u
#define VMX_MSR_IA32_VMX_PROCBASED_CTLS3            0x492u
#define VMX_MSR_IA32_VMX_EXIT_CTLS2                 0x493u
#define VMX_MSR_IA32_EFER                           0xC0000080u
#define VMX_MSR_IA32_FS_BASE                        0xC0000100u
#define VMX_MSR_IA32_GS_BASE                        0xC0000101u

/* ---- exit reasons ------------------------------------------------------------------------ */
#define VMX_EXIT_EXCEPTION_OR_NMI                        0
#define VMX_EXIT_TRIPLE_FAULT                            2
#define VMX_EXIT_CPUID                                   10
#define VMX_EXIT_HLT                                     12
#define VMX_EXIT_VMCALL                                  18
#define VMX_EXIT_VM_ENTRY_FAILURE_INVALID_GUEST_STATE    33
#define VMX_EXIT_VM_ENTRY_FAILURE_MSR_LOADING            34
#define VMX_EXIT_EPT_VIOLATION                           48
#define VMX_EXIT_EPT_MISCONFIGURATION                    49

static inline const char *vmx_exit_reason_name(uint32_t n)
{
    switch (n) {
    case 0: return "Exception or non-maskable interrupt (NMI)";
    case 2: return "Triple fault";
    case 10: return "CPUID";
    case 12: return "HLT";
    case 18: return "VMCALL";
    case 33: return "VM-entry failure due to invalid guest state";
    case 34: return "VM-entry failure due to MSR loading";
    case 48: return "EPT violation";
    case 49: return "EPT misconfiguration";
    default: return 0;
    }
}

/* ---- VM-instruction errors --------------------------------------------------------------- */
#define VMX_INSTRUCTION_ERROR_VMLAUNCH_NON_CLEAR_VMCS                     4
#define VMX_INSTRUCTION_ERROR_VMRESUME_NON_LAUNCHED_VMCS                  5
#define VMX_INSTRUCTION_ERROR_VM_ENTRY_INVALID_CONTROL_FIELDS             7
#define VMX_INSTRUCTION_ERROR_VM_ENTRY_INVALID_HOST_STATE_FIELDS          8
#define VMX_INSTRUCTION_ERROR_VMPTRLD_VMXON_POINTER                       10
#define VMX_INSTRUCTION_ERROR_VMPTRLD_INCORRECT_VMCS_REVISION_IDENTIFIER  11
#define VMX_INSTRUCTION_ERROR_VMREAD_VMWRITE_UNSUPPORTED_VMCS_COMPONENT   12
#define VMX_INSTRUCTION_ERROR_VMXON_IN_VMX_ROOT_OPERATION                 15
#define VMX_INSTRUCTION_ERROR_INVEPT_INVVPID_INVALID_OPERAND              28

static inline const char *vmx_instruction_error_name(uint32_t n)
{
    switch (n) {
    case 2: return "VMCLEAR with invalid physical address";
    case 3: return "VMCLEAR with VMXON pointer";
    case 4: return "VMLAUNCH with non-clear VMCS";
    case 5: return "VMRESUME with non-launched VMCS";
    case 7: return "VM entry with invalid control field(s)";
    case 8: return "VM entry with invalid host-state field(s)";
    case 9: return "VMPTRLD with invalid physical address";
    case 10: return "VMPTRLD with VMXON pointer";
    case 11: return "VMPTRLD with incorrect VMCS revision identifier";
    case 12: return "VMREAD/VMWRITE from/to unsupported VMCS component";
    case 13: return "VMWRITE to read-only VMCS component";
    case 15: return "VMXON executed in VMX root operation";
    case 28: return "Invalid operand to INVEPT/INVVPID";
    default: return 0;
    }
}

/* ---- layouts ----------------------------------------------------------------------------- */
#define VMX_CR0_PE_SHIFT       0
#define VMX_CR0_PE_MASK        (1ull << 0)
#define VMX_CR0_NE_SHIFT       5
#define VMX_CR0_NE_MASK        (1ull << 5)
#define VMX_CR0_PG_SHIFT       31
#define VMX_CR0_PG_MASK        (1ull << 31)
#define VMX_CR4_VMXE_SHIFT     13
#define VMX_CR4_VMXE_MASK      (1ull << 13)

#define VMX_RFLAGS_RESERVED_1_SHIFT 1          /* reads as 1; VM entry checks it */
#define VMX_RFLAGS_RESERVED_1_MASK  (1ull << 1)
#define VMX_DR7_RESERVED_1_SHIFT    10         /* reads as 1 */
#define VMX_DR7_RESERVED_1_MASK     (1ull << 10)

#define VMX_CPUID_01_ECX_VMX_SHIFT  5          /* CPUID.1:ECX.VMX */
#define VMX_CPUID_01_ECX_VMX_MASK   (1u << 5)

#define VMX_IA32_FEATURE_CONTROL_LOCK_SHIFT                     0
#define VMX_IA32_FEATURE_CONTROL_LOCK_MASK                      (1ull << 0)
#define VMX_IA32_FEATURE_CONTROL_ENABLE_VMX_INSIDE_SMX_SHIFT    1
#define VMX_IA32_FEATURE_CONTROL_ENABLE_VMX_INSIDE_SMX_MASK     (1ull << 1)
#define VMX_IA32_FEATURE_CONTROL_ENABLE_VMX_OUTSIDE_SMX_SHIFT   2
#define VMX_IA32_FEATURE_CONTROL_ENABLE_VMX_OUTSIDE_SMX_MASK    (1ull << 2)

#define VMX_IA32_VMX_BASIC_VMCS_REVISION_IDENTIFIER_SHIFT       0
#define VMX_IA32_VMX_BASIC_VMCS_REVISION_IDENTIFIER_MASK        0x7FFFFFFFull
#define VMX_IA32_VMX_BASIC_VMCS_REGION_SIZE_SHIFT               32
#define VMX_IA32_VMX_BASIC_VMCS_REGION_SIZE_MASK                (0x1FFFull << 32)
#define VMX_IA32_VMX_BASIC_TRUE_CONTROLS_SHIFT                  55   /* TRUE_ ctl MSRs exist */
#define VMX_IA32_VMX_BASIC_TRUE_CONTROLS_MASK                   (1ull << 55)

/* allowed-0 settings in bits 31:0, allowed-1 settings in bits 63:32 of every *_CTLS MSR */
#define VMX_CONTROL_CAPABILITY_ALLOWED_0_SHIFT                  0
#define VMX_CONTROL_CAPABILITY_ALLOWED_0_MASK                   0xFFFFFFFFull
#define VMX_CONTROL_CAPABILITY_ALLOWED_1_SHIFT                  32
#define VMX_CONTROL_CAPABILITY_ALLOWED_1_MASK                   0xFFFFFFFF00000000ull

#define VMX_IA32_VMX_EPT_VPID_CAP_PAGE_WALK_LENGTH_4_MASK       (1ull << 6)
#define VMX_IA32_VMX_EPT_VPID_CAP_MEMORY_TYPE_UC_MASK           (1ull << 8)
#define VMX_IA32_VMX_EPT_VPID_CAP_MEMORY_TYPE_WB_MASK           (1ull << 14)
#define VMX_IA32_VMX_EPT_VPID_CAP_INVEPT_MASK                   (1ull << 20)
#define VMX_IA32_VMX_EPT_VPID_CAP_INVEPT_SINGLE_CONTEXT_MASK    (1ull << 25)
#define VMX_IA32_VMX_EPT_VPID_CAP_INVEPT_ALL_CONTEXT_MASK       (1ull << 26)
#define VMX_IA32_VMX_EPT_VPID_CAP_INVVPID_MASK                  (1ull << 32)
#define VMX_IA32_VMX_EPT_VPID_CAP_INVVPID_SINGLE_CONTEXT_MASK   (1ull << 41)
#define VMX_IA32_VMX_EPT_VPID_CAP_INVVPID_ALL_CONTEXT_MASK      (1ull << 42)

#define VMX_EPTP_MEMORY_TYPE_SHIFT                 0
#define VMX_EPTP_MEMORY_TYPE_MASK                  0x7ull
#define VMX_EPTP_PAGE_WALK_LENGTH_MINUS_1_SHIFT    3
#define VMX_EPTP_PAGE_WALK_LENGTH_MINUS_1_MASK     (0x7ull << 3)

#define VMX_EPT_ENTRY_READ_MASK                    (1ull << 0)
#define VMX_EPT_ENTRY_WRITE_MASK                   (1ull << 1)
#define VMX_EPT_ENTRY_EXECUTE_MASK                 (1ull << 2)
#define VMX_EPT_ENTRY_MEMORY_TYPE_SHIFT            3       /* leaf entries only */
#define VMX_EPT_ENTRY_MEMORY_TYPE_MASK             (0x7ull << 3)
#define VMX_EPT_ENTRY_PAGE_FRAME_SHIFT             12
#define VMX_EPT_ENTRY_PAGE_FRAME_MASK              0x000FFFFFFFFFF000ull

#define VMX_EXIT_REASON_BASIC_EXIT_REASON_SHIFT    0
#define VMX_EXIT_REASON_BASIC_EXIT_REASON_MASK     0xFFFFu
#define VMX_EXIT_REASON_VM_ENTRY_FAILURE_SHIFT     31
#define VMX_EXIT_REASON_VM_ENTRY_FAILURE_MASK      (1u << 31)

#define VMX_INTERRUPTION_INFORMATION_VECTOR_MASK   0xFFu
#define VMX_INTERRUPTION_INFORMATION_VALID_MASK    (1u << 31)

/* guest segment access rights (SDM "Guest Register State") */
#define VMX_SEGMENT_ACCESS_RIGHTS_TYPE_SHIFT               0
#define VMX_SEGMENT_ACCESS_RIGHTS_TYPE_MASK                0xFu
#define VMX_SEGMENT_ACCESS_RIGHTS_DESCRIPTOR_TYPE_MASK     (1u << 4)   /* S: code/data */
#define VMX_SEGMENT_ACCESS_RIGHTS_DPL_SHIFT                5
#define VMX_SEGMENT_ACCESS_RIGHTS_DPL_MASK                 (3u << 5)
#define VMX_SEGMENT_ACCESS_RIGHTS_PRESENT_MASK             (1u << 7)
#define VMX_SEGMENT_ACCESS_RIGHTS_LONG_MODE_MASK           (1u << 13)  /* L */
#define VMX_SEGMENT_ACCESS_RIGHTS_DEFAULT_BIG_MASK         (1u << 14)  /* D/B */
#define VMX_SEGMENT_ACCESS_RIGHTS_GRANULARITY_MASK         (1u << 15)
#define VMX_SEGMENT_ACCESS_RIGHTS_UNUSABLE_MASK            (1u << 16)

/* ---- enumerations ------------------------------------------------------------------------ */
#define VMX_MEMORY_TYPE_UNCACHEABLE                0
#define VMX_MEMORY_TYPE_WRITE_BACK                 6
#define VMX_SEGMENT_TYPE_DATA_READ_WRITE_ACCESSED  3
#define VMX_SEGMENT_TYPE_CODE_EXECUTE_READ_ACCESSED 11
#define VMX_SEGMENT_TYPE_TSS_BUSY                  11   /* 32-bit busy TSS, 64-bit in IA-32e mode */
#define VMX_ACTIVITY_STATE_ACTIVE                  0
#define VMX_INVEPT_TYPE_SINGLE_CONTEXT             1
#define VMX_INVEPT_TYPE_ALL_CONTEXT                2
#define VMX_INVVPID_TYPE_SINGLE_CONTEXT            1
#define VMX_INVVPID_TYPE_ALL_CONTEXT               2
#define VMX_VMCS_LINK_POINTER_INVALID              0xFFFFFFFFFFFFFFFFull  /* "no shadow VMCS" */

#endif /* VMX_PENDING_GENERATED_H */

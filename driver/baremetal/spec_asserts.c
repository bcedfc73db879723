/* SPDX-License-Identifier: MIT */
/*
 * x86.h restates a few spec facts for boot.S and ap_boot.S (the assembler cannot include the
 * generated C headers). This file compiles into the bare-metal kernel and fails the build if any restated
 * value differs from what the spec generated.
 */
#include "vmx/facts.h"
#include "x86.h"

_Static_assert(CR0_PE == VMX_CR0_PE_MASK, "x86.h CR0_PE differs from the spec's cr0.pe");
_Static_assert(CR0_PG == VMX_CR0_PG_MASK, "x86.h CR0_PG differs from the spec's cr0.pg");
_Static_assert(CR4_PAE == VMX_CR4_PAE_MASK, "x86.h CR4_PAE differs from the spec's cr4.pae");
_Static_assert(MSR_EFER == VMX_MSR_IA32_EFER, "x86.h MSR_EFER differs from the spec's IA32_EFER");
_Static_assert(EFER_LME == VMX_IA32_EFER_LME_MASK, "x86.h EFER_LME differs from the spec's ia32_efer.lme");
_Static_assert(CPUID_EXT_LM_BIT == VMX_CPUID_80000001_EDX_LM_SHIFT && VMX_CPUID_80000001_EDX_LM_WIDTH == 1,
               "x86.h CPUID_EXT_LM_BIT differs from the spec's cpuid.80000001.edx.lm");

/* The flat descriptors of the boot GDTs (code_data_segment_descriptor): limit 0xFFFFF in 4-KByte units, present,
 * DPL 0, S = 1; code: executable, readable, 64-bit (or 32-bit for the AP trampoline); data: writable, big. */
#define FLAT_DESCRIPTOR (VMX_CODE_DATA_SEGMENT_DESCRIPTOR_LIMIT_LOW_MASK | VMX_CODE_DATA_SEGMENT_DESCRIPTOR_LIMIT_HIGH_MASK | \
                         VMX_CODE_DATA_SEGMENT_DESCRIPTOR_GRANULARITY_MASK | VMX_CODE_DATA_SEGMENT_DESCRIPTOR_PRESENT_MASK | \
                         VMX_CODE_DATA_SEGMENT_DESCRIPTOR_DESCRIPTOR_TYPE_MASK | \
                         VMX_CODE_DATA_SEGMENT_DESCRIPTOR_READABLE_WRITABLE_MASK)
_Static_assert(DESC_CODE64 == (FLAT_DESCRIPTOR | VMX_CODE_DATA_SEGMENT_DESCRIPTOR_EXECUTABLE_MASK |
                               VMX_CODE_DATA_SEGMENT_DESCRIPTOR_LONG_MODE_MASK),
               "x86.h DESC_CODE64 differs from the spec's code_data_segment_descriptor");
_Static_assert(DESC_CODE32 == (FLAT_DESCRIPTOR | VMX_CODE_DATA_SEGMENT_DESCRIPTOR_EXECUTABLE_MASK |
                               VMX_CODE_DATA_SEGMENT_DESCRIPTOR_DEFAULT_BIG_MASK),
               "x86.h DESC_CODE32 differs from the spec's code_data_segment_descriptor");
_Static_assert(DESC_DATA == (FLAT_DESCRIPTOR | VMX_CODE_DATA_SEGMENT_DESCRIPTOR_DEFAULT_BIG_MASK),
               "x86.h DESC_DATA differs from the spec's code_data_segment_descriptor");

/* The boot page tables (boot.S): PML4E and PDPTEs reference tables, PDEs map 2-MByte pages. */
_Static_assert(PTE_PRESENT_WRITABLE == (VMX_PML4E_PRESENT_MASK | VMX_PML4E_WRITE_MASK) &&
               PTE_PRESENT_WRITABLE == (VMX_PDPTE_PRESENT_MASK | VMX_PDPTE_WRITE_MASK) &&
               PTE_PRESENT_WRITABLE == (VMX_PDE_2MB_PRESENT_MASK | VMX_PDE_2MB_WRITE_MASK),
               "x86.h PTE_PRESENT_WRITABLE differs from the spec's pml4e/pdpte/pde_2mb present and write bits");
_Static_assert(PDE_LARGE_PAGE == VMX_PDE_2MB_PAGE_SIZE_MASK, "x86.h PDE_LARGE_PAGE differs from the spec's pde_2mb.page_size");
/* boot.S puts a 2-MByte page's address in place (i << 21): the field starts at bit 21 */
_Static_assert(VMX_PDE_2MB_ADDRESS_SHIFT == 21, "boot.S shifts 2-MByte page numbers by 21, the spec's pde_2mb.address");

/* SPDX-License-Identifier: MIT */
/*
 * x86.h restates a few spec facts for boot.S (the assembler cannot include the generated C
 * headers). This file compiles into the bare-metal kernel and fails the build if any restated
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

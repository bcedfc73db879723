/* SPDX-License-Identifier: MIT */
/*
 * A known-good VMCS (spec/checks/README.md, "the baseline"): a 64-bit ring-0 guest and a 64-bit
 * host that VM entry accepts on any CPU whose capability MSRs allow a 64-bit guest. Every control
 * at its allowed-0 (minimum) setting except exit.host_address_space_size and entry.ia32e_mode_guest,
 * CR0 = FIXED0 | PE | PG | NE | WP and CR4 = FIXED0 | PAE for guest and host, flat segments, every
 * structure far below 2^36 (no MAXPHYADDR needed), every other writable field 0. The C# runtime's
 * VmcsBaseline builds the same VMCS; tests/Vmx.Consistency.Tests compares the two field by field.
 */
#ifndef VMX_BASELINE_H
#define VMX_BASELINE_H

#include <stdint.h>
#include "vmx/vmx.h"

/* The baseline's addresses and descriptor-table sizes (values of the baseline, not VMX facts). */
#define VMX_BASELINE_GUEST_CR3      0x1000ull
#define VMX_BASELINE_GUEST_RIP      0x100000ull
#define VMX_BASELINE_CODE_SELECTOR  0x8u
#define VMX_BASELINE_DATA_SELECTOR  0x10u
#define VMX_BASELINE_TSS_SELECTOR   0x18u
#define VMX_BASELINE_FLAT_LIMIT     0xFFFFFFFFu
#define VMX_BASELINE_TSS_LIMIT      0x67u  /* a 64-bit TSS is 104 bytes */
#define VMX_BASELINE_GDTR_LIMIT     0x27u  /* null, code, data and a 16-byte TSS descriptor */
#define VMX_BASELINE_IDTR_LIMIT     0xFFFu /* 256 16-byte gates */
#define VMX_BASELINE_HOST_CR3       0x2000ull
#define VMX_BASELINE_HOST_GDTR_BASE 0x3000ull
#define VMX_BASELINE_HOST_IDTR_BASE 0x4000ull
#define VMX_BASELINE_HOST_RIP       0x101000ull
#define VMX_BASELINE_HOST_RSP       0x200000ull

/* Writes one VMCS field; returns 0 or an error (a VMX instruction status, say). */
typedef int (*vmx_baseline_write_fn)(void *ctx, uint32_t encoding, uint64_t value);

/*
 * Writes the baseline through `vmwrite`: every field that exists on this CPU and is not read-only,
 * each once, in the order of vmcs_field_table(). Fields the CPU lacks are not written. Returns 0;
 * VMX_E_CAPABILITY (logged, naming the capability MSR bit that is 0) before writing anything when
 * the CPU cannot host the guest; or the first error `vmwrite` returned (the rest are still written).
 */
int vmx_baseline_vmcs(const struct vmx_caps *caps, vmx_baseline_write_fn vmwrite, void *ctx);

/* The baseline written into the current VMCS with VMWRITE (src/vmcs_setup.c): the starting point of
 * the scenarios' guests, so that every field the CPU has holds a defined value before the guest's
 * own setup overrides what it needs (VMCLEAR does not promise zeroed fields). */
int vmx_vmcs_setup_baseline(const struct vmx_caps *caps);

#endif

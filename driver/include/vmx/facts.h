/* SPDX-License-Identifier: MIT */
/*
 * The one place the driver takes VMX facts from: the headers generated from spec/ by
 * `dotnet run --project generator/Vmx.Cli -- generate c` (never edited by hand). Include it
 * through vmx/insn.h, which first supplies VMXGEN_VMREAD/VMXGEN_VMWRITE so that the typed
 * vmcs_read_<id>/vmcs_write_<id> accessors get defined.
 *
 * A fact the driver needs and the spec lacks is added to the spec YAML, not here.
 */
#ifndef VMX_FACTS_H
#define VMX_FACTS_H

#include "vmx/generated/vmcs_fields.h"
#include "vmx/generated/vmx_controls.h"
#include "vmx/generated/vmx_cpuid.h"
#include "vmx/generated/vmx_enums.h"
#include "vmx/generated/vmx_errors.h"
#include "vmx/generated/vmx_exits.h"
#include "vmx/generated/vmx_layouts.h"
#include "vmx/generated/vmx_msrs.h"
#include "vmx/generated/vmx_msr_bitmap.h"

/*
 * The VMCS link pointer value meaning "no VMCS is linked" (SDM "Guest Non-Register State":
 * software sets it to FFFFFFFF_FFFFFFFFH when VMCS shadowing is off). A sentinel of the
 * mechanism, not a bit layout: all ones, i.e. no address at all.
 */
#define VMX_VMCS_LINK_POINTER_NONE (~0ull)

#endif

/* SPDX-License-Identifier: MIT */
/*
 * A run of VMWRITEs to the current VMCS that keeps going past a failure and reports the first
 * one with its field name. In a function with `int rc = 0; const char *failed = 0;`:
 *     VMX_W(guest_rip, rip); VMX_W(guest_rsp, rsp); ...
 *     return vmx_vmwrite_batch_report(rc, failed);
 */
#ifndef VMX_VMWRITE_BATCH_H
#define VMX_VMWRITE_BATCH_H

#include "vmx/os.h"
#include "vmx/vmx.h"

#define VMX_W(id, val)                                                                          \
    do {                                                                                        \
        int s_ = vmcs_write_##id(val);                                                          \
        if (s_ && !rc) {                                                                        \
            rc = s_;                                                                            \
            failed = #id;                                                                       \
        }                                                                                       \
    } while (0)

static inline int vmx_vmwrite_batch_report(int rc, const char *failed)
{
    if (rc)
        os_log("vmx: VMWRITE %s failed: %d (%s)\n", failed, rc, vmx_status_name(rc));
    return rc;
}

#endif

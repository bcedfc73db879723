/* SPDX-License-Identifier: MIT */
/* Guest-state presets for the current VMCS. */
#ifndef VMX_GUEST_H
#define VMX_GUEST_H

#include <stdint.h>
#include "vmx/vmx.h"

/* A 64-bit ring-0 guest that shares the host's CR3, GDT and segments: a thread of the host. */
int vmx_guest_setup_flat64(uint64_t rip, uint64_t rsp);

/* A real-mode guest (needs "unrestricted guest"): CR0.PE=PG=0, segments base = selector * 16. */
int vmx_guest_setup_real_mode(const struct vmx_caps *caps, uint16_t cs, uint16_t ip, uint16_t ss,
                              uint16_t sp);

#endif

/* SPDX-License-Identifier: MIT */
/* Helpers shared by the scenarios. */
#ifndef SCENARIOS_COMMON_H
#define SCENARIOS_COMMON_H

#include "hv_protocol.h"
#include "vmx/baseline.h"
#include "vmx/guest.h"
#include "vmx/vmx.h"

#define GUEST_STACK_PAGES 4

/* vmx_cpu_on for scenario `name`; when it fails, prints the scenario's result line (SKIP without
 * VMX, else FAIL) and returns false. */
bool scenario_vmx_on(const char *name, struct vmx_cpu *cpu);

/* VMCS alloc + VMCLEAR + VMPTRLD + the baseline VMCS (vmx/baseline.h) + controls + host state + a
 * flat 64-bit guest at rip. */
int scenario_vcpu_flat64(struct vmx_vcpu *vcpu, struct vmx_cpu *cpu, void (*rip)(void),
                         void **stack);
/* The controls for that guest: HLT exiting, 64-bit host, IA-32e guest. */
int scenario_controls_flat64(const struct vmx_caps *caps);
void scenario_vcpu_release(struct vmx_vcpu *vcpu, void *stack);

/* Answer the hypervisor leaves, pass the rest through. Updates the guest GPRs. */
void scenario_cpuid(struct vmx_gprs *g);

#endif

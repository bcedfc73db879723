/* SPDX-License-Identifier: MIT */
/* The VMX runtime: capabilities, VMX operation on one CPU, VMCS lifecycle, the run loop. */
#ifndef VMX_VMX_H
#define VMX_VMX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmx/insn.h"

/* Runtime errors (distinct from instruction statuses: all below VMX_FAULT). */
enum vmx_error {
    VMX_E_NOT_SUPPORTED = -100, /* CPUID.1:ECX.VMX is 0 */
    VMX_E_DISABLED_BY_FIRMWARE, /* IA32_FEATURE_CONTROL locked with VMX outside SMX off */
    VMX_E_NO_MEMORY,
    VMX_E_CAPABILITY,           /* a required control/feature is not allowed by the CPU */
    VMX_E_MSR,                  /* an MSR the architecture promises raised #GP */
    VMX_E_INSTRUCTION,          /* a VMX instruction failed; the status was logged */
    VMX_E_GUEST,                /* the guest did something the exit handler rejects */
    VMX_E_BUSY,                 /* CR4.VMXE already set by someone else */
};

const char *vmx_status_name(int status); /* instruction status or enum vmx_error */

/* Capability MSRs, read once. Control MSRs hold allowed-0 in 31:0 and allowed-1 in 63:32. */
struct vmx_caps {
    uint64_t basic, misc, vmcs_enum;
    uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
    uint64_t pin, proc, proc2, exit, entry; /* the TRUE_ MSRs when BASIC says they exist */
    uint64_t proc3, exit2, vmfunc;          /* 64-bit allowed-1 settings; 0 where absent */
    uint64_t ept_vpid_cap;
    bool true_controls;    /* pin/proc/exit/entry came from the TRUE_ MSRs */
    bool has_proc2;        /* "activate secondary controls" may be 1 */
    bool has_proc3;        /* "activate tertiary controls" may be 1 and PROCBASED_CTLS3 is readable */
    bool has_exit2;        /* "activate secondary controls" (exit) may be 1 and EXIT_CTLS2 is readable */
    bool has_vmfunc;       /* "enable VM functions" may be 1 and IA32_VMX_VMFUNC is readable */
    bool has_ept_vpid_cap; /* IA32_VMX_EPT_VPID_CAP is readable */
};

/* Reads every capability MSR through os_rdmsr_safe; MSRs that need not exist may #GP. */
int vmx_caps_read(struct vmx_caps *caps);
/* IA32_FEATURE_CONTROL: locked by firmware → it must allow VMX outside SMX (else
 * VMX_E_DISABLED_BY_FIRMWARE); unlocked → set that bit and lock, never writing a locked MSR. */
int vmx_feature_control_enable(void);
uint32_t vmx_vmcs_revision(const struct vmx_caps *caps);
bool vmx_ctl_allowed1(uint64_t cap, uint32_t mask); /* may all bits in mask be 1? */
/* The allowed-1 settings of a control field (enum vmx_control_field); 0 if the field is absent. */
uint64_t vmx_caps_allowed1(const struct vmx_caps *caps, unsigned control);
/* Its allowed-0 settings (bit set: must be 1); 0 for the 64-bit formats, which report none, and absent fields. */
uint64_t vmx_caps_allowed0(const struct vmx_caps *caps, unsigned control);
/* The capability MSR those settings came from (the TRUE_ one when used), and the bit of it that says whether
 * control `bit` may be 1: for error messages that name the MSR bit. */
uint32_t vmx_caps_control_msr(const struct vmx_caps *caps, unsigned control);
unsigned vmx_caps_allowed1_msr_bit(unsigned control, unsigned bit);
/* Does VMREAD/VMWRITE of this field succeed on a CPU with these capabilities (SDM: a field
 * exists when the CPU allows the 1-setting of any control its existence depends on)? */
bool vmx_vmcs_field_exists(const struct vmx_caps *caps, const struct vmcs_field_info *field);
/* IA32_VMX_MISC[29]: VMWRITE may write read-only (VM-exit information) fields. */
bool vmx_caps_vmwrite_any_field(const struct vmx_caps *caps);

/* A control bit with its name, for error messages: VMX_CTL(PROC2, ENABLE_EPT). */
struct vmx_ctl_bit {
    uint32_t mask;
    const char *name;
};
#define VMX_CTL(prefix, bit) { VMX_##prefix##_##bit, #prefix "_" #bit }

/*
 * The value for a control field: the CPU's must-be-1 bits, plus every bit in `required` (an
 * error naming each one the CPU cannot set), plus those in `optional` the CPU allows.
 */
int vmx_controls(const char *field, uint64_t cap, const struct vmx_ctl_bit *required,
                 size_t nrequired, uint32_t optional, uint32_t *value);

/* VMX operation on the current CPU. */
struct vmx_cpu {
    struct vmx_caps caps;
    void *vmxon_region;
    uint64_t vmxon_phys;
    uint64_t cr0_set, cr0_cleared;  /* CR0 bits vmx_cpu_on changed (FIXED0/FIXED1) */
    uint64_t cr4_set, cr4_cleared;  /* CR4 bits it changed (VMXE, FIXED0/FIXED1) via os_cr4_update */
    unsigned long pin_state;        /* from os_cpu_pin, for os_cpu_unpin in vmx_cpu_off */
    bool pinned, on;
};

/* Detect, feature control, CR0/CR4, VMXON. Pins the caller (os_cpu_pin) until vmx_cpu_off, which
 * must run on the same CPU; on failure everything is undone and the pin released. */
int vmx_cpu_on(struct vmx_cpu *cpu);
void vmx_cpu_off(struct vmx_cpu *cpu); /* VMXOFF, CR0/CR4 changes undone, unpin; idempotent */
bool vmx_cr4_vmxe(void);

/* A VMCS and what the CPU thinks of it: clear vs launched decides VMLAUNCH vs VMRESUME. */
struct vmx_vmcs {
    void *region;
    uint64_t phys;
    bool launched;
};

int vmx_vmcs_alloc(struct vmx_cpu *cpu, struct vmx_vmcs *vmcs);
void vmx_vmcs_free(struct vmx_vmcs *vmcs);
int vmx_vmcs_clear(struct vmx_vmcs *vmcs); /* VMCLEAR: launch state becomes clear */
int vmx_vmcs_load(struct vmx_vmcs *vmcs);  /* VMPTRLD and check with VMPTRST */

/* The VMCS host-state area from the running CPU; host RIP is vmx_exit_stub. */
int vmx_vmcs_setup_host(void);
/* Fields every VMCS needs a defined value for (link pointer, counts, debug state). */
int vmx_vmcs_setup_defaults(void);

/* A vCPU: VMCS + guest GPRs + exit dispatch table. */
struct vmx_vcpu;
struct vmx_exit {
    uint32_t reason;       /* full exit reason field */
    uint32_t basic;        /* bits 15:0 */
    bool entry_failure;    /* bit 31 */
    uint64_t qualification;
};

/* What the generated VM-entry checks (generated/vmx_checks.h, src/vmx_checks.c) said about the current VMCS. */
#define VMX_CHECK_IDS_SIZE 256
struct vmx_check_summary {
    bool ran;
    unsigned failure;              /* what the run was told the CPU did (0: before VMLAUNCH) */
    unsigned violated, passed, not_applicable, not_decidable;
    unsigned not_decidable_memory; /* of those: they read guest memory, which the driver does not give */
    unsigned matching;             /* violations whose outcome is the failure the caller saw */
    unsigned undecided_matching;   /* not decidable checks with that outcome */
    char ids[VMX_CHECK_IDS_SIZE];  /* the violated checks' ids, comma-separated ("..." when cut) */
};

/*
 * Runs every VM-entry check on the current VMCS: fields by VMREAD, capability MSRs by
 * os_rdmsr_safe, CPU facts from CPUID and IA32_EFER.LMA; guest memory is not read, so its checks
 * are not decidable. Logs one line per violation (id, SDM section, title, message, outcome) and a
 * summary, all prefixed "VMXCHECK <who>". `failure` is what the entry did: 0 (not attempted yet),
 * a VM-instruction error (7, 8) or the basic exit reason of a VM-entry failure (33, 34, with its
 * exit qualification); `matching` counts violations with exactly that outcome. Returns the number
 * of violations.
 */
int vmx_check_current_vmcs(const char *who, unsigned failure, uint64_t qualification,
                           struct vmx_check_summary *out);

enum vmx_exit_action { VMX_RESUME = 0, VMX_STOP = 1 };
/* An exit handler returns VMX_RESUME, VMX_STOP or a negative error. */
typedef int (*vmx_exit_fn)(struct vmx_vcpu *vcpu, const struct vmx_exit *exit);

/* One entry per basic exit reason the spec defines (VMX_EXIT_REASON_MAX is the highest; COUNT is smaller). */
#define VMX_EXIT_TABLE_SIZE (VMX_EXIT_REASON_MAX + 1)

struct vmx_vcpu {
    struct vmx_cpu *cpu;
    struct vmx_vmcs vmcs;
    struct vmx_gprs gprs;
    const vmx_exit_fn *handlers; /* indexed by basic exit reason; NULL entry: unexpected */
    void *ctx;
    uint64_t exits, entries;
    struct vmx_exit last;
    /* Run the VM-entry checks before every VMLAUNCH (default off); they always run after a VM
     * entry fails (VMfailValid 7 or 8, exit 33 or 34 with bit 31). The last run's result: */
    bool check_before_launch;
    struct vmx_check_summary check;
};

/* Enter the guest (VMLAUNCH or VMRESUME as the launch state says) and dispatch exits until a
 * handler says stop. Returns 0, an instruction status or a vmx_error. */
int vmx_run(struct vmx_vcpu *vcpu);
/* One VM entry; *exit filled when 0 is returned. Keeps the launch state right. */
int vmx_enter(struct vmx_vcpu *vcpu, struct vmx_exit *exit);

/* Common exit handling. */
int vmx_skip_instruction(void); /* guest RIP += VM-exit instruction length */
void vmx_log_exit(const char *who, const struct vmx_exit *exit);

/* EPT: a 4-level identity-free mapping of guest-physical pages onto host pages. */
struct vmx_ept {
    uint64_t *pml4;
    uint64_t eptp;
    void *tables[64]; /* every paging-structure page, for freeing */
    unsigned ntables;
};

int vmx_ept_init(struct vmx_ept *ept, const struct vmx_caps *caps);
int vmx_ept_map_4k(struct vmx_ept *ept, uint64_t gpa, uint64_t hpa);
int vmx_ept_translate(const struct vmx_ept *ept, uint64_t gpa, uint64_t *hpa);
void vmx_ept_free(struct vmx_ept *ept);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Scenario 3: provoke each VMX failure on purpose, decode it by number, and show that the CPU
 * and our bookkeeping recover: VMfailInvalid without a current VMCS, VM-instruction errors
 * 4, 5, 7, 8, 10, 11, 12, 15, 13 (where IA32_VMX_MISC[29] is clear; elsewhere VMWRITE to a
 * read-only field must succeed) and 28 (where INVEPT exists), a VM-entry failure exit (33 with
 * bit 31), then a clean VM entry, VMXOFF with CR4.VMXE clear, and #UD from a VMX instruction
 * outside VMX operation caught by the fault fixup.
 */
#include "common.h"
#include "vmx/scenarios.h"

/* No VMCS component has this encoding: it sets reserved bits of the encoding layout. */
#define UNSUPPORTED_VMCS_ENCODING 0xFFFFu
_Static_assert((UNSUPPORTED_VMCS_ENCODING & VMX_VMCS_COMPONENT_ENCODING_RESERVED_MASK) != 0,
               "the probe encoding must set a reserved bit");

static void guest_halt(void)
{
    for (;;)
        __asm__ volatile("hlt");
}

struct tally {
    unsigned checked, mismatched;
};

static void expect(struct tally *t, const char *what, int got, int want)
{
    const char *name = got > 0 ? vmx_instruction_error_title((uint32_t)got) : vmx_status_name(got);
    t->checked++;
    if (got != want)
        t->mismatched++;
    os_log("ERRPATH %-28s expected=%d got=%d (%s) %s\n", what, want, got,
           name ? name : "unknown", got == want ? "ok" : "MISMATCH");
}

/* Enter and expect a VM-entry failure exit with basic reason `want`. */
static void expect_entry_failure(struct tally *t, struct vmx_vcpu *vcpu, const char *what,
                                 uint32_t want)
{
    struct vmx_exit exit = { 0 };
    int rc = vmx_enter(vcpu, &exit);
    bool ok = !rc && exit.entry_failure && exit.basic == want && !vcpu->vmcs.launched;
    const char *name = vmx_exit_reason_title(exit.basic);
    t->checked++;
    if (!ok)
        t->mismatched++;
    os_log("ERRPATH %-28s expected=exit %u got=status %d exit 0x%08x (%u %s) qualification=%llu "
           "launched=%d %s\n", what, want, rc, exit.reason, exit.basic, name ? name : "unknown",
           (unsigned long long)exit.qualification, vcpu->vmcs.launched, ok ? "ok" : "MISMATCH");
}

/* Enter and expect a real VM exit with basic reason `want`. */
static void expect_exit(struct tally *t, struct vmx_vcpu *vcpu, const char *what, uint32_t want)
{
    struct vmx_exit exit = { 0 };
    int rc = vmx_enter(vcpu, &exit);
    bool ok = !rc && !exit.entry_failure && exit.basic == want && vcpu->vmcs.launched;
    const char *name = vmx_exit_reason_title(exit.basic);
    t->checked++;
    if (!ok)
        t->mismatched++;
    os_log("ERRPATH %-28s expected=exit %u got=status %d exit 0x%08x (%u %s) launched=%d %s\n",
           what, want, rc, exit.reason, exit.basic, name ? name : "unknown", vcpu->vmcs.launched,
           ok ? "ok" : "MISMATCH");
}

static void provoke(struct tally *t, struct vmx_cpu *cpu, struct vmx_vcpu *vcpu, void **stack,
                    bool *error13)
{
    uint64_t value;
    int rc;

    /* No current VMCS yet: there is nowhere to put an error number. */
    expect(t, "vmread_without_current_vmcs", vmx_vmread(VMCS_GUEST_RIP, &value), VMX_FAIL_INVALID);

    rc = scenario_vcpu_flat64(vcpu, cpu, guest_halt, stack);
    if (rc) {
        os_log("error_paths: VMCS setup failed: %d (%s)\n", rc, vmx_status_name(rc));
        t->mismatched++;
        return;
    }

    /* From here on a VMCS is current, so failures are VMfailValid with a number. */
    expect(t, "vmread_unsupported_field", vmx_vmread(UNSUPPORTED_VMCS_ENCODING, &value),
           VMX_ERROR_VMREAD_VMWRITE_UNSUPPORTED_VMCS_COMPONENT);
    expect(t, "vmptrld_vmxon_pointer", vmx_vmptrld(cpu->vmxon_phys),
           VMX_ERROR_VMPTRLD_VMXON_POINTER);

    uint32_t *bad = os_alloc_pages(1);
    if (bad) {
        *bad = vmx_ia32_vmx_basic_get_vmcs_revision_identifier(~cpu->caps.basic);
        expect(t, "vmptrld_wrong_revision", vmx_vmptrld(os_virt_to_phys(bad)),
               VMX_ERROR_VMPTRLD_INCORRECT_VMCS_REVISION_IDENTIFIER);
        os_free_pages(bad, 1);
    }
    expect(t, "vmxon_in_vmx_root", vmx_vmxon(cpu->vmxon_phys),
           VMX_ERROR_VMXON_IN_VMX_ROOT_OPERATION);

    /* The failed VMPTRLDs must have left our VMCS current. */
    uint64_t current = 0;
    rc = vmx_vmptrst(&current);
    expect(t, "vmptrst_still_ours", rc == 0 && current == vcpu->vmcs.phys ? 0 : VMX_E_INSTRUCTION, 0);

    expect(t, "vmresume_clear_vmcs", vmx_vmresume(&vcpu->gprs),
           VMX_ERROR_VMRESUME_NON_LAUNCHED_VMCS);

    /* VMWRITE to a read-only (VM-exit information) field: error 13, unless IA32_VMX_MISC[29]
     * lets VMWRITE write any field, when the write must succeed instead. */
    uint32_t exit_reason = 0;
    vmcs_read_exit_reason(&exit_reason);
    if (vmx_caps_vmwrite_any_field(&cpu->caps)) {
        expect(t, "vmwrite_read_only_allowed", vmx_vmwrite(VMCS_EXIT_REASON, exit_reason), VMX_OK);
    } else {
        expect(t, "vmwrite_read_only_field", vmx_vmwrite(VMCS_EXIT_REASON, exit_reason),
               VMX_ERROR_VMWRITE_READ_ONLY_VMCS_COMPONENT);
        *error13 = true;
    }

    /* A must-be-1 pin-based control cleared: a control-field check fails. */
    uint32_t pin = 0;
    vmcs_read_pin_based_vm_execution_controls(&pin);
    vmcs_write_pin_based_vm_execution_controls(0);
    expect(t, "vmlaunch_bad_controls", vmx_vmlaunch(&vcpu->gprs),
           VMX_ERROR_VM_ENTRY_INVALID_CONTROL_FIELDS);
    vmcs_write_pin_based_vm_execution_controls(pin);

    /* Host TR selector 0: a host-state check fails. */
    uint16_t tr = 0;
    vmcs_read_host_tr_selector(&tr);
    vmcs_write_host_tr_selector(0);
    expect(t, "vmlaunch_bad_host_state", vmx_vmlaunch(&vcpu->gprs),
           VMX_ERROR_VM_ENTRY_INVALID_HOST_STATE_FIELDS);
    vmcs_write_host_tr_selector(tr);

    /* Guest RFLAGS bit 1 clear: the guest-state check fails after the VMCS was accepted, which
     * is a VM exit (reason 33, bit 31 set), not an instruction error; the VMCS stays clear. */
    uint64_t rflags = 0;
    vmcs_read_guest_rflags(&rflags);
    vmcs_write_guest_rflags(rflags & ~VMX_RFLAGS_FIXED_1_MASK);
    expect_entry_failure(t, vcpu, "vmlaunch_bad_guest_state",
                         VMX_EXIT_VM_ENTRY_FAILURE_INVALID_GUEST_STATE);
    vmcs_write_guest_rflags(rflags);

    /* Recovery: the same VMCS now launches; the guest halts. */
    expect_exit(t, vcpu, "vmlaunch_after_repairs", VMX_EXIT_HLT);
    expect(t, "vmlaunch_launched_vmcs", vmx_vmlaunch(&vcpu->gprs),
           VMX_ERROR_VMLAUNCH_NON_CLEAR_VMCS);
    expect_exit(t, vcpu, "vmresume_launched_vmcs", VMX_EXIT_HLT);

    /* Where the CPU lacks unrestricted guest, asking for it must fail with the bit named. */
    if (!vmx_ctl_allowed1(cpu->caps.proc2, VMX_PROC2_UNRESTRICTED_GUEST)) {
        static const struct vmx_ctl_bit req[] = { VMX_CTL(PROC2, UNRESTRICTED_GUEST) };
        uint32_t proc2;
        expect(t, "require_missing_control",
               vmx_controls("secondary processor-based controls", cpu->caps.proc2, req, 1, 0, &proc2),
               VMX_E_CAPABILITY);
    }

    if (cpu->caps.ept_vpid_cap & VMX_IA32_VMX_EPT_VPID_CAP_INVEPT_MASK) {
        struct vmx_invept_descriptor d = { 0, 0 };
        /* type 0 is not an INVEPT type */
        expect(t, "invept_invalid_type", vmx_invept(0, &d),
               VMX_ERROR_INVEPT_INVVPID_INVALID_OPERAND);
    }
}

void scenario_error_paths(void)
{
    static const char name[] = "error_paths";
    struct vmx_cpu cpu;
    struct vmx_vcpu vcpu = { 0 };
    struct tally t = { 0 };
    void *stack = 0;

    if (!scenario_vmx_on(name, &cpu))
        return;
    bool error13 = false;
    provoke(&t, &cpu, &vcpu, &stack, &error13);
    scenario_vcpu_release(&vcpu, stack);
    vmx_cpu_off(&cpu);

    /* Out of VMX operation every VMX instruction raises #UD; the fixup turns it into a status. */
    uint64_t current;
    expect(&t, "vmptrst_after_vmxoff", vmx_vmptrst(&current), VMX_FAULT);
    bool vmxe = vmx_cr4_vmxe();

    if (t.mismatched || vmxe)
        os_log("SCENARIO %s FAIL checked=%u mismatched=%u cr4.vmxe_after=%d\n", name, t.checked,
               t.mismatched, vmxe);
    else
        os_log("SCENARIO %s PASS checked=%u errors=VMfailInvalid,4,5,7,8,10,11,12,15%s%s "
               "error13=%s entry_failure=33 recovered=1 ud_after_vmxoff=1 cr4.vmxe_after=0\n",
               name, t.checked, error13 ? ",13" : "",
               (cpu.caps.ept_vpid_cap & VMX_IA32_VMX_EPT_VPID_CAP_INVEPT_MASK) ? ",28" : "",
               error13 ? "provoked" : "not_applicable(IA32_VMX_MISC[29]=1)");
}

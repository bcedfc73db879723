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
#include "vmx/fmt.h"
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

/* Every check the scenario can make. Which of them must run depends on the CPU (required_checks);
 * each records that it ran, and the result line is built from what actually ran. */
enum check {
    C_VMREAD_WITHOUT_VMCS,
    C_VMREAD_UNSUPPORTED,
    C_VMPTRLD_VMXON,
    C_VMPTRLD_WRONG_REVISION,
    C_VMXON_IN_ROOT,
    C_VMPTRST_STILL_OURS,
    C_VMRESUME_CLEAR,
    C_VMWRITE_READ_ONLY,
    C_VMWRITE_READ_ONLY_ALLOWED,
    C_VMLAUNCH_BAD_CONTROLS,
    C_VMLAUNCH_BAD_HOST_STATE,
    C_VMLAUNCH_BAD_GUEST_STATE,
    C_VMLAUNCH_AFTER_REPAIRS,
    C_VMLAUNCH_LAUNCHED,
    C_VMRESUME_LAUNCHED,
    C_REQUIRE_MISSING_CONTROL,
    C_INVEPT_INVALID_TYPE,
    C_VMPTRST_AFTER_VMXOFF,
    C_COUNT
};
_Static_assert(C_COUNT <= 32, "one bit per check");

static const char *const check_names[C_COUNT] = {
    [C_VMREAD_WITHOUT_VMCS] = "vmread_without_current_vmcs",
    [C_VMREAD_UNSUPPORTED] = "vmread_unsupported_field",
    [C_VMPTRLD_VMXON] = "vmptrld_vmxon_pointer",
    [C_VMPTRLD_WRONG_REVISION] = "vmptrld_wrong_revision",
    [C_VMXON_IN_ROOT] = "vmxon_in_vmx_root",
    [C_VMPTRST_STILL_OURS] = "vmptrst_still_ours",
    [C_VMRESUME_CLEAR] = "vmresume_clear_vmcs",
    [C_VMWRITE_READ_ONLY] = "vmwrite_read_only_field",
    [C_VMWRITE_READ_ONLY_ALLOWED] = "vmwrite_read_only_allowed",
    [C_VMLAUNCH_BAD_CONTROLS] = "vmlaunch_bad_controls",
    [C_VMLAUNCH_BAD_HOST_STATE] = "vmlaunch_bad_host_state",
    [C_VMLAUNCH_BAD_GUEST_STATE] = "vmlaunch_bad_guest_state",
    [C_VMLAUNCH_AFTER_REPAIRS] = "vmlaunch_after_repairs",
    [C_VMLAUNCH_LAUNCHED] = "vmlaunch_launched_vmcs",
    [C_VMRESUME_LAUNCHED] = "vmresume_launched_vmcs",
    [C_REQUIRE_MISSING_CONTROL] = "require_missing_control",
    [C_INVEPT_INVALID_TYPE] = "invept_invalid_type",
    [C_VMPTRST_AFTER_VMXOFF] = "vmptrst_after_vmxoff",
};

struct tally {
    unsigned checked, mismatched;
    unsigned checker_asserts, checker_failed; /* the VM-entry checker's verdicts on the entries below */
    uint32_t ran;             /* bit c: check c ran (whatever its outcome) */
    bool fail_invalid;        /* VMfailInvalid was provoked as expected */
    uint64_t errors;          /* bit n: VM-instruction error n was provoked as expected */
    uint64_t entry_failures;  /* bit n: VM-entry failure exit with basic reason n, as expected */
    unsigned recovered;       /* real VM exits after the repairs, as expected */
    bool fault;               /* a VMX instruction faulted (#UD) as expected */
};

/* The checks that must run on this CPU: all but the capability-dependent alternatives. */
static uint32_t required_checks(const struct vmx_caps *caps)
{
    uint32_t all = (1u << C_COUNT) - 1;
    uint32_t r = all & ~((1u << C_VMWRITE_READ_ONLY) | (1u << C_VMWRITE_READ_ONLY_ALLOWED) |
                         (1u << C_REQUIRE_MISSING_CONTROL) | (1u << C_INVEPT_INVALID_TYPE));
    r |= 1u << (vmx_caps_vmwrite_any_field(caps) ? C_VMWRITE_READ_ONLY_ALLOWED : C_VMWRITE_READ_ONLY);
    if (!vmx_ctl_allowed1(caps->proc2, VMX_PROC2_UNRESTRICTED_GUEST))
        r |= 1u << C_REQUIRE_MISSING_CONTROL;
    if (caps->ept_vpid_cap & VMX_IA32_VMX_EPT_VPID_CAP_INVEPT_MASK)
        r |= 1u << C_INVEPT_INVALID_TYPE;
    return r;
}

static void expect(struct tally *t, enum check c, int got, int want)
{
    const char *name = got > 0 ? vmx_instruction_error_title((uint32_t)got) : vmx_status_name(got);
    t->checked++;
    t->ran |= 1u << c;
    if (got != want)
        t->mismatched++;
    else if (got == VMX_FAIL_INVALID)
        t->fail_invalid = true;
    else if (got == VMX_FAULT)
        t->fault = true;
    else if (got > 0 && got < 64)
        t->errors |= 1ull << got;
    os_log("ERRPATH %-28s expected=%d got=%d (%s) %s\n", check_names[c], want, got,
           name ? name : "unknown", got == want ? "ok" : "MISMATCH");
}

/*
 * After a deliberate entry failure the run API ran the generated VM-entry checks (vmx_enter): at
 * least one violated check must have the outcome the CPU produced (error 7/8, exit 33), else the
 * spec and the CPU disagree about this VMCS. `failure` 0: the entry succeeded, which needs no
 * violation at all in the pre-launch run.
 */
static void expect_checker(struct tally *t, const struct vmx_vcpu *vcpu, const char *what, unsigned failure)
{
    const struct vmx_check_summary *s = &vcpu->check;
    bool ok = s->ran && s->failure == failure && (failure ? s->matching > 0 : s->violated == 0);
    t->checker_asserts++;
    if (!ok)
        t->checker_failed++; /* vmx_check_current_vmcs / vmx_enter logged the disagreement */
    os_log("VMXCHECK ASSERT %s %s expected_failure=%u failure=%u violated=%u matching=%u not_decidable=%u ids=%s\n",
           what, ok ? "PASS" : "FAIL", failure, s->failure, s->violated, s->matching, s->not_decidable,
           s->ids[0] ? s->ids : "none");
}

/* Enter and expect a VM-entry failure exit with basic reason `want`. */
static void expect_entry_failure(struct tally *t, struct vmx_vcpu *vcpu, enum check c,
                                 uint32_t want)
{
    struct vmx_exit exit = { 0 };
    int rc = vmx_enter(vcpu, &exit);
    bool ok = !rc && exit.entry_failure && exit.basic == want && !vcpu->vmcs.launched;
    const char *name = vmx_exit_reason_title(exit.basic);
    t->checked++;
    t->ran |= 1u << c;
    if (!ok)
        t->mismatched++;
    else if (exit.basic < 64)
        t->entry_failures |= 1ull << exit.basic;
    os_log("ERRPATH %-28s expected=exit %u got=status %d exit 0x%08x (%u %s) qualification=%llu "
           "launched=%d %s\n", check_names[c], want, rc, exit.reason, exit.basic, name ? name : "unknown",
           (unsigned long long)exit.qualification, vcpu->vmcs.launched, ok ? "ok" : "MISMATCH");
}

/* Enter and expect a real VM exit with basic reason `want`. */
static void expect_exit(struct tally *t, struct vmx_vcpu *vcpu, enum check c, uint32_t want)
{
    struct vmx_exit exit = { 0 };
    int rc = vmx_enter(vcpu, &exit);
    bool ok = !rc && !exit.entry_failure && exit.basic == want && vcpu->vmcs.launched;
    const char *name = vmx_exit_reason_title(exit.basic);
    t->checked++;
    t->ran |= 1u << c;
    if (!ok)
        t->mismatched++;
    else
        t->recovered++;
    os_log("ERRPATH %-28s expected=exit %u got=status %d exit 0x%08x (%u %s) launched=%d %s\n",
           check_names[c], want, rc, exit.reason, exit.basic, name ? name : "unknown", vcpu->vmcs.launched,
           ok ? "ok" : "MISMATCH");
}

static void provoke(struct tally *t, struct vmx_cpu *cpu, struct vmx_vcpu *vcpu, void **stack)
{
    uint64_t value;
    int rc;

    /* No current VMCS yet: there is nowhere to put an error number. */
    expect(t, C_VMREAD_WITHOUT_VMCS, vmx_vmread(VMCS_GUEST_RIP, &value), VMX_FAIL_INVALID);

    rc = scenario_vcpu_flat64(vcpu, cpu, guest_halt, stack);
    if (rc) {
        os_log("error_paths: VMCS setup failed: %d (%s)\n", rc, vmx_status_name(rc));
        t->mismatched++;
        return;
    }

    /* From here on a VMCS is current, so failures are VMfailValid with a number. */
    expect(t, C_VMREAD_UNSUPPORTED, vmx_vmread(UNSUPPORTED_VMCS_ENCODING, &value),
           VMX_ERROR_VMREAD_VMWRITE_UNSUPPORTED_VMCS_COMPONENT);
    expect(t, C_VMPTRLD_VMXON, vmx_vmptrld(cpu->vmxon_phys),
           VMX_ERROR_VMPTRLD_VMXON_POINTER);

    uint32_t *bad = os_alloc_pages(1);
    if (bad) {
        *bad = vmx_ia32_vmx_basic_get_vmcs_revision_identifier(~cpu->caps.basic);
        expect(t, C_VMPTRLD_WRONG_REVISION, vmx_vmptrld(os_virt_to_phys(bad)),
               VMX_ERROR_VMPTRLD_INCORRECT_VMCS_REVISION_IDENTIFIER);
        os_free_pages(bad, 1);
    } else {
        os_log("error_paths: os_alloc_pages failed: vmptrld_wrong_revision not checked\n");
    }
    expect(t, C_VMXON_IN_ROOT, vmx_vmxon(cpu->vmxon_phys),
           VMX_ERROR_VMXON_IN_VMX_ROOT_OPERATION);

    /* The failed VMPTRLDs must have left our VMCS current. */
    uint64_t current = 0;
    rc = vmx_vmptrst(&current);
    expect(t, C_VMPTRST_STILL_OURS, rc == 0 && current == vcpu->vmcs.phys ? 0 : VMX_E_INSTRUCTION, 0);

    expect(t, C_VMRESUME_CLEAR, vmx_vmresume(&vcpu->gprs),
           VMX_ERROR_VMRESUME_NON_LAUNCHED_VMCS);

    /* VMWRITE to a read-only (VM-exit information) field: error 13, unless IA32_VMX_MISC[29]
     * lets VMWRITE write any field, when the write must succeed instead. */
    uint32_t exit_reason = 0;
    vmcs_read_exit_reason(&exit_reason);
    if (vmx_caps_vmwrite_any_field(&cpu->caps)) {
        expect(t, C_VMWRITE_READ_ONLY_ALLOWED, vmx_vmwrite(VMCS_EXIT_REASON, exit_reason), VMX_OK);
    } else {
        expect(t, C_VMWRITE_READ_ONLY, vmx_vmwrite(VMCS_EXIT_REASON, exit_reason),
               VMX_ERROR_VMWRITE_READ_ONLY_VMCS_COMPONENT);
    }

    /* A must-be-1 pin-based control cleared: a control-field check fails. */
    uint32_t pin = 0;
    vmcs_read_pin_based_vm_execution_controls(&pin);
    vmcs_write_pin_based_vm_execution_controls(0);
    struct vmx_exit unexpected;
    vcpu->check.ran = false;
    expect(t, C_VMLAUNCH_BAD_CONTROLS, vmx_enter(vcpu, &unexpected),
           VMX_ERROR_VM_ENTRY_INVALID_CONTROL_FIELDS);
    expect_checker(t, vcpu, "vmfail7_pin_controls_zero", VMX_ERROR_VM_ENTRY_INVALID_CONTROL_FIELDS);
    vmcs_write_pin_based_vm_execution_controls(pin);

    /* Host TR selector 0: a host-state check fails. */
    uint16_t tr = 0;
    vmcs_read_host_tr_selector(&tr);
    vmcs_write_host_tr_selector(0);
    vcpu->check.ran = false;
    expect(t, C_VMLAUNCH_BAD_HOST_STATE, vmx_enter(vcpu, &unexpected),
           VMX_ERROR_VM_ENTRY_INVALID_HOST_STATE_FIELDS);
    expect_checker(t, vcpu, "vmfail8_host_tr_selector_zero", VMX_ERROR_VM_ENTRY_INVALID_HOST_STATE_FIELDS);
    vmcs_write_host_tr_selector(tr);

    /* Guest RFLAGS bit 1 clear: the guest-state check fails after the VMCS was accepted, which
     * is a VM exit (reason 33, bit 31 set), not an instruction error; the VMCS stays clear. */
    uint64_t rflags = 0;
    vmcs_read_guest_rflags(&rflags);
    vmcs_write_guest_rflags(rflags & ~VMX_RFLAGS_FIXED_1_MASK);
    vcpu->check.ran = false;
    expect_entry_failure(t, vcpu, C_VMLAUNCH_BAD_GUEST_STATE,
                         VMX_EXIT_VM_ENTRY_FAILURE_INVALID_GUEST_STATE);
    expect_checker(t, vcpu, "exit33_guest_rflags_bit1_clear", VMX_EXIT_VM_ENTRY_FAILURE_INVALID_GUEST_STATE);
    vmcs_write_guest_rflags(rflags);

    /* Recovery: the same VMCS now launches; the guest halts. The checker, run before this
     * VMLAUNCH, must find nothing wrong with it. */
    vcpu->check_before_launch = true;
    vcpu->check.ran = false;
    expect_exit(t, vcpu, C_VMLAUNCH_AFTER_REPAIRS, VMX_EXIT_HLT);
    expect_checker(t, vcpu, "launch_after_repairs", 0);
    vcpu->check_before_launch = false;
    expect(t, C_VMLAUNCH_LAUNCHED, vmx_vmlaunch(&vcpu->gprs),
           VMX_ERROR_VMLAUNCH_NON_CLEAR_VMCS);
    expect_exit(t, vcpu, C_VMRESUME_LAUNCHED, VMX_EXIT_HLT);

    /* Where the CPU lacks unrestricted guest, asking for it must fail with the bit named. */
    if (!vmx_ctl_allowed1(cpu->caps.proc2, VMX_PROC2_UNRESTRICTED_GUEST)) {
        static const struct vmx_ctl_bit req[] = { VMX_CTL(PROC2, UNRESTRICTED_GUEST) };
        uint32_t proc2;
        expect(t, C_REQUIRE_MISSING_CONTROL,
               vmx_controls("secondary processor-based controls", cpu->caps.proc2, req, 1, 0, &proc2),
               VMX_E_CAPABILITY);
    }

    if (cpu->caps.ept_vpid_cap & VMX_IA32_VMX_EPT_VPID_CAP_INVEPT_MASK) {
        struct vmx_invept_descriptor d = { 0, 0 };
        /* type 0 is not an INVEPT type */
        expect(t, C_INVEPT_INVALID_TYPE, vmx_invept(0, &d),
               VMX_ERROR_INVEPT_INVVPID_INVALID_OPERAND);
    }
}

/* Appends `text` to buf (of size cap, holding len characters), with a comma unless first. */
static size_t append(char *buf, size_t cap, size_t len, const char *text)
{
    int n = fmt_snprintf(buf + len, cap - len, "%s%s", len ? "," : "", text);
    if (n > 0)
        len += (size_t)n < cap - len ? (size_t)n : cap - len - 1;
    return len;
}

void scenario_error_paths(void)
{
    static const char name[] = "error_paths";
    struct vmx_cpu cpu;
    struct vmx_vcpu vcpu = { 0 };
    struct tally t = { 0 };
    void *stack = 0;
    char errors[128], entry[32], missing[256], number[12];
    size_t errors_len = 0, entry_len = 0, missing_len = 0;

    errors[0] = entry[0] = missing[0] = 0;
    if (!scenario_vmx_on(name, &cpu))
        return;
    uint32_t required = required_checks(&cpu.caps);
    provoke(&t, &cpu, &vcpu, &stack);
    scenario_vcpu_release(&vcpu, stack);
    vmx_cpu_off(&cpu);

    /* Out of VMX operation every VMX instruction raises #UD; the fixup turns it into a status. */
    uint64_t current;
    expect(&t, C_VMPTRST_AFTER_VMXOFF, vmx_vmptrst(&current), VMX_FAULT);
    bool vmxe = vmx_cr4_vmxe();

    /* The result line lists only what the checks that ran actually saw. */
    if (t.fail_invalid)
        errors_len = append(errors, sizeof errors, errors_len, "VMfailInvalid");
    for (unsigned n = 1; n < 64; n++)
        if (t.errors & (1ull << n)) {
            fmt_snprintf(number, sizeof number, "%u", n);
            errors_len = append(errors, sizeof errors, errors_len, number);
        }
    for (unsigned n = 0; n < 64; n++)
        if (t.entry_failures & (1ull << n)) {
            fmt_snprintf(number, sizeof number, "%u", n);
            entry_len = append(entry, sizeof entry, entry_len, number);
        }
    uint32_t not_run = required & ~t.ran;
    for (unsigned c = 0; c < C_COUNT; c++)
        if (not_run & (1u << c))
            missing_len = append(missing, sizeof missing, missing_len, check_names[c]);

    const char *error13 = (t.errors & (1ull << VMX_ERROR_VMWRITE_READ_ONLY_VMCS_COMPONENT))
                              ? "provoked"
                          : (t.ran & (1u << C_VMWRITE_READ_ONLY_ALLOWED))
                              ? "not_applicable(IA32_VMX_MISC[29]=1)"
                              : "not_checked";
    /* The checker's four verdicts: errors 7, 8, exit 33 and the repaired launch. */
    bool checker_ok = t.checker_asserts == 4 && t.checker_failed == 0;
    if (t.mismatched || not_run || vmxe || !checker_ok)
        os_log("SCENARIO %s FAIL checked=%u mismatched=%u missing=%s errors=%s "
               "checker=%u/%u cr4.vmxe_after=%d\n", name, t.checked, t.mismatched, not_run ? missing : "none",
               errors_len ? errors : "none", t.checker_asserts - t.checker_failed, t.checker_asserts, vmxe);
    else
        os_log("SCENARIO %s PASS checked=%u errors=%s error13=%s entry_failure=%s recovered=%u "
               "ud_after_vmxoff=%d checker=%u/%u cr4.vmxe_after=0\n", name, t.checked, errors, error13,
               entry_len ? entry : "none", t.recovered, t.fault, t.checker_asserts, t.checker_asserts);
}

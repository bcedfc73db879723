/* SPDX-License-Identifier: MIT */
/* Guest-state area presets (vmx/guest.h), written with one VMWRITE batch each. */
#include "vmx/arch.h"
#include "vmx/guest.h"
#include "vmx/vmwrite_batch.h"

#define SEG(seg, sel, base, limit, ar)                                                          \
    do {                                                                                        \
        VMX_W(guest_##seg##_selector, (sel));                                                   \
        VMX_W(guest_##seg##_base, (base));                                                      \
        VMX_W(guest_##seg##_limit, (limit));                                                    \
        VMX_W(guest_##seg##_access_rights, (ar));                                               \
    } while (0)

#define AR_TYPE(t) vmx_segment_access_rights_set_segment_type(0, (t))
#define AR_CODE_DATA_PRESENT                                                                    \
    (VMX_SEGMENT_ACCESS_RIGHTS_DESCRIPTOR_TYPE_MASK | VMX_SEGMENT_ACCESS_RIGHTS_PRESENT_MASK)

int vmx_guest_setup_flat64(uint64_t rip, uint64_t rsp)
{
    int rc = 0;
    const char *failed = 0;
    const uint32_t code = AR_TYPE(VMX_CODE_DATA_SEGMENT_TYPE_CODE_EXECUTE_READ_ACCESSED) |
                          AR_CODE_DATA_PRESENT | VMX_SEGMENT_ACCESS_RIGHTS_LONG_MODE_MASK |
                          VMX_SEGMENT_ACCESS_RIGHTS_GRANULARITY_MASK;
    const uint32_t data = AR_TYPE(VMX_CODE_DATA_SEGMENT_TYPE_DATA_READ_WRITE_ACCESSED) |
                          AR_CODE_DATA_PRESENT | VMX_SEGMENT_ACCESS_RIGHTS_DEFAULT_BIG_MASK |
                          VMX_SEGMENT_ACCESS_RIGHTS_GRANULARITY_MASK;
    const uint32_t tss = AR_TYPE(VMX_SYSTEM_SEGMENT_TYPE_TSS_BUSY) | VMX_SEGMENT_ACCESS_RIGHTS_PRESENT_MASK;
    struct arch_dtr gdt = arch_sgdt(), idt = arch_sidt();
    uint16_t ds = arch_read_ss(); /* SS is a flat data selector in any 64-bit kernel */
    uint16_t tr = arch_read_tr();

    VMX_W(guest_cr0, arch_read_cr0());
    VMX_W(guest_cr3, arch_read_cr3());
    VMX_W(guest_cr4, arch_read_cr4());
    SEG(cs, arch_read_cs(), 0, 0xFFFFFFFFu, code);
    SEG(ss, ds, 0, 0xFFFFFFFFu, data);
    SEG(ds, ds, 0, 0xFFFFFFFFu, data);
    SEG(es, ds, 0, 0xFFFFFFFFu, data);
    SEG(fs, ds, 0, 0xFFFFFFFFu, data);
    SEG(gs, ds, 0, 0xFFFFFFFFu, data);
    SEG(tr, tr, arch_system_segment_base(gdt.base, tr), arch_segment_limit(tr), tss);
    SEG(ldtr, 0, 0, 0, VMX_SEGMENT_ACCESS_RIGHTS_UNUSABLE_MASK);
    VMX_W(guest_gdtr_base, gdt.base);
    VMX_W(guest_gdtr_limit, gdt.limit);
    VMX_W(guest_idtr_base, idt.base);
    VMX_W(guest_idtr_limit, idt.limit);
    VMX_W(guest_rip, rip);
    VMX_W(guest_rsp, rsp);
    VMX_W(guest_rflags, VMX_RFLAGS_FIXED_1_MASK); /* interrupts off */
    return vmx_vmwrite_batch_report(rc, failed);
}

int vmx_guest_setup_real_mode(const struct vmx_caps *caps, uint16_t cs, uint16_t ip, uint16_t ss,
                              uint16_t sp)
{
    int rc = 0;
    const char *failed = 0;
    const uint32_t code = AR_TYPE(VMX_CODE_DATA_SEGMENT_TYPE_CODE_EXECUTE_READ_ACCESSED) | AR_CODE_DATA_PRESENT;
    const uint32_t data = AR_TYPE(VMX_CODE_DATA_SEGMENT_TYPE_DATA_READ_WRITE_ACCESSED) | AR_CODE_DATA_PRESENT;
    const uint32_t tss = AR_TYPE(VMX_SYSTEM_SEGMENT_TYPE_TSS_BUSY) | VMX_SEGMENT_ACCESS_RIGHTS_PRESENT_MASK;
    /* Unrestricted guest exempts PE and PG from CR0_FIXED0; everything else still applies. */
    uint64_t cr0 = (caps->cr0_fixed0 & ~(VMX_CR0_PE_MASK | VMX_CR0_PG_MASK)) & caps->cr0_fixed1;
    uint64_t cr4 = caps->cr4_fixed0 & caps->cr4_fixed1;

    VMX_W(guest_cr0, cr0);
    VMX_W(guest_cr3, 0);
    VMX_W(guest_cr4, cr4);
    VMX_W(cr0_read_shadow, 0); /* what the guest would read back: a reset CPU */
    VMX_W(cr4_read_shadow, 0);
    SEG(cs, cs, (uint64_t)cs << 4, 0xFFFF, code); /* real mode: base = selector * 16 */
    SEG(ss, ss, (uint64_t)ss << 4, 0xFFFF, data);
    SEG(ds, 0, 0, 0xFFFF, data);
    SEG(es, 0, 0, 0xFFFF, data);
    SEG(fs, 0, 0, 0xFFFF, data);
    SEG(gs, 0, 0, 0xFFFF, data);
    SEG(tr, 0, 0, 0xFFFF, tss);
    SEG(ldtr, 0, 0, 0, VMX_SEGMENT_ACCESS_RIGHTS_UNUSABLE_MASK);
    VMX_W(guest_gdtr_base, 0);
    VMX_W(guest_gdtr_limit, 0xFFFF);
    VMX_W(guest_idtr_base, 0);
    VMX_W(guest_idtr_limit, 0x3FF); /* the real-mode interrupt vector table */
    VMX_W(guest_rip, ip);
    VMX_W(guest_rsp, sp);
    VMX_W(guest_rflags, VMX_RFLAGS_FIXED_1_MASK);
    return vmx_vmwrite_batch_report(rc, failed);
}

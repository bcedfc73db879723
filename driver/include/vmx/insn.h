/* SPDX-License-Identifier: MIT */
/*
 * VMX instruction wrappers. Each returns an int status:
 *     0               VMsucceed
 *    -1 (VMX_FAIL_INVALID)  VMfailInvalid: CF=1, there is no current VMCS to hold an error number
 *     n > 0           VMfailValid: ZF=1, n is the VM-instruction error field of the current VMCS
 *    -2 (VMX_FAULT)   the instruction raised #UD/#GP (caught by the port's fixup table)
 * Decode n with vmx_instruction_error_title() from the generated vmx_errors.h.
 */
#ifndef VMX_INSN_H
#define VMX_INSN_H

#include <stdint.h>
#include "vmx/os.h"

#define VMX_OK            0
#define VMX_FAIL_INVALID (-1)
#define VMX_FAULT        (-2)

/* The facts headers build their typed accessors on these two; declare them first. */
static inline int vmx_vmread(uint64_t encoding, uint64_t *value);
static inline int vmx_vmwrite(uint64_t encoding, uint64_t value);
#define VMXGEN_VMREAD(encoding, value) vmx_vmread((encoding), (value))
#define VMXGEN_VMWRITE(encoding, value) vmx_vmwrite((encoding), (value))
#include "vmx/facts.h"

/*
 * Common tail of every wrapper: the instruction at label 1 is registered with the port's fault
 * table; a fault lands on label 3, which sets `flt` and rejoins at label 2. The flags are read
 * by the caller only when flt is 0, so the fixup path need not preserve them.
 */
#define VMX_ASM_GUARDED(insn)                                                                   \
    "xor %k[flt], %k[flt]\n\t"                                                                  \
    "1: " insn "\n\t"                                                                           \
    "2:\n\t" OS_ASM_EXTABLE("1b", "3f")                                                         \
    ".pushsection .text.vmx_fixup, \"ax\"\n\t"                                                  \
    "3: movl $1, %k[flt]\n\t"                                                                   \
    "jmp 2b\n\t"                                                                                \
    ".popsection\n\t"

/* After VMfailValid there is a current VMCS, so this VMREAD cannot itself fail validly. */
static inline int vmx_current_instruction_error(void)
{
    uint64_t err = 0;
    uint8_t cf, zf;
    __asm__ volatile("vmread %[enc], %[val]"
                     : [val] "=rm"(err), "=@ccc"(cf), "=@ccz"(zf)
                     : [enc] "r"((uint64_t)VMCS_VM_INSTRUCTION_ERROR)
                     : "memory");
    if (cf || zf || err == 0)
        return 0x7FFF; /* no readable error number: report an impossible one rather than 0 */
    return (int)err;
}

static inline int vmx_status(uint32_t flt, uint8_t cf, uint8_t zf)
{
    if (flt)
        return VMX_FAULT;
    if (cf)
        return VMX_FAIL_INVALID;
    if (zf)
        return vmx_current_instruction_error();
    return VMX_OK;
}

/* VMXON/VMCLEAR/VMPTRLD take a memory operand holding a physical address. */
#define VMX_DEFINE_PA_INSN(name, mnemonic)                                                      \
    static inline int name(uint64_t phys)                                                       \
    {                                                                                           \
        uint32_t flt;                                                                           \
        uint8_t cf, zf;                                                                         \
        __asm__ volatile(VMX_ASM_GUARDED(mnemonic " %[pa]")                                     \
                         : [flt] "=&r"(flt), "=@ccc"(cf), "=@ccz"(zf)                           \
                         : [pa] "m"(phys)                                                       \
                         : "memory");                                                           \
        return vmx_status(flt, cf, zf);                                                         \
    }
VMX_DEFINE_PA_INSN(vmx_vmxon, "vmxon")
VMX_DEFINE_PA_INSN(vmx_vmclear, "vmclear")
VMX_DEFINE_PA_INSN(vmx_vmptrld, "vmptrld")
#undef VMX_DEFINE_PA_INSN

static inline int vmx_vmxoff(void)
{
    uint32_t flt;
    uint8_t cf, zf;
    __asm__ volatile(VMX_ASM_GUARDED("vmxoff")
                     : [flt] "=&r"(flt), "=@ccc"(cf), "=@ccz"(zf)
                     :
                     : "memory");
    return vmx_status(flt, cf, zf);
}

static inline int vmx_vmptrst(uint64_t *phys)
{
    uint32_t flt;
    uint8_t cf, zf;
    __asm__ volatile(VMX_ASM_GUARDED("vmptrst %[pa]")
                     : [flt] "=&r"(flt), "=@ccc"(cf), "=@ccz"(zf), [pa] "=m"(*phys)
                     :
                     : "memory");
    return vmx_status(flt, cf, zf);
}

static inline int vmx_vmread(uint64_t encoding, uint64_t *value)
{
    uint32_t flt;
    uint8_t cf, zf;
    uint64_t v = 0;
    __asm__ volatile(VMX_ASM_GUARDED("vmread %[enc], %[val]")
                     : [flt] "=&r"(flt), "=@ccc"(cf), "=@ccz"(zf), [val] "+r"(v)
                     : [enc] "r"(encoding)
                     : "memory");
    *value = v;
    return vmx_status(flt, cf, zf);
}

static inline int vmx_vmwrite(uint64_t encoding, uint64_t value)
{
    uint32_t flt;
    uint8_t cf, zf;
    __asm__ volatile(VMX_ASM_GUARDED("vmwrite %[val], %[enc]")
                     : [flt] "=&r"(flt), "=@ccc"(cf), "=@ccz"(zf)
                     : [enc] "r"(encoding), [val] "r"(value)
                     : "memory");
    return vmx_status(flt, cf, zf);
}

/* INVEPT/INVVPID: a register type and a 128-bit memory descriptor. */
struct vmx_invept_descriptor {
    uint64_t eptp, reserved;
};
struct vmx_invvpid_descriptor {
    uint64_t vpid, linear_address; /* vpid in bits 15:0, the rest must be 0 */
};

static inline int vmx_invept(uint64_t type, const struct vmx_invept_descriptor *d)
{
    uint32_t flt;
    uint8_t cf, zf;
    __asm__ volatile(VMX_ASM_GUARDED("invept %[desc], %[type]")
                     : [flt] "=&r"(flt), "=@ccc"(cf), "=@ccz"(zf)
                     : [desc] "m"(*d), [type] "r"(type)
                     : "memory");
    return vmx_status(flt, cf, zf);
}

static inline int vmx_invvpid(uint64_t type, const struct vmx_invvpid_descriptor *d)
{
    uint32_t flt;
    uint8_t cf, zf;
    __asm__ volatile(VMX_ASM_GUARDED("invvpid %[desc], %[type]")
                     : [flt] "=&r"(flt), "=@ccc"(cf), "=@ccz"(zf)
                     : [desc] "m"(*d), [type] "r"(type)
                     : "memory");
    return vmx_status(flt, cf, zf);
}

/*
 * VMLAUNCH and VMRESUME cannot be plain inline asm: on success the CPU does not fall through but
 * later arrives at HOST_RIP with HOST_RSP, so they live in src/vmx_entry.S, which owns that stack
 * frame. vmx_enter() returns 0 after a VM exit (or a VM-entry failure exit: check the exit
 * reason), or a status as above when the instruction itself failed.
 */
struct vmx_gprs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

int vmx_enter_asm(struct vmx_gprs *gprs, uint64_t resume, uint64_t host_rsp_encoding);
void vmx_exit_stub(void);

static inline int vmx_enter_status(int raw)
{
    /* the stub returns 1 for ZF (VMfailValid) and -1 for CF; fetch the error number here */
    return raw == 1 ? vmx_current_instruction_error() : raw;
}

static inline int vmx_vmlaunch(struct vmx_gprs *gprs)
{
    return vmx_enter_status(vmx_enter_asm(gprs, 0, VMCS_HOST_RSP));
}

static inline int vmx_vmresume(struct vmx_gprs *gprs)
{
    return vmx_enter_status(vmx_enter_asm(gprs, 1, VMCS_HOST_RSP));
}

#endif

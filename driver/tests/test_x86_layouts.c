/* SPDX-License-Identifier: MIT */
/* The x86 layouts the bare-metal port builds its tables with, against values worked out by hand from the SDM's
 * figures (Vol. 3: Segment Descriptor, 64-Bit TSS/LDT Descriptor, 64-Bit IDT Gate Descriptors, 64-Bit TSS Format,
 * formats of paging-structure entries). */
#include "harness.h"
#include "vmx/generated/vmx_enums.h"
#include "vmx/generated/vmx_layouts.h"

void test_x86_layouts(struct tc *t)
{
    /* TSS descriptor, base 123456789ABCDEF0H, limit 67H, type 9, P: bytes 0-1 limit, 2-4 base 23:0, 5 = 89H,
     * 6 = limit 19:16 and flags (0), 7 = base 31:24; bytes 8-11 base 63:32. */
    uint64_t base = 0x123456789ABCDEF0ull, d = 0;
    d = vmx_system_segment_descriptor_set_limit_low(d, 0x67);
    d = vmx_system_segment_descriptor_set_base_low(d, base);
    d = vmx_system_segment_descriptor_set_base_high(d, base >> 24);
    d = vmx_system_segment_descriptor_set_type(d, VMX_SYSTEM_SEGMENT_TYPE_TSS_AVAILABLE);
    d = vmx_system_segment_descriptor_set_present(d, 1);
    EXPECT_EQ(t, d, 0x9A0089BCDEF00067ull);
    EXPECT_EQ(t, vmx_system_segment_descriptor_upper_set_base_upper(0, base >> 32), 0x12345678ull);

    /* Interrupt gate to FFFFFFFF81234567H through selector 8, IST 1: offset 15:0, selector, IST in byte 4,
     * 8EH in byte 5, offset 31:16 in bytes 6-7; offset 63:32 in the upper half. */
    uint64_t h = 0xFFFFFFFF81234567ull, g = 0;
    g = vmx_idt_gate_64_set_offset_low(g, h);
    g = vmx_idt_gate_64_set_selector(g, 8);
    g = vmx_idt_gate_64_set_ist(g, 1);
    g = vmx_idt_gate_64_set_type(g, VMX_SYSTEM_SEGMENT_TYPE_INTERRUPT_GATE);
    g = vmx_idt_gate_64_set_present(g, 1);
    g = vmx_idt_gate_64_set_offset_middle(g, h >> 16);
    EXPECT_EQ(t, g, 0x81238E0100084567ull);
    EXPECT_EQ(t, vmx_idt_gate_64_upper_set_offset_high(0, h >> 32), 0xFFFFFFFFull);

    /* Flat 64-bit code segment: 00AF9A00_0000FFFFH. */
    uint64_t c = 0;
    c = vmx_code_data_segment_descriptor_set_limit_low(c, 0xFFFF);
    c = vmx_code_data_segment_descriptor_set_limit_high(c, 0xF);
    c = vmx_code_data_segment_descriptor_set_readable_writable(c, 1);
    c = vmx_code_data_segment_descriptor_set_executable(c, 1);
    c = vmx_code_data_segment_descriptor_set_descriptor_type(c, 1);
    c = vmx_code_data_segment_descriptor_set_present(c, 1);
    c = vmx_code_data_segment_descriptor_set_long_mode(c, 1);
    c = vmx_code_data_segment_descriptor_set_granularity(c, 1);
    EXPECT_EQ(t, c, 0x00AF9A000000FFFFull);

    /* Paging: a writable 2-MByte page at 40000000H is 40000083H; a PML4E to a table at 1000H, XD, is 8000000000001003H;
     * protection key 5 of a PTE sits in bits 62:59. */
    uint64_t pde = vmx_pde_2mb_set_address(0, 0x40000000ull >> 21);
    pde = vmx_pde_2mb_set_page_size(vmx_pde_2mb_set_write(vmx_pde_2mb_set_present(pde, 1), 1), 1);
    EXPECT_EQ(t, pde, 0x40000083ull);
    uint64_t pml4e = vmx_pml4e_set_execute_disable(vmx_pml4e_set_write(vmx_pml4e_set_present(0, 1), 1), 1);
    EXPECT_EQ(t, vmx_pml4e_set_address(pml4e, 0x1000 >> 12), 0x8000000000001003ull);
    EXPECT_EQ(t, vmx_pte_set_protection_key(0, 5), 5ull << 59);
    EXPECT_EQ(t, vmx_pdpte_1gb_get_address(0x00000000C0000080ull), 3); /* 1-GByte page 3, PS set */
    EXPECT_EQ(t, VMX_PML5E_ADDRESS_MASK, 0x000FFFFFFFFFF000ull);

    /* 64-bit TSS: RSP0 at 4, IST1 at 24H, IST7 at 54H, I/O map base at 66H, 104 bytes. */
    EXPECT_EQ(t, VMX_TSS64_OFFSET_RSP0, 4);
    EXPECT_EQ(t, VMX_TSS64_OFFSET_RSP2, 0x14);
    EXPECT_EQ(t, VMX_TSS64_OFFSET_IST1, 0x24);
    EXPECT_EQ(t, VMX_TSS64_OFFSET_IST7, 0x54);
    EXPECT_EQ(t, VMX_TSS64_OFFSET_IO_MAP_BASE, 0x66);
    EXPECT_EQ(t, VMX_TSS64_OFFSET_SIZE, 104);
}

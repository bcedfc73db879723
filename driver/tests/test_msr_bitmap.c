/* SPDX-License-Identifier: MIT */
/* vmx_msr_bitmap.h against the SDM's description of the page ("MSR-Bitmap Address"): read bitmap for low MSRs
 * 00000000H-00001FFFH at byte 0, for high MSRs C0000000H-C0001FFFH at 1024, write bitmaps at 2048 and 3072, one bit
 * per MSR (bit n at byte n/8, bit n%8). The expected byte/bit pairs below are worked out by hand from that text; the
 * helpers are only ever asked to set a bit, and the page is then searched for which bit changed. */
#include "harness.h"
#include "vmx/generated/vmx_msrs.h"
#include "vmx/generated/vmx_msr_bitmap.h"

#define PAGE 4096

/* The one set bit of the page as byte*8+bit, -1 if none, -2 if more than one. */
static long only_set_bit(const uint8_t *page)
{
    long found = -1;
    for (unsigned i = 0; i < PAGE; i++)
        for (unsigned b = 0; b < 8; b++)
            if (page[i] >> b & 1) {
                if (found != -1)
                    return -2;
                found = (long)i * 8 + b;
            }
    return found;
}

static bool all_zero(const uint8_t *page)
{
    for (unsigned i = 0; i < PAGE; i++)
        if (page[i])
            return false;
    return true;
}

struct expected { uint32_t msr; unsigned read_byte, write_byte, bit; };

void test_msr_bitmap_positions(struct tc *t)
{
    static const struct expected cases[] = {
        { 0x00000000u, 0, 2048, 0 },
        { 0x00000010u, 2, 2050, 0 },
        { 0x00001FFFu, 1023, 3071, 7 },
        { 0xC0000000u, 1024, 3072, 0 },
        { 0xC0000080u, 1040, 3088, 0 }, /* IA32_EFER */
        { 0xC0000101u, 1056, 3104, 1 }, /* IA32_GS_BASE */
        { 0xC0001FFFu, 2047, 4095, 7 },
        { 0x0000003Au, 7, 2055, 2 },    /* IA32_FEATURE_CONTROL */
    };
    static uint8_t page[PAGE];
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct expected *c = &cases[i];
        memset(page, 0, sizeof page);
        EXPECT_EQ(t, vmx_msr_bitmap_intercept(page, c->msr, VMX_MSR_BITMAP_READ), 0);
        EXPECT_EQ(t, only_set_bit(page), c->read_byte * 8 + c->bit);
        EXPECT_EQ(t, vmx_msr_bitmap_intercepted(page, c->msr, VMX_MSR_BITMAP_READ), 1);
        EXPECT_EQ(t, vmx_msr_bitmap_intercepted(page, c->msr, VMX_MSR_BITMAP_WRITE), 0);
        EXPECT_EQ(t, vmx_msr_bitmap_pass(page, c->msr, VMX_MSR_BITMAP_READ), 0);
        EXPECT(t, all_zero(page));

        EXPECT_EQ(t, vmx_msr_bitmap_intercept(page, c->msr, VMX_MSR_BITMAP_WRITE), 0);
        EXPECT_EQ(t, only_set_bit(page), c->write_byte * 8 + c->bit);
        EXPECT_EQ(t, vmx_msr_bitmap_intercepted(page, c->msr, VMX_MSR_BITMAP_WRITE), 1);
        EXPECT_EQ(t, vmx_msr_bitmap_intercepted(page, c->msr, VMX_MSR_BITMAP_READ), 0);

        /* both, then passing the write through again leaves only the read bit */
        EXPECT_EQ(t, vmx_msr_bitmap_intercept(page, c->msr, VMX_MSR_BITMAP_READ_WRITE), 0);
        EXPECT_EQ(t, vmx_msr_bitmap_pass(page, c->msr, VMX_MSR_BITMAP_WRITE), 0);
        EXPECT_EQ(t, only_set_bit(page), c->read_byte * 8 + c->bit);
    }
    /* Clearing one MSR's bit leaves its neighbours in the same byte set. */
    memset(page, 0xFF, sizeof page);
    EXPECT_EQ(t, vmx_msr_bitmap_pass(page, 0xC0000080u, VMX_MSR_BITMAP_READ_WRITE), 0);
    EXPECT_EQ(t, page[1040], 0xFE);
    EXPECT_EQ(t, page[3088], 0xFE);
    EXPECT_EQ(t, page[1041], 0xFF);
}

void test_msr_bitmap_ranges(struct tc *t)
{
    /* Just outside each range: rejected, the page untouched, and reported as always exiting. */
    static const uint32_t outside[] = { 0x00002000u, 0x0000FFFFu, 0xBFFFFFFFu, 0xC0002000u, 0xFFFFFFFFu, 0x40000000u };
    static uint8_t page[PAGE];
    memset(page, 0, sizeof page);
    for (unsigned i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        uint32_t slot = 12345;
        EXPECT_EQ(t, vmx_msr_bitmap_slot(outside[i], &slot), (unsigned long long)(long long)VMX_MSR_BITMAP_E_RANGE);
        EXPECT_EQ(t, slot, 12345);
        EXPECT_EQ(t, vmx_msr_bitmap_intercept(page, outside[i], VMX_MSR_BITMAP_READ_WRITE),
                  (unsigned long long)(long long)VMX_MSR_BITMAP_E_RANGE);
        EXPECT_EQ(t, vmx_msr_bitmap_pass(page, outside[i], VMX_MSR_BITMAP_READ_WRITE),
                  (unsigned long long)(long long)VMX_MSR_BITMAP_E_RANGE);
        EXPECT_EQ(t, vmx_msr_bitmap_intercepted(page, outside[i], VMX_MSR_BITMAP_READ), 1);
        EXPECT(t, all_zero(page));
    }
    /* Each range's first and last address is inside. */
    uint32_t slot;
    EXPECT_EQ(t, vmx_msr_bitmap_slot(0x00001FFFu, &slot), 0);
    EXPECT_EQ(t, slot, 8191);
    EXPECT_EQ(t, vmx_msr_bitmap_slot(0xC0000000u, &slot), 0);
    EXPECT_EQ(t, slot, 8192);
    EXPECT_EQ(t, vmx_msr_bitmap_slot(0xC0001FFFu, &slot), 0);
    EXPECT_EQ(t, slot, 16383);
}

void test_msr_bitmap_by_name(struct tc *t)
{
    static uint8_t page[PAGE];
    memset(page, 0, sizeof page);
    /* A slot macro is the bitmap position of the spec's MSR: IA32_EFER reads at byte 1040 bit 0. */
    vmx_msr_bitmap_intercept_slot(page, VMX_MSR_BITMAP_SLOT_IA32_EFER, VMX_MSR_BITMAP_READ);
    EXPECT_EQ(t, only_set_bit(page), 1040 * 8);
    vmx_msr_bitmap_pass_slot(page, VMX_MSR_BITMAP_SLOT_IA32_EFER, VMX_MSR_BITMAP_READ);
    vmx_msr_bitmap_intercept_slot(page, VMX_MSR_BITMAP_SLOT_IA32_SYSENTER_CS, VMX_MSR_BITMAP_WRITE);
    EXPECT_EQ(t, only_set_bit(page), (2048 + 0x174 / 8) * 8 + 0x174 % 8);
    /* every slot macro agrees with the address lookup */
    uint32_t slot;
    EXPECT_EQ(t, vmx_msr_bitmap_slot(VMX_MSR_IA32_KERNEL_GS_BASE, &slot), 0);
    EXPECT_EQ(t, slot, VMX_MSR_BITMAP_SLOT_IA32_KERNEL_GS_BASE);
    EXPECT_EQ(t, vmx_msr_bitmap_slot(VMX_MSR_IA32_VMX_BASIC, &slot), 0);
    EXPECT_EQ(t, slot, VMX_MSR_BITMAP_SLOT_IA32_VMX_BASIC);
}

#!/bin/sh
# Usage: accessor-codegen.sh
# The zero-cost claim, measured: compiles (driver CFLAGS, -O2) functions that use the generated
# typed accessors (vmcs_read_guest_rip, vmcs_write_guest_cr0, vmcs_read_guest_cs_selector) and
# the same operations written by hand as inline-asm VMREAD/VMWRITE with a constant encoding,
# then counts each function's instructions with objdump. Two pairs of builds:
#   driver  the accessors over the driver's primitive (vmx/insn.h: fault fixup + status decode)
#           vs a hand-written asm with the same fixup and status decode
#   bare    the accessors over a bare VMREAD/VMWRITE vs a bare hand-written asm
# Exits 1 if any generated function is longer than its hand-written twin.
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
CC=${CC:-gcc}
OBJDUMP=${OBJDUMP:-objdump}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

CFLAGS="-std=gnu11 -O2 -ffreestanding -fno-pic -fno-pie -fno-stack-protector
        -fno-asynchronous-unwind-tables -mno-red-zone -mgeneral-regs-only -mcmodel=small
        -fcf-protection=none -nostdinc -isystem $($CC -print-file-name=include)
        -I$HERE/include -I$HERE/baremetal"

cat >"$WORK/driver.c" <<'C'
#include "vmx/insn.h"

/* generated accessors over the driver's VMREAD/VMWRITE primitive */
int gen_read_guest_rip(uint64_t *v) { return vmcs_read_guest_rip(v); }
int gen_write_guest_cr0(uint64_t x) { return vmcs_write_guest_cr0(x); }
int gen_read_guest_cs_selector(uint16_t *v) { return vmcs_read_guest_cs_selector(v); }

/* by hand: the same guarded instruction and status decode, the encoding a constant */
int hand_read_guest_rip(uint64_t *value)
{
    uint32_t flt; uint8_t cf, zf; uint64_t v = 0;
    __asm__ volatile(VMX_ASM_GUARDED("vmread %[enc], %[val]")
                     : [flt] "=&r"(flt), "=@ccc"(cf), "=@ccz"(zf), [val] "+r"(v)
                     : [enc] "r"((uint64_t)0x681E) : "memory");
    *value = v;
    return vmx_status(flt, cf, zf);
}
int hand_write_guest_cr0(uint64_t x)
{
    uint32_t flt; uint8_t cf, zf;
    __asm__ volatile(VMX_ASM_GUARDED("vmwrite %[val], %[enc]")
                     : [flt] "=&r"(flt), "=@ccc"(cf), "=@ccz"(zf)
                     : [enc] "r"((uint64_t)0x6800), [val] "r"(x) : "memory");
    return vmx_status(flt, cf, zf);
}
int hand_read_guest_cs_selector(uint16_t *value)
{
    uint32_t flt; uint8_t cf, zf; uint64_t v = 0;
    __asm__ volatile(VMX_ASM_GUARDED("vmread %[enc], %[val]")
                     : [flt] "=&r"(flt), "=@ccc"(cf), "=@ccz"(zf), [val] "+r"(v)
                     : [enc] "r"((uint64_t)0x0802) : "memory");
    *value = (uint16_t)v;
    return vmx_status(flt, cf, zf);
}
C

cat >"$WORK/bare.c" <<'C'
#include <stdint.h>
/* a bare primitive: VMREAD/VMWRITE, status 0 / 1 (CF or ZF) */
static inline int bare_vmread(uint64_t enc, uint64_t *value)
{
    uint8_t bad;
    __asm__ volatile("vmread %[enc], %[val]; setbe %[bad]"
                     : [val] "=r"(*value), [bad] "=r"(bad) : [enc] "r"(enc) : "cc", "memory");
    return bad;
}
static inline int bare_vmwrite(uint64_t enc, uint64_t value)
{
    uint8_t bad;
    __asm__ volatile("vmwrite %[val], %[enc]; setbe %[bad]"
                     : [bad] "=r"(bad) : [enc] "r"(enc), [val] "r"(value) : "cc", "memory");
    return bad;
}
#define VMXGEN_VMREAD(e, v) bare_vmread((e), (v))
#define VMXGEN_VMWRITE(e, v) bare_vmwrite((e), (v))
#include "vmx/generated/vmcs_fields.h"

int gen_read_guest_rip(uint64_t *v) { return vmcs_read_guest_rip(v); }
int gen_write_guest_cr0(uint64_t x) { return vmcs_write_guest_cr0(x); }
int gen_read_guest_cs_selector(uint16_t *v) { return vmcs_read_guest_cs_selector(v); }

int hand_read_guest_rip(uint64_t *v)
{
    uint8_t bad;
    __asm__ volatile("vmread %[enc], %[val]; setbe %[bad]"
                     : [val] "=r"(*v), [bad] "=r"(bad) : [enc] "r"((uint64_t)0x681E) : "cc", "memory");
    return bad;
}
int hand_write_guest_cr0(uint64_t x)
{
    uint8_t bad;
    __asm__ volatile("vmwrite %[val], %[enc]; setbe %[bad]"
                     : [bad] "=r"(bad) : [enc] "r"((uint64_t)0x6800), [val] "r"(x) : "cc", "memory");
    return bad;
}
int hand_read_guest_cs_selector(uint16_t *v)
{
    uint8_t bad; uint64_t raw;
    __asm__ volatile("vmread %[enc], %[val]; setbe %[bad]"
                     : [val] "=r"(raw), [bad] "=r"(bad) : [enc] "r"((uint64_t)0x0802) : "cc", "memory");
    *v = (uint16_t)raw;
    return bad;
}
C

# instructions of one function: those of .text within the symbol's size (nm -S), so the
# alignment padding after it is not counted. The fixup stubs live in .text.vmx_fixup and are
# the same for both versions.
count() { # OBJ FUNC
    size=$(nm -S "$1" | awk -v f="$2" '$4 == f { print $2 }')
    [ -n "$size" ] || { echo 0; return; }
    "$OBJDUMP" -d --no-show-raw-insn -j .text "$1" |
        awk -v f="<$2>:" -v size="$size" '
            function hex(s,   i, c, v) { v = 0; s = tolower(s)
                for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
                return v }
            $2 == f { on = 1; start = hex($1); end = start + hex(size); next }
            on && /^$/ { on = 0 }
            on && /^ *[0-9a-f]+:/ { a = $1; sub(/:$/, "", a); if (hex(a) < end) n++ }
            END { print n + 0 }'
}

status=0
printf '%-8s %-26s %10s %10s\n' build function generated hand
for build in driver bare; do
    # shellcheck disable=SC2086
    $CC $CFLAGS -c "$WORK/$build.c" -o "$WORK/$build.o"
    for fn in read_guest_rip write_guest_cr0 read_guest_cs_selector; do
        g=$(count "$WORK/$build.o" "gen_$fn")
        h=$(count "$WORK/$build.o" "hand_$fn")
        mark=""
        if [ "$g" -gt "$h" ]; then mark="  LONGER"; status=1; fi
        if [ "$g" -eq 0 ] || [ "$h" -eq 0 ]; then mark="  MISSING"; status=1; fi
        printf '%-8s %-26s %10s %10s%s\n' "$build" "$fn" "$g" "$h" "$mark"
    done
done
if [ "${CODEGEN_VERBOSE:-0}" = 1 ]; then
    "$OBJDUMP" -d --no-show-raw-insn "$WORK/driver.o" "$WORK/bare.o"
fi
[ $status = 0 ] && echo "accessor-codegen: every generated accessor is as short as the hand-written VMREAD/VMWRITE" \
                || echo "accessor-codegen: a generated accessor is longer than hand-written code"
exit $status

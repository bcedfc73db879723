#!/bin/sh
# Size of the generated VM-entry validator (include/vmx/generated/vmx_checks.h with VMX_CHECKS_IMPLEMENTATION),
# compiled alone, freestanding, at -O2 (OPT=-Os to compare) with each compiler given (default gcc and clang). Prints per compiler the
# bytes of vmx_check_vm_entry (nm -S), of every function the translation unit keeps (the inlined engine helpers
# gcc keeps out of line), and size(1)'s text/data/bss of the object (text includes .rodata: the check table).
# Usage: tools/checks-size.sh [CC...]
set -eu
DRIVER=$(cd "$(dirname "$0")/.." && pwd)
OUT=$DRIVER/build/checks-size
mkdir -p "$OUT"
printf '#define VMX_CHECKS_IMPLEMENTATION\n#include "vmx/generated/vmx_checks.h"\n' >"$OUT/checks.c"
# mawk has no strtonum: hex digits by hand.
HEX='function hex(s,  i, n) { n = 0; s = tolower(s); for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return n } '
[ $# -gt 0 ] || set -- gcc clang
for cc in "$@"; do
    obj=$OUT/checks-$cc.o
    "$cc" -std=c11 ${OPT:--O2} -Wall -Wextra -Werror -pedantic -ffreestanding -fno-pic -mno-red-zone -mgeneral-regs-only \
        -I"$DRIVER/include" -c "$OUT/checks.c" -o "$obj"
    entry=$(nm -S --size-sort "$obj" | awk "$HEX"'$4 == "vmx_check_vm_entry" { print hex($2) }')
    funcs=$(nm -S "$obj" | awk "$HEX"'$3 ~ /^[tT]$/ { n += hex($2) } END { print n + 0 }')
    text=$(size -A "$obj" | awk '$1 == ".text" { print $2 }')
    rodata=$(size -A "$obj" | awk '$1 ~ /^\.rodata/ { n += $2 } END { print n + 0 }')
    echo "$($cc --version | head -n 1): vmx_check_vm_entry=$entry functions=$funcs .text=$text .rodata=$rodata"
    size "$obj" | tail -n 1 | awk -v cc="$cc" '{ print "  size " cc ": text=" $1 " data=" $2 " bss=" $3 " total=" $4 }'
done

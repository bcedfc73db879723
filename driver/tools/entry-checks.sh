#!/bin/sh
# Usage: entry-checks.sh CASES_HEADER OUT_DIR MODEL...
# The entry_checks scenario (src/scenarios/entry_checks.c) over a generated case table: builds a kernel that includes
# CASES_HEADER (written by tests/Vmx.Consistency.Tests/Conformance) into build/conformance, an ISO whose GRUB entry
# passes only=entry_checks, and boots it on each MODEL, keeping OUT_DIR/MODEL/{serial.txt,bochs.log}.
# Prints "ENTRYRUN model=M wall=Ns" per model. The verdict is the C# comparison's, not this script's.
set -eu
CASES=$(realpath "${1:?usage: entry-checks.sh CASES_HEADER OUT_DIR MODEL...}")
OUT=$(mkdir -p "${2:?}" && realpath "$2")
shift 2
HERE=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$HERE/build/conformance

make -s -C "$HERE" BUILD="$BUILD" EXTRA_CFLAGS="-DVMX_ENTRY_CASES_H='\"$CASES\"'" "$BUILD/kernel.elf" >/dev/null

# An ISO whose kernel runs entry_checks from case $1 on.
iso_from() {
    rm -rf "$BUILD/iso" && mkdir -p "$BUILD/iso/boot/grub"
    cp "$BUILD/kernel.elf" "$BUILD/iso/boot/kernel.elf"
    sed "s|multiboot2 /boot/kernel.elf|multiboot2 /boot/kernel.elf only=entry_checks entry_from=$1|" \
        "$HERE/baremetal/grub.cfg" >"$BUILD/iso/boot/grub/grub.cfg"
    grub-mkrescue --install-modules="multiboot2 normal" --locales= --fonts= --themes= \
        -o "$BUILD/entry_checks.iso" "$BUILD/iso" 2>"$BUILD/grub-mkrescue.log" ||
        { cat "$BUILD/grub-mkrescue.log"; exit 1; }
}

# A case may kill the machine (a VMX abort on its VM exit, a triple fault in the host): the boot then ends without
# the scenario's result line, Bochs's log names the case (the kernel's RDMSR marker 0xc0deNNNN before each launch),
# and the next boot resumes after it. The lost case is recorded as "ENTRYLOST <index>".
for model in "$@"; do
    dir=$OUT/$model
    rm -rf "${dir:?}" && mkdir -p "$dir"
    : >"$dir/serial.txt"; : >"$dir/bochs.log"
    start=$(date +%s.%N)
    from=0 boots=0
    while [ "$boots" -lt "${ENTRY_MAX_BOOTS:-40}" ]; do
        boots=$((boots + 1))
        iso_from "$from"
        BOCHS_KEEP="$dir/boot" "$HERE/tools/run-bochs.sh" "$model" "$BUILD/entry_checks.iso" "${ENTRY_TIMEOUT:-40}" \
            >/dev/null 2>&1 || true
        cat "$dir/boot/serial.txt" >>"$dir/serial.txt"
        cat "$dir/boot/bochs.log" >>"$dir/bochs.log"
        grep -q '^SCENARIO entry_checks ' "$dir/boot/serial.txt" && break
        last=$(sed -n 's/.*RDMSR: Unknown register 0xc0de\([0-9a-f]\{4\}\).*/\1/p' "$dir/boot/bochs.log" | tail -1)
        [ -n "$last" ] || { echo "entry-checks: $model: boot from case $from ended without a case marker" >&2; break; }
        lost=$(printf '%d' "0x$last")
        [ "$lost" -ge "$from" ] || break
        echo "ENTRYLOST $lost" >>"$dir/serial.txt"
        from=$((lost + 1))
    done
    end=$(date +%s.%N)
    awk -v m="$model" -v s="$start" -v e="$end" -v b="$boots" 'BEGIN { printf "ENTRYRUN model=%s wall=%.2fs boots=%d\n", m, e - s, b }'
done

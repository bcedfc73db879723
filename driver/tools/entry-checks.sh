#!/usr/bin/env bash
# Usage: entry-checks.sh CASES_HEADER OUT_DIR MODEL...
# The entry_checks scenario (src/scenarios/entry_checks.c) over a generated case table: builds a kernel that includes
# CASES_HEADER (written by tests/Vmx.Consistency.Tests/Conformance) into build/conformance, an ISO whose GRUB entry
# passes only=entry_checks, and boots it on each MODEL, keeping OUT_DIR/MODEL/{serial.txt,bochs.log}.
# Prints "ENTRYRUN model=M wall=Ns" per model. The verdict is the C# comparison's, not this script's.
# Models run ENTRY_JOBS at a time (default: one per processor; each Bochs is one thread).
set -eu
CASES=$(realpath "${1:?usage: entry-checks.sh CASES_HEADER OUT_DIR MODEL...}")
OUT=$(mkdir -p "${2:?}" && realpath "$2")
shift 2
HERE=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$HERE/build/conformance

make -s -C "$HERE" BUILD="$BUILD" EXTRA_CFLAGS="-DVMX_ENTRY_CASES_H='\"$CASES\"'" "$BUILD/kernel.elf" >/dev/null

# iso_from DIR N: DIR/entry_checks.iso, whose kernel runs entry_checks from case N on.
iso_from() {
    rm -rf "$1/iso" && mkdir -p "$1/iso/boot/grub"
    cp "$BUILD/kernel.elf" "$1/iso/boot/kernel.elf"
    sed "s|multiboot2 /boot/kernel.elf|multiboot2 /boot/kernel.elf only=entry_checks entry_from=$2|" \
        "$HERE/baremetal/grub.cfg" >"$1/iso/boot/grub/grub.cfg"
    grub-mkrescue --install-modules="multiboot2 normal" --locales= --fonts= --themes= \
        -o "$1/entry_checks.iso" "$1/iso" 2>"$1/grub-mkrescue.log" ||
        { cat "$1/grub-mkrescue.log"; exit 1; }
}

# A case may kill the machine (a VMX abort on its VM exit, a triple fault in the host): the boot then ends without
# the scenario's result line, Bochs's log names the case (the kernel's RDMSR marker 0xc0deNNNN before each launch),
# and the next boot resumes after it. The lost case is recorded as "ENTRYLOST <index>".
# watch_boot PID DIR: waits for the boot (process group PID) to end; a machine that died stays in Bochs until the
# timeout, so the boot is ended early when Bochs logs a VMX abort (a case's VM exit failed: the CPU shuts down) or the
# serial output stops growing for ENTRY_IDLE seconds (default 15).
watch_boot() {
    local pid=$1 boot=$2 idle=0 size=-1 now
    while kill -0 "$pid" 2>/dev/null; do
        sleep 1
        if grep -q 'VMABORT' "$boot/bochs.log" 2>/dev/null; then sleep 1; break; fi
        now=$(stat -c %s "$boot/serial.txt" 2>/dev/null || echo 0)
        if [ "$now" = "$size" ]; then idle=$((idle + 1)); else idle=0 size=$now; fi
        [ "$idle" -lt "${ENTRY_IDLE:-15}" ] || break
    done
    # The boot's session (setsid): run-bochs.sh, and Bochs under timeout, which has a process group of its own.
    pkill -KILL -s "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

run_model() {
    model=$1
    dir=$OUT/$model
    rm -rf "${dir:?}" && mkdir -p "$dir"
    : >"$dir/serial.txt"; : >"$dir/bochs.log"
    start=$(date +%s.%N)
    from=0 boots=0 retried=-1
    while [ "$boots" -lt "${ENTRY_MAX_BOOTS:-60}" ]; do
        boots=$((boots + 1))
        iso_from "$dir" "$from"
        rm -rf "$dir/boot" && mkdir -p "$dir/boot"
        BOCHS_KEEP="$dir/boot" setsid "$HERE/tools/run-bochs.sh" "$model" "$dir/entry_checks.iso" "${ENTRY_TIMEOUT:-600}" \
            >/dev/null 2>&1 &
        watch_boot "$!" "$dir/boot"
        cat "$dir/boot/serial.txt" >>"$dir/serial.txt"
        cat "$dir/boot/bochs.log" >>"$dir/bochs.log"
        grep -q '^SCENARIO entry_checks ' "$dir/boot/serial.txt" && break
        last=$(sed -n 's/.*RDMSR: Unknown register 0xc0de\([0-9a-f]\{4\}\).*/\1/p' "$dir/boot/bochs.log" | tail -1)
        [ -n "$last" ] || { echo "entry-checks: $model: boot from case $from ended without a case marker" >&2; break; }
        lost=$(printf '%d' "0x$last")
        [ "$lost" -ge "$from" ] || break
        # A boot ended without a VMX abort (no output for ENTRY_IDLE seconds) may only have been starved on a busy
        # machine: that case runs once more before it counts as lost.
        if [ "$lost" != "$retried" ] && ! grep -q 'VMABORT' "$dir/boot/bochs.log"; then
            retried=$lost from=$lost
            continue
        fi
        echo "ENTRYLOST $lost" >>"$dir/serial.txt"
        from=$((lost + 1))
    done
    end=$(date +%s.%N)
    awk -v m="$model" -v s="$start" -v e="$end" -v b="$boots" 'BEGIN { printf "ENTRYRUN model=%s wall=%.2fs boots=%d\n", m, e - s, b }'
}

jobs=${ENTRY_JOBS:-$(nproc)} running=0
for model in "$@"; do
    if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
    run_model "$model" &
    running=$((running + 1))
done
wait

#!/bin/sh
# Usage: time-scenarios.sh [MODEL] [RUNS]
# Wall time of each Bochs scenario on its own: one ISO per scenario whose GRUB entry passes
# "only=NAME" to the kernel, plus "only=none" (boot and power-off alone). Each is booted RUNS times
# (default 3); the median of a scenario minus the median of the baseline is its wall time.
# A figure for the docs, not a test: Bochs's serial file is written in bursts, so per-scenario
# times cannot be read from one boot's output.
set -eu
MODEL=${1:-corei7_skylake_x}
RUNS=${2:-3}
HERE=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$HERE/build/timing
SCENARIOS="none caps_dump guest64_cpuid_loop realmode_ept error_paths vmcs_fields baseline_launch msr_bitmap"

make -s -C "$HERE" kernel
mkdir -p "$BUILD"
for s in $SCENARIOS; do
    rm -rf "$BUILD/iso-$s" && mkdir -p "$BUILD/iso-$s/boot/grub"
    cp "$HERE/build/kernel.elf" "$BUILD/iso-$s/boot/kernel.elf"
    sed "s|multiboot2 /boot/kernel.elf|multiboot2 /boot/kernel.elf only=$s|" "$HERE/baremetal/grub.cfg" \
        >"$BUILD/iso-$s/boot/grub/grub.cfg"
    grub-mkrescue --install-modules="multiboot2 normal" --locales= --fonts= --themes= \
        -o "$BUILD/$s.iso" "$BUILD/iso-$s" 2>"$BUILD/grub-$s.log"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

base=""
for s in $SCENARIOS; do
    times=""
    for _ in $(seq "$RUNS"); do
        t=$("$HERE/tools/run-bochs.sh" "$MODEL" "$BUILD/$s.iso" 2>&1 >/dev/null |
            sed -n 's/^BOCHS model=[^ ]* wall=\([0-9.]*\)s$/\1/p')
        times="$times $t"
    done
    m=$(echo "$times" | tr ' ' '\n' | grep . | median)
    if [ "$s" = none ]; then
        base=$m
        echo "TIME model=$MODEL boot_and_poweroff=${m}s (median of $RUNS)"
    else
        awk -v s="$s" -v m="$m" -v b="$base" -v model="$MODEL" -v r="$RUNS" \
            'BEGIN { printf "TIME model=%s %s=%.2fs (boot+scenario %.2fs, median of %s)\n", model, s, m - b, m, r }'
    fi
done

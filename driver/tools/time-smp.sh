#!/bin/sh
# Usage: time-smp.sh [MODEL] [RUNS] [CALLS]   (defaults: corei7_skylake_x, 3, 5000)
# Figures for driver/README.md, not a test. For 1, 2 and 4 CPUs: the median wall time of a boot
# running the SMP scenarios with the default 200 VMCALLs per guest run, and of one with CALLS;
# exits per second = the extra exits of the second / its extra wall time. A boot with N CPUs has
# N + (N >= 2) guest runs (vmx_cpu<i> each, smp_migrate), each CALLS VMCALL exits + one HLT exit.
set -eu
MODEL=${1:-corei7_skylake_x}
RUNS=${2:-3}
CALLS=${3:-5000}
HERE=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$HERE/build/smp
make -s -C "$HERE" kernel
mkdir -p "$BUILD"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
wall() { # ISO CPUS: median wall time of RUNS boots, which must all reach VMXGEN DONE without FAIL
    for _ in $(seq "$RUNS"); do
        BOCHS_CPUS=$2 "$HERE/tools/run-bochs.sh" "$MODEL" "$1" 300 2>&1 >/dev/null |
            sed -n 's/^BOCHS .* wall=\([0-9.]*\)s$/\1/p'
    done | median
}
for n in 1 2 4; do
    "$HERE/tools/smp-iso.sh" "$BUILD/time-$n-base.iso" "smp=$n"
    "$HERE/tools/smp-iso.sh" "$BUILD/time-$n-calls.iso" "smp=$n smp_calls=$CALLS"
    base=$(wall "$BUILD/time-$n-base.iso" "$n")
    more=$(wall "$BUILD/time-$n-calls.iso" "$n")
    awk -v n="$n" -v b="$base" -v m="$more" -v c="$CALLS" -v r="$RUNS" -v model="$MODEL" 'BEGIN {
        runs = n + (n >= 2); extra = runs * (c - 200)
        printf "TIME model=%s cpus=%d smp_boot=%.2fs (200 calls/run) with_%d_calls=%.2fs exits_per_s=%.0f (median of %d)\n",
               model, n, b, c, m, extra / (m - b), r }'
done

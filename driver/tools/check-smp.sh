#!/bin/sh
# Usage: check-smp.sh [MODEL] [CPU_COUNT...]   (defaults: corei7_skylake_x, 2 4)
# Boots build/kernel.elf with "smp=N" in Bochs with `cpu: count=N`, once per count, and prints one
# verdict line per step, "SMP <N>cpu <step> PASS|FAIL <details>" (tools/smp-verdict.sh: the steps
# every count needs are cpus_started, vmx_cpu0 .. vmx_cpu<N-1>, smp_migrate for N >= 2, vmx_off
# and done, each exactly once and PASS). With 2 among the counts, two more 2-CPU boots inject a
# failure into smp_migrate (smp_fail=first_half, second_half): it must fail and the rest pass.
# Exit status 0 when every step of every boot passed.
# Each boot's wall time goes to stderr ("BOCHS model=M cpus=N wall=S"). SMP_BOCHS_CPUS=K boots
# Bochs with K CPUs whatever N is (to see the verdict fail when the CPUs are not what was asked).
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
MODEL=${1:-corei7_skylake_x}
[ $# -gt 0 ] && shift
COUNTS=${*:-2 4}
BUILD=$HERE/build/smp
make -s -C "$HERE" kernel >&2
mkdir -p "$BUILD"
status=0

for n in $COUNTS; do
    iso=$BUILD/smp$n.iso
    "$HERE/tools/smp-iso.sh" "$iso" "smp=$n"
    out=$BUILD/serial-$n.txt
    BOCHS_CPUS=${SMP_BOCHS_CPUS:-$n} "$HERE/tools/run-bochs.sh" "$MODEL" "$iso" 120 >"$out" || true
    if ! "$HERE/tools/smp-verdict.sh" "$n" "$out"; then
        status=1
        echo "--- serial output of the ${n}-CPU boot:"; cat "$out"
    fi
done
# The failure paths of smp_migrate on 2 CPUs: a failure injected with the VMCS current on CPU 0,
# then on CPU 1; the step must fail and every CPU still leave VMX operation.
case " $COUNTS " in *" 2 "*)
    for point in first_half second_half; do
        iso=$BUILD/smp2-$point.iso
        "$HERE/tools/smp-iso.sh" "$iso" "smp=2 smp_fail=$point"
        out=$BUILD/serial-2-$point.txt
        BOCHS_CPUS=${SMP_BOCHS_CPUS:-2} "$HERE/tools/run-bochs.sh" "$MODEL" "$iso" 120 >"$out" || true
        echo "SMP 2cpu injecting smp_fail=$point:"
        if ! "$HERE/tools/smp-verdict.sh" 2 "$out" smp_migrate; then
            status=1
            echo "--- serial output of the 2-CPU boot with smp_fail=$point:"; cat "$out"
        fi
    done ;;
esac
exit $status

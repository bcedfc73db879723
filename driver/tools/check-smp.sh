#!/bin/sh
# Usage: check-smp.sh [MODEL] [CPU_COUNT...]   (defaults: corei7_skylake_x, 2 4)
# Boots build/kernel.elf with "smp=N" in Bochs with `cpu: count=N`, once per count, and prints one
# verdict line per step: "SMP <N>cpu <step> PASS|FAIL <details>". The steps every count needs:
# cpus_started (the kernel saw N CPUs online), vmx_cpu0 .. vmx_cpu<N-1> (each CPU: VMX on, a
# guest, VMX off), smp_migrate (N >= 2: a VMCS moved from CPU 0 to CPU 1), vmx_off (CR4.VMXE clear
# on every CPU at the end) and done (VMXGEN DONE). Each must be there exactly once and PASS; a
# missing, repeated or unknown step fails. Exit status 0 when every step of every count passed.
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
    expected="cpus_started"
    i=0
    while [ $i -lt "$n" ]; do expected="$expected vmx_cpu$i"; i=$((i + 1)); done
    [ "$n" -ge 2 ] && expected="$expected smp_migrate"
    expected="$expected vmx_off done"
    # the kernel's lines, as "step verdict details"
    steps=$(mktemp)
    {
        c=$(sed -n 's/^SMP cpus=\([0-9]*\)$/\1/p' "$out" | head -n 1)
        if [ "$c" = "$n" ]; then echo "cpus_started PASS cpus=$c"; else echo "cpus_started FAIL cpus=${c:-none}"; fi
        grep '^SMP [a-z_0-9]* \(PASS\|FAIL\)' "$out" | sed 's/^SMP //' || true
        grep -q '^VMXGEN DONE' "$out" && echo "done PASS" || echo "done FAIL no VMXGEN DONE"
    } >"$steps"
    for s in $expected; do
        k=$(grep -c "^$s " "$steps" || true)
        line=$(grep "^$s " "$steps" | head -n 1 || true)
        if [ "$k" -eq 0 ]; then
            echo "SMP ${n}cpu $s FAIL no result line"; status=1
        elif [ "$k" -gt 1 ]; then
            echo "SMP ${n}cpu $s FAIL $k result lines"; status=1
        else
            echo "SMP ${n}cpu $line"
            case "$line" in "$s PASS"*) ;; *) status=1 ;; esac
        fi
    done
    for s in $(cut -d' ' -f1 "$steps" | sort -u); do
        case " $expected " in *" $s "*) ;; *) echo "SMP ${n}cpu $s FAIL unexpected step"; status=1 ;; esac
    done
    if [ $status -ne 0 ]; then
        echo "--- serial output of the ${n}-CPU boot:"; cat "$out"
    fi
    rm -f "$steps"
done
exit $status

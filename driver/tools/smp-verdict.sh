#!/bin/sh
# Usage: smp-verdict.sh N SERIAL
# The verdict of check-smp.sh on the serial output SERIAL of a kernel booted with "smp=N" on N CPUs:
# one "SMP <N>cpu <step> PASS|FAIL <details>" line per step. The steps: cpus_started (the kernel
# printed "SMP cpus=N"), vmx_cpu0 .. vmx_cpu<N-1>, smp_migrate (N >= 2), vmx_off and done
# (VMXGEN DONE); each must be there exactly once and PASS; a missing, repeated or unknown step
# fails. Exit status 0 when every step passed.
set -eu
n=${1:?usage: smp-verdict.sh N SERIAL}
out=${2:?usage: smp-verdict.sh N SERIAL}
status=0
expected="cpus_started"
i=0
while [ $i -lt "$n" ]; do expected="$expected vmx_cpu$i"; i=$((i + 1)); done
[ "$n" -ge 2 ] && expected="$expected smp_migrate"
expected="$expected vmx_off done"
steps=$(mktemp)
trap 'rm -f "$steps"' EXIT
# the kernel's lines, as "step verdict details"
{
    c=$(sed -n 's/^SMP cpus=\([0-9]*\)$/\1/p' "$out" | head -n 1)
    if [ "$c" = "$n" ]; then echo "cpus_started PASS cpus=$c"; else echo "cpus_started FAIL cpus=${c:-none}"; fi
    grep '^SMP [a-z_0-9]* [A-Z]' "$out" | sed 's/^SMP //' || true
    if grep -q '^VMXGEN DONE' "$out"; then echo "done PASS"; else echo "done FAIL no VMXGEN DONE"; fi
} >"$steps"
for s in $expected; do
    k=$(grep -c "^$s " "$steps" || true)
    line=$(grep "^$s " "$steps" | head -n 1 || true)
    if [ "$k" -eq 0 ]; then
        echo "SMP ${n}cpu $s FAIL no result line"; status=1
    elif [ "$k" -gt 1 ]; then
        echo "SMP ${n}cpu $s FAIL $k result lines"; status=1
    else
        case "$line" in
            "$s PASS"*) echo "SMP ${n}cpu $line" ;;
            "$s FAIL"*) echo "SMP ${n}cpu $line"; status=1 ;;
            *) echo "SMP ${n}cpu $s FAIL neither PASS nor FAIL: $line"; status=1 ;;
        esac
    fi
done
for s in $(cut -d' ' -f1 "$steps" | sort -u); do
    case " $expected " in *" $s "*) ;; *) echo "SMP ${n}cpu $s FAIL unexpected step"; status=1 ;; esac
done
exit $status

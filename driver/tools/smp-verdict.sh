#!/bin/sh
# Usage: smp-verdict.sh N SERIAL [INJECTED_STEP]
# The verdict of check-smp.sh on the serial output SERIAL of a kernel booted with "smp=N" on N CPUs:
# one "SMP <N>cpu <step> PASS|FAIL <details>" line per step. The steps: cpus_started (the kernel
# printed "SMP cpus=N"), vmx_cpu0 .. vmx_cpu<N-1>, smp_migrate (N >= 2), vmx_off and done
# (VMXGEN DONE); each must be there exactly once and PASS; a missing, repeated or unknown step
# fails. Exit status 0 when every step passed.
# With INJECTED_STEP (a boot with "smp_fail=..."), that step must instead FAIL, the kernel must say
# the failure was injected, and every other step must still PASS (vmx_off: the failure path left
# VMX on every CPU); it is printed as "SMP <N>cpu <step>_fails_when_injected PASS|FAIL <details>".
set -eu
n=${1:?usage: smp-verdict.sh N SERIAL [INJECTED_STEP]}
out=${2:?usage: smp-verdict.sh N SERIAL [INJECTED_STEP]}
injected=${3:-}
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
    elif [ "$s" = "$injected" ]; then
        if grep -q '^SMP note .*injected' "$out" && case "$line" in "$s FAIL"*) true ;; *) false ;; esac; then
            echo "SMP ${n}cpu ${s}_fails_when_injected PASS ${line#"$s FAIL "}"
        else
            echo "SMP ${n}cpu ${s}_fails_when_injected FAIL not an injected failure: $line"; status=1
        fi
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

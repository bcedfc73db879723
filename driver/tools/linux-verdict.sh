#!/bin/sh
# Usage: linux-verdict.sh SERIAL [CPUS]   (CPUS: how many the kernel must have brought up, default 2)
# The verdict on the serial output of the Linux-in-Bochs test (linux/test/bochs-linux.sh, whose
# init script prints the lines read here):
#   T <step> rc=<exit status> [...]  a shell step (insmod, echo NAME > run, cpu online, rmmod)
#   S <tag> <line>                   .../vmxgen/status after that step: the module's bookkeeping
#   P <tag> <line>                   .../vmxgen/probe after it: CR4.VMXE (register, shadow) and
#                                    VMPTRST of each online CPU, read on that CPU
#   K <cpuN> SCENARIO|SMP ...        result lines of the scenarios, from the kernel log
#   W <line>                         a kernel warning, oops or BUG in the kernel log
#   T end                            init finished
# Prints one "C-TEST PASS|FAIL linux_<step> [why]" line per step below, always all of them;
# exit status 1 if any failed.
set -u
[ $# -ge 1 ] || { echo "usage: linux-verdict.sh SERIAL [CPUS]" >&2; exit 2; }
N=${2:-2}
# the serial port's lines end in CR LF
S=$(mktemp)
trap 'rm -f "$S"' EXIT
tr -d '\r' <"$1" >"$S"
status=0
LAST=$((N - 1))
cpus() { i=0; while [ $i -lt "$N" ]; do echo $i; i=$((i + 1)); done; }

verdict() { # step why ("" = pass)
    if [ -z "$2" ]; then
        echo "C-TEST PASS linux_$1"
    else
        echo "C-TEST FAIL linux_$1 $2"
        status=1
    fi
}
# the exit status of shell step $1 was 0
step_ok() { grep -q "^T $1 rc=0\( \|\$\)" "$S"; }
step_why() { # step: why it is not ok
    rc=$(sed -n "s/^T $1 rc=\([0-9]*\).*/\1/p" "$S" | head -n 1)
    if [ -z "$rc" ]; then echo "'$1' did not run"; else echo "'$1' exited $rc"; fi
}
# status line of cpu $2 after tag $1 says $3 (vmx-on, vmx-off)
status_is() { grep -q "^S $1 cpu$2 $3\( \|\$\)" "$S"; }
# the hardware of cpu $2 after tag $1: "in" = CR4.VMXE set in register and shadow, VMPTRST ran;
# "out" = CR4.VMXE clear in both, VMPTRST raised #UD
probe_is() {
    case $3 in
        in) grep -q "^P $1 cpu$2 cr4.vmxe=1 shadow.vmxe=1 vmx-operation vmptrst=0x" "$S" ;;
        out) grep -q "^P $1 cpu$2 cr4.vmxe=0 shadow.vmxe=0 no-vmx-operation " "$S" ;;
    esac
}
probe_line() { sed -n "s/^P $1 cpu$2 //p" "$S" | head -n 1; }
# every CPU, after tag $1: status $2 (or "-": not checked) and hardware $3
all_cpus() {
    for c in $(cpus); do
        if [ "$2" != - ] && ! status_is "$1" "$c" "$2"; then
            echo "cpu$c status after '$1' is not $2: $(sed -n "s/^S $1 cpu$c //p" "$S" | head -n 1)"
            return
        fi
        if ! probe_is "$1" "$c" "$3"; then
            echo "cpu$c hardware after '$1' is not $3 VMX operation: $(probe_line "$1" "$c")"
            return
        fi
    done
}
# kernel-log result lines: exactly one per CPU (of the list given, else every CPU), each PASS
scenario_on_all() { # name [cpu...]
    name=$1; shift
    for c in ${*:-$(cpus)}; do
        n=$(grep -c "^K cpu$c SCENARIO $name " "$S")
        [ "$n" -eq 1 ] || { echo "$n result lines of $name on cpu$c"; return; }
        grep -q "^K cpu$c SCENARIO $name PASS" "$S" ||
            { echo "cpu$c: $(sed -n "s/^K cpu$c SCENARIO $name //p" "$S" | cut -c 1-160)"; return; }
    done
}
smp_step() { # SMP step name: exactly one line, PASS
    n=$(grep -c "^K cpu[0-9]* SMP $1 " "$S")
    [ "$n" -eq 1 ] || { echo "$n result lines of SMP $1"; return; }
    grep -q "^K cpu[0-9]* SMP $1 PASS" "$S" ||
        echo "$(sed -n "s/^K cpu[0-9]* SMP $1 //p" "$S" | cut -c 1-160)"
}
first() { for w in "$@"; do [ -n "$w" ] && { echo "$w"; return; }; done; }
finished=""
if ! grep -q '^T end$' "$S"; then
    crash=$(grep -m 1 -E 'Kernel panic|kernel BUG|BUG:|Oops:|general protection fault' "$S" | cut -c 1-120)
    finished=" (init did not finish: ${crash:-timeout or hang})"
fi

# boot: the kernel ran init with CPUs 0 .. N-1 online
online=$(sed -n 's/^T boot online=//p' "$S" | head -n 1)
want=0; [ "$N" -gt 1 ] && want="0-$LAST"
why=""
[ "$online" = "$want" ] || why="online CPUs '${online:-none}', expected $want$finished"
verdict boot "$why"

why=""; step_ok load || why="$(step_why load)"
verdict load "$(first "$why" "$(all_cpus loaded vmx-on in)")"

why=""; step_ok caps || why="$(step_why caps): no capability MSRs in debugfs caps"
verdict caps "$why"

# vmcs_fields runs on CPU 0 only (Bochs 2.7's other CPUs answer VMREAD of fields that do not exist)
for run in guest64_cpuid_loop error_paths vmcs_fields:0 baseline_launch; do
    name=${run%%:*}; on=""; [ "$name" = "$run" ] || on=${run#*:}
    why=""; step_ok "run_$name" || why="$(step_why "run_$name")"
    verdict "$name" "$(first "$why" "$(scenario_on_all "$name" $on)")"
done

why=""; step_ok run_smp || why="$(step_why run_smp)"
each=""
for c in $(cpus); do each=$(first "$each" "$(smp_step "vmx_cpu$c")"); done
verdict smp_each_cpu "$(first "$why" "$each" "$(smp_step vmx_off)")"
verdict smp_migrate "$(first "$why" "$(smp_step smp_migrate)")"

# after all scenarios, every CPU is back in VMX operation (the module re-entered it)
verdict vmx_after_scenarios "$(all_cpus scenarios vmx-on in)"

# CPU N-1 offline: left VMX (status), the others still in it; online: re-entered (its hardware)
why=""; step_ok offline || why="$(step_why offline)"
[ -n "$why" ] || status_is offline "$LAST" vmx-off || why="cpu$LAST status after offline: $(sed -n "s/^S offline cpu$LAST //p" "$S" | head -n 1)"
[ -n "$why" ] || ! grep -q "^P offline cpu$LAST " "$S" || why="cpu$LAST still answers the probe after offline"
if [ -z "$why" ]; then
    for c in $(cpus); do
        [ "$c" -eq "$LAST" ] && continue
        probe_is offline "$c" in || { why="cpu$c not in VMX operation while cpu$LAST is offline"; break; }
    done
fi
verdict cpu_offline "$why"
why=""; step_ok online || why="$(step_why online)"
[ -n "$why" ] || status_is online "$LAST" vmx-on || why="cpu$LAST status after online: $(sed -n "s/^S online cpu$LAST //p" "$S" | head -n 1)"
[ -n "$why" ] || probe_is online "$LAST" in || why="cpu$LAST hardware after online: $(probe_line online "$LAST")"
verdict cpu_online "$why"

# unload: nothing left in VMX operation (probed by a caps_only load, which does not touch VMX)
why=""; step_ok unload || why="$(step_why unload)"
[ -n "$why" ] || step_ok probe_unloaded || why="$(step_why probe_unloaded)"
verdict unload "$(first "$why" "$(all_cpus unloaded - out)")"

why=""; step_ok reload || why="$(step_why reload)"
why=$(first "$why" "$(all_cpus reloaded vmx-on in)")
[ -n "$why" ] || step_ok reunload || why="$(step_why reunload)"
[ -n "$why" ] || step_ok probe_final || why="$(step_why probe_final)"
verdict reload "$(first "$why" "$(all_cpus final - out)")"

why=""
w=$(grep -m 1 '^W ' "$S" | cut -c 3-160)
[ -z "$w" ] || why="kernel log: $w"
[ -n "$why" ] || [ -z "$finished" ] || why="${finished# }"
verdict kernel_clean "$why"
exit $status

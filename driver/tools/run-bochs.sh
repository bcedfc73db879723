#!/bin/sh
# Usage: run-bochs.sh MODEL [ISO] [TIMEOUT_SECONDS]
# Boots the vmxgen ISO in Bochs with the given CPU model (e.g. corei7_skylake_x, tigerlake,
# corei5_lynnfield_750, core2_penryn_t9600), headless, and prints what the kernel wrote to COM1.
# Exit status 0 when the kernel reached "VMXGEN DONE" and no scenario printed FAIL.
# Set BOCHS_KEEP=DIR to keep bochsrc, bochs.log and serial.txt in DIR; BOCHS_CPUS=N for N CPUs (default 1).
set -eu

MODEL=${1:?usage: run-bochs.sh MODEL [ISO] [TIMEOUT_SECONDS]}
HERE=$(cd "$(dirname "$0")/.." && pwd)
ISO=$(realpath "${2:-$HERE/build/vmxgen.iso}")
TIMEOUT=${3:-60}

if [ -n "${BOCHS_KEEP:-}" ]; then
    WORK=$BOCHS_KEEP
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi

# ignore_bad_msrs=0: unknown MSRs raise #GP. The debugger built into Debian's Bochs is told to
# continue by cont.rc.
"$HERE/tools/bochsrc.sh" "$MODEL" "${BOCHS_CPUS:-1}" 64 10000000 0 "$ISO" "$WORK" >"$WORK/bochsrc"
echo c >"$WORK/cont.rc"
: >"$WORK/serial.txt"

start=$(date +%s.%N)
# Bochs ignores SIGTERM while the CPU halts: -k sends SIGKILL 5 s later. Its exit status is not
# the verdict (the Shutdown port counts as a panic); the serial output is.
(cd "$WORK" && TERM=dumb timeout -k 5 "$TIMEOUT" bochs -q -f bochsrc -rc cont.rc \
    </dev/null >"$WORK/bochs.out" 2>&1) || true
end=$(date +%s.%N)

cat "$WORK/serial.txt"
awk -v m="$MODEL" -v s="$start" -v e="$end" -v c="${BOCHS_CPUS:-1}" 'BEGIN { printf "BOCHS model=%s%s wall=%.2fs\n", m, (c == 1 ? "" : " cpus=" c), e - s }' >&2

grep -q '^VMXGEN DONE' "$WORK/serial.txt" || { echo "run-bochs: no VMXGEN DONE (timeout or crash)" >&2; exit 1; }
if grep -q '^SCENARIO [^ ]* FAIL' "$WORK/serial.txt"; then exit 1; fi
exit 0

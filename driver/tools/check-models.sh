#!/bin/sh
# Usage: check-models.sh ISO MODEL...
# Boots ISO in Bochs once per CPU model, prints each result line, and fails unless every model
# reached VMXGEN DONE with each of the seven scenarios printing exactly one result line, PASS or
# an allowed SKIP. The only allowed SKIP is realmode_ept's, and only when the allowed-1 bit its
# line names ("requires=0x<msr>:<bit>") is 0 in the model's tests/fixtures/caps/<model>.json
# (EPT or unrestricted guest not allowed there); any other SKIP fails.
# With UPDATE_CAPS=1 it also writes each model's capability dump to
# tests/fixtures/caps/<model>.json, with UPDATE_VMCS=1 the VMCS dump of the 64-bit guest after its
# HLT exit to tests/fixtures/vmcs/<model>.json, with UPDATE_EXISTS=1 the VMREAD outcome of every
# VMCS field (scenario vmcs_fields' VMCSEXIST block) to tests/fixtures/vmread/<model>.txt.
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
ISO=${1:?usage: check-models.sh ISO MODEL...}
shift
FIXTURES=$HERE/../tests/fixtures
SCENARIOS="caps_dump guest64_cpuid_loop realmode_ept error_paths vmcs_fields baseline_launch msr_bitmap"

status=0

# save FILE COMMAND...: COMMAND's output (a dump taken from the serial output) becomes FILE; a
# run without the dump leaves FILE as it was and fails.
save() {
    file=$1; shift
    mkdir -p "$(dirname "$file")"
    if "$@" >"$file.tmp"; then
        mv "$file.tmp" "$file"
        echo "$model: wrote $(realpath "$file")"
    else
        rm -f "$file.tmp"
        echo "FAIL $model: no complete dump for $file in the serial output"
        status=1
    fi
}
# fixture_bit_clear MODEL MSR BIT: the capability fixture of MODEL reports MSR (0x48b) with BIT
# clear, or MSR raises #GP there ("gp": the controls it reports cannot be 1).
fixture_bit_clear() {
    f=$FIXTURES/caps/$1.json
    [ -f "$f" ] || return 1
    v=$(sed -n "s/^ *\"$2\": *\"\([^\"]*\)\".*/\1/p" "$f")
    [ -n "$v" ] || return 1
    [ "$v" = gp ] && return 0
    # one hex digit at a time: shell arithmetic is signed 64-bit, these values may use bit 63
    hex=$(printf '%s' "${v#0x}" | awk '{ printf "%016s", $0 }' | tr ' ' 0)
    [ ${#hex} -eq 16 ] || return 1
    digit=$(printf '%s' "$hex" | cut -c $((16 - $3 / 4)))
    [ $(( (0x$digit >> ($3 % 4)) & 1 )) -eq 0 ]
}

for model in "$@"; do
    out=$(mktemp)
    "$HERE/tools/run-bochs.sh" "$model" "$ISO" >"$out" 2>"$out.err" || true
    cat "$out.err" >&2
    if ! grep -q '^VMXGEN DONE' "$out"; then
        echo "FAIL $model: no VMXGEN DONE"; cat "$out"; status=1
    fi
    for s in $SCENARIOS; do
        n=$(grep -c "^SCENARIO $s " "$out" || true)
        line=$(grep "^SCENARIO $s " "$out" | head -n 1 || true)
        if [ "$n" -gt 1 ]; then
            echo "FAIL $model: scenario $s printed $n result lines"; status=1; continue
        fi
        case "$line" in
            "SCENARIO $s PASS"*) echo "$model: $line" ;;
            "SCENARIO realmode_ept SKIP "*requires=0x*:*)
                req=${line##*requires=}; msr=${req%%:*}; bit=${req#*:}; bit=${bit%% *}
                if fixture_bit_clear "$model" "$msr" "$bit"; then
                    echo "$model: $line (allowed: $msr bit $bit is 0 in tests/fixtures/caps/$model.json)"
                else
                    echo "FAIL $model: $line: $msr bit $bit is not 0 in tests/fixtures/caps/$model.json"; status=1
                fi ;;
            *) echo "FAIL $model: scenario $s: ${line:-no result line}"; status=1 ;;
        esac
    done
    # Where the generated VM-entry checks and this CPU model disagree about a VMCS (vmx_checks.c):
    # not a verdict line, but never hidden.
    grep '^VMXCHECK DISAGREE' "$out" | sed "s/^/$model: /" || true
    others=$(grep '^SCENARIO ' "$out" | awk -v known="$SCENARIOS" '
        BEGIN { n = split(known, k, " "); for (i = 1; i <= n; i++) ok[k[i]] = 1 }
        !($2 in ok) { print $2 }')
    if [ -n "$others" ]; then
        echo "FAIL $model: unexpected scenarios: $others"; status=1
    fi
    if [ "${UPDATE_CAPS:-0}" = 1 ]; then
        save "$FIXTURES/caps/$model.json" "$HERE/tools/caps-json.sh" "$model" <"$out"
    fi
    if [ "${UPDATE_VMCS:-0}" = 1 ]; then
        save "$FIXTURES/vmcs/$model.json" "$HERE/tools/serial-block.sh" VMCSDUMP <"$out"
    fi
    if [ "${UPDATE_EXISTS:-0}" = 1 ]; then
        save "$FIXTURES/vmread/$model.txt" "$HERE/tools/serial-block.sh" VMCSEXIST <"$out"
    fi
    rm -f "$out" "$out.err"
done
exit $status

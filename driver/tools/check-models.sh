#!/bin/sh
# Usage: check-models.sh ISO MODEL...
# Boots ISO in Bochs once per CPU model, prints each result line, and fails unless every model
# reached VMXGEN DONE with all five scenarios PASS or SKIP. With UPDATE_CAPS=1 it also writes
# each model's capability dump to tests/fixtures/caps/<model>.json, with UPDATE_VMCS=1 the VMCS
# dump of the 64-bit guest after its HLT exit to tests/fixtures/vmcs/<model>.json.
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
ISO=${1:?usage: check-models.sh ISO MODEL...}
shift
FIXTURES=$HERE/../tests/fixtures
SCENARIOS="caps_dump guest64_cpuid_loop realmode_ept error_paths vmcs_fields"

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
for model in "$@"; do
    out=$(mktemp)
    "$HERE/tools/run-bochs.sh" "$model" "$ISO" >"$out" 2>"$out.err" || true
    cat "$out.err" >&2
    if ! grep -q '^VMXGEN DONE' "$out"; then
        echo "FAIL $model: no VMXGEN DONE"; cat "$out"; status=1
    fi
    for s in $SCENARIOS; do
        line=$(grep "^SCENARIO $s " "$out" || true)
        case "$line" in
            "SCENARIO $s PASS"*|"SCENARIO $s SKIP"*) echo "$model: $line" ;;
            *) echo "FAIL $model: scenario $s: ${line:-no result line}"; status=1 ;;
        esac
    done
    if [ "${UPDATE_CAPS:-0}" = 1 ]; then
        save "$FIXTURES/caps/$model.json" "$HERE/tools/caps-json.sh" "$model" <"$out"
    fi
    if [ "${UPDATE_VMCS:-0}" = 1 ]; then
        save "$FIXTURES/vmcs/$model.json" "$HERE/tools/serial-block.sh" VMCSDUMP <"$out"
    fi
    rm -f "$out" "$out.err"
done
exit $status

#!/bin/sh
# Usage: check-models.sh ISO MODEL...
# Boots ISO in Bochs once per CPU model, prints each result line, and fails unless every model
# reached VMXGEN DONE with all five scenarios PASS or SKIP. With UPDATE_CAPS=1 it also writes
# each model's capability dump to tests/fixtures/caps/<model>.json.
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
ISO=${1:?usage: check-models.sh ISO MODEL...}
shift
FIXTURES=$HERE/../tests/fixtures/caps
SCENARIOS="caps_dump guest64_cpuid_loop realmode_ept error_paths vmcs_fields"

status=0
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
        mkdir -p "$FIXTURES"
        "$HERE/tools/caps-json.sh" "$model" <"$out" >"$FIXTURES/$model.json"
        echo "$model: wrote $(realpath "$FIXTURES/$model.json")"
    fi
    rm -f "$out" "$out.err"
done
exit $status

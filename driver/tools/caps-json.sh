#!/bin/sh
# Usage: caps-json.sh MODEL < serial.txt > caps.json
# Turns the kernel's CAPS BEGIN/END block into one JSON object:
#   {"model": MODEL, "msrs": {"0x480": "0x00d810000000002b", ..., "0x492": "gp"}}
# Exits 1 when the serial output holds no complete CAPS block.
set -eu
MODEL=${1:?usage: caps-json.sh MODEL < serial.txt}

awk -v model="$MODEL" '
    /^CAPS BEGIN/ { inside = 1; n = 0; next }
    /^CAPS END/   { if (inside) done = 1; inside = 0; next }
    inside && /^CAPS \{/ {
        msr = $0; sub(/.*"msr":"/, "", msr); sub(/".*/, "", msr)
        if ($0 ~ /"gp":true/) val = "gp"
        else { val = $0; sub(/.*"value":"/, "", val); sub(/".*/, "", val) }
        keys[n] = msr; vals[n] = val; n++
    }
    END {
        if (!done) exit 1
        printf "{\n  \"model\": \"%s\",\n  \"msrs\": {\n", model
        for (i = 0; i < n; i++)
            printf "    \"%s\": \"%s\"%s\n", keys[i], vals[i], (i + 1 < n ? "," : "")
        printf "  }\n}\n"
    }
'

#!/bin/sh
# Usage: serial-block.sh NAME < serial.txt
# Prints the lines between "NAME BEGIN" and "NAME END" (the last such block) of the bare-metal
# kernel's serial output, without the markers: the JSON a dump printed (CAPS, VMCSDUMP), the
# field-existence list (VMCSEXIST).
# Exits 1 when there is no complete block.
set -eu
NAME=${1:?usage: serial-block.sh NAME < serial.txt}
awk -v b="$NAME BEGIN" -v e="$NAME END" '
    $0 == b { inside = 1; n = 0; next }
    $0 == e { if (inside) { done = 1; m = n; for (i = 0; i < n; i++) out[i] = buf[i] } inside = 0; next }
    inside { buf[n++] = $0 }
    END { if (!done) exit 1; for (i = 0; i < m; i++) print out[i] }
'

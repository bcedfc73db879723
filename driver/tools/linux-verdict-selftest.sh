#!/bin/sh
# The Linux-in-Bochs verdict (tools/linux-verdict.sh) on hand-written serial outputs in
# tests/linux-verdict/: pass*.txt must pass every step (15 lines, none failing; pass-crlf.txt with the
# serial port's line ends);
# fail-<step>-<why>.txt must fail, and fail that step. One "C-TEST PASS|FAIL linux_verdict_<case>"
# line each.
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
STEPS=15
status=0
for f in "$HERE"/tests/linux-verdict/*.txt; do
    case=$(basename "$f" .txt)
    out=$("$HERE/tools/linux-verdict.sh" "$f" 2); rc=$?
    case "$case" in
        pass*)
            if [ $rc -eq 0 ] && [ "$(echo "$out" | grep -c '^C-TEST PASS linux_')" -eq $STEPS ] &&
                ! echo "$out" | grep -qv '^C-TEST PASS linux_'; then r=PASS; else r=FAIL; fi ;;
        fail-*)
            step=$(echo "$case" | cut -d- -f2)
            if [ $rc -ne 0 ] && echo "$out" | grep -q "^C-TEST FAIL linux_$step "; then r=PASS; else r=FAIL; fi ;;
        *) r=FAIL ;;
    esac
    [ $r = PASS ] || { status=1; echo "$out" | grep -v '^C-TEST PASS' >&2; }
    echo "C-TEST $r linux_verdict_$case"
done
exit $status

#!/bin/sh
# check-smp.sh's verdict (tools/smp-verdict.sh) on hand-written serial outputs in
# tests/smp-verdict/: pass-<N>.txt must pass for N CPUs; fail-<N>-<why>.txt must fail, and the
# failing step must be named; inject-<N>-*.txt / injectfail-<N>-*.txt are boots with a failure
# injected into smp_migrate, which must pass / fail as such. One "C-TEST PASS|FAIL smp_verdict_<case>" line each.
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
status=0
for f in "$HERE"/tests/smp-verdict/*.txt; do
    case=$(basename "$f" .txt)
    n=$(echo "$case" | cut -d- -f2)
    case "$case" in inject*) step=smp_migrate ;; *) step= ;; esac
    out=$("$HERE/tools/smp-verdict.sh" "$n" "$f" $step); rc=$?
    case "$case" in
        pass-* | inject-*) if [ $rc -eq 0 ] && ! echo "$out" | grep -q ' FAIL'; then r=PASS; else r=FAIL; fi ;;
        fail-* | injectfail-*) if [ $rc -ne 0 ] && echo "$out" | grep -q "^SMP ${n}cpu [a-z_0-9]* FAIL"; then r=PASS; else r=FAIL; fi ;;
        *) r=FAIL ;;
    esac
    [ $r = PASS ] || status=1
    echo "C-TEST $r smp_verdict_$case"
done
exit $status

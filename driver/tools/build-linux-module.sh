#!/bin/sh
# Builds the Linux kernel module (driver/linux) against the newest Debian kernel headers
# installed (/usr/src/linux-headers-*-amd64; see install-deps.sh), out of tree in
# driver/build/linux, and checks the result. Prints exactly two lines on stdout:
#   C-TEST PASS|FAIL linux_module_build [why]     kbuild + modpost with -Werror, no warnings
#   C-TEST PASS|FAIL linux_module_symbols [why]   init/exit, license, vermagic, and every undefined
#                                                 symbol exported by the kernel itself
# The kbuild log is driver/build/linux/build.log (its tail goes to stderr on failure).
# Usage: build-linux-module.sh [KDIR]   (default: the newest /usr/src/linux-headers-*-amd64)
set -u

DRIVER=$(cd "$(dirname "$0")/.." && pwd)
OUT="$DRIVER/build/linux"
LOG="$OUT/build.log"
KO="$OUT/vmxgen.ko"

pass() { echo "C-TEST PASS $1"; }
fail() { echo "C-TEST FAIL $1 $2"; }

KDIR=${1:-}
if [ -z "$KDIR" ]; then
    KDIR=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
fi
if [ -z "$KDIR" ] || [ ! -f "$KDIR/Makefile" ] || [ ! -f "$KDIR/Module.symvers" ]; then
    fail linux_module_build "no Debian kernel headers (/usr/src/linux-headers-*-amd64): run driver/tools/install-deps.sh"
    fail linux_module_symbols "not built"
    exit 1
fi
RELEASE=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$KDIR/include/generated/utsrelease.h" 2>/dev/null)

# A fresh build each time, so that every warning of every file is seen.
rm -rf "$OUT"
mkdir -p "$OUT"
if ! make -C "$DRIVER/linux" KDIR="$KDIR" OUT="$OUT" >"$LOG" 2>&1; then
    tail -n 30 "$LOG" >&2
    why=$(grep -m 1 -E 'error|ERROR' "$LOG" | sed "s|$OUT/||g" | cut -c 1-200)
    fail linux_module_build "kbuild against $RELEASE failed: ${why:-see $LOG}"
    fail linux_module_symbols "not built"
    exit 1
fi
# -Werror covers the compiler; objtool and modpost only warn, and a warning is a failure here.
warnings=$(grep -i 'warning' "$LOG" | head -n 1)
if [ -n "$warnings" ]; then
    tail -n 30 "$LOG" >&2
    fail linux_module_build "warning against $RELEASE: $(echo "$warnings" | sed "s|$OUT/||g" | cut -c 1-200)"
    build_ok=0
elif [ ! -f "$KO" ]; then
    fail linux_module_build "kbuild succeeded but $KO is missing"
    fail linux_module_symbols "not built"
    exit 1
else
    pass linux_module_build
    build_ok=1
fi

# ---- the .ko itself ----
problem=""
modinfo_field() { readelf -p .modinfo "$KO" 2>/dev/null | sed -n "s/^ *\[ *[0-9a-f]*\]  $1=//p"; }

license=$(modinfo_field license)
case "$license" in
    "GPL" | "GPL v2" | "GPL and additional rights" | "Dual BSD/GPL" | "Dual MIT/GPL" | "Dual MPL/GPL") ;;
    *) problem="license '$license' is not GPL-compatible (the module uses GPL-only exports)" ;;
esac
name=$(modinfo_field name)
[ -n "$problem" ] || [ "$name" = vmxgen ] || problem="module name is '$name', expected vmxgen"
vermagic=$(modinfo_field vermagic)
[ -n "$problem" ] || [ "${vermagic%% *}" = "$RELEASE" ] ||
    problem="vermagic '$vermagic' does not match the headers' release $RELEASE"
depends=$(modinfo_field depends)
[ -n "$problem" ] || [ -z "$depends" ] || problem="depends on other modules: $depends"

# module_init/module_exit: init_module and cleanup_module, defined, global, in .init.text/.exit.text
for sym in init_module:.init.text cleanup_module:.exit.text; do
    [ -n "$problem" ] && break
    s=${sym%%:*} sec=${sym#*:}
    nm "$KO" | grep -q " T $s\$" || { problem="$s is not a defined global function"; break; }
    ndx=$(readelf -sW "$KO" | awk -v s="$s" '$8 == s { print $7 }')
    secname=$(readelf -SW "$KO" | sed -n "s/^ *\[ *$ndx\] \([^ ]*\) .*/\1/p")
    [ "$secname" = "$sec" ] || problem="$s is in section '$secname', expected $sec"
done

# Every undefined symbol must be exported by vmlinux (per the headers' Module.symvers), which is
# what modpost checked too; the module itself exports nothing.
if [ -z "$problem" ]; then
    missing=$(nm -u "$KO" | awk '{ print $2 }' | sort -u |
        awk -v symvers="$KDIR/Module.symvers" '
            BEGIN { while ((getline l < symvers) > 0) { split(l, f, "\t"); if (f[3] == "vmlinux") ok[f[2]] = 1 } }
            !($1 in ok) { printf "%s ", $1 }')
    [ -z "$missing" ] || problem="undefined symbols not exported by vmlinux: $missing"
fi
if [ -z "$problem" ] && [ -s "$OUT/Module.symvers" ]; then
    problem="the module exports symbols: $(cut -f 2 "$OUT/Module.symvers" | tr '\n' ' ')"
fi
if [ -z "$problem" ] && ! grep -q '^.*vmxgen\.o$\|vmxgen\.ko$' "$OUT/modules.order"; then
    problem="modpost did not list vmxgen in modules.order"
fi

if [ -n "$problem" ]; then
    fail linux_module_symbols "$problem"
    exit 1
fi
pass linux_module_symbols
[ "$build_ok" = 1 ] || exit 1
exit 0

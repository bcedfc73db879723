#!/bin/sh
# The Linux module in Debian's own kernel, in Bochs with 2 emulated VMX CPUs (TestC of build.cake):
# boot, load (every CPU in VMX operation), caps, the core's scenarios through debugfs run
# (guest64_cpuid_loop, error_paths, baseline_launch on each CPU, vmcs_fields on CPU 0; smp: every
# CPU on its own and smp_migrate from CPU 0 to 1), CPU 1 offline and online, unload, reload; after each step
# the status and probe files (probe: CR4.VMXE and VMPTRST read on each CPU). The verdict is
# tools/linux-verdict.sh: one "C-TEST PASS|FAIL linux_<step> [why]" line per step.
# Needs the module (tools/build-linux-module.sh), bochs, grub-mkrescue, xorriso, a static busybox
# (busybox-static) and the linux-image package matching the module's vermagic, fetched once with
# `apt-get download` into driver/build/linux-bochs (reused by later runs). When something is
# missing: C-TEST FAIL linux_boot with CI=true, else C-TEST SKIP linux_bochs.
# The files of the last run stay in driver/build/linux-bochs/run (serial.txt, bochs.log).
# Environment: MODEL (corei7_skylake_x), CPUS (2), IPS (Bochs ips), CPU_LIMIT (Bochs CPU seconds,
# 600), TIMEOUT (wall seconds, 3600).
set -u
DRIVER=$(cd "$(dirname "$0")/../.." && pwd)
KO="$DRIVER/build/linux/vmxgen.ko"
CACHE="$DRIVER/build/linux-bochs"
WORK="$CACHE/run"
MODEL=${MODEL:-corei7_skylake_x}
CPUS=${CPUS:-2}
IPS=${IPS:-20000000}

missing() { # why: a missing prerequisite fails in CI and is skipped elsewhere
    if [ "${CI:-}" = true ]; then
        echo "C-TEST FAIL linux_boot $1"
        exit 1
    fi
    echo "C-TEST SKIP linux_bochs $1"
    exit 0
}
[ -f "$KO" ] || { echo "C-TEST FAIL linux_boot no $KO: run tools/build-linux-module.sh first"; exit 1; }
for t in bochs grub-mkrescue xorriso dpkg-deb apt-get; do
    command -v $t >/dev/null || missing "$t not installed (tools/install-deps.sh)"
done
BUSYBOX=""
for b in /bin/busybox "$(command -v busybox 2>/dev/null)"; do
    [ -n "$b" ] && file -L "$b" 2>/dev/null | grep -q 'statically linked' && { BUSYBOX=$b; break; }
done
[ -n "$BUSYBOX" ] || missing "no static busybox (busybox-static, tools/install-deps.sh)"
RELEASE=$(readelf -p .modinfo "$KO" | sed -n 's/.*vermagic=\([^ ]*\).*/\1/p')

mkdir -p "$CACHE"
VMLINUZ="$CACHE/vmlinuz-$RELEASE"
if [ ! -f "$VMLINUZ" ]; then
    pkg="linux-image-$RELEASE"
    # the package lists may not know the image yet (a fresh container): update them once
    if ! ls "$CACHE/${pkg}"_*.deb >/dev/null 2>&1 &&
        ! (cd "$CACHE" && apt-get download "$pkg") >"$CACHE/apt.log" 2>&1; then
        [ "$(id -u)" -eq 0 ] && apt-get update >>"$CACHE/apt.log" 2>&1
        (cd "$CACHE" && apt-get download "$pkg") >>"$CACHE/apt.log" 2>&1 ||
            missing "cannot download $pkg (see $CACHE/apt.log)"
    fi
    rm -rf "$CACHE/img"
    dpkg-deb -x "$CACHE/${pkg}"_*.deb "$CACHE/img" && cp "$CACHE/img/boot/vmlinuz-$RELEASE" "$VMLINUZ.tmp" &&
        mv "$VMLINUZ.tmp" "$VMLINUZ" || missing "no boot/vmlinuz-$RELEASE in ${pkg}"
    rm -rf "$CACHE/img"
fi

rm -rf "$WORK" && mkdir -p "$WORK/ir/bin" "$WORK/ir/proc" "$WORK/ir/sys" "$WORK/iso/boot/grub"
cd "$WORK" || exit 1
cp "$BUSYBOX" ir/bin/busybox && cp "$KO" ir/vmxgen.ko
cat >ir/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc none /proc; mount -t sysfs none /sys; mount -t debugfs none /sys/kernel/debug
D=/sys/kernel/debug/vmxgen
t() { echo "T $1 rc=$?"; }
# from the kernel log (all of it since the boot is kept in /klog): the scenarios' result lines (K)
# and, to read when one fails, their error lines (L)
k() {
    dmesg -c >/k.new; cat /k.new >>/klog
    sed -nE 's/^\[[^]]*\] vmxgen: (cpu[0-9]+): (SCENARIO|SMP) /K \1 \2 /p
        s/^\[[^]]*\] vmxgen: (cpu[0-9]+): (VMCSFIELD MISMATCH|VMXCHECK DISAGREE|vmx: |[a-z_]+: )/L \1 \2/p' /k.new
}
show() {
    [ -f $D/status ] && sed "s/^/S $1 /" $D/status
    sed "s/^/P $1 /" $D/probe
}
echo "T boot online=$(cat /sys/devices/system/cpu/online)"
echo "I init started at uptime $(cut -d' ' -f1 /proc/uptime) s"
dmesg -c >/kboot; : >/klog
grep -E 'WARNING:|BUG:|Oops' /kboot | sed 's/^/I boot log: /'
insmod /vmxgen.ko model=bochs; t load; show loaded
grep -q '"0x480": "0x' $D/caps; t caps
# vmcs_fields on CPU 0 only: on Bochs 2.7's other CPUs VMREAD/VMWRITE of fields that do not exist
# succeed (driver/README.md, "The Linux module in Bochs")
for s in guest64_cpuid_loop error_paths "vmcs_fields 0" baseline_launch smp; do
    echo $s >$D/run; t run_${s%% *}; k
done
show scenarios
last=$(($(nproc) - 1))
echo 0 >/sys/devices/system/cpu/cpu$last/online; t offline; show offline
echo 1 >/sys/devices/system/cpu/cpu$last/online; t online; show online
rmmod vmxgen; t unload
insmod /vmxgen.ko caps_only=1; t probe_unloaded; show unloaded; rmmod vmxgen
insmod /vmxgen.ko; t reload; show reloaded; rmmod vmxgen; t reunload
insmod /vmxgen.ko caps_only=1; t probe_final; show final; rmmod vmxgen
k
grep -E 'WARNING:|BUG:|Oops|general protection|Call Trace:' /klog | sed 's/^/W /'
echo "I init done at uptime $(cut -d' ' -f1 /proc/uptime) s"
echo "T end"
poweroff -f
INIT
chmod +x ir/init
(cd ir && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null | gzip -1 >../iso/boot/initrd.gz)
cp "$VMLINUZ" iso/boot/vmlinuz
# quiet: the console shows only init's lines (and a panic); nokaslr, mitigations=off, nmi_watchdog=0:
# less work at boot and no NMI while a guest runs (the guests share the host's IDT). An oops panics,
# and a panic reboots at once by a triple fault, which stops Bochs (reset_on_triple_fault=0).
cat >iso/boot/grub/grub.cfg <<'CFG'
set timeout=0
menuentry linux {
  linux /boot/vmlinuz console=ttyS0,115200 rdinit=/init panic=-1 oops=panic reboot=triple nokaslr mitigations=off nmi_watchdog=0 quiet
  initrd /boot/initrd.gz
}
CFG
grub-mkrescue --locales= --fonts= --themes= -o linux.iso iso >mk.log 2>&1 ||
    { echo "C-TEST FAIL linux_boot grub-mkrescue failed (see $WORK/mk.log)"; exit 1; }
# ignore_bad_msrs=1: Linux's early boot reads MSRs Bochs lacks before its fixups are in place.
"$DRIVER/tools/bochsrc.sh" "$MODEL" "$CPUS" 256 "$IPS" 1 "$WORK/linux.iso" "$WORK" >bochsrc
echo c >cont.rc
: >serial.txt
start=$(date +%s)
# A hang is bounded by Bochs's CPU time (a run needs about 180 s; the machine's load does not
# change that), a wall-clock timeout only backs it up.
(ulimit -t "${CPU_LIMIT:-600}" && TERM=dumb exec timeout -k 5 "${TIMEOUT:-3600}" bochs -q -f bochsrc -rc cont.rc) \
    </dev/null >bochs.out 2>&1
echo "BOCHS linux model=$MODEL cpus=$CPUS wall=$(($(date +%s) - start))s" >&2
"$DRIVER/tools/linux-verdict.sh" serial.txt "$CPUS"

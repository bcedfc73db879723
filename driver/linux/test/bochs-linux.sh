#!/bin/sh
# Loads vmxgen.ko into Debian's own kernel running in Bochs (an emulated Intel CPU with VMX):
# 2 CPUs enter VMX, caps/status are read, CPU 1 goes offline and online, the module is unloaded
# and loaded again. Needs: the module built by tools/build-linux-module.sh, bochs, grub-mkrescue,
# xorriso, a static busybox (Debian: busybox-static), and the kernel image matching the headers,
# which is fetched with `apt-get download linux-image-<release>`. About 3 minutes.
# Prints one line: C-TEST PASS|FAIL|SKIP linux_module_bochs [why]. BOCHS_KEEP=DIR keeps the files.
set -u
DRIVER=$(cd "$(dirname "$0")/../.." && pwd)
KO="$DRIVER/build/linux/vmxgen.ko"
MODEL=${MODEL:-corei7_skylake_x}
say() { echo "C-TEST $1 linux_module_bochs${2:+ $2}"; }

[ -f "$KO" ] || { say FAIL "no $KO: run tools/build-linux-module.sh first"; exit 1; }
BUSYBOX=$(command -v busybox || true)
file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' || BUSYBOX=/bin/busybox
for t in bochs grub-mkrescue xorriso; do
    command -v $t >/dev/null || { say SKIP "$t not installed"; exit 0; }
done
file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' || { say SKIP "no static busybox (apt-get install busybox-static)"; exit 0; }
RELEASE=$(readelf -p .modinfo "$KO" | sed -n 's/.*vermagic=\([^ ]*\).*/\1/p')

WORK=${BOCHS_KEEP:-$(mktemp -d)}
mkdir -p "$WORK"
[ -n "${BOCHS_KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
if [ ! -f vmlinuz ]; then
    apt-get download "linux-image-$RELEASE" >apt.log 2>&1 || { say SKIP "cannot download linux-image-$RELEASE"; exit 0; }
    dpkg-deb -x linux-image-"$RELEASE"_*.deb img && cp "img/boot/vmlinuz-$RELEASE" vmlinuz && rm -rf img
fi

rm -rf ir iso && mkdir -p ir/bin ir/proc ir/sys iso/boot/grub
cp "$BUSYBOX" ir/bin/busybox && cp "$KO" ir/vmxgen.ko
cat >ir/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc none /proc; mount -t sysfs none /sys; mount -t debugfs none /sys/kernel/debug
st() { echo "STATUS $1 $(tr '\n' ';' < /sys/kernel/debug/vmxgen/status)"; }
insmod /vmxgen.ko model=bochs && echo "T load ok"
st loaded
grep -q '"0x480": "0x' /sys/kernel/debug/vmxgen/caps && echo "T caps ok"
echo 0 > /sys/devices/system/cpu/cpu1/online && st offline
echo 1 > /sys/devices/system/cpu/cpu1/online && st online
rmmod vmxgen && echo "T unload ok"
insmod /vmxgen.ko && st reloaded && rmmod vmxgen && echo "T reload ok"
echo "T end"
poweroff -f
INIT
chmod +x ir/init
(cd ir && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null | gzip >../iso/boot/initrd.gz)
cp vmlinuz iso/boot/vmlinuz
cat >iso/boot/grub/grub.cfg <<'CFG'
set timeout=0
menuentry linux {
  linux /boot/vmlinuz console=ttyS0,115200 rdinit=/init panic=-1 nokaslr mitigations=off quiet
  initrd /boot/initrd.gz
}
CFG
grub-mkrescue --locales= --fonts= --themes= -o linux.iso iso >mk.log 2>&1 || { say FAIL "grub-mkrescue failed"; exit 1; }
# ignore_bad_msrs=1: Linux's early boot reads MSRs Bochs lacks without a fixup in place.
"$DRIVER/tools/bochsrc.sh" "$MODEL" 2 256 50000000 1 "$WORK/linux.iso" "$WORK" >bochsrc
echo c >cont.rc
: >serial.txt
TERM=dumb timeout -k 5 "${TIMEOUT:-900}" bochs -q -f bochsrc -rc cont.rc </dev/null >bochs.out 2>&1 || true

s=serial.txt
fail=""
grep -q '^T end' $s || fail="the guest did not finish (timeout or crash)"
for t in load caps unload reload; do
    [ -n "$fail" ] || grep -q "^T $t ok" $s || fail="step '$t' failed"
done
[ -n "$fail" ] || grep -q '^STATUS loaded cpu0 vmx-on .*;cpu1 vmx-on ' $s || fail="not every CPU in VMX after load"
[ -n "$fail" ] || grep -q '^STATUS offline cpu0 vmx-on .*;cpu1 vmx-off;' $s || fail="CPU 1 did not leave VMX when offlined"
[ -n "$fail" ] || grep -q '^STATUS online cpu0 vmx-on .*;cpu1 vmx-on ' $s || fail="CPU 1 did not re-enter VMX when onlined"
[ -n "$fail" ] || ! grep -A3 -E 'WARNING: .*(vmxgen|os_linux|vmx_)' $s | grep -q . || fail="kernel warning from the module"
[ -n "$fail" ] || ! grep -qiE 'BUG:|Oops|general protection' $s || fail="kernel oops"
if [ -n "$fail" ]; then
    grep -E '^(T |STATUS )|vmxgen' $s >&2
    say FAIL "$fail ($MODEL, Linux $RELEASE)"
    exit 1
fi
say PASS

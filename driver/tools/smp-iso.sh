#!/bin/sh
# Usage: smp-iso.sh OUT.iso OPTIONS...
# An ISO of build/kernel.elf whose GRUB entry passes OPTIONS (e.g. "smp=2 smp_calls=1000") to it.
set -eu
OUT=${1:?usage: smp-iso.sh OUT.iso OPTIONS...}
shift
HERE=$(cd "$(dirname "$0")/.." && pwd)
DIR=$OUT.d
rm -rf "$DIR" && mkdir -p "$DIR/boot/grub"
cp "$HERE/build/kernel.elf" "$DIR/boot/kernel.elf"
sed "s|multiboot2 /boot/kernel.elf|multiboot2 /boot/kernel.elf $*|" "$HERE/baremetal/grub.cfg" \
    >"$DIR/boot/grub/grub.cfg"
grub-mkrescue --install-modules="multiboot2 normal" --locales= --fonts= --themes= \
    -o "$OUT" "$DIR" 2>"$OUT.log" || { cat "$OUT.log" >&2; exit 1; }
rm -rf "$DIR" "$OUT.log"

#!/bin/sh
# Installs what the tests need on Debian: Bochs (an Intel CPU with VMX, emulated), its BIOS images,
# the GRUB pieces for grub-mkrescue, xorriso and mtools; linux-headers to build the Linux module;
# clang to check the generated headers with a second compiler; a static busybox for the initramfs
# of the Linux-in-Bochs test (linux/test/bochs-linux.sh).
# Idempotent: does nothing when every package is already installed.
set -eu

PACKAGES="bochs bochsbios vgabios bochs-term grub-pc-bin grub-common xorriso mtools linux-headers-amd64 clang busybox-static"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all present ($PACKAGES)"
    exit 0
fi

echo "install-deps: installing$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
# shellcheck disable=SC2086
$SUDO apt-get install -y --no-install-recommends $PACKAGES

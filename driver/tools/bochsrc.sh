#!/bin/sh
# Usage: bochsrc.sh MODEL CPUS MEGS IPS IGNORE_BAD_MSRS ISO DIR > DIR/bochsrc
# The Bochs configuration both Bochs runs use (tools/run-bochs.sh, linux/test/bochs-linux.sh):
# boot ISO from CD-ROM, headless, COM1 into DIR/serial.txt, the log into DIR/bochs.log.
# fastboot skips the BIOS boot menu delay; `term` is the only headless display (it needs a TERM);
# a Bochs panic is fatal; reset_on_triple_fault=0 stops instead of rebooting in a loop.
# IGNORE_BAD_MSRS=0 makes unknown MSRs raise #GP (1 reads them as 0 and hides gaps).
set -eu
[ $# -eq 7 ] || { echo "usage: bochsrc.sh MODEL CPUS MEGS IPS IGNORE_BAD_MSRS ISO DIR" >&2; exit 2; }
cat <<RC
megs: $3
cpu: model=$1, count=$2, ips=$4, reset_on_triple_fault=0, ignore_bad_msrs=$5
romimage: file=/usr/share/bochs/BIOS-bochs-latest, options=fastboot
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
ata0-master: type=cdrom, path=$6, status=inserted
boot: cdrom
display_library: term
com1: enabled=1, mode=file, dev=$7/serial.txt
clock: sync=none
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
speaker: enabled=0
log: $7/bochs.log
panic: action=fatal
RC

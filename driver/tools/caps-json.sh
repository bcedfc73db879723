#!/bin/sh
# Usage: caps-json.sh MODEL < serial.txt > caps.json
# The kernel's CAPS BEGIN/END block is already the capability dump JSON
#   {"model": ..., "msrs": {"0x3a": "0x0000000000000005", "0x480": ..., "0x493": "gp"}}
# (src/vmx_caps_dump.c); this names the model in it (the kernel cannot know which Bochs model it
# runs on). Exits 1 when the serial output holds no complete CAPS block.
set -eu
MODEL=${1:?usage: caps-json.sh MODEL < serial.txt}
HERE=$(cd "$(dirname "$0")" && pwd)
json=$("$HERE/serial-block.sh" CAPS) || exit 1
printf '%s\n' "$json" | sed "s/^  \"model\": \"[^\"]*\",\$/  \"model\": \"$MODEL\",/"

/* SPDX-License-Identifier: MIT */
/* Linux port: <stdbool.h> for the freestanding core: bool is in linux/types.h, true/false in
 * linux/stddef.h (the kernel builds as gnu11, so bool is _Bool either way). */
#ifndef VMXGEN_LINUX_SHIM_STDBOOL_H
#define VMXGEN_LINUX_SHIM_STDBOOL_H

#include <linux/types.h>
#include <linux/stddef.h>

#endif

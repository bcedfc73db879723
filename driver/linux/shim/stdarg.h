/* SPDX-License-Identifier: MIT */
/* Linux port: <stdarg.h> for the freestanding core. The kernel ships its own copy of the
 * compiler builtins as <linux/stdarg.h> (since 5.15) and no longer sees the compiler's. */
#ifndef VMXGEN_LINUX_SHIM_STDARG_H
#define VMXGEN_LINUX_SHIM_STDARG_H

#include <linux/stdarg.h>

#endif

/* SPDX-License-Identifier: MIT */
/* Linux port: <stddef.h> for the freestanding core, from the kernel's own headers. */
#ifndef VMXGEN_LINUX_SHIM_STDDEF_H
#define VMXGEN_LINUX_SHIM_STDDEF_H

#include <linux/types.h>  /* size_t, ptrdiff_t */
#include <linux/stddef.h> /* NULL, offsetof */

#endif

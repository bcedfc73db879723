/* SPDX-License-Identifier: MIT */
/*
 * Linux port: the freestanding core includes <stdint.h>, which a kernel build (-nostdinc) does
 * not have. The kernel's own fixed-width types are the same types; take them from there.
 */
#ifndef VMXGEN_LINUX_SHIM_STDINT_H
#define VMXGEN_LINUX_SHIM_STDINT_H

#include <linux/types.h>  /* u8..u64 and the C99 names uint8_t..uint64_t, int8_t..int64_t, uintptr_t */
#include <linux/limits.h> /* U8_MAX..U64_MAX, S8_MIN..S64_MAX, SIZE_MAX */

#ifndef UINT8_MAX
#define UINT8_MAX U8_MAX
#endif
#ifndef UINT16_MAX
#define UINT16_MAX U16_MAX
#endif
#ifndef UINT32_MAX
#define UINT32_MAX U32_MAX
#endif
#ifndef UINT64_MAX
#define UINT64_MAX U64_MAX
#endif
#ifndef INT8_MIN
#define INT8_MIN S8_MIN
#endif
#ifndef INT8_MAX
#define INT8_MAX S8_MAX
#endif
#ifndef INT16_MIN
#define INT16_MIN S16_MIN
#endif
#ifndef INT16_MAX
#define INT16_MAX S16_MAX
#endif
#ifndef INT32_MIN
#define INT32_MIN S32_MIN
#endif
#ifndef INT32_MAX
#define INT32_MAX S32_MAX
#endif
#ifndef INT64_MIN
#define INT64_MIN S64_MIN
#endif
#ifndef INT64_MAX
#define INT64_MAX S64_MAX
#endif
#ifndef UINTPTR_MAX
#define UINTPTR_MAX ULONG_MAX
#endif

#endif

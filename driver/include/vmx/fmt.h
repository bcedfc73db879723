/* SPDX-License-Identifier: MIT */
/* A tiny printf-style formatter: no libc, no floating point. */
#ifndef VMX_FMT_H
#define VMX_FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_put_fn)(void *ctx, char c);

/* Supports %[-0][width][hh|h|l|ll|z](d|i|u|x|X|c|s|p|%); returns characters produced. */
int fmt_vformat(fmt_put_fn put, void *ctx, const char *fmt, va_list ap);
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif

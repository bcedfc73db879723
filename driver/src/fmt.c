/* SPDX-License-Identifier: MIT */
#include "vmx/fmt.h"

#include <stdbool.h>
#include <stdint.h>

struct out {
    fmt_put_fn put;
    void *ctx;
    int count;
};

static void emit(struct out *o, char c)
{
    o->put(o->ctx, c);
    o->count++;
}

static void emit_padded(struct out *o, const char *s, int len, int width, bool left, char pad)
{
    int fill = width > len ? width - len : 0;
    if (!left)
        while (fill-- > 0)
            emit(o, pad);
    for (int i = 0; i < len; i++)
        emit(o, s[i]);
    if (left)
        while (fill-- > 0)
            emit(o, ' ');
}

/* Digits of v in base 10 or 16 into the end of buf; returns the start. */
static char *utoa(char *end, uint64_t v, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    do {
        *--p = digits[v % base];
        v /= base;
    } while (v);
    return p;
}

int fmt_vformat(fmt_put_fn put, void *ctx, const char *fmt, va_list ap)
{
    struct out o = { put, ctx, 0 };
    char buf[24];

    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            emit(&o, *f);
            continue;
        }
        f++;
        bool left = false;
        char pad = ' ';
        for (;; f++) {
            if (*f == '-')
                left = true;
            else if (*f == '0')
                pad = '0';
            else
                break;
        }
        int width = 0;
        while (*f >= '0' && *f <= '9')
            width = width * 10 + (*f++ - '0');
        int size = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long / size_t */
        if (*f == 'h') {
            size = -1;
            if (*++f == 'h') {
                size = -2;
                f++;
            }
        } else if (*f == 'l') {
            size = 1;
            if (*++f == 'l') {
                size = 2;
                f++;
            }
        } else if (*f == 'z') {
            size = 2;
            f++;
        }
        if (left)
            pad = ' ';

        switch (*f) {
        case 'd':
        case 'i': {
            int64_t v = size >= 1 ? va_arg(ap, long long) : va_arg(ap, int);
            if (size == -1)
                v = (short)v;
            else if (size == -2)
                v = (signed char)v;
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            char *p = utoa(buf + sizeof buf, mag, 10, false);
            if (v < 0) {
                if (pad == '0') { /* sign goes before zero padding */
                    emit(&o, '-');
                    width = width > 0 ? width - 1 : 0;
                } else {
                    *--p = '-';
                }
            }
            emit_padded(&o, p, (int)(buf + sizeof buf - p), width, left, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = size >= 1 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
            if (size == -1)
                v = (unsigned short)v;
            else if (size == -2)
                v = (unsigned char)v;
            char *p = utoa(buf + sizeof buf, v, *f == 'u' ? 10 : 16, *f == 'X');
            emit_padded(&o, p, (int)(buf + sizeof buf - p), width, left, pad);
            break;
        }
        case 'p': {
            char *p = utoa(buf + sizeof buf, (uintptr_t)va_arg(ap, void *), 16, false);
            *--p = 'x';
            *--p = '0';
            emit_padded(&o, p, (int)(buf + sizeof buf - p), width, left, ' ');
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            emit_padded(&o, &c, 1, width, left, ' ');
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int len = 0;
            while (s[len])
                len++;
            emit_padded(&o, s, len, width, left, ' ');
            break;
        }
        case '%':
            emit(&o, '%');
            break;
        case '\0':
            return o.count; /* a lone '%' at the end */
        default:            /* unknown conversion: show it rather than guess */
            emit(&o, '%');
            emit(&o, *f);
            break;
        }
    }
    return o.count;
}

struct bufctx {
    char *buf;
    size_t size, len;
};

static void put_buf(void *ctx, char c)
{
    struct bufctx *b = ctx;
    if (b->len + 1 < b->size)
        b->buf[b->len] = c;
    b->len++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct bufctx b = { buf, size, 0 };
    int n = fmt_vformat(put_buf, &b, fmt, ap);
    if (size)
        buf[b.len < size ? b.len : size - 1] = '\0';
    return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

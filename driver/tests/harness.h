/* SPDX-License-Identifier: MIT */
/* A minimal test harness: each test prints exactly one line, C-TEST PASS|FAIL <name> [why]. */
#ifndef TESTS_HARNESS_H
#define TESTS_HARNESS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct tc {
    char name[96];
    bool failed;
    unsigned checks;
    char why[256];
};

static inline void tc_check(struct tc *t, bool ok, const char *fmt, ...)
{
    t->checks++;
    if (ok || t->failed)
        return;
    t->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->why, sizeof t->why, fmt, ap);
    va_end(ap);
}

#define EXPECT(t, cond) tc_check((t), (cond), "%s:%d: %s", __FILE__, __LINE__, #cond)
#define EXPECT_EQ(t, got, want)                                                                 \
    do {                                                                                        \
        unsigned long long g_ = (unsigned long long)(got), w_ = (unsigned long long)(want);     \
        tc_check((t), g_ == w_, "%s:%d: %s = 0x%llx, expected 0x%llx", __FILE__, __LINE__,      \
                 #got, g_, w_);                                                                 \
    } while (0)
#define EXPECT_STR(t, got, want)                                                                \
    do {                                                                                        \
        const char *g_ = (got), *w_ = (want);                                                   \
        tc_check((t), g_ && w_ && strcmp(g_, w_) == 0, "%s:%d: %s = \"%s\", expected \"%s\"",   \
                 __FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");             \
    } while (0)

typedef void (*test_fn)(struct tc *t);

/* test_generated.c */
void test_harness_detects_failure(struct tc *t);
void test_exit_reason_lookup(struct tc *t);
void test_instruction_error_lookup(struct tc *t);
void test_layout_exit_reason(struct tc *t);
void test_layout_roundtrip(struct tc *t);
void test_layout_spec_additions(struct tc *t);
void test_vmcs_field_table(struct tc *t);
void test_vmcs_accessors(struct tc *t);
/* test_portable.c */
void test_fmt_conversions(struct tc *t);
void test_fmt_truncation(struct tc *t);
void test_caps_missing_basic(struct tc *t);
void test_feature_control(struct tc *t);
void test_field_exists_rules(struct tc *t);
void test_ept_map_translate(struct tc *t);
void test_vmread_fixtures_match_caps(struct tc *t);
/* per capability fixture (model) */
void test_caps_read(struct tc *t, unsigned fixture);
void test_controls_adjust(struct tc *t, unsigned fixture);
void test_field_exists(struct tc *t, unsigned fixture);
void test_field_exists_bochs(struct tc *t, unsigned fixture);
void test_caps_dump_json(struct tc *t, unsigned fixture);
/* test_msr_bitmap.c */
void test_msr_bitmap_positions(struct tc *t);
void test_msr_bitmap_ranges(struct tc *t);
void test_msr_bitmap_by_name(struct tc *t);
/* test_x86_layouts.c */
void test_x86_layouts(struct tc *t);
/* test_baseline.c */
void test_baseline_vmcs(struct tc *t, unsigned fixture);
void test_baseline_refusals(struct tc *t);
void test_baseline_write_error(struct tc *t);

#endif

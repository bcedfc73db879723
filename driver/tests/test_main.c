/* SPDX-License-Identifier: MIT */
/* Host-compiled C tests of the driver's portable code and the generated headers. */
#include "harness.h"

#include "caps_fixtures.h"

static unsigned failures, total;

static void finish(struct tc *t)
{
    total++;
    if (!t->failed && t->checks == 0) {
        t->failed = true;
        snprintf(t->why, sizeof t->why, "no checks ran");
    }
    if (t->failed) {
        failures++;
        printf("C-TEST FAIL %s %s\n", t->name, t->why);
    } else {
        printf("C-TEST PASS %s\n", t->name);
    }
}

static void run(const char *name, test_fn fn)
{
    struct tc t = { .failed = false };
    snprintf(t.name, sizeof t.name, "%s", name);
    fn(&t);
    finish(&t);
}

static void run_fixture(const char *prefix, void (*fn)(struct tc *, unsigned), unsigned i)
{
    struct tc t = { .failed = false };
    snprintf(t.name, sizeof t.name, "%s_%s", prefix, caps_fixtures[i].model);
    fn(&t, i);
    finish(&t);
}

int main(void)
{
    run("harness_detects_failure", test_harness_detects_failure);
    run("exit_reason_lookup", test_exit_reason_lookup);
    run("instruction_error_lookup", test_instruction_error_lookup);
    run("layout_exit_reason", test_layout_exit_reason);
    run("layout_roundtrip", test_layout_roundtrip);
    run("layout_spec_additions", test_layout_spec_additions);
    run("vmcs_field_table", test_vmcs_field_table);
    run("vmcs_accessors", test_vmcs_accessors);
    run("fmt_conversions", test_fmt_conversions);
    run("fmt_truncation", test_fmt_truncation);
    run("caps_missing_basic", test_caps_missing_basic);
    run("feature_control", test_feature_control);
    run("field_exists_rules", test_field_exists_rules);
    run("ept_map_translate", test_ept_map_translate);
    run("vmread_fixtures_match_caps", test_vmread_fixtures_match_caps);
    run("msr_bitmap_positions", test_msr_bitmap_positions);
    run("msr_bitmap_ranges", test_msr_bitmap_ranges);
    run("msr_bitmap_by_name", test_msr_bitmap_by_name);
    run("x86_layouts", test_x86_layouts);
    run("baseline_refusals", test_baseline_refusals);
    run("baseline_write_error", test_baseline_write_error);
    for (unsigned i = 0; i < CAPS_FIXTURE_COUNT; i++) {
        run_fixture("caps_read", test_caps_read, i);
        run_fixture("controls_adjust", test_controls_adjust, i);
        run_fixture("field_exists", test_field_exists, i);
        run_fixture("field_exists_bochs", test_field_exists_bochs, i);
        run_fixture("caps_dump_json", test_caps_dump_json, i);
        run_fixture("baseline_vmcs", test_baseline_vmcs, i);
    }
    fflush(stdout);
    fprintf(stderr, "c-tests: %u tests, %u failed\n", total, failures);
    return failures ? 1 : 0;
}

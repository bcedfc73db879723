/* SPDX-License-Identifier: MIT */
/*
 * End-to-end scenarios, portable over vmx/os.h. Each prints exactly one result line:
 *     SCENARIO <name> PASS|FAIL|SKIP <details>
 * (other lines it prints are informational and never start with "SCENARIO").
 */
#ifndef VMX_SCENARIOS_H
#define VMX_SCENARIOS_H

void scenario_caps_dump(void);
void scenario_guest64_cpuid_loop(void);
void scenario_realmode_ept(void);
void scenario_error_paths(void);
void scenario_vmcs_fields(void);
void scenario_baseline_launch(void);
void scenario_msr_bitmap(void);
/* Only with "only=entry_checks": the mutated launches of the VMX_ENTRY_CASES_H table (tools/entry-checks.sh), from case `first` on. */
void scenario_entry_checks(unsigned first);
/* SMP (over os_cpu_count / os_run_on_cpu): "SMP <step> PASS|FAIL ..." lines instead, see smp.c. */
/* guest_calls: VMCALLs per guest run, 0: the default (200); fail_at: NULL, or "first_half" /
 * "second_half" to make smp_migrate fail there (its failure paths must still leave VMX). */
void scenario_smp(unsigned guest_calls, const char *fail_at);

#endif

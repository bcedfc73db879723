/* SPDX-License-Identifier: MIT */
/* The host-test implementation of vmx/os.h: fake MSRs, captured log. */
#ifndef HOST_OS_H
#define HOST_OS_H

#include <stdbool.h>
#include <stdint.h>

void host_msrs_clear(void);
void host_msr_set(uint32_t msr, uint64_t value);
void host_msr_set_gp(uint32_t msr);  /* rdmsr of it raises #GP */
void host_msr_allow_write(uint32_t msr); /* wrmsr of it succeeds (set its value after this) */
unsigned host_msr_writes(void);       /* successful wrmsr calls since host_msrs_clear */
void host_log_clear(void);
const char *host_log(void);          /* everything os_log wrote since host_log_clear */

#endif

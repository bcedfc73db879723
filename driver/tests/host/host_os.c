/* SPDX-License-Identifier: MIT */
#include "host_os.h"

#include <stdlib.h>
#include <string.h>

#include "vmx/fmt.h"
#include "vmx/os.h"
#include "vmx/generated/vmx_layouts.h"
#include "vmx/generated/vmx_msrs.h"

#define MAX_MSRS 64

static struct {
    uint32_t msr;
    uint64_t value;
    bool gp;
} msrs[MAX_MSRS];
static unsigned nmsrs;
static bool writable[MAX_MSRS];
static unsigned nwrites;
static char logbuf[8192];
static size_t loglen;

void host_msrs_clear(void)
{
    nmsrs = 0;
    nwrites = 0;
    for (unsigned i = 0; i < MAX_MSRS; i++)
        writable[i] = false;
}

static void put(uint32_t msr, uint64_t value, bool gp)
{
    for (unsigned i = 0; i < nmsrs; i++)
        if (msrs[i].msr == msr) {
            msrs[i].value = value;
            msrs[i].gp = gp;
            return;
        }
    if (nmsrs < MAX_MSRS) {
        msrs[nmsrs].msr = msr;
        msrs[nmsrs].value = value;
        msrs[nmsrs].gp = gp;
        nmsrs++;
    }
}

void host_msr_set(uint32_t msr, uint64_t value)
{
    put(msr, value, false);
}

void host_msr_set_gp(uint32_t msr)
{
    put(msr, 0, true);
}

/* An MSR the fixture does not list raises #GP, as on a CPU with ignore_bad_msrs=0. */
int os_rdmsr_safe(uint32_t msr, uint64_t *value)
{
    for (unsigned i = 0; i < nmsrs; i++)
        if (msrs[i].msr == msr && !msrs[i].gp) {
            *value = msrs[i].value;
            return 0;
        }
    return -1;
}

void host_msr_allow_write(uint32_t msr)
{
    put(msr, 0, false);
    for (unsigned i = 0; i < nmsrs; i++)
        if (msrs[i].msr == msr)
            writable[i] = true;
}

unsigned host_msr_writes(void)
{
    return nwrites;
}

/* Only MSRs a test allows take writes; a write to a locked IA32_FEATURE_CONTROL raises #GP as on
 * hardware. */
int os_wrmsr_safe(uint32_t msr, uint64_t value)
{
    for (unsigned i = 0; i < nmsrs; i++)
        if (msrs[i].msr == msr && writable[i] && !(msr == VMX_MSR_IA32_FEATURE_CONTROL && (msrs[i].value & VMX_IA32_FEATURE_CONTROL_LOCK_MASK))) {
            msrs[i].value = value;
            nwrites++;
            return 0;
        }
    return -1;
}

void host_log_clear(void)
{
    loglen = 0;
    logbuf[0] = '\0';
}

const char *host_log(void)
{
    return logbuf;
}

void os_vlog(const char *fmt, va_list ap)
{
    if (loglen + 1 >= sizeof logbuf)
        return;
    int n = fmt_vsnprintf(logbuf + loglen, sizeof logbuf - loglen, fmt, ap);
    loglen += (size_t)n;
    if (loglen >= sizeof logbuf)
        loglen = sizeof logbuf - 1;
}

void os_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    os_vlog(fmt, ap);
    va_end(ap);
}

void *os_alloc_pages(size_t count)
{
    void *p = aligned_alloc(OS_PAGE_SIZE, count * OS_PAGE_SIZE);
    if (p)
        memset(p, 0, count * OS_PAGE_SIZE);
    return p;
}

void os_free_pages(void *pages, size_t count)
{
    (void)count;
    free(pages);
}

uint64_t os_virt_to_phys(const void *virt)
{
    return (uint64_t)(uintptr_t)virt;
}

void *os_phys_to_virt(uint64_t phys)
{
    return (void *)(uintptr_t)phys;
}

unsigned os_cpu_count(void)
{
    return 1;
}

unsigned os_cpu_current(void)
{
    return 0;
}

int os_run_on_cpu(unsigned cpu, void (*fn)(void *), void *arg)
{
    if (cpu != 0)
        return -1;
    fn(arg);
    return 0;
}

unsigned long os_cpu_pin(void)
{
    return 0;
}

void os_cpu_unpin(unsigned long state)
{
    (void)state;
}

/* SPDX-License-Identifier: MIT */
/*
 * vmxgen.ko: the vmxgen VMX runtime as a Linux kernel module.
 *
 * Load: every online CPU enters VMX operation through the portable core (detect VMX, enable it
 * in IA32_FEATURE_CONTROL if firmware left that unlocked, CR0/CR4 fixed bits and CR4.VMXE,
 * VMXON region, VMXON). If any CPU fails, every CPU leaves VMX again and the load fails.
 * Loaded: CPUs that come online enter VMX, CPUs that go offline (and all CPUs at reboot) leave
 * it; /sys/kernel/debug/vmxgen/caps is the capability dump as JSON and .../status the per-CPU
 * state. Unload: VMXOFF and CR4 restored on every CPU, everything freed.
 *
 * Kernel-facing half: sees kernel headers, never the VMX facts headers (see vmxgen_linux.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/reboot.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <asm/processor.h>

#include "vmx/dump.h"
#include "vmx/os.h"
#include "vmxgen_linux.h"

static char *model;
module_param(model, charp, 0444);
MODULE_PARM_DESC(model, "\"model\" written into the caps JSON (default: from the CPU brand string)");

static bool caps_only;
module_param(caps_only, bool, 0444);
MODULE_PARM_DESC(caps_only, "only expose the capability dump; do not enter VMX operation (works "
                            "next to KVM)");

/* What happened on each CPU. */
enum cpu_state {
    CPU_NEVER,   /* not online while the module was loaded */
    CPU_VMX_ON,  /* in VMX operation (VMXON done, CR4.VMXE set) */
    CPU_FAILED,  /* vmx_cpu_on failed; .rc says why; VMX left as found */
    CPU_OFF,     /* left VMX operation (offline, reboot or unload) */
};

struct vmxgen_pcpu {
    enum cpu_state state;
    int rc;      /* the core's status from the last vmx_cpu_on */
    void *core;  /* struct vmx_cpu, opaque here */
};

static DEFINE_PER_CPU(struct vmxgen_pcpu, vmxgen_pcpu);
static void __percpu *core_states;
static int hotplug_state = -1;
static bool reboot_registered;
static struct dentry *debug_dir;
static char model_slug[64];

/* ---- per CPU: runs on the CPU concerned, interrupts off ---- */

static void vmx_on_this_cpu(void *unused)
{
    struct vmxgen_pcpu *p = this_cpu_ptr(&vmxgen_pcpu);

    if (p->state == CPU_VMX_ON)
        return;
    p->rc = vmxgen_core_on(p->core);
    p->state = p->rc ? CPU_FAILED : CPU_VMX_ON;
}

static void vmx_off_this_cpu(void *unused)
{
    struct vmxgen_pcpu *p = this_cpu_ptr(&vmxgen_pcpu);

    vmxgen_core_off(p->core); /* idempotent: also tidies after a failed on */
    if (p->state == CPU_VMX_ON)
        p->state = CPU_OFF;
}

static void report_failure(unsigned int cpu, int rc)
{
    switch (vmxgen_core_why(rc)) {
    case VMXGEN_WHY_BUSY:
        pr_err("cpu%u: VMX is already in use (CR4.VMXE is set): another hypervisor owns it, "
               "most likely KVM. Unload it first (rmmod kvm_intel kvm) or do not load both.\n",
               cpu);
        break;
    case VMXGEN_WHY_NOT_SUPPORTED:
        pr_err("cpu%u: this CPU has no VMX (CPUID.1:ECX.VMX = 0): not an Intel CPU with VT-x, "
               "or a virtual machine without nested virtualization.\n", cpu);
        break;
    case VMXGEN_WHY_FIRMWARE:
        pr_err("cpu%u: VMX is disabled by firmware (IA32_FEATURE_CONTROL locked without VMX "
               "outside SMX): enable VT-x in the firmware setup.\n", cpu);
        break;
    default:
        pr_err("cpu%u: entering VMX operation failed: %d (%s)\n", cpu, rc,
               vmxgen_core_status_name(rc));
        break;
    }
}

static int errno_for(int rc)
{
    switch (vmxgen_core_why(rc)) {
    case VMXGEN_WHY_OK: return 0;
    case VMXGEN_WHY_BUSY: return -EBUSY;
    case VMXGEN_WHY_NOT_SUPPORTED: return -ENODEV;
    case VMXGEN_WHY_FIRMWARE: return -EPERM;
    case VMXGEN_WHY_NO_MEMORY: return -ENOMEM;
    default: return -EIO;
    }
}

/* ---- CPU hotplug: a CPU going offline must leave VMX (INIT is blocked in VMX operation, so it
 * could not be brought back), a CPU coming online joins. Runs on the CPU concerned. ---- */

static int vmxgen_cpu_online(unsigned int cpu)
{
    struct vmxgen_pcpu *p = per_cpu_ptr(&vmxgen_pcpu, cpu);
    unsigned long flags;

    local_irq_save(flags);
    vmx_on_this_cpu(NULL);
    local_irq_restore(flags);
    if (p->state != CPU_VMX_ON) {
        report_failure(cpu, p->rc);
        return errno_for(p->rc); /* the CPU does not come online without VMX */
    }
    pr_info("cpu%u: online, VMX operation entered\n", cpu);
    return 0;
}

static int vmxgen_cpu_offline(unsigned int cpu)
{
    unsigned long flags;

    local_irq_save(flags);
    vmx_off_this_cpu(NULL);
    local_irq_restore(flags);
    pr_info("cpu%u: going offline, VMX operation left\n", cpu);
    return 0;
}

/* ---- reboot/kexec: leave VMX on every CPU (INIT/SIPI of the next kernel would be blocked) ---- */

static int vmxgen_reboot(struct notifier_block *nb, unsigned long action, void *data)
{
    on_each_cpu(vmx_off_this_cpu, NULL, 1);
    return NOTIFY_OK;
}

static struct notifier_block vmxgen_reboot_nb = {
    .notifier_call = vmxgen_reboot,
};

/* ---- debugfs ---- */

/* The capability dump, by the core's printer (src/vmx_caps_dump.c): the JSON of
 * tests/fixtures/caps/<model>.json, as the bare-metal kernel prints it. All MSRs are read on one
 * CPU, then printed. */
static void seq_line(void *m, const char *fmt, va_list ap)
{
    seq_vprintf(m, fmt, ap);
}

static int caps_show(struct seq_file *m, void *unused)
{
    struct vmx_caps_dump dump;

    get_cpu();
    vmx_caps_dump_read(&dump);
    put_cpu();
    vmx_caps_dump_json(&dump, model_slug, seq_line, m);
    return 0;
}
DEFINE_SHOW_ATTRIBUTE(caps);

static int status_show(struct seq_file *m, void *unused)
{
    unsigned int cpu;

    cpus_read_lock();
    for_each_possible_cpu(cpu) {
        struct vmxgen_pcpu *p = per_cpu_ptr(&vmxgen_pcpu, cpu);

        switch (p->state) {
        case CPU_NEVER:
            break;
        case CPU_VMX_ON:
            seq_printf(m, "cpu%u vmx-on vmxon=0x%llx revision=0x%x\n", cpu,
                       (unsigned long long)vmxgen_core_vmxon_phys(p->core),
                       vmxgen_core_vmcs_revision(p->core));
            break;
        case CPU_FAILED:
            seq_printf(m, "cpu%u failed %d %s\n", cpu, p->rc, vmxgen_core_status_name(p->rc));
            break;
        case CPU_OFF:
            seq_printf(m, "cpu%u vmx-off\n", cpu);
            break;
        }
    }
    cpus_read_unlock();
    return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

/* "model" in the JSON: lower-case letters, digits and '_' only (like the fixture names), from the
 * parameter or the CPU brand string; never needs JSON escaping. */
static void make_model_slug(void)
{
    const char *src = model && *model ? model : boot_cpu_data.x86_model_id;
    size_t len = 0;
    bool gap = false;

    for (; *src && len + 1 < sizeof(model_slug); src++) {
        char c = tolower(*src);

        if (isalnum(c)) {
            if (gap && len)
                model_slug[len++] = '_';
            if (len + 1 < sizeof(model_slug))
                model_slug[len++] = c;
            gap = false;
        } else {
            gap = true;
        }
    }
    model_slug[len] = '\0';
    if (!len)
        strscpy(model_slug, "unknown", sizeof(model_slug));
}

/* ---- load / unload ---- */

static void vmxgen_teardown(void)
{
    unsigned int cpu;

    /* Hotplug is held off while the state is removed and every CPU leaves VMX. */
    cpus_read_lock();
    if (hotplug_state >= 0) {
        cpuhp_remove_state_nocalls_cpuslocked(hotplug_state);
        hotplug_state = -1;
    }
    on_each_cpu(vmx_off_this_cpu, NULL, 1);
    cpus_read_unlock();

    for_each_possible_cpu(cpu)
        per_cpu_ptr(&vmxgen_pcpu, cpu)->core = NULL;
    free_percpu(core_states);
    core_states = NULL;
}

static int __init vmxgen_init(void)
{
    unsigned int cpu, on = 0, failed = 0, same = 0;
    int first_rc = 0, err;

    make_model_slug();
    if (caps_only) {
        debug_dir = debugfs_create_dir("vmxgen", NULL);
        debugfs_create_file("caps", 0444, debug_dir, NULL, &caps_fops);
        pr_info("caps_only: VMX operation not entered; caps in /sys/kernel/debug/vmxgen/caps\n");
        return 0;
    }
    core_states = __alloc_percpu(vmxgen_core_state_size(), vmxgen_core_state_align());
    if (!core_states)
        return -ENOMEM;
    for_each_possible_cpu(cpu) {
        struct vmxgen_pcpu *p = per_cpu_ptr(&vmxgen_pcpu, cpu);

        p->state = CPU_NEVER;
        p->rc = 0;
        p->core = per_cpu_ptr(core_states, cpu);
    }

    cpus_read_lock();
    on_each_cpu(vmx_on_this_cpu, NULL, 1);
    for_each_online_cpu(cpu) {
        struct vmxgen_pcpu *p = per_cpu_ptr(&vmxgen_pcpu, cpu);

        if (p->state == CPU_VMX_ON) {
            on++;
            continue;
        }
        failed++;
        if (failed == 1)
            first_rc = p->rc ? p->rc : -1;
        if (failed > 1 && p->rc == first_rc) {
            same++; /* one message per reason, not one per CPU */
            continue;
        }
        report_failure(cpu, p->rc);
    }
    if (failed) {
        cpus_read_unlock();
        if (same)
            pr_err("... and on %u more CPUs for the same reason\n", same);
        pr_err("VMX operation failed on %u of %u online CPUs; every CPU has left VMX again\n",
               failed, on + failed);
        err = errno_for(first_rc);
        goto fail;
    }
    err = cpuhp_setup_state_nocalls_cpuslocked(CPUHP_AP_ONLINE_DYN, "vmxgen:online",
                                               vmxgen_cpu_online, vmxgen_cpu_offline);
    cpus_read_unlock();
    if (err < 0) {
        pr_err("cannot register CPU hotplug callbacks: %d\n", err);
        goto fail;
    }
    hotplug_state = err;

    err = register_reboot_notifier(&vmxgen_reboot_nb);
    if (err) {
        pr_err("cannot register the reboot notifier: %d\n", err);
        goto fail;
    }
    reboot_registered = true;

    /* debugfs is best effort: the module works without it (and the API wants no checks). */
    debug_dir = debugfs_create_dir("vmxgen", NULL);
    debugfs_create_file("caps", 0444, debug_dir, NULL, &caps_fops);
    debugfs_create_file("status", 0444, debug_dir, NULL, &status_fops);

    pr_info("VMX operation entered on %u CPUs (model \"%s\"); caps in "
            "/sys/kernel/debug/vmxgen/caps\n", on, model_slug);
    return 0;

fail:
    if (err >= 0)
        err = -EIO;
    vmxgen_teardown();
    return err;
}

static void __exit vmxgen_exit(void)
{
    debugfs_remove_recursive(debug_dir);
    debug_dir = NULL;
    if (caps_only) {
        pr_info("unloaded\n");
        return;
    }
    if (reboot_registered) {
        unregister_reboot_notifier(&vmxgen_reboot_nb);
        reboot_registered = false;
    }
    vmxgen_teardown();
    pr_info("VMX operation left on every CPU; unloaded\n");
}

module_init(vmxgen_init);
module_exit(vmxgen_exit);

MODULE_LICENSE("Dual MIT/GPL");
MODULE_AUTHOR("vmxgen");
MODULE_DESCRIPTION("vmxgen VMX runtime: VMX operation on every CPU, capability dump in debugfs");

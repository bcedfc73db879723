/* SPDX-License-Identifier: MIT */
/*
 * vmxgen.ko: the vmxgen VMX runtime as a Linux kernel module.
 *
 * Load: every online CPU enters VMX operation through the portable core (detect VMX, enable it
 * in IA32_FEATURE_CONTROL if firmware left that unlocked, CR0/CR4 fixed bits and CR4.VMXE,
 * VMXON region, VMXON). If any CPU fails, every CPU leaves VMX again and the load fails.
 * Loaded: CPUs that come online enter VMX, CPUs that go offline (and all CPUs at reboot) leave
 * it; /sys/kernel/debug/vmxgen/caps is the capability dump as JSON, .../status the per-CPU
 * state, .../probe what each CPU's hardware says (CR4.VMXE, VMPTRST), and writing a scenario name
 * to .../run runs that scenario of src/scenarios on the CPUs (see run_write). Unload: VMXOFF
 * and CR4 restored on every CPU, everything freed.
 *
 * Kernel-facing half: sees kernel headers, never the VMX facts headers (see vmxgen_linux.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/workqueue.h>
#include <linux/uaccess.h>
#include <linux/string.h>
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
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/segment.h>
#include <asm/tlbflush.h>

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

/* What each online CPU's hardware says, independent of the bookkeeping above: CR4.VMXE in the
 * register and in the kernel's shadow, and whether VMPTRST executes (it raises #UD outside VMX
 * operation). Also with caps_only, so that a fresh load can check that nobody is left in VMX
 * operation. */
struct probe_result {
    struct vmxgen_probe hw;
    bool shadow_vmxe;
};

static void probe_this_cpu(void *arg)
{
    struct probe_result *r = arg;

    vmxgen_core_probe(&r->hw);
    r->shadow_vmxe = (cr4_read_shadow() & X86_CR4_VMXE) != 0;
}

static int probe_show(struct seq_file *m, void *unused)
{
    unsigned int cpu;

    cpus_read_lock();
    for_each_online_cpu(cpu) {
        struct probe_result r = { 0 };

        if (smp_call_function_single(cpu, probe_this_cpu, &r, 1))
            continue;
        if (r.hw.vmptrst_status == 0)
            seq_printf(m, "cpu%u cr4.vmxe=%d shadow.vmxe=%d vmx-operation vmptrst=0x%llx\n", cpu,
                       r.hw.cr4_vmxe, r.shadow_vmxe, (unsigned long long)r.hw.current_vmcs);
        else
            seq_printf(m, "cpu%u cr4.vmxe=%d shadow.vmxe=%d %s vmptrst=%d\n", cpu,
                       r.hw.cr4_vmxe, r.shadow_vmxe,
                       r.hw.vmptrst_status == -2 ? "no-vmx-operation" : "vmptrst-failed",
                       r.hw.vmptrst_status);
    }
    cpus_read_unlock();
    return 0;
}
DEFINE_SHOW_ATTRIBUTE(probe);

/* ---- running the core's scenarios ----
 * A scenario owns the VMX lifecycle of its CPU (vmx_cpu_on .. vmx_cpu_off), so the module leaves
 * VMX operation on that CPU first and re-enters it afterwards. A VM exit loads the host state of
 * the VMCS, which the core fills from the running CPU, except for what the VMCS cannot hold and
 * the SDM fixes instead: GDTR/IDTR limits 0xFFFF, TR limit 0x67, LDTR unusable, DR7 0x400,
 * IA32_DEBUGCTL 0, and data selectors with RPL/TI bits written as 0. Before: the FS/GS selectors
 * and LDTR must be 0 (kernel threads and idle; otherwise their bases would need restoring), DR7,
 * IA32_DEBUGCTL, DS and ES are saved; after: they are restored, the GDT reloaded (its limit) and
 * the TSS limit marked for reload, as KVM does after its VM exits. */
struct host_extras {
    unsigned long dr7;
    u64 debugctl;
    u16 ds, es;
    bool refused;  /* FS, GS or LDTR not 0: the scenario was not run on this CPU */
};
static DEFINE_PER_CPU(struct host_extras, host_extras);

static u16 read_ldtr(void)
{
    u16 sel;

    asm volatile("sldt %0" : "=r"(sel));
    return sel;
}

/* On the CPU, interrupts off: refuse, or save and leave VMX operation. */
static void leave_for_scenario(void *unused)
{
    struct host_extras *h = this_cpu_ptr(&host_extras);
    u16 fs, gs;

    savesegment(fs, fs);
    savesegment(gs, gs);
    h->refused = fs || gs || read_ldtr();
    if (h->refused)
        return;
    savesegment(ds, h->ds);
    savesegment(es, h->es);
    h->dr7 = native_get_debugreg(7);
    rdmsrl(MSR_IA32_DEBUGCTLMSR, h->debugctl);
    vmx_off_this_cpu(NULL);
}

/* On the CPU, interrupts off: undo what VM exits changed, re-enter VMX operation. */
static void back_from_scenario(void *unused)
{
    struct host_extras *h = this_cpu_ptr(&host_extras);
    u16 ds, es;

    if (h->refused)
        return;
    load_fixmap_gdt(smp_processor_id());
    invalidate_tss_limit();
    savesegment(ds, ds);
    savesegment(es, es);
    if (ds != h->ds)
        loadsegment(ds, h->ds);
    if (es != h->es)
        loadsegment(es, h->es);
    native_set_debugreg(7, h->dr7);
    wrmsrl(MSR_IA32_DEBUGCTLMSR, h->debugctl);
    vmx_on_this_cpu(NULL);
}

/* 0, or why the CPU is not back in VMX operation (logged). */
static int back_in_vmx(unsigned int cpu)
{
    struct vmxgen_pcpu *p = per_cpu_ptr(&vmxgen_pcpu, cpu);

    if (per_cpu_ptr(&host_extras, cpu)->refused) {
        pr_err("cpu%u: scenario not run: FS, GS or LDTR selector not 0\n", cpu);
        return -EBUSY;
    }
    if (p->state == CPU_VMX_ON)
        return 0;
    report_failure(cpu, p->rc);
    return errno_for(p->rc);
}

/* In a kworker bound to the CPU (kernel thread: FS, GS, LDTR 0), interrupts off throughout. */
static long run_scenario_here(void *arg)
{
    unsigned int index = (uintptr_t)arg;
    unsigned long flags;

    local_irq_save(flags);
    leave_for_scenario(NULL);
    if (!this_cpu_ptr(&host_extras)->refused)
        vmxgen_core_scenario_run(index);
    back_from_scenario(NULL);
    local_irq_restore(flags);
    return back_in_vmx(smp_processor_id());
}

/* scenario_smp drives CPUs 0 .. n-1 by IPIs from here; all of them leave VMX first. */
static int run_smp(void)
{
    unsigned int cpu, n = num_online_cpus();
    int err = 0;

    for (cpu = 0; cpu < n; cpu++)
        if (!cpu_online(cpu))
            return -ENXIO; /* the scenario numbers CPUs 0 .. n-1 */
    on_each_cpu(leave_for_scenario, NULL, 1);
    for_each_online_cpu(cpu)
        if (per_cpu_ptr(&host_extras, cpu)->refused)
            err = -EBUSY;
    if (!err)
        vmxgen_core_smp();
    on_each_cpu(back_from_scenario, NULL, 1);
    for_each_online_cpu(cpu) {
        int rc = back_in_vmx(cpu);

        if (rc && !err)
            err = rc;
    }
    return err;
}

/*
 * echo NAME > run       the scenario on every online CPU, one after the other
 * echo NAME CPU > run   on that CPU only
 * echo smp > run        scenario_smp: every CPU on its own, then smp_migrate (CPU 0 to 1)
 * The scenario lines (SCENARIO/SMP ...) go to the kernel log; the write fails if the name is
 * unknown or a CPU could not re-enter VMX operation afterwards.
 *
 * run_scenario: NAME on CPU `only` (UINT_MAX: every online CPU in turn); hotplug held off by the
 * caller.
 */
static long run_scenario(const char *name, unsigned int only)
{
    unsigned int i, cpu;
    long err = 0;

    if (!strcmp(name, "smp"))
        return run_smp();
    for (i = 0; i < vmxgen_core_scenario_count(); i++)
        if (!strcmp(name, vmxgen_core_scenario_name(i)))
            break;
    if (i == vmxgen_core_scenario_count())
        return -EINVAL;
    if (only != UINT_MAX && (only >= nr_cpu_ids || !cpu_online(only)))
        return -ENXIO;
    for_each_online_cpu(cpu) {
        if (only != UINT_MAX && cpu != only)
            continue;
        err = work_on_cpu(cpu, run_scenario_here, (void *)(uintptr_t)i);
        if (err)
            break;
    }
    return err;
}

/* see run_scenario */
static ssize_t run_write(struct file *file, const char __user *ubuf, size_t len, loff_t *pos)
{
    char buf[64], *args, *name;
    unsigned int only = UINT_MAX;
    long err;

    if (len >= sizeof(buf))
        return -EINVAL;
    if (copy_from_user(buf, ubuf, len))
        return -EFAULT;
    buf[len] = '\0';
    args = strim(buf);
    name = strsep(&args, " ");
    if (args && kstrtouint(skip_spaces(args), 10, &only))
        return -EINVAL;
    cpus_read_lock();
    err = run_scenario(name, only);
    cpus_read_unlock();
    return err ? err : (ssize_t)len;
}

static const struct file_operations run_fops = {
    .owner = THIS_MODULE,
    .write = run_write,
    .llseek = noop_llseek,
};

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
        debugfs_create_file("probe", 0444, debug_dir, NULL, &probe_fops);
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
    debugfs_create_file("probe", 0444, debug_dir, NULL, &probe_fops);
    debugfs_create_file("run", 0200, debug_dir, NULL, &run_fops);

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
MODULE_DESCRIPTION("vmxgen VMX runtime: VMX operation on every CPU, capability dump and scenarios in debugfs");

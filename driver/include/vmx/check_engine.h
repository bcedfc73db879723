/* The mechanism under the generated VM-entry checks (generated/vmx_checks.h): input caches, the three-valued verdict
 * (a read that fails makes the running check not decidable, never passed) and the check language's arithmetic.
 * Ordinary source, not generated: nothing here depends on the spec. Freestanding C11, no libc. */
#ifndef VMXGEN_CHECK_ENGINE_H
#define VMXGEN_CHECK_ENGINE_H

#if defined(__KERNEL__)
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

enum vmx_check_verdict {
	VMX_CHECK_NOT_APPLICABLE = 1, /* the precondition does not hold */
	VMX_CHECK_PASSED = 2,
	VMX_CHECK_VIOLATED = 3,
	VMX_CHECK_NOT_DECIDABLE = 4, /* an input is missing: a field VMREAD cannot read, an MSR, a fact, memory */
};

struct vmx_check_info {
	const char *id;
	const char *title;
	const char *section;  /* the SDM section title */
	char category;        /* A-L, M for MSR loading */
	uint8_t number;       /* 7 or 8: VMfailValid error; 33 or 34: exit reason of the VM-entry failure */
	int8_t qualification; /* exit qualification of exit reason 33, -1 otherwise */
	uint8_t value_count;
	const char *message;  /* {x} is a value in hex, {d} in decimal */
};

/* What the checks read. Each callback returns 0 on success; a NULL callback is an input never available. */
struct vmx_check_env {
	int (*vmread)(void *ctx, uint32_t encoding, uint64_t *value);
	int (*rdmsr)(void *ctx, uint32_t msr, uint64_t *value);       /* the capability MSRs */
	int (*fact)(void *ctx, const char *name, uint64_t *value);    /* "maxphyaddr", "current_lma", ... */
	int (*read_memory)(void *ctx, uint64_t gpa, unsigned size, uint64_t *value);
	void *ctx;
};

/* Called once per check with its verdict; values are those the message shows (for a violation). */
typedef void (*vmx_check_report_fn)(void *user, const struct vmx_check_info *check, enum vmx_check_verdict verdict,
				    const uint64_t *values, unsigned count);

/* How a control field's allowed settings are found (SDM Appendix A): its capability MSR, the TRUE_ one used instead
 * when IA32_VMX_BASIC[55] is 1, whether the MSR is the 32-bit split format, and the control that activates it. */
struct vmx_check_control {
	uint32_t msr;
	uint32_t true_msr;
	uint8_t split;
	int8_t gate;     /* index of the activating control field, -1 when always active */
	uint8_t gate_bit;
};

/* The reads and verdicts are called from a few hundred checks: kept out of line, the validator is a fraction of the
 * size, and the checks themselves stay cheap (a VMREAD costs more than the call). */
#if defined(__GNUC__)
#define VMX_CHECK_OUT_OF_LINE __attribute__((__noinline__, __unused__)) static /* spelled so that kernel macros (noinline) cannot expand */
#else
#define VMX_CHECK_OUT_OF_LINE static
#endif

#define VMX_CHECK_UNREAD 0
#define VMX_CHECK_READ 1
#define VMX_CHECK_MISSING 2

struct vmx_check_context {
	const struct vmx_check_env *env;
	vmx_check_report_fn report;
	void *user;
	const uint32_t *field_encodings;
	const uint32_t *msrs;
	const char *const *facts;
	const struct vmx_check_control *controls;
	uint32_t basic_msr;
	unsigned true_controls_bit;
	uint64_t *values;       /* fields, then MSRs, then facts */
	uint8_t *state;
	unsigned field_count, msr_count;
	int missing;
	int violations;
};

static inline uint64_t vmx_check_cached(struct vmx_check_context *c, unsigned offset, int ok, uint64_t value)
{
	c->values[offset] = ok ? value : 0;
	c->state[offset] = ok ? VMX_CHECK_READ : VMX_CHECK_MISSING;
	return c->values[offset];
}

static inline uint64_t vmx_check_value(struct vmx_check_context *c, unsigned offset)
{
	if (c->state[offset] == VMX_CHECK_MISSING)
		c->missing = 1;
	return c->values[offset];
}

VMX_CHECK_OUT_OF_LINE uint64_t vmx_check_field(struct vmx_check_context *c, unsigned slot)
{
	if (c->state[slot] == VMX_CHECK_UNREAD) {
		uint64_t v = 0;
		int ok = c->env->vmread && c->env->vmread(c->env->ctx, c->field_encodings[slot], &v) == 0;
		vmx_check_cached(c, slot, ok, v);
	}
	return vmx_check_value(c, slot);
}

static inline int vmx_check_read_msr(struct vmx_check_context *c, uint32_t msr, uint64_t *v)
{
	return c->env->rdmsr && c->env->rdmsr(c->env->ctx, msr, v) == 0;
}

VMX_CHECK_OUT_OF_LINE uint64_t vmx_check_msr(struct vmx_check_context *c, unsigned slot)
{
	unsigned offset = c->field_count + slot;
	if (c->state[offset] == VMX_CHECK_UNREAD) {
		uint64_t v = 0;
		int ok = vmx_check_read_msr(c, c->msrs[slot], &v);
		vmx_check_cached(c, offset, ok, v);
	}
	return vmx_check_value(c, offset);
}

VMX_CHECK_OUT_OF_LINE uint64_t vmx_check_fact(struct vmx_check_context *c, unsigned slot)
{
	unsigned offset = c->field_count + c->msr_count + slot;
	if (c->state[offset] == VMX_CHECK_UNREAD) {
		uint64_t v = 0;
		int ok = c->env->fact && c->env->fact(c->env->ctx, c->facts[slot], &v) == 0;
		vmx_check_cached(c, offset, ok, v);
	}
	return vmx_check_value(c, offset);
}

/* Allowed-0 (one = 0: bit set means must be 1) or allowed-1 (one = 1: bit clear means must be 0) settings. A control
 * field whose activating control may not be 1 allows nothing, as the processor treats it as all zeros. */
VMX_CHECK_OUT_OF_LINE uint64_t vmx_check_allowed(struct vmx_check_context *c, int control, int one)
{
	const struct vmx_check_control *k = &c->controls[control];
	uint64_t basic = 0, raw = 0;
	uint32_t msr = k->msr;
	if (k->gate >= 0 && ((vmx_check_allowed(c, k->gate, 1) >> k->gate_bit) & 1u) == 0)
		return 0;
	if (k->true_msr != 0) {
		if (!vmx_check_read_msr(c, c->basic_msr, &basic)) {
			c->missing = 1;
			return 0;
		}
		if ((basic >> c->true_controls_bit) & 1u)
			msr = k->true_msr;
	}
	if (msr == 0 || !vmx_check_read_msr(c, msr, &raw)) {
		c->missing = 1;
		return 0;
	}
	if (k->split)
		return one ? raw >> 32 : raw & 0xFFFFFFFFull;
	return one ? raw : 0;
}

VMX_CHECK_OUT_OF_LINE uint64_t vmx_check_memory(struct vmx_check_context *c, uint64_t gpa, unsigned size)
{
	uint64_t v = 0;
	if (c->env->read_memory && c->env->read_memory(c->env->ctx, gpa, size, &v) == 0)
		return v;
	c->missing = 1;
	return 0;
}

/* The 1-based index of the first 16-byte MSR-list entry whose low quadword (MSR index, reserved bits) matches
 * (entry & mask) == value, or with nonzero (entry & mask) != 0; 0 when none does. A list longer than 4096 entries or
 * memory that cannot be read makes the check not decidable. */
VMX_CHECK_OUT_OF_LINE uint64_t vmx_check_msr_list_find(struct vmx_check_context *c, uint64_t address, uint64_t count, uint64_t mask,
					       uint64_t value, int nonzero)
{
	uint64_t i, entry;
	if (count > 4096) {
		c->missing = 1;
		return 0;
	}
	for (i = 0; i < count; i++) {
		entry = vmx_check_memory(c, address + 16 * i, 8);
		if (c->missing)
			return 0;
		if (nonzero ? (entry & mask) != 0 : (entry & mask) == value)
			return i + 1;
	}
	return 0;
}

static inline int vmx_check_canonical(uint64_t address, uint64_t width)
{
	uint64_t top;
	if (width < 32 || width >= 64)
		return width == 64;
	top = address >> (width - 1);
	return top == 0 || top == (~(uint64_t)0 >> (width - 1));
}

static inline int vmx_check_below_maxphyaddr(uint64_t address, uint64_t maxphyaddr)
{
	return maxphyaddr >= 64 || (address >> maxphyaddr) == 0;
}

static inline uint64_t vmx_check_shl(uint64_t v, uint64_t n) { return n >= 64 ? 0 : v << n; }
static inline uint64_t vmx_check_shr(uint64_t v, uint64_t n) { return n >= 64 ? 0 : v >> n; }
static inline uint64_t vmx_check_div(uint64_t a, uint64_t b) { return b == 0 ? 0 : a / b; }
static inline uint64_t vmx_check_mod(uint64_t a, uint64_t b) { return b == 0 ? 0 : a % b; }

static inline void vmx_check_begin(struct vmx_check_context *c) { c->missing = 0; }

VMX_CHECK_OUT_OF_LINE void vmx_check_verdict(struct vmx_check_context *c, const struct vmx_check_info *check,
				     enum vmx_check_verdict verdict, const uint64_t *values, unsigned count)
{
	if (verdict == VMX_CHECK_VIOLATED)
		c->violations++;
	if (c->report)
		c->report(c->user, check, verdict, values, count);
}

/* 1 when the check goes on to its requirement; otherwise its verdict (not applicable / not decidable) is reported. */
VMX_CHECK_OUT_OF_LINE int vmx_check_applies(struct vmx_check_context *c, const struct vmx_check_info *check, int when)
{
	if (c->missing) {
		vmx_check_verdict(c, check, VMX_CHECK_NOT_DECIDABLE, NULL, 0);
		return 0;
	}
	if (!when) {
		vmx_check_verdict(c, check, VMX_CHECK_NOT_APPLICABLE, NULL, 0);
		return 0;
	}
	return 1;
}

/* 1 when the requirement is violated: the caller then reports the values; a pass is reported here. */
VMX_CHECK_OUT_OF_LINE int vmx_check_violated(struct vmx_check_context *c, const struct vmx_check_info *check, int holds)
{
	if (c->missing) {
		vmx_check_verdict(c, check, VMX_CHECK_NOT_DECIDABLE, NULL, 0);
		return 0;
	}
	if (holds)
		vmx_check_verdict(c, check, VMX_CHECK_PASSED, NULL, 0);
	return !holds;
}

/* Writes the message of a violation into buf (always terminated when size > 0); returns the length it needed. */
static inline size_t vmx_check_format_message(char *buf, size_t size, const struct vmx_check_info *check,
					      const uint64_t *values, unsigned count)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t n = 0;
	unsigned next = 0;
	const char *p;
	for (p = check->message; *p; p++) {
		char tmp[24];
		int len = 0, base;
		uint64_t v;
		if (p[0] == '{' && (p[1] == 'x' || p[1] == 'd') && p[2] == '}') {
			base = p[1] == 'x' ? 16 : 10;
			v = next < count ? values[next] : 0;
			next++;
			do {
				tmp[len++] = digits[v % (unsigned)base];
				v /= (unsigned)base;
			} while (v);
			if (base == 16)
				tmp[len++] = 'x', tmp[len++] = '0';
			while (len > 0) {
				if (n + 1 < size)
					buf[n] = tmp[len - 1];
				n++;
				len--;
			}
			p += 2;
			continue;
		}
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
			p++;
		if (n + 1 < size)
			buf[n] = *p;
		n++;
	}
	if (size > 0)
		buf[n < size ? n : size - 1] = '\0';
	return n;
}

#endif

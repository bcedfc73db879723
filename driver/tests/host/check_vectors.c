/* Runs the generated VM-entry checks (vmx_checks.h) on concrete vectors read from stdin, for the C#/C agreement test
 * (tests/Vmx.Consistency.Tests/Checks). Input, one vector after another:
 *   vector NAME / field ENC VALUE / msr ADDR VALUE / fact NAME VALUE / mem ADDR BYTE / end      (numbers in hex)
 * Output: "NAME CHECK-ID VERDICT" for every check, VERDICT one of n/a pass fail undecided, and for a violation the
 * formatted message after a tab. Hosted C: the harness reads files; the checks themselves are freestanding. */
#define VMX_CHECKS_IMPLEMENTATION
#include "vmx/generated/vmx_checks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 4096

struct item {
	uint64_t key;
	uint64_t value;
	char name[64];
};

struct vector {
	char name[256];
	struct item fields[MAX_ITEMS], msrs[MAX_ITEMS], facts[64], mem[MAX_ITEMS];
	unsigned nfields, nmsrs, nfacts, nmem;
};

static struct vector current;

static int find(const struct item *items, unsigned n, uint64_t key, uint64_t *value)
{
	unsigned i;
	for (i = 0; i < n; i++)
		if (items[i].key == key) {
			*value = items[i].value;
			return 0;
		}
	return -1;
}

static int vmread(void *ctx, uint32_t encoding, uint64_t *value)
{
	(void)ctx;
	return find(current.fields, current.nfields, encoding, value);
}

static int rdmsr(void *ctx, uint32_t msr, uint64_t *value)
{
	(void)ctx;
	return find(current.msrs, current.nmsrs, msr, value);
}

static int fact(void *ctx, const char *name, uint64_t *value)
{
	unsigned i;
	(void)ctx;
	for (i = 0; i < current.nfacts; i++)
		if (strcmp(current.facts[i].name, name) == 0) {
			*value = current.facts[i].value;
			return 0;
		}
	return -1;
}

static int read_memory(void *ctx, uint64_t gpa, unsigned size, uint64_t *value)
{
	uint64_t v = 0, byte;
	unsigned i;
	(void)ctx;
	for (i = size; i-- > 0;) {
		if (find(current.mem, current.nmem, gpa + i, &byte) != 0)
			return -1;
		v = (v << 8) | byte;
	}
	*value = v;
	return 0;
}

static void report(void *user, const struct vmx_check_info *check, enum vmx_check_verdict verdict, const uint64_t *values,
		   unsigned count)
{
	static const char *const names[] = { "?", "n/a", "pass", "fail", "undecided" };
	char message[512];
	(void)user;
	printf("%s %s %s", current.name, check->id, names[verdict]);
	if (verdict == VMX_CHECK_VIOLATED) {
		vmx_check_format_message(message, sizeof message, check, values, count);
		printf("\t%s", message);
	}
	printf("\n");
}

static void add(struct item *items, unsigned *n, unsigned max, uint64_t key, uint64_t value, const char *name)
{
	if (*n >= max) {
		fprintf(stderr, "check_vectors: too many items in %s\n", current.name);
		exit(2);
	}
	items[*n].key = key;
	items[*n].value = value;
	snprintf(items[*n].name, sizeof items[*n].name, "%s", name ? name : "");
	(*n)++;
}

int main(void)
{
	char line[512], word[16], name[256];
	unsigned long long a, b;
	struct vmx_check_env env = { vmread, rdmsr, fact, read_memory, NULL };
	while (fgets(line, sizeof line, stdin)) {
		if (sscanf(line, "vector %255s", name) == 1) {
			memset(&current, 0, sizeof current);
			snprintf(current.name, sizeof current.name, "%s", name);
		} else if (sscanf(line, "field %llx %llx", &a, &b) == 2) {
			add(current.fields, &current.nfields, MAX_ITEMS, a, b, NULL);
		} else if (sscanf(line, "msr %llx %llx", &a, &b) == 2) {
			add(current.msrs, &current.nmsrs, MAX_ITEMS, a, b, NULL);
		} else if (sscanf(line, "fact %63s %llx", name, &b) == 2) {
			add(current.facts, &current.nfacts, 64, 0, b, name);
		} else if (sscanf(line, "mem %llx %llx", &a, &b) == 2) {
			add(current.mem, &current.nmem, MAX_ITEMS, a, b, NULL);
		} else if (sscanf(line, "%15s", word) == 1 && strcmp(word, "end") == 0) {
			vmx_check_vm_entry(&env, report, NULL);
		} else {
			fprintf(stderr, "check_vectors: cannot read: %s", line);
			return 2;
		}
	}
	return 0;
}

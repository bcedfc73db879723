/* SPDX-License-Identifier: MIT */
/*
 * Linux port glue for vmx/os.h.
 *
 * This header is seen by the core's translation units, so it pulls in only two tiny kernel
 * headers with nothing but constants: no <asm/current.h> (whose `current` macro would rewrite
 * the core's local variables of that name), no <asm/msr-index.h> (VMX_BASIC_* and friends).
 */
#ifndef VMXGEN_LINUX_OS_PORT_H
#define VMXGEN_LINUX_OS_PORT_H

#include <linux/stringify.h>
#include <asm/extable_fixup_types.h>

/*
 * A fault fixup in the kernel's exception table: an entry is three 32-bit words, the faulting
 * instruction and the resume address (each relative to the word itself) and the handler type.
 * EX_TYPE_DEFAULT resumes at `to` for a #UD or #GP raised in kernel mode. The kernel's own
 * _ASM_EXTABLE() stringifies bare labels; the core passes strings ("1b", "3f"), hence this copy
 * of the layout.
 */
#define OS_ASM_EXTABLE(from, to)                                                                \
    ".pushsection \"__ex_table\", \"a\"\n\t"                                                    \
    ".balign 4\n\t"                                                                             \
    ".long (" from ") - .\n\t"                                                                  \
    ".long (" to ") - .\n\t"                                                                    \
    ".long " __stringify(EX_TYPE_DEFAULT) "\n\t"                                                \
    ".popsection\n\t"

#endif

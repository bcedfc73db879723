/* SPDX-License-Identifier: MIT */
/* Bare-metal port glue for vmx/os.h. */
#ifndef BAREMETAL_OS_PORT_H
#define BAREMETAL_OS_PORT_H

/* A fixup entry: 8-byte faulting address, 8-byte resume address; see trap.c. */
#define OS_ASM_EXTABLE(from, to)                                                                \
    ".pushsection .vmx_extable, \"a\"\n\t"                                                      \
    ".balign 8\n\t"                                                                             \
    ".quad " from ", " to "\n\t"                                                                \
    ".popsection\n\t"

#endif

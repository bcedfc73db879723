/* SPDX-License-Identifier: MIT */
/* The host-test port: no fault table (the tests never execute a VMX instruction). */
#ifndef HOST_OS_PORT_H
#define HOST_OS_PORT_H

#define OS_ASM_EXTABLE(from, to) ""

#endif

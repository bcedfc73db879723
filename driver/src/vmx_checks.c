/* SPDX-License-Identifier: MIT */
/* The definitions of the generated VM-entry checks (vmx/generated/vmx_checks.h), compiled once. */
#define VMX_CHECKS_IMPLEMENTATION
#include "vmx/generated/vmx_checks.h"

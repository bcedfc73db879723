/* SPDX-License-Identifier: MIT */
/* Extended page tables: 4-level, 4 KiB leaves, built from os_alloc_pages. */
#include "vmx/vmx.h"

#define EPT_ENTRIES 512
#define EPT_LEVELS 4 /* PML4, PDPT, PD, PT: the walk length this driver uses */

/* Per level (0 = PT ... 3 = PML4): the entry's read/write/execute bits and the address it holds
 * (the next table, or the 4-KByte page for a PTE). */
static const uint64_t ept_rwx[EPT_LEVELS] = {
    VMX_EPT_PTE_READ_MASK | VMX_EPT_PTE_WRITE_MASK | VMX_EPT_PTE_EXECUTE_MASK,
    VMX_EPT_PDE_READ_MASK | VMX_EPT_PDE_WRITE_MASK | VMX_EPT_PDE_EXECUTE_MASK,
    VMX_EPT_PDPTE_READ_MASK | VMX_EPT_PDPTE_WRITE_MASK | VMX_EPT_PDPTE_EXECUTE_MASK,
    VMX_EPT_PML4E_READ_MASK | VMX_EPT_PML4E_WRITE_MASK | VMX_EPT_PML4E_EXECUTE_MASK,
};
static const uint64_t ept_address[EPT_LEVELS] = {
    VMX_EPT_PTE_PAGE_ADDRESS_MASK,
    VMX_EPT_PDE_PAGE_TABLE_ADDRESS_MASK,
    VMX_EPT_PDPTE_PAGE_DIRECTORY_ADDRESS_MASK,
    VMX_EPT_PML4E_PDPT_ADDRESS_MASK,
};

static uint64_t *new_table(struct vmx_ept *ept)
{
    if (ept->ntables >= sizeof ept->tables / sizeof ept->tables[0])
        return 0;
    uint64_t *t = os_alloc_pages(1);
    if (t)
        ept->tables[ept->ntables++] = t;
    return t;
}

int vmx_ept_init(struct vmx_ept *ept, const struct vmx_caps *caps)
{
    *ept = (struct vmx_ept){ 0 };
    uint64_t cap = caps->has_ept_vpid_cap ? caps->ept_vpid_cap : 0;
    uint64_t type;

    if (!(cap & VMX_IA32_VMX_EPT_VPID_CAP_PAGE_WALK_LENGTH_4_MASK)) {
        os_log("vmx: EPT with a 4-level walk is not supported\n");
        return VMX_E_CAPABILITY;
    }
    if (cap & VMX_IA32_VMX_EPT_VPID_CAP_MEMORY_TYPE_WB_MASK)
        type = VMX_MEMORY_TYPE_WRITE_BACK;
    else if (cap & VMX_IA32_VMX_EPT_VPID_CAP_MEMORY_TYPE_UC_MASK)
        type = VMX_MEMORY_TYPE_UNCACHEABLE;
    else {
        os_log("vmx: no EPT paging-structure memory type is supported\n");
        return VMX_E_CAPABILITY;
    }
    ept->pml4 = new_table(ept);
    if (!ept->pml4)
        return VMX_E_NO_MEMORY;
    uint64_t eptp = os_virt_to_phys(ept->pml4) & VMX_EPTP_PML4_ADDRESS_MASK;
    eptp = vmx_eptp_set_page_walk_length_minus_1(eptp, EPT_LEVELS - 1);
    ept->eptp = vmx_eptp_set_memory_type(eptp, type);
    return 0;
}

static unsigned index_at(uint64_t gpa, int level) /* level 3 = PML4 ... 0 = PT */
{
    return (unsigned)(gpa >> (12 + 9 * level)) & (EPT_ENTRIES - 1);
}

int vmx_ept_map_4k(struct vmx_ept *ept, uint64_t gpa, uint64_t hpa)
{
    uint64_t *table = ept->pml4;
    for (int level = EPT_LEVELS - 1; level > 0; level--) {
        uint64_t *e = &table[index_at(gpa, level)];
        if (!(*e & ept_rwx[level])) {
            uint64_t *next = new_table(ept);
            if (!next)
                return VMX_E_NO_MEMORY;
            *e = (os_virt_to_phys(next) & ept_address[level]) | ept_rwx[level];
        }
        table = os_phys_to_virt(*e & ept_address[level]);
    }
    table[index_at(gpa, 0)] = vmx_ept_pte_set_memory_type(
        (hpa & VMX_EPT_PTE_PAGE_ADDRESS_MASK) | ept_rwx[0], VMX_MEMORY_TYPE_WRITE_BACK);
    return 0;
}

int vmx_ept_translate(const struct vmx_ept *ept, uint64_t gpa, uint64_t *hpa)
{
    const uint64_t *table = ept->pml4;
    for (int level = EPT_LEVELS - 1; level >= 0; level--) {
        uint64_t e = table[index_at(gpa, level)];
        if (!(e & ept_rwx[level]))
            return VMX_E_GUEST; /* not mapped */
        if (level == 0) {
            *hpa = (e & ept_address[0]) | (gpa & (OS_PAGE_SIZE - 1));
            return 0;
        }
        table = os_phys_to_virt(e & ept_address[level]);
    }
    return VMX_E_GUEST;
}

void vmx_ept_free(struct vmx_ept *ept)
{
    for (unsigned i = 0; i < ept->ntables; i++)
        os_free_pages(ept->tables[i], 1);
    *ept = (struct vmx_ept){ 0 };
}

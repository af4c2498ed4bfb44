/*
 * Alias -- private layouts shared by alias_*.c. Nothing outside sim/alias includes this file.
 */
#ifndef SIM_ALIAS_INTERNAL_H
#define SIM_ALIAS_INTERNAL_H

#include "sim/alias/alias.h"
#include "sim/alias/alias_quirks.h"
#include "sim/util/vec.h"

enum fn_alias_flag {
    FA_PCIE_BRIDGE_ALIAS = 1u << 0, /* PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS */
    FA_XLATE_ROOT = 1u << 1,        /* PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT */
};

/* What the quirk table and the scenario say about one function, computed once. */
struct fn_alias {
    uint32_t mask;       /* index of its 256-bit dma_alias_mask in ctx->masks, or TOPO_NONE */
    uint32_t iommu;      /* IOMMU translating its DMA, or TOPO_NONE */
    int16_t acs_quirk;   /* table row that decided ACS, or -1 */
    uint8_t flags;       /* enum fn_alias_flag */
    uint8_t acs_why;     /* enum alias_acs_why */
    uint8_t acs_missing; /* required ACS features not enabled (ALIAS_ACS_CTRL) */
    bool acs_enabled;    /* pci_acs_enabled(REQ_ACS_FLAGS) */
};

struct alias_ctx {
    const struct topology *t;
    struct fn_alias *fa; /* one per function */
    VEC(uint64_t) masks; /* 4 words per dma_alias_mask */
    const struct quirk_row *rows;
    size_t nrows;
    uint32_t *by_vendor; /* row indices sorted by (vendor, device_first, index) */
    bool os_enables_acs; /* platform.os_enables_acs */
    bool amd_ivrs;       /* an IVRS table exists (the machine has an amd-vi IOMMU) */
};

/* alias_ctx.c */
bool mask_test(const struct alias_ctx *ctx, uint32_t fn, uint8_t devfn);
const char *kind_phrase(enum topo_kind k);

/* alias_acs.c */
void acs_evaluate(struct alias_ctx *ctx, uint32_t fn, const int *acs_rows, size_t nacs);

#endif

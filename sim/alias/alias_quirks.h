/*
 * Alias -- the built-in vendor:device quirk table, as data: every DMA-alias quirk and every
 * ACS quirk of Linux drivers/pci/quirks.c that dmasim models (SEMANTICS.md 1.3). One row per
 * vendor and device range, each cited to the upstream function that implements it.
 *
 * Quirks that depend on register contents Linux reads from BAR space (Switchtec NTB
 * partitions) are not here: a scenario states their aliases with `dma_alias`.
 */
#ifndef SIM_ALIAS_QUIRKS_H
#define SIM_ALIAS_QUIRKS_H

#include <stddef.h>
#include <stdint.h>

#define QUIRK_ANY_ID 0xffffu /* matches every device id (PCI_ANY_ID) */

/* What a row does. DMA-alias kinds add devfns to the function's alias set (same bus); bridge
 * kinds set a flag on a bridge; ACS kinds answer pci_dev_specific_acs_enabled(). */
enum quirk_kind {
    /* DMA aliases */
    QUIRK_DMA_FUNC0,    /* quirk_dma_func0_alias: if fn != 0, alias slot.0 */
    QUIRK_DMA_FUNC1,    /* quirk_dma_func1_alias: if fn != 1, alias slot.1 (may not exist) */
    QUIRK_DMA_FIXED,    /* quirk_fixed_dma_alias: alias `devfn` when the subsystem matches */
    QUIRK_DMA_MIC_X200, /* quirk_mic_x200_dma_alias: 10.0, 11.0, 12.3 */
    QUIRK_DMA_PEX_VCA,  /* quirk_pex_vca_alias: slot.0-slot.4 of every slot */
    QUIRK_DMA_PLX_NTB,  /* quirk_plx_ntb_dma_alias: all 256 devfns */
    /* bridges */
    QUIRK_PCIE_BRIDGE_ALIAS, /* quirk_use_pcie_bridge_dma_alias: PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS */
    QUIRK_BRIDGE_XLATE_ROOT, /* quirk_bridge_cavm_thrx2_pcie_root: PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT
                              */
    /* ACS: pci_dev_acs_enabled[] entries, in the kernel's table order */
    QUIRK_ACS_AMD_SB,        /* pci_quirk_amd_sb_acs */
    QUIRK_ACS_MF_ENDPOINT,   /* pci_quirk_mf_endpoint_acs */
    QUIRK_ACS_RCIEP,         /* pci_quirk_rciep_acs (Intel, RC_END only) */
    QUIRK_ACS_QCOM_RP,       /* pci_quirk_qcom_rp_acs */
    QUIRK_ACS_INTEL_PCH,     /* pci_quirk_intel_pch_acs (needs the enable hook) */
    QUIRK_ACS_INTEL_SPT_PCH, /* pci_quirk_intel_spt_pch_acs (ctrl at cap+8) */
    QUIRK_ACS_CAVIUM,        /* pci_quirk_cavium_acs (root ports) */
    QUIRK_ACS_XGENE,         /* pci_quirk_xgene_acs */
    QUIRK_ACS_BRCM,          /* pci_quirk_brcm_acs */
    QUIRK_ACS_LOONGSON,      /* pci_quirk_loongson_acs */
    QUIRK_ACS_AL,            /* pci_quirk_al_acs (Amazon, root ports) */
    QUIRK_ACS_NXP_RP,        /* pci_quirk_nxp_rp_acs */
    QUIRK_ACS_ZHAOXIN_PORTS, /* pci_quirk_zhaoxin_pcie_ports_acs */
    QUIRK_ACS_WANGXUN_NIC,   /* pci_quirk_wangxun_nic_acs */
};

struct quirk_row {
    uint16_t vendor;       /* PCI vendor id */
    uint16_t device_first; /* first device id of the range, or QUIRK_ANY_ID */
    uint16_t device_last;  /* last device id (inclusive) */
    enum quirk_kind kind;
    uint16_t subvendor;   /* QUIRK_DMA_FIXED: subsystem vendor to match */
    uint16_t subdevice;   /* QUIRK_DMA_FIXED: subsystem device to match */
    uint8_t devfn;        /* QUIRK_DMA_FIXED: the alias */
    const char *upstream; /* the function in drivers/pci/quirks.c, and the device name */
};

/*
 * quirk_table() - the rows, in the order Linux consults them: DMA-alias and bridge rows in
 * any order (all that match apply), ACS rows in pci_dev_acs_enabled[] order (the first that
 * has an opinion wins). *n gets the number of rows.
 */
const struct quirk_row *quirk_table(size_t *n);

#endif

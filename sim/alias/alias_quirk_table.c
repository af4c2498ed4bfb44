/* Alias -- the built-in quirk table: the DMA-alias and ACS quirks of Linux quirks.c, as data. */
#include "sim/alias/alias_quirks.h"

/*
 * Read from drivers/pci/quirks.c of a 2026 mainline-based tree (CachyOS/linux @019736d7, which
 * already has the QCOM Hamoa/Glymur ACS rows queued for v6.20) and include/linux/pci_ids.h
 * (torvalds/linux @009ef05f). Vendor ids are the values of the pci_ids.h constants named in the
 * comments; "raw" means quirks.c spells the number itself. Fields: vendor, device_first,
 * device_last, kind, subvendor, subdevice, devfn, upstream.
 */
static const struct quirk_row rows[] = {
    /*
     * DMA-alias and bridge quirks: DECLARE_PCI_FIXUP_HEADER unless noted; every matching row
     * applies. Aliases are same-bus devfns.
     */

    /* quirk_dma_func0_alias: a function other than 0 aliases slot.0 */
    { 0x1180 /* PCI_VENDOR_ID_RICOH */, 0xe832, 0xe832, QUIRK_DMA_FUNC0, 0, 0, 0,
      "quirk_dma_func0_alias: Ricoh e832 (RH bz 605888)" },
    { 0x1180 /* PCI_VENDOR_ID_RICOH */, 0xe476, 0xe476, QUIRK_DMA_FUNC0, 0, 0, 0,
      "quirk_dma_func0_alias: Ricoh e476 (RH bz 605888)" },
    { 0x6766 /* PCI_VENDOR_ID_GLENFLY */, 0x3d40, 0x3d40, QUIRK_DMA_FUNC0, 0, 0, 0,
      "quirk_dma_func0_alias: Glenfly 3d40" },
    { 0x6766 /* PCI_VENDOR_ID_GLENFLY */, 0x3d41, 0x3d41, QUIRK_DMA_FUNC0, 0, 0, 0,
      "quirk_dma_func0_alias: Glenfly 3d41" },

    /* quirk_dma_func1_alias: a function other than 1 aliases slot.1, which may not exist */
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x9120, 0x9120, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 9120 (kernel bz 42679)" },
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x9123, 0x9123, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 88SE9123, fn1 absent on some SKUs (kernel bz 42679)" },
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x9125, 0x9125, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 9125 (kernel bz 42679#c136)" },
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x9128, 0x9128, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 9128 (kernel bz 42679)" },
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x9130, 0x9130, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 9130 (kernel bz 42679#c14)" },
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x9170, 0x9170, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 9170 (kernel bz 42679)" },
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x9172, 0x9172, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 9172 (kernel bz 42679#c47, #c57)" },
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x917a, 0x917a, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 917a (kernel bz 42679#c59)" },
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x9182, 0x9182, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 9182 (kernel bz 42679#c78)" },
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x9183, 0x9183, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 9183 (kernel bz 42679#c134)" },
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x91a0, 0x91a0, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 91a0 (kernel bz 42679#c46)" },
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x9215, 0x9215, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 9215 (kernel bz 42679#c135)" },
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x9220, 0x9220, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 9220 (kernel bz 42679#c127)" },
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x9230, 0x9230, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 9230 (kernel bz 42679#c49)" },
    { 0x1b4b /* PCI_VENDOR_ID_MARVELL_EXT */, 0x9235, 0x9235, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Marvell 9235 (kernel bz 42679)" },
    { 0x1103 /* PCI_VENDOR_ID_TTI */, 0x0642, 0x0642, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: TTI (HighPoint) 0642" },
    { 0x1103 /* PCI_VENDOR_ID_TTI */, 0x0645, 0x0645, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: TTI (HighPoint) 0645" },
    /* 0x2392 is PCI_DEVICE_ID_JMICRON_JMB388_ESD */
    { 0x197b /* PCI_VENDOR_ID_JMICRON */, 0x2392, 0x2392, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: JMicron JMB388_ESD (gentoo bz 497630)" },
    { 0x1c28 /* raw: Lite-On */, 0x0122, 0x0122, QUIRK_DMA_FUNC1, 0, 0, 0,
      "quirk_dma_func1_alias: Plextor M6E, Marvell 88SS9183 (kernel bz 42679#c117)" },

    /*
     * quirk_fixed_dma_alias (fixed_dma_alias_tbl): Intel 80333 I/O processor, ATU visible at 0e.0,
     * hidden DMA engine at 01.0, i.e. PCI_DEVFN(1, 0) = 0x08, when the subsystem matches.
     */
    { 0x9005 /* PCI_VENDOR_ID_ADAPTEC2 */, 0x0285, 0x0285, QUIRK_DMA_FIXED,
      0x9005 /* PCI_VENDOR_ID_ADAPTEC2 */, 0x02bb, 0x08,
      "quirk_fixed_dma_alias: Adaptec 3405 (subsystem 9005:02bb), alias 01.0" },
    { 0x9005 /* PCI_VENDOR_ID_ADAPTEC2 */, 0x0285, 0x0285, QUIRK_DMA_FIXED,
      0x9005 /* PCI_VENDOR_ID_ADAPTEC2 */, 0x02bc, 0x08,
      "quirk_fixed_dma_alias: Adaptec 3805 (subsystem 9005:02bc), alias 01.0" },

    /* quirk_mic_x200_dma_alias: aliases 10.0, 11.0 and 12.3 (the NTB's RIT-LUT) */
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x2260, 0x2260, QUIRK_DMA_MIC_X200, 0, 0, 0,
      "quirk_mic_x200_dma_alias: Intel MIC x200 NTB 2260" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x2264, 0x2264, QUIRK_DMA_MIC_X200, 0, 0, 0,
      "quirk_mic_x200_dma_alias: Intel MIC x200 NTB 2264" },

    /* quirk_pex_vca_alias: functions 0-4 of all 32 slots */
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x2954, 0x2954, QUIRK_DMA_PEX_VCA, 0, 0, 0,
      "quirk_pex_vca_alias: Intel Visual Compute Accelerator 2954" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x2955, 0x2955, QUIRK_DMA_PEX_VCA, 0, 0, 0,
      "quirk_pex_vca_alias: Intel Visual Compute Accelerator 2955" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x2956, 0x2956, QUIRK_DMA_PEX_VCA, 0, 0, 0,
      "quirk_pex_vca_alias: Intel Visual Compute Accelerator 2956" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x2958, 0x2958, QUIRK_DMA_PEX_VCA, 0, 0, 0,
      "quirk_pex_vca_alias: Intel Visual Compute Accelerator 2958" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x2959, 0x2959, QUIRK_DMA_PEX_VCA, 0, 0, 0,
      "quirk_pex_vca_alias: Intel Visual Compute Accelerator 2959" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x295a, 0x295a, QUIRK_DMA_PEX_VCA, 0, 0, 0,
      "quirk_pex_vca_alias: Intel Visual Compute Accelerator 295A" },

    /* quirk_plx_ntb_dma_alias: all 256 devfns (NTB proxy IDs) */
    { 0x10b5 /* PCI_VENDOR_ID_PLX */, 0x87b0, 0x87b0, QUIRK_DMA_PLX_NTB, 0, 0, 0,
      "quirk_plx_ntb_dma_alias: PLX NTB 87b0" },
    { 0x10b5 /* PCI_VENDOR_ID_PLX */, 0x87b1, 0x87b1, QUIRK_DMA_PLX_NTB, 0, 0, 0,
      "quirk_plx_ntb_dma_alias: PLX NTB 87b1" },

    /*
     * quirk_use_pcie_bridge_dma_alias: PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS on a non-root, type-1,
     * non-PCIe bridge whose parent is PCIe and not a PCIe-to-PCI bridge.
     */
    { 0x1b21 /* PCI_VENDOR_ID_ASMEDIA */, 0x1080, 0x1080, QUIRK_PCIE_BRIDGE_ALIAS, 0, 0, 0,
      "quirk_use_pcie_bridge_dma_alias: ASMedia ASM1083/1085 (kernel bz 44881#c46)" },
    { 0x10e3 /* raw: Tundra */, 0x8113, 0x8113, QUIRK_PCIE_BRIDGE_ALIAS, 0, 0, 0,
      "quirk_use_pcie_bridge_dma_alias: Tundra 8113 (kernel bz 44881#c43)" },
    { 0x1283 /* raw (PCI_VENDOR_ID_ITE) */, 0x8892, 0x8892, QUIRK_PCIE_BRIDGE_ALIAS, 0, 0, 0,
      "quirk_use_pcie_bridge_dma_alias: ITE 8892 (kernel bz 73551)" },
    { 0x1283 /* raw (PCI_VENDOR_ID_ITE) */, 0x8893, 0x8893, QUIRK_PCIE_BRIDGE_ALIAS, 0, 0, 0,
      "quirk_use_pcie_bridge_dma_alias: ITE 8893, same problem as the 8892" },
    { 0x8086 /* raw (PCI_VENDOR_ID_INTEL) */, 0x244e, 0x244e, QUIRK_PCIE_BRIDGE_ALIAS, 0, 0, 0,
      "quirk_use_pcie_bridge_dma_alias: Intel 82801 (kernel bz 44881#c49)" },

    /*
     * quirk_bridge_cavm_thrx2_pcie_root: PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT; the IOMMU sits at this
     * bridge, not at the root bus. Registered with PCI_VENDOR_ID_BROADCOM, not Cavium.
     */
    { 0x14e4 /* PCI_VENDOR_ID_BROADCOM */, 0x9000, 0x9000, QUIRK_BRIDGE_XLATE_ROOT, 0, 0, 0,
      "quirk_bridge_cavm_thrx2_pcie_root: Broadcom Vulcan / Cavium ThunderX2 9000" },
    { 0x14e4 /* PCI_VENDOR_ID_BROADCOM */, 0x9084, 0x9084, QUIRK_BRIDGE_XLATE_ROOT, 0, 0, 0,
      "quirk_bridge_cavm_thrx2_pcie_root: Broadcom Vulcan / Cavium ThunderX2 9084" },

    /*
     * ACS quirks, in pci_dev_acs_enabled[] order: the first matching row whose function returns
     * >= 0 answers. Consecutive kernel entries of one function are merged into ranges.
     */

    /* pci_quirk_amd_sb_acs: multifunction devices on the root bus, and only with an IVRS table */
    { 0x1002 /* PCI_VENDOR_ID_ATI */, 0x4385, 0x4385, QUIRK_ACS_AMD_SB, 0, 0, 0,
      "pci_quirk_amd_sb_acs: ATI SBx00 SMBus controller" },
    { 0x1002 /* PCI_VENDOR_ID_ATI */, 0x439c, 0x439c, QUIRK_ACS_AMD_SB, 0, 0, 0,
      "pci_quirk_amd_sb_acs: ATI SB7x0/SB8x0/SB9x0 IDE controller" },
    { 0x1002 /* PCI_VENDOR_ID_ATI */, 0x4383, 0x4383, QUIRK_ACS_AMD_SB, 0, 0, 0,
      "pci_quirk_amd_sb_acs: ATI SBx00 Azalia (Intel HDA)" },
    { 0x1002 /* PCI_VENDOR_ID_ATI */, 0x439d, 0x439d, QUIRK_ACS_AMD_SB, 0, 0, 0,
      "pci_quirk_amd_sb_acs: ATI SB7x0/SB8x0/SB9x0 LPC host controller" },
    { 0x1002 /* PCI_VENDOR_ID_ATI */, 0x4384, 0x4384, QUIRK_ACS_AMD_SB, 0, 0, 0,
      "pci_quirk_amd_sb_acs: ATI SBx00 PCI to PCI bridge" },
    { 0x1002 /* PCI_VENDOR_ID_ATI */, 0x4399, 0x4399, QUIRK_ACS_AMD_SB, 0, 0, 0,
      "pci_quirk_amd_sb_acs: ATI SB7x0/SB8x0/SB9x0 USB OHCI2 controller" },
    { 0x1022 /* PCI_VENDOR_ID_AMD */, 0x780f, 0x780f, QUIRK_ACS_AMD_SB, 0, 0, 0,
      "pci_quirk_amd_sb_acs: AMD FCH PCI bridge (kernel bz 81841#c15)" },
    { 0x1022 /* PCI_VENDOR_ID_AMD */, 0x7809, 0x7809, QUIRK_ACS_AMD_SB, 0, 0, 0,
      "pci_quirk_amd_sb_acs: AMD FCH USB OHCI controller (kernel bz 81841#c15)" },

    /* pci_quirk_mf_endpoint_acs: multifunction endpoints without peer-to-peer between functions */
    { 0x1924 /* PCI_VENDOR_ID_SOLARFLARE */, 0x0903, 0x0903, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Solarflare 0903" },
    { 0x1924 /* PCI_VENDOR_ID_SOLARFLARE */, 0x0923, 0x0923, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Solarflare 0923" },
    { 0x1924 /* PCI_VENDOR_ID_SOLARFLARE */, 0x0a03, 0x0a03, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Solarflare 0A03" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x10c6, 0x10c6, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NIC 10C6" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x10db, 0x10db, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NIC 10DB" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x10dd, 0x10dd, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NIC 10DD" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x10e1, 0x10e1, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NIC 10E1" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x10f1, 0x10f1, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NIC 10F1" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x10f7, 0x10fc, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NICs 10F7-10FC" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1507, 0x1507, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NIC 1507" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1514, 0x1514, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NIC 1514" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x151c, 0x151c, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NIC 151C" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1529, 0x1529, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NIC 1529" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x152a, 0x152a, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NIC 152A" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x154d, 0x154d, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NIC 154D" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x154f, 0x154f, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NIC 154F" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1551, 0x1551, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NIC 1551" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1558, 0x1558, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 10G NIC 1558" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1509, 0x1509, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82580 1509" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x150e, 0x1511, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82580 150E-1511" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1516, 0x1516, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82580 1516" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1527, 0x1527, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82580 1527" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x10c9, 0x10c9, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82576 10C9" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x10e6, 0x10e8, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82576 10E6-10E8" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x150a, 0x150a, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82576 150A" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x150d, 0x150d, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82576 150D" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1518, 0x1518, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82576 1518" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1526, 0x1526, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82576 1526" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x10a7, 0x10a7, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82575 10A7" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x10a9, 0x10a9, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82575 10A9" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x10d6, 0x10d6, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82575 10D6" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1521, 0x1524, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel I350 1521-1524" },
    /* 82571: the kernel omits the quad-port parts (non-ACS switch) */
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x105e, 0x1060, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82571 105E-1060" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x10d9, 0x10d9, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel 82571 10D9" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x15b7, 0x15b8, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Intel I219 15B7-15B8" },

    /* pci_quirk_rciep_acs: every Intel device; no opinion unless it is an RCiEP (RC_END) */
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, QUIRK_ANY_ID, QUIRK_ANY_ID, QUIRK_ACS_RCIEP, 0, 0, 0,
      "pci_quirk_rciep_acs: Intel RCiEPs (VT-d r3.1 sec 3.16)" },

    /* pci_quirk_qcom_rp_acs: root ports that are each a root complex of their own */
    { 0x17cb /* PCI_VENDOR_ID_QCOM */, 0x0400, 0x0401, QUIRK_ACS_QCOM_RP, 0, 0, 0,
      "pci_quirk_qcom_rp_acs: QCOM QDF2xxx root ports" },
    { 0x17cb /* PCI_VENDOR_ID_QCOM */, 0x0115, 0x0115, QUIRK_ACS_QCOM_RP, 0, 0, 0,
      "pci_quirk_qcom_rp_acs: QCOM SA8775P root port" },
    /* Hamoa and Glymur: added for v6.20/v7.0, after the v6.17-era copy SEMANTICS.md read */
    { 0x17cb /* PCI_VENDOR_ID_QCOM */, 0x0111, 0x0111, QUIRK_ACS_QCOM_RP, 0, 0, 0,
      "pci_quirk_qcom_rp_acs: QCOM Hamoa root port" },
    { 0x17cb /* PCI_VENDOR_ID_QCOM */, 0x0120, 0x0120, QUIRK_ACS_QCOM_RP, 0, 0, 0,
      "pci_quirk_qcom_rp_acs: QCOM Glymur root port" },
    { 0x1dbf /* PCI_VENDOR_ID_HXT */, 0x0401, 0x0401, QUIRK_ACS_QCOM_RP, 0, 0, 0,
      "pci_quirk_qcom_rp_acs: HXT SD4800 root ports (same ACS design as QDF2xxx)" },

    /*
     * pci_quirk_intel_pch_acs (kernel: one Intel/PCI_ANY_ID entry; the ids below are
     * pci_quirk_intel_pch_acs_ids[], RH bz 1037684). Root ports only; grants SV|RR|CR|UF once
     * pci_quirk_enable_intel_pch_acs() set PCI_DEV_FLAGS_ACS_ENABLED_QUIRK, else answers 0.
     */
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x3b42, 0x3b51, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Ibexpeak PCH root ports" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1c10, 0x1c1f, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Cougarpoint PCH root ports" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1e10, 0x1e1f, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Pantherpoint PCH root ports" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x8c10, 0x8c1f, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Lynxpoint-H PCH root ports" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x9c10, 0x9c1b, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Lynxpoint-LP PCH root ports" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x9c90, 0x9c9b, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Wildcat PCH root ports" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1d10, 0x1d10, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Patsburg (X79) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1d12, 0x1d12, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Patsburg (X79) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1d14, 0x1d14, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Patsburg (X79) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1d16, 0x1d16, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Patsburg (X79) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1d18, 0x1d18, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Patsburg (X79) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1d1a, 0x1d1a, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Patsburg (X79) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1d1c, 0x1d1c, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Patsburg (X79) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x1d1e, 0x1d1e, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Patsburg (X79) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x8d10, 0x8d1e, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Wellsburg (X99) PCH root ports" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x8c90, 0x8c90, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Lynx Point (9 series) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x8c92, 0x8c92, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Lynx Point (9 series) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x8c94, 0x8c94, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Lynx Point (9 series) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x8c96, 0x8c96, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Lynx Point (9 series) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x8c98, 0x8c98, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Lynx Point (9 series) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x8c9a, 0x8c9a, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Lynx Point (9 series) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x8c9c, 0x8c9c, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Lynx Point (9 series) PCH root port" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x8c9e, 0x8c9e, QUIRK_ACS_INTEL_PCH, 0, 0, 0,
      "pci_quirk_intel_pch_acs: Intel Lynx Point (9 series) PCH root port" },

    /*
     * pci_quirk_intel_spt_pch_acs (kernel: one Intel/PCI_ANY_ID entry; the ids below are the
     * cases of pci_quirk_intel_spt_pch_acs_match()). Root ports with an ACS capability only;
     * the control register is a dword at cap + 8 (100-series errata 23, 200-series errata 22).
     */
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0xa110, 0xa11f, QUIRK_ACS_INTEL_SPT_PCH, 0, 0, 0,
      "pci_quirk_intel_spt_pch_acs: Intel Sunrise Point-H root ports 1-16" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0xa167, 0xa16a, QUIRK_ACS_INTEL_SPT_PCH, 0, 0, 0,
      "pci_quirk_intel_spt_pch_acs: Intel Sunrise Point-H root ports 17-20" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0xa290, 0xa29f, QUIRK_ACS_INTEL_SPT_PCH, 0, 0, 0,
      "pci_quirk_intel_spt_pch_acs: Intel Union Point root ports 1-16" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0xa2e7, 0xa2ee, QUIRK_ACS_INTEL_SPT_PCH, 0, 0, 0,
      "pci_quirk_intel_spt_pch_acs: Intel Union Point root ports 17-24" },
    { 0x8086 /* PCI_VENDOR_ID_INTEL */, 0x9d10, 0x9d1b, QUIRK_ACS_INTEL_SPT_PCH, 0, 0, 0,
      "pci_quirk_intel_spt_pch_acs: Intel 7th/8th gen mobile (U/Y) root ports 1-12" },

    /* pci_quirk_mf_endpoint_acs again: Emulex (kernel spells these vendor ids raw) */
    { 0x19a2 /* raw: Emulex (ServerEngines) */, 0x0710, 0x0710, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Emulex BE3-R" },
    { 0x10df /* raw: Emulex */, 0x0720, 0x0720, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Emulex Skyhawk-R" },

    /*
     * pci_quirk_cavium_acs (kernel: one Cavium/PCI_ANY_ID entry; the ids below are the cases of
     * pci_quirk_cavium_acs_match()). Root ports only. It comes before the Cavium
     * multifunction rows: a026 is inside the ThunderX1 range and is not a root port.
     */
    { 0x177d /* PCI_VENDOR_ID_CAVIUM */, 0xa000, 0xa7ff, QUIRK_ACS_CAVIUM, 0, 0, 0,
      "pci_quirk_cavium_acs: Cavium ThunderX1 root ports" },
    { 0x177d /* PCI_VENDOR_ID_CAVIUM */, 0xaf84, 0xaf84, QUIRK_ACS_CAVIUM, 0, 0, 0,
      "pci_quirk_cavium_acs: Cavium ThunderX2 root ports" },
    { 0x177d /* PCI_VENDOR_ID_CAVIUM */, 0xb884, 0xb884, QUIRK_ACS_CAVIUM, 0, 0, 0,
      "pci_quirk_cavium_acs: Cavium ThunderX3 root ports" },
    { 0x177d /* PCI_VENDOR_ID_CAVIUM */, 0xa026, 0xa026, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Cavium multi-function device A026" },
    { 0x177d /* PCI_VENDOR_ID_CAVIUM */, 0xa059, 0xa059, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Cavium multi-function device A059" },
    { 0x177d /* PCI_VENDOR_ID_CAVIUM */, 0xa060, 0xa060, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Cavium multi-function device A060" },

    /* pci_quirk_xgene_acs: root ports without peer-to-peer */
    { 0x10e8 /* PCI_VENDOR_ID_AMCC */, 0xe004, 0xe004, QUIRK_ACS_XGENE, 0, 0, 0,
      "pci_quirk_xgene_acs: APM X-Gene root ports" },
    { 0x1def /* PCI_VENDOR_ID_AMPERE */, 0xe005, 0xe00c, QUIRK_ACS_XGENE, 0, 0, 0,
      "pci_quirk_xgene_acs: Ampere Computing root ports E005-E00C" },

    /* pci_quirk_mf_endpoint_acs again: Broadcom */
    { 0x14e4 /* PCI_VENDOR_ID_BROADCOM */, 0x16d7, 0x16d7, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Broadcom multi-function device 16D7" },
    { 0x14e4 /* PCI_VENDOR_ID_BROADCOM */, 0x1750, 0x1752, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Broadcom multi-function devices 1750-1752" },
    { 0x14e4 /* PCI_VENDOR_ID_BROADCOM */, 0x1760, 0x1763, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Broadcom multi-function devices 1760-1763" },

    /* pci_quirk_brcm_acs */
    { 0x14e4 /* PCI_VENDOR_ID_BROADCOM */, 0xd714, 0xd714, QUIRK_ACS_BRCM, 0, 0, 0,
      "pci_quirk_brcm_acs: Broadcom iProc PAXB root ports" },

    /* pci_quirk_loongson_acs: single ids, 7a09..7a69 step 0x10 (not a range) */
    { 0x0014 /* PCI_VENDOR_ID_LOONGSON */, 0x3c09, 0x3c09, QUIRK_ACS_LOONGSON, 0, 0, 0,
      "pci_quirk_loongson_acs: Loongson PCIe root port 3C09" },
    { 0x0014 /* PCI_VENDOR_ID_LOONGSON */, 0x3c19, 0x3c19, QUIRK_ACS_LOONGSON, 0, 0, 0,
      "pci_quirk_loongson_acs: Loongson PCIe root port 3C19" },
    { 0x0014 /* PCI_VENDOR_ID_LOONGSON */, 0x3c29, 0x3c29, QUIRK_ACS_LOONGSON, 0, 0, 0,
      "pci_quirk_loongson_acs: Loongson PCIe root port 3C29" },
    { 0x0014 /* PCI_VENDOR_ID_LOONGSON */, 0x7a09, 0x7a09, QUIRK_ACS_LOONGSON, 0, 0, 0,
      "pci_quirk_loongson_acs: Loongson PCIe root port 7A09" },
    { 0x0014 /* PCI_VENDOR_ID_LOONGSON */, 0x7a19, 0x7a19, QUIRK_ACS_LOONGSON, 0, 0, 0,
      "pci_quirk_loongson_acs: Loongson PCIe root port 7A19" },
    { 0x0014 /* PCI_VENDOR_ID_LOONGSON */, 0x7a29, 0x7a29, QUIRK_ACS_LOONGSON, 0, 0, 0,
      "pci_quirk_loongson_acs: Loongson PCIe root port 7A29" },
    { 0x0014 /* PCI_VENDOR_ID_LOONGSON */, 0x7a39, 0x7a39, QUIRK_ACS_LOONGSON, 0, 0, 0,
      "pci_quirk_loongson_acs: Loongson PCIe root port 7A39" },
    { 0x0014 /* PCI_VENDOR_ID_LOONGSON */, 0x7a49, 0x7a49, QUIRK_ACS_LOONGSON, 0, 0, 0,
      "pci_quirk_loongson_acs: Loongson PCIe root port 7A49" },
    { 0x0014 /* PCI_VENDOR_ID_LOONGSON */, 0x7a59, 0x7a59, QUIRK_ACS_LOONGSON, 0, 0, 0,
      "pci_quirk_loongson_acs: Loongson PCIe root port 7A59" },
    { 0x0014 /* PCI_VENDOR_ID_LOONGSON */, 0x7a69, 0x7a69, QUIRK_ACS_LOONGSON, 0, 0, 0,
      "pci_quirk_loongson_acs: Loongson PCIe root port 7A69" },

    /* pci_quirk_al_acs: root ports only */
    { 0x1c36 /* PCI_VENDOR_ID_AMAZON_ANNAPURNA_LABS */, 0x0031, 0x0031, QUIRK_ACS_AL, 0, 0, 0,
      "pci_quirk_al_acs: Amazon Annapurna Labs root ports" },

    /* pci_quirk_mf_endpoint_acs again: Zhaoxin */
    { 0x1d17 /* PCI_VENDOR_ID_ZHAOXIN */, 0x3038, 0x3038, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Zhaoxin multi-function device 3038" },
    { 0x1d17 /* PCI_VENDOR_ID_ZHAOXIN */, 0x3104, 0x3104, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Zhaoxin multi-function device 3104" },
    { 0x1d17 /* PCI_VENDOR_ID_ZHAOXIN */, 0x9083, 0x9083, QUIRK_ACS_MF_ENDPOINT, 0, 0, 0,
      "pci_quirk_mf_endpoint_acs: Zhaoxin multi-function device 9083" },

    /*
     * pci_quirk_nxp_rp_acs: NXP LX2xx0/LX2xx2 root ports, xx = 16, 12 or 08 cores; three ids per
     * variant in the kernel's order. 0x1957 is PCI_VENDOR_ID_NXP (= PCI_VENDOR_ID_FREESCALE).
     */
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d81, 0x8d81, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx0A (no security features, CAN-FD)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8da1, 0x8da1, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx0A (no security features, CAN-FD)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d83, 0x8d83, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx0A (no security features, CAN-FD)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d80, 0x8d80, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx0C (security features, CAN-FD)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8da0, 0x8da0, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx0C (security features, CAN-FD)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d82, 0x8d82, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx0C (security features, CAN-FD)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d90, 0x8d90, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx0E (security features, CAN)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8db0, 0x8db0, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx0E (security features, CAN)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d92, 0x8d92, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx0E (security features, CAN)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d91, 0x8d91, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx0N (no security features, CAN)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8db1, 0x8db1, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx0N (no security features, CAN)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d93, 0x8d93, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx0N (no security features, CAN)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d89, 0x8d89, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx2A (no security features, CAN-FD)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8da9, 0x8da9, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx2A (no security features, CAN-FD)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d8b, 0x8d8b, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx2A (no security features, CAN-FD)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d88, 0x8d88, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx2C (security features, CAN-FD)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8da8, 0x8da8, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx2C (security features, CAN-FD)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d8a, 0x8d8a, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx2C (security features, CAN-FD)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d98, 0x8d98, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx2E (security features, CAN)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8db8, 0x8db8, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx2E (security features, CAN)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d9a, 0x8d9a, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx2E (security features, CAN)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d99, 0x8d99, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx2N (no security features, CAN)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8db9, 0x8db9, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx2N (no security features, CAN)" },
    { 0x1957 /* PCI_VENDOR_ID_NXP */, 0x8d9b, 0x8d9b, QUIRK_ACS_NXP_RP, 0, 0, 0,
      "pci_quirk_nxp_rp_acs: NXP LX2xx2N (no security features, CAN)" },

    /*
     * pci_quirk_zhaoxin_pcie_ports_acs: the whole vendor, as in the kernel. The function has no
     * opinion on devices that are not root or downstream ports; for ports it grants SV|RR|CR|UF
     * to device ids 0710-071e, 0721 and 0723-0752 and answers 0 (not isolated) for any other id.
     */
    { 0x1d17 /* PCI_VENDOR_ID_ZHAOXIN */, QUIRK_ANY_ID, QUIRK_ANY_ID, QUIRK_ACS_ZHAOXIN_PORTS, 0, 0,
      0, "pci_quirk_zhaoxin_pcie_ports_acs: Zhaoxin root and downstream ports" },

    /*
     * pci_quirk_wangxun_nic_acs: the kernel registers the whole vendor (PCI_ANY_ID) and answers
     * 0 (not isolated) for every Wangxun device id not listed here; these rows only grant.
     */
    { 0x8088 /* PCI_VENDOR_ID_WANGXUN */, QUIRK_ANY_ID, QUIRK_ANY_ID, QUIRK_ACS_WANGXUN_NIC, 0, 0,
      0,
      "pci_quirk_wangxun_nic_acs: every Wangxun device; 0100-010f, 1001, 2001, 5010, 5025, "
      "5040, 5110, 5125 and 5140 isolate, the others do not" },
};

const struct quirk_row *quirk_table(size_t *n)
{
    if (n)
        *n = sizeof rows / sizeof rows[0];
    return rows;
}

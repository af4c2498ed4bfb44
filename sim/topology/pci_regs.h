/*
 * PCI configuration-space registers, by their spec names (PCI Local Bus 3.0, PCI-to-PCI
 * Bridge 1.2, PCIe Base 6.0). Sub-fields are indented one space under their register, as in
 * pciutils lib/header.h. Only what dmasim models is here.
 */
#ifndef SIM_TOPOLOGY_PCI_REGS_H
#define SIM_TOPOLOGY_PCI_REGS_H

/* Sub-fields are indented one space under their register (pciutils): keep clang-format out. */
/* clang-format off */

/* Header, common to type 0 and type 1 */
#define PCI_VENDOR_ID                 0x00 /* 16 bits */
#define PCI_DEVICE_ID                 0x02 /* 16 bits */
#define PCI_COMMAND                   0x04 /* 16 bits */
#define  PCI_COMMAND_IO               0x0001 /* I/O space decode */
#define  PCI_COMMAND_MEMORY           0x0002 /* memory space decode */
#define  PCI_COMMAND_MASTER           0x0004 /* bus mastering (DMA) */
#define  PCI_COMMAND_PARITY           0x0040
#define  PCI_COMMAND_SERR             0x0100
#define  PCI_COMMAND_INTX_DISABLE     0x0400
#define PCI_STATUS                    0x06 /* 16 bits */
#define  PCI_STATUS_CAP_LIST          0x0010 /* a capability list starts at PCI_CAPABILITY_LIST */
#define PCI_CLASS_REVISION            0x08 /* revision in the low byte, class code above */
#define PCI_HEADER_TYPE               0x0e /* 8 bits */
#define  PCI_HEADER_TYPE_MASK         0x7f
#define  PCI_HEADER_TYPE_NORMAL       0
#define  PCI_HEADER_TYPE_BRIDGE       1
#define  PCI_HEADER_TYPE_MFD          0x80 /* multi-function device */
#define PCI_BASE_ADDRESS_0            0x10 /* 32 bits; six of them in a type 0 header */
#define  PCI_BASE_ADDRESS_SPACE_IO    0x01
#define  PCI_BASE_ADDRESS_MEM_TYPE_64 0x04
#define  PCI_BASE_ADDRESS_MEM_PREFETCH 0x08
#define  PCI_BASE_ADDRESS_MEM_MASK    (~0x0fu)
#define  PCI_BASE_ADDRESS_IO_MASK     (~0x03u)
#define PCI_CAPABILITY_LIST           0x34 /* 8 bits: offset of the first capability */

/* Type 0 header */
#define PCI_SUBSYSTEM_VENDOR_ID       0x2c /* 16 bits */
#define PCI_SUBSYSTEM_ID              0x2e /* 16 bits */
#define PCI_ROM_ADDRESS               0x30 /* 32 bits */
#define  PCI_ROM_ADDRESS_ENABLE       0x01
#define  PCI_ROM_ADDRESS_MASK         (~0x7ffu)

/* Type 1 header (bridges and ports): two BARs, then bus numbers and windows */
#define PCI_PRIMARY_BUS               0x18 /* 8 bits: the bus the bridge sits on */
#define PCI_SECONDARY_BUS             0x19 /* 8 bits: the bus directly below it */
#define PCI_SUBORDINATE_BUS           0x1a /* 8 bits: the highest bus below it */
#define PCI_IO_BASE                   0x1c /* 8 bits: address bits 15:12 in the high nibble */
#define PCI_IO_LIMIT                  0x1d
#define  PCI_IO_RANGE_TYPE_32         0x01 /* upper 16 bits in PCI_IO_BASE_UPPER16 */
#define  PCI_IO_RANGE_MASK            (~0x0fu)
#define PCI_MEMORY_BASE               0x20 /* 16 bits: address bits 31:20 in bits 15:4 */
#define PCI_MEMORY_LIMIT              0x22
#define  PCI_MEMORY_RANGE_MASK        (~0x0fu)
#define PCI_PREF_MEMORY_BASE          0x24 /* 16 bits, like PCI_MEMORY_BASE */
#define PCI_PREF_MEMORY_LIMIT         0x26
#define  PCI_PREF_RANGE_TYPE_64       0x01 /* upper 32 bits in PCI_PREF_BASE_UPPER32 */
#define  PCI_PREF_RANGE_MASK          (~0x0fu)
#define PCI_PREF_BASE_UPPER32         0x28
#define PCI_PREF_LIMIT_UPPER32        0x2c
#define PCI_IO_BASE_UPPER16           0x30
#define PCI_IO_LIMIT_UPPER16          0x32
#define PCI_ROM_ADDRESS1              0x38 /* the ROM BAR of a type 1 header */
#define PCI_BRIDGE_CONTROL            0x3e

#define PCI_STD_HEADER_SIZEOF         0x40
#define PCI_CFG_SPACE_SIZE            0x100  /* conventional PCI */
#define PCI_CFG_SPACE_EXP_SIZE        0x1000 /* PCIe: extended capabilities from 0x100 */

/* Capability list entries */
#define PCI_CAP_ID_EXP                0x10 /* PCI Express */

/* PCI Express capability (PCIe Base 6.0 §7.5.3), at the offset dmasim places it */
#define PCI_EXP_FLAGS                 0x02 /* 16 bits */
#define  PCI_EXP_FLAGS_VERS           0x000f /* capability version */
#define  PCI_EXP_FLAGS_TYPE           0x00f0 /* device/port type, below */
#define  PCI_EXP_TYPE_ENDPOINT        0x0
#define  PCI_EXP_TYPE_LEG_END         0x1
#define  PCI_EXP_TYPE_ROOT_PORT       0x4
#define  PCI_EXP_TYPE_UPSTREAM        0x5
#define  PCI_EXP_TYPE_DOWNSTREAM      0x6
#define  PCI_EXP_TYPE_PCI_BRIDGE      0x7 /* PCIe-to-PCI/PCI-X bridge */
#define  PCI_EXP_TYPE_PCIE_BRIDGE     0x8 /* PCI/PCI-X-to-PCIe bridge */
#define  PCI_EXP_TYPE_RC_END          0x9 /* root-complex integrated endpoint */
#define  PCI_EXP_FLAGS_SLOT           0x0100 /* slot implemented (ports) */
#define PCI_CAP_EXP_SIZEOF            0x3c /* a version 2 capability */

/* Extended capabilities, from 0x100 */
#define PCI_EXT_CAP_ID_ACS            0x000d
#define PCI_EXT_CAP_VER_SHIFT         16
#define PCI_EXT_CAP_NEXT_SHIFT        20
#define PCI_ACS_CAP                   0x04 /* 16 bits: what the port supports */
#define  PCI_ACS_SV                   0x0001 /* source validation */
#define  PCI_ACS_TB                   0x0002 /* translation blocking */
#define  PCI_ACS_RR                   0x0004 /* P2P request redirect */
#define  PCI_ACS_CR                   0x0008 /* P2P completion redirect */
#define  PCI_ACS_UF                   0x0010 /* upstream forwarding */
#define  PCI_ACS_EC                   0x0020 /* P2P egress control */
#define  PCI_ACS_DT                   0x0040 /* direct translated P2P */
#define PCI_ACS_CTRL                  0x06 /* 16 bits: what is enabled */
#define PCI_EXT_CAP_ACS_SIZEOF        8

/* clang-format on */

#endif

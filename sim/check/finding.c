/* Check -- finding codes and invariant names. */
#include <string.h>

#include "sim/check/check.h"
#include "sim/util/err.h"

const char *const finding_code_names[FINDING_CODE_COUNT] = {
    "mapping-outside-iommu-width",
    "transient-bar-mapping",
    "p2p-bar-outside-iommu-width",
    "cpu-phys-bits-exceed-iommu-width",
    "ram-beyond-iommu-width",
    "viommu-wider-than-host",
    "duplicate-stream-id",
    "repeated-stream-id",
    "group-in-multiple-address-spaces",
    "partial-group-assignment",
    "iova-in-reserved-region",
    "iova-beyond-dma-limit",
    "bar-overlap",
    "bar-outside-bridge-window",
    "virtio-dma-bypasses-translation",
    "group-mismatch",
    "config-read-mismatch",
    "invariant-violated",
};

const char *const check_invariant_names[CHECK_INVARIANT_COUNT] = {
    "mappings-within-iommu-width",
    "no-bar-overlap",
    "no-transient-mapping",
};

/* Per code, in enum order: the rule, then where it lives upstream (SEMANTICS.md cites them). */
static const struct {
    const char *rule, *reference;
} rules[FINDING_CODE_COUNT] = {
    { "a DMA mapping must end below 2^address_bits of the IOMMU that translates it",
      "Linux drivers/vfio/vfio_iommu_type1.c vfio_dma_do_map() (-EFAULT before 5.4, -EINVAL "
      "since); QEMU hw/vfio/common.c vfio_listener_region_add()" },
    { "a BAR should decode only where it decodes before or after a sizing sequence; sizing "
      "with decode on moves it to ~(size-1) meanwhile",
      "QEMU hw/pci/pci.c pci_update_mappings(), pci_bar_address(); Linux drivers/pci/probe.c "
      "__pci_read_base()" },
    { "a peer-to-peer DMA target (a BAR, the 64-bit MMIO window) must lie below the width of "
      "the IOMMU that translates DMA to it",
      "QEMU hw/vfio/common.c vfio_listener_region_add(); \"vfio: Improve error reporting when "
      "MMIO region mapping fails\" (2025)" },
    { "a CPU address width above the IOMMU's lets memory and MMIO sit where DMA cannot reach",
      "QEMU hw/vfio (the 2025 host IOMMU width warning of seed 000); target/i386 phys-bits, "
      "guest-phys-bits" },
    { "all RAM a device may DMA to must lie below the width of the IOMMU that maps it",
      "QEMU hw/vfio/common.c vfio_dma_map(); Linux drivers/vfio/vfio_iommu_type1.c IOVA "
      "ranges" },
    { "a vIOMMU's address width may not exceed the host IOMMU's under an assigned device",
      "QEMU hw/i386/intel_iommu.c vtd_check_hiod() (\"aw-bits %d > host aw-bits %d\")" },
    { "a StreamID identifies one master of an SMMU",
      "Linux drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c arm_smmu_insert_master(); "
      "drivers/acpi/arm64/iort.c iort_iommu_configure_id()" },
    { "a master's StreamIDs should be distinct; some kernels reject a master presenting one "
      "twice",
      "Linux arm-smmu-v3.c arm_smmu_insert_master() (\"Cope with duplicated Stream IDs\"); "
      "drivers/pci/search.c pci_for_each_dma_alias()" },
    { "VFIO attaches a whole IOMMU group to one container, so its functions need one guest "
      "DMA address space",
      "QEMU hw/vfio/common.c vfio_get_group() (\"group %d used in multiple address "
      "spaces\"); hw/pci/pci.c pci_device_iommu_address_space()" },
    { "a group is viable for VFIO only when every member but bridges is bound to vfio-pci, a "
      "stub driver, or none",
      "Linux drivers/vfio/group.c vfio_group_viable(), vfio_dev_driver_allowed()" },
    { "IOVAs must avoid the reserved regions of the group (MSI window, RMRR, IVMD)",
      "Linux drivers/iommu/iommu.c iommu_get_group_resv_regions(); "
      "drivers/vfio/vfio_iommu_type1.c vfio_iommu_resv_exclude()" },
    { "a DMA address must fit the device's DMA mask and the bus DMA limit",
      "Linux drivers/acpi/arm64/iort.c iort_dma_get_ranges() (memory address size limit); "
      "kernel/dma/mapping.c dma_set_mask()" },
    { "two decoding BARs may not claim the same address",
      "PCI Local Bus Specification 3.0, 6.2.5; Linux drivers/pci/setup-res.c "
      "pci_claim_resource()" },
    { "a BAR is reachable only inside windows that every bridge above it forwards",
      "PCI-to-PCI Bridge Architecture Specification 1.2, 3.2.5; Linux drivers/pci/setup-bus.c" },
    { "a virtio device without VIRTIO_F_ACCESS_PLATFORM puts physical addresses on the bus and "
      "bypasses any translation",
      "Linux drivers/virtio/virtio_ring.c vring_use_dma_api(); virtio 1.1, 6 (Reserved "
      "Feature Bits)" },
    { "declared groups must be the groups Linux forms",
      "Linux drivers/iommu/iommu.c pci_device_group()" },
    { "a traced read must return what the described machine returns",
      "QEMU hw/pci/trace-events pci_cfg_read; hw/vfio/trace-events vfio_pci_read_config" },
    { "every state some interleaving of the actors reaches must satisfy the invariants",
      "QEMU hw/pci/pci.c pci_update_mappings(); replay the counterexample with dmasim replay" },
};

const char *finding_rule(enum finding_code code)
{
    return rules[code].rule;
}

const char *finding_reference(enum finding_code code)
{
    return rules[code].reference;
}

unsigned check_invariant_bar_bit(enum check_invariant inv)
{
    return 1u << inv;
}

enum check_invariant check_invariant_of_bar(unsigned bit)
{
    unsigned i = 0;

    while (i + 1 < CHECK_INVARIANT_COUNT && !(bit & (1u << i)))
        i++;
    return (enum check_invariant)i;
}

int finding_code_parse(enum finding_code *out, const char *name)
{
    for (unsigned i = 0; i < FINDING_CODE_COUNT; i++) {
        if (strcmp(name, finding_code_names[i]) == 0) {
            *out = (enum finding_code)i;
            return 0;
        }
    }
    return SIM_ENOTFOUND;
}

enum finding_severity finding_default_severity(enum finding_code code)
{
    switch (code) {
    case FINDING_TRANSIENT_BAR_MAPPING:
    case FINDING_P2P_BAR_OUTSIDE_IOMMU_WIDTH:
    case FINDING_CPU_PHYS_BITS_EXCEED_IOMMU_WIDTH:
    case FINDING_REPEATED_STREAM_ID:
    case FINDING_BAR_OUTSIDE_BRIDGE_WINDOW:
    case FINDING_GROUP_MISMATCH:
    case FINDING_CONFIG_READ_MISMATCH:
        return FINDING_WARNING;
    case FINDING_MAPPING_OUTSIDE_IOMMU_WIDTH:
    case FINDING_RAM_BEYOND_IOMMU_WIDTH:
    case FINDING_VIOMMU_WIDER_THAN_HOST:
    case FINDING_DUPLICATE_STREAM_ID:
    case FINDING_GROUP_IN_MULTIPLE_ADDRESS_SPACES:
    case FINDING_PARTIAL_GROUP_ASSIGNMENT:
    case FINDING_IOVA_IN_RESERVED_REGION:
    case FINDING_IOVA_BEYOND_DMA_LIMIT:
    case FINDING_BAR_OVERLAP:
    case FINDING_VIRTIO_DMA_BYPASSES_TRANSLATION:
    case FINDING_INVARIANT_VIOLATED:
        break;
    }
    return FINDING_ERROR;
}

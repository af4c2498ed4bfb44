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

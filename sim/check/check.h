/*
 * Check -- the properties dmasim verifies: finding codes with their severities (FORMAT.md
 * section 4) and the invariants the explorer can check.
 *
 * Owns: the names and severities of findings, the names of explorer invariants.
 * Does not own: the analyses that produce findings (later issues add them here).
 * Uses: sim/util only, for now.
 */
#ifndef SIM_CHECK_CHECK_H
#define SIM_CHECK_CHECK_H

#include <stddef.h>

enum finding_severity {
    FINDING_ERROR,   /* the scenario shows a bug: exit code 1 */
    FINDING_WARNING, /* suspicious, not fatal */
};

/* The finding codes of FORMAT.md section 4, in its order. */
enum finding_code {
    FINDING_MAPPING_OUTSIDE_IOMMU_WIDTH,
    FINDING_TRANSIENT_BAR_MAPPING,
    FINDING_P2P_BAR_OUTSIDE_IOMMU_WIDTH,
    FINDING_CPU_PHYS_BITS_EXCEED_IOMMU_WIDTH,
    FINDING_RAM_BEYOND_IOMMU_WIDTH,
    FINDING_VIOMMU_WIDER_THAN_HOST,
    FINDING_DUPLICATE_STREAM_ID,
    FINDING_REPEATED_STREAM_ID,
    FINDING_GROUP_IN_MULTIPLE_ADDRESS_SPACES,
    FINDING_PARTIAL_GROUP_ASSIGNMENT,
    FINDING_IOVA_IN_RESERVED_REGION,
    FINDING_IOVA_BEYOND_DMA_LIMIT,
    FINDING_BAR_OVERLAP,
    FINDING_BAR_OUTSIDE_BRIDGE_WINDOW,
    FINDING_VIRTIO_DMA_BYPASSES_TRANSLATION,
    FINDING_GROUP_MISMATCH,
    FINDING_CONFIG_READ_MISMATCH,
    FINDING_INVARIANT_VIOLATED,
};
#define FINDING_CODE_COUNT 18

extern const char *const finding_code_names[FINDING_CODE_COUNT];

/* finding_code_parse() - 0 and *out for a known code name, or SIM_ENOTFOUND. */
int finding_code_parse(enum finding_code *out, const char *name);

/* finding_default_severity() - the severity FORMAT.md gives the code. */
enum finding_severity finding_default_severity(enum finding_code code);

/* Invariants `explore` can check (FORMAT.md 1.8). */
enum check_invariant {
    CHECK_INV_MAPPINGS_WITHIN_IOMMU_WIDTH,
    CHECK_INV_NO_BAR_OVERLAP,
    CHECK_INV_NO_TRANSIENT_MAPPING,
};
#define CHECK_INVARIANT_COUNT 3
extern const char *const check_invariant_names[CHECK_INVARIANT_COUNT];

#endif

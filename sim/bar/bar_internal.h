/*
 * BAR -- private declarations shared by bar_*.c. Nothing outside sim/bar includes this file.
 */
#ifndef SIM_BAR_INTERNAL_H
#define SIM_BAR_INTERNAL_H

#include "sim/bar/bar.h"

/* bar_replay.c */
/* listener() - what QEMU's VFIO listener does with a mapping [base, base + size) of slot
 * `bar` of fn: nothing for a function without a host IOMMU behind it or a BAR that is not
 * RAM-backed; else not visible outside the platform MMIO windows, filtered at bit 63,
 * failed at or above the width, or mapped. */
enum bar_vfio bar_listener(const struct topology *t, const struct bar_config *cfg, uint32_t fn,
                           unsigned bar, uint64_t base, uint64_t size);

#endif

/*
 * IOMMU -- what an IOMMU unit does with the DMA of the functions it translates: the IDs it
 * sees (SMMUv3 StreamIDs through an IORT-style ID map; VT-d and AMD-Vi source IDs), the
 * regions it reserves, and the IOVA ranges left, as VFIO reports them and as the functions
 * can actually use them.
 *
 * Owns: IORT ID mapping (iort_id_map semantics, including its end-overlap workaround), the
 * default reserved regions of each IOMMU kind, IOVA range arithmetic.
 * Does not own: which requester IDs a function's DMA carries (sim/alias), findings
 * (sim/check).
 * Uses: sim/alias (the DMA alias walk: every alias becomes an ID), sim/topology, sim/util.
 */
#ifndef SIM_IOMMU_IOMMU_H
#define SIM_IOMMU_IOMMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/alias/alias.h"
#include "sim/topology/topology.h"
#include "sim/util/strbuf.h"

/* An inclusive IOVA range [start, end]. */
struct iova_range {
    uint64_t start;
    uint64_t end;
};

/* A set of disjoint ranges in ascending order. */
struct iova_set {
    struct iova_range *v;
    size_t n, cap;
};

void iova_set_fini(struct iova_set *s);
int iova_set_add(struct iova_set *s, uint64_t start, uint64_t end); /* union, merged */
int iova_set_subtract(struct iova_set *s, uint64_t start, uint64_t end);
int iova_set_clip(struct iova_set *s, uint64_t end); /* keep what is <= end */
/* iova_set_overlap() - the first range of s overlapping [start, end], or NULL. */
const struct iova_range *iova_set_overlap(const struct iova_set *s, uint64_t start, uint64_t end);

/* 2^bits - 1, the last address of a `bits`-wide space (UINT64_MAX for 64). */
static inline uint64_t iommu_width_last(unsigned bits)
{
    return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

/*
 * iommu_stream_id() - map requester ID rid of PCI segment `segment` through u's stream_map
 * as Linux's iort_id_map()/iort_node_map_id() do: the first mapping whose range holds rid
 * wins, except that a match on the last ID of a range defers to a later range that starts
 * there (the "conflicting mapping" workaround for firmware that wrote count, not count - 1);
 * a single mapping sends every ID to one StreamID. Without a stream_map, StreamID = RID.
 * Returns 0 and *sid, or SIM_ENOTFOUND when no mapping covers rid (Linux then gives the
 * device no StreamID on this SMMU).
 */
int iommu_stream_id(const struct topo_iommu *u, uint16_t segment, uint16_t rid, uint32_t *sid);

/* What one function presents to its IOMMU: one ID per alias, in walk order. */
struct iommu_ids {
    uint32_t iommu;          /* IOMMU index, TOPO_NONE: untranslated */
    uint32_t ids[64];        /* StreamIDs (smmuv3) or source IDs (RIDs) */
    uint32_t owners[64];     /* the alias owner each ID comes from */
    size_t n;                /* IDs (capped at 64) */
    size_t unmapped;         /* aliases no stream_map entry covers */
    uint16_t first_unmapped; /* the first such RID */
};

/* iommu_fn_ids() - every ID fn's DMA presents to the IOMMU translating it. As in Linux, an
 * alias the SMMU's stream_map does not cover ends the walk: later aliases get no ID. */
void iommu_fn_ids(const struct alias_ctx *ctx, uint32_t fn, struct iommu_ids *out);

/*
 * iommu_reserved() - the reserved regions of IOMMU u: the defaults of its kind (x86 MSI
 * 0xfee00000-0xfeefffff for vt-d and amd-vi; AMD's HyperTransport hole
 * 0xfd00000000-0xffffffffff; the software MSI window 0x8000000 + 1 MiB for smmuv3 and
 * virtio-iommu) plus u->reserved, merged. Only what lies below 2^address_bits is kept.
 */
int iommu_reserved(const struct topo_iommu *u, struct iova_set *out);

/*
 * iommu_iova_vfio() - what VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE reports for u (and a group
 * whose functions reserve fn_resv too): [0, 2^address_bits) minus the reserved regions.
 */
int iommu_iova_vfio(const struct topo_iommu *u, const struct iova_set *extra_resv,
                    struct iova_set *out);

/* iommu_dma_limit() - the last address the functions can reach: min of the root complex's
 * dma_limit_bits and dma_bits (0 means "not limited" for either). */
uint64_t iommu_dma_limit(const struct topo_iommu *u, unsigned dma_bits);

/*
 * iommu_iova_unit() - the two views of IOMMU ui of ctx's machine: what VFIO reports for it,
 * and what its functions can use (that, cut to its root complex's DMA limit).
 * iommu_iova_group() - the same for one group: the reserved regions of every member count
 * (a direct region of one blocks the whole group), and the limit is the narrowest of the
 * root complex's and the members' dma_bits.
 */
int iommu_iova_unit(const struct alias_ctx *ctx, uint32_t ui, struct iova_set *vfio,
                    struct iova_set *usable);
int iommu_iova_group(const struct alias_ctx *ctx, const struct alias_groups *g, uint32_t gid,
                     struct iova_set *vfio, struct iova_set *usable);

/* iommu_format_range() - "0xSTART-0xEND" as FORMAT.md writes range subjects. */
void iommu_format_range(struct strbuf *out, uint64_t start, uint64_t end);

#endif

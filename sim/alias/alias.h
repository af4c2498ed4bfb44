/*
 * Alias -- where a function's DMA appears to come from: every requester ID it can carry
 * (Linux pci_for_each_dma_alias), the IOMMU groups Linux forms from them with ACS
 * (pci_device_group), the reason each multi-member group could not be split, and the DMA
 * address space QEMU gives a function behind a vIOMMU.
 *
 * Owns: the alias walk, the built-in quirk table (alias_quirks.h) and its application, the
 * ACS rules of pci_acs_enabled(), group formation and numbering, group explanations,
 * address spaces.
 * Does not own: what an IOMMU does with a requester ID (stream IDs, IOVA ranges:
 * sim/iommu), VFIO assignment checks (sim/check).
 * Uses: sim/topology, sim/util.
 *
 * Everything works on a struct alias_ctx built once per machine: it applies the quirk table
 * to every function (alias devfns, bridge flags, ACS quirk) in one pass, so the walk and the
 * grouping cost O(depth) per function and no analysis compares all pairs of functions.
 */
#ifndef SIM_ALIAS_ALIAS_H
#define SIM_ALIAS_ALIAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/topology/topology.h"
#include "sim/util/strbuf.h"

struct alias_ctx;
struct alias_groups;

/* A requester ID together with its segment (a VMD alias lives in another segment). */
struct alias_rid {
    uint16_t segment; /* PCI segment of the bus the RID names */
    uint16_t rid;     /* bus << 8 | devfn */
};

/* The ACS flags Linux requires for isolation (REQ_ACS_FLAGS). */
#define ALIAS_REQ_ACS 0x001d /* SV | RR | CR | UF */

/*
 * alias_ctx_new() - prepare machine t for alias and group queries: apply the built-in quirk
 * table (unless a function has quirks: [no-builtin]) and the YAML dma_alias/quirks.
 * amd_ivrs says whether the firmware has an IVRS table (the AMD southbridge ACS quirk needs
 * one); by default it is true when the machine has an amd-vi IOMMU.
 * t must stay alive and unmodified in structure while the context is used (register values
 * may change: bus numbers are read when asked).
 */
int alias_ctx_new(struct alias_ctx **out, const struct topology *t);
void alias_ctx_free(struct alias_ctx *ctx);
const struct topology *alias_ctx_topology(const struct alias_ctx *ctx);

/*
 * alias_fn - called for every alias, in walk order: owner is the function that produced it
 * (the function itself for its own RID and its same-bus aliases, the bridge for a bridge
 * alias, the VMD function for a VMD child). A non-zero return stops the walk and is returned.
 */
typedef int (*alias_fn)(const struct alias_ctx *ctx, uint32_t owner, struct alias_rid rid,
                        void *data);

/*
 * alias_for_each() - every requester ID fn's DMA can carry, in Linux's order (SEMANTICS.md
 * 1.1): the DMA device's own RID (the dma_owner's for a function below a VMD host bridge),
 * its same-bus aliases in devfn order (dma_alias and quirks; may include its own devfn
 * again), then one alias per bridge up to the root bus, stopping at a translation root.
 * Returns 0 or the first non-zero callback return.
 */
int alias_for_each(const struct alias_ctx *ctx, uint32_t fn, alias_fn cb, void *data);

/* alias_rid_format() - "BB:DD.F", or "SSSS:BB:DD.F" when with_segment; returns buf. */
char *alias_rid_format(char buf[BDF_STRLEN], struct alias_rid r, bool with_segment);

/* Quirk facts about one function, after the table and the scenario's quirks are applied. */
bool alias_fn_pcie_bridge_alias(const struct alias_ctx *ctx, uint32_t fn);
bool alias_fn_xlate_root(const struct alias_ctx *ctx, uint32_t fn);
/* alias_fn_dma_owner() - the function whose DMA fn's DMA is (pci_real_dma_dev): itself, or
 * the dma_owner of its host bridge (Intel VMD). */
uint32_t alias_fn_dma_owner(const struct alias_ctx *ctx, uint32_t fn);
/* alias_fns_are_dma_aliases() - pci_devs_are_dma_aliases() for two functions of one bus. */
bool alias_fns_are_dma_aliases(const struct alias_ctx *ctx, uint32_t a, uint32_t b);

/* --- ACS ------------------------------------------------------------------------------- */

/* Why pci_acs_enabled() answered as it did for one function. */
enum alias_acs_why {
    ALIAS_ACS_QUIRK,             /* a quirk decided (enabled or not); `quirk` names it */
    ALIAS_ACS_QUIRK_NOT_ENABLED, /* an Intel PCH quirk whose enable hook did not run */
    ALIAS_ACS_CONVENTIONAL,      /* not PCI Express: conventional PCI never isolates */
    ALIAS_ACS_BRIDGE_TYPE,       /* a PCIe-to-PCI or PCI-to-PCIe bridge never isolates */
    ALIAS_ACS_NO_CAP,            /* the port or multifunction device has no ACS capability */
    ALIAS_ACS_CTRL,              /* ACS capability present; `missing` features not enabled */
    ALIAS_ACS_FLAGS_OK,          /* the capability enables every required feature */
    ALIAS_ACS_SINGLE_FUNCTION,   /* a single-function endpoint or upstream port needs none */
    ALIAS_ACS_OTHER_TYPE,        /* a PCIe type with no ACS requirement */
};

struct alias_acs {
    bool enabled; /* pci_acs_enabled(fn, REQ_ACS_FLAGS) */
    enum alias_acs_why why;
    uint16_t cap, ctrl; /* ACS registers (ctrl as the OS left it), when there is a cap */
    uint16_t missing;   /* required features cap advertises but ctrl does not enable */
    const char *quirk;  /* the quirk's upstream name, for ALIAS_ACS_QUIRK* */
};

/* alias_acs_enabled() - pci_acs_enabled() for the required flags, with the reason. */
struct alias_acs alias_acs_enabled(const struct alias_ctx *ctx, uint32_t fn);

/* alias_acs_path() - pci_acs_path_enabled(fn, NULL): the first function from fn up to the
 * root bus that does not isolate, or TOPO_NONE when the whole path does. */
uint32_t alias_acs_path(const struct alias_ctx *ctx, uint32_t fn);

/* --- IOMMU groups ------------------------------------------------------------------------ */

#define ALIAS_NO_GROUP UINT32_MAX

/* Why members ended up together (one record per join that merged something). */
enum alias_reason_kind {
    ALIAS_REASON_BRIDGE_ALIAS, /* fn's DMA carries the RID of bridge `culprit`, which has the group
                                */
    ALIAS_REASON_DMA_OWNER,    /* fn DMAs as `culprit` (VMD) */
    ALIAS_REASON_ACS_PATH,     /* the path above fn is not isolated at `culprit` */
    ALIAS_REASON_SAME_BUS_ALIAS, /* fn and `culprit` are DMA aliases of each other on one bus */
    ALIAS_REASON_MULTIFUNCTION,  /* fn and `culprit` are functions of one slot without ACS */
};

struct alias_reason {
    enum alias_reason_kind kind;
    uint32_t fn;          /* the function being placed */
    uint32_t culprit;     /* the function that pulled it in */
    struct alias_rid rid; /* BRIDGE_ALIAS: the alias RID */
};

/*
 * alias_groups_compute() - the IOMMU groups of every function an IOMMU covers, formed as
 * Linux's pci_device_group() forms them, in Linux's probe order (root buses in segment and
 * bus order; each bus's functions, then each bridge's subtree), numbered in creation order
 * per IOMMU in file order (one IOMMU: the numbers of /sys/kernel/iommu_groups).
 */
int alias_groups_compute(struct alias_groups **out, const struct alias_ctx *ctx);
/* alias_groups_compute_except() - the same, but the functions with failed[fn] set fail their
 * IOMMU probe (arm-smmu-v3 rejecting a master whose StreamID is taken) and get no group. */
int alias_groups_compute_except(struct alias_groups **out, const struct alias_ctx *ctx,
                                const bool *failed);
void alias_groups_free(struct alias_groups *g);

/* alias_probe_order() - every function in the order Linux probes them (each root bus's
 * functions, then each bridge's subtree; VMD domains after their owner's bus). *out is
 * malloc'd, the caller frees it. */
int alias_probe_order(const struct alias_ctx *ctx, uint32_t **out, size_t *n);

size_t alias_group_count(const struct alias_groups *g);
/* alias_group_of() - the group number of fn, or ALIAS_NO_GROUP when no IOMMU covers it. */
uint32_t alias_group_of(const struct alias_groups *g, uint32_t fn);
/* alias_group_members() - members of group gid in (segment, bus, devfn) order. */
const uint32_t *alias_group_members(const struct alias_groups *g, uint32_t gid, size_t *n);
/* alias_group_iommu() - the index of the IOMMU the group belongs to. */
uint32_t alias_group_iommu(const struct alias_groups *g, uint32_t gid);
/* alias_group_reasons() - why the members could not be separated, in the order found. */
const struct alias_reason *alias_group_reasons(const struct alias_groups *g, uint32_t gid,
                                               size_t *n);
/* alias_fn_iommu() - the IOMMU translating fn's DMA (covers of its DMA owner's host
 * bridge), or TOPO_NONE. */
uint32_t alias_fn_iommu(const struct alias_ctx *ctx, uint32_t fn);

/* alias_reason_format() - the reason in words, naming the culprit:
 * "root port 00:1c.0 has no ACS capability", "02:01.0 aliases to 02:00.0 through
 * PCIe-to-PCI bridge 01:00.0", ... */
void alias_reason_format(struct strbuf *out, const struct alias_ctx *ctx,
                         const struct alias_reason *r);

/* --- Address spaces ---------------------------------------------------------------------- */

/* The DMA address space of a function: an IOMMU and the (bus, devfn) it sees the DMA as. */
struct alias_as {
    uint32_t iommu; /* IOMMU index, or TOPO_NONE: untranslated (system memory) */
    uint16_t segment;
    uint8_t bus, devfn;
};

/*
 * alias_address_space() - on a guest, QEMU's pci_device_iommu_address_space(): walking up,
 * the outermost conventional-bus hop decides (PCIe-to-PCI bridge: (secondary, 00.0);
 * another bridge: its own bus and devfn), from QEMU 4.2 on (qemu_aliases true); before that
 * every function has its own. On a host (qemu_rules false): the requester ID the IOMMU sees,
 * the last of the alias walk.
 */
struct alias_as alias_address_space(const struct alias_ctx *ctx, uint32_t fn, bool qemu_rules,
                                    bool qemu_aliases);
/* alias_as_format() - "dmar0:02:00.0", or "none" without an IOMMU. */
void alias_as_format(struct strbuf *out, const struct alias_ctx *ctx, struct alias_as as);
bool alias_as_eq(struct alias_as a, struct alias_as b);

#endif

/*
 * Topology -- private layouts shared by topology_*.c. Nothing outside sim/topology includes
 * this file.
 */
#ifndef SIM_TOPOLOGY_INTERNAL_H
#define SIM_TOPOLOGY_INTERNAL_H

#include "sim/topology/topology.h"
#include "sim/util/arena.h"
#include "sim/util/strmap.h"
#include "sim/util/vec.h"

/*
 * A run of implemented config registers: ndw dwords from offset off, whose values and write
 * masks are cfg_val[first ..] and cfg_wmask[first ..]. A function owns nblk consecutive
 * blocks in ascending offset order. Everything outside its blocks reads 0 (all-ones above
 * 0xff for a conventional function), which keeps a million functions in a few hundred bytes
 * each instead of 4 KiB.
 */
struct cfg_block {
    uint16_t off;   /* first byte offset, dword aligned */
    uint16_t ndw;   /* dwords in the run */
    uint32_t first; /* index of the first dword in the value and mask pools */
};

enum fn_flag {
    FN_DEFINED = 1u << 0,         /* topo_fn_define() has run */
    FN_VIRTIO = 1u << 1,          /* a virtio device */
    FN_ACCESS_PLATFORM = 1u << 2, /* negotiated VIRTIO_F_ACCESS_PLATFORM */
    FN_DRIVER_GIVEN = 1u << 3,    /* `driver` was written, not defaulted */
    FN_WINDOWS_GIVEN = 1u << 4,   /* `windows` was written: no firmware-style default */
};

/* One PCI function. Everything a register can hold lives in the registers, not here. */
struct topo_fn {
    const char *id;                                 /* unique id, in the arena */
    struct src_mark mark;                           /* the node in the scenario file */
    struct src_mark devfn_mark, sec_mark, sub_mark; /* its devfn, secondary, subordinate keys */
    uint32_t parent;          /* bridge whose secondary bus this sits on; TOPO_NONE: root bus */
    uint32_t hb;              /* host bridge */
    uint32_t child;           /* first function on the secondary bus (lowest devfn) */
    uint32_t sibling;         /* next function on the same bus (next devfn) */
    uint32_t blk;             /* first config block */
    uint32_t alias;           /* first dma_alias range in topology.aliases */
    uint32_t resv;            /* first reserved region in topology.resv */
    uint32_t passthrough;     /* guest: the assigned host function; TOPO_NONE */
    int16_t sec_req, sub_req; /* bus numbers asked for; -1: assign */
    uint16_t quirks;          /* enum topo_quirk */
    uint8_t kind;             /* enum topo_kind */
    uint8_t devfn;            /* on its bus */
    uint8_t nblk;             /* config blocks */
    uint8_t nalias;           /* dma_alias ranges */
    uint8_t nresv;            /* reserved regions */
    uint8_t driver;           /* enum topo_driver */
    uint8_t dma_bits;         /* DMA mask width */
    uint8_t flags;            /* enum fn_flag */
    uint8_t bar_ram;          /* bit i: BAR i is RAM-backed */
    uint8_t exp_cap;          /* offset of the PCI Express capability (read-only structure,
                                 found through the capability list once), 0 without one */
};

struct hb_rec {
    struct topo_hb pub; /* what topo_hb_get() returns */
    uint32_t child;     /* first function on the root bus */
};

struct topology {
    char *name;                    /* "host", "guest" */
    struct arena arena;            /* strings and copied arrays */
    struct topo_platform platform; /* arrays point into the arena */
    VEC(struct topo_iommu) iommus;
    VEC(struct hb_rec) hbs;
    VEC(struct topo_fn) fns;
    VEC(struct cfg_block) blocks;
    VEC(uint32_t) cfg_val;   /* register values */
    VEC(uint32_t) cfg_wmask; /* bits software can write */
    VEC(struct topo_devfn_range) aliases;
    VEC(struct topo_resv) resv;
    VEC(uint32_t) order;         /* functions by (segment, bus, devfn), after finalize */
    VEC(uint32_t) hb_order;      /* host bridges by (segment, bus) */
    VEC(uint32_t) group_members; /* declared groups, concatenated */
    VEC(uint32_t) group_start;   /* start of each group in group_members, plus end */
    struct strmap fn_ids;        /* function id -> index */
    struct strmap hb_ids;        /* host bridge id -> index */
    bool single_segment;         /* every host bridge is in segment 0 */
    bool finalized;              /* topo_finalize() succeeded */
};

/* topology_cfg.c */
int cfg_build(struct topology *t, uint32_t fn, const struct topo_fn_desc *d);
void cfg_set(struct topology *t, uint32_t fn, uint16_t off, unsigned len, uint32_t val);
uint32_t *cfg_dword(const struct topology *t, uint32_t fn, uint16_t off, uint32_t **wmask);
void cfg_window_encode(struct topology *t, uint32_t fn, enum topo_window w, bool open,
                       uint64_t base, uint64_t limit);

/* topology_query.c */
static inline struct topo_fn *fn_rec(const struct topology *t, uint32_t fn)
{
    return &t->fns.v[fn];
}

#endif

/*
 * BAR -- configuration-space replay: what a sequence of config accesses makes each BAR decode,
 * as QEMU's pci_update_mappings() sees it, what a VFIO listener then DMA-maps, where sizing
 * sequences come from (generators, QEMU trace logs), and the exhaustive exploration of
 * interleaved sequences.
 *
 * Owns: BAR decoding by policy (QEMU's pci_bar_address() rules, or plain hardware), map and
 * unmap events, the VFIO listener's view (visible through the platform's MMIO windows, the
 * bit-63 filter, the host IOMMU width), transient mappings, config-cycle routing of BDF
 * accesses, trace parsing, sizing generators, the explorer.
 * Does not own: the registers themselves and their write masks (sim/topology), findings
 * (sim/check), which IOMMU translates what (sim/alias, sim/iommu: the caller passes widths).
 * Uses: sim/topology, sim/util.
 */
#ifndef SIM_BAR_BAR_H
#define SIM_BAR_BAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/topology/topology.h"
#include "sim/util/diag.h"
#include "sim/util/strbuf.h"

enum bar_policy {
    BAR_POLICY_QEMU,     /* pci_bar_address(): decode bits, ROM enable, wrap, 32-bit BAR past
                            4 GiB, end at the top of the 64-bit space, address 0 */
    BAR_POLICY_HARDWARE, /* whatever is programmed decodes while the decode bit is on */
};

/* --- Decoding ----------------------------------------------------------------------------- */

#define BAR_UNMAPPED UINT64_MAX /* PCI_BAR_UNMAPPED */

/* One BAR slot's registers as decoding needs them. */
struct bar_slot {
    enum topo_bar_type type; /* mem32, mem64, io (a ROM is mem32 with rom set) */
    bool rom;                /* the expansion ROM slot (index 6) */
    uint64_t size;           /* from the write mask */
    uint64_t value;          /* the register(s): both dwords for mem64 */
};

/*
 * bar_decode() - where a BAR decodes with command register cmd under policy: its base
 * address, or BAR_UNMAPPED. allow0 is the machine's pci_allow_0_address.
 */
uint64_t bar_decode(const struct bar_slot *s, uint16_t cmd, enum bar_policy policy, bool allow0);

/* bar_slot_read() - slot `index` (0-5, 6 = ROM) of fn from its registers now; false when the
 * slot holds no BAR. */
bool bar_slot_read(const struct topology *t, uint32_t fn, unsigned index, struct bar_slot *out);

/* bar_reg_touches_mappings() - whether a write of len bytes at off of a function with a type 0
 * (or, bridge, type 1) header can change its mappings: COMMAND, BAR0-5, the ROM BAR. */
bool bar_reg_touches_mappings(bool bridge, uint16_t off, unsigned len);

/* --- Operations --------------------------------------------------------------------------- */

enum bar_op_kind { BAR_OP_READ, BAR_OP_WRITE };

/* One config access: to a function directly (fn), or to a BDF routed as a config cycle. */
struct bar_op {
    enum bar_op_kind kind;
    uint32_t fn;     /* the target function, or TOPO_NONE: route `bdf` */
    struct bdf bdf;  /* when fn is TOPO_NONE: the address, at the moment of the access */
    uint16_t reg;    /* offset, reg + len <= 4096 */
    uint8_t len;     /* 1, 2 or 4 */
    uint32_t value;  /* write: the value */
    bool has_expect; /* read: the value the machine returned (from a trace or YAML) */
    uint32_t expect;
    uint32_t line; /* where it came from (scenario or trace line), 0 if generated */
};

/* --- Replay ------------------------------------------------------------------------------- */

enum bar_event_kind { BAR_EVENT_UNMAP, BAR_EVENT_MAP };

/* What the VFIO listener did with a map event. */
enum bar_vfio {
    BAR_VFIO_NONE,        /* no listener, or not a RAM-backed BAR */
    BAR_VFIO_MAPPED,      /* DMA-mapped into the host IOMMU */
    BAR_VFIO_FAILED,      /* the DMA map failed: at or above the host IOMMU's width */
    BAR_VFIO_FILTERED,    /* skipped: address bit 63 set (QEMU 2.0+ listener filter) */
    BAR_VFIO_NOT_VISIBLE, /* outside the platform's MMIO windows: not in the listener's view */
};

struct bar_event {
    enum bar_event_kind kind;
    uint32_t fn;
    struct bdf bdf; /* the function's address at that moment */
    uint8_t bar;    /* 0-5, 6 = ROM */
    uint64_t base, size;
    enum bar_vfio vfio; /* map events: what the listener did */
};

struct bar_config {
    enum bar_policy policy;
    bool listener_vfio; /* model QEMU's VFIO listener */
    bool vfio_filter;   /* skip sections with bit 63 set */
    /* per function of the replayed machine: the width (bits) of the host IOMMU its RAM-backed
     * BARs are DMA-mapped into by the listener, 0 when none (not assigned, no IOMMU) */
    const uint8_t *dma_width;
};

/* The outcome of one op. */
struct bar_op_result {
    uint32_t fn;        /* the function reached, TOPO_NONE when nothing answers */
    struct bdf bdf;     /* its address at the moment */
    uint32_t read;      /* read: the value returned (all-ones for nothing) */
    size_t first_event; /* its events: events[first_event .. first_event + nevents) */
    size_t nevents;
};

/* Per BAR touched: where it decoded before, after, and in between. */
struct bar_history {
    uint32_t fn;
    uint8_t bar;
    uint64_t before, after; /* BAR_UNMAPPED when not decoding */
    uint64_t size;
    uint64_t transient;  /* the first address it decoded at that is neither, or BAR_UNMAPPED */
    size_t transient_op; /* the op that made it */
};

struct bar_replay;

/*
 * bar_replay_run() - apply ops in order to machine t (its registers change: save them with
 * topo_cfg_save() first to keep the original), recording every op's result and the
 * map/unmap events each write causes (pci_update_mappings: BAR order, an unmap before the
 * map of the same BAR), the listener's action on every map, and each BAR's history.
 */
int bar_replay_run(struct bar_replay **out, struct topology *t, const struct bar_config *cfg,
                   const struct bar_op *ops, size_t nops);
void bar_replay_free(struct bar_replay *r);
const struct bar_op_result *bar_replay_results(const struct bar_replay *r, size_t *n);
const struct bar_event *bar_replay_events(const struct bar_replay *r, size_t *n);
const struct bar_history *bar_replay_history(const struct bar_replay *r, size_t *n);

/* bar_route() - the function a config cycle to b reaches now, or TOPO_NONE. */
uint32_t bar_route(const struct topology *t, struct bdf b);

/* --- Generators ------------------------------------------------------------------------- */

enum bar_generator {
    BAR_GEN_DECODE_ON,            /* decode left on; per BAR: low dword, then the high dword */
    BAR_GEN_DECODE_ON_HIGH_FIRST, /* decode left on; the high dword first */
    BAR_GEN_LINUX,                /* Linux 6.1 __pci_read_base(): decode off around each slot */
    BAR_GEN_SEABIOS,              /* SeaBIOS pci_bios_get_bar(): decode off, ROM included */
};

/*
 * bar_generate() - append the access list of generator gen sizing the BARs of fns (in order)
 * to *ops (a VEC of struct bar_op: v, n, cap). The exact lists are in docs/format.md.
 */
int bar_generate(void *ops_vec, const struct topology *t, enum bar_generator gen,
                 const uint32_t *fns, size_t nfns);

/* --- Traces ----------------------------------------------------------------------------- */

struct bar_trace_stats {
    size_t lines;          /* lines read */
    size_t accesses;       /* config accesses recognised */
    size_t skipped;        /* lines that are neither */
    size_t inferred_sizes; /* pci_cfg accesses whose size was inferred from alignment */
};

/*
 * bar_trace_parse() - config accesses from a QEMU trace log: vfio_pci_read_config /
 * vfio_pci_write_config lines (named by the HOST function's BDF: host_to_fn, with
 * topo_fn_count(host) entries, maps a host function index to the replayed machine's
 * function; NULL when replaying the host itself; host may be NULL when the file has no vfio
 * lines) and pci_cfg_read / pci_cfg_write lines (BDF of the replayed machine, routed at
 * replay time; sizes from a neighbouring memory_region_ops_* 'pci-conf-data' or
 * 'pcie-mmcfg-mmio' line that agrees with the access, else the widest aligned size the value
 * fits), optionally prefixed by "PID@TIME:". An access traced by both event kinds counts once.
 * Appends to *ops (a VEC of struct bar_op), which is put back as it was on failure; *stats
 * (may be NULL) is reset first. Lines that are not a known event are skipped and counted; a
 * malformed known event is an error at its line, and SIM_EINVAL is returned after the whole
 * file is read. SIM_EIO when the file cannot be read.
 */
int bar_trace_parse(void *ops_vec, struct bar_trace_stats *stats, const char *path,
                    const struct topology *host, const uint32_t *host_to_fn,
                    struct diag_list *diags);

/* --- Exploration -------------------------------------------------------------------------- */

#define BAR_EXPLORE_MAX_ACTORS 32u /* sleep sets are a 32-bit mask of actors */

/* One CPU's access sequence; its own order is fixed. Every op names its function (fn). */
struct bar_actor {
    uint32_t cpu;
    const struct bar_op *ops;
    size_t nops;
};

enum bar_invariant {
    BAR_INV_WITHIN_IOMMU_WIDTH = 1u << 0, /* no visible, unfiltered listener mapping of a
                                             RAM-backed BAR at or above its host IOMMU width */
    BAR_INV_NO_OVERLAP = 1u << 1,         /* no two decoding memory BARs overlap */
    BAR_INV_NO_TRANSIENT = 1u << 2,       /* every BAR decodes at its initial or final address */
};

enum bar_verdict { BAR_HOLDS, BAR_VIOLATED, BAR_INCOMPLETE };

struct bar_explore_config {
    struct bar_config replay; /* policy, listener, filter, host IOMMU widths */
    unsigned invariants;      /* enum bar_invariant bits */
    uint64_t max_states;      /* stop after this many distinct states: BAR_INCOMPLETE */
    bool reduction;           /* prune interleavings of independent accesses */
    /* called about once a second of exploration (may be NULL): the library never prints */
    void (*progress)(uint64_t states, uint64_t transitions, double seconds, void *data);
    void *progress_data;
};

struct bar_explore_result {
    enum bar_verdict verdict;
    unsigned violated;             /* the enum bar_invariant bit that broke (BAR_VIOLATED) */
    char *detail;                  /* what broke, in words (malloc'd; NULL unless violated) */
    uint64_t states;               /* distinct states visited */
    uint64_t transitions;          /* transitions taken */
    uint64_t pruned;               /* transitions the reduction did not take */
    uint32_t depth;                /* the longest path explored, in accesses */
    double seconds;                /* wall time of the search (not part of deterministic output) */
    size_t bytes_per_state;        /* visited-set memory divided by states */
    struct bar_op *counterexample; /* a path to the violation, as replay ops (malloc'd) */
    size_t ncounterexample;
    size_t violation_at; /* the violation holds after counterexample[violation_at - 1] (0: at
                            the start); later ops finish a no-transient-mapping trace */
};

/*
 * bar_explore() - breadth-first search over every interleaving of the actors' sequences on
 * machine t (whose registers are the initial state; t is restored before returning).
 * A state is the registers the sequences touch plus each actor's position; the visited set
 * keeps hash-compacted states. With reduction, accesses to different functions commute and
 * only one order of each independent pair is explored (no-bar-overlap makes accesses that
 * move mappings visible, so those are still interleaved). The result is the same on every
 * run. Without reduction the counterexample is a shortest path to a violation; with it, a
 * shortest path of the reduced graph, which can be longer. Either keeps only the actors the
 * violation involves (and those sharing a function with them). At most
 * BAR_EXPLORE_MAX_ACTORS actors, each op naming its function (fn, not a BDF).
 */
int bar_explore(struct bar_explore_result *out, struct topology *t, const struct bar_actor *actors,
                size_t nactors, const struct bar_explore_config *cfg);
void bar_explore_result_fini(struct bar_explore_result *r);

#endif

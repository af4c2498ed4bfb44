/*
 * Topology -- the model of one machine: its platform, its IOMMUs, its host bridges and the
 * tree of PCI functions below them, each with a real configuration space.
 *
 * Owns: node kinds, the function tree, devfn and bus numbering (explicit and depth-first),
 * multifunction detection, the structural rules of PCI (what may sit where, BAR layout,
 * ACS capability contents) and every function's config registers (header, BARs, bridge bus
 * numbers and windows, the PCI Express capability, the ACS extended capability), which are
 * the one source of truth for everything they hold.
 * Does not own: YAML (sim/scenario), aliases and groups (sim/alias), IOMMU translation
 * (sim/iommu), BAR mapping replay (sim/bar).
 * Uses: sim/util only.
 *
 * Shape, for a machine with a PCIe-to-PCI bridge:
 *
 *   host bridge pci0 [0000:00] -> root port 00:1c.0 [sec 01, sub 02]
 *       -> PCIe-to-PCI bridge 01:00.0 [sec 02, sub 02] -> functions 02:01.0, 02:01.1
 *
 * Identity is by index: functions, host bridges and IOMMUs live in dense arrays and refer
 * to each other by uint32_t index (TOPO_NONE for "none"). Life cycle: topo_new(), then the
 * topo_*_add() calls, then topo_finalize() (sorting, numbering, validation), then queries.
 * Invariants after a successful finalize: siblings are in devfn order with unique devfns;
 * for every bridge, secondary <= every bus below it <= subordinate, and the bus ranges of
 * two bridges are either nested or disjoint.
 */
#ifndef SIM_TOPOLOGY_TOPOLOGY_H
#define SIM_TOPOLOGY_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/topology/bdf.h"
#include "sim/util/diag.h"

#define TOPO_NONE UINT32_MAX

struct topology;

/* Node kinds of FORMAT.md 1.4; the comment is the PCIe device/port type. */
enum topo_kind {
    TOPO_HOST_BRIDGE,     /* root complex; owns a root bus; not a function */
    TOPO_ROOT_PORT,       /* type 4 */
    TOPO_UPSTREAM_PORT,   /* type 5 */
    TOPO_DOWNSTREAM_PORT, /* type 6 */
    TOPO_PCIE_PCI_BRIDGE, /* type 7, PCIe-to-PCI/PCI-X */
    TOPO_PCI_PCIE_BRIDGE, /* type 8, PCI/PCI-X-to-PCIe ("reverse") */
    TOPO_PCI_BRIDGE,      /* conventional PCI-to-PCI bridge, no PCIe capability */
    TOPO_ENDPOINT,        /* type 0 */
    TOPO_LEGACY_ENDPOINT, /* type 1 */
    TOPO_RC_ENDPOINT,     /* type 9 */
    TOPO_PCI_DEVICE,      /* conventional PCI function, no PCIe capability */
};
#define TOPO_KIND_COUNT 11

const char *topo_kind_name(enum topo_kind k);            /* "root-port" */
const char *topo_kind_article(enum topo_kind k);         /* "a" or "an", for messages */
int topo_kind_parse(enum topo_kind *out, const char *s); /* 0 or SIM_ENOTFOUND */
extern const char *const topo_kind_names[TOPO_KIND_COUNT];
bool topo_kind_is_bridge(enum topo_kind k); /* has a type 1 header and a secondary bus */
bool topo_kind_is_pcie(enum topo_kind k);   /* has a PCI Express capability */

enum topo_arch {
    TOPO_ARCH_X86_64,
    TOPO_ARCH_I386,
    TOPO_ARCH_AARCH64,
    TOPO_ARCH_ARM,
    TOPO_ARCH_PPC64,
    TOPO_ARCH_PPC64LE,
    TOPO_ARCH_S390X,
    TOPO_ARCH_RISCV64,
    TOPO_ARCH_LOONGARCH64,
    TOPO_ARCH_MIPS64,
    TOPO_ARCH_ALPHA,
    TOPO_ARCH_SPARC64,
};
#define TOPO_ARCH_COUNT 12
extern const char *const topo_arch_names[TOPO_ARCH_COUNT];

enum topo_iommu_kind {
    TOPO_IOMMU_VTD,
    TOPO_IOMMU_AMD_VI,
    TOPO_IOMMU_SMMUV3,
    TOPO_IOMMU_VIRTIO,
};
#define TOPO_IOMMU_KIND_COUNT 4
extern const char *const topo_iommu_kind_names[TOPO_IOMMU_KIND_COUNT];

enum topo_resv_kind {
    TOPO_RESV_MSI,
    TOPO_RESV_RMRR,
    TOPO_RESV_DIRECT,
    TOPO_RESV_RESERVED,
};
#define TOPO_RESV_KIND_COUNT 4
extern const char *const topo_resv_kind_names[TOPO_RESV_KIND_COUNT];

enum topo_driver {
    TOPO_DRIVER_HOST, /* a host kernel driver (the default) */
    TOPO_DRIVER_VFIO, /* vfio-pci */
    TOPO_DRIVER_NONE, /* unbound */
};
#define TOPO_DRIVER_COUNT 3
extern const char *const topo_driver_names[TOPO_DRIVER_COUNT];

/* Named behaviours of FORMAT.md `quirks:`, one bit each. */
enum topo_quirk {
    TOPO_QUIRK_PCIE_BRIDGE_ALIAS = 1u << 0, /* conventional bridge aliases as PCIe-to-PCI */
    TOPO_QUIRK_XLATE_ROOT = 1u << 1,        /* IOMMU sits at this bridge: the alias walk stops */
    TOPO_QUIRK_NO_BUILTIN = 1u << 2,        /* ignore the built-in vendor:device quirk table */
};
#define TOPO_QUIRK_COUNT 3
extern const char *const topo_quirk_names[TOPO_QUIRK_COUNT]; /* by bit position */

enum topo_bar_type {
    TOPO_BAR_MEM32,
    TOPO_BAR_MEM64,
    TOPO_BAR_IO,
};
extern const char *const topo_bar_type_names[3];

#define TOPO_ROM_INDEX 6 /* BARs are 0..5; the ROM is named 6, as in QEMU and FORMAT.md 3 */

enum topo_window {
    TOPO_WIN_IO,
    TOPO_WIN_MEM,
    TOPO_WIN_PREF,
};
extern const char *const topo_window_names[3];

struct addr_range {
    uint64_t base; /* first address */
    uint64_t size; /* bytes; 0 only for an empty range */
};

struct topo_resv {
    uint64_t base;            /* first IOVA */
    uint64_t size;            /* bytes */
    enum topo_resv_kind kind; /* msi, rmrr, direct, reserved */
    struct src_mark mark;     /* where it was declared */
};

struct topo_dma_window {
    uint64_t bus_base;   /* first bus address */
    uint64_t size;       /* bytes */
    uint64_t phys_base;  /* physical address of bus_base */
    bool scatter_gather; /* translated by a scatter-gather table rather than a fixed offset */
};

struct topo_stream_map {
    bool has_segment;     /* applies only to RIDs of `segment` (one IORT root-complex node) */
    uint16_t segment;     /* PCI segment of the root complex this mapping belongs to */
    uint32_t rid_base;    /* first RID of the range (range mapping) */
    uint32_t count;       /* number of RIDs; IORT's field holds count - 1 */
    uint32_t sid_base;    /* StreamID of rid_base, or the one ID of a single mapping */
    bool single;          /* every RID maps to sid_base */
    struct src_mark mark; /* where it was declared */
};

/* The platform of one machine (FORMAT.md 1.2). Widths of 0 mean "not given". */
struct topo_platform {
    enum topo_arch arch;          /* default x86_64 */
    uint8_t cpu_phys_bits;        /* 0: unknown, checks that need it are skipped */
    uint8_t guest_phys_bits;      /* 0: not set */
    bool os_enables_acs;          /* default true */
    bool pci_allow_0_address;     /* default: false on x86, true elsewhere */
    bool has_mmio32, has_mmio64;  /* whether the windows below were given */
    struct addr_range mmio32;     /* 32-bit PCI MMIO window */
    struct addr_range mmio64;     /* 64-bit PCI MMIO window */
    const struct addr_range *ram; /* RAM ranges, in file order */
    size_t nram;
    const struct topo_dma_window *dma_windows; /* bus -> physical windows */
    size_t ndma_windows;
};

struct topo_iommu {
    const char *id;            /* unique id */
    enum topo_iommu_kind kind; /* vt-d, amd-vi, smmuv3, virtio-iommu */
    uint8_t address_bits;      /* input address width, 1..64 */
    uint8_t dma_limit_bits;    /* bus DMA limit of the covered root complex; 0: none */
    const uint32_t *covers;    /* host-bridge indices; ncovers == 0 means all */
    size_t ncovers;
    const struct topo_resv *reserved; /* regions written in YAML (kind defaults come later) */
    size_t nreserved;
    const struct topo_stream_map *stream_map; /* smmuv3 only; empty means StreamID = RID */
    size_t nstream_map;
    struct src_mark mark; /* where it was declared */
};

struct topo_hb {
    const char *id;       /* unique id */
    uint16_t segment;     /* PCI segment (domain) */
    uint8_t bus;          /* root bus number */
    uint32_t dma_owner;   /* function whose RID all DMA below appears as (VMD); TOPO_NONE */
    struct src_mark mark; /* where it was declared */
    struct src_mark dma_owner_mark;
};

/* One BAR of a function description. */
struct topo_bar_desc {
    uint8_t index;           /* 0..5 */
    enum topo_bar_type type; /* mem32, mem64 (takes index and index + 1), io */
    bool prefetchable;       /* memory BARs only */
    bool ram;                /* RAM-backed (ivshmem memdev); a VFIO listener maps it */
    bool has_address;        /* false: unassigned, the address bits read 0 */
    uint64_t size;           /* bytes, a power of two */
    uint64_t address;        /* aligned to size */
    struct src_mark mark, index_mark, size_mark, address_mark, type_mark, pref_mark;
};

struct topo_rom_desc {
    bool present; /* the function has an expansion ROM BAR */
    bool has_address;
    bool enabled; /* PCI_ROM_ADDRESS_ENABLE */
    uint64_t size, address;
    struct src_mark mark, size_mark, address_mark;
};

struct topo_devfn_range {
    uint8_t first, last; /* inclusive devfns on the function's own bus */
};

/* Tri-state for keys that have a computed default. */
enum topo_tristate { TOPO_DEFAULT = -1, TOPO_FALSE = 0, TOPO_TRUE = 1 };

/* Everything a scenario says about one function (FORMAT.md 1.4). */
struct topo_fn_desc {
    const char *id;                 /* unique id (copied) */
    enum topo_kind kind;            /* not TOPO_HOST_BRIDGE */
    uint8_t devfn;                  /* on the parent's secondary (or the root) bus */
    uint32_t parent;                /* bridge function index, or TOPO_NONE on a root bus */
    uint32_t hb;                    /* host bridge index */
    int32_t vendor_id, device_id;   /* -1: kind default */
    int32_t class_code;             /* 24-bit class code; -1: kind default */
    int32_t subsystem_vendor_id;    /* type 0 headers only; -1: 0 */
    int32_t subsystem_id;           /* -1: 0 */
    int32_t secondary, subordinate; /* -1: assigned by numbering */
    enum {
        TOPO_ACS_NONE,
        TOPO_ACS_FULL,
        TOPO_ACS_REGS
    } acs;                      /* no capability / SV RR CR UF / as below */
    uint16_t acs_cap, acs_ctrl; /* TOPO_ACS_REGS: capability and control registers */
    const struct topo_bar_desc *bars;
    size_t nbars;
    struct topo_rom_desc rom;
    enum topo_tristate cmd_memory, cmd_io, cmd_bus_master;
    bool windows_given;                       /* `windows` was written (perhaps empty) */
    bool has_window[3];                       /* io, mem, pref */
    uint64_t window_base[3], window_limit[3]; /* inclusive */
    const struct topo_devfn_range *dma_alias;
    size_t ndma_alias;
    uint32_t quirks;  /* enum topo_quirk bits */
    uint8_t dma_bits; /* DMA mask width, 1..64; 0: default 64 */
    bool is_virtio, access_platform;
    enum topo_driver driver;
    bool has_driver;
    const struct topo_resv *reserved;
    size_t nreserved;
    /* where each part was written, for diagnostics */
    struct src_mark mark, kind_mark, devfn_mark, secondary_mark, subordinate_mark, acs_mark,
        windows_mark, window_mark[3], rom_mark, vendor_mark;
};

/* A BAR as the registers hold it now. */
struct topo_bar {
    uint8_t index;           /* 0..5, or TOPO_ROM_INDEX */
    enum topo_bar_type type; /* the ROM reports mem32 */
    bool prefetchable;
    bool ram;         /* RAM-backed */
    bool enabled;     /* the ROM's enable bit; true for BARs */
    uint64_t size;    /* from the write mask */
    uint64_t address; /* the programmed address; 0 when unassigned */
};

/* --- Building ---------------------------------------------------------------------------- */

/* topo_new() - an empty machine named name ("host", "guest"); the name is copied. */
int topo_new(struct topology **out, const char *name);
void topo_free(struct topology *t);

/* topo_platform_set() - the platform; arrays are copied. */
int topo_platform_set(struct topology *t, const struct topo_platform *p);

/* topo_iommu_add() - add an IOMMU; arrays and strings are copied. */
int topo_iommu_add(struct topology *t, const struct topo_iommu *desc, uint32_t *out);

/* topo_hb_add() - add a host bridge (dma_owner may be set later by topo_hb_set_dma_owner). */
int topo_hb_add(struct topology *t, const struct topo_hb *desc, uint32_t *out);
void topo_hb_set_dma_owner(struct topology *t, uint32_t hb, uint32_t fn, struct src_mark at);

/*
 * topo_fn_reserve() - allocate the index of a function before it is described, so that its
 * children can name it as their parent while a streaming loader is still inside it.
 * topo_fn_define() then fills it in, checking the PCI rules of one function (BAR layout and
 * sizes, ACS registers, keys valid for the kind) and reporting violations to diags.
 * Returns 0, SIM_EINVAL (diagnostics added) or SIM_ENOMEM.
 */
int topo_fn_reserve(struct topology *t, uint32_t *out);
int topo_fn_define(struct topology *t, uint32_t fn, const struct topo_fn_desc *desc,
                   struct diag_list *diags);

/* topo_fn_set_passthrough() - guest function fn is the assigned host function host_fn. */
void topo_fn_set_passthrough(struct topology *t, uint32_t fn, uint32_t host_fn);

/* topo_groups_declare() - the groups the machine's kernel formed: ngroups lists of functions. */
int topo_groups_declare(struct topology *t, const uint32_t *members, const uint32_t *group_start,
                        size_t ngroups);

/*
 * topo_finalize() - order siblings by devfn, detect multifunction devices, number the buses
 * (explicit and depth-first), write the bus registers and check the tree: devfn
 * collisions, children below functions that have no secondary bus, bus numbers that collide
 * or leave their parent's range, functions on buses that cannot host them (warnings).
 * Returns 0, or SIM_EINVAL with diagnostics.
 */
int topo_finalize(struct topology *t, struct diag_list *diags);

/* --- Queries (after topo_finalize) ------------------------------------------------------ */

const char *topo_name(const struct topology *t);
const struct topo_platform *topo_platform_get(const struct topology *t);

size_t topo_iommu_count(const struct topology *t);
const struct topo_iommu *topo_iommu_get(const struct topology *t, uint32_t i);

size_t topo_hb_count(const struct topology *t);
const struct topo_hb *topo_hb_get(const struct topology *t, uint32_t i);
/* topo_hb_first_child() - the lowest-devfn function on the host bridge's root bus. */
uint32_t topo_hb_first_child(const struct topology *t, uint32_t hb);
/* topo_hb_order() - the i-th host bridge in walk order: by segment, then root bus number. */
uint32_t topo_hb_order(const struct topology *t, uint32_t i);

size_t topo_fn_count(const struct topology *t);
const char *topo_fn_id(const struct topology *t, uint32_t fn);
enum topo_kind topo_fn_kind(const struct topology *t, uint32_t fn);
struct src_mark topo_fn_mark(const struct topology *t, uint32_t fn);
uint32_t topo_fn_parent(const struct topology *t, uint32_t fn); /* bridge above; TOPO_NONE */
uint32_t topo_fn_hb(const struct topology *t, uint32_t fn);
uint32_t topo_fn_first_child(const struct topology *t, uint32_t fn);
uint32_t topo_fn_next_sibling(const struct topology *t, uint32_t fn);
uint8_t topo_fn_devfn(const struct topology *t, uint32_t fn);
/* topo_fn_bus() - the number of the bus fn sits on, read from the bridge registers now. */
uint8_t topo_fn_bus(const struct topology *t, uint32_t fn);
struct bdf topo_fn_bdf(const struct topology *t, uint32_t fn);
/* topo_fn_order() - the i-th function in canonical order (segment, bus, devfn). */
uint32_t topo_fn_order(const struct topology *t, uint32_t i);

/* topo_find() - the function with this id, or TOPO_NONE. */
uint32_t topo_fn_find(const struct topology *t, const char *id);
/* topo_fn_find_bdf() - the function at this address now, or TOPO_NONE. */
uint32_t topo_fn_find_bdf(const struct topology *t, struct bdf b);
uint32_t topo_hb_find(const struct topology *t, const char *id);

/* Whether every function of the machine is in segment 0 (BDFs are printed without it). */
bool topo_single_segment(const struct topology *t);

bool topo_fn_is_multifunction(const struct topology *t, uint32_t fn); /* header type bit 7 */
/* topo_fn_pcie_type() - PCI_EXP_TYPE_* from the PCIe capability, or -1 without one. */
int topo_fn_pcie_type(const struct topology *t, uint32_t fn);
/* topo_fn_acs() - true and the two registers when fn has an ACS capability. */
bool topo_fn_acs(const struct topology *t, uint32_t fn, uint16_t *cap, uint16_t *ctrl);
uint16_t topo_fn_vendor(const struct topology *t, uint32_t fn);
uint16_t topo_fn_device(const struct topology *t, uint32_t fn);
uint32_t topo_fn_class(const struct topology *t, uint32_t fn);
/* topo_fn_subsystem() - subsystem vendor and device (type 0 headers; 0 otherwise). */
void topo_fn_subsystem(const struct topology *t, uint32_t fn, uint16_t *vendor, uint16_t *device);
uint16_t topo_fn_command(const struct topology *t, uint32_t fn);
/* topo_fn_bus_range() - a bridge's secondary and subordinate bus registers; false otherwise. */
bool topo_fn_bus_range(const struct topology *t, uint32_t fn, uint8_t *secondary,
                       uint8_t *subordinate);
/* topo_fn_window() - a bridge window as [base, limit]; false when closed or not a bridge. */
bool topo_fn_window(const struct topology *t, uint32_t fn, enum topo_window w, uint64_t *base,
                    uint64_t *limit);
/* topo_fn_bar() - BAR index (0..5, or TOPO_ROM_INDEX) decoded from the registers; false when
 * the slot holds no BAR (unimplemented, or the upper half of a 64-bit BAR). */
bool topo_fn_bar(const struct topology *t, uint32_t fn, unsigned index, struct topo_bar *out);

uint32_t topo_fn_quirks(const struct topology *t, uint32_t fn);
uint8_t topo_fn_dma_bits(const struct topology *t, uint32_t fn);
enum topo_driver topo_fn_driver(const struct topology *t, uint32_t fn);
bool topo_fn_driver_given(const struct topology *t, uint32_t fn); /* written in the file */
void topo_fn_set_driver(struct topology *t, uint32_t fn, enum topo_driver d);
bool topo_fn_virtio(const struct topology *t, uint32_t fn, bool *access_platform);
uint32_t topo_fn_passthrough(const struct topology *t, uint32_t fn); /* host fn; TOPO_NONE */
const struct topo_devfn_range *topo_fn_dma_alias(const struct topology *t, uint32_t fn, size_t *n);
const struct topo_resv *topo_fn_reserved(const struct topology *t, uint32_t fn, size_t *n);

size_t topo_group_count(const struct topology *t); /* declared groups; 0 when none */
const uint32_t *topo_group_members(const struct topology *t, uint32_t g, size_t *n);

/* --- Configuration space ---------------------------------------------------------------- */

/*
 * topo_cfg_read() - read len (1, 2 or 4) bytes at off (< 4096) of fn's configuration space,
 * little-endian, as a config cycle would. Registers the function does not implement read 0.
 */
uint32_t topo_cfg_read(const struct topology *t, uint32_t fn, uint16_t off, unsigned len);

/*
 * topo_cfg_write() - write len bytes at off through the registers' write masks: read-only
 * bits keep their value, as on hardware. Writes to unimplemented registers are dropped.
 */
void topo_cfg_write(struct topology *t, uint32_t fn, uint16_t off, unsigned len, uint32_t val);

/* topo_cfg_find_cap() - offset of capability id in fn's capability list, or 0. */
uint16_t topo_cfg_find_cap(const struct topology *t, uint32_t fn, uint8_t id);
/* topo_cfg_find_ext_cap() - offset of extended capability id, or 0. */
uint16_t topo_cfg_find_ext_cap(const struct topology *t, uint32_t fn, uint16_t id);

/* topo_cfg_save() - a copy of every register value of t (malloc'd, *n dwords), so that a
 * replay can change registers and topo_cfg_restore() can put them back. */
int topo_cfg_save(const struct topology *t, uint32_t **out, size_t *n);
void topo_cfg_restore(struct topology *t, const uint32_t *vals, size_t n);

/* topo_fn_dword() - the register dword at off (dword aligned) of fn and its write mask, or
 * NULL when fn does not implement it. For code that keeps register state of its own (the
 * explorer): values and masks as the topology holds them. */
uint32_t *topo_fn_dword(struct topology *t, uint32_t fn, uint16_t off, uint32_t *wmask);

/* topo_check_invariants() - assert the invariants above (debug builds; no-op under NDEBUG). */
void topo_check_invariants(const struct topology *t);

#endif

/*
 * Unit-test fixtures -- a C builder for small topologies, and assertions on diagnostics.
 *
 * Topologies for unit tests are built here in C, never loaded from YAML (STYLE.md G14), so
 * test_topology does not depend on the loader. The builder collects one struct topo_fn_desc
 * per function, lets a test adjust it (bus numbers, BARs, ACS, windows, command), then defines
 * every function and finalizes:
 *
 *     struct fx *f = fx_new();
 *     uint32_t hb = fx_hb(f, "pci0", 0, 0);
 *     uint32_t rp = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
 *     uint32_t ep = fx_fn(f, "ep0", TOPO_ENDPOINT, rp, hb, "0.0");
 *     fx_finalize(f);                       // asserts success
 *     ... topo_fn_bdf(f->t, ep) ...
 *     fx_free(f);
 *
 * Every function gets distinct source marks (line 10 * (index + 1), one line per key), so a
 * test can check that a diagnostic points at the right key of the right function.
 *
 * The topology part is compiled only into tests that link sim_topology (FX_NO_TOPOLOGY is
 * defined for the others); the diagnostic helpers need sim_util alone.
 */
#ifndef TESTS_UNIT_FIXTURES_H
#define TESTS_UNIT_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/util/diag.h"

/* --- Diagnostics ------------------------------------------------------------------------- */

/* fx_assert_diag() - diagnostic i of dl has this severity, position and exact message. */
void fx_assert_diag(const struct diag_list *dl, size_t i, enum diag_severity sev, uint32_t line,
                    uint32_t col, const char *msg);

/* fx_assert_diag_has() - diagnostic i of dl has this severity and its message contains part. */
void fx_assert_diag_has(const struct diag_list *dl, size_t i, enum diag_severity sev,
                        const char *part);

/* fx_print_diags() - print every diagnostic through cmocka (to explain a failure). */
void fx_print_diags(const struct diag_list *dl);

#ifndef FX_NO_TOPOLOGY

#include "sim/topology/topology.h"

/* Lines of the fake source marks: function i's node is at FX_LINE(i), its keys below it. */
#define FX_LINE(i)       (10u * ((uint32_t)(i) + 1u))
#define FX_DEVFN_LINE(i) (FX_LINE(i) + 1u)
#define FX_SEC_LINE(i)   (FX_LINE(i) + 2u)
#define FX_SUB_LINE(i)   (FX_LINE(i) + 3u)
#define FX_ACS_LINE(i)   (FX_LINE(i) + 4u)
#define FX_BAR_LINE(i)   (FX_LINE(i) + 5u) /* every mark of every BAR of the function */
#define FX_HB_LINE(h)    (1000u + (uint32_t)(h))

/* Returned by fx_build_isolated() when the build crashed (an assert fired) in the child. */
#define FX_CRASHED 1000

struct fx_fn;

struct fx {
    struct topology *t;     /* the machine being built ("host") */
    struct diag_list diags; /* everything define and finalize reported; file "fx.yaml" */
    struct fx_fn **fns;     /* pending descriptions, by function index (stable pointers) */
    size_t nfns;            /* functions reserved */
    size_t cap;             /* allocated in fns */
};

/* fx_new() - an empty machine; never NULL (asserts). */
struct fx *fx_new(void);
void fx_free(struct fx *f);

/* fx_hb() - add a host bridge; returns its index. */
uint32_t fx_hb(struct fx *f, const char *id, uint16_t segment, uint8_t bus);

/*
 * fx_fn() - reserve a function of kind at devfn ("1c.0") on the secondary bus of parent
 * (TOPO_NONE: the root bus of hb); returns its index. Every optional key takes its default.
 */
uint32_t fx_fn(struct fx *f, const char *id, enum topo_kind kind, uint32_t parent, uint32_t hb,
               const char *devfn);

/* fx_desc() - the pending description of fn, for keys without a helper below. */
struct topo_fn_desc *fx_desc(struct fx *f, uint32_t fn);

/* fx_bus() - explicit secondary / subordinate bus numbers; -1 leaves one automatic. */
void fx_bus(struct fx *f, uint32_t fn, int secondary, int subordinate);

/* fx_bar() - add an unassigned BAR; set ->has_address / ->address / ->prefetchable on it. */
struct topo_bar_desc *fx_bar(struct fx *f, uint32_t fn, uint8_t index, enum topo_bar_type type,
                             uint64_t size);

/* fx_bar_at() - add a BAR with an address. */
struct topo_bar_desc *fx_bar_at(struct fx *f, uint32_t fn, uint8_t index, enum topo_bar_type type,
                                uint64_t size, uint64_t address);

/* fx_rom() - an expansion ROM; address 0 with has_address false leaves it unassigned. */
void fx_rom(struct fx *f, uint32_t fn, uint64_t size, bool has_address, uint64_t address,
            bool enabled);

/* fx_acs_full() / fx_acs() - ACS `full`, or `{ cap, ctrl }` as register bits. */
void fx_acs_full(struct fx *f, uint32_t fn);
void fx_acs(struct fx *f, uint32_t fn, uint16_t cap, uint16_t ctrl);

/* fx_window() - an open bridge window [base, limit]. */
void fx_window(struct fx *f, uint32_t fn, enum topo_window w, uint64_t base, uint64_t limit);

/* fx_ids() - vendor and device id of fn (the built-in quirk tables match on them). */
void fx_ids(struct fx *f, uint32_t fn, uint16_t vendor, uint16_t device);

/* fx_subsystem() - subsystem vendor and device of fn (type 0 headers only). */
void fx_subsystem(struct fx *f, uint32_t fn, uint16_t vendor, uint16_t device);

/* fx_os_enables_acs() - platform.os_enables_acs (default true); other platform keys kept. */
void fx_os_enables_acs(struct fx *f, bool on);

/*
 * fx_iommu() - add an IOMMU of kind with 48 address bits covering the ncovers host bridges
 * of covers (ncovers 0: all); returns its index. covers is copied.
 */
uint32_t fx_iommu(struct fx *f, const char *id, enum topo_iommu_kind kind, const uint32_t *covers,
                  size_t ncovers);

/* fx_dma_owner() - every function below host bridge hb DMAs as fn (Intel VMD). */
void fx_dma_owner(struct fx *f, uint32_t hb, uint32_t fn);

/*
 * fx_build() - define every function in index order, then finalize if all were valid.
 * Returns 0, or the first error (SIM_EINVAL with the reasons in f->diags).
 */
int fx_build(struct fx *f);

/* fx_finalize() - fx_build() must succeed without any error diagnostic (warnings allowed). */
void fx_finalize(struct fx *f);

/*
 * fx_build_isolated() - fx_build() in a child process, for inputs that might trip an assert
 * inside the library: returns what fx_build() returned, or FX_CRASHED when the child died on
 * a signal. f itself is not built (the child's work is lost).
 */
int fx_build_isolated(struct fx *f);

#endif /* FX_NO_TOPOLOGY */

#endif

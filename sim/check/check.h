/*
 * Check -- the properties dmasim verifies, and running them over a scenario's machines:
 * finding codes with their severities (FORMAT.md section 4), the checks that produce them,
 * comparing results with a scenario's expectations, and the invariants the explorer can
 * check.
 *
 * Owns: struct finding and its canonical order, check_run() (aliases, groups and address
 * spaces per machine through sim/alias; the VFIO checks across host and guest; declared
 * groups against computed ones), check_expect_compare().
 * Does not own: the analyses themselves (sim/alias, later sim/iommu and sim/bar), input.
 * Uses: sim/bar, sim/iommu, sim/alias, sim/topology, sim/util.
 */
#ifndef SIM_CHECK_CHECK_H
#define SIM_CHECK_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/alias/alias.h"
#include "sim/bar/bar.h"
#include "sim/topology/topology.h"
#include "sim/util/strbuf.h"

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

/*
 * finding_rule() - the rule a finding of code breaks, in one sentence; finding_reference() -
 * where Linux or QEMU implements it (or the specification that states it).
 */
const char *finding_rule(enum finding_code code);
const char *finding_reference(enum finding_code code);

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

/* check_invariant_bar_bit() - the enum bar_invariant bit of inv; check_invariant_of_bar() the
 * invariant of such a bit (the two enums list the invariants in the same order). */
unsigned check_invariant_bar_bit(enum check_invariant inv);
enum check_invariant check_invariant_of_bar(unsigned bit);

/* --- Running the checks ------------------------------------------------------------------ */

enum check_machine { CHECK_HOST, CHECK_GUEST };
#define CHECK_MACHINE_COUNT 2
extern const char *const check_machine_names[CHECK_MACHINE_COUNT];

/* A version of the modelled kernel or QEMU; major 0 means "not given: the current one". */
struct check_version {
    unsigned major, minor;
};

/* A DMA map request (the scenario's `dma` section). */
struct check_dma {
    enum check_machine machine;
    uint32_t fn;
    uint64_t iova, size;
};

/* The replay section, its accesses already turned into bar ops (ops, trace or generator). */
struct check_replay {
    bool present;
    enum check_machine machine;
    enum bar_policy policy;
    bool listener_vfio;
    bool vfio_filter;
    const struct bar_op *ops;
    size_t nops;
    bool from_trace;              /* the ops came from a trace file */
    struct bar_trace_stats trace; /* what reading it found */
};

/* The explore section, its actors' sequences already turned into bar ops. */
struct check_explore {
    bool present;
    enum check_machine machine;
    enum bar_policy policy;
    bool listener_vfio;
    bool vfio_filter;
    const struct bar_actor *actors;
    size_t nactors;
    unsigned invariants; /* enum bar_invariant bits */
    uint64_t max_states;
    bool reduction;
};

struct check_input {
    const char *scenario;                          /* its name */
    struct topology *machine[CHECK_MACHINE_COUNT]; /* NULL when absent; a replay or an
                                                      exploration changes registers and puts
                                                      them back */
    struct check_version linux_version;
    struct check_version qemu_version;
    const struct check_dma *dma; /* DMA map requests */
    size_t ndma;
    struct check_replay replay;
    struct check_explore explore;
    bool run_explore; /* run the explore section (it may be long) */
    /* called about once a second during an exploration (may be NULL) */
    void (*progress)(uint64_t states, uint64_t transitions, double seconds, void *data);
    void *progress_data;
};

/* check_linux_before() - whether the modelled kernel is older than major.minor (an absent
 * semantics.linux models the current kernel: never older). */
bool check_linux_before(const struct check_input *in, unsigned major, unsigned minor);

struct finding {
    enum finding_code code;
    enum finding_severity severity;
    enum check_machine machine; /* the machine it concerns */
    char *subject;              /* fixed form, FORMAT.md section 4 */
    char **functions;           /* ids of the functions involved, in BDF order */
    size_t nfunctions;
    char *message; /* what a kernel or QEMU developer reads */
};

struct check_result;

/*
 * check_run() - analyse every machine of in: aliases, IOMMU groups (with reasons) and DMA
 * address spaces, then the findings issue 3 defines: group-in-multiple-address-spaces,
 * partial-group-assignment (VFIO assignment of host groups to a guest) and group-mismatch
 * (declared groups against computed ones). Findings are sorted (check_finding()).
 * The topologies must outlive the result.
 */
int check_run(struct check_result **out, const struct check_input *in);
void check_result_free(struct check_result *r);

/* Findings in canonical order: errors before warnings, then FORMAT.md's code order, then
 * machine (host, guest), then subject. */
size_t check_finding_count(const struct check_result *r);
const struct finding *check_finding(const struct check_result *r, size_t i);
bool check_has_error(const struct check_result *r);

/* The per-machine analyses, for reports. NULL when the machine is absent. */
const struct topology *check_topology(const struct check_result *r, enum check_machine m);
const struct alias_ctx *check_alias(const struct check_result *r, enum check_machine m);
const struct alias_groups *check_groups(const struct check_result *r, enum check_machine m);
/* check_probe_failure() - whether arm-smmu-v3 rejected fn at probe (so it has no group):
 * the StreamID that was already in the SMMU's tree, and the function that had it. */
bool check_probe_failure(const struct check_result *r, enum check_machine m, uint32_t fn,
                         uint32_t *sid, uint32_t *owner);
/* check_input_of() - the input the result was computed from. */
const struct check_input *check_input_of(const struct check_result *r);
/* check_replay_result() - the replay of the scenario's replay section, or NULL. */
const struct bar_replay *check_replay_result(const struct check_result *r);
/* check_explore_result() - the exploration of the explore section, or NULL. */
const struct bar_explore_result *check_explore_result(const struct check_result *r);
/* check_address_space() - fn's DMA address space under the scenario's semantics. */
struct alias_as check_address_space(const struct check_result *r, enum check_machine m,
                                    uint32_t fn);
/* Whether QEMU gives aliased functions one address space (semantics.qemu >= 4.2 or absent). */
bool check_qemu_aliases(const struct check_input *in);

/* --- Expectations ------------------------------------------------------------------------ */

struct check_expect_finding {
    enum finding_code code;
    const char *subject;
};

/* Groups as lists of function indices: members[start[g] .. start[g + 1]). */
struct check_expect_groups {
    bool present;
    const uint32_t *members;
    const uint32_t *start;
    size_t ngroups;
};

struct check_expect_alias {
    enum check_machine machine;
    uint32_t fn;
    const struct bdf *rids; /* in walk order; the domain counts where has_domain */
    const bool *has_domain;
    size_t nrids;
};

struct check_expect {
    bool has_findings; /* an empty list expects no findings */
    const struct check_expect_finding *findings;
    size_t nfindings;
    struct check_expect_groups groups[CHECK_MACHINE_COUNT];
    const struct check_expect_alias *aliases;
    size_t naliases;
};

/*
 * check_expect_compare() - compare results with expectations: findings as an exact multiset
 * of (code, subject); groups as a partition of the listed functions (order-free; functions
 * not listed are not checked); aliases in walk order. Appends one indented line per
 * difference to out ("missing finding ...", "extra finding ..."). Returns true when they
 * agree.
 */
bool check_expect_compare(struct strbuf *out, const struct check_result *r,
                          const struct check_expect *x);

#endif

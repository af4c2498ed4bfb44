/*
 * Scenario -- a scenario file (FORMAT.md section 1) loaded into one or two machine models
 * plus the stimuli and expectations around them.
 *
 * Owns: reading YAML (the only user of libyaml), every located diagnostic about bad input,
 * resolving names (covers, dma_owner, passthrough, groups, device references) and the
 * in-memory form of `replay`, `dma`, `explore`, `expect` and `semantics`.
 * Does not own: what those sections mean (sim/bar, sim/iommu, sim/check do).
 * Uses: sim/topology, sim/check (finding codes, invariant names), sim/util, libyaml.
 *
 * The loader streams libyaml events rather than building a document tree, so memory grows
 * with the model, not with the text: a million-function file costs the model and little else.
 */
#ifndef SIM_SCENARIO_SCENARIO_H
#define SIM_SCENARIO_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/check/check.h"
#include "sim/topology/topology.h"
#include "sim/util/diag.h"

struct scenario;

enum scn_machine {
    SCN_HOST,
    SCN_GUEST,
};
#define SCN_MACHINE_COUNT 2
extern const char *const scn_machine_names[SCN_MACHINE_COUNT];

/* A version such as "6.12"; major 0 means "not given". */
struct scn_version {
    unsigned major, minor, patch;
};

struct scn_semantics {
    struct scn_version linux_version; /* semantics.linux */
    struct scn_version qemu_version;  /* semantics.qemu */
};

/* A reference to a function by id or by BDF. */
struct scn_devref {
    const char *text;         /* as written: an id or a BDF */
    enum scn_machine machine; /* the machine it was resolved in */
    uint32_t fn;              /* function index, TOPO_NONE when given as a BDF not present */
    bool by_bdf;              /* written as a BDF; replay routes it as a config cycle would */
    struct bdf bdf;           /* the BDF as written (by_bdf), or the function's now */
    struct src_mark mark;     /* where it was written */
};

enum scn_op_kind { SCN_OP_READ, SCN_OP_WRITE };

struct scn_op {
    enum scn_op_kind op;
    struct scn_devref dev;
    uint16_t reg;    /* config-space offset, reg + len <= 4096 */
    uint8_t len;     /* 1, 2 or 4 */
    uint32_t value;  /* write: the value */
    bool has_expect; /* read: whether `expect` was given */
    uint32_t expect; /* read: what the machine returned */
    struct src_mark mark;
};

enum scn_generator {
    SCN_GEN_DECODE_ON,
    SCN_GEN_DECODE_ON_HIGH_FIRST,
    SCN_GEN_LINUX,
    SCN_GEN_SEABIOS,
};
#define SCN_GENERATOR_COUNT 4
extern const char *const scn_generator_names[SCN_GENERATOR_COUNT];

struct scn_sequence {
    enum scn_generator generator;
    struct scn_devref *devices; /* resolved in place after loading */
    size_t ndevices;
};

enum scn_policy { SCN_POLICY_QEMU, SCN_POLICY_HARDWARE };
extern const char *const scn_policy_names[2];

enum scn_source { SCN_SOURCE_OPS, SCN_SOURCE_TRACE, SCN_SOURCE_SEQUENCE };

struct scn_replay {
    bool present;
    enum scn_machine machine; /* default: guest if present, else host */
    enum scn_policy policy;   /* default qemu */
    bool listener_vfio;       /* listener: vfio */
    int vfio_filter;          /* 1/0, or -1: by semantics.qemu (true when >= 2.0 or absent) */
    enum scn_source source;
    struct scn_op *ops;
    size_t nops;
    const char *trace; /* path resolved against the scenario's directory */
    struct scn_sequence sequence;
    struct src_mark mark;
};

struct scn_dma {
    struct scn_devref dev;
    uint64_t iova, size;
    struct src_mark mark;
};

struct scn_actor {
    uint32_t cpu;
    bool has_sequence; /* sequence, else ops */
    struct scn_sequence sequence;
    struct scn_op *ops;
    size_t nops;
    struct src_mark mark;
};

struct scn_explore {
    bool present;
    enum scn_machine machine;
    enum scn_policy policy;
    bool listener_vfio;
    int vfio_filter;
    struct scn_actor *actors;
    size_t nactors;
    const enum check_invariant *invariants;
    size_t ninvariants;
    uint64_t max_states; /* default 10,000,000 */
    bool reduction;      /* partial-order reduction, default true */
    struct src_mark mark;
};

struct scn_expect_finding {
    enum finding_code code;
    const char *subject;
    struct src_mark mark;
};

/* Groups as lists of functions: members[start[g] .. start[g + 1]). */
struct scn_groups {
    bool present;
    const uint32_t *members;
    const uint32_t *start;
    size_t ngroups;
};

struct scn_expect_alias {
    struct scn_devref dev;
    const struct bdf *rids; /* requester IDs in walk order (domain matters for VMD) */
    const bool *rid_has_domain;
    size_t nrids;
};

struct scn_expect {
    bool has_findings; /* `findings:` given (an empty list expects none) */
    const struct scn_expect_finding *findings;
    size_t nfindings;
    struct scn_groups groups[SCN_MACHINE_COUNT];
    struct scn_expect_alias *aliases;
    size_t naliases;
};

/*
 * scenario_load() - read and validate the scenario file at path.
 * Returns 0 with *out set (warnings may be in diags), SIM_EINVAL with the reasons in diags,
 * SIM_EIO when the file cannot be read (also described in diags), or SIM_ENOMEM.
 * diags->file should be path.
 */
int scenario_load(struct scenario **out, const char *path, struct diag_list *diags);

/* scenario_load_from_memory() - the same for len bytes at buf; path names it in messages
 * and is the base for relative paths (a trace file). */
int scenario_load_from_memory(struct scenario **out, const char *path, const char *buf, size_t len,
                              struct diag_list *diags);

void scenario_free(struct scenario *s);

const char *scenario_path(const struct scenario *s);
const char *scenario_name(const struct scenario *s);
const char *scenario_description(const struct scenario *s); /* NULL when absent */
size_t scenario_reference_count(const struct scenario *s);
const char *scenario_reference(const struct scenario *s, size_t i);

/* scenario_machine() - the machine, or NULL when the scenario does not have it. */
const struct topology *scenario_machine(const struct scenario *s, enum scn_machine m);

const struct scn_semantics *scenario_semantics(const struct scenario *s);
const struct scn_replay *scenario_replay(const struct scenario *s);
const struct scn_dma *scenario_dma(const struct scenario *s, size_t *n);
const struct scn_explore *scenario_explore(const struct scenario *s);
const struct scn_expect *scenario_expect(const struct scenario *s);

/* scenario_check_input() - the machines, semantics and stimuli, as check_run() takes them.
 * The machines are s's own: a replay changes their registers and restores them. */
void scenario_check_input(struct scenario *s, struct check_input *out);
/* scenario_check_expect() - the expect section in check's terms (borrowed from s). */
const struct check_expect *scenario_check_expect(const struct scenario *s);

#endif

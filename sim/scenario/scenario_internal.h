/*
 * Scenario -- private layouts shared by scenario_*.c. Nothing outside sim/scenario includes
 * this file.
 */
#ifndef SIM_SCENARIO_INTERNAL_H
#define SIM_SCENARIO_INTERNAL_H

#include <stdio.h>

#include "sim/scenario/scenario.h"
#include "sim/util/arena.h"
#include "sim/util/strmap.h"
#include "sim/util/vec.h"

/* A name written in the file, to be looked up once everything is read. */
struct raw_ref {
    const char *text;     /* in the scenario arena */
    struct src_mark mark; /* where it was written */
};

/* Lists of names: refs[start[g] .. start[g + 1]) is list g. */
struct raw_groups {
    bool present;
    struct src_mark mark;
    VEC(struct raw_ref) refs;
    VEC(uint32_t) start;
};

/* What a file-wide id names. */
enum id_what { ID_FUNCTION, ID_HOST_BRIDGE, ID_IOMMU };

struct id_entry {
    enum scn_machine machine;
    enum id_what what;
    uint32_t index;       /* in its machine's array */
    struct src_mark mark; /* where the id was defined */
};

/* An IOMMU whose `covers` names wait for the machine's host bridges. */
struct pending_iommu {
    struct topo_iommu desc; /* covers not yet filled */
    VEC(struct raw_ref) covers;
    struct src_mark covers_mark;
    VEC(struct topo_resv) reserved;
    VEC(struct topo_stream_map) stream_map;
};

/* A name that belongs to one object (a host bridge's dma_owner, a function's passthrough). */
struct pending_ref {
    uint32_t owner;     /* host bridge or function index */
    struct raw_ref ref; /* the name */
};

struct pending_machine {
    bool present;
    struct src_mark mark;
    VEC(struct pending_iommu) iommus;
    VEC(struct pending_ref) dma_owner;   /* host bridge -> function */
    VEC(struct pending_ref) passthrough; /* guest function -> host function */
    struct raw_groups groups;            /* the machine's declared groups */
};

struct scenario {
    struct arena arena; /* every string and array below */
    const char *path;   /* as given to the loader */
    const char *name;
    const char *description;
    const char *const *references;
    size_t nreferences;
    struct topology *machine[SCN_MACHINE_COUNT];
    struct scn_semantics semantics;
    struct scn_replay replay;
    struct scn_dma *dma;
    size_t ndma;
    struct scn_explore explore;
    struct scn_expect expect;
    struct check_expect check_expect;   /* expect in sim/check's terms */
    struct check_dma *check_dma;        /* dma requests in sim/check's terms */
    struct check_replay check_replay;   /* replay, its accesses as bar ops */
    struct check_explore check_explore; /* explore, its actors' accesses as bar ops */
};

/* The loader's state while reading one file. */
struct loader {
    struct scenario *s;
    struct diag_list *diags;
    struct strmap ids; /* id -> index into id_entries */
    VEC(struct id_entry) id_entries;
    struct pending_machine pm[SCN_MACHINE_COUNT];
    struct raw_groups expect_groups[SCN_MACHINE_COUNT];
    struct src_mark expect_groups_mark[SCN_MACHINE_COUNT];
    bool replay_machine_given;  /* replay.machine was written */
    bool explore_machine_given; /* explore.machine was written */
};

/* Where the YAML comes from: a buffer, or a file streamed through libyaml. */
struct scn_input {
    const char *buf; /* the text, when file is NULL */
    size_t len;
    FILE *file; /* the open file, or NULL */
};

/* scenario_yaml.c */
int scn_yaml_parse(struct loader *ld, const struct scn_input *in);

/* scenario_resolve.c */
int scn_resolve(struct loader *ld);
void *scn_arena_dup(struct scenario *s, const void *src, size_t n, size_t size);
void scn_pending_fini(struct loader *ld);

#endif

/*
 * Report -- everything dmasim prints: the topology tree (`show`) as text and the JSON
 * documents of FORMAT.md section 3.
 *
 * Owns: output formats, their canonical orders, and the one place each is written.
 * Does not own: any computation (it reads models and results), reading input.
 * Uses: sim/check (results and findings), sim/iommu, sim/alias, sim/topology, sim/util,
 * jansson (only in report_json.c).
 *
 * Every function appends to a struct strbuf and never prints: the command decides where the
 * text goes, so nothing reaches stdout when a later step fails.
 */
#ifndef SIM_REPORT_REPORT_H
#define SIM_REPORT_REPORT_H

#include <stddef.h>

#include "sim/check/check.h"
#include "sim/topology/topology.h"
#include "sim/util/strbuf.h"

/*
 * report_show_text() - machine t as a tree in the manner of `lspci -tv`: a header with the
 * platform and IOMMUs, then per host bridge (in segment, bus order) one line per function
 * in devfn order with its BDF, id, kind, vendor:device, ACS, BARs, ROM, bus range and
 * windows. host (may be NULL) names the host functions a guest's passthrough points at.
 */
void report_show_text(struct strbuf *out, const struct topology *t, const struct topology *host);

/* What a JSON document holds besides `scenario`, per-function `id` and `bdf`, and
 * `findings` (FORMAT.md section 3: each command prints the keys it is about). */
enum report_keys {
    REPORT_TOPOLOGY = 1u << 0,       /* platform, iommus, host_bridges; function details */
    REPORT_ALIASES = 1u << 1,        /* functions[].aliases */
    REPORT_GROUPS = 1u << 2,         /* functions[].group, groups[] */
    REPORT_ADDRESS_SPACES = 1u << 3, /* functions[].address_space */
    REPORT_EXPLAIN = 1u << 4,        /* groups[].reasons */
    REPORT_IDS = 1u << 5,            /* functions[].stream_ids / source_ids */
    REPORT_IOVA = 1u << 6,           /* iova_ranges[] per IOMMU and per group */
};

/*
 * report_json() - the JSON document of one scenario: {"scenario", "machines": {NAME:
 * {...}}, "findings": [...]}; functions in (segment, bus, devfn) order, groups by number,
 * findings in check order; addresses and IDs as "0x" strings. Appends it with a final
 * newline. Returns 0 or SIM_ENOMEM.
 */
int report_json(struct strbuf *out, const char *scenario, const struct check_result *r,
                unsigned keys);

/* report_aliases_text() - per machine, every function with its requester IDs in walk order,
 * the bridge each alias comes through, and its DMA address space. */
void report_aliases_text(struct strbuf *out, const struct check_result *r);

/* report_groups_text() - per machine, one IOMMU group per line (number, IOMMU, members);
 * with explain, the reasons of every multi-member group below it. */
void report_groups_text(struct strbuf *out, const struct check_result *r, bool explain);

/*
 * report_check_text() - the report of `dmasim check` for one scenario, for a person: per
 * machine a summary (functions, groups, IOMMUs and widths, CPU width) and the multi-member
 * groups with their reasons; then the findings, errors first, each with the rule that fired,
 * the reasoning (a group's reasons, or the requester IDs of the functions involved) and the
 * upstream reference. colour: ANSI colours for a terminal.
 */
void report_check_text(struct strbuf *out, const char *path, const char *scenario,
                       const struct check_result *r, bool colour);

/* report_iova_text() - per machine and IOMMU: its reserved regions, what VFIO reports and
 * what the functions can use; then the same per group. */
void report_iova_text(struct strbuf *out, const struct check_result *r);

/* report_replay_text() / report_replay_json() - the replay section: every op with the events
 * it caused and what the VFIO listener did, a summary, the findings (`dmasim replay`). */
void report_replay_text(struct strbuf *out, const char *scenario, const struct check_result *r);
int report_replay_json(struct strbuf *out, const char *scenario, const struct check_result *r);

/*
 * report_explore_compare_text() - one line comparing a reduced search with the full one:
 * the states and transitions each took, what the reduction saved, and whether the verdicts
 * agree (they must).
 */
void report_explore_compare_text(struct strbuf *out, const struct bar_explore_result *reduced,
                                 const struct bar_explore_result *full);

/* report_explore_text() / report_explore_json() - the exploration: verdict, counts, the
 * counterexample as a replay.ops fragment, the findings (`dmasim explore`). Timing is not
 * part of either: output is the same on every run. */
void report_explore_text(struct strbuf *out, const char *scenario, const struct check_result *r);
int report_explore_json(struct strbuf *out, const char *scenario, const struct check_result *r);

/* report_findings_text() - one finding per line: severity, code, machine, subject, message. */
void report_findings_text(struct strbuf *out, const struct check_result *r);

#endif

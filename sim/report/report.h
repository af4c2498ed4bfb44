/*
 * Report -- everything dmasim prints: the topology tree (`show`) as text and the JSON
 * documents of FORMAT.md section 3.
 *
 * Owns: output formats, their canonical orders, and the one place each is written.
 * Does not own: any computation (it reads models and results), reading input.
 * Uses: sim/topology, sim/util, jansson (only in report_json.c).
 *
 * Every function appends to a struct strbuf and never prints: the command decides where the
 * text goes, so nothing reaches stdout when a later step fails.
 */
#ifndef SIM_REPORT_REPORT_H
#define SIM_REPORT_REPORT_H

#include <stddef.h>

#include "sim/topology/topology.h"
#include "sim/util/strbuf.h"

/*
 * report_show_text() - machine t as a tree in the manner of `lspci -tv`: a header with the
 * platform and IOMMUs, then per host bridge (in segment, bus order) one line per function
 * in devfn order with its BDF, id, kind, vendor:device, ACS, BARs, ROM, bus range and
 * windows. host (may be NULL) names the host functions a guest's passthrough points at.
 */
void report_show_text(struct strbuf *out, const struct topology *t, const struct topology *host);

/* The machines of one scenario, for the JSON writers. */
struct report_input {
    const char *scenario;                   /* scenario name */
    const struct topology *const *machines; /* nmachines, each non-NULL, host before guest */
    size_t nmachines;
};

/*
 * report_show_json() - the `show --json` document: {"scenario", "machines": {name: {platform,
 * iommus, host_bridges, functions}}, "findings": []}, functions in (segment, bus, devfn)
 * order, numbers that are addresses or IDs as "0x" strings. Appends to out with a final
 * newline. Returns 0 or SIM_ENOMEM.
 */
int report_show_json(struct strbuf *out, const struct report_input *in);

#endif

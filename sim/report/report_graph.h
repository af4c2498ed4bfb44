/*
 * Report -- graphs: the topology of a scenario's machines drawn with Graphviz (`dmasim
 * graph`), as DOT text, SVG or PNG.
 *
 * Owns: what the graph shows and its canonical order (report_graph.c is the one file that
 * touches Graphviz: cgraph builds the graph, agwrite writes DOT, gvc lays it out and renders
 * SVG and PNG in-process).
 * Does not own: any analysis (it reads a struct check_result), reading input.
 * Uses: sim/check, sim/iommu, sim/alias, sim/topology, sim/util, libcgraph and libgvc.
 *
 * The graph: one cluster per machine ("host", "guest") side by side; in each, host bridges,
 * ports, switches and bridges as a tree (edges parent -> child, bridges labelled with their
 * bus range), every function labelled with its BDF, id and kind, SMMUv3 StreamIDs; optional
 * layers: IOMMU groups as clusters, alias edges (dashed, from a function to the function
 * whose requester ID its DMA carries), DMA address spaces; a bold edge from each assigned
 * guest function to its host function; everything a finding involves in red with the code.
 * Node names come from BDFs ("host_d0000_b01_d00_f0"), objects are created in (segment, bus,
 * devfn) order, so the same result gives byte-identical DOT and SVG.
 */
#ifndef SIM_REPORT_REPORT_GRAPH_H
#define SIM_REPORT_REPORT_GRAPH_H

#include "sim/check/check.h"
#include "sim/util/strbuf.h"

/* The optional layers, as bits (`--what`). */
enum report_graph_layer {
    REPORT_GRAPH_GROUPS = 1u << 0,         /* IOMMU groups as clusters */
    REPORT_GRAPH_ALIASES = 1u << 1,        /* dashed alias edges */
    REPORT_GRAPH_ADDRESS_SPACES = 1u << 2, /* the DMA address space on each function */
};
#define REPORT_GRAPH_ALL 0x7u

/* The output formats, chosen by the output file's suffix. */
enum report_graph_format {
    REPORT_GRAPH_DOT, /* ".dot": DOT text written by agwrite, no layout */
    REPORT_GRAPH_SVG, /* ".svg": laid out with dot, rendered by gvc */
    REPORT_GRAPH_PNG, /* ".png": the same, rasterised */
};

/* report_graph_format_parse() - 0 and *out for a path ending in .dot, .svg or .png, else
 * SIM_ENOTFOUND. */
int report_graph_format_parse(enum report_graph_format *out, const char *path);

/* report_graph_layers_parse() - 0 and the layer bits of a comma-separated list of "groups",
 * "aliases", "address-spaces" and "all", else SIM_ENOTFOUND. */
int report_graph_layers_parse(unsigned *out, const char *list);

/*
 * report_graph() - draw the machines of r (scenario names the graph) with the given layers
 * and write the result to out_path, in the format its suffix names. The file is written
 * only once the whole output exists in memory. Returns 0; SIM_EINVAL for an unknown
 * suffix, SIM_EIO when Graphviz cannot render or the file cannot be written, SIM_ENOMEM;
 * on failure a one-line reason (without a newline) is appended to err.
 */
int report_graph(const struct check_result *r, const char *scenario, unsigned layers,
                 const char *out_path, struct strbuf *err);

#endif

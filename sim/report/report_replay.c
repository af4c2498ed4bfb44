/* Report -- replays and explorations, as text and as JSON (FORMAT.md section 3). */
#include "sim/report/report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/topology/pci_regs.h"

static const char *vfio_text(enum bar_vfio v)
{
    switch (v) {
    case BAR_VFIO_NONE:
        return NULL;
    case BAR_VFIO_MAPPED:
        return "vfio: DMA-mapped";
    case BAR_VFIO_FAILED:
        return "vfio: DMA map FAILED (above the host IOMMU width)";
    case BAR_VFIO_FILTERED:
        return "vfio: skipped (bit 63 set)";
    case BAR_VFIO_NOT_VISIBLE:
        return "vfio: not visible (outside the MMIO windows)";
    }
    return NULL;
}

static void op_text(struct strbuf *out, const struct topology *t, size_t i, const struct bar_op *op,
                    const struct bar_op_result *res)
{
    char b[BDF_STRLEN];
    const char *id = res->fn == TOPO_NONE ? "(nothing)" : topo_fn_id(t, res->fn);

    strbuf_printf(out, "%4zu %-5s %s %s @0x%02x len %u", i + 1,
                  op->kind == BAR_OP_READ ? "read" : "write",
                  bdf_format(b, res->bdf, !topo_single_segment(t)), id, op->reg, op->len);
    if (op->kind == BAR_OP_WRITE)
        strbuf_printf(out, " <- 0x%x", op->value);
    else
        strbuf_printf(out, " -> 0x%x", res->read);
    if (op->kind == BAR_OP_READ && op->has_expect && op->expect != res->read)
        strbuf_printf(out, " (the trace read 0x%x)", op->expect);
    strbuf_putc(out, '\n');
}

void report_replay_text(struct strbuf *out, const char *scenario, const struct check_result *r)
{
    const struct check_input *in = check_input_of(r);
    const struct bar_replay *rp = check_replay_result(r);
    const struct topology *t;
    const struct bar_op_result *res;
    const struct bar_event *ev;
    size_t nres, nev, maps = 0, unmaps = 0;

    if (!rp) {
        strbuf_printf(out, "%s: no replay section\n", scenario);
        return;
    }
    t = check_topology(r, in->replay.machine);
    res = bar_replay_results(rp, &nres);
    ev = bar_replay_events(rp, &nev);
    strbuf_printf(out, "replay of %s on the %s: %zu access%s, policy %s%s%s\n", scenario,
                  check_machine_names[in->replay.machine], nres, nres == 1 ? "" : "es",
                  in->replay.policy == BAR_POLICY_QEMU ? "qemu" : "hardware",
                  in->replay.listener_vfio ? ", VFIO listener" : "",
                  in->replay.listener_vfio ? (in->replay.vfio_filter ? " with the bit-63 filter"
                                                                     : " without the bit-63 filter")
                                           : "");
    for (size_t i = 0; i < nres; i++) {
        op_text(out, t, i, &in->replay.ops[i], &res[i]);
        for (size_t k = res[i].first_event; k < res[i].first_event + res[i].nevents; k++) {
            const struct bar_event *e = &ev[k];
            const char *v = vfio_text(e->vfio);

            strbuf_printf(out, "       %-5s %s %u 0x%" PRIx64 "-0x%" PRIx64,
                          e->kind == BAR_EVENT_MAP ? "map" : "unmap",
                          e->bar == TOPO_ROM_INDEX ? "ROM" : "BAR", e->bar, e->base,
                          e->base + (e->size - 1));
            if (v)
                strbuf_printf(out, "  %s", v);
            strbuf_putc(out, '\n');
            if (e->kind == BAR_EVENT_MAP)
                maps++;
            else
                unmaps++;
        }
    }
    strbuf_printf(out, "%zu map and %zu unmap event%s", maps, unmaps, unmaps == 1 ? "" : "s");
    if (in->replay.from_trace)
        strbuf_printf(out, "; trace: %zu lines, %zu accesses, %zu skipped, %zu sizes inferred",
                      in->replay.trace.lines, in->replay.trace.accesses, in->replay.trace.skipped,
                      in->replay.trace.inferred_sizes);
    strbuf_putc(out, '\n');
    if (!check_finding_count(r)) {
        strbuf_puts(out, "findings: none\n");
        return;
    }
    strbuf_printf(out, "findings: %zu\n", check_finding_count(r));
    report_findings_text(out, r);
}

/* An op in the replay.ops YAML form, ready to paste into a scenario. */
static void op_yaml(struct strbuf *out, const struct topology *t, const struct bar_op *op)
{
    strbuf_printf(out, "    - { op: %s, dev: %s, reg: 0x%02x, len: %u",
                  op->kind == BAR_OP_READ ? "read" : "write", topo_fn_id(t, op->fn), op->reg,
                  op->len);
    if (op->kind == BAR_OP_WRITE)
        strbuf_printf(out, ", value: 0x%x", op->value);
    strbuf_puts(out, " }\n");
}

static const char *verdict_name(enum bar_verdict v)
{
    return v == BAR_HOLDS ? "holds" : v == BAR_VIOLATED ? "violated" : "incomplete";
}

void report_explore_text(struct strbuf *out, const char *scenario, const struct check_result *r)
{
    const struct check_input *in = check_input_of(r);
    const struct bar_explore_result *x = check_explore_result(r);
    const struct topology *t;

    if (!x) {
        strbuf_printf(out, "%s: no explore section\n", scenario);
        return;
    }
    t = check_topology(r, in->explore.machine);
    strbuf_printf(
        out, "explore %s on the %s: %zu actor%s, policy %s, reduction %s, max_states %" PRIu64 "\n",
        scenario, check_machine_names[in->explore.machine], in->explore.nactors,
        in->explore.nactors == 1 ? "" : "s",
        in->explore.policy == BAR_POLICY_QEMU ? "qemu" : "hardware",
        in->explore.reduction ? "on" : "off", in->explore.max_states);
    strbuf_printf(out, "verdict: %s", verdict_name(x->verdict));
    if (x->verdict == BAR_VIOLATED)
        strbuf_printf(out, " (%s)", check_invariant_names[check_invariant_of_bar(x->violated)]);
    strbuf_printf(out, "\nstates %" PRIu64 ", transitions %" PRIu64 ", depth %u", x->states,
                  x->transitions, x->depth);
    if (in->explore.reduction)
        strbuf_printf(out, ", transitions pruned by reduction %" PRIu64, x->pruned);
    strbuf_printf(out, ", %zu bytes per state\n", x->bytes_per_state);
    if (x->verdict == BAR_VIOLATED) {
        strbuf_printf(out,
                      "%s\ncounterexample (%zu accesses, the invariant breaks after %zu), "
                      "as a replay section:\n",
                      x->detail ? x->detail : "", x->ncounterexample, x->violation_at);
        strbuf_printf(out, "replay:\n  machine: %s\n  policy: %s\n%s  vfio_filter: %s\n  ops:\n",
                      check_machine_names[in->explore.machine],
                      in->explore.policy == BAR_POLICY_QEMU ? "qemu" : "hardware",
                      in->explore.listener_vfio ? "  listener: vfio\n" : "",
                      in->explore.vfio_filter ? "true" : "false");
        for (size_t i = 0; i < x->ncounterexample; i++) {
            if (i == x->violation_at && i > 0)
                strbuf_puts(out, "    # the invariant is broken here; the rest finishes the "
                                 "sequences\n");
            op_yaml(out, t, &x->counterexample[i]);
        }
    }
    if (!check_finding_count(r)) {
        strbuf_puts(out, "findings: none\n");
        return;
    }
    strbuf_printf(out, "findings: %zu\n", check_finding_count(r));
    report_findings_text(out, r);
}

void report_explore_compare_text(struct strbuf *out, const struct bar_explore_result *reduced,
                                 const struct bar_explore_result *full)
{
    strbuf_printf(out,
                  "without reduction: verdict %s, states %" PRIu64 ", transitions %" PRIu64
                  "; the reduction saved %" PRId64 " states and %" PRId64 " transitions%s\n",
                  verdict_name(full->verdict), full->states, full->transitions,
                  (int64_t)(full->states - reduced->states),
                  (int64_t)(full->transitions - reduced->transitions),
                  full->verdict == reduced->verdict ? "" : " (THE VERDICTS DIFFER: a bug)");
}

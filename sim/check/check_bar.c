/* Check -- BAR findings: overlaps, BARs outside their bridge's window, replays, explorations. */
#include "sim/check/check.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check/check_internal.h"
#include "sim/iommu/iommu.h"
#include "sim/topology/pci_regs.h"

struct decoded {
    uint64_t base, end;
    uint32_t fn;
    uint8_t bar;
    bool io, pref;
};

typedef VEC(struct decoded) decoded_vec;

/* I/O after memory, then by base address; ties by function and slot, for determinism. */
static int cmp_decoded(const void *a, const void *b)
{
    const struct decoded *x = a, *y = b;

    if (x->io != y->io)
        return x->io ? 1 : -1;
    if (x->base != y->base)
        return x->base < y->base ? -1 : 1;
    if (x->fn != y->fn)
        return x->fn < y->fn ? -1 : 1;
    return x->bar < y->bar ? -1 : x->bar > y->bar;
}

/* Whether [base, end] lies in the window(s) bridge forwards for a BAR of this kind. */
static bool forwarded(const struct topology *t, uint32_t bridge, bool io, bool pref, uint64_t base,
                      uint64_t end)
{
    uint64_t wb, wl;

    if (io)
        return topo_fn_window(t, bridge, TOPO_WIN_IO, &wb, &wl) && base >= wb && end <= wl;
    if (topo_fn_window(t, bridge, TOPO_WIN_MEM, &wb, &wl) && base >= wb && end <= wl)
        return true;
    return pref && topo_fn_window(t, bridge, TOPO_WIN_PREF, &wb, &wl) && base >= wb && end <= wl;
}

/* Append every BAR and ROM of t that decodes now under policy, in BDF order. */
static int collect_decoded(const struct topology *t, enum bar_policy policy, decoded_vec *d)
{
    bool allow0 = topo_platform_get(t)->pci_allow_0_address;
    int err = SIM_OK;

    for (uint32_t i = 0; i < topo_fn_count(t) && err == 0; i++) {
        uint32_t fn = topo_fn_order(t, i);
        uint16_t cmd = topo_fn_command(t, fn);

        for (unsigned k = 0; k <= TOPO_ROM_INDEX && err == 0; k++) {
            struct bar_slot s;
            struct topo_bar tb;
            uint64_t base;

            if (!bar_slot_read(t, fn, k, &s) ||
                (base = bar_decode(&s, cmd, policy, allow0)) == BAR_UNMAPPED)
                continue;
            topo_fn_bar(t, fn, k, &tb);
            err = vec_push(d, ((struct decoded){ base, base + (s.size - 1), fn, (uint8_t)k,
                                                 s.type == TOPO_BAR_IO, tb.prefetchable }));
        }
    }
    return err;
}

/* "BAR 2", or "ROM" for slot 6, as messages name a slot. */
static const char *slot_name(char buf[8], unsigned bar)
{
    if (bar == TOPO_ROM_INDEX)
        return "ROM";
    snprintf(buf, 8, "BAR %u", bar % 10u);
    return buf;
}

/* bar-overlap for two decoding BARs x and y of one space that overlap; `when` ends the message. */
static int overlap_finding(struct check_result *r, enum check_machine m, const struct decoded *x,
                           const struct decoded *y, const char *when)
{
    const struct topology *t = r->m[m].t;
    uint64_t base = x->base > y->base ? x->base : y->base, end = x->end < y->end ? x->end : y->end;
    uint32_t fns[2] = { x->fn, y->fn };
    char subject[48], a[BDF_STRLEN], b[BDF_STRLEN], sx[8], sy[8];

    check_range(subject, sizeof(subject), base, end);
    if (check_reported(r, FINDING_BAR_OVERLAP, m, subject))
        return SIM_OK;
    return check_add(r, FINDING_BAR_OVERLAP, m, subject, fns, x->fn == y->fn ? 1 : 2,
                     "%s of %s (%s) and %s of %s (%s) both decode %s in %s space%s",
                     slot_name(sx, x->bar), check_bdf(a, t, x->fn), topo_fn_id(t, x->fn),
                     slot_name(sy, y->bar), check_bdf(b, t, y->fn), topo_fn_id(t, y->fn), subject,
                     x->io ? "I/O" : "memory", when);
}

/* One machine: every decoding BAR (QEMU's rules); BARs some bridge above does not forward;
 * then, sorted per address space, overlaps between neighbours. */
static int bars_of(struct check_result *r, enum check_machine m)
{
    const struct topology *t = r->m[m].t;
    decoded_vec d = { 0 };
    char a[BDF_STRLEN], b[BDF_STRLEN], sx[8];
    int err = collect_decoded(t, BAR_POLICY_QEMU, &d);

    for (size_t i = 0; i < d.n && err == 0; i++) {
        const struct decoded *e = &d.v[i];

        if (check_reported(r, FINDING_BAR_OUTSIDE_BRIDGE_WINDOW, m, topo_fn_id(t, e->fn)))
            continue; /* one finding per function */
        for (uint32_t up = topo_fn_parent(t, e->fn); up != TOPO_NONE; up = topo_fn_parent(t, up)) {
            if (forwarded(t, up, e->io, e->pref, e->base, e->end))
                continue;
            err = check_add(
                r, FINDING_BAR_OUTSIDE_BRIDGE_WINDOW, m, topo_fn_id(t, e->fn), &e->fn, 1,
                "%s of %s (%s) decodes at 0x%" PRIx64 "-0x%" PRIx64
                ", outside every %s window of %s (%s): neither the CPU nor "
                "devices on the other side of it can reach the %s",
                slot_name(sx, e->bar), check_bdf(a, t, e->fn), topo_fn_id(t, e->fn), e->base,
                e->end,
                e->io     ? "I/O"
                : e->pref ? "memory or prefetchable"
                          : "memory",
                check_bdf(b, t, up), topo_fn_id(t, up), e->bar == TOPO_ROM_INDEX ? "ROM" : "BAR");
            break;
        }
    }
    if (d.n)
        qsort(d.v, d.n, sizeof(*d.v), cmp_decoded);
    /* sorted by base: a BAR overlaps an earlier one iff it starts before the furthest end */
    for (size_t i = 1, far = 0; i < d.n && err == 0; i++) {
        const struct decoded *x = &d.v[far], *y = &d.v[i];

        if (x->io == y->io && y->base <= x->end)
            err = overlap_finding(r, m, x, y, "");
        if (x->io != y->io || y->end > x->end)
            far = i;
    }
    vec_free(&d);
    return err;
}

int check_bars(struct check_result *r)
{
    int err = SIM_OK;

    for (unsigned m = 0; m < CHECK_MACHINE_COUNT && err == 0; m++)
        if (r->m[m].t)
            err = bars_of(r, (enum check_machine)m);
    return err;
}

/*
 * The width of the host IOMMU QEMU's VFIO listener maps each guest function's RAM-backed BARs
 * into: an assigned function's own host IOMMU; for RAM-backed BARs of other functions (an
 * ivshmem memdev), the narrowest host IOMMU of the guest's assigned functions.
 */
static uint8_t *listener_widths(const struct check_result *r, enum check_machine m)
{
    const struct topology *t = r->m[m].t, *host = r->m[CHECK_HOST].t;
    uint8_t *w = calloc(topo_fn_count(t) + 1, 1);
    uint8_t narrowest = 0;

    if (!w || m != CHECK_GUEST || !host)
        return w;
    for (uint32_t fn = 0; fn < topo_fn_count(t); fn++) {
        uint32_t hf = topo_fn_passthrough(t, fn), hu;

        if (hf == TOPO_NONE || (hu = alias_fn_iommu(r->m[CHECK_HOST].ctx, hf)) == TOPO_NONE)
            continue;
        w[fn] = topo_iommu_get(host, hu)->address_bits;
        if (!narrowest || w[fn] < narrowest)
            narrowest = w[fn];
    }
    for (uint32_t fn = 0; fn < topo_fn_count(t); fn++)
        if (!w[fn])
            w[fn] = narrowest;
    return w;
}

static const char *vfio_errno(const struct check_input *in)
{
    return check_linux_before(in, 5, 4) ? "-14 (Bad address)" : "-22 (Invalid argument)";
}

/*
 * bar-overlap during a replay: follow the map and unmap events from what decoded before the
 * first op (live), checking each new mapping against the others of its space.
 */
static int replay_overlaps(struct check_result *r, enum check_machine m, decoded_vec *live)
{
    const struct topology *t = r->m[m].t;
    const struct bar_op_result *res;
    const struct bar_event *ev;
    size_t nres, nev;
    char when[64];
    int err = SIM_OK;

    res = bar_replay_results(r->replay, &nres);
    ev = bar_replay_events(r->replay, &nev);
    for (size_t i = 0; i < nres && err == 0; i++) {
        for (size_t k = res[i].first_event; k < res[i].first_event + res[i].nevents; k++) {
            const struct bar_event *e = &ev[k];
            struct bar_slot sl;
            struct topo_bar tb;
            struct decoded d;

            if (e->kind == BAR_EVENT_UNMAP) {
                for (size_t j = 0; j < live->n; j++)
                    if (live->v[j].fn == e->fn && live->v[j].bar == e->bar) {
                        live->v[j] = live->v[--live->n];
                        break;
                    }
                continue;
            }
            bar_slot_read(t, e->fn, e->bar, &sl);
            topo_fn_bar(t, e->fn, e->bar, &tb);
            d = (struct decoded){ e->base, e->base + (e->size - 1), e->fn,
                                  e->bar,  sl.type == TOPO_BAR_IO,  tb.prefetchable };
            snprintf(when, sizeof(when), " after op %zu of the replay", i + 1);
            for (size_t j = 0; j < live->n && err == 0; j++)
                if (live->v[j].io == d.io && live->v[j].base <= d.end && d.base <= live->v[j].end)
                    err = overlap_finding(r, m, &live->v[j], &d, when);
            if (err == 0)
                err = vec_push(live, d);
            if (err < 0)
                return err;
        }
    }
    return err;
}

/* "0xfebe0000" or "nowhere" for a history's before/after address. */
static const char *where(char buf[24], uint64_t addr)
{
    if (addr == BAR_UNMAPPED)
        return "nowhere";
    snprintf(buf, 24, "0x%" PRIx64, addr);
    return buf;
}

int check_replay(struct check_result *r)
{
    const struct check_replay *rp = &r->in.replay;
    struct topology *t;
    struct bar_config cfg;
    uint8_t *widths;
    uint32_t *saved = NULL;
    size_t nsaved, n;
    const struct bar_event *ev;
    const struct bar_op_result *res;
    const struct bar_history *hist;
    decoded_vec live = { 0 };
    char subject[48], a[BDF_STRLEN], before[24], after[24], sx[8];
    int err;

    if (!rp->present || !(t = r->in.machine[rp->machine]))
        return SIM_OK;
    if (!(widths = listener_widths(r, rp->machine)))
        return SIM_ENOMEM;
    cfg = (struct bar_config){ rp->policy, rp->listener_vfio, rp->vfio_filter, widths };
    if ((err = collect_decoded(t, rp->policy, &live)) == 0 &&
        (err = topo_cfg_save(t, &saved, &nsaved)) == 0) {
        err = bar_replay_run(&r->replay, t, &cfg, rp->ops, rp->nops);
        topo_cfg_restore(t, saved, nsaved);
    }
    free(saved);
    if (err == 0)
        err = replay_overlaps(r, rp->machine, &live);
    vec_free(&live);
    if (err < 0) {
        free(widths);
        return err;
    }
    /* findings are reported once per subject, however many ops trigger them */
    ev = bar_replay_events(r->replay, &n);
    for (size_t i = 0; i < n && err == 0; i++) {
        const struct bar_event *e = &ev[i];
        uint64_t end = e->base + (e->size - 1);

        if (e->kind != BAR_EVENT_MAP || e->vfio != BAR_VFIO_FAILED)
            continue;
        check_range(subject, sizeof(subject), e->base, end);
        if (check_reported(r, FINDING_MAPPING_OUTSIDE_IOMMU_WIDTH, rp->machine, subject))
            continue;
        err = check_add(r, FINDING_MAPPING_OUTSIDE_IOMMU_WIDTH, rp->machine, subject, &e->fn, 1,
                        "vfio_dma_map(..., 0x%" PRIx64 ", 0x%" PRIx64 ", ...) = %s: QEMU's VFIO "
                        "listener DMA-maps BAR %u of %s (%s) at 0x%" PRIx64 " for peer-to-peer, "
                        "above the %u-bit host IOMMU%s",
                        e->base, e->size, vfio_errno(&r->in), e->bar, topo_fn_id(t, e->fn),
                        bdf_format(a, e->bdf, !topo_single_segment(t)), e->base, widths[e->fn],
                        rp->vfio_filter ? "" : " (QEMU before 2.0 had no bit-63 filter)");
    }
    free(widths);
    hist = bar_replay_history(r->replay, &n);
    for (size_t i = 0; i < n && err == 0; i++) {
        const struct bar_history *h = &hist[i];

        if (h->transient == BAR_UNMAPPED ||
            check_reported(r, FINDING_TRANSIENT_BAR_MAPPING, rp->machine, topo_fn_id(t, h->fn)))
            continue;
        err = check_add(
            r, FINDING_TRANSIENT_BAR_MAPPING, rp->machine, topo_fn_id(t, h->fn), &h->fn, 1,
            "%s of %s decodes at 0x%" PRIx64 "-0x%" PRIx64 " after op %zu, an "
            "address that is neither where it decoded before the sequence (%s) nor "
            "after it (%s)",
            slot_name(sx, h->bar), topo_fn_id(t, h->fn), h->transient, h->transient + (h->size - 1),
            h->transient_op + 1, where(before, h->before), where(after, h->after));
    }
    res = bar_replay_results(r->replay, &n);
    for (size_t i = 0; i < n && err == 0; i++) {
        const struct bar_op *op = &rp->ops[i];
        const char *subj;

        if (op->kind != BAR_OP_READ || !op->has_expect || res[i].read == op->expect)
            continue;
        subj = res[i].fn == TOPO_NONE ? "(no function)" : topo_fn_id(t, res[i].fn);
        if (check_reported(r, FINDING_CONFIG_READ_MISMATCH, rp->machine, subj))
            continue;
        err = check_add(r, FINDING_CONFIG_READ_MISMATCH, rp->machine, subj,
                        res[i].fn == TOPO_NONE ? NULL : &res[i].fn, res[i].fn == TOPO_NONE ? 0 : 1,
                        "op %zu (line %u) reads 0x%x at 0x%x of %s, but the machine that made "
                        "the trace read 0x%x: the scenario does not describe that machine",
                        i + 1, op->line, res[i].read, op->reg,
                        bdf_format(a, res[i].bdf, !topo_single_segment(t)), op->expect);
    }
    return err;
}

int check_explore(struct check_result *r)
{
    const struct check_explore *x = &r->in.explore;
    struct bar_explore_config cfg;
    struct topology *t;
    uint8_t *widths;
    int err;

    if (!x->present || !(t = r->in.machine[x->machine]))
        return SIM_OK;
    if (!(widths = listener_widths(r, x->machine)))
        return SIM_ENOMEM;
    memset(&cfg, 0, sizeof(cfg));
    cfg.replay = (struct bar_config){ x->policy, x->listener_vfio, x->vfio_filter, widths };
    cfg.invariants = x->invariants;
    cfg.max_states = x->max_states;
    cfg.reduction = x->reduction;
    cfg.progress = r->in.progress;
    cfg.progress_data = r->in.progress_data;
    err = bar_explore(&r->explore, t, x->actors, x->nactors, &cfg);
    free(widths);
    if (err < 0)
        return err;
    r->explored = true;
    if (r->explore.verdict == BAR_VIOLATED)
        err = check_add(r, FINDING_INVARIANT_VIOLATED, x->machine,
                        check_invariant_names[check_invariant_of_bar(r->explore.violated)], NULL, 0,
                        "%s (after %zu accesses; the counterexample replays it)",
                        r->explore.detail ? r->explore.detail : "an invariant breaks",
                        r->explore.violation_at);
    return err;
}

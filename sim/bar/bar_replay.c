/* BAR -- replay: config accesses applied to the registers, and the mappings they cause. */
#include "sim/bar/bar.h"

#include <stdlib.h>
#include <string.h>

#include "sim/bar/bar_internal.h"
#include "sim/topology/pci_regs.h"
#include "sim/util/vec.h"

/* Where one mapped address was seen, to find transients once the end is known. */
struct seen {
    uint32_t hist; /* index in histories */
    uint64_t addr;
    size_t op;
};

struct bar_replay {
    VEC(struct bar_op_result) results;
    VEC(struct bar_event) events;
    VEC(struct bar_history) hist;
    VEC(struct seen) seen;
    uint32_t *first_hist; /* per function: index of its first history entry, or TOPO_NONE */
    uint64_t *current;    /* per history entry: where it decodes now */
};

uint32_t bar_route(const struct topology *t, struct bdf b)
{
    return topo_fn_find_bdf(t, b);
}

static bool in_window(const struct addr_range *w, uint64_t base, uint64_t end)
{
    return w->size && base >= w->base && end <= w->base + (w->size - 1);
}

enum bar_vfio bar_listener(const struct topology *t, const struct bar_config *cfg, uint32_t fn,
                           unsigned bar, uint64_t base, uint64_t size)
{
    const struct topo_platform *p = topo_platform_get(t);
    struct topo_bar b;
    uint64_t end = base + (size - 1);
    unsigned width;

    if (!cfg->listener_vfio || !cfg->dma_width || !(width = cfg->dma_width[fn]))
        return BAR_VFIO_NONE;
    if (!topo_fn_bar(t, fn, bar, &b) || b.type == TOPO_BAR_IO ||
        (topo_fn_passthrough(t, fn) == TOPO_NONE && !b.ram))
        return BAR_VFIO_NONE;
    /* The listener watches system memory, where PCI memory shows only through the holes. */
    if ((p->has_mmio32 || p->has_mmio64) && !(p->has_mmio32 && in_window(&p->mmio32, base, end)) &&
        !(p->has_mmio64 && in_window(&p->mmio64, base, end)))
        return BAR_VFIO_NOT_VISIBLE;
    if (cfg->vfio_filter && (base & (UINT64_C(1) << 63)))
        return BAR_VFIO_FILTERED; /* vfio_listener_skipped_section() */
    if (width < 64 && end >> width)
        return BAR_VFIO_FAILED;
    return BAR_VFIO_MAPPED;
}

/* The first time an op reaches fn: remember where each of its BARs decodes. */
static int track(struct bar_replay *r, const struct topology *t, const struct bar_config *cfg,
                 uint32_t fn)
{
    bool allow0 = topo_platform_get(t)->pci_allow_0_address;
    uint16_t cmd = topo_fn_command(t, fn);
    struct bar_slot s;
    int err;

    if (r->first_hist[fn] != TOPO_NONE)
        return SIM_OK;
    r->first_hist[fn] = (uint32_t)r->hist.n;
    for (unsigned i = 0; i <= TOPO_ROM_INDEX; i++) {
        struct bar_history h = { fn, (uint8_t)i, BAR_UNMAPPED, BAR_UNMAPPED, 0, BAR_UNMAPPED, 0 };

        if (!bar_slot_read(t, fn, i, &s))
            continue;
        h.before = bar_decode(&s, cmd, cfg->policy, allow0);
        h.size = s.size;
        if ((err = vec_push(&r->hist, h)) < 0)
            return err;
    }
    return SIM_OK;
}

static int event(struct bar_replay *r, const struct topology *t, const struct bar_config *cfg,
                 enum bar_event_kind kind, uint32_t fn, unsigned bar, uint64_t base, uint64_t size)
{
    struct bar_event e = { kind, fn, topo_fn_bdf(t, fn), (uint8_t)bar, base, size, BAR_VFIO_NONE };

    if (kind == BAR_EVENT_MAP)
        e.vfio = bar_listener(t, cfg, fn, bar, base, size);
    return vec_push(&r->events, e);
}

/* pci_update_mappings(): every BAR whose decoded address changed, in BAR order, the old
 * mapping removed before the new one is added. */
static int update_mappings(struct bar_replay *r, const struct topology *t,
                           const struct bar_config *cfg, uint32_t fn, size_t op)
{
    bool allow0 = topo_platform_get(t)->pci_allow_0_address;
    uint16_t cmd = topo_fn_command(t, fn);
    int err = SIM_OK;

    for (uint32_t h = r->first_hist[fn]; h < r->hist.n && r->hist.v[h].fn == fn && err == 0; h++) {
        struct bar_history *hh = &r->hist.v[h];
        struct bar_slot s;
        uint64_t now = BAR_UNMAPPED;
        struct seen sn;

        if (bar_slot_read(t, fn, hh->bar, &s))
            now = bar_decode(&s, cmd, cfg->policy, allow0);
        if (now == r->current[h])
            continue;
        if (r->current[h] != BAR_UNMAPPED)
            err = event(r, t, cfg, BAR_EVENT_UNMAP, fn, hh->bar, r->current[h], hh->size);
        if (err == 0 && now != BAR_UNMAPPED) {
            sn = (struct seen){ h, now, op };
            if ((err = event(r, t, cfg, BAR_EVENT_MAP, fn, hh->bar, now, hh->size)) == 0)
                err = vec_push(&r->seen, sn);
        }
        r->current[h] = now;
    }
    return err;
}

static uint32_t ones(unsigned len)
{
    return len == 4 ? 0xffffffffu : (1u << (8 * len)) - 1;
}

static int grow_current(struct bar_replay *r, size_t from)
{
    uint64_t *c = realloc(r->current, (r->hist.n + 1) * sizeof(uint64_t));

    if (!c)
        return SIM_ENOMEM;
    r->current = c;
    for (size_t i = from; i < r->hist.n; i++)
        c[i] = r->hist.v[i].before;
    return SIM_OK;
}

int bar_replay_run(struct bar_replay **out, struct topology *t, const struct bar_config *cfg,
                   const struct bar_op *ops, size_t nops)
{
    struct bar_replay *r = calloc(1, sizeof(*r));
    size_t nfn = topo_fn_count(t);
    int err = SIM_OK;

    if (!r || !(r->first_hist = malloc((nfn + 1) * sizeof(uint32_t)))) {
        bar_replay_free(r);
        return SIM_ENOMEM;
    }
    for (size_t i = 0; i < nfn; i++)
        r->first_hist[i] = TOPO_NONE;
    for (size_t i = 0; i < nops && err == 0; i++) {
        const struct bar_op *op = &ops[i];
        struct bar_op_result res = { op->fn, op->bdf, 0, r->events.n, 0 };
        size_t nh = r->hist.n;

        if (res.fn == TOPO_NONE)
            res.fn = bar_route(t, op->bdf); /* a config cycle, routed as the bridges are now */
        if (res.fn != TOPO_NONE) {
            res.bdf = topo_fn_bdf(t, res.fn);
            if ((err = track(r, t, cfg, res.fn)) < 0 || (err = grow_current(r, nh)) < 0)
                break;
        }
        if (op->kind == BAR_OP_READ) {
            res.read = res.fn == TOPO_NONE ? ones(op->len) /* nobody answers: all-ones */
                                           : topo_cfg_read(t, res.fn, op->reg, op->len);
        } else if (res.fn != TOPO_NONE) {
            topo_cfg_write(t, res.fn, op->reg, op->len, op->value);
            if (bar_reg_touches_mappings(topo_kind_is_bridge(topo_fn_kind(t, res.fn)), op->reg,
                                         op->len))
                err = update_mappings(r, t, cfg, res.fn, i);
        }
        res.nevents = r->events.n - res.first_event;
        if (err == 0)
            err = vec_push(&r->results, res);
    }
    /* Where each BAR ends up, and the first address it decoded at that is neither end. */
    for (size_t h = 0; err == 0 && h < r->hist.n; h++)
        r->hist.v[h].after = r->current[h];
    for (size_t k = 0; err == 0 && k < r->seen.n; k++) {
        struct bar_history *h = &r->hist.v[r->seen.v[k].hist];
        uint64_t a = r->seen.v[k].addr;

        if (a != h->before && a != h->after && h->transient == BAR_UNMAPPED) {
            h->transient = a;
            h->transient_op = r->seen.v[k].op;
        }
    }
    if (err < 0) {
        bar_replay_free(r);
        return err;
    }
    *out = r;
    return SIM_OK;
}

void bar_replay_free(struct bar_replay *r)
{
    if (!r)
        return;
    vec_free(&r->results);
    vec_free(&r->events);
    vec_free(&r->hist);
    vec_free(&r->seen);
    free(r->first_hist);
    free(r->current);
    free(r);
}

const struct bar_op_result *bar_replay_results(const struct bar_replay *r, size_t *n)
{
    *n = r->results.n;
    return r->results.v;
}

const struct bar_event *bar_replay_events(const struct bar_replay *r, size_t *n)
{
    *n = r->events.n;
    return r->events.v;
}

const struct bar_history *bar_replay_history(const struct bar_replay *r, size_t *n)
{
    *n = r->hist.n;
    return r->hist.v;
}

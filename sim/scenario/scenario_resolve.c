/* Scenario -- after reading: names to indices, machines finalized, references checked. */
#include "sim/scenario/scenario.h"

#include <stdlib.h>
#include <string.h>

#include "sim/bar/bar.h"
#include "sim/scenario/scenario_internal.h"

void *scn_arena_dup(struct scenario *s, const void *src, size_t n, size_t size)
{
    void *p = arena_alloc(&s->arena, n ? n * size : 1);

    if (p && n)
        memcpy(p, src, n * size);
    return p;
}

static const struct id_entry *id_lookup(const struct loader *ld, const char *id)
{
    uint32_t i;

    return strmap_get(&ld->ids, id, &i) == 0 ? &ld->id_entries.v[i] : NULL;
}

static const char *what_name(enum id_what w)
{
    switch (w) {
    case ID_FUNCTION:
        return "a function";
    case ID_HOST_BRIDGE:
        return "a host bridge";
    case ID_IOMMU:
        return "an IOMMU";
    }
    return "?";
}

/* The function a name denotes in machine mach, or TOPO_NONE after reporting why not. */
static uint32_t fn_named(struct loader *ld, enum scn_machine mach, const struct raw_ref *r,
                         const char *role)
{
    const struct id_entry *e = id_lookup(ld, r->text);

    if (e && e->what == ID_FUNCTION && e->machine == mach)
        return e->index;
    if (e)
        diag_error(ld->diags, r->mark,
                   "%s '%s' names %s of the %s machine, not a function of the %s machine", role,
                   r->text, what_name(e->what), scn_machine_names[e->machine],
                   scn_machine_names[mach]);
    else
        diag_error(ld->diags, r->mark, "%s '%s' names no function of the %s machine", role, r->text,
                   scn_machine_names[mach]);
    return TOPO_NONE;
}

/* IOMMU covers, then the IOMMUs themselves; dma_owner links. */
static int resolve_machine_names(struct loader *ld, enum scn_machine mach)
{
    struct pending_machine *pm = &ld->pm[mach];
    struct topology *t = ld->s->machine[mach];
    uint32_t *covered_by = calloc(topo_hb_count(t) + 1, sizeof(uint32_t));
    int err = SIM_OK;

    if (!covered_by)
        return SIM_ENOMEM;
    for (size_t i = 0; i < pm->iommus.n; i++) {
        struct pending_iommu *pi = &pm->iommus.v[i];
        VEC(uint32_t) covers = { 0 };

        for (size_t c = 0; c < pi->covers.n; c++) {
            const struct raw_ref *r = &pi->covers.v[c];
            uint32_t hb = topo_hb_find(t, r->text);

            if (hb == TOPO_NONE) {
                diag_error(ld->diags, r->mark, "covers '%s' names no host bridge of the %s machine",
                           r->text, scn_machine_names[mach]);
                continue;
            }
            for (size_t o = 0; o < covers.n; o++) {
                if (covers.v[o] == hb) {
                    diag_error(ld->diags, r->mark, "covers names '%s' twice", r->text);
                    hb = TOPO_NONE;
                    break;
                }
            }
            if (hb == TOPO_NONE)
                continue;
            if (vec_push(&covers, hb) < 0) {
                err = SIM_ENOMEM;
                break;
            }
        }
        /* Which host bridges this IOMMU translates; each may have only one. */
        for (uint32_t hb = 0; hb < topo_hb_count(t); hb++) {
            bool mine = pi->covers.n == 0;

            for (size_t c = 0; c < covers.n; c++)
                mine |= covers.v[c] == hb;
            if (!mine)
                continue;
            if (covered_by[hb])
                diag_error(ld->diags, pi->desc.mark,
                           "host bridge '%s' is covered by both '%s' and '%s'; give each IOMMU "
                           "its own 'covers'",
                           topo_hb_get(t, hb)->id, pm->iommus.v[covered_by[hb] - 1].desc.id,
                           pi->desc.id);
            else
                covered_by[hb] = (uint32_t)i + 1;
        }
        pi->desc.covers = covers.v;
        pi->desc.ncovers = covers.n;
        pi->desc.reserved = pi->reserved.v;
        pi->desc.nreserved = pi->reserved.n;
        pi->desc.stream_map = pi->stream_map.v;
        pi->desc.nstream_map = pi->stream_map.n;
        if (!ld->diags->nerrors && err == 0)
            err = topo_iommu_add(t, &pi->desc, NULL);
        vec_free(&covers);
        if (err < 0)
            break;
    }
    free(covered_by);
    for (size_t i = 0; err == 0 && i < pm->dma_owner.n; i++) {
        const struct pending_ref *o = &pm->dma_owner.v[i];
        uint32_t fn = fn_named(ld, mach, &o->ref, "dma_owner");

        if (fn != TOPO_NONE)
            topo_hb_set_dma_owner(t, o->owner, fn, o->ref.mark);
    }
    return err;
}

/* An id, or a BDF as the machine is numbered now. */
static uint32_t fn_by_id_or_bdf(struct loader *ld, enum scn_machine mach, const struct raw_ref *r,
                                const char *role)
{
    const struct topology *t = ld->s->machine[mach];
    struct bdf b;

    if (bdf_parse(&b, NULL, r->text) == 0) {
        uint32_t fn = topo_fn_find_bdf(t, b);

        if (fn == TOPO_NONE)
            diag_error(ld->diags, r->mark, "%s '%s': no function of the %s machine is at that BDF",
                       role, r->text, scn_machine_names[mach]);
        return fn;
    }
    return fn_named(ld, mach, r, role);
}

/* Groups given as names -> lists of function indices; each function in at most one group. */
static int resolve_groups(struct loader *ld, enum scn_machine mach, const struct raw_groups *g,
                          struct scn_groups *out, const char *role)
{
    const struct topology *t = ld->s->machine[mach];
    size_t nfn = topo_fn_count(t);
    uint32_t *members = arena_alloc(&ld->s->arena, (g->refs.n + 1) * sizeof(uint32_t));
    uint32_t *start = arena_alloc(&ld->s->arena, (g->start.n + 1) * sizeof(uint32_t));
    uint32_t *seen_in = calloc(nfn + 1, sizeof(uint32_t));
    size_t n = 0;

    if (!members || !start || !seen_in) {
        free(seen_in);
        return SIM_ENOMEM;
    }
    for (size_t gi = 0; gi + 1 < g->start.n; gi++) {
        start[gi] = (uint32_t)n;
        for (uint32_t i = g->start.v[gi]; i < g->start.v[gi + 1]; i++) {
            uint32_t fn = fn_by_id_or_bdf(ld, mach, &g->refs.v[i], role);

            if (fn == TOPO_NONE)
                continue;
            if (seen_in[fn]) {
                diag_error(ld->diags, g->refs.v[i].mark,
                           seen_in[fn] == gi + 1 ? "'%s' is listed twice in one group"
                                                 : "'%s' is listed in two groups",
                           topo_fn_id(t, fn));
                continue;
            }
            seen_in[fn] = (uint32_t)gi + 1;
            members[n++] = fn;
        }
    }
    start[g->start.n ? g->start.n - 1 : 0] = (uint32_t)n;
    free(seen_in);
    out->present = true;
    out->members = members;
    out->start = start;
    out->ngroups = g->start.n ? g->start.n - 1 : 0;
    return SIM_OK;
}

static int resolve_passthrough(struct loader *ld)
{
    struct pending_machine *pm = &ld->pm[SCN_GUEST];
    struct topology *guest = ld->s->machine[SCN_GUEST];
    struct topology *host = ld->s->machine[SCN_HOST];
    uint32_t *taken = NULL;

    if (!pm->passthrough.n)
        return SIM_OK;
    if (!host) {
        diag_error(ld->diags, pm->passthrough.v[0].ref.mark,
                   "passthrough '%s' names no host function: the scenario has no host machine",
                   pm->passthrough.v[0].ref.text);
        return SIM_OK;
    }
    taken = calloc(topo_fn_count(host) + 1, sizeof(uint32_t));
    if (!taken)
        return SIM_ENOMEM;
    for (size_t i = 0; i < pm->passthrough.n; i++) {
        const struct pending_ref *r = &pm->passthrough.v[i];
        const struct id_entry *e = id_lookup(ld, r->ref.text);
        uint32_t fn;

        if (!e || e->what != ID_FUNCTION || e->machine != SCN_HOST) {
            if (e)
                diag_error(ld->diags, r->ref.mark,
                           "passthrough '%s' names %s of the %s machine, not a host function",
                           r->ref.text, what_name(e->what), scn_machine_names[e->machine]);
            else
                diag_error(ld->diags, r->ref.mark, "passthrough '%s' names no host function",
                           r->ref.text);
            continue;
        }
        fn = e->index;
        if (topo_kind_is_bridge(topo_fn_kind(host, fn)) ||
            topo_kind_is_bridge(topo_fn_kind(guest, r->owner))) {
            bool host_side = topo_kind_is_bridge(topo_fn_kind(host, fn));
            enum topo_kind k = topo_fn_kind(host_side ? host : guest, host_side ? fn : r->owner);

            diag_error(ld->diags, r->ref.mark,
                       "%s '%s' %s %s %s; vfio-pci binds only to functions with a type 0 header, "
                       "not to bridges or ports",
                       host_side ? "passthrough" : "assigned function",
                       host_side ? r->ref.text : topo_fn_id(guest, r->owner),
                       host_side ? "names" : "is", topo_kind_article(k), topo_kind_name(k));
            continue;
        }
        if (taken[fn]) {
            diag_error(ld->diags, r->ref.mark,
                       "host function '%s' is already assigned to guest function '%s'", r->ref.text,
                       topo_fn_id(guest, taken[fn] - 1));
            continue;
        }
        if (topo_fn_driver_given(host, fn) && topo_fn_driver(host, fn) != TOPO_DRIVER_VFIO) {
            diag_error(ld->diags, r->ref.mark,
                       "host function '%s' is assigned to the guest but its driver is '%s'; an "
                       "assigned function is bound to vfio-pci",
                       r->ref.text, topo_driver_names[topo_fn_driver(host, fn)]);
            continue;
        }
        taken[fn] = r->owner + 1;
        topo_fn_set_passthrough(guest, r->owner, fn);
        topo_fn_set_driver(host, fn, TOPO_DRIVER_VFIO); /* QEMU's vfio-pci needs it bound */
    }
    free(taken);
    return SIM_OK;
}

/* Default machine for replay and explore: the guest if there is one. */
static bool pick_machine(struct loader *ld, bool given, enum scn_machine *m, struct src_mark at,
                         const char *section)
{
    if (!given)
        *m = ld->s->machine[SCN_GUEST] ? SCN_GUEST : SCN_HOST;
    if (!ld->s->machine[*m]) {
        diag_error(ld->diags, at, "%s.machine is %s but the scenario has no %s machine", section,
                   scn_machine_names[*m], scn_machine_names[*m]);
        return false;
    }
    return true;
}

/*
 * A device reference in context machine mach. Ids resolve anywhere; a BDF is looked up in
 * mach. With may_be_absent (config accesses), a BDF nothing sits at is legal: the access
 * reads all-ones, as on hardware.
 */
static void resolve_devref(struct loader *ld, enum scn_machine mach, struct scn_devref *d,
                           bool may_be_absent)
{
    const struct id_entry *e;
    struct raw_ref r = { d->text, d->mark };

    if (!d->text)
        return;
    if (bdf_parse(&d->bdf, NULL, d->text) == 0) {
        d->by_bdf = true;
        d->machine = mach;
        d->fn = topo_fn_find_bdf(ld->s->machine[mach], d->bdf);
        if (d->fn == TOPO_NONE && !may_be_absent)
            diag_error(ld->diags, d->mark, "'%s': no function of the %s machine is at that BDF",
                       d->text, scn_machine_names[mach]);
        return;
    }
    e = id_lookup(ld, d->text);
    if (!e || e->what != ID_FUNCTION) {
        fn_named(ld, mach, &r, "device");
        return;
    }
    d->machine = e->machine;
    d->fn = e->index;
    d->bdf = topo_fn_bdf(ld->s->machine[e->machine], e->index);
}

static void resolve_ops(struct loader *ld, enum scn_machine mach, struct scn_op *ops, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct scn_devref *d = &ops[i].dev;

        resolve_devref(ld, mach, d, true);
        if (!d->by_bdf && d->fn != TOPO_NONE && d->machine != mach)
            diag_error(ld->diags, d->mark,
                       "'%s' is a function of the %s machine, but the ops run on the %s", d->text,
                       scn_machine_names[d->machine], scn_machine_names[mach]);
    }
}

static void resolve_sequence(struct loader *ld, enum scn_machine mach, struct scn_sequence *q)
{
    for (size_t i = 0; i < q->ndevices; i++) {
        struct scn_devref *d = &q->devices[i];

        resolve_devref(ld, mach, d, false);
        if (d->fn != TOPO_NONE && d->machine != mach)
            diag_error(ld->diags, d->mark,
                       "'%s' is a function of the %s machine, but the sequence runs on the %s",
                       d->text, scn_machine_names[d->machine], scn_machine_names[mach]);
    }
}

static void resolve_stimuli(struct loader *ld)
{
    struct scenario *s = ld->s;
    enum scn_machine def = s->machine[SCN_GUEST] ? SCN_GUEST : SCN_HOST;

    if (s->replay.present &&
        pick_machine(ld, ld->replay_machine_given, &s->replay.machine, s->replay.mark, "replay")) {
        resolve_ops(ld, s->replay.machine, s->replay.ops, s->replay.nops);
        if (s->replay.source == SCN_SOURCE_SEQUENCE)
            resolve_sequence(ld, s->replay.machine, &s->replay.sequence);
    }
    if (s->explore.present && pick_machine(ld, ld->explore_machine_given, &s->explore.machine,
                                           s->explore.mark, "explore")) {
        for (size_t i = 0; i < s->explore.nactors; i++) {
            struct scn_actor *a = &s->explore.actors[i];

            resolve_ops(ld, s->explore.machine, a->ops, a->nops);
            if (a->has_sequence)
                resolve_sequence(ld, s->explore.machine, &a->sequence);
        }
    }
    for (size_t i = 0; i < s->ndma; i++)
        resolve_devref(ld, def, &s->dma[i].dev, false);
    for (size_t i = 0; i < s->expect.naliases; i++)
        resolve_devref(ld, def, &s->expect.aliases[i].dev, false);
}

/* The expect and dma sections in sim/check's terms (arrays in the scenario arena). */
static int build_check_expect(struct scenario *s)
{
    struct check_expect *x = &s->check_expect;
    struct check_expect_finding *f;
    struct check_expect_alias *a;

    s->check_dma = arena_alloc(&s->arena, (s->ndma + 1) * sizeof(*s->check_dma));
    if (!s->check_dma)
        return SIM_ENOMEM;
    for (size_t i = 0; i < s->ndma; i++)
        s->check_dma[i] = (struct check_dma){ (enum check_machine)s->dma[i].dev.machine,
                                              s->dma[i].dev.fn, s->dma[i].iova, s->dma[i].size };
    x->has_findings = s->expect.has_findings;
    x->nfindings = s->expect.nfindings;
    x->findings = f = arena_alloc(&s->arena, (x->nfindings + 1) * sizeof(*f));
    x->naliases = s->expect.naliases;
    x->aliases = a = arena_alloc(&s->arena, (x->naliases + 1) * sizeof(*a));
    if (!f || !a)
        return SIM_ENOMEM;
    for (size_t i = 0; i < x->nfindings; i++) {
        f[i].code = s->expect.findings[i].code;
        f[i].subject = s->expect.findings[i].subject;
    }
    for (unsigned m = 0; m < SCN_MACHINE_COUNT; m++) {
        const struct scn_groups *g = &s->expect.groups[m];

        x->groups[m].present = g->present;
        x->groups[m].members = g->members;
        x->groups[m].start = g->start;
        x->groups[m].ngroups = g->ngroups;
    }
    for (size_t i = 0; i < x->naliases; i++) {
        const struct scn_expect_alias *e = &s->expect.aliases[i];

        a[i].machine = (enum check_machine)e->dev.machine;
        a[i].fn = e->dev.fn;
        a[i].rids = e->rids;
        a[i].has_domain = e->rid_has_domain;
        a[i].nrids = e->nrids;
    }
    return SIM_OK;
}

typedef VEC(struct bar_op) op_vec;

/* A scenario op as a bar op: an id names its function, a BDF is routed when replayed. */
static struct bar_op bar_op_of(const struct scn_op *o)
{
    struct bar_op b = { o->op == SCN_OP_READ ? BAR_OP_READ : BAR_OP_WRITE,
                        o->dev.by_bdf ? TOPO_NONE : o->dev.fn,
                        o->dev.bdf,
                        o->reg,
                        o->len,
                        o->value,
                        o->has_expect,
                        o->expect,
                        o->mark.line };

    return b;
}

static int generate(struct loader *ld, enum scn_machine m, const struct scn_sequence *q,
                    op_vec *out)
{
    uint32_t *fns = malloc((q->ndevices + 1) * sizeof(uint32_t));
    int err;

    if (!fns)
        return SIM_ENOMEM;
    for (size_t i = 0; i < q->ndevices; i++)
        fns[i] = q->devices[i].fn;
    err = bar_generate(out, ld->s->machine[m], (enum bar_generator)q->generator, fns, q->ndevices);
    free(fns);
    return err;
}

/* Read the trace into ops; its own diagnostics come back located in the trace file. */
static int read_trace(struct loader *ld, const struct scn_replay *rp, op_vec *out,
                      struct bar_trace_stats *stats)
{
    struct scenario *s = ld->s;
    const struct topology *host = s->machine[SCN_HOST];
    uint32_t *host_to_fn = NULL;
    struct diag_list dl;
    int err;

    if (rp->machine == SCN_GUEST && host) {
        host_to_fn = malloc((topo_fn_count(host) + 1) * sizeof(uint32_t));
        if (!host_to_fn)
            return SIM_ENOMEM;
        for (size_t i = 0; i < topo_fn_count(host); i++)
            host_to_fn[i] = TOPO_NONE;
        for (uint32_t gf = 0; gf < topo_fn_count(s->machine[SCN_GUEST]); gf++)
            if (topo_fn_passthrough(s->machine[SCN_GUEST], gf) != TOPO_NONE)
                host_to_fn[topo_fn_passthrough(s->machine[SCN_GUEST], gf)] = gf;
    }
    diag_list_init(&dl, rp->trace);
    err = bar_trace_parse(out, stats, rp->trace, host ? host : s->machine[rp->machine],
                          host ? host_to_fn : NULL, &dl);
    for (size_t i = 0; i < dl.n; i++)
        diag_error(ld->diags, rp->mark, "%s:%u:%u: %s", rp->trace, dl.v[i].mark.line,
                   dl.v[i].mark.col, dl.v[i].msg ? dl.v[i].msg : "");
    diag_list_fini(&dl);
    free(host_to_fn);
    return err == SIM_EINVAL || err == SIM_EIO ? SIM_OK : err; /* reported above */
}

static bool vfio_filter_of(const struct scenario *s, int given)
{
    const struct scn_version *q = &s->semantics.qemu_version;

    if (given >= 0)
        return given;
    return q->major == 0 || q->major >= 2; /* "Filter out bogus mappings", QEMU 2.0 */
}

static int build_replay(struct loader *ld)
{
    struct scenario *s = ld->s;
    const struct scn_replay *rp = &s->replay;
    struct check_replay *c = &s->check_replay;
    op_vec ops = { 0 };
    int err = SIM_OK;

    if (!rp->present)
        return SIM_OK;
    c->present = true;
    c->machine = (enum check_machine)rp->machine;
    c->policy = rp->policy == SCN_POLICY_QEMU ? BAR_POLICY_QEMU : BAR_POLICY_HARDWARE;
    c->listener_vfio = rp->listener_vfio;
    c->vfio_filter = vfio_filter_of(s, rp->vfio_filter);
    switch (rp->source) {
    case SCN_SOURCE_OPS:
        for (size_t i = 0; i < rp->nops && err == 0; i++)
            err = vec_push(&ops, bar_op_of(&rp->ops[i]));
        break;
    case SCN_SOURCE_TRACE:
        c->from_trace = true;
        err = read_trace(ld, rp, &ops, &c->trace);
        break;
    case SCN_SOURCE_SEQUENCE:
        err = generate(ld, rp->machine, &rp->sequence, &ops);
        break;
    }
    if (err == 0) {
        struct bar_op *v = scn_arena_dup(s, ops.v, ops.n, sizeof(*ops.v));

        c->ops = v;
        c->nops = ops.n;
        err = v ? SIM_OK : SIM_ENOMEM;
    }
    vec_free(&ops);
    return err;
}

static int build_explore(struct loader *ld)
{
    struct scenario *s = ld->s;
    const struct scn_explore *x = &s->explore;
    struct check_explore *c = &s->check_explore;
    struct bar_actor *actors;
    int err = SIM_OK;

    if (!x->present)
        return SIM_OK;
    if (x->nactors > BAR_EXPLORE_MAX_ACTORS) {
        diag_error(ld->diags, x->mark, "explore has %zu actors; at most %u are supported",
                   x->nactors, BAR_EXPLORE_MAX_ACTORS);
        return SIM_OK;
    }
    actors = arena_alloc(&s->arena, (x->nactors + 1) * sizeof(*actors));
    if (!actors)
        return SIM_ENOMEM;
    c->present = true;
    c->machine = (enum check_machine)x->machine;
    c->policy = x->policy == SCN_POLICY_QEMU ? BAR_POLICY_QEMU : BAR_POLICY_HARDWARE;
    c->listener_vfio = x->listener_vfio;
    c->vfio_filter = vfio_filter_of(s, x->vfio_filter);
    c->max_states = x->max_states;
    c->reduction = x->reduction;
    for (size_t i = 0; i < x->ninvariants; i++)
        c->invariants |= check_invariant_bar_bit(x->invariants[i]);
    for (size_t a = 0; a < x->nactors && err == 0; a++) {
        const struct scn_actor *sa = &x->actors[a];
        op_vec ops = { 0 };

        if (sa->has_sequence) {
            err = generate(ld, x->machine, &sa->sequence, &ops);
        } else {
            for (size_t i = 0; i < sa->nops && err == 0; i++) {
                if (sa->ops[i].dev.fn == TOPO_NONE) {
                    diag_error(ld->diags, sa->ops[i].dev.mark,
                               "an explore op must name a function: nothing is at '%s'",
                               sa->ops[i].dev.text);
                    continue;
                }
                err = vec_push(&ops, bar_op_of(&sa->ops[i]));
                ops.v[ops.n - 1].fn = sa->ops[i].dev.fn; /* explored ops go straight to it */
            }
        }
        actors[a].cpu = sa->cpu;
        actors[a].nops = ops.n;
        actors[a].ops = scn_arena_dup(s, ops.v, ops.n, sizeof(*ops.v));
        if (err == 0 && !actors[a].ops)
            err = SIM_ENOMEM;
        vec_free(&ops);
    }
    c->actors = actors;
    c->nactors = x->nactors;
    return err;
}

int scn_resolve(struct loader *ld)
{
    int err;

    for (unsigned m = 0; m < SCN_MACHINE_COUNT; m++) {
        if (!ld->s->machine[m])
            continue;
        if ((err = resolve_machine_names(ld, (enum scn_machine)m)) < 0)
            return err;
    }
    if (ld->diags->nerrors)
        return SIM_EINVAL;
    for (unsigned m = 0; m < SCN_MACHINE_COUNT; m++) {
        if (!ld->s->machine[m])
            continue;
        if ((err = topo_finalize(ld->s->machine[m], ld->diags)) < 0)
            return err;
    }
    if ((err = resolve_passthrough(ld)) < 0)
        return err;
    for (unsigned m = 0; m < SCN_MACHINE_COUNT; m++) {
        struct scn_groups declared;

        if (ld->pm[m].groups.present) {
            if ((err = resolve_groups(ld, (enum scn_machine)m, &ld->pm[m].groups, &declared,
                                      "group member")) < 0)
                return err;
            if ((err = topo_groups_declare(ld->s->machine[m], declared.members, declared.start,
                                           declared.ngroups)) < 0)
                return err;
        }
        if (ld->expect_groups[m].present) {
            if (!ld->s->machine[m]) {
                diag_error(ld->diags, ld->expect_groups[m].mark,
                           "expect.groups names the %s machine, which the scenario does not have",
                           scn_machine_names[m]);
                continue;
            }
            if ((err = resolve_groups(ld, (enum scn_machine)m, &ld->expect_groups[m],
                                      &ld->s->expect.groups[m], "expected group member")) < 0)
                return err;
        }
    }
    resolve_stimuli(ld);
    if (ld->diags->nerrors)
        return SIM_EINVAL;
    if ((err = build_check_expect(ld->s)) < 0 || (err = build_replay(ld)) < 0 ||
        (err = build_explore(ld)) < 0)
        return err;
    return ld->diags->nerrors ? SIM_EINVAL : SIM_OK;
}

static void raw_groups_fini(struct raw_groups *g)
{
    vec_free(&g->refs);
    vec_free(&g->start);
}

void scn_pending_fini(struct loader *ld)
{
    for (unsigned m = 0; m < SCN_MACHINE_COUNT; m++) {
        struct pending_machine *pm = &ld->pm[m];

        for (size_t i = 0; i < pm->iommus.n; i++) {
            vec_free(&pm->iommus.v[i].covers);
            vec_free(&pm->iommus.v[i].reserved);
            vec_free(&pm->iommus.v[i].stream_map);
        }
        vec_free(&pm->iommus);
        vec_free(&pm->dma_owner);
        vec_free(&pm->passthrough);
        raw_groups_fini(&pm->groups);
        raw_groups_fini(&ld->expect_groups[m]);
    }
    vec_free(&ld->id_entries);
    strmap_fini(&ld->ids);
}

/* Alias -- IOMMU groups as pci_device_group() forms them, with the reason for every merge. */
#include "sim/alias/alias.h"

#include <stdlib.h>
#include <string.h>

#include "sim/alias/alias_internal.h"

struct group {
    uint32_t iommu;        /* the IOMMU the group belongs to */
    VEC(uint32_t) members; /* in probe order until sorted */
    VEC(struct alias_reason) reasons;
};

struct alias_groups {
    const struct alias_ctx *ctx;
    uint32_t *group_of; /* per function; ALIAS_NO_GROUP */
    VEC(struct group) groups;
    /* scratch for one placement */
    uint64_t devfns[4];            /* devfns visited by the same-bus searches */
    VEC(struct alias_reason) path; /* links from the placed function to the group found */
};

/* Linux's probe order: each root bus's functions, then each bridge's subtree in devfn order
 * (pci_bus_add_devices), root buses in (segment, bus) order. */
static int probe_order_bus(const struct topology *t, uint32_t first, void *vec_)
{
    VEC(uint32_t) *order = vec_;
    int err;

    for (uint32_t c = first; c != TOPO_NONE; c = topo_fn_next_sibling(t, c))
        if ((err = vec_push(order, c)) < 0)
            return err;
    for (uint32_t c = first; c != TOPO_NONE; c = topo_fn_next_sibling(t, c))
        if (topo_fn_first_child(t, c) != TOPO_NONE &&
            (err = probe_order_bus(t, topo_fn_first_child(t, c), order)) < 0)
            return err;
    return SIM_OK;
}

static bool visit(struct alias_groups *g, uint8_t devfn)
{
    uint64_t bit = UINT64_C(1) << (devfn % 64);
    bool seen = g->devfns[devfn / 64] & bit;

    g->devfns[devfn / 64] |= bit;
    return seen;
}

static int link(struct alias_groups *g, enum alias_reason_kind kind, uint32_t fn, uint32_t culprit)
{
    struct alias_reason r = { kind, fn, culprit, { 0, 0 } };

    return vec_push(&g->path, r);
}

/* Functions on fn's bus (siblings), in devfn order. */
static uint32_t bus_first(const struct topology *t, uint32_t fn)
{
    uint32_t parent = topo_fn_parent(t, fn);

    return parent == TOPO_NONE ? topo_hb_first_child(t, topo_fn_hb(t, fn))
                               : topo_fn_first_child(t, parent);
}

static uint32_t function_alias_group(struct alias_groups *g, uint32_t pdev);

/* get_pci_alias_group(): pdev's group, or that of a function of its bus that aliases it. */
static uint32_t alias_group(struct alias_groups *g, uint32_t pdev)
{
    const struct topology *t = g->ctx->t;
    uint32_t gid;

    if (visit(g, topo_fn_devfn(t, pdev)))
        return ALIAS_NO_GROUP;
    if ((gid = g->group_of[pdev]) != ALIAS_NO_GROUP)
        return gid;
    for (uint32_t tmp = bus_first(t, pdev); tmp != TOPO_NONE; tmp = topo_fn_next_sibling(t, tmp)) {
        if (tmp == pdev || !alias_fns_are_dma_aliases(g->ctx, pdev, tmp))
            continue;
        if ((gid = alias_group(g, tmp)) == ALIAS_NO_GROUP)
            gid = function_alias_group(g, tmp);
        if (gid != ALIAS_NO_GROUP) {
            link(g, ALIAS_REASON_SAME_BUS_ALIAS, pdev, tmp);
            return gid;
        }
    }
    return ALIAS_NO_GROUP;
}

/* get_pci_function_alias_group(): a multifunction device without ACS shares with the
 * functions of its slot that lack it too. */
static uint32_t function_alias_group(struct alias_groups *g, uint32_t pdev)
{
    const struct topology *t = g->ctx->t;
    uint8_t slot = PCI_SLOT(topo_fn_devfn(t, pdev));
    uint32_t gid;

    if (!topo_fn_is_multifunction(t, pdev) || g->ctx->fa[pdev].acs_enabled)
        return ALIAS_NO_GROUP;
    for (uint32_t tmp = bus_first(t, pdev); tmp != TOPO_NONE; tmp = topo_fn_next_sibling(t, tmp)) {
        if (tmp == pdev || PCI_SLOT(topo_fn_devfn(t, tmp)) != slot || g->ctx->fa[tmp].acs_enabled)
            continue;
        if ((gid = alias_group(g, tmp)) != ALIAS_NO_GROUP) {
            link(g, ALIAS_REASON_MULTIFUNCTION, pdev, tmp);
            return gid;
        }
    }
    return ALIAS_NO_GROUP;
}

/* The alias walk of pci_device_group(): remember the last alias owner; stop at one that
 * already has a group. */
struct owner_walk {
    const struct alias_groups *g;
    uint32_t owner;
    struct alias_rid rid;
    uint32_t gid;
};

static int owner_cb(const struct alias_ctx *ctx, uint32_t owner, struct alias_rid rid, void *data)
{
    struct owner_walk *w = data;

    (void)ctx;
    w->owner = owner;
    w->rid = rid;
    w->gid = w->g->group_of[owner];
    return w->gid != ALIAS_NO_GROUP;
}

static int new_group(struct alias_groups *g, uint32_t iommu, uint32_t *gid)
{
    struct group grp;

    memset(&grp, 0, sizeof(grp));
    grp.iommu = iommu;
    *gid = (uint32_t)g->groups.n;
    return vec_push(&g->groups, grp);
}

/* pci_device_group() for fn; records how fn joined an existing group. */
static int place(struct alias_groups *g, uint32_t fn)
{
    const struct alias_ctx *ctx = g->ctx;
    const struct topology *t = ctx->t;
    struct owner_walk w = { g, fn, { 0, 0 }, ALIAS_NO_GROUP };
    uint32_t pdev, gid = ALIAS_NO_GROUP;
    struct group *grp;
    int err;

    g->path.n = 0;
    alias_for_each(ctx, fn, owner_cb, &w);
    if (w.gid != ALIAS_NO_GROUP) {
        struct alias_reason r = { w.owner == alias_fn_dma_owner(ctx, fn) && w.owner != fn
                                      ? ALIAS_REASON_DMA_OWNER
                                      : ALIAS_REASON_BRIDGE_ALIAS,
                                  fn, w.owner, w.rid };

        gid = w.gid;
        if ((err = vec_push(&g->path, r)) < 0)
            return err;
    }
    pdev = w.owner;
    /* Climb while the path to the root is not isolated; a bridge with a group ends it. */
    for (uint32_t up = topo_fn_parent(t, pdev); gid == ALIAS_NO_GROUP && up != TOPO_NONE;
         up = topo_fn_parent(t, up)) {
        uint32_t culprit = alias_acs_path(ctx, up);

        if (culprit == TOPO_NONE)
            break;
        pdev = up;
        if (g->group_of[pdev] != ALIAS_NO_GROUP) {
            gid = g->group_of[pdev];
            if ((err = link(g, ALIAS_REASON_ACS_PATH, fn, culprit)) < 0)
                return err;
        }
    }
    if (gid == ALIAS_NO_GROUP) {
        memset(g->devfns, 0, sizeof(g->devfns));
        gid = alias_group(g, pdev);
        if (gid == ALIAS_NO_GROUP)
            gid = function_alias_group(g, pdev);
    }
    if (gid == ALIAS_NO_GROUP && (err = new_group(g, ctx->fa[fn].iommu, &gid)) < 0)
        return err;
    grp = &g->groups.v[gid];
    g->group_of[fn] = gid;
    if ((err = vec_push(&grp->members, fn)) < 0)
        return err;
    for (size_t i = 0; i < g->path.n; i++)
        if ((err = vec_push(&grp->reasons, g->path.v[i])) < 0)
            return err;
    return SIM_OK;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Members in (segment, bus, devfn) order: sort packed keys, no context needed. */
static int sort_members(const struct topology *t, struct group *grp)
{
    uint64_t *keys = malloc((grp->members.n ? grp->members.n : 1) * sizeof(*keys));

    if (!keys)
        return SIM_ENOMEM;
    for (size_t i = 0; i < grp->members.n; i++) {
        struct bdf b = topo_fn_bdf(t, grp->members.v[i]);

        keys[i] = ((uint64_t)b.domain << 16 | bdf_rid(b)) << 32 | grp->members.v[i];
    }
    qsort(keys, grp->members.n, sizeof(*keys), cmp_u64);
    for (size_t i = 0; i < grp->members.n; i++)
        grp->members.v[i] = (uint32_t)keys[i];
    free(keys);
    return SIM_OK;
}

int alias_probe_order(const struct alias_ctx *ctx, uint32_t **out, size_t *n)
{
    const struct topology *t = ctx->t;
    VEC(uint32_t) order = { 0 };
    int err;

    /* A VMD domain is enumerated when the VMD driver binds, after the bus of its owner. */
    for (int vmd = 0; vmd < 2; vmd++) {
        for (uint32_t i = 0; i < topo_hb_count(t); i++) {
            uint32_t h = topo_hb_order(t, i);

            if ((topo_hb_get(t, h)->dma_owner != TOPO_NONE) != vmd)
                continue;
            if ((err = probe_order_bus(t, topo_hb_first_child(t, h), &order)) < 0) {
                vec_free(&order);
                return err;
            }
        }
    }
    *out = order.v;
    *n = order.n;
    return SIM_OK;
}

int alias_groups_compute_except(struct alias_groups **out, const struct alias_ctx *ctx,
                                const bool *failed)
{
    const struct topology *t = ctx->t;
    struct alias_groups *g = calloc(1, sizeof(*g));
    uint32_t *order = NULL;
    size_t nfn = topo_fn_count(t), norder = 0;
    int err = SIM_ENOMEM;

    if (!g)
        return SIM_ENOMEM;
    g->ctx = ctx;
    g->group_of = malloc((nfn ? nfn : 1) * sizeof(uint32_t));
    if (!g->group_of)
        goto fail;
    for (size_t i = 0; i < nfn; i++)
        g->group_of[i] = ALIAS_NO_GROUP;
    if ((err = alias_probe_order(ctx, &order, &norder)) < 0)
        goto fail;
    /* Group numbers: per IOMMU in file order, then probe order. */
    for (uint32_t u = 0; u < topo_iommu_count(t); u++)
        for (size_t i = 0; i < norder; i++)
            if (ctx->fa[order[i]].iommu == u && !(failed && failed[order[i]]) &&
                (err = place(g, order[i])) < 0)
                goto fail;
    for (size_t i = 0; i < g->groups.n; i++)
        if ((err = sort_members(t, &g->groups.v[i])) < 0)
            goto fail;
    free(order);
    vec_free(&g->path);
    *out = g;
    return SIM_OK;
fail:
    free(order);
    alias_groups_free(g);
    return err;
}

int alias_groups_compute(struct alias_groups **out, const struct alias_ctx *ctx)
{
    return alias_groups_compute_except(out, ctx, NULL);
}

void alias_groups_free(struct alias_groups *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->groups.n; i++) {
        vec_free(&g->groups.v[i].members);
        vec_free(&g->groups.v[i].reasons);
    }
    vec_free(&g->groups);
    vec_free(&g->path);
    free(g->group_of);
    free(g);
}

size_t alias_group_count(const struct alias_groups *g)
{
    return g->groups.n;
}

uint32_t alias_group_of(const struct alias_groups *g, uint32_t fn)
{
    return g->group_of[fn];
}

const uint32_t *alias_group_members(const struct alias_groups *g, uint32_t gid, size_t *n)
{
    *n = g->groups.v[gid].members.n;
    return g->groups.v[gid].members.v;
}

uint32_t alias_group_iommu(const struct alias_groups *g, uint32_t gid)
{
    return g->groups.v[gid].iommu;
}

const struct alias_reason *alias_group_reasons(const struct alias_groups *g, uint32_t gid,
                                               size_t *n)
{
    *n = g->groups.v[gid].reasons.n;
    return g->groups.v[gid].reasons.v;
}

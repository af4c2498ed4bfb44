/* Topology -- finalize: sibling order, multifunction slots, bus numbering, tree rules. */
#include "sim/topology/topology.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/topology/pci_regs.h"
#include "sim/topology/topology_internal.h"

/* An owner of a bus number in one segment: a bridge's index, or a host bridge tagged so. */
#define OWNER_FREE TOPO_NONE
#define OWNER_HB   0x80000000u

struct bus_slot_key {
    uint32_t bus_owner; /* parent fn, or OWNER_HB | hb for a root bus */
    uint8_t devfn;
    uint32_t fn;
};

static int cmp_slot_key(const void *a, const void *b)
{
    const struct bus_slot_key *x = a, *y = b;

    if (x->bus_owner != y->bus_owner)
        return x->bus_owner < y->bus_owner ? -1 : 1;
    if (x->devfn != y->devfn)
        return x->devfn < y->devfn ? -1 : 1;
    return x->fn < y->fn ? -1 : x->fn > y->fn;
}

/* Human name of the bus a function sits on, for messages. */
static const char *bus_owner_name(const struct topology *t, uint32_t owner)
{
    return owner & OWNER_HB ? t->hbs.v[owner & ~OWNER_HB].pub.id : fn_rec(t, owner)->id;
}

/*
 * Link every bus's functions in devfn order (one sort over all functions, keyed by the bus
 * owner), rejecting functions below non-bridges and two functions at one devfn.
 */
static int link_siblings(struct topology *t, struct diag_list *diags, bool *ok)
{
    size_t n = t->fns.n;
    struct bus_slot_key *keys = malloc((n ? n : 1) * sizeof(*keys));
    char df[DEVFN_STRLEN];

    if (!keys)
        return SIM_ENOMEM;
    for (uint32_t i = 0; i < n; i++) {
        const struct topo_fn *f = fn_rec(t, i);

        assert(f->flags & FN_DEFINED);
        keys[i] = (struct bus_slot_key){ f->parent == TOPO_NONE ? OWNER_HB | f->hb : f->parent,
                                         f->devfn, i };
        if (f->parent != TOPO_NONE && !topo_kind_is_bridge(fn_rec(t, f->parent)->kind)) {
            const struct topo_fn *p = fn_rec(t, f->parent);

            diag_error(diags, f->mark,
                       "'%s' is below '%s', %s %s: only bridges and ports have a secondary bus "
                       "for children",
                       f->id, p->id, topo_kind_article((enum topo_kind)p->kind),
                       topo_kind_name((enum topo_kind)p->kind));
            *ok = false;
        }
    }
    qsort(keys, n, sizeof(*keys), cmp_slot_key);
    for (size_t i = 0; i < n; i++) {
        struct topo_fn *f = fn_rec(t, keys[i].fn);
        bool first = i == 0 || keys[i - 1].bus_owner != keys[i].bus_owner;

        if (!first && keys[i - 1].devfn == keys[i].devfn) {
            const struct topo_fn *o = fn_rec(t, keys[i - 1].fn);

            diag_error(diags, f->devfn_mark,
                       "devfn %s below '%s' is already used by '%s' (line %u)",
                       devfn_format(df, f->devfn), bus_owner_name(t, keys[i].bus_owner), o->id,
                       o->mark.line);
            *ok = false;
        }
        if (first) {
            if (keys[i].bus_owner & OWNER_HB)
                t->hbs.v[keys[i].bus_owner & ~OWNER_HB].child = keys[i].fn;
            else
                fn_rec(t, keys[i].bus_owner)->child = keys[i].fn;
        } else {
            fn_rec(t, keys[i - 1].fn)->sibling = keys[i].fn;
        }
    }
    free(keys);
    return SIM_OK;
}

static bool is_pcie_link_port(enum topo_kind k)
{
    return k == TOPO_ROOT_PORT || k == TOPO_DOWNSTREAM_PORT;
}

/*
 * Why a function of kind child cannot sit on the secondary bus of parent (TOPO_HOST_BRIDGE
 * for a root bus), or NULL when it can. Only placements real hardware cannot have are named.
 */
static const char *placement_problem(enum topo_kind parent, enum topo_kind child)
{
    switch (parent) {
    case TOPO_HOST_BRIDGE:
        if (child == TOPO_UPSTREAM_PORT || child == TOPO_DOWNSTREAM_PORT)
            return "a switch port cannot sit on a root bus; put it below a root port";
        return NULL;
    case TOPO_ROOT_PORT:
    case TOPO_DOWNSTREAM_PORT:
    case TOPO_PCI_PCIE_BRIDGE:
        /* A conventional bridge on a link is real hardware (ASMedia ASM1083, Tundra,
         * ITE: the pcie-bridge-alias quirk), a conventional device is not. */
        if (child == TOPO_PCI_DEVICE)
            return "a PCIe link cannot host a conventional PCI function; put a pcie-pci-bridge "
                   "in between";
        if (child == TOPO_ROOT_PORT || child == TOPO_DOWNSTREAM_PORT || child == TOPO_RC_ENDPOINT ||
            child == TOPO_PCI_PCIE_BRIDGE)
            return "a PCIe link hosts an endpoint, a switch upstream port or a PCIe-to-PCI bridge";
        return NULL;
    case TOPO_UPSTREAM_PORT:
        if (child != TOPO_DOWNSTREAM_PORT)
            return "the internal bus of a switch holds only downstream ports";
        return NULL;
    case TOPO_PCIE_PCI_BRIDGE:
    case TOPO_PCI_BRIDGE:
        if (topo_kind_is_pcie(child) && child != TOPO_PCI_PCIE_BRIDGE)
            return "a conventional PCI bus cannot host a PCI Express function";
        return NULL;
    case TOPO_ENDPOINT:
    case TOPO_LEGACY_ENDPOINT:
    case TOPO_RC_ENDPOINT:
    case TOPO_PCI_DEVICE:
        break;
    }
    return NULL;
}

/* Header-type bit 7 on every function of a slot with more than one; slot rules as warnings. */
static void mark_slots(struct topology *t, uint32_t first, enum topo_kind parent_kind,
                       const char *parent_id, struct diag_list *diags)
{
    char df[DEVFN_STRLEN];

    for (uint32_t a = first; a != TOPO_NONE;) {
        uint8_t slot = PCI_SLOT(fn_rec(t, a)->devfn);
        uint32_t b = a, count = 0;

        while (b != TOPO_NONE && PCI_SLOT(fn_rec(t, b)->devfn) == slot) {
            count++;
            b = fn_rec(t, b)->sibling;
        }
        if (PCI_FUNC(fn_rec(t, a)->devfn) != 0)
            diag_warning(diags, fn_rec(t, a)->devfn_mark,
                         "'%s' is at %s but slot %02x has no function 0: Linux scans a slot "
                         "only when function 0 exists",
                         fn_rec(t, a)->id, devfn_format(df, fn_rec(t, a)->devfn), slot);
        if (slot != 0 && is_pcie_link_port(parent_kind))
            diag_warning(diags, fn_rec(t, a)->devfn_mark,
                         "'%s' is in slot %02x below %s '%s': a PCIe link has only device 0, "
                         "and Linux scans no other",
                         fn_rec(t, a)->id, slot, topo_kind_name(parent_kind), parent_id);
        for (uint32_t c = a; count > 1 && c != b; c = fn_rec(t, c)->sibling) {
            uint32_t ht = topo_cfg_read(t, c, PCI_HEADER_TYPE, 1);

            cfg_set(t, c, PCI_HEADER_TYPE, 1, ht | PCI_HEADER_TYPE_MFD);
        }
        a = b;
    }
}

static void check_placement(struct topology *t, uint32_t first, enum topo_kind parent_kind,
                            const char *parent_id, struct diag_list *diags)
{
    for (uint32_t c = first; c != TOPO_NONE; c = fn_rec(t, c)->sibling) {
        const struct topo_fn *f = fn_rec(t, c);
        const char *why = placement_problem(parent_kind, (enum topo_kind)f->kind);

        if (why)
            diag_warning(diags, f->mark, "%s '%s' sits below %s '%s': %s",
                         topo_kind_name((enum topo_kind)f->kind), f->id,
                         topo_kind_name(parent_kind), parent_id, why);
    }
}

/* --- Bus numbering ------------------------------------------------------------------------ */

struct busnum {
    struct topology *t;
    struct diag_list *diags;
    uint16_t segment;    /* segment being numbered */
    uint32_t owner[256]; /* bus number -> bridge fn or OWNER_HB | hb; OWNER_FREE */
    int max_used;        /* highest bus number used so far in this segment */
    bool ok;
};

static void owner_phrase(const struct busnum *bn, uint32_t owner, char *buf, size_t len)
{
    if (owner & OWNER_HB)
        snprintf(buf, len, "the root bus of host bridge '%s'",
                 bn->t->hbs.v[owner & ~OWNER_HB].pub.id);
    else if (fn_rec(bn->t, owner)->sec_req >= 0)
        snprintf(buf, len, "the secondary bus of '%s'", fn_rec(bn->t, owner)->id);
    else
        snprintf(buf, len, "the secondary bus assigned to '%s'", fn_rec(bn->t, owner)->id);
}

/*
 * Number the bridges on bus `bus` (whose functions start at first) depth-first in devfn
 * order. limit is the subordinate bus of an explicit range above (-1: none) and limit_owner
 * its bridge. Returns the highest bus number at or below this bus.
 */
static int number_bus(struct busnum *bn, uint8_t bus, uint32_t first, int limit,
                      uint32_t limit_owner)
{
    struct topology *t = bn->t;
    int highest = bus;
    char who[128];

    for (uint32_t c = first; c != TOPO_NONE && bn->ok; c = fn_rec(t, c)->sibling) {
        struct topo_fn *f = fn_rec(t, c);
        bool explicit = f->sec_req >= 0;
        struct src_mark at = explicit ? f->sec_mark : f->mark;
        int s = explicit ? f->sec_req : bn->max_used + 1;
        int sub;

        if (!topo_kind_is_bridge((enum topo_kind)f->kind))
            continue;
        if (!explicit && s > 255) {
            diag_error(bn->diags, at,
                       "no bus number left for '%s': segment %04x has only 256 buses", f->id,
                       bn->segment);
            bn->ok = false;
            break;
        }
        if (explicit && s <= bus) {
            diag_error(bn->diags, at,
                       "secondary bus 0x%02x of '%s' is outside its parent's range: it must be "
                       "above bus 0x%02x, which '%s' sits on",
                       s, f->id, bus, f->id);
            bn->ok = false;
            continue;
        }
        if (limit >= 0 && s > limit && explicit) {
            diag_error(bn->diags, at,
                       "secondary bus 0x%02x of '%s' is outside the bus range %02x-%02x of '%s'", s,
                       f->id, (unsigned)topo_cfg_read(t, limit_owner, PCI_SECONDARY_BUS, 1), limit,
                       fn_rec(t, limit_owner)->id);
            bn->ok = false;
            continue;
        }
        if (limit >= 0 && s > limit) {
            diag_error(bn->diags, at,
                       "no bus left for '%s' in the bus range %02x-%02x of '%s' (the next free "
                       "bus is 0x%02x)",
                       f->id, (unsigned)topo_cfg_read(t, limit_owner, PCI_SECONDARY_BUS, 1), limit,
                       fn_rec(t, limit_owner)->id, s);
            bn->ok = false;
            continue;
        }
        if (bn->owner[s] != OWNER_FREE) {
            owner_phrase(bn, bn->owner[s], who, sizeof(who));
            diag_error(bn->diags, at, "%s bus 0x%02x of '%s' collides with %s",
                       explicit ? "secondary" : "assigned secondary", s, f->id, who);
            bn->ok = false;
            continue;
        }
        if (f->sub_req >= 0 && f->sub_req < s) {
            diag_error(bn->diags, f->sub_mark,
                       "subordinate bus 0x%02x of '%s' is below its secondary bus 0x%02x",
                       f->sub_req, f->id, s);
            bn->ok = false;
            continue;
        }
        if (f->sub_req >= 0 && limit >= 0 && f->sub_req > limit) {
            diag_error(bn->diags, f->sub_mark,
                       "subordinate bus 0x%02x of '%s' is outside the bus range %02x-%02x of '%s'",
                       f->sub_req, f->id,
                       (unsigned)topo_cfg_read(t, limit_owner, PCI_SECONDARY_BUS, 1), limit,
                       fn_rec(t, limit_owner)->id);
            bn->ok = false;
            continue;
        }
        bn->owner[s] = c;
        if (s > bn->max_used)
            bn->max_used = s;
        cfg_set(t, c, PCI_PRIMARY_BUS, 1, bus);
        cfg_set(t, c, PCI_SECONDARY_BUS, 1, (uint32_t)s);

        sub = number_bus(bn, (uint8_t)s, f->child, f->sub_req >= 0 ? f->sub_req : limit,
                         f->sub_req >= 0 ? c : limit_owner);
        if (f->sub_req >= 0) {
            sub = f->sub_req; /* a reserved range (hotplug) counts as used */
            if (sub > bn->max_used)
                bn->max_used = sub;
        }
        cfg_set(t, c, PCI_SUBORDINATE_BUS, 1, (uint32_t)sub);
        if (sub > highest)
            highest = sub;
    }
    return highest;
}

/* Every bus inside a bridge's range must belong to a bridge below it: ranges nest. */
static void check_ranges(struct busnum *bn)
{
    struct topology *t = bn->t;

    for (unsigned b = 0; b < 256; b++) {
        uint32_t x = bn->owner[b];
        unsigned sub;

        if (x == OWNER_FREE || (x & OWNER_HB))
            continue;
        sub = topo_cfg_read(t, x, PCI_SUBORDINATE_BUS, 1);
        for (unsigned s = b + 1; s <= sub; s++) {
            uint32_t y = bn->owner[s];
            unsigned primary;

            if (y == OWNER_FREE)
                continue;
            if (y & OWNER_HB) {
                diag_error(bn->diags, fn_rec(t, x)->mark,
                           "bus range %02x-%02x of '%s' contains the root bus 0x%02x of host "
                           "bridge '%s'",
                           b, sub, fn_rec(t, x)->id, s, t->hbs.v[y & ~OWNER_HB].pub.id);
                bn->ok = false;
                break;
            }
            primary = topo_cfg_read(t, y, PCI_PRIMARY_BUS, 1);
            if (primary < b || primary > sub) {
                const struct topo_fn *fy = fn_rec(t, y);

                diag_error(bn->diags, fy->sec_req >= 0 ? fy->sec_mark : fy->mark,
                           "secondary bus 0x%02x of '%s' lies inside the bus range %02x-%02x of "
                           "'%s', which is not above it",
                           s, fy->id, b, sub, fn_rec(t, x)->id);
                bn->ok = false;
                break;
            }
        }
    }
}

/* Sorting by packed keys: the order is total and needs no context pointer. */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/*
 * Set *order to the n indices sorted by key(i); keys are packed with the index in the low 32
 * bits, so equal keys cannot happen.
 */
static int sort_by_key(struct topology *t, uint32_t **order, size_t *count, size_t n,
                       uint64_t (*key)(const struct topology *, uint32_t))
{
    uint64_t *keys = malloc((n ? n : 1) * sizeof(*keys));
    uint32_t *v;

    if (!keys)
        return SIM_ENOMEM;
    v = realloc(*order, (n ? n : 1) * sizeof(*v));
    if (!v) {
        free(keys);
        return SIM_ENOMEM;
    }
    for (uint32_t i = 0; i < n; i++)
        keys[i] = key(t, i) << 32 | i;
    qsort(keys, n, sizeof(*keys), cmp_u64);
    for (size_t i = 0; i < n; i++)
        v[i] = (uint32_t)keys[i];
    free(keys);
    *order = v;
    *count = n;
    return SIM_OK;
}

static uint64_t hb_key(const struct topology *t, uint32_t h)
{
    return (uint64_t)t->hbs.v[h].pub.segment << 8 | t->hbs.v[h].pub.bus;
}

static uint64_t fn_key(const struct topology *t, uint32_t fn)
{
    struct bdf b = topo_fn_bdf(t, fn);

    return (uint64_t)b.domain << 16 | (uint64_t)b.bus << 8 | bdf_devfn(b);
}

static int number_buses(struct topology *t, struct diag_list *diags)
{
    struct busnum *bn = malloc(sizeof(*bn));
    int err;

    if (!bn)
        return SIM_ENOMEM;
    if ((err = sort_by_key(t, &t->hb_order.v, &t->hb_order.n, t->hbs.n, hb_key)) < 0)
        goto out;
    t->hb_order.cap = t->hb_order.n;

    bn->t = t;
    bn->diags = diags;
    bn->ok = true;
    for (size_t i = 0; i < t->hb_order.n; i++) {
        uint32_t h = t->hb_order.v[i];
        const struct hb_rec *hb = &t->hbs.v[h];
        char who[128];

        if (i == 0 || hb->pub.segment != bn->segment) {
            if (i > 0)
                check_ranges(bn);
            bn->segment = hb->pub.segment;
            for (unsigned b = 0; b < 256; b++)
                bn->owner[b] = OWNER_FREE;
            bn->max_used = -1;
            /* Root buses are fixed by the host bridges: claim them all before numbering. */
            for (size_t j = i; j < t->hb_order.n; j++) {
                const struct hb_rec *o = &t->hbs.v[t->hb_order.v[j]];

                if (o->pub.segment != bn->segment)
                    break;
                if (bn->owner[o->pub.bus] != OWNER_FREE) {
                    owner_phrase(bn, bn->owner[o->pub.bus], who, sizeof(who));
                    diag_error(diags, o->pub.mark,
                               "root bus 0x%02x of host bridge '%s' collides with %s", o->pub.bus,
                               o->pub.id, who);
                    bn->ok = false;
                    continue;
                }
                bn->owner[o->pub.bus] = OWNER_HB | t->hb_order.v[j];
            }
        }
        if (bn->owner[hb->pub.bus] != (OWNER_HB | h))
            continue;
        if (hb->pub.bus > bn->max_used)
            bn->max_used = hb->pub.bus;
        number_bus(bn, hb->pub.bus, hb->child, -1, TOPO_NONE);
    }
    if (t->hb_order.n)
        check_ranges(bn);
    err = bn->ok ? SIM_OK : SIM_EINVAL;
out:
    free(bn);
    return err;
}

static void check_dma_owners(struct topology *t, struct diag_list *diags, bool *ok)
{
    for (uint32_t h = 0; h < t->hbs.n; h++) {
        const struct topo_hb *hb = &t->hbs.v[h].pub;

        if (hb->dma_owner == TOPO_NONE)
            continue;
        if (fn_rec(t, hb->dma_owner)->hb == h) {
            diag_error(diags, hb->dma_owner_mark,
                       "dma_owner '%s' of host bridge '%s' is below that host bridge itself",
                       fn_rec(t, hb->dma_owner)->id, hb->id);
            *ok = false;
        }
    }
}

/* The union of the ranges a bridge must forward, per window kind; lo > hi while empty. */
struct span {
    uint64_t lo[3], hi[3];
};

static void span_add(struct span *s, enum topo_window w, uint64_t base, uint64_t last)
{
    if (base < s->lo[w])
        s->lo[w] = base;
    if (last > s->hi[w])
        s->hi[w] = last;
}

/*
 * Give a bridge without a `windows` key the windows firmware would give it: the smallest
 * windows, 4 KiB-granular for I/O and 1 MiB-granular for memory, that cover every assigned
 * BAR and ROM below it and every window of the bridges below it. Prefetchable BARs go to the
 * prefetchable window, others to the memory window. Post-order, so a bridge sees its
 * children's windows; a non-prefetchable BAR above 4 GiB has no window that can hold it
 * and is left out, to be reported as unreachable. Returns the spans of fn's bus.
 */
static void derive_windows(struct topology *t, uint32_t first, struct span *bus)
{
    for (uint32_t c = first; c != TOPO_NONE; c = fn_rec(t, c)->sibling) {
        const struct topo_fn *f = fn_rec(t, c);
        bool bridge = topo_kind_is_bridge((enum topo_kind)f->kind);
        struct topo_bar b;
        uint64_t wb, wl;

        if (bridge) {
            struct span below = { { UINT64_MAX, UINT64_MAX, UINT64_MAX }, { 0, 0, 0 } };

            derive_windows(t, f->child, &below);
            for (unsigned w = TOPO_WIN_IO; w <= TOPO_WIN_PREF && !(f->flags & FN_WINDOWS_GIVEN);
                 w++) {
                uint64_t gran = w == TOPO_WIN_IO ? 0xfff : 0xfffff;
                bool open = below.lo[w] <= below.hi[w];

                cfg_window_encode(t, c, (enum topo_window)w, open, below.lo[w] & ~gran,
                                  below.hi[w] | gran);
            }
            for (unsigned w = TOPO_WIN_IO; w <= TOPO_WIN_PREF; w++)
                if (topo_fn_window(t, c, (enum topo_window)w, &wb, &wl))
                    span_add(bus, (enum topo_window)w, wb, wl);
        }
        for (unsigned k = 0; k <= TOPO_ROM_INDEX; k++) {
            enum topo_window w;
            uint64_t last;

            if (!topo_fn_bar(t, c, k, &b) || !b.address)
                continue;
            last = b.address + (b.size - 1);
            w = b.type == TOPO_BAR_IO ? TOPO_WIN_IO : b.prefetchable ? TOPO_WIN_PREF : TOPO_WIN_MEM;
            if (w == TOPO_WIN_MEM && last > UINT32_MAX)
                continue;
            span_add(bus, w, b.address, last);
        }
    }
}

int topo_finalize(struct topology *t, struct diag_list *diags)
{
    bool ok = true;
    int err;

    if ((err = link_siblings(t, diags, &ok)) < 0)
        return err;
    check_dma_owners(t, diags, &ok);
    if (!ok)
        return SIM_EINVAL;
    for (uint32_t h = 0; h < t->hbs.n; h++) {
        mark_slots(t, t->hbs.v[h].child, TOPO_HOST_BRIDGE, t->hbs.v[h].pub.id, diags);
        check_placement(t, t->hbs.v[h].child, TOPO_HOST_BRIDGE, t->hbs.v[h].pub.id, diags);
    }
    for (uint32_t i = 0; i < t->fns.n; i++) {
        const struct topo_fn *f = fn_rec(t, i);

        mark_slots(t, f->child, (enum topo_kind)f->kind, f->id, diags);
        check_placement(t, f->child, (enum topo_kind)f->kind, f->id, diags);
    }
    if ((err = number_buses(t, diags)) < 0)
        return err;
    for (uint32_t h = 0; h < t->hbs.n; h++) {
        struct span root = { { UINT64_MAX, UINT64_MAX, UINT64_MAX }, { 0, 0, 0 } };

        derive_windows(t, t->hbs.v[h].child, &root);
    }
    if ((err = sort_by_key(t, &t->order.v, &t->order.n, t->fns.n, fn_key)) < 0)
        return err;
    t->order.cap = t->order.n;
    t->single_segment = true;
    for (uint32_t h = 0; h < t->hbs.n; h++)
        if (t->hbs.v[h].pub.segment != 0)
            t->single_segment = false;
    t->finalized = true;
    topo_check_invariants(t);
    return SIM_OK;
}

/* Report -- graphs: the machines as a Graphviz graph (cgraph), written as DOT or rendered. */
#include "sim/report/report_graph.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gvc.h>

#include "sim/iommu/iommu.h"
#include "sim/util/err.h"
#include "sim/util/strmap.h"
#include "sim/util/vec.h"

/* cgraph's API takes char * for strings it only reads; this is the one place const goes. */
static char *mut(const char *s)
{
    return (char *)(uintptr_t)s;
}

/*
 * Object IDs in creation order. cgraph 2.43's default discipline keys a named object by the
 * address of its interned name, and agwrite writes subgraphs in key order, so cluster order
 * in the DOT would follow malloc. This discipline numbers every object as it is created and
 * keeps the names itself (cgraph's own fallback map for declined names leaks its entries on
 * agclose), so subgraphs, like nodes and edges, are written in creation order.
 */
struct id_state {
    Agraph_t *g;  /* the root graph, whose string pool holds the names */
    char **names; /* names[id]: the object's name (agstrdup'd: agwrite asks the pool whether a
                     name is an HTML string), NULL when anonymous; owned */
    size_t n;     /* IDs handed out (the next one) */
    size_t cap;
    struct strmap by_name; /* name -> id; keys borrowed from names */
};

static void *id_open(Agraph_t *g, Agdisc_t *disc)
{
    struct id_state *s = calloc(1, sizeof(*s));

    (void)disc;
    if (s) {
        s->g = g;
        strmap_init(&s->by_name);
        s->n = 1; /* 0 is never an object's ID */
    }
    return s;
}

static long id_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
    struct id_state *s = state;
    char *copy = NULL;
    uint32_t v;

    (void)objtype;
    if (!s)
        return 0;
    if (str && strmap_get(&s->by_name, str, &v) == 0) {
        *id = v;
        return 1;
    }
    if (!createflag || s->n >= UINT32_MAX ||
        vec_grow_(&s->names, &s->cap, s->n + 1, sizeof(char *)) < 0 ||
        (str && !(copy = agstrdup(s->g, str))))
        return 0;
    if (copy && strmap_put(&s->by_name, copy, (uint32_t)s->n, NULL) < 0) {
        agstrfree(s->g, copy);
        return 0;
    }
    s->names[s->n] = copy;
    *id = s->n++;
    return 1;
}

static long id_alloc(void *state, int objtype, IDTYPE id)
{
    (void)state;
    (void)objtype;
    (void)id;
    return 0; /* agidnode() and friends are not used */
}

static void id_free(void *state, int objtype, IDTYPE id)
{
    (void)state;
    (void)objtype;
    (void)id; /* nothing is deleted before agclose */
}

static char *id_print(void *state, int objtype, IDTYPE id)
{
    struct id_state *s = state;

    (void)objtype;
    return s && id > 0 && id < s->n ? s->names[id] : NULL;
}

static void id_close(void *state)
{
    struct id_state *s = state;

    if (!s)
        return;
    for (size_t i = 1; i < s->n; i++)
        if (s->names[i])
            agstrfree(s->g, s->names[i]);
    free(s->names);
    strmap_fini(&s->by_name);
    free(s);
}

static void id_register(void *state, int objtype, void *obj)
{
    (void)state;
    (void)objtype;
    (void)obj;
}

static Agiddisc_t id_disc = { id_open, id_map, id_alloc, id_free, id_print, id_close, id_register };

/* agwrite into a strbuf, so that the file is written only once the text is complete. */
static int io_putstr(void *chan, const char *str)
{
    strbuf_puts(chan, str);
    return 0;
}

static int io_flush(void *chan)
{
    (void)chan;
    return 0;
}

static Agiodisc_t io_disc = { NULL, io_putstr, io_flush };

/* Graphviz reports errors through a global callback; they go to the caller's err. */
static struct strbuf *gv_err;

static int gv_err_cb(char *msg)
{
    if (gv_err && !gv_err->len) {
        size_t n = strlen(msg);

        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            n--;
        strbuf_add(gv_err, msg, n);
    }
    return 0;
}

int report_graph_format_parse(enum report_graph_format *out, const char *path)
{
    static const char *const suffix[] = { ".dot", ".svg", ".png" };
    size_t len = strlen(path);

    for (unsigned i = 0; i < 3; i++) {
        if (len > 4 && strcmp(path + len - 4, suffix[i]) == 0) {
            *out = (enum report_graph_format)i;
            return 0;
        }
    }
    return SIM_ENOTFOUND;
}

int report_graph_layers_parse(unsigned *out, const char *list)
{
    static const char *const names[] = { "groups", "aliases", "address-spaces", "all" };
    static const unsigned bits[] = { REPORT_GRAPH_GROUPS, REPORT_GRAPH_ALIASES,
                                     REPORT_GRAPH_ADDRESS_SPACES, REPORT_GRAPH_ALL };
    unsigned layers = 0;
    const char *p = list;

    for (;;) {
        size_t n = strcspn(p, ",");
        unsigned i;

        for (i = 0; i < 4; i++)
            if (strlen(names[i]) == n && strncmp(p, names[i], n) == 0)
                break;
        if (i == 4)
            return SIM_ENOTFOUND;
        layers |= bits[i];
        if (!p[n])
            break;
        p += n + 1;
    }
    *out = layers;
    return 0;
}

/* Everything one drawing needs. */
struct graph {
    const struct check_result *r;
    unsigned layers;
    Agraph_t *root;
    Agraph_t *machine[CHECK_MACHINE_COUNT]; /* the cluster of each machine present */
    /* per machine, per function: how many findings involve it (0: drawn black) */
    unsigned *involved[CHECK_MACHINE_COUNT];
    bool oom;
};

static const char *const red = "red3";

/* The node name of fn: machine and BDF, "host_d0000_b01_d00_f0". */
static void fn_name(char buf[40], enum check_machine m, const struct topology *t, uint32_t fn)
{
    struct bdf b = topo_fn_bdf(t, fn);

    snprintf(buf, 40, "%s_d%04x_b%02x_d%02x_f%x", check_machine_names[m], b.domain, b.bus, b.dev,
             b.fn);
}

static Agnode_t *fn_node(struct graph *gr, enum check_machine m, uint32_t fn)
{
    char name[40];

    fn_name(name, m, check_topology(gr->r, m), fn);
    return agnode(gr->root, name, 0);
}

static void set(void *obj, const char *attr, const char *value)
{
    agsafeset(obj, mut(attr), mut(value), mut(""));
}

/* Find the function a finding names: on its machine, else on the other one (a guest
 * finding may name the host functions behind it). */
static bool finding_fn(const struct check_result *r, const struct finding *f, size_t i,
                       enum check_machine *m, uint32_t *fn)
{
    enum check_machine order[2] = { f->machine,
                                    f->machine == CHECK_HOST ? CHECK_GUEST : CHECK_HOST };

    for (unsigned k = 0; k < 2; k++) {
        const struct topology *t = check_topology(r, order[k]);

        if (t && (*fn = topo_fn_find(t, f->functions[i])) != TOPO_NONE) {
            *m = order[k];
            return true;
        }
    }
    return false;
}

static int mark_findings(struct graph *gr)
{
    for (unsigned m = 0; m < CHECK_MACHINE_COUNT; m++) {
        const struct topology *t = check_topology(gr->r, (enum check_machine)m);

        if (t && !(gr->involved[m] = calloc(topo_fn_count(t) + 1, sizeof(unsigned))))
            return SIM_ENOMEM;
    }
    for (size_t i = 0; i < check_finding_count(gr->r); i++) {
        const struct finding *f = check_finding(gr->r, i);

        for (size_t k = 0; k < f->nfunctions; k++) {
            enum check_machine m;
            uint32_t fn;

            if (finding_fn(gr->r, f, k, &m, &fn))
                gr->involved[m][fn]++;
        }
    }
    return 0;
}

/* Whether fn is involved in a finding with one of the codes (any code when ncodes is 0). */
static bool fn_in_finding(const struct graph *gr, enum check_machine m, uint32_t fn,
                          const enum finding_code *codes, size_t ncodes)
{
    if (!gr->involved[m][fn])
        return false;
    for (size_t i = 0; i < check_finding_count(gr->r); i++) {
        const struct finding *f = check_finding(gr->r, i);
        bool code = ncodes == 0;

        for (size_t c = 0; c < ncodes; c++)
            code |= f->code == codes[c];
        for (size_t k = 0; code && k < f->nfunctions; k++) {
            enum check_machine fm;
            uint32_t ffn;

            if (finding_fn(gr->r, f, k, &fm, &ffn) && fm == m && ffn == fn)
                return true;
        }
    }
    return false;
}

/* Append a line per finding involving fn: "code" or "code subject". */
static void finding_lines(struct strbuf *l, const struct graph *gr, enum check_machine m,
                          uint32_t fn)
{
    const struct topology *t = check_topology(gr->r, m);

    for (size_t i = 0; gr->involved[m][fn] && i < check_finding_count(gr->r); i++) {
        const struct finding *f = check_finding(gr->r, i);

        for (size_t k = 0; k < f->nfunctions; k++) {
            enum check_machine fm;
            uint32_t ffn;

            if (!finding_fn(gr->r, f, k, &fm, &ffn) || fm != m || ffn != fn)
                continue;
            strbuf_printf(l, "\\n%s %s", f->severity == FINDING_ERROR ? "ERROR" : "warning",
                          finding_code_names[f->code]);
            if (strcmp(f->subject, topo_fn_id(t, fn)) != 0)
                strbuf_printf(l, " %s", f->subject);
            break;
        }
    }
}

static void paint_red(void *obj)
{
    set(obj, "color", red);
    set(obj, "fontcolor", red);
    set(obj, "penwidth", "2");
}

/* --- The tree ------------------------------------------------------------------------------ */

static Agraph_t *machine_cluster(struct graph *gr, enum check_machine m)
{
    const struct topology *t = check_topology(gr->r, m);
    const struct topo_platform *p = topo_platform_get(t);
    struct strbuf name = STRBUF_INIT, label = STRBUF_INIT;
    Agraph_t *c;

    strbuf_printf(&name, "cluster_%s", check_machine_names[m]);
    strbuf_printf(&label, "%s (%s", check_machine_names[m], topo_arch_names[p->arch]);
    if (!topo_iommu_count(t))
        strbuf_puts(&label, ", no IOMMU");
    strbuf_putc(&label, ')');
    c = agsubg(gr->root, mut(strbuf_cstr(&name)), 1);
    if (c) {
        set(c, "label", strbuf_cstr(&label));
        set(c, "style", "rounded");
        set(c, "color", "gray40");
        set(c, "fontsize", "14");
    }
    gr->oom |= name.oom || label.oom;
    strbuf_fini(&name);
    strbuf_fini(&label);
    return c;
}

/* The group clusters of machine m, by group number: IOMMU groups of Linux's numbering. */
static Agraph_t **group_clusters(struct graph *gr, enum check_machine m, Agraph_t *mc)
{
    const struct topology *t = check_topology(gr->r, m);
    const struct alias_groups *g = check_groups(gr->r, m);
    size_t n = alias_group_count(g);
    Agraph_t **v = calloc(n + 1, sizeof(*v));

    if (!v) {
        gr->oom = true;
        return NULL;
    }
    for (uint32_t gid = 0; gid < n; gid++) {
        struct strbuf name = STRBUF_INIT, label = STRBUF_INIT;

        strbuf_printf(&name, "cluster_%s_group%u", check_machine_names[m], gid);
        strbuf_printf(&label, "group %u (%s)", gid,
                      topo_iommu_get(t, alias_group_iommu(g, gid))->id);
        if ((v[gid] = agsubg(mc, mut(strbuf_cstr(&name)), 1))) {
            set(v[gid], "label", strbuf_cstr(&label));
            set(v[gid], "style", "filled,rounded");
            set(v[gid], "fillcolor", "#eef2fa");
            set(v[gid], "color", "#7f93c0");
        }
        gr->oom |= name.oom || label.oom;
        strbuf_fini(&name);
        strbuf_fini(&label);
    }
    return v;
}

/* The host bridge node: id, root bus and the IOMMUs that translate the DMA below it. */
static Agnode_t *hb_node(struct graph *gr, enum check_machine m, Agraph_t *mc, uint32_t hb)
{
    const struct topology *t = check_topology(gr->r, m);
    const struct topo_hb *h = topo_hb_get(t, hb);
    struct strbuf name = STRBUF_INIT, label = STRBUF_INIT;
    Agnode_t *n;

    strbuf_printf(&name, "%s_hb_d%04x_b%02x", check_machine_names[m], h->segment, h->bus);
    strbuf_printf(&label, "%s\\nhost bridge [%04x:%02x]", h->id, h->segment, h->bus);
    for (uint32_t ui = 0; ui < topo_iommu_count(t); ui++) {
        const struct topo_iommu *u = topo_iommu_get(t, ui);
        bool covers = u->ncovers == 0;

        for (size_t k = 0; k < u->ncovers; k++)
            covers |= u->covers[k] == hb;
        if (covers)
            strbuf_printf(&label, "\\nIOMMU %s %s %u-bit", u->id, topo_iommu_kind_names[u->kind],
                          u->address_bits);
    }
    for (size_t i = 0; i < topo_platform_get(t)->ndma_windows; i++) {
        const struct topo_dma_window *w = &topo_platform_get(t)->dma_windows[i];

        strbuf_printf(&label,
                      "\\nDMA window bus 0x%" PRIx64 "-0x%" PRIx64 " -> phys 0x%" PRIx64 "%s",
                      w->bus_base, w->bus_base + w->size - 1, w->phys_base,
                      w->scatter_gather ? " (scatter-gather)" : "");
    }
    if ((n = agnode(mc, mut(strbuf_cstr(&name)), 1))) {
        set(n, "label", strbuf_cstr(&label));
        set(n, "style", "filled");
        set(n, "fillcolor", "gray85");
    }
    gr->oom |= name.oom || label.oom || !n;
    strbuf_fini(&name);
    strbuf_fini(&label);
    return n;
}

static bool is_smmu(const struct topology *t, uint32_t iommu)
{
    return iommu != TOPO_NONE && topo_iommu_get(t, iommu)->kind == TOPO_IOMMU_SMMUV3;
}

static void fn_label(struct strbuf *l, const struct graph *gr, enum check_machine m, uint32_t fn)
{
    const struct topology *t = check_topology(gr->r, m);
    const struct alias_ctx *ctx = check_alias(gr->r, m);
    char b[BDF_STRLEN];
    uint8_t sec, sub;
    uint32_t sid, owner;

    strbuf_printf(l, "%s %s\\n%s", bdf_format(b, topo_fn_bdf(t, fn), !topo_single_segment(t)),
                  topo_fn_id(t, fn), topo_kind_name(topo_fn_kind(t, fn)));
    if (topo_fn_bus_range(t, fn, &sec, &sub))
        strbuf_printf(l, " bus=%02x-%02x", sec, sub);
    if (is_smmu(t, alias_fn_iommu(ctx, fn))) {
        struct iommu_ids ids;

        iommu_fn_ids(ctx, fn, &ids);
        strbuf_puts(l, ids.n ? "\\nsid" : "\\nno StreamID");
        for (size_t i = 0; i < ids.n; i++)
            strbuf_printf(l, " 0x%04x", ids.ids[i]);
        if (ids.unmapped)
            strbuf_printf(l, "\\nRID 0x%04x not in stream_map", ids.first_unmapped);
    }
    if (gr->layers & REPORT_GRAPH_ADDRESS_SPACES) {
        struct alias_as as = check_address_space(gr->r, m, fn);

        if (as.iommu != TOPO_NONE) {
            strbuf_puts(l, "\\nas ");
            alias_as_format(l, ctx, as);
        }
    }
    if (check_probe_failure(gr->r, m, fn, &sid, &owner))
        strbuf_printf(l, "\\nprobe failed: no group (sid 0x%04x taken by %s)", sid,
                      topo_fn_id(t, owner));
    finding_lines(l, gr, m, fn);
}

static int draw_machine(struct graph *gr, enum check_machine m)
{
    const struct topology *t = check_topology(gr->r, m);
    const struct alias_groups *g = check_groups(gr->r, m);
    Agraph_t *mc = gr->machine[m] = machine_cluster(gr, m);
    Agraph_t **groups = NULL;
    Agnode_t **hbs = calloc(topo_hb_count(t) + 1, sizeof(*hbs));

    if (!mc || !hbs) {
        free(hbs);
        return SIM_ENOMEM;
    }
    if (gr->layers & REPORT_GRAPH_GROUPS)
        groups = group_clusters(gr, m, mc);
    for (uint32_t i = 0; i < topo_hb_count(t); i++) {
        uint32_t hb = topo_hb_order(t, i);

        hbs[hb] = hb_node(gr, m, mc, hb);
    }
    /* Functions in (segment, bus, devfn) order, each in its group's cluster. */
    for (uint32_t i = 0; i < topo_fn_count(t) && !gr->oom; i++) {
        uint32_t fn = topo_fn_order(t, i), gid = alias_group_of(g, fn);
        enum topo_kind k = topo_fn_kind(t, fn);
        Agraph_t *home = groups && gid != ALIAS_NO_GROUP ? groups[gid] : mc;
        struct strbuf l = STRBUF_INIT;
        char name[40];
        Agnode_t *n;

        fn_name(name, m, t, fn);
        if (!home || !(n = agnode(home, name, 1))) {
            gr->oom = true;
            break;
        }
        fn_label(&l, gr, m, fn);
        set(n, "label", strbuf_cstr(&l));
        gr->oom |= l.oom;
        strbuf_fini(&l);
        if (topo_kind_is_bridge(k)) {
            set(n, "style", "filled");
            set(n, "fillcolor", "lightyellow");
        }
        if (gr->involved[m][fn])
            paint_red(n);
    }
    /* Tree edges, parent -> child, in the children's order. */
    for (uint32_t i = 0; i < topo_fn_count(t) && !gr->oom; i++) {
        uint32_t fn = topo_fn_order(t, i), parent = topo_fn_parent(t, fn);
        Agnode_t *from = parent == TOPO_NONE ? hbs[topo_fn_hb(t, fn)] : fn_node(gr, m, parent);

        if (!from || !agedge(gr->root, from, fn_node(gr, m, fn), NULL, 1))
            gr->oom = true;
    }
    free(groups);
    free(hbs);
    return gr->oom ? SIM_ENOMEM : 0;
}

/* --- Alias, passthrough and finding overlays --------------------------------------------- */

struct alias_owners {
    uint32_t fn;
    uint32_t owner[64];       /* distinct owners other than fn, in walk order */
    struct alias_rid rid[64]; /* the first RID each owner gave */
    size_t n;
    struct alias_rid same_bus[8]; /* fn's own aliases to other devfns */
    size_t nsame;
};

static int owners_cb(const struct alias_ctx *ctx, uint32_t owner, struct alias_rid rid, void *data)
{
    struct alias_owners *a = data;
    const struct topology *t = alias_ctx_topology(ctx);
    struct bdf b = topo_fn_bdf(t, a->fn);

    if (owner == a->fn) {
        if (rid.rid != (uint16_t)(b.bus << 8 | b.dev << 3 | b.fn) && a->nsame < 8)
            a->same_bus[a->nsame++] = rid;
        return 0;
    }
    for (size_t i = 0; i < a->n; i++)
        if (a->owner[i] == owner)
            return 0;
    if (a->n < 64) {
        a->owner[a->n] = owner;
        a->rid[a->n++] = rid;
    }
    return 0;
}

static bool is_ancestor(const struct topology *t, uint32_t a, uint32_t fn)
{
    while ((fn = topo_fn_parent(t, fn)) != TOPO_NONE)
        if (fn == a)
            return true;
    return false;
}

static void draw_aliases(struct graph *gr, enum check_machine m)
{
    static const enum finding_code codes[] = { FINDING_DUPLICATE_STREAM_ID,
                                               FINDING_REPEATED_STREAM_ID,
                                               FINDING_GROUP_IN_MULTIPLE_ADDRESS_SPACES };
    const struct topology *t = check_topology(gr->r, m);
    const struct alias_ctx *ctx = check_alias(gr->r, m);

    for (uint32_t i = 0; i < topo_fn_count(t) && !gr->oom; i++) {
        uint32_t fn = topo_fn_order(t, i);
        struct alias_owners a;
        struct iommu_ids ids;
        bool smmu = is_smmu(t, alias_fn_iommu(ctx, fn));
        bool hot = fn_in_finding(gr, m, fn, codes, 3);
        char b[BDF_STRLEN];

        a.fn = fn;
        a.n = a.nsame = 0;
        alias_for_each(ctx, fn, owners_cb, &a);
        if (smmu)
            iommu_fn_ids(ctx, fn, &ids);
        for (size_t k = 0; k < a.n; k++) {
            struct strbuf l = STRBUF_INIT;
            Agedge_t *e = agedge(gr->root, fn_node(gr, m, fn), fn_node(gr, m, a.owner[k]), NULL, 1);

            if (!e) {
                gr->oom = true;
                break;
            }
            strbuf_printf(&l, "DMA as %s", alias_rid_format(b, a.rid[k], false));
            for (size_t j = 0; smmu && j < ids.n; j++)
                if (ids.owners[j] == a.owner[k])
                    strbuf_printf(&l, "\\nsid 0x%04x", ids.ids[j]);
            set(e, "style", "dashed");
            set(e, "constraint", "false");
            /* A label on an edge within one rank crashes dot 2.43's cleanup (double free);
             * an ancestor is always ranks above, anything else gets an external label. */
            set(e, is_ancestor(t, a.owner[k], fn) ? "label" : "xlabel", strbuf_cstr(&l));
            set(e, "color", hot ? red : "#3060c0");
            set(e, "fontcolor", hot ? red : "#3060c0");
            if (hot)
                set(e, "penwidth", "2");
            gr->oom |= l.oom;
            strbuf_fini(&l);
        }
        for (size_t k = 0; k < a.nsame; k++) {
            struct alias_rid r = a.same_bus[k];
            struct bdf to = { r.segment, (uint8_t)(r.rid >> 8), (uint8_t)((r.rid >> 3) & 0x1f),
                              (uint8_t)(r.rid & 7) };
            uint32_t other = topo_fn_find_bdf(t, to);
            Agedge_t *e;

            if (other == TOPO_NONE || other == fn)
                continue;
            if (!(e = agedge(gr->root, fn_node(gr, m, fn), fn_node(gr, m, other), NULL, 1))) {
                gr->oom = true;
                break;
            }
            set(e, "style", "dashed");
            set(e, "constraint", "false");
            set(e, "xlabel", "DMA alias");
            set(e, "color", hot ? red : "#3060c0");
            set(e, "fontcolor", hot ? red : "#3060c0");
        }
    }
}

static void draw_passthrough(struct graph *gr)
{
    const struct topology *guest = check_topology(gr->r, CHECK_GUEST);
    const struct topology *host = check_topology(gr->r, CHECK_HOST);

    for (uint32_t i = 0; guest && host && i < topo_fn_count(guest) && !gr->oom; i++) {
        uint32_t fn = topo_fn_order(guest, i), hfn = topo_fn_passthrough(guest, fn);
        bool hot;
        Agedge_t *e;

        if (hfn == TOPO_NONE)
            continue;
        hot = gr->involved[CHECK_GUEST][fn] || gr->involved[CHECK_HOST][hfn];
        e = agedge(gr->root, fn_node(gr, CHECK_GUEST, fn), fn_node(gr, CHECK_HOST, hfn), NULL, 1);
        if (!e) {
            gr->oom = true;
            return;
        }
        set(e, "constraint", "false");
        set(e, "penwidth", "2.5");
        set(e, "color", hot ? red : "#208020");
        set(e, "fontcolor", hot ? red : "#208020");
    }
}

/* Findings that name no function (an IOMMU, an MMIO window) go in a note per machine. */
static void draw_loose_findings(struct graph *gr, enum check_machine m)
{
    struct strbuf l = STRBUF_INIT, name = STRBUF_INIT;
    Agnode_t *n;

    for (size_t i = 0; i < check_finding_count(gr->r); i++) {
        const struct finding *f = check_finding(gr->r, i);

        if (f->machine != m || f->nfunctions)
            continue;
        strbuf_printf(&l, "%s %s %s\\l", f->severity == FINDING_ERROR ? "ERROR" : "warning",
                      finding_code_names[f->code], f->subject);
    }
    if (l.len) {
        strbuf_printf(&name, "%s_findings", check_machine_names[m]);
        if ((n = agnode(gr->machine[m], mut(strbuf_cstr(&name)), 1))) {
            set(n, "shape", "note");
            set(n, "style", "");
            set(n, "label", strbuf_cstr(&l));
            paint_red(n);
        }
        gr->oom |= !n;
    }
    gr->oom |= l.oom || name.oom;
    strbuf_fini(&l);
    strbuf_fini(&name);
}

/* Host groups named by a VFIO finding ("group 1") get its code on their cluster. */
static void mark_groups(struct graph *gr)
{
    const struct alias_groups *g = check_groups(gr->r, CHECK_HOST);

    for (size_t i = 0; g && i < check_finding_count(gr->r); i++) {
        const struct finding *f = check_finding(gr->r, i);
        struct strbuf name = STRBUF_INIT, label = STRBUF_INIT;
        unsigned gid;
        Agraph_t *c;

        if ((f->code != FINDING_GROUP_IN_MULTIPLE_ADDRESS_SPACES &&
             f->code != FINDING_PARTIAL_GROUP_ASSIGNMENT) ||
            sscanf(f->subject, "group %u", &gid) != 1 || gid >= alias_group_count(g))
            continue;
        strbuf_printf(&name, "cluster_host_group%u", gid);
        if ((c = agsubg(gr->machine[CHECK_HOST], mut(strbuf_cstr(&name)), 0))) {
            strbuf_printf(&label, "%s\\n%s", agget(c, mut("label")), finding_code_names[f->code]);
            set(c, "label", strbuf_cstr(&label));
            paint_red(c);
        }
        gr->oom |= name.oom || label.oom;
        strbuf_fini(&name);
        strbuf_fini(&label);
    }
}

static void legend(struct graph *gr, const char *scenario)
{
    struct strbuf l = STRBUF_INIT;
    size_t errors = 0, n = check_finding_count(gr->r);

    for (size_t i = 0; i < n; i++)
        errors += check_finding(gr->r, i)->severity == FINDING_ERROR;
    strbuf_printf(&l, "%s: ", scenario);
    if (n)
        strbuf_printf(&l, "%zu finding%s (%zu error%s) in red", n, n == 1 ? "" : "s", errors,
                      errors == 1 ? "" : "s");
    else
        strbuf_puts(&l, "no findings");
    strbuf_puts(&l, "\\nsolid: PCI tree");
    if (gr->layers & REPORT_GRAPH_GROUPS)
        strbuf_puts(&l, "; shaded boxes: IOMMU groups");
    if (gr->layers & REPORT_GRAPH_ALIASES)
        strbuf_puts(&l, "; dashed: DMA carries that function's requester ID");
    if (check_topology(gr->r, CHECK_GUEST) && check_topology(gr->r, CHECK_HOST))
        strbuf_puts(&l, "; bold: guest function -> assigned host function");
    if (gr->layers & REPORT_GRAPH_ADDRESS_SPACES)
        strbuf_puts(&l, "; as: DMA address space");
    set(gr->root, "label", strbuf_cstr(&l));
    gr->oom |= l.oom;
    strbuf_fini(&l);
}

/* Graph-wide defaults, declared once and in a fixed order (agwrite prints them so). */
static void defaults(Agraph_t *g)
{
    agattr(g, AGRAPH, mut("rankdir"), mut("TB"));
    agattr(g, AGRAPH, mut("labelloc"), mut("t"));
    agattr(g, AGRAPH, mut("fontname"), mut("Helvetica"));
    agattr(g, AGRAPH, mut("fontsize"), mut("12"));
    agattr(g, AGRAPH, mut("nodesep"), mut("0.25"));
    agattr(g, AGRAPH, mut("ranksep"), mut("0.45"));
    agattr(g, AGRAPH, mut("label"), mut(""));
    agattr(g, AGRAPH, mut("style"), mut(""));
    agattr(g, AGRAPH, mut("color"), mut("black"));
    agattr(g, AGRAPH, mut("fillcolor"), mut(""));
    agattr(g, AGRAPH, mut("fontcolor"), mut("black"));
    agattr(g, AGRAPH, mut("penwidth"), mut("1"));
    agattr(g, AGNODE, mut("shape"), mut("box"));
    agattr(g, AGNODE, mut("style"), mut("rounded"));
    agattr(g, AGNODE, mut("fontname"), mut("Helvetica"));
    agattr(g, AGNODE, mut("fontsize"), mut("10"));
    agattr(g, AGNODE, mut("label"), mut("\\N"));
    agattr(g, AGNODE, mut("fillcolor"), mut(""));
    agattr(g, AGNODE, mut("color"), mut("black"));
    agattr(g, AGNODE, mut("fontcolor"), mut("black"));
    agattr(g, AGNODE, mut("penwidth"), mut("1"));
    agattr(g, AGEDGE, mut("fontname"), mut("Helvetica"));
    agattr(g, AGEDGE, mut("fontsize"), mut("9"));
    agattr(g, AGEDGE, mut("label"), mut(""));
    agattr(g, AGEDGE, mut("xlabel"), mut(""));
    agattr(g, AGEDGE, mut("style"), mut(""));
    agattr(g, AGEDGE, mut("constraint"), mut("true"));
    agattr(g, AGEDGE, mut("color"), mut("black"));
    agattr(g, AGEDGE, mut("fontcolor"), mut("black"));
    agattr(g, AGEDGE, mut("penwidth"), mut("1"));
}

static int build(struct graph *gr, const char *scenario)
{
    Agdisc_t disc = { &AgMemDisc, &id_disc, &io_disc };
    int err;

    /* cgraph copies the discipline pointers it keeps (agopen stores the three members). */
    if (!(gr->root = agopen(mut(scenario), Agdirected, &disc)))
        return SIM_ENOMEM;
    defaults(gr->root);
    if ((err = mark_findings(gr)) < 0)
        return err;
    legend(gr, scenario);
    for (unsigned m = 0; m < CHECK_MACHINE_COUNT; m++)
        if (check_topology(gr->r, (enum check_machine)m) &&
            (err = draw_machine(gr, (enum check_machine)m)) < 0)
            return err;
    for (unsigned m = 0; m < CHECK_MACHINE_COUNT && !gr->oom; m++) {
        if (!check_topology(gr->r, (enum check_machine)m))
            continue;
        draw_loose_findings(gr, (enum check_machine)m);
        if (gr->layers & REPORT_GRAPH_ALIASES)
            draw_aliases(gr, (enum check_machine)m);
    }
    draw_passthrough(gr);
    if (gr->layers & REPORT_GRAPH_GROUPS && check_topology(gr->r, CHECK_HOST))
        mark_groups(gr);
    return gr->oom ? SIM_ENOMEM : 0;
}

static int write_file(const char *path, const char *data, size_t len, struct strbuf *err)
{
    FILE *f = fopen(path, "wb");

    if (!f) {
        strbuf_printf(err, "cannot write %s: %s", path, strerror(errno));
        return SIM_EIO;
    }
    if (fwrite(data, 1, len, f) != len) {
        strbuf_printf(err, "cannot write %s: %s", path, strerror(errno));
        (void)fclose(f);
        (void)remove(path);
        return SIM_EIO;
    }
    if (fclose(f) != 0) {
        strbuf_printf(err, "cannot write %s: %s", path, strerror(errno));
        (void)remove(path);
        return SIM_EIO;
    }
    return 0;
}

static int render(Agraph_t *g, enum report_graph_format fmt, const char *path, struct strbuf *err)
{
    GVC_t *gvc = gvContext();
    char *data = NULL;
    unsigned len = 0;
    int rc = 0;

    if (!gvc)
        return SIM_ENOMEM;
    if (gvLayout(gvc, g, "dot") != 0) {
        if (!err->len)
            strbuf_puts(err, "Graphviz could not lay out the graph");
        gvFreeContext(gvc);
        return SIM_EIO;
    }
    if (gvRenderData(gvc, g, fmt == REPORT_GRAPH_SVG ? "svg" : "png", &data, &len) != 0 || !data) {
        if (!err->len)
            strbuf_printf(err, "Graphviz cannot render %s (is its %s plugin installed?)", path,
                          fmt == REPORT_GRAPH_SVG ? "svg" : "png");
        rc = SIM_EIO;
    } else {
        rc = write_file(path, data, len, err);
    }
    if (data)
        gvFreeRenderData(data);
    gvFreeLayout(gvc, g);
    gvFreeContext(gvc);
    return rc;
}

int report_graph(const struct check_result *r, const char *scenario, unsigned layers,
                 const char *out_path, struct strbuf *err)
{
    struct graph gr;
    enum report_graph_format fmt;
    agusererrf old_errf;
    int rc;

    if (report_graph_format_parse(&fmt, out_path) < 0) {
        strbuf_printf(err, "%s: the output must end in .dot, .svg or .png", out_path);
        return SIM_EINVAL;
    }
    memset(&gr, 0, sizeof(gr));
    gr.r = r;
    gr.layers = layers;
    gv_err = err;
    old_errf = agseterrf(gv_err_cb);
    rc = build(&gr, scenario);
    if (rc == 0 && fmt == REPORT_GRAPH_DOT) {
        struct strbuf dot = STRBUF_INIT;

        if (agwrite(gr.root, &dot) != 0 || dot.oom)
            rc = SIM_ENOMEM;
        else
            rc = write_file(out_path, strbuf_cstr(&dot), dot.len, err);
        strbuf_fini(&dot);
    } else if (rc == 0) {
        rc = render(gr.root, fmt, out_path, err);
    }
    if (rc == SIM_ENOMEM && !err->len)
        strbuf_puts(err, "out of memory while drawing the graph");
    if (gr.root)
        agclose(gr.root);
    for (unsigned m = 0; m < CHECK_MACHINE_COUNT; m++)
        free(gr.involved[m]);
    agseterrf(old_errf);
    gv_err = NULL;
    return rc;
}

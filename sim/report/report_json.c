/* Report -- JSON documents (FORMAT.md section 3), built with jansson. */
#include "sim/report/report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sim/iommu/iommu.h"
#include "sim/topology/pci_regs.h"
#include "sim/util/err.h"

/* 64-bit values do not survive parsers that read numbers as doubles: "0x..." strings. */
static json_t *hex(uint64_t v)
{
    char buf[24];

    snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
    return json_string(buf);
}

static json_t *acs_json(uint16_t bits)
{
    static const char *const names[] = { "sv", "tb", "rr", "cr", "uf", "ec", "dt" };
    json_t *a = json_array();

    for (unsigned i = 0; i < 7; i++)
        if (bits & (1u << i))
            json_array_append_new(a, json_string(names[i]));
    return a;
}

static json_t *bar_json(const struct topo_bar *b)
{
    json_t *o = json_object();

    if (b->index != TOPO_ROM_INDEX) {
        json_object_set_new(o, "index", json_integer(b->index));
        json_object_set_new(o, "type", json_string(topo_bar_type_names[b->type]));
        json_object_set_new(o, "prefetchable", json_boolean(b->prefetchable));
    }
    json_object_set_new(o, "size", hex(b->size));
    json_object_set_new(o, "address", b->address ? hex(b->address) : json_null());
    if (b->index == TOPO_ROM_INDEX)
        json_object_set_new(o, "enabled", json_boolean(b->enabled));
    else
        json_object_set_new(o, "ram", json_boolean(b->ram));
    return o;
}

static json_t *fn_json(const struct topology *t, const struct topology *host, uint32_t fn)
{
    json_t *o = json_object(), *bars = json_array(), *a;
    char bdf[BDF_STRLEN];
    struct topo_bar bar;
    uint16_t cap, ctrl, cmd = topo_fn_command(t, fn);
    uint8_t sec, sub;
    uint32_t parent = topo_fn_parent(t, fn);
    bool ap;
    size_t n;

    json_object_set_new(o, "id", json_string(topo_fn_id(t, fn)));
    json_object_set_new(o, "bdf",
                        json_string(bdf_format(bdf, topo_fn_bdf(t, fn), !topo_single_segment(t))));
    json_object_set_new(o, "kind", json_string(topo_kind_name(topo_fn_kind(t, fn))));
    json_object_set_new(o, "vendor", hex(topo_fn_vendor(t, fn)));
    json_object_set_new(o, "device", hex(topo_fn_device(t, fn)));
    json_object_set_new(o, "class", hex(topo_fn_class(t, fn)));
    json_object_set_new(o, "host_bridge", json_string(topo_hb_get(t, topo_fn_hb(t, fn))->id));
    json_object_set_new(o, "parent",
                        parent == TOPO_NONE ? json_null() : json_string(topo_fn_id(t, parent)));
    json_object_set_new(o, "multifunction", json_boolean(topo_fn_is_multifunction(t, fn)));
    if (topo_fn_bus_range(t, fn, &sec, &sub)) {
        json_t *w = json_object();

        json_object_set_new(o, "secondary", hex(sec));
        json_object_set_new(o, "subordinate", hex(sub));
        for (unsigned i = TOPO_WIN_IO; i <= TOPO_WIN_PREF; i++) {
            uint64_t base, limit;

            if (topo_fn_window(t, fn, (enum topo_window)i, &base, &limit)) {
                a = json_array();
                json_array_append_new(a, hex(base));
                json_array_append_new(a, hex(limit));
                json_object_set_new(w, topo_window_names[i], a);
            } else {
                json_object_set_new(w, topo_window_names[i], json_null());
            }
        }
        json_object_set_new(o, "windows", w);
    }
    if (topo_fn_acs(t, fn, &cap, &ctrl)) {
        a = json_object();
        json_object_set_new(a, "cap", acs_json(cap));
        json_object_set_new(a, "ctrl", acs_json(ctrl));
        json_object_set_new(o, "acs", a);
    } else {
        json_object_set_new(o, "acs", json_null());
    }
    for (unsigned i = 0; i < TOPO_ROM_INDEX; i++)
        if (topo_fn_bar(t, fn, i, &bar))
            json_array_append_new(bars, bar_json(&bar));
    json_object_set_new(o, "bars", bars);
    json_object_set_new(o, "rom",
                        topo_fn_bar(t, fn, TOPO_ROM_INDEX, &bar) ? bar_json(&bar) : json_null());
    a = json_object();
    json_object_set_new(a, "memory", json_boolean(cmd & PCI_COMMAND_MEMORY));
    json_object_set_new(a, "io", json_boolean(cmd & PCI_COMMAND_IO));
    json_object_set_new(a, "bus_master", json_boolean(cmd & PCI_COMMAND_MASTER));
    json_object_set_new(o, "command", a);
    {
        const struct topo_devfn_range *al = topo_fn_dma_alias(t, fn, &n);

        a = json_array();
        for (size_t i = 0; i < n; i++) {
            char x[DEVFN_STRLEN], y[DEVFN_STRLEN], buf[24];

            devfn_format(x, al[i].first);
            devfn_format(y, al[i].last);
            snprintf(buf, sizeof(buf), al[i].first == al[i].last ? "%s" : "%s-%s", x, y);
            json_array_append_new(a, json_string(buf));
        }
        json_object_set_new(o, "dma_alias", a);
    }
    a = json_array();
    for (unsigned q = 0; q < TOPO_QUIRK_COUNT; q++)
        if (topo_fn_quirks(t, fn) & (1u << q))
            json_array_append_new(a, json_string(topo_quirk_names[q]));
    json_object_set_new(o, "quirks", a);
    json_object_set_new(o, "dma_bits", json_integer(topo_fn_dma_bits(t, fn)));
    json_object_set_new(o, "driver", json_string(topo_driver_names[topo_fn_driver(t, fn)]));
    if (topo_fn_virtio(t, fn, &ap)) {
        a = json_object();
        json_object_set_new(a, "access_platform", json_boolean(ap));
        json_object_set_new(o, "virtio", a);
    }
    if (host && topo_fn_passthrough(t, fn) != TOPO_NONE)
        json_object_set_new(o, "passthrough",
                            json_string(topo_fn_id(host, topo_fn_passthrough(t, fn))));
    return o;
}

static json_t *range_json(const struct addr_range *r)
{
    json_t *o = json_object();

    json_object_set_new(o, "base", hex(r->base));
    json_object_set_new(o, "size", hex(r->size));
    return o;
}

static json_t *resv_json(const struct topo_resv *r)
{
    json_t *o = json_object();

    json_object_set_new(o, "base", hex(r->base));
    json_object_set_new(o, "size", hex(r->size));
    json_object_set_new(o, "kind", json_string(topo_resv_kind_names[r->kind]));
    return o;
}

static json_t *platform_json(const struct topo_platform *p)
{
    json_t *o = json_object(), *a;

    json_object_set_new(o, "arch", json_string(topo_arch_names[p->arch]));
    json_object_set_new(o, "cpu_phys_bits",
                        p->cpu_phys_bits ? json_integer(p->cpu_phys_bits) : json_null());
    json_object_set_new(o, "guest_phys_bits",
                        p->guest_phys_bits ? json_integer(p->guest_phys_bits) : json_null());
    a = json_array();
    for (size_t i = 0; i < p->nram; i++)
        json_array_append_new(a, range_json(&p->ram[i]));
    json_object_set_new(o, "ram", a);
    json_object_set_new(o, "mmio32", p->has_mmio32 ? range_json(&p->mmio32) : json_null());
    json_object_set_new(o, "mmio64", p->has_mmio64 ? range_json(&p->mmio64) : json_null());
    json_object_set_new(o, "os_enables_acs", json_boolean(p->os_enables_acs));
    json_object_set_new(o, "pci_allow_0_address", json_boolean(p->pci_allow_0_address));
    a = json_array();
    for (size_t i = 0; i < p->ndma_windows; i++) {
        json_t *w = json_object();

        json_object_set_new(w, "bus_base", hex(p->dma_windows[i].bus_base));
        json_object_set_new(w, "size", hex(p->dma_windows[i].size));
        json_object_set_new(w, "phys_base", hex(p->dma_windows[i].phys_base));
        json_object_set_new(w, "scatter_gather", json_boolean(p->dma_windows[i].scatter_gather));
        json_array_append_new(a, w);
    }
    json_object_set_new(o, "dma_windows", a);
    return o;
}

static json_t *iommu_json(const struct topology *t, const struct topo_iommu *u)
{
    json_t *o = json_object(), *a;

    json_object_set_new(o, "id", json_string(u->id));
    json_object_set_new(o, "kind", json_string(topo_iommu_kind_names[u->kind]));
    json_object_set_new(o, "address_bits", json_integer(u->address_bits));
    json_object_set_new(o, "dma_limit_bits",
                        u->dma_limit_bits ? json_integer(u->dma_limit_bits) : json_null());
    a = json_array();
    for (uint32_t h = 0; h < topo_hb_count(t); h++) {
        bool mine = u->ncovers == 0;

        for (size_t c = 0; c < u->ncovers; c++)
            mine |= u->covers[c] == h;
        if (mine)
            json_array_append_new(a, json_string(topo_hb_get(t, h)->id));
    }
    json_object_set_new(o, "covers", a);
    a = json_array();
    for (size_t i = 0; i < u->nreserved; i++)
        json_array_append_new(a, resv_json(&u->reserved[i]));
    json_object_set_new(o, "reserved", a);
    a = json_array();
    for (size_t i = 0; i < u->nstream_map; i++) {
        const struct topo_stream_map *m = &u->stream_map[i];
        json_t *e = json_object();

        if (m->has_segment)
            json_object_set_new(e, "segment", hex(m->segment));
        if (m->single) {
            json_object_set_new(e, "sid", hex(m->sid_base));
            json_object_set_new(e, "single", json_true());
        } else {
            json_object_set_new(e, "rid_base", hex(m->rid_base));
            json_object_set_new(e, "count", hex(m->count));
            json_object_set_new(e, "sid_base", hex(m->sid_base));
        }
        json_array_append_new(a, e);
    }
    json_object_set_new(o, "stream_map", a);
    return o;
}

struct alias_json {
    json_t *array;
    bool with_segment;
};

static int alias_json_cb(const struct alias_ctx *ctx, uint32_t owner, struct alias_rid rid,
                         void *data)
{
    struct alias_json *a = data;
    char b[BDF_STRLEN];

    (void)ctx;
    (void)owner;
    json_array_append_new(a->array, json_string(alias_rid_format(b, rid, a->with_segment)));
    return 0;
}

static const char *vfio_key_json(enum bar_vfio v)
{
    switch (v) {
    case BAR_VFIO_NONE:
        return NULL;
    case BAR_VFIO_MAPPED:
        return "mapped";
    case BAR_VFIO_FAILED:
        return "failed";
    case BAR_VFIO_FILTERED:
        return "filtered";
    case BAR_VFIO_NOT_VISIBLE:
        return "not-visible";
    }
    return NULL;
}

static json_t *finding_json(const struct finding *f)
{
    json_t *o = json_object(), *fns = json_array();

    json_object_set_new(o, "code", json_string(finding_code_names[f->code]));
    json_object_set_new(o, "severity",
                        json_string(f->severity == FINDING_ERROR ? "error" : "warning"));
    json_object_set_new(o, "machine", json_string(check_machine_names[f->machine]));
    json_object_set_new(o, "subject", json_string(f->subject));
    for (size_t i = 0; i < f->nfunctions; i++)
        json_array_append_new(fns, json_string(f->functions[i]));
    json_object_set_new(o, "functions", fns);
    json_object_set_new(o, "message", json_string(f->message));
    return o;
}

/* The keys of one function that an analysis adds. */
static void analysis_json(json_t *o, const struct check_result *r, enum check_machine m,
                          uint32_t fn, unsigned keys)
{
    const struct topology *t = check_topology(r, m);

    if (keys & REPORT_ALIASES) {
        struct alias_json a = { json_array(), false };
        struct bdf own = topo_fn_bdf(t, fn);

        /* a VMD child's aliases live in another segment: then say which */
        a.with_segment =
            !topo_single_segment(t) ||
            topo_fn_bdf(t, alias_fn_dma_owner(check_alias(r, m), fn)).domain != own.domain;
        alias_for_each(check_alias(r, m), fn, alias_json_cb, &a);
        json_object_set_new(o, "aliases", a.array);
    }
    if (keys & REPORT_IDS) {
        struct iommu_ids ids;

        iommu_fn_ids(check_alias(r, m), fn, &ids);
        if (ids.iommu != TOPO_NONE) {
            json_t *a = json_array();
            char buf[16];

            for (size_t i = 0; i < ids.n; i++) {
                snprintf(buf, sizeof(buf), "0x%04x", ids.ids[i]);
                json_array_append_new(a, json_string(buf));
            }
            /* FORMAT.md section 3 names them stream_ids under every IOMMU kind: StreamIDs on
             * an SMMU, the requester IDs (source IDs) a VT-d or AMD-Vi unit sees otherwise */
            json_object_set_new(o, "stream_ids", a);
        }
    }
    if (keys & REPORT_GROUPS) {
        uint32_t g = alias_group_of(check_groups(r, m), fn);

        json_object_set_new(o, "group", g == ALIAS_NO_GROUP ? json_null() : json_integer(g));
    }
    if (keys & REPORT_ADDRESS_SPACES) {
        struct strbuf sb = STRBUF_INIT;
        struct alias_as as = check_address_space(r, m, fn);

        if (as.iommu == TOPO_NONE) {
            json_object_set_new(o, "address_space", json_null());
        } else {
            alias_as_format(&sb, check_alias(r, m), as);
            json_object_set_new(o, "address_space", json_string(strbuf_cstr(&sb)));
        }
        strbuf_fini(&sb);
    }
}

static json_t *groups_json(const struct check_result *r, enum check_machine m, unsigned keys)
{
    const struct topology *t = check_topology(r, m);
    const struct alias_groups *g = check_groups(r, m);
    json_t *a = json_array();

    for (uint32_t gid = 0; gid < alias_group_count(g); gid++) {
        json_t *o = json_object(), *mem = json_array();
        size_t n;
        const uint32_t *fns = alias_group_members(g, gid, &n);

        json_object_set_new(o, "group", json_integer(gid));
        json_object_set_new(o, "iommu",
                            json_string(topo_iommu_get(t, alias_group_iommu(g, gid))->id));
        for (size_t i = 0; i < n; i++)
            json_array_append_new(mem, json_string(topo_fn_id(t, fns[i])));
        json_object_set_new(o, "members", mem);
        if (keys & REPORT_EXPLAIN) {
            json_t *why = json_array();
            const struct alias_reason *rs = alias_group_reasons(g, gid, &n);

            for (size_t i = 0; i < n; i++) {
                struct strbuf sb = STRBUF_INIT;

                alias_reason_format(&sb, check_alias(r, m), &rs[i]);
                json_array_append_new(why, json_string(strbuf_cstr(&sb)));
                strbuf_fini(&sb);
            }
            json_object_set_new(o, "reasons", why);
        }
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *ranges_json(const struct iova_set *set)
{
    json_t *a = json_array();

    for (size_t i = 0; i < set->n; i++) {
        json_t *pair = json_array();

        json_array_append_new(pair, hex(set->v[i].start));
        json_array_append_new(pair, hex(set->v[i].end));
        json_array_append_new(a, pair);
    }
    return a;
}

/* Per IOMMU (reserved, vfio, usable), then per group (vfio, usable), in index order. */
static json_t *iova_json(const struct check_result *r, enum check_machine m)
{
    const struct topology *t = check_topology(r, m);
    const struct alias_ctx *ctx = check_alias(r, m);
    const struct alias_groups *g = check_groups(r, m);
    json_t *a = json_array();

    for (uint32_t ui = 0; ui < topo_iommu_count(t); ui++) {
        struct iova_set resv = { NULL, 0, 0 }, vfio = { NULL, 0, 0 }, use = { NULL, 0, 0 };
        json_t *o = json_object();

        iommu_reserved(topo_iommu_get(t, ui), &resv);
        iommu_iova_unit(ctx, ui, &vfio, &use);
        json_object_set_new(o, "iommu", json_string(topo_iommu_get(t, ui)->id));
        json_object_set_new(o, "reserved", ranges_json(&resv));
        json_object_set_new(o, "vfio", ranges_json(&vfio));
        json_object_set_new(o, "usable", ranges_json(&use));
        json_array_append_new(a, o);
        iova_set_fini(&resv);
        iova_set_fini(&vfio);
        iova_set_fini(&use);
    }
    for (uint32_t gid = 0; gid < alias_group_count(g); gid++) {
        struct iova_set vfio = { NULL, 0, 0 }, use = { NULL, 0, 0 };
        json_t *o = json_object();

        iommu_iova_group(ctx, g, gid, &vfio, &use);
        json_object_set_new(o, "group", json_integer(gid));
        json_object_set_new(o, "iommu",
                            json_string(topo_iommu_get(t, alias_group_iommu(g, gid))->id));
        json_object_set_new(o, "vfio", ranges_json(&vfio));
        json_object_set_new(o, "usable", ranges_json(&use));
        json_array_append_new(a, o);
        iova_set_fini(&vfio);
        iova_set_fini(&use);
    }
    return a;
}

static json_t *machine_json(const struct check_result *r, enum check_machine m, unsigned keys)
{
    const struct topology *t = check_topology(r, m);
    const struct topology *host = check_topology(r, CHECK_HOST);
    json_t *o = json_object(), *a;

    if (keys & REPORT_TOPOLOGY) {
        json_object_set_new(o, "platform", platform_json(topo_platform_get(t)));
        a = json_array();
        for (uint32_t i = 0; i < topo_iommu_count(t); i++)
            json_array_append_new(a, iommu_json(t, topo_iommu_get(t, i)));
        json_object_set_new(o, "iommus", a);
        a = json_array();
        for (uint32_t i = 0; i < topo_hb_count(t); i++) {
            const struct topo_hb *hb = topo_hb_get(t, topo_hb_order(t, i));
            json_t *h = json_object();

            json_object_set_new(h, "id", json_string(hb->id));
            json_object_set_new(h, "segment", hex(hb->segment));
            json_object_set_new(h, "bus", hex(hb->bus));
            json_object_set_new(h, "dma_owner",
                                hb->dma_owner == TOPO_NONE
                                    ? json_null()
                                    : json_string(topo_fn_id(t, hb->dma_owner)));
            json_array_append_new(a, h);
        }
        json_object_set_new(o, "host_bridges", a);
    }
    a = json_array();
    for (uint32_t i = 0; i < topo_fn_count(t); i++) {
        uint32_t fn = topo_fn_order(t, i);
        json_t *f;

        if (keys & REPORT_TOPOLOGY) {
            f = fn_json(t, host, fn);
        } else {
            char b[BDF_STRLEN];

            f = json_object();
            json_object_set_new(f, "id", json_string(topo_fn_id(t, fn)));
            json_object_set_new(
                f, "bdf", json_string(bdf_format(b, topo_fn_bdf(t, fn), !topo_single_segment(t))));
            json_object_set_new(f, "kind", json_string(topo_kind_name(topo_fn_kind(t, fn))));
        }
        analysis_json(f, r, m, fn, keys);
        json_array_append_new(a, f);
    }
    json_object_set_new(o, "functions", a);
    if (keys & REPORT_GROUPS)
        json_object_set_new(o, "groups", groups_json(r, m, keys));
    if (keys & REPORT_IOVA)
        json_object_set_new(o, "iova_ranges", iova_json(r, m));
    return o;
}

static int dump(struct strbuf *out, json_t *root)
{
    char *text = json_dumps(root, JSON_INDENT(2));

    json_decref(root);
    if (!text)
        return SIM_ENOMEM;
    strbuf_puts(out, text);
    strbuf_putc(out, '\n');
    free(text);
    return out->oom ? SIM_ENOMEM : SIM_OK;
}

static json_t *findings_json(const struct check_result *r)
{
    json_t *a = json_array();

    for (size_t i = 0; i < check_finding_count(r); i++)
        json_array_append_new(a, finding_json(check_finding(r, i)));
    return a;
}

/* An op in FORMAT.md's replay.ops form (dev is the function's id, or the BDF as routed). */
static json_t *op_json(const struct topology *t, const struct bar_op *op, uint32_t fn,
                       struct bdf at)
{
    json_t *o = json_object();
    char b[BDF_STRLEN];

    json_object_set_new(o, "op", json_string(op->kind == BAR_OP_READ ? "read" : "write"));
    json_object_set_new(o, "dev",
                        json_string(fn != TOPO_NONE ? topo_fn_id(t, fn)
                                                    : bdf_format(b, at, !topo_single_segment(t))));
    json_object_set_new(o, "reg", hex(op->reg));
    json_object_set_new(o, "len", json_integer(op->len));
    if (op->kind == BAR_OP_WRITE)
        json_object_set_new(o, "value", hex(op->value));
    return o;
}

int report_replay_json(struct strbuf *out, const char *scenario, const struct check_result *r)
{
    const struct check_input *in = check_input_of(r);
    const struct bar_replay *rp = check_replay_result(r);
    json_t *root = json_object(), *ops = json_array();
    const struct topology *t = rp ? check_topology(r, in->replay.machine) : NULL;
    size_t nres = 0, nev = 0;
    const struct bar_op_result *res = rp ? bar_replay_results(rp, &nres) : NULL;
    const struct bar_event *ev = rp ? bar_replay_events(rp, &nev) : NULL;
    char b[BDF_STRLEN];

    json_object_set_new(root, "scenario", json_string(scenario));
    json_object_set_new(root, "machine",
                        rp ? json_string(check_machine_names[in->replay.machine]) : json_null());
    for (size_t i = 0; i < nres; i++) {
        const struct bar_op *op = &in->replay.ops[i];
        json_t *o = op_json(t, op, res[i].fn, res[i].bdf), *events = json_array();

        if (op->kind == BAR_OP_READ) {
            json_object_set_new(o, "read", hex(res[i].read));
            if (op->has_expect)
                json_object_set_new(o, "expect", hex(op->expect));
        }
        if (op->line)
            json_object_set_new(o, "line", json_integer(op->line));
        for (size_t k = res[i].first_event; k < res[i].first_event + res[i].nevents; k++) {
            json_t *e = json_object();

            json_object_set_new(e, "event",
                                json_string(ev[k].kind == BAR_EVENT_MAP ? "map" : "unmap"));
            json_object_set_new(e, "dev", json_string(topo_fn_id(t, ev[k].fn)));
            json_object_set_new(e, "bdf",
                                json_string(bdf_format(b, ev[k].bdf, !topo_single_segment(t))));
            json_object_set_new(e, "bar", json_integer(ev[k].bar));
            json_object_set_new(e, "base", hex(ev[k].base));
            json_object_set_new(e, "size", hex(ev[k].size));
            if (vfio_key_json(ev[k].vfio))
                json_object_set_new(e, "vfio", json_string(vfio_key_json(ev[k].vfio)));
            json_array_append_new(events, e);
        }
        json_object_set_new(o, "events", events);
        json_array_append_new(ops, o);
    }
    json_object_set_new(root, "ops", ops);
    if (rp && in->replay.from_trace) {
        json_t *tr = json_object();

        json_object_set_new(tr, "lines", json_integer((json_int_t)in->replay.trace.lines));
        json_object_set_new(tr, "accesses", json_integer((json_int_t)in->replay.trace.accesses));
        json_object_set_new(tr, "skipped", json_integer((json_int_t)in->replay.trace.skipped));
        json_object_set_new(tr, "inferred_sizes",
                            json_integer((json_int_t)in->replay.trace.inferred_sizes));
        json_object_set_new(root, "trace", tr);
    }
    json_object_set_new(root, "findings", findings_json(r));
    return dump(out, root);
}

int report_explore_json(struct strbuf *out, const char *scenario, const struct check_result *r)
{
    const struct check_input *in = check_input_of(r);
    const struct bar_explore_result *x = check_explore_result(r);
    json_t *root = json_object();

    json_object_set_new(root, "scenario", json_string(scenario));
    json_object_set_new(root, "machine",
                        x ? json_string(check_machine_names[in->explore.machine]) : json_null());
    if (x) {
        const struct topology *t = check_topology(r, in->explore.machine);

        json_object_set_new(root, "verdict",
                            json_string(x->verdict == BAR_HOLDS      ? "holds"
                                        : x->verdict == BAR_VIOLATED ? "violated"
                                                                     : "incomplete"));
        if (x->verdict == BAR_VIOLATED)
            json_object_set_new(
                root, "invariant",
                json_string(check_invariant_names[check_invariant_of_bar(x->violated)]));
        json_object_set_new(root, "states", json_integer((json_int_t)x->states));
        json_object_set_new(root, "transitions", json_integer((json_int_t)x->transitions));
        json_object_set_new(root, "depth", json_integer(x->depth));
        json_object_set_new(root, "reduction", json_boolean(in->explore.reduction));
        json_object_set_new(root, "pruned", json_integer((json_int_t)x->pruned));
        json_object_set_new(root, "bytes_per_state", json_integer((json_int_t)x->bytes_per_state));
        if (x->verdict == BAR_VIOLATED) {
            json_t *ce = json_array();

            for (size_t i = 0; i < x->ncounterexample; i++)
                json_array_append_new(ce, op_json(t, &x->counterexample[i], x->counterexample[i].fn,
                                                  x->counterexample[i].bdf));
            json_object_set_new(root, "counterexample", ce);
            json_object_set_new(root, "violation_at", json_integer((json_int_t)x->violation_at));
        }
    }
    json_object_set_new(root, "findings", findings_json(r));
    return dump(out, root);
}

int report_json(struct strbuf *out, const char *scenario, const struct check_result *r,
                unsigned keys)
{
    json_t *root = json_object(), *machines = json_object(), *findings = json_array();

    if (!root || !machines || !findings)
        return SIM_ENOMEM;
    json_object_set_new(root, "scenario", json_string(scenario));
    for (unsigned m = 0; m < CHECK_MACHINE_COUNT; m++)
        if (check_topology(r, (enum check_machine)m))
            json_object_set_new(machines, check_machine_names[m],
                                machine_json(r, (enum check_machine)m, keys));
    json_object_set_new(root, "machines", machines);
    for (size_t i = 0; i < check_finding_count(r); i++)
        json_array_append_new(findings, finding_json(check_finding(r, i)));
    json_object_set_new(root, "findings", findings);
    return dump(out, root);
}

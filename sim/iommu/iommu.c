/* IOMMU -- IORT ID mapping, reserved regions, IOVA range sets. */
#include "sim/iommu/iommu.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util/vec.h"

/* --- Range sets ------------------------------------------------------------------------------ */

void iova_set_fini(struct iova_set *s)
{
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static int insert_at(struct iova_set *s, size_t i, struct iova_range r)
{
    if (vec_grow_(&s->v, &s->cap, s->n + 1, sizeof(*s->v)) < 0)
        return SIM_ENOMEM;
    memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
    s->v[i] = r;
    s->n++;
    return SIM_OK;
}

int iova_set_add(struct iova_set *s, uint64_t start, uint64_t end)
{
    size_t i = 0, j;

    while (i < s->n && s->v[i].end < start && s->v[i].end + 1 < start)
        i++;
    /* merge every range overlapping or touching [start, end] */
    for (j = i; j < s->n && (s->v[j].start <= end || s->v[j].start - 1 <= end); j++) {
        if (s->v[j].start < start)
            start = s->v[j].start;
        if (s->v[j].end > end)
            end = s->v[j].end;
    }
    if (j > i) {
        memmove(&s->v[i + 1], &s->v[j], (s->n - j) * sizeof(*s->v));
        s->n -= j - i - 1;
        s->v[i].start = start;
        s->v[i].end = end;
        return SIM_OK;
    }
    return insert_at(s, i, (struct iova_range){ start, end });
}

int iova_set_subtract(struct iova_set *s, uint64_t start, uint64_t end)
{
    for (size_t i = 0; i < s->n; i++) {
        struct iova_range *r = &s->v[i];

        if (r->end < start || r->start > end)
            continue;
        if (r->start < start && r->end > end) { /* split */
            struct iova_range hi = { end + 1, r->end };

            r->end = start - 1;
            return insert_at(s, i + 1, hi);
        }
        if (r->start >= start && r->end <= end) { /* swallowed */
            memmove(r, r + 1, (s->n - i - 1) * sizeof(*r));
            s->n--;
            i--;
        } else if (r->start < start) {
            r->end = start - 1;
        } else {
            r->start = end + 1;
        }
    }
    return SIM_OK;
}

int iova_set_clip(struct iova_set *s, uint64_t end)
{
    return end == UINT64_MAX ? SIM_OK : iova_set_subtract(s, end + 1, UINT64_MAX);
}

const struct iova_range *iova_set_overlap(const struct iova_set *s, uint64_t start, uint64_t end)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].start <= end && s->v[i].end >= start)
            return &s->v[i];
    return NULL;
}

void iommu_format_range(struct strbuf *out, uint64_t start, uint64_t end)
{
    strbuf_printf(out, "0x%" PRIx64 "-0x%" PRIx64, start, end);
}

/* --- IORT ID mapping ------------------------------------------------------------------------ */

int iommu_stream_id(const struct topo_iommu *u, uint16_t segment, uint16_t rid, uint32_t *sid)
{
    bool deferred = false;
    uint32_t deferred_sid = 0;

    if (u->nstream_map == 0) {
        *sid = rid; /* no ID map: StreamID = RID */
        return SIM_OK;
    }
    for (size_t i = 0; i < u->nstream_map; i++) {
        const struct topo_stream_map *m = &u->stream_map[i];

        if (m->has_segment && m->segment != segment)
            continue;
        if (m->single) {
            *sid = m->sid_base; /* ACPI_IORT_ID_SINGLE_MAPPING: the input is ignored */
            return SIM_OK;
        }
        if (rid < m->rid_base || rid > m->rid_base + (m->count - 1))
            continue;
        /* After a deferral only a range starting at the ID supersedes it; any other match
         * is a duplicate iort_id_map() disregards ("conflicting mapping for input ID"). */
        if (deferred && rid != m->rid_base)
            continue;
        /* iort_id_map(): the last ID of a multi-ID range answers -EAGAIN, so that a later
         * range starting at it wins (firmware that put count, not count - 1, in IORT). */
        if (m->count > 1 && rid == m->rid_base + (m->count - 1)) {
            if (!deferred) {
                deferred = true;
                deferred_sid = m->sid_base + (rid - m->rid_base);
            }
            continue;
        }
        *sid = m->sid_base + (rid - m->rid_base);
        return SIM_OK;
    }
    if (deferred) {
        *sid = deferred_sid;
        return SIM_OK;
    }
    return SIM_ENOTFOUND;
}

struct ids_walk {
    const struct topo_iommu *u;
    struct iommu_ids *out;
};

static int ids_cb(const struct alias_ctx *ctx, uint32_t owner, struct alias_rid rid, void *data)
{
    struct ids_walk *w = data;
    struct iommu_ids *o = w->out;
    uint32_t id = rid.rid;

    (void)ctx;
    if (w->u->kind == TOPO_IOMMU_SMMUV3 && iommu_stream_id(w->u, rid.segment, rid.rid, &id) < 0) {
        /* iort_pci_iommu_init(): iort_iommu_xlate() of an unmapped ID fails (-ENODEV), which
         * stops pci_for_each_dma_alias(): no later alias gets an ID either. */
        o->unmapped++;
        o->first_unmapped = rid.rid;
        return 1;
    }
    if (o->n < sizeof(o->ids) / sizeof(o->ids[0])) {
        o->ids[o->n] = id;
        o->owners[o->n] = owner;
        o->n++;
    }
    return 0;
}

void iommu_fn_ids(const struct alias_ctx *ctx, uint32_t fn, struct iommu_ids *out)
{
    const struct topology *t = alias_ctx_topology(ctx);
    struct ids_walk w;

    memset(out, 0, sizeof(*out));
    out->iommu = alias_fn_iommu(ctx, fn);
    if (out->iommu == TOPO_NONE)
        return;
    w.u = topo_iommu_get(t, out->iommu);
    w.out = out;
    alias_for_each(ctx, fn, ids_cb, &w);
}

/* --- Reserved regions and IOVA ranges ----------------------------------------------------- */

#define X86_MSI_START UINT64_C(0xfee00000)
#define X86_MSI_END   UINT64_C(0xfeefffff)
#define AMD_HT_START  UINT64_C(0xfd00000000)
#define AMD_HT_END    UINT64_C(0xffffffffff)
#define SW_MSI_START  UINT64_C(0x8000000) /* MSI_IOVA_BASE */
#define SW_MSI_END    UINT64_C(0x80fffff) /* + MSI_IOVA_LENGTH 1 MiB */

int iommu_reserved(const struct topo_iommu *u, struct iova_set *out)
{
    uint64_t last = iommu_width_last(u->address_bits);
    int err = SIM_OK;

    switch (u->kind) {
    case TOPO_IOMMU_AMD_VI: /* the x86 MSI range and the HyperTransport hole */
        if ((err = iova_set_add(out, AMD_HT_START, AMD_HT_END)) == 0)
            err = iova_set_add(out, X86_MSI_START, X86_MSI_END);
        break;
    case TOPO_IOMMU_VTD:
        err = iova_set_add(out, X86_MSI_START, X86_MSI_END);
        break;
    case TOPO_IOMMU_SMMUV3:
    case TOPO_IOMMU_VIRTIO:
        err = iova_set_add(out, SW_MSI_START, SW_MSI_END);
        break;
    }
    for (size_t i = 0; err == 0 && i < u->nreserved; i++)
        err =
            iova_set_add(out, u->reserved[i].base, u->reserved[i].base + (u->reserved[i].size - 1));
    if (err == 0)
        err = iova_set_clip(out, last);
    return err;
}

int iommu_iova_vfio(const struct topo_iommu *u, const struct iova_set *extra_resv,
                    struct iova_set *out)
{
    struct iova_set resv = { NULL, 0, 0 };
    int err;

    if ((err = iova_set_add(out, 0, iommu_width_last(u->address_bits))) < 0 ||
        (err = iommu_reserved(u, &resv)) < 0)
        goto done;
    for (size_t i = 0; err == 0 && i < resv.n; i++)
        err = iova_set_subtract(out, resv.v[i].start, resv.v[i].end);
    for (size_t i = 0; err == 0 && extra_resv && i < extra_resv->n; i++)
        err = iova_set_subtract(out, extra_resv->v[i].start, extra_resv->v[i].end);
done:
    iova_set_fini(&resv);
    return err;
}

uint64_t iommu_dma_limit(const struct topo_iommu *u, unsigned dma_bits)
{
    uint64_t limit = dma_bits ? iommu_width_last(dma_bits) : UINT64_MAX;

    if (u && u->dma_limit_bits && iommu_width_last(u->dma_limit_bits) < limit)
        limit = iommu_width_last(u->dma_limit_bits);
    return limit;
}

static int copy_set(struct iova_set *to, const struct iova_set *from)
{
    int err = SIM_OK;

    for (size_t i = 0; i < from->n && err == 0; i++)
        err = iova_set_add(to, from->v[i].start, from->v[i].end);
    return err;
}

int iommu_iova_unit(const struct alias_ctx *ctx, uint32_t ui, struct iova_set *vfio,
                    struct iova_set *usable)
{
    const struct topo_iommu *u = topo_iommu_get(alias_ctx_topology(ctx), ui);
    int err;

    if ((err = iommu_iova_vfio(u, NULL, vfio)) < 0 || (err = copy_set(usable, vfio)) < 0)
        return err;
    return iova_set_clip(usable, iommu_dma_limit(u, 0));
}

int iommu_iova_group(const struct alias_ctx *ctx, const struct alias_groups *g, uint32_t gid,
                     struct iova_set *vfio, struct iova_set *usable)
{
    const struct topology *t = alias_ctx_topology(ctx);
    const struct topo_iommu *u = topo_iommu_get(t, alias_group_iommu(g, gid));
    struct iova_set resv = { NULL, 0, 0 };
    unsigned dma_bits = 64;
    size_t n, nr;
    const uint32_t *mem = alias_group_members(g, gid, &n);
    int err = SIM_OK;

    for (size_t i = 0; i < n && err == 0; i++) {
        const struct topo_resv *rv = topo_fn_reserved(t, mem[i], &nr);

        if (topo_fn_dma_bits(t, mem[i]) < dma_bits)
            dma_bits = topo_fn_dma_bits(t, mem[i]);
        for (size_t k = 0; k < nr && err == 0; k++)
            err = iova_set_add(&resv, rv[k].base, rv[k].base + (rv[k].size - 1));
    }
    if (err == 0 && (err = iommu_iova_vfio(u, &resv, vfio)) == 0 &&
        (err = copy_set(usable, vfio)) == 0)
        err = iova_set_clip(usable, iommu_dma_limit(u, dma_bits));
    iova_set_fini(&resv);
    return err;
}

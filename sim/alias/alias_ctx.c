/* Alias -- the per-machine context: quirks applied once, IOMMU coverage, the DMA alias walk. */
#include "sim/alias/alias.h"

#include <stdlib.h>
#include <string.h>

#include "sim/alias/alias_internal.h"
#include "sim/topology/pci_regs.h"

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Index the table by vendor, keeping table order within a vendor (ACS rows rely on it). */
static int index_rows(struct alias_ctx *ctx)
{
    uint64_t *keys = malloc((ctx->nrows ? ctx->nrows : 1) * sizeof(*keys));

    if (!keys)
        return SIM_ENOMEM;
    for (uint32_t i = 0; i < ctx->nrows; i++)
        keys[i] = (uint64_t)ctx->rows[i].vendor << 32 | i;
    qsort(keys, ctx->nrows, sizeof(*keys), cmp_u64);
    for (size_t i = 0; i < ctx->nrows; i++)
        ctx->by_vendor[i] = (uint32_t)keys[i];
    free(keys);
    return SIM_OK;
}

static uint64_t *mask_of(struct alias_ctx *ctx, uint32_t fn)
{
    struct fn_alias *fa = &ctx->fa[fn];

    if (fa->mask == TOPO_NONE) {
        if (vec_reserve(&ctx->masks, 4) < 0)
            return NULL;
        fa->mask = (uint32_t)(ctx->masks.n / 4);
        memset(&ctx->masks.v[ctx->masks.n], 0, 4 * sizeof(uint64_t));
        ctx->masks.n += 4;
    }
    return &ctx->masks.v[(size_t)fa->mask * 4];
}

/* pci_add_dma_alias(): set [first, first + count) clamped to the 256 devfns. */
static int add_alias(struct alias_ctx *ctx, uint32_t fn, unsigned first, unsigned count)
{
    uint64_t *m = mask_of(ctx, fn);

    if (!m)
        return SIM_ENOMEM;
    for (unsigned d = first; d < first + count && d < 256; d++)
        m[d / 64] |= UINT64_C(1) << (d % 64);
    return SIM_OK;
}

bool mask_test(const struct alias_ctx *ctx, uint32_t fn, uint8_t devfn)
{
    uint32_t m = ctx->fa[fn].mask;

    return m != TOPO_NONE && (ctx->masks.v[(size_t)m * 4 + devfn / 64] >> (devfn % 64)) & 1;
}

/* quirk_use_pcie_bridge_dma_alias(): a conventional bridge, not on a root bus, below a PCIe
 * bridge that is not itself a PCIe-to-PCI bridge. */
static bool pcie_bridge_alias_applies(const struct topology *t, uint32_t fn)
{
    uint32_t parent = topo_fn_parent(t, fn);
    int ptype;

    if (parent == TOPO_NONE || !topo_kind_is_bridge(topo_fn_kind(t, fn)) ||
        topo_fn_pcie_type(t, fn) >= 0)
        return false;
    ptype = topo_fn_pcie_type(t, parent);
    return ptype >= 0 && ptype != PCI_EXP_TYPE_PCI_BRIDGE;
}

/* Apply one DMA-alias or bridge row to fn (the header fixups of drivers/pci/quirks.c). */
static int apply_row(struct alias_ctx *ctx, uint32_t fn, const struct quirk_row *r)
{
    const struct topology *t = ctx->t;
    uint8_t devfn = topo_fn_devfn(t, fn);
    uint16_t sv, sd;
    int err = SIM_OK;

    switch (r->kind) {
    case QUIRK_DMA_FUNC0:
        if (PCI_FUNC(devfn) != 0)
            err = add_alias(ctx, fn, PCI_DEVFN(PCI_SLOT(devfn), 0), 1);
        break;
    case QUIRK_DMA_FUNC1:
        if (PCI_FUNC(devfn) != 1)
            err = add_alias(ctx, fn, PCI_DEVFN(PCI_SLOT(devfn), 1), 1);
        break;
    case QUIRK_DMA_FIXED:
        topo_fn_subsystem(t, fn, &sv, &sd);
        if (sv == r->subvendor && sd == r->subdevice)
            err = add_alias(ctx, fn, r->devfn, 1);
        break;
    case QUIRK_DMA_MIC_X200:
        if ((err = add_alias(ctx, fn, PCI_DEVFN(0x10, 0), 1)) == 0 &&
            (err = add_alias(ctx, fn, PCI_DEVFN(0x11, 0), 1)) == 0)
            err = add_alias(ctx, fn, PCI_DEVFN(0x12, 3), 1);
        break;
    case QUIRK_DMA_PEX_VCA:
        for (unsigned slot = 0; slot < 0x20 && err == 0; slot++)
            err = add_alias(ctx, fn, PCI_DEVFN(slot, 0), 5);
        break;
    case QUIRK_DMA_PLX_NTB:
        err = add_alias(ctx, fn, 0, 256);
        break;
    case QUIRK_PCIE_BRIDGE_ALIAS:
        if (pcie_bridge_alias_applies(t, fn))
            ctx->fa[fn].flags |= FA_PCIE_BRIDGE_ALIAS;
        break;
    case QUIRK_BRIDGE_XLATE_ROOT:
        if (topo_kind_is_bridge(topo_fn_kind(t, fn)))
            ctx->fa[fn].flags |= FA_XLATE_ROOT;
        break;
    case QUIRK_ACS_AMD_SB:
    case QUIRK_ACS_MF_ENDPOINT:
    case QUIRK_ACS_RCIEP:
    case QUIRK_ACS_QCOM_RP:
    case QUIRK_ACS_INTEL_PCH:
    case QUIRK_ACS_INTEL_SPT_PCH:
    case QUIRK_ACS_CAVIUM:
    case QUIRK_ACS_XGENE:
    case QUIRK_ACS_BRCM:
    case QUIRK_ACS_LOONGSON:
    case QUIRK_ACS_AL:
    case QUIRK_ACS_NXP_RP:
    case QUIRK_ACS_ZHAOXIN_PORTS:
    case QUIRK_ACS_WANGXUN_NIC:
        break;
    }
    return err;
}

static bool is_acs_kind(enum quirk_kind k)
{
    return k >= QUIRK_ACS_AMD_SB;
}

#define MAX_ACS_ROWS 8

/* Every row matching fn's vendor:device: apply the alias rows, collect the ACS rows. */
static int apply_quirks(struct alias_ctx *ctx, uint32_t fn, int *acs_rows, size_t *nacs)
{
    const struct topology *t = ctx->t;
    uint16_t vendor = topo_fn_vendor(t, fn), device = topo_fn_device(t, fn);
    size_t lo = 0, hi = ctx->nrows;
    int err;

    *nacs = 0;
    if (topo_fn_quirks(t, fn) & TOPO_QUIRK_NO_BUILTIN)
        return SIM_OK;
    while (lo < hi) { /* first row of this vendor */
        size_t mid = lo + (hi - lo) / 2;

        if (ctx->rows[ctx->by_vendor[mid]].vendor < vendor)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < ctx->nrows && ctx->rows[ctx->by_vendor[lo]].vendor == vendor; lo++) {
        const struct quirk_row *r = &ctx->rows[ctx->by_vendor[lo]];

        if (r->device_first != QUIRK_ANY_ID &&
            (device < r->device_first || device > r->device_last))
            continue;
        if (is_acs_kind(r->kind)) {
            if (*nacs < MAX_ACS_ROWS)
                acs_rows[(*nacs)++] = (int)ctx->by_vendor[lo];
        } else if ((err = apply_row(ctx, fn, r)) < 0) {
            return err;
        }
    }
    return SIM_OK;
}

static void cover(struct alias_ctx *ctx)
{
    const struct topology *t = ctx->t;
    size_t nhb = topo_hb_count(t);

    for (uint32_t fn = 0; fn < topo_fn_count(t); fn++) {
        uint32_t owner = alias_fn_dma_owner(ctx, fn);
        uint32_t hb = topo_fn_hb(t, owner);

        ctx->fa[fn].iommu = TOPO_NONE;
        for (uint32_t i = 0; i < topo_iommu_count(t) && hb < nhb; i++) {
            const struct topo_iommu *u = topo_iommu_get(t, i);
            bool mine = u->ncovers == 0;

            for (size_t c = 0; c < u->ncovers; c++)
                mine |= u->covers[c] == hb;
            if (mine) {
                ctx->fa[fn].iommu = i;
                break;
            }
        }
    }
}

int alias_ctx_new(struct alias_ctx **out, const struct topology *t)
{
    struct alias_ctx *ctx = calloc(1, sizeof(*ctx));
    size_t nfn = topo_fn_count(t);
    int err = SIM_ENOMEM;

    if (!ctx)
        return SIM_ENOMEM;
    ctx->t = t;
    ctx->os_enables_acs = topo_platform_get(t)->os_enables_acs;
    for (uint32_t i = 0; i < topo_iommu_count(t); i++)
        ctx->amd_ivrs |= topo_iommu_get(t, i)->kind == TOPO_IOMMU_AMD_VI;
    ctx->rows = quirk_table(&ctx->nrows);
    ctx->fa = calloc(nfn ? nfn : 1, sizeof(*ctx->fa));
    ctx->by_vendor = malloc((ctx->nrows ? ctx->nrows : 1) * sizeof(uint32_t));
    if (!ctx->fa || !ctx->by_vendor)
        goto fail;
    if ((err = index_rows(ctx)) < 0)
        goto fail;

    for (uint32_t fn = 0; fn < nfn; fn++) {
        const struct topo_devfn_range *r;
        int acs_rows[MAX_ACS_ROWS];
        size_t n, nacs;
        uint32_t q = topo_fn_quirks(t, fn);

        ctx->fa[fn].mask = TOPO_NONE;
        if ((err = apply_quirks(ctx, fn, acs_rows, &nacs)) < 0)
            goto fail;
        r = topo_fn_dma_alias(t, fn, &n);
        for (size_t i = 0; i < n; i++)
            if ((err = add_alias(ctx, fn, r[i].first, (unsigned)(r[i].last - r[i].first) + 1)) < 0)
                goto fail;
        if (q & TOPO_QUIRK_PCIE_BRIDGE_ALIAS)
            ctx->fa[fn].flags |= FA_PCIE_BRIDGE_ALIAS;
        if (q & TOPO_QUIRK_XLATE_ROOT)
            ctx->fa[fn].flags |= FA_XLATE_ROOT;
        acs_evaluate(ctx, fn, acs_rows, nacs);
    }
    cover(ctx);
    *out = ctx;
    return SIM_OK;
fail:
    alias_ctx_free(ctx);
    return err;
}

void alias_ctx_free(struct alias_ctx *ctx)
{
    if (!ctx)
        return;
    free(ctx->fa);
    free(ctx->by_vendor);
    vec_free(&ctx->masks);
    free(ctx);
}

const struct topology *alias_ctx_topology(const struct alias_ctx *ctx)
{
    return ctx->t;
}

bool alias_fn_pcie_bridge_alias(const struct alias_ctx *ctx, uint32_t fn)
{
    return ctx->fa[fn].flags & FA_PCIE_BRIDGE_ALIAS;
}

bool alias_fn_xlate_root(const struct alias_ctx *ctx, uint32_t fn)
{
    return ctx->fa[fn].flags & FA_XLATE_ROOT;
}

uint32_t alias_fn_dma_owner(const struct alias_ctx *ctx, uint32_t fn)
{
    uint32_t owner = topo_hb_get(ctx->t, topo_fn_hb(ctx->t, fn))->dma_owner;

    return owner == TOPO_NONE ? fn : owner;
}

uint32_t alias_fn_iommu(const struct alias_ctx *ctx, uint32_t fn)
{
    return ctx->fa[fn].iommu;
}

bool alias_fns_are_dma_aliases(const struct alias_ctx *ctx, uint32_t a, uint32_t b)
{
    const struct topology *t = ctx->t;

    /* Functions of one bus share a host bridge: no masks and no DMA owner, no aliasing. */
    if (ctx->fa[a].mask == TOPO_NONE && ctx->fa[b].mask == TOPO_NONE &&
        topo_hb_get(t, topo_fn_hb(t, a))->dma_owner == TOPO_NONE)
        return false;

    return mask_test(ctx, a, topo_fn_devfn(t, b)) || mask_test(ctx, b, topo_fn_devfn(t, a)) ||
           alias_fn_dma_owner(ctx, a) == b || alias_fn_dma_owner(ctx, b) == a;
}

static struct alias_rid rid_of(const struct topology *t, uint32_t fn)
{
    struct bdf b = topo_fn_bdf(t, fn);
    struct alias_rid r = { b.domain, bdf_rid(b) };

    return r;
}

int alias_for_each(const struct alias_ctx *ctx, uint32_t fn, alias_fn cb, void *data)
{
    const struct topology *t = ctx->t;
    uint32_t pdev = alias_fn_dma_owner(ctx, fn); /* pci_real_dma_dev() */
    struct alias_rid own = rid_of(t, pdev);
    int ret;

    if ((ret = cb(ctx, pdev, own, data)) != 0)
        return ret;
    /* Same-bus quirk aliases, in devfn order (the dma_alias_mask bitmap). */
    if (ctx->fa[pdev].mask != TOPO_NONE) {
        for (unsigned d = 0; d < 256; d++) {
            struct alias_rid r = { own.segment, PCI_DEVID(own.rid >> 8, (uint8_t)d) };

            if (mask_test(ctx, pdev, (uint8_t)d) && (ret = cb(ctx, pdev, r, data)) != 0)
                return ret;
        }
    }
    /* One alias per bridge up to the root bus. */
    for (uint32_t tmp = topo_fn_parent(t, pdev); tmp != TOPO_NONE; tmp = topo_fn_parent(t, tmp)) {
        int type = topo_fn_pcie_type(t, tmp);
        struct alias_rid r = rid_of(t, tmp);
        uint8_t sec, sub;

        if (ctx->fa[tmp].flags & FA_XLATE_ROOT)
            return 0; /* the IOMMU sits at this bridge */
        topo_fn_bus_range(t, tmp, &sec, &sub);
        if (type >= 0) {
            switch (type) {
            case PCI_EXP_TYPE_PCI_BRIDGE:
                /* PCIe-to-PCI bridge takes ownership: alias = (secondary bus, devfn 00.0),
                 * PCIe-to-PCI/PCI-X Bridge spec r1.0 §2.3 */
                r.rid = PCI_DEVID(sec, 0);
                break;
            case PCI_EXP_TYPE_PCIE_BRIDGE:
                break; /* a PCI/PCI-X-to-PCIe bridge: its own RID */
            default:
                continue; /* root, upstream, downstream ports: no alias */
            }
        } else if (ctx->fa[tmp].flags & FA_PCIE_BRIDGE_ALIAS) {
            r.rid = PCI_DEVID(sec, 0);
        }
        if ((ret = cb(ctx, tmp, r, data)) != 0)
            return ret;
    }
    return 0;
}

char *alias_rid_format(char buf[BDF_STRLEN], struct alias_rid r, bool with_segment)
{
    return bdf_format(buf, bdf_from_rid(r.segment, r.rid), with_segment);
}

const char *kind_phrase(enum topo_kind k)
{
    switch (k) {
    case TOPO_HOST_BRIDGE:
        return "host bridge";
    case TOPO_ROOT_PORT:
        return "root port";
    case TOPO_UPSTREAM_PORT:
        return "upstream port";
    case TOPO_DOWNSTREAM_PORT:
        return "downstream port";
    case TOPO_PCIE_PCI_BRIDGE:
        return "PCIe-to-PCI bridge";
    case TOPO_PCI_PCIE_BRIDGE:
        return "PCI-to-PCIe bridge";
    case TOPO_PCI_BRIDGE:
        return "PCI bridge";
    case TOPO_ENDPOINT:
        return "endpoint";
    case TOPO_LEGACY_ENDPOINT:
        return "legacy endpoint";
    case TOPO_RC_ENDPOINT:
        return "root-complex integrated endpoint";
    case TOPO_PCI_DEVICE:
        return "PCI device";
    }
    return "function";
}

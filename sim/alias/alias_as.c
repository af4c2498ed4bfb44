/* Alias -- DMA address spaces: QEMU's per-device AddressSpace, and what a host IOMMU sees. */
#include "sim/alias/alias.h"

#include "sim/alias/alias_internal.h"
#include "sim/topology/pci_regs.h"

/* The last alias of the walk is the requester ID the IOMMU sees. */
static int last_cb(const struct alias_ctx *ctx, uint32_t owner, struct alias_rid rid, void *data)
{
    (void)ctx;
    (void)owner;
    *(struct alias_rid *)data = rid;
    return 0;
}

/* Whether the bus below bridge is conventional PCI (QEMU: !pci_bus_is_express()). */
static bool conventional_below(const struct topology *t, uint32_t bridge)
{
    enum topo_kind k = topo_fn_kind(t, bridge);

    return k == TOPO_PCIE_PCI_BRIDGE || k == TOPO_PCI_BRIDGE;
}

struct alias_as alias_address_space(const struct alias_ctx *ctx, uint32_t fn, bool qemu_rules,
                                    bool qemu_aliases)
{
    const struct topology *t = ctx->t;
    struct alias_as as = { ctx->fa[fn].iommu, 0, 0, 0 };
    struct bdf b = topo_fn_bdf(t, fn);

    if (as.iommu == TOPO_NONE)
        return as;
    if (!qemu_rules) {
        struct alias_rid last = { b.domain, bdf_rid(b) };

        alias_for_each(ctx, fn, last_cb, &last);
        as.segment = last.segment;
        as.bus = (uint8_t)(last.rid >> 8);
        as.devfn = (uint8_t)last.rid;
        return as;
    }
    /* pci_device_iommu_address_space(): walk up to the root bus, where the vIOMMU hangs;
     * each conventional bus left behind replaces (bus, devfn), so the outermost hop wins. */
    as.segment = b.domain;
    as.bus = b.bus;
    as.devfn = bdf_devfn(b);
    for (uint32_t cur = fn; qemu_aliases && topo_fn_parent(t, cur) != TOPO_NONE;
         cur = topo_fn_parent(t, cur)) {
        uint32_t parent = topo_fn_parent(t, cur);
        uint8_t sec, sub;

        if (!conventional_below(t, parent))
            continue;
        if (topo_fn_pcie_type(t, parent) == PCI_EXP_TYPE_PCI_BRIDGE) {
            topo_fn_bus_range(t, parent, &sec, &sub);
            as.bus = sec;
            as.devfn = 0;
        } else {
            as.bus = topo_fn_bus(t, parent);
            as.devfn = topo_fn_devfn(t, parent);
        }
    }
    return as;
}

void alias_as_format(struct strbuf *out, const struct alias_ctx *ctx, struct alias_as as)
{
    struct bdf b = { as.segment, as.bus, PCI_SLOT(as.devfn), PCI_FUNC(as.devfn) };
    char buf[BDF_STRLEN];

    if (as.iommu == TOPO_NONE) {
        strbuf_puts(out, "none");
        return;
    }
    strbuf_printf(out, "%s:%s", topo_iommu_get(ctx->t, as.iommu)->id,
                  bdf_format(buf, b, !topo_single_segment(ctx->t)));
}

bool alias_as_eq(struct alias_as a, struct alias_as b)
{
    if (a.iommu != b.iommu)
        return false;
    return a.iommu == TOPO_NONE || (a.segment == b.segment && a.bus == b.bus && a.devfn == b.devfn);
}

/* Report -- the topology tree as text (`dmasim show`). */
#include "sim/report/report.h"

#include <inttypes.h>

#include "sim/topology/pci_regs.h"
#include "sim/util/num.h"

static const char *const acs_names[] = { "sv", "tb", "rr", "cr", "uf", "ec", "dt" };

static void acs_list(struct strbuf *out, uint16_t bits)
{
    bool any = false;

    for (unsigned i = 0; i < 7; i++) {
        if (bits & (1u << i)) {
            strbuf_printf(out, "%s%s", any ? "," : "", acs_names[i]);
            any = true;
        }
    }
    if (!any)
        strbuf_puts(out, "-");
}

static void show_acs(struct strbuf *out, const struct topology *t, uint32_t fn)
{
    uint16_t cap, ctrl;

    if (!topo_kind_is_pcie(topo_fn_kind(t, fn)))
        return;
    if (!topo_fn_acs(t, fn, &cap, &ctrl)) {
        strbuf_puts(out, " acs=none");
        return;
    }
    strbuf_puts(out, " acs=cap:");
    acs_list(out, cap);
    strbuf_puts(out, "/ctl:");
    acs_list(out, ctrl);
}

/* An address of 0 does not decode where the machine forbids it (QEMU pci_allow_0_address). */
static void show_bar(struct strbuf *out, const struct topo_bar *b, bool allow0)
{
    char sz[24];

    num_format_size(sz, b->size);
    if (b->index == TOPO_ROM_INDEX)
        strbuf_puts(out, " rom=");
    else
        strbuf_printf(out, " bar%u=%s%s%s:", b->index, topo_bar_type_names[b->type],
                      b->prefetchable ? ",pref" : "", b->ram ? ",ram" : "");
    strbuf_printf(out, "%s@", sz);
    if (b->address || allow0)
        strbuf_printf(out, "0x%" PRIx64, b->address);
    else
        strbuf_puts(out, "unassigned");
    if (b->index == TOPO_ROM_INDEX && b->enabled)
        strbuf_puts(out, ",enabled");
}

static void show_fn(struct strbuf *out, const struct topology *t, const struct topology *host,
                    uint32_t fn)
{
    char bdf[BDF_STRLEN];
    struct topo_bar bar;
    uint8_t sec, sub;
    size_t n;
    const struct topo_devfn_range *al;
    bool ap;
    uint16_t cmd = topo_fn_command(t, fn);

    strbuf_printf(out, "%s %s %s %04x:%04x",
                  bdf_format(bdf, topo_fn_bdf(t, fn), !topo_single_segment(t)), topo_fn_id(t, fn),
                  topo_kind_name(topo_fn_kind(t, fn)), topo_fn_vendor(t, fn),
                  topo_fn_device(t, fn));
    if (topo_fn_is_multifunction(t, fn))
        strbuf_puts(out, " mf");
    if (topo_fn_bus_range(t, fn, &sec, &sub))
        strbuf_printf(out, " bus=%02x-%02x", sec, sub);
    show_acs(out, t, fn);
    for (unsigned i = 0; i <= TOPO_ROM_INDEX; i++)
        if (topo_fn_bar(t, fn, i, &bar))
            show_bar(out, &bar, topo_platform_get(t)->pci_allow_0_address);
    for (unsigned w = TOPO_WIN_IO; w <= TOPO_WIN_PREF; w++) {
        uint64_t base, limit;

        if (topo_fn_window(t, fn, (enum topo_window)w, &base, &limit))
            strbuf_printf(out, " %s=0x%" PRIx64 "-0x%" PRIx64, topo_window_names[w], base, limit);
    }
    if (cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER))
        strbuf_printf(out, " cmd=%s%s%s", cmd & PCI_COMMAND_MEMORY ? "m" : "",
                      cmd & PCI_COMMAND_IO ? "i" : "", cmd & PCI_COMMAND_MASTER ? "b" : "");
    al = topo_fn_dma_alias(t, fn, &n);
    for (size_t i = 0; i < n; i++) {
        char a[DEVFN_STRLEN], b[DEVFN_STRLEN];

        strbuf_printf(out, "%s%s", i ? "," : " dma_alias=", devfn_format(a, al[i].first));
        if (al[i].last != al[i].first)
            strbuf_printf(out, "-%s", devfn_format(b, al[i].last));
    }
    for (unsigned q = 0; q < TOPO_QUIRK_COUNT; q++)
        if (topo_fn_quirks(t, fn) & (1u << q))
            strbuf_printf(out, " quirk=%s", topo_quirk_names[q]);
    if (topo_fn_dma_bits(t, fn) != 64)
        strbuf_printf(out, " dma_bits=%u", topo_fn_dma_bits(t, fn));
    if (topo_fn_virtio(t, fn, &ap))
        strbuf_printf(out, " virtio%s", ap ? "(access_platform)" : "");
    if (host && topo_fn_passthrough(t, fn) != TOPO_NONE)
        strbuf_printf(out, " passthrough=%s", topo_fn_id(host, topo_fn_passthrough(t, fn)));
    if (topo_fn_driver(t, fn) != TOPO_DRIVER_HOST)
        strbuf_printf(out, " driver=%s", topo_driver_names[topo_fn_driver(t, fn)]);
    topo_fn_reserved(t, fn, &n);
    if (n)
        strbuf_printf(out, " reserved=%zu", n);
    strbuf_putc(out, '\n');
}

/* Children of a bus, with the tree's branch characters; prefix is what the ancestors draw. */
static void show_bus(struct strbuf *out, const struct topology *t, const struct topology *host,
                     uint32_t first, struct strbuf *prefix)
{
    for (uint32_t c = first; c != TOPO_NONE; c = topo_fn_next_sibling(t, c)) {
        bool last = topo_fn_next_sibling(t, c) == TOPO_NONE;
        size_t keep = prefix->len;

        strbuf_puts(out, strbuf_cstr(prefix));
        strbuf_puts(out, last ? "\\-" : "+-");
        show_fn(out, t, host, c);
        if (topo_fn_first_child(t, c) != TOPO_NONE) {
            strbuf_puts(prefix, last ? "  " : "| ");
            show_bus(out, t, host, topo_fn_first_child(t, c), prefix);
            prefix->len = keep;
            prefix->s[keep] = '\0';
        }
    }
}

static void show_header(struct strbuf *out, const struct topology *t)
{
    const struct topo_platform *p = topo_platform_get(t);
    char a[24], b[24];

    strbuf_printf(out, "%s: %zu function%s, %zu host bridge%s; %s", topo_name(t), topo_fn_count(t),
                  topo_fn_count(t) == 1 ? "" : "s", topo_hb_count(t),
                  topo_hb_count(t) == 1 ? "" : "s", topo_arch_names[p->arch]);
    if (p->cpu_phys_bits)
        strbuf_printf(out, ", cpu_phys_bits %u", p->cpu_phys_bits);
    if (p->guest_phys_bits)
        strbuf_printf(out, ", guest_phys_bits %u", p->guest_phys_bits);
    strbuf_putc(out, '\n');
    for (size_t i = 0; i < p->nram; i++) {
        num_format_size(a, p->ram[i].size);
        strbuf_printf(out, "  ram 0x%" PRIx64 " %s\n", p->ram[i].base, a);
    }
    if (p->has_mmio32) {
        num_format_size(a, p->mmio32.size);
        strbuf_printf(out, "  mmio32 0x%" PRIx64 " %s\n", p->mmio32.base, a);
    }
    if (p->has_mmio64) {
        num_format_size(b, p->mmio64.size);
        strbuf_printf(out, "  mmio64 0x%" PRIx64 " %s\n", p->mmio64.base, b);
    }
    for (size_t i = 0; i < p->ndma_windows; i++) {
        num_format_size(a, p->dma_windows[i].size);
        strbuf_printf(out, "  dma_window bus 0x%" PRIx64 " %s -> phys 0x%" PRIx64 "%s\n",
                      p->dma_windows[i].bus_base, a, p->dma_windows[i].phys_base,
                      p->dma_windows[i].scatter_gather ? " (scatter-gather)" : "");
    }
    for (uint32_t i = 0; i < topo_iommu_count(t); i++) {
        const struct topo_iommu *u = topo_iommu_get(t, i);

        strbuf_printf(out, "  iommu %s %s address_bits %u", u->id, topo_iommu_kind_names[u->kind],
                      u->address_bits);
        if (u->dma_limit_bits)
            strbuf_printf(out, " dma_limit_bits %u", u->dma_limit_bits);
        if (!u->ncovers)
            strbuf_puts(out, " covers all");
        for (size_t c = 0; c < u->ncovers; c++)
            strbuf_printf(out, "%s%s", c ? "," : " covers ", topo_hb_get(t, u->covers[c])->id);
        if (u->nstream_map)
            strbuf_printf(out, " stream_map %zu", u->nstream_map);
        if (u->nreserved)
            strbuf_printf(out, " reserved %zu", u->nreserved);
        strbuf_putc(out, '\n');
    }
}

void report_show_text(struct strbuf *out, const struct topology *t, const struct topology *host)
{
    struct strbuf prefix = STRBUF_INIT;

    show_header(out, t);
    for (uint32_t i = 0; i < topo_hb_count(t); i++) {
        uint32_t h = topo_hb_order(t, i);
        const struct topo_hb *hb = topo_hb_get(t, h);

        strbuf_printf(out, "[%04x:%02x] %s host-bridge", hb->segment, hb->bus, hb->id);
        if (hb->dma_owner != TOPO_NONE)
            strbuf_printf(out, " dma_owner=%s", topo_fn_id(t, hb->dma_owner));
        strbuf_putc(out, '\n');
        strbuf_reset(&prefix);
        show_bus(out, t, host, topo_hb_first_child(t, h), &prefix);
    }
    strbuf_fini(&prefix);
}

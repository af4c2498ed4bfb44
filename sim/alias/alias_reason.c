/* Alias -- group reasons in words, naming the culprit as a kernel developer would. */
#include "sim/alias/alias.h"

#include "sim/alias/alias_internal.h"
#include "sim/topology/pci_regs.h"

static const char *const acs_feature[] = { "SV", "TB", "RR", "CR", "UF", "EC", "DT" };

/* The upstream function of a quirk row: its text up to the first ':'. */
static int quirk_name_len(const char *upstream)
{
    int n = 0;

    while (upstream[n] && upstream[n] != ':')
        n++;
    return n;
}

static void name(struct strbuf *out, const struct topology *t, uint32_t fn)
{
    char b[BDF_STRLEN];

    strbuf_puts(out, bdf_format(b, topo_fn_bdf(t, fn), !topo_single_segment(t)));
}

/* "root port 00:1c.0 has no ACS capability" and the other verdicts of pci_acs_enabled(). */
static void acs_culprit(struct strbuf *out, const struct alias_ctx *ctx, uint32_t fn)
{
    const struct topology *t = ctx->t;
    struct alias_acs a = alias_acs_enabled(ctx, fn);
    bool first = true;

    strbuf_printf(out, "%s ", kind_phrase(topo_fn_kind(t, fn)));
    name(out, t, fn);
    switch (a.why) {
    case ALIAS_ACS_QUIRK_NOT_ENABLED:
        strbuf_printf(out,
                      ": ACS quirk for %04x:%04x not applied (%.*s isolates only after the "
                      "OS's enable hook, and platform.os_enables_acs is false)",
                      topo_fn_vendor(t, fn), topo_fn_device(t, fn), quirk_name_len(a.quirk),
                      a.quirk);
        break;
    case ALIAS_ACS_QUIRK:
        strbuf_printf(out, ": the ACS quirk for %04x:%04x (%.*s) reports no isolation",
                      topo_fn_vendor(t, fn), topo_fn_device(t, fn), quirk_name_len(a.quirk),
                      a.quirk);
        break;
    case ALIAS_ACS_CONVENTIONAL:
        strbuf_puts(out, " is conventional PCI, which never isolates");
        break;
    case ALIAS_ACS_BRIDGE_TYPE:
        strbuf_puts(out, " never isolates (a PCIe-to-PCI or PCI-to-PCIe bridge)");
        break;
    case ALIAS_ACS_NO_CAP:
        if (topo_fn_is_multifunction(t, fn) && topo_fn_kind(t, fn) != TOPO_ROOT_PORT &&
            topo_fn_kind(t, fn) != TOPO_DOWNSTREAM_PORT)
            strbuf_puts(out, " is a function of a multifunction device without an ACS capability");
        else
            strbuf_puts(out, " has no ACS capability");
        break;
    case ALIAS_ACS_CTRL:
        strbuf_puts(out, " does not enable ACS ");
        for (unsigned i = 0; i < 7; i++) {
            if (a.missing & (1u << i)) {
                strbuf_printf(out, "%s%s", first ? "" : ", ", acs_feature[i]);
                first = false;
            }
        }
        strbuf_puts(out, " (cap has it)");
        if (!ctx->os_enables_acs)
            strbuf_puts(out, "; platform.os_enables_acs is false");
        break;
    case ALIAS_ACS_FLAGS_OK:
    case ALIAS_ACS_SINGLE_FUNCTION:
    case ALIAS_ACS_OTHER_TYPE:
        strbuf_puts(out, " isolates");
        break;
    }
}

void alias_reason_format(struct strbuf *out, const struct alias_ctx *ctx,
                         const struct alias_reason *r)
{
    const struct topology *t = ctx->t;
    char b[BDF_STRLEN];

    switch (r->kind) {
    case ALIAS_REASON_BRIDGE_ALIAS:
        name(out, t, r->fn);
        strbuf_printf(out, " aliases to %s through %s ",
                      alias_rid_format(b, r->rid, !topo_single_segment(t)),
                      kind_phrase(topo_fn_kind(t, r->culprit)));
        name(out, t, r->culprit);
        if (alias_fn_pcie_bridge_alias(ctx, r->culprit) && topo_fn_pcie_type(t, r->culprit) < 0)
            strbuf_puts(out, " (pcie-bridge-alias)");
        break;
    case ALIAS_REASON_DMA_OWNER:
        name(out, t, r->fn);
        strbuf_printf(out, " DMAs as %s ", kind_phrase(topo_fn_kind(t, r->culprit)));
        name(out, t, r->culprit);
        strbuf_puts(out, ", the dma_owner of its host bridge (Intel VMD)");
        break;
    case ALIAS_REASON_ACS_PATH:
        acs_culprit(out, ctx, r->culprit);
        strbuf_puts(out, ", so ");
        name(out, t, r->fn);
        strbuf_puts(out, " is not isolated from the devices above it");
        break;
    case ALIAS_REASON_SAME_BUS_ALIAS:
        name(out, t, r->fn);
        strbuf_puts(out, " and ");
        name(out, t, r->culprit);
        strbuf_puts(out, " are DMA aliases of each other (dma_alias or a DMA alias quirk)");
        break;
    case ALIAS_REASON_MULTIFUNCTION:
        strbuf_puts(out, "functions ");
        name(out, t, r->culprit);
        strbuf_puts(out, " and ");
        name(out, t, r->fn);
        strbuf_puts(out, " are one multifunction device without ACS");
        break;
    }
}

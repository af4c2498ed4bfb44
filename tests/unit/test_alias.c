/* Unit tests of sim/alias: the DMA alias walk, quirks, ACS, IOMMU groups, address spaces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "sim/alias/alias.h"
#include "sim/topology/bdf.h"
#include "sim/topology/pci_regs.h"
#include "sim/topology/topology.h"
#include "sim/util/err.h"
#include "sim/util/strbuf.h"

#define ACS_REQ (PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

/* --- Helpers ----------------------------------------------------------------------------- */

/* Build f (it must succeed) and a context over it; free with alias_ctx_free(). */
static struct alias_ctx *ctx_of(struct fx *f)
{
    struct alias_ctx *ctx = NULL;

    fx_finalize(f);
    assert_int_equal(alias_ctx_new(&ctx, f->t), SIM_OK);
    assert_non_null(ctx);
    assert_ptr_equal(alias_ctx_topology(ctx), f->t);
    return ctx;
}

/* One IOMMU over every host bridge. */
static void fx_dmar(struct fx *f)
{
    fx_iommu(f, "dmar0", TOPO_IOMMU_VTD, NULL, 0);
}

#define WALK_MAX 300

/* What alias_for_each() reported, in order. */
struct walk {
    size_t n;
    size_t stop_at; /* return stop_ret from this call (1-based); 0: never stop */
    int stop_ret;
    uint32_t owner[WALK_MAX];
    struct alias_rid rid[WALK_MAX];
};

static int collect(const struct alias_ctx *ctx, uint32_t owner, struct alias_rid rid, void *data)
{
    struct walk *w = data;

    assert_non_null(ctx);
    assert_true(w->n < WALK_MAX);
    w->owner[w->n] = owner;
    w->rid[w->n] = rid;
    w->n++;
    return w->stop_at && w->n == w->stop_at ? w->stop_ret : 0;
}

/* The walk of fn as "owner=BB:DD.F owner=..." (with segments on a multi-segment machine). */
static void assert_walk(const struct alias_ctx *ctx, uint32_t fn, const char *expect)
{
    const struct topology *t = alias_ctx_topology(ctx);
    struct strbuf sb = STRBUF_INIT;
    struct walk w;
    char b[BDF_STRLEN];

    memset(&w, 0, sizeof(w));
    assert_int_equal(alias_for_each(ctx, fn, collect, &w), 0);
    for (size_t i = 0; i < w.n; i++)
        strbuf_printf(&sb, "%s%s=%s", i ? " " : "", topo_fn_id(t, w.owner[i]),
                      alias_rid_format(b, w.rid[i], !topo_single_segment(t)));
    assert_string_equal(strbuf_cstr(&sb), expect);
    strbuf_fini(&sb);
}

static struct alias_groups *groups_of(const struct alias_ctx *ctx)
{
    struct alias_groups *g = NULL;

    assert_int_equal(alias_groups_compute(&g, ctx), SIM_OK);
    assert_non_null(g);
    return g;
}

/* The members of gid as "id id ...". */
static void assert_members(const struct alias_ctx *ctx, const struct alias_groups *g, uint32_t gid,
                           const char *expect)
{
    const struct topology *t = alias_ctx_topology(ctx);
    struct strbuf sb = STRBUF_INIT;
    size_t n = 0;
    const uint32_t *m;

    assert_true(gid < alias_group_count(g));
    m = alias_group_members(g, gid, &n);
    for (size_t i = 0; i < n; i++)
        strbuf_printf(&sb, "%s%s", i ? " " : "", topo_fn_id(t, m[i]));
    assert_string_equal(strbuf_cstr(&sb), expect);
    strbuf_fini(&sb);
}

/* Reason i of gid has this kind, function and culprit; returns it. */
static const struct alias_reason *assert_reason(const struct alias_groups *g, uint32_t gid,
                                                size_t i, enum alias_reason_kind kind, uint32_t fn,
                                                uint32_t culprit)
{
    size_t n = 0;
    const struct alias_reason *r = alias_group_reasons(g, gid, &n);

    assert_true(i < n);
    assert_int_equal(r[i].kind, kind);
    assert_int_equal(r[i].fn, fn);
    assert_int_equal(r[i].culprit, culprit);
    return &r[i];
}

static size_t reason_count(const struct alias_groups *g, uint32_t gid)
{
    size_t n = 0;

    alias_group_reasons(g, gid, &n);
    return n;
}

static void assert_reason_text(const struct alias_ctx *ctx, const struct alias_reason *r,
                               const char *expect)
{
    struct strbuf sb = STRBUF_INIT;

    alias_reason_format(&sb, ctx, r);
    assert_string_equal(strbuf_cstr(&sb), expect);
    strbuf_fini(&sb);
}

static void assert_acs(const struct alias_ctx *ctx, uint32_t fn, bool enabled,
                       enum alias_acs_why why)
{
    struct alias_acs a = alias_acs_enabled(ctx, fn);

    assert_int_equal(a.enabled, enabled);
    assert_int_equal(a.why, why);
}

/* a.quirk starts with prefix (the upstream function name). */
static void assert_quirk(const struct alias_ctx *ctx, uint32_t fn, const char *prefix)
{
    struct alias_acs a = alias_acs_enabled(ctx, fn);

    assert_non_null(a.quirk);
    if (strncmp(a.quirk, prefix, strlen(prefix)) != 0) {
        print_message("quirk \"%s\" does not start with \"%s\"\n", a.quirk, prefix);
        fail();
    }
}

static void assert_as(struct alias_as as, uint32_t iommu, uint16_t segment, uint8_t bus,
                      uint8_t devfn)
{
    assert_int_equal(as.iommu, iommu);
    assert_int_equal(as.segment, segment);
    assert_int_equal(as.bus, bus);
    assert_int_equal(as.devfn, devfn);
}

/* --- Alias walk -------------------------------------------------------------------------- */

static void test_alias__walk_own_rid_only_on_root_bus(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t ep = fx_fn(f, "ep", TOPO_ENDPOINT, TOPO_NONE, hb, "2.0");
    struct alias_ctx *ctx;

    (void)state;
    ctx = ctx_of(f);
    assert_walk(ctx, ep, "ep=00:02.0");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_pcie_ports_add_nothing(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t usp = fx_fn(f, "usp", TOPO_UPSTREAM_PORT, rp, hb, "0.0");
    uint32_t dsp = fx_fn(f, "dsp", TOPO_DOWNSTREAM_PORT, usp, hb, "3.0");
    uint32_t ep = fx_fn(f, "ep", TOPO_ENDPOINT, dsp, hb, "0.0");
    struct alias_ctx *ctx;

    (void)state;
    ctx = ctx_of(f);
    assert_walk(ctx, ep, "ep=03:00.0");
    assert_walk(ctx, dsp, "dsp=02:03.0");
    assert_walk(ctx, usp, "usp=01:00.0");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_pcie_to_pci_bridge_takes_ownership(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCIE_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t dev = fx_fn(f, "dev", TOPO_PCI_DEVICE, br, hb, "3.1");
    struct alias_ctx *ctx;

    (void)state;
    ctx = ctx_of(f);
    assert_walk(ctx, dev, "dev=02:03.1 br=02:00.0");
    assert_walk(ctx, br, "br=01:00.0");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_reverse_bridge_adds_own_rid(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rev = fx_fn(f, "rev", TOPO_PCI_PCIE_BRIDGE, TOPO_NONE, hb, "5.2");
    uint32_t ep = fx_fn(f, "ep", TOPO_ENDPOINT, rev, hb, "0.0");
    struct alias_ctx *ctx;

    (void)state;
    ctx = ctx_of(f);
    assert_walk(ctx, ep, "ep=01:00.0 rev=00:05.2");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_pci_bridge_adds_own_rid(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t dev = fx_fn(f, "dev", TOPO_PCI_DEVICE, br, hb, "3.0");
    struct alias_ctx *ctx;

    (void)state;
    ctx = ctx_of(f);
    assert_false(alias_fn_pcie_bridge_alias(ctx, br));
    assert_walk(ctx, dev, "dev=02:03.0 br=01:00.0");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_pcie_bridge_alias_quirk(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t dev = fx_fn(f, "dev", TOPO_PCI_DEVICE, br, hb, "3.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_desc(f, br)->quirks = TOPO_QUIRK_PCIE_BRIDGE_ALIAS;
    ctx = ctx_of(f);
    assert_true(alias_fn_pcie_bridge_alias(ctx, br));
    assert_walk(ctx, dev, "dev=02:03.0 br=02:00.0");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_asmedia_bridge_below_pcie_port(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t asm1083 = fx_fn(f, "asm", TOPO_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t dev = fx_fn(f, "dev", TOPO_PCI_DEVICE, asm1083, hb, "3.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, asm1083, 0x1b21, 0x1080);
    ctx = ctx_of(f);
    assert_true(alias_fn_pcie_bridge_alias(ctx, asm1083));
    assert_walk(ctx, dev, "dev=02:03.0 asm=02:00.0");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_asmedia_bridge_below_pcie_to_pci_bridge(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCIE_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t asm1083 = fx_fn(f, "asm", TOPO_PCI_BRIDGE, br, hb, "1.0");
    uint32_t dev = fx_fn(f, "dev", TOPO_PCI_DEVICE, asm1083, hb, "4.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, asm1083, 0x1b21, 0x1080);
    ctx = ctx_of(f);
    assert_false(alias_fn_pcie_bridge_alias(ctx, asm1083));
    assert_walk(ctx, dev, "dev=03:04.0 asm=02:01.0 br=02:00.0");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_asmedia_bridge_on_root_bus(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t asm1083 = fx_fn(f, "asm", TOPO_PCI_BRIDGE, TOPO_NONE, hb, "1e.0");
    uint32_t dev = fx_fn(f, "dev", TOPO_PCI_DEVICE, asm1083, hb, "4.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, asm1083, 0x1b21, 0x1080);
    ctx = ctx_of(f);
    assert_false(alias_fn_pcie_bridge_alias(ctx, asm1083));
    assert_walk(ctx, dev, "dev=01:04.0 asm=00:1e.0");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_stacked_pci_bridges_bottom_up(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t b1 = fx_fn(f, "b1", TOPO_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t b2 = fx_fn(f, "b2", TOPO_PCI_BRIDGE, b1, hb, "1.0");
    uint32_t b3 = fx_fn(f, "b3", TOPO_PCI_BRIDGE, b2, hb, "2.0");
    uint32_t dev = fx_fn(f, "dev", TOPO_PCI_DEVICE, b3, hb, "3.0");
    struct alias_ctx *ctx;

    (void)state;
    ctx = ctx_of(f);
    assert_walk(ctx, dev, "dev=04:03.0 b3=03:02.0 b2=02:01.0 b1=01:00.0");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_xlate_root_quirk_stops(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t a = fx_fn(f, "a", TOPO_PCI_BRIDGE, TOPO_NONE, hb, "5.0");
    uint32_t b = fx_fn(f, "b", TOPO_PCI_BRIDGE, a, hb, "0.0");
    uint32_t dev = fx_fn(f, "dev", TOPO_PCI_DEVICE, b, hb, "3.0");
    struct fx *g = fx_new();
    uint32_t hb2 = fx_hb(g, "pci0", 0, 0);
    uint32_t a2 = fx_fn(g, "a", TOPO_PCI_BRIDGE, TOPO_NONE, hb2, "5.0");
    uint32_t b2 = fx_fn(g, "b", TOPO_PCI_BRIDGE, a2, hb2, "0.0");
    uint32_t dev2 = fx_fn(g, "dev", TOPO_PCI_DEVICE, b2, hb2, "3.0");
    struct alias_ctx *ctx, *ctx2;

    (void)state;
    fx_desc(f, b)->quirks = TOPO_QUIRK_XLATE_ROOT;  /* neither b nor a adds an alias */
    fx_desc(g, a2)->quirks = TOPO_QUIRK_XLATE_ROOT; /* b adds its own; a does not */
    ctx = ctx_of(f);
    ctx2 = ctx_of(g);
    assert_true(alias_fn_xlate_root(ctx, b));
    assert_false(alias_fn_xlate_root(ctx, a));
    assert_walk(ctx, dev, "dev=02:03.0");
    assert_walk(ctx2, dev2, "dev=02:03.0 b=01:00.0");
    alias_ctx_free(ctx2);
    alias_ctx_free(ctx);
    fx_free(g);
    fx_free(f);
}

static void test_alias__walk_broadcom_xlate_root_builtin(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t a = fx_fn(f, "a", TOPO_PCI_BRIDGE, TOPO_NONE, hb, "5.0");
    uint32_t vulcan = fx_fn(f, "vulcan", TOPO_PCI_BRIDGE, a, hb, "0.0");
    uint32_t dev = fx_fn(f, "dev", TOPO_PCI_DEVICE, vulcan, hb, "3.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, vulcan, 0x14e4, 0x9000);
    ctx = ctx_of(f);
    assert_true(alias_fn_xlate_root(ctx, vulcan));
    assert_walk(ctx, dev, "dev=02:03.0");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_dma_alias_ranges_in_devfn_order(void **state)
{
    /* written out of order; 04.0-04.2 covers the function's own devfn 04.0 */
    static const struct topo_devfn_range ranges[] = {
        { PCI_DEVFN(4, 0), PCI_DEVFN(4, 2) },
        { PCI_DEVFN(2, 0), PCI_DEVFN(2, 1) },
        { PCI_DEVFN(3, 7), PCI_DEVFN(3, 7) },
    };
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCIE_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t dev = fx_fn(f, "dev", TOPO_PCI_DEVICE, br, hb, "4.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_desc(f, dev)->dma_alias = ranges;
    fx_desc(f, dev)->ndma_alias = 3;
    ctx = ctx_of(f);
    assert_walk(ctx, dev,
                "dev=02:04.0 dev=02:02.0 dev=02:02.1 dev=02:03.7 dev=02:04.0 dev=02:04.1 "
                "dev=02:04.2 br=02:00.0");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_marvell_func1_alias(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t sata = fx_fn(f, "sata", TOPO_ENDPOINT, rp, hb, "0.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, sata, 0x1b4b, 0x9123);
    ctx = ctx_of(f);
    assert_walk(ctx, sata, "sata=01:00.0 sata=01:00.1"); /* fn1 does not exist: a ghost */
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_ricoh_func0_alias(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t r0 = fx_fn(f, "r0", TOPO_ENDPOINT, TOPO_NONE, hb, "5.0");
    uint32_t r1 = fx_fn(f, "r1", TOPO_ENDPOINT, TOPO_NONE, hb, "5.1");
    uint32_t lone = fx_fn(f, "lone", TOPO_ENDPOINT, TOPO_NONE, hb, "6.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, r0, 0x1180, 0xe822);   /* not quirked */
    fx_ids(f, r1, 0x1180, 0xe832);   /* quirk_dma_func0_alias */
    fx_ids(f, lone, 0x1180, 0xe832); /* quirked, but function 0 itself */
    ctx = ctx_of(f);
    assert_walk(ctx, r1, "r1=00:05.1 r1=00:05.0");
    assert_walk(ctx, r0, "r0=00:05.0");
    assert_walk(ctx, lone, "lone=00:06.0");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_plx_ntb_aliases_all_devfns(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t ntb = fx_fn(f, "ntb", TOPO_ENDPOINT, rp, hb, "0.1");
    struct alias_ctx *ctx;
    struct walk w;

    (void)state;
    fx_ids(f, ntb, 0x10b5, 0x87b0);
    ctx = ctx_of(f);
    memset(&w, 0, sizeof(w));
    assert_int_equal(alias_for_each(ctx, ntb, collect, &w), 0);
    assert_int_equal(w.n, 257);
    assert_int_equal(w.owner[0], ntb);
    assert_int_equal(w.rid[0].rid, 0x0101);
    for (unsigned d = 0; d < 256; d++) {
        assert_int_equal(w.owner[1 + d], ntb);
        assert_int_equal(w.rid[1 + d].segment, 0);
        assert_int_equal(w.rid[1 + d].rid, 0x0100 | d);
    }
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_adaptec_fixed_alias_needs_subsystem(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t r3405 = fx_fn(f, "r3405", TOPO_PCI_DEVICE, TOPO_NONE, hb, "e.0");
    uint32_t other = fx_fn(f, "other", TOPO_PCI_DEVICE, TOPO_NONE, hb, "f.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, r3405, 0x9005, 0x0285);
    fx_subsystem(f, r3405, 0x9005, 0x02bb);
    fx_ids(f, other, 0x9005, 0x0285);
    fx_subsystem(f, other, 0x9005, 0x0200);
    ctx = ctx_of(f);
    assert_walk(ctx, r3405, "r3405=00:0e.0 r3405=00:01.0");
    assert_walk(ctx, other, "other=00:0f.0");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__walk_no_builtin_switches_table_off(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t asm1083 = fx_fn(f, "asm", TOPO_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t sata = fx_fn(f, "sata", TOPO_PCI_DEVICE, asm1083, hb, "3.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, asm1083, 0x1b21, 0x1080);
    fx_desc(f, asm1083)->quirks = TOPO_QUIRK_NO_BUILTIN;
    fx_ids(f, sata, 0x1b4b, 0x9123);
    fx_desc(f, sata)->quirks = TOPO_QUIRK_NO_BUILTIN;
    ctx = ctx_of(f);
    assert_false(alias_fn_pcie_bridge_alias(ctx, asm1083));
    assert_walk(ctx, sata, "sata=02:03.0 asm=01:00.0");
    alias_ctx_free(ctx);
    fx_free(f);
}

/* hb0 (segment 0) holds the VMD RCiEP; every function below hb1 (segment 1) DMAs as it. */
struct vmd {
    struct fx *f;
    uint32_t vmd, rp, nvme;
};

static struct vmd vmd_machine(void)
{
    struct vmd m;
    uint32_t hb0, hb1;

    m.f = fx_new();
    hb0 = fx_hb(m.f, "pci0", 0, 0);
    hb1 = fx_hb(m.f, "vmd0", 1, 0);
    m.vmd = fx_fn(m.f, "vmd", TOPO_RC_ENDPOINT, TOPO_NONE, hb0, "e.0");
    m.rp = fx_fn(m.f, "vrp", TOPO_ROOT_PORT, TOPO_NONE, hb1, "0.0");
    m.nvme = fx_fn(m.f, "nvme", TOPO_ENDPOINT, m.rp, hb1, "0.0");
    fx_dma_owner(m.f, hb1, m.vmd);
    fx_dmar(m.f);
    return m;
}

static void test_alias__walk_vmd_child_starts_with_owner(void **state)
{
    struct vmd m = vmd_machine();
    struct alias_ctx *ctx;

    (void)state;
    ctx = ctx_of(m.f);
    assert_int_equal(alias_fn_dma_owner(ctx, m.nvme), m.vmd);
    assert_int_equal(alias_fn_dma_owner(ctx, m.vmd), m.vmd);
    assert_walk(ctx, m.nvme, "vmd=0000:00:0e.0");
    assert_walk(ctx, m.rp, "vmd=0000:00:0e.0");
    alias_ctx_free(ctx);
    fx_free(m.f);
}

static void test_alias__walk_callback_return_stops(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t b1 = fx_fn(f, "b1", TOPO_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t b2 = fx_fn(f, "b2", TOPO_PCI_BRIDGE, b1, hb, "1.0");
    uint32_t dev = fx_fn(f, "dev", TOPO_PCI_DEVICE, b2, hb, "3.0");
    struct alias_ctx *ctx;
    struct walk w;

    (void)state;
    ctx = ctx_of(f);
    memset(&w, 0, sizeof(w));
    w.stop_at = 2;
    w.stop_ret = 7;
    assert_int_equal(alias_for_each(ctx, dev, collect, &w), 7);
    assert_int_equal(w.n, 2);
    assert_int_equal(w.owner[1], b2);
    memset(&w, 0, sizeof(w));
    w.stop_at = 1;
    w.stop_ret = -3;
    assert_int_equal(alias_for_each(ctx, dev, collect, &w), -3);
    assert_int_equal(w.n, 1);
    assert_int_equal(w.owner[0], dev);
    alias_ctx_free(ctx);
    fx_free(f);
}

/* --- ACS --------------------------------------------------------------------------------- */

static void test_alias__acs_root_port_without_cap(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    struct alias_ctx *ctx;
    struct alias_acs a;

    (void)state;
    ctx = ctx_of(f);
    a = alias_acs_enabled(ctx, rp);
    assert_false(a.enabled);
    assert_int_equal(a.why, ALIAS_ACS_NO_CAP);
    assert_null(a.quirk);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_full_enables(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    struct alias_ctx *ctx;
    struct alias_acs a;

    (void)state;
    fx_acs_full(f, rp);
    ctx = ctx_of(f);
    a = alias_acs_enabled(ctx, rp);
    assert_true(a.enabled);
    assert_int_equal(a.why, ALIAS_ACS_FLAGS_OK);
    assert_int_equal(a.cap, ACS_REQ);
    assert_int_equal(a.ctrl, ACS_REQ);
    assert_int_equal(a.missing, 0);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_empty_ctrl_enabled_by_os(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    struct alias_ctx *ctx;
    struct alias_acs a;

    (void)state;
    fx_acs(f, rp, ACS_REQ, 0);
    ctx = ctx_of(f);
    a = alias_acs_enabled(ctx, rp);
    assert_true(a.enabled);
    assert_int_equal(a.why, ALIAS_ACS_FLAGS_OK);
    assert_int_equal(a.cap, ACS_REQ);
    assert_int_equal(a.ctrl, 0); /* the register as firmware left it */
    assert_int_equal(a.missing, 0);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_empty_ctrl_without_os_enable(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    struct alias_ctx *ctx;
    struct alias_acs a;

    (void)state;
    fx_acs(f, rp, ACS_REQ | PCI_ACS_EC, 0);
    fx_os_enables_acs(f, false);
    ctx = ctx_of(f);
    a = alias_acs_enabled(ctx, rp);
    assert_false(a.enabled);
    assert_int_equal(a.why, ALIAS_ACS_CTRL);
    assert_int_equal(a.missing, ACS_REQ); /* egress control is not required */
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_unadvertised_feature_counts_as_on(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t no_rr = fx_fn(f, "no_rr", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t rr_off = fx_fn(f, "rr_off", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");
    struct alias_ctx *ctx;
    struct alias_acs a;

    (void)state;
    fx_acs(f, no_rr, PCI_ACS_SV | PCI_ACS_CR | PCI_ACS_UF, PCI_ACS_SV | PCI_ACS_CR | PCI_ACS_UF);
    fx_acs(f, rr_off, ACS_REQ, PCI_ACS_SV | PCI_ACS_CR | PCI_ACS_UF);
    fx_os_enables_acs(f, false);
    ctx = ctx_of(f);
    assert_acs(ctx, no_rr, true, ALIAS_ACS_FLAGS_OK);
    a = alias_acs_enabled(ctx, rr_off);
    assert_false(a.enabled);
    assert_int_equal(a.why, ALIAS_ACS_CTRL);
    assert_int_equal(a.missing, PCI_ACS_RR);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_conventional_never_isolates(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t dev = fx_fn(f, "dev", TOPO_PCI_DEVICE, TOPO_NONE, hb, "3.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCI_BRIDGE, TOPO_NONE, hb, "4.0");
    struct alias_ctx *ctx;

    (void)state;
    ctx = ctx_of(f);
    assert_acs(ctx, dev, false, ALIAS_ACS_CONVENTIONAL);
    assert_acs(ctx, br, false, ALIAS_ACS_CONVENTIONAL);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_pci_bridge_types_never_isolate(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCIE_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t rev = fx_fn(f, "rev", TOPO_PCI_PCIE_BRIDGE, br, hb, "1.0");
    struct alias_ctx *ctx;

    (void)state;
    ctx = ctx_of(f);
    assert_acs(ctx, br, false, ALIAS_ACS_BRIDGE_TYPE);
    assert_acs(ctx, rev, false, ALIAS_ACS_BRIDGE_TYPE);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_single_function_endpoint_needs_none(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t ep = fx_fn(f, "ep", TOPO_ENDPOINT, rp, hb, "0.0");
    struct alias_ctx *ctx;

    (void)state;
    ctx = ctx_of(f);
    assert_acs(ctx, ep, true, ALIAS_ACS_SINGLE_FUNCTION);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_multifunction_endpoint_without_cap(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t f0 = fx_fn(f, "f0", TOPO_ENDPOINT, rp, hb, "0.0");
    uint32_t f1 = fx_fn(f, "f1", TOPO_ENDPOINT, rp, hb, "0.1");
    struct alias_ctx *ctx;

    (void)state;
    ctx = ctx_of(f);
    assert_acs(ctx, f0, false, ALIAS_ACS_NO_CAP);
    assert_acs(ctx, f1, false, ALIAS_ACS_NO_CAP);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_intel_pch_quirk_enabled_by_os(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, rp, 0x8086, 0x1c10);
    ctx = ctx_of(f);
    assert_acs(ctx, rp, true, ALIAS_ACS_QUIRK);
    assert_quirk(ctx, rp, "pci_quirk_intel_pch_acs");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_intel_pch_quirk_not_enabled(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, rp, 0x8086, 0x1c10);
    fx_os_enables_acs(f, false);
    ctx = ctx_of(f);
    assert_acs(ctx, rp, false, ALIAS_ACS_QUIRK_NOT_ENABLED);
    assert_quirk(ctx, rp, "pci_quirk_intel_pch_acs");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_intel_rciep_quirk(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t f0 = fx_fn(f, "f0", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "14.0");
    uint32_t f2 = fx_fn(f, "f2", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "14.2");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, f0, 0x8086, 0xa0ed);
    fx_ids(f, f2, 0x8086, 0xa0ef);
    ctx = ctx_of(f);
    assert_acs(ctx, f0, true, ALIAS_ACS_QUIRK);
    assert_acs(ctx, f2, true, ALIAS_ACS_QUIRK);
    assert_quirk(ctx, f0, "pci_quirk_rciep_acs");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_non_intel_rciep_not_isolated(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t f0 = fx_fn(f, "f0", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "14.0");
    uint32_t f2 = fx_fn(f, "f2", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "14.2");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, f0, 0x1022, 0x1234);
    fx_ids(f, f2, 0x1022, 0x1235);
    ctx = ctx_of(f);
    assert_acs(ctx, f0, false, ALIAS_ACS_NO_CAP);
    assert_acs(ctx, f2, false, ALIAS_ACS_NO_CAP);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_mf_endpoint_quirk(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t f0 = fx_fn(f, "f0", TOPO_ENDPOINT, rp, hb, "0.0");
    uint32_t f1 = fx_fn(f, "f1", TOPO_ENDPOINT, rp, hb, "0.1");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, f0, 0x8086, 0x10c9);
    fx_ids(f, f1, 0x8086, 0x10c9);
    ctx = ctx_of(f);
    assert_acs(ctx, f0, true, ALIAS_ACS_QUIRK);
    assert_acs(ctx, f1, true, ALIAS_ACS_QUIRK);
    assert_quirk(ctx, f0, "pci_quirk_mf_endpoint_acs");
    alias_ctx_free(ctx);
    fx_free(f);
}

/* An SB7x0-style southbridge: two functions of one slot on the root bus, under iommu. */
static struct fx *amd_sb(enum topo_iommu_kind iommu, bool on_root_bus, uint32_t *smbus)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t parent = TOPO_NONE;
    uint32_t ide;

    if (!on_root_bus) {
        parent = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
        fx_acs_full(f, parent);
    }
    *smbus = fx_fn(f, "smbus", TOPO_ENDPOINT, parent, hb, on_root_bus ? "14.0" : "0.0");
    ide = fx_fn(f, "ide", TOPO_ENDPOINT, parent, hb, on_root_bus ? "14.1" : "0.1");
    fx_ids(f, *smbus, 0x1002, 0x4385);
    fx_ids(f, ide, 0x1002, 0x439c);
    fx_iommu(f, "iommu0", iommu, NULL, 0);
    return f;
}

static void test_alias__acs_amd_sb_quirk_needs_amd_vi(void **state)
{
    uint32_t smbus = TOPO_NONE, smbus2 = TOPO_NONE;
    struct fx *amd = amd_sb(TOPO_IOMMU_AMD_VI, true, &smbus);
    struct fx *intel = amd_sb(TOPO_IOMMU_VTD, true, &smbus2);
    struct alias_ctx *ctx, *ctx2;

    (void)state;
    ctx = ctx_of(amd);
    ctx2 = ctx_of(intel);
    assert_acs(ctx, smbus, true, ALIAS_ACS_QUIRK);
    assert_quirk(ctx, smbus, "pci_quirk_amd_sb_acs");
    assert_acs(ctx2, smbus2, false, ALIAS_ACS_NO_CAP);
    alias_ctx_free(ctx2);
    alias_ctx_free(ctx);
    fx_free(intel);
    fx_free(amd);
}

static void test_alias__acs_amd_sb_quirk_root_bus_only(void **state)
{
    uint32_t smbus = TOPO_NONE;
    struct fx *f = amd_sb(TOPO_IOMMU_AMD_VI, false, &smbus);
    struct alias_ctx *ctx;

    (void)state;
    ctx = ctx_of(f);
    assert_acs(ctx, smbus, false, ALIAS_ACS_NO_CAP);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_zhaoxin_ports_in_list_only(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t listed = fx_fn(f, "listed", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t other = fx_fn(f, "other", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, listed, 0x1d17, 0x0715);
    fx_ids(f, other, 0x1d17, 0x0800);
    ctx = ctx_of(f);
    assert_acs(ctx, listed, true, ALIAS_ACS_QUIRK);
    assert_acs(ctx, other, false, ALIAS_ACS_QUIRK);
    assert_quirk(ctx, other, "pci_quirk_zhaoxin_pcie_ports_acs");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_wangxun_nics_in_list_only(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t em0 = fx_fn(f, "em0", TOPO_ENDPOINT, rp0, hb, "0.0");
    uint32_t em1 = fx_fn(f, "em1", TOPO_ENDPOINT, rp0, hb, "0.1");
    uint32_t rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");
    uint32_t x0 = fx_fn(f, "x0", TOPO_ENDPOINT, rp1, hb, "0.0");
    uint32_t x1 = fx_fn(f, "x1", TOPO_ENDPOINT, rp1, hb, "0.1");
    struct alias_ctx *ctx;

    (void)state;
    fx_ids(f, em0, 0x8088, 0x0100);
    fx_ids(f, em1, 0x8088, 0x0100);
    fx_ids(f, x0, 0x8088, 0x0200);
    fx_ids(f, x1, 0x8088, 0x0200);
    ctx = ctx_of(f);
    assert_acs(ctx, em0, true, ALIAS_ACS_QUIRK);
    assert_acs(ctx, x0, false, ALIAS_ACS_QUIRK);
    assert_quirk(ctx, x0, "pci_quirk_wangxun_nic_acs");
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__acs_path_first_non_isolating_from_fn_up(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t usp0 = fx_fn(f, "usp0", TOPO_UPSTREAM_PORT, rp0, hb, "0.0");
    uint32_t dsp0 = fx_fn(f, "dsp0", TOPO_DOWNSTREAM_PORT, usp0, hb, "0.0");
    uint32_t ep0 = fx_fn(f, "ep0", TOPO_ENDPOINT, dsp0, hb, "0.0");
    uint32_t rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");
    uint32_t usp1 = fx_fn(f, "usp1", TOPO_UPSTREAM_PORT, rp1, hb, "0.0");
    uint32_t dsp1 = fx_fn(f, "dsp1", TOPO_DOWNSTREAM_PORT, usp1, hb, "0.0");
    uint32_t ep1 = fx_fn(f, "ep1", TOPO_ENDPOINT, dsp1, hb, "0.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_acs_full(f, rp0);
    fx_acs_full(f, dsp1); /* rp1 has no ACS */
    ctx = ctx_of(f);
    assert_int_equal(alias_acs_path(ctx, ep0), dsp0);
    assert_int_equal(alias_acs_path(ctx, dsp0), dsp0);
    assert_int_equal(alias_acs_path(ctx, usp0), TOPO_NONE);
    assert_int_equal(alias_acs_path(ctx, rp0), TOPO_NONE);
    assert_int_equal(alias_acs_path(ctx, ep1), rp1);
    assert_int_equal(alias_acs_path(ctx, rp1), rp1);
    alias_ctx_free(ctx);
    fx_free(f);
}

/* --- Groups ------------------------------------------------------------------------------ */

static void test_alias__group_root_port_with_acs_isolates(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t ep = fx_fn(f, "ep", TOPO_ENDPOINT, rp, hb, "0.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    fx_acs_full(f, rp);
    fx_dmar(f);
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_int_equal(alias_group_count(g), 2);
    assert_int_equal(alias_group_of(g, rp), 0);
    assert_int_equal(alias_group_of(g, ep), 1);
    assert_members(ctx, g, 1, "ep");
    assert_int_equal(reason_count(g, 1), 0);
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__group_root_port_without_acs_shares(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t ep = fx_fn(f, "ep", TOPO_ENDPOINT, rp, hb, "0.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    fx_dmar(f);
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_int_equal(alias_group_count(g), 1);
    assert_int_equal(alias_group_of(g, ep), 0);
    assert_members(ctx, g, 0, "rp ep");
    assert_int_equal(reason_count(g, 0), 1);
    assert_reason(g, 0, 0, ALIAS_REASON_ACS_PATH, ep, rp);
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__group_switch_dsps_without_acs_not_merged(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t usp = fx_fn(f, "usp", TOPO_UPSTREAM_PORT, rp, hb, "0.0");
    uint32_t dsp0 = fx_fn(f, "dsp0", TOPO_DOWNSTREAM_PORT, usp, hb, "0.0");
    uint32_t dsp1 = fx_fn(f, "dsp1", TOPO_DOWNSTREAM_PORT, usp, hb, "1.0");
    uint32_t ep0 = fx_fn(f, "ep0", TOPO_ENDPOINT, dsp0, hb, "0.0");
    uint32_t ep1 = fx_fn(f, "ep1", TOPO_ENDPOINT, dsp1, hb, "0.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    fx_acs_full(f, rp);
    fx_dmar(f);
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_int_equal(alias_group_count(g), 4);
    assert_members(ctx, g, 0, "rp");
    assert_members(ctx, g, 1, "usp");
    assert_members(ctx, g, 2, "dsp0 ep0");
    assert_members(ctx, g, 3, "dsp1 ep1");
    assert_reason(g, 2, 0, ALIAS_REASON_ACS_PATH, ep0, dsp0);
    assert_reason(g, 3, 0, ALIAS_REASON_ACS_PATH, ep1, dsp1);
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

/* A two-function endpoint below an isolating root port, with or without ACS on each function. */
static struct fx *mf_endpoint(bool acs, uint32_t *f0, uint32_t *f1)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");

    *f0 = fx_fn(f, "f0", TOPO_ENDPOINT, rp, hb, "0.0");
    *f1 = fx_fn(f, "f1", TOPO_ENDPOINT, rp, hb, "0.1");
    fx_acs_full(f, rp);
    if (acs) {
        fx_acs_full(f, *f0);
        fx_acs_full(f, *f1);
    }
    fx_dmar(f);
    return f;
}

static void test_alias__group_multifunction_without_acs_one_group(void **state)
{
    uint32_t f0 = TOPO_NONE, f1 = TOPO_NONE;
    struct fx *f = mf_endpoint(false, &f0, &f1);
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_int_equal(alias_group_count(g), 2);
    assert_members(ctx, g, 1, "f0 f1");
    assert_int_equal(reason_count(g, 1), 1);
    assert_reason(g, 1, 0, ALIAS_REASON_MULTIFUNCTION, f1, f0);
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__group_multifunction_with_acs_two_groups(void **state)
{
    uint32_t f0 = TOPO_NONE, f1 = TOPO_NONE;
    struct fx *f = mf_endpoint(true, &f0, &f1);
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_int_equal(alias_group_count(g), 3);
    assert_int_equal(alias_group_of(g, f0), 1);
    assert_int_equal(alias_group_of(g, f1), 2);
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__group_pcie_to_pci_bridge_shares_everything_behind(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCIE_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t d0 = fx_fn(f, "d0", TOPO_PCI_DEVICE, br, hb, "1.0");
    uint32_t d1 = fx_fn(f, "d1", TOPO_PCI_DEVICE, br, hb, "2.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;
    const struct alias_reason *r;

    (void)state;
    fx_acs_full(f, rp);
    fx_dmar(f);
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_int_equal(alias_group_count(g), 2);
    assert_members(ctx, g, 1, "br d0 d1");
    assert_int_equal(reason_count(g, 1), 2);
    r = assert_reason(g, 1, 0, ALIAS_REASON_BRIDGE_ALIAS, d0, br);
    assert_int_equal(r->rid.rid, 0x0200);
    r = assert_reason(g, 1, 1, ALIAS_REASON_BRIDGE_ALIAS, d1, br);
    assert_int_equal(r->rid.rid, 0x0200);
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__group_pci_bridge_on_root_bus_shares_everything_behind(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t br = fx_fn(f, "br", TOPO_PCI_BRIDGE, TOPO_NONE, hb, "1e.0");
    uint32_t d0 = fx_fn(f, "d0", TOPO_PCI_DEVICE, br, hb, "1.0");
    uint32_t d1 = fx_fn(f, "d1", TOPO_PCI_DEVICE, br, hb, "2.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;
    const struct alias_reason *r;

    (void)state;
    fx_dmar(f);
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_int_equal(alias_group_count(g), 1);
    assert_members(ctx, g, 0, "br d0 d1");
    r = assert_reason(g, 0, 0, ALIAS_REASON_BRIDGE_ALIAS, d0, br);
    assert_int_equal(r->rid.rid, 0x00f0); /* the bridge's own RID, 00:1e.0 */
    assert_reason(g, 0, 1, ALIAS_REASON_BRIDGE_ALIAS, d1, br);
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__group_numbers_follow_probe_order(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    /* defined out of order; buses numbered so that BDF order differs from probe order */
    uint32_t rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");
    uint32_t b = fx_fn(f, "b", TOPO_ENDPOINT, rp1, hb, "0.0");
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t a = fx_fn(f, "a", TOPO_ENDPOINT, rp0, hb, "0.0");
    uint32_t c = fx_fn(f, "c", TOPO_ENDPOINT, TOPO_NONE, hb, "1f.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    fx_acs_full(f, rp0);
    fx_acs_full(f, rp1);
    fx_bus(f, rp0, 5, 5);
    fx_bus(f, rp1, 2, 2);
    fx_dmar(f);
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_int_equal(alias_group_count(g), 5);
    /* root bus first (rp0, rp1, c), then rp0's subtree (a, bus 5), then rp1's (b, bus 2) */
    assert_int_equal(alias_group_of(g, rp0), 0);
    assert_int_equal(alias_group_of(g, rp1), 1);
    assert_int_equal(alias_group_of(g, c), 2);
    assert_int_equal(alias_group_of(g, a), 3);
    assert_int_equal(alias_group_of(g, b), 4);
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__group_numbers_per_iommu_in_file_order(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb0 = fx_hb(f, "pci0", 0, 0);
    uint32_t hb1 = fx_hb(f, "pci1", 0, 0x80);
    uint32_t x = fx_fn(f, "x", TOPO_ENDPOINT, TOPO_NONE, hb0, "2.0");
    uint32_t x2 = fx_fn(f, "x2", TOPO_ENDPOINT, TOPO_NONE, hb0, "3.0");
    uint32_t y = fx_fn(f, "y", TOPO_ENDPOINT, TOPO_NONE, hb1, "2.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    fx_iommu(f, "dmar0", TOPO_IOMMU_VTD, &hb1, 1); /* file order: hb1's IOMMU first */
    fx_iommu(f, "dmar1", TOPO_IOMMU_VTD, &hb0, 1);
    ctx = ctx_of(f);
    assert_int_equal(alias_fn_iommu(ctx, y), 0);
    assert_int_equal(alias_fn_iommu(ctx, x), 1);
    g = groups_of(ctx);
    assert_int_equal(alias_group_count(g), 3);
    assert_int_equal(alias_group_of(g, y), 0);
    assert_int_equal(alias_group_of(g, x), 1);
    assert_int_equal(alias_group_of(g, x2), 2);
    assert_int_equal(alias_group_iommu(g, 0), 0);
    assert_int_equal(alias_group_iommu(g, 1), 1);
    assert_int_equal(alias_group_iommu(g, 2), 1);
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__group_uncovered_functions_have_no_group(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb0 = fx_hb(f, "pci0", 0, 0);
    uint32_t hb1 = fx_hb(f, "pci1", 0, 0x80);
    uint32_t x = fx_fn(f, "x", TOPO_ENDPOINT, TOPO_NONE, hb0, "2.0");
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb1, "1c.0");
    uint32_t y = fx_fn(f, "y", TOPO_ENDPOINT, rp, hb1, "0.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    fx_iommu(f, "dmar0", TOPO_IOMMU_VTD, &hb0, 1);
    ctx = ctx_of(f);
    assert_int_equal(alias_fn_iommu(ctx, y), TOPO_NONE);
    g = groups_of(ctx);
    assert_int_equal(alias_group_count(g), 1);
    assert_int_equal(alias_group_of(g, x), 0);
    assert_int_equal(alias_group_of(g, rp), ALIAS_NO_GROUP);
    assert_int_equal(alias_group_of(g, y), ALIAS_NO_GROUP);
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__group_without_iommu_is_empty(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t x = fx_fn(f, "x", TOPO_ENDPOINT, TOPO_NONE, hb, "2.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_int_equal(alias_group_count(g), 0);
    assert_int_equal(alias_group_of(g, x), ALIAS_NO_GROUP);
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__group_members_in_bdf_order(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCIE_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t x = fx_fn(f, "X", TOPO_PCI_BRIDGE, br, hb, "1.0");
    uint32_t z = fx_fn(f, "Z", TOPO_PCI_BRIDGE, br, hb, "2.0");
    uint32_t dx = fx_fn(f, "dX", TOPO_PCI_DEVICE, x, hb, "0.0");
    uint32_t dz = fx_fn(f, "dZ", TOPO_PCI_DEVICE, z, hb, "0.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    fx_acs_full(f, rp);
    fx_bus(f, rp, 1, 5);
    fx_bus(f, br, 2, 5);
    fx_bus(f, x, 5, 5); /* probed before Z's subtree, but on a higher bus */
    fx_bus(f, z, 3, 3);
    fx_dmar(f);
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_int_equal(alias_group_count(g), 2);
    assert_int_equal(alias_group_of(g, dx), 1);
    assert_int_equal(alias_group_of(g, dz), 1);
    assert_members(ctx, g, 1, "br X Z dZ dX");
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

/* --- Group reasons in words -------------------------------------------------------------- */

static void test_alias__reason_bridge_alias_text(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCIE_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t d0 = fx_fn(f, "d0", TOPO_PCI_DEVICE, br, hb, "1.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    fx_acs_full(f, rp);
    fx_dmar(f);
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_reason_text(ctx, assert_reason(g, 1, 0, ALIAS_REASON_BRIDGE_ALIAS, d0, br),
                       "02:01.0 aliases to 02:00.0 through PCIe-to-PCI bridge 01:00.0");
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__reason_acs_path_no_cap_text(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t ep = fx_fn(f, "ep", TOPO_ENDPOINT, rp, hb, "0.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    fx_dmar(f);
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_reason_text(ctx, assert_reason(g, 0, 0, ALIAS_REASON_ACS_PATH, ep, rp),
                       "root port 00:1c.0 has no ACS capability, so 01:00.0 is not isolated "
                       "from the devices above it");
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__reason_acs_path_ctrl_text(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t ep = fx_fn(f, "ep", TOPO_ENDPOINT, rp, hb, "0.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    fx_acs(f, rp, ACS_REQ, PCI_ACS_SV | PCI_ACS_CR | PCI_ACS_UF);
    fx_os_enables_acs(f, false);
    fx_dmar(f);
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_reason_text(ctx, assert_reason(g, 0, 0, ALIAS_REASON_ACS_PATH, ep, rp),
                       "root port 00:1c.0 does not enable ACS RR (cap has it); "
                       "platform.os_enables_acs is false, so 01:00.0 is not isolated from the "
                       "devices above it");
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__reason_acs_path_quirk_not_enabled_text(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t ep = fx_fn(f, "ep", TOPO_ENDPOINT, rp, hb, "0.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    fx_ids(f, rp, 0x8086, 0x1c10);
    fx_os_enables_acs(f, false);
    fx_dmar(f);
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_reason_text(ctx, assert_reason(g, 0, 0, ALIAS_REASON_ACS_PATH, ep, rp),
                       "root port 00:1c.0: ACS quirk for 8086:1c10 not applied "
                       "(pci_quirk_intel_pch_acs isolates only after the OS's enable hook, and "
                       "platform.os_enables_acs is false), so 01:00.0 is not isolated from the "
                       "devices above it");
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__reason_multifunction_text(void **state)
{
    uint32_t f0 = TOPO_NONE, f1 = TOPO_NONE;
    struct fx *f = mf_endpoint(false, &f0, &f1);
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    ctx = ctx_of(f);
    g = groups_of(ctx);
    assert_reason_text(ctx, assert_reason(g, 1, 0, ALIAS_REASON_MULTIFUNCTION, f1, f0),
                       "functions 01:00.0 and 01:00.1 are one multifunction device without ACS");
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__reason_same_bus_alias_text(void **state)
{
    static const struct topo_devfn_range to_03[] = { { PCI_DEVFN(3, 0), PCI_DEVFN(3, 0) } };
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t a = fx_fn(f, "a", TOPO_ENDPOINT, TOPO_NONE, hb, "2.0");
    uint32_t b = fx_fn(f, "b", TOPO_ENDPOINT, TOPO_NONE, hb, "3.0");
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    fx_desc(f, a)->dma_alias = to_03;
    fx_desc(f, a)->ndma_alias = 1;
    fx_dmar(f);
    ctx = ctx_of(f);
    assert_true(alias_fns_are_dma_aliases(ctx, a, b));
    assert_true(alias_fns_are_dma_aliases(ctx, b, a));
    g = groups_of(ctx);
    assert_int_equal(alias_group_count(g), 1);
    assert_members(ctx, g, 0, "a b");
    assert_int_equal(reason_count(g, 0), 1);
    assert_reason_text(ctx, assert_reason(g, 0, 0, ALIAS_REASON_SAME_BUS_ALIAS, b, a),
                       "00:03.0 and 00:02.0 are DMA aliases of each other (dma_alias or a DMA "
                       "alias quirk)");
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__reason_dma_owner_text(void **state)
{
    struct vmd m = vmd_machine();
    struct alias_ctx *ctx;
    struct alias_groups *g;

    (void)state;
    ctx = ctx_of(m.f);
    g = groups_of(ctx);
    assert_int_equal(alias_group_count(g), 1);
    assert_members(ctx, g, 0, "vmd vrp nvme");
    assert_int_equal(reason_count(g, 0), 2);
    assert_reason_text(ctx, assert_reason(g, 0, 0, ALIAS_REASON_DMA_OWNER, m.rp, m.vmd),
                       "0001:00:00.0 DMAs as root-complex integrated endpoint 0000:00:0e.0, the "
                       "dma_owner of its host bridge (Intel VMD)");
    assert_reason(g, 0, 1, ALIAS_REASON_DMA_OWNER, m.nvme, m.vmd);
    alias_groups_free(g);
    alias_ctx_free(ctx);
    fx_free(m.f);
}

/* --- Address spaces ---------------------------------------------------------------------- */

static void test_alias__as_guest_behind_pcie_to_pci_bridge(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pcie.0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCIE_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t d0 = fx_fn(f, "d0", TOPO_PCI_DEVICE, br, hb, "1.0");
    uint32_t d1 = fx_fn(f, "d1", TOPO_PCI_DEVICE, br, hb, "1.1");
    struct alias_ctx *ctx;

    (void)state;
    fx_dmar(f);
    ctx = ctx_of(f);
    assert_as(alias_address_space(ctx, d0, true, true), 0, 0, 2, PCI_DEVFN(0, 0));
    assert_as(alias_address_space(ctx, d1, true, true), 0, 0, 2, PCI_DEVFN(0, 0));
    assert_true(alias_as_eq(alias_address_space(ctx, d0, true, true),
                            alias_address_space(ctx, d1, true, true)));
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__as_guest_behind_pci_bridge_is_bridge(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pcie.0", 0, 0);
    uint32_t br = fx_fn(f, "br", TOPO_PCI_BRIDGE, TOPO_NONE, hb, "3.0");
    uint32_t d = fx_fn(f, "d", TOPO_PCI_DEVICE, br, hb, "2.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_dmar(f);
    ctx = ctx_of(f);
    assert_as(alias_address_space(ctx, d, true, true), 0, 0, 0, PCI_DEVFN(3, 0));
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__as_guest_behind_root_port_is_own(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pcie.0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t f0 = fx_fn(f, "f0", TOPO_ENDPOINT, rp, hb, "0.0");
    uint32_t f1 = fx_fn(f, "f1", TOPO_ENDPOINT, rp, hb, "0.1");
    struct alias_ctx *ctx;

    (void)state;
    fx_dmar(f);
    ctx = ctx_of(f);
    assert_as(alias_address_space(ctx, f0, true, true), 0, 0, 1, PCI_DEVFN(0, 0));
    assert_as(alias_address_space(ctx, f1, true, true), 0, 0, 1, PCI_DEVFN(0, 1));
    assert_false(alias_as_eq(alias_address_space(ctx, f0, true, true),
                             alias_address_space(ctx, f1, true, true)));
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__as_guest_outermost_conventional_hop_wins(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pcie.0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCIE_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t pb = fx_fn(f, "pb", TOPO_PCI_BRIDGE, br, hb, "1.0");
    uint32_t d = fx_fn(f, "d", TOPO_PCI_DEVICE, pb, hb, "4.0");
    struct fx *g = fx_new();
    uint32_t hb2 = fx_hb(g, "pcie.0", 0, 0);
    uint32_t pb2 = fx_fn(g, "pb", TOPO_PCI_BRIDGE, TOPO_NONE, hb2, "5.0");
    uint32_t br2 = fx_fn(g, "br", TOPO_PCIE_PCI_BRIDGE, pb2, hb2, "1.0");
    uint32_t d2 = fx_fn(g, "d", TOPO_PCI_DEVICE, br2, hb2, "4.0");
    struct alias_ctx *ctx, *ctx2;

    (void)state;
    fx_dmar(f);
    fx_dmar(g);
    ctx = ctx_of(f);
    ctx2 = ctx_of(g);
    /* pb's hop gives (02, 01.0), then br's (02, 00.0) replaces it */
    assert_as(alias_address_space(ctx, d, true, true), 0, 0, 2, PCI_DEVFN(0, 0));
    /* br's hop gives (02, 00.0), then pb's (00, 05.0) replaces it */
    assert_as(alias_address_space(ctx2, d2, true, true), 0, 0, 0, PCI_DEVFN(5, 0));
    alias_ctx_free(ctx2);
    alias_ctx_free(ctx);
    fx_free(g);
    fx_free(f);
}

static void test_alias__as_guest_without_qemu_aliases_is_own(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pcie.0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCIE_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t pb = fx_fn(f, "pb", TOPO_PCI_BRIDGE, br, hb, "1.0");
    uint32_t d = fx_fn(f, "d", TOPO_PCI_DEVICE, pb, hb, "4.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_dmar(f);
    ctx = ctx_of(f);
    assert_as(alias_address_space(ctx, d, true, false), 0, 0, 3, PCI_DEVFN(4, 0));
    assert_as(alias_address_space(ctx, pb, true, false), 0, 0, 2, PCI_DEVFN(1, 0));
    assert_as(alias_address_space(ctx, br, true, false), 0, 0, 1, PCI_DEVFN(0, 0));
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__as_host_is_last_alias(void **state)
{
    static const struct topo_devfn_range to_07[] = { { PCI_DEVFN(7, 0), PCI_DEVFN(7, 0) } };
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t d = fx_fn(f, "d", TOPO_PCI_DEVICE, br, hb, "3.0");
    uint32_t e = fx_fn(f, "e", TOPO_ENDPOINT, TOPO_NONE, hb, "2.0");
    struct alias_ctx *ctx;

    (void)state;
    fx_desc(f, br)->quirks = TOPO_QUIRK_PCIE_BRIDGE_ALIAS;
    fx_desc(f, e)->dma_alias = to_07;
    fx_desc(f, e)->ndma_alias = 1;
    fx_dmar(f);
    ctx = ctx_of(f);
    assert_as(alias_address_space(ctx, d, false, true), 0, 0, 2, PCI_DEVFN(0, 0));
    assert_as(alias_address_space(ctx, e, false, true), 0, 0, 0, PCI_DEVFN(7, 0));
    assert_as(alias_address_space(ctx, rp, false, true), 0, 0, 0, PCI_DEVFN(0x1c, 0));
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__as_without_iommu_is_untranslated(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCIE_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t d = fx_fn(f, "d", TOPO_PCI_DEVICE, br, hb, "1.0");
    struct alias_ctx *ctx;
    struct strbuf sb = STRBUF_INIT;

    (void)state;
    ctx = ctx_of(f);
    assert_int_equal(alias_address_space(ctx, d, true, true).iommu, TOPO_NONE);
    assert_int_equal(alias_address_space(ctx, d, false, true).iommu, TOPO_NONE);
    alias_as_format(&sb, ctx, alias_address_space(ctx, d, true, true));
    assert_string_equal(strbuf_cstr(&sb), "none");
    strbuf_fini(&sb);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_alias__as_format(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pcie.0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCIE_PCI_BRIDGE, rp, hb, "0.0");
    uint32_t d = fx_fn(f, "d", TOPO_PCI_DEVICE, br, hb, "1.0");
    struct alias_ctx *ctx;
    struct strbuf sb = STRBUF_INIT;

    (void)state;
    fx_dmar(f);
    ctx = ctx_of(f);
    alias_as_format(&sb, ctx, alias_address_space(ctx, d, true, true));
    assert_string_equal(strbuf_cstr(&sb), "dmar0:02:00.0");
    strbuf_fini(&sb);
    alias_ctx_free(ctx);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* alias walk */
        cmocka_unit_test(test_alias__walk_own_rid_only_on_root_bus),
        cmocka_unit_test(test_alias__walk_pcie_ports_add_nothing),
        cmocka_unit_test(test_alias__walk_pcie_to_pci_bridge_takes_ownership),
        cmocka_unit_test(test_alias__walk_reverse_bridge_adds_own_rid),
        cmocka_unit_test(test_alias__walk_pci_bridge_adds_own_rid),
        cmocka_unit_test(test_alias__walk_pcie_bridge_alias_quirk),
        cmocka_unit_test(test_alias__walk_asmedia_bridge_below_pcie_port),
        cmocka_unit_test(test_alias__walk_asmedia_bridge_below_pcie_to_pci_bridge),
        cmocka_unit_test(test_alias__walk_asmedia_bridge_on_root_bus),
        cmocka_unit_test(test_alias__walk_stacked_pci_bridges_bottom_up),
        cmocka_unit_test(test_alias__walk_xlate_root_quirk_stops),
        cmocka_unit_test(test_alias__walk_broadcom_xlate_root_builtin),
        cmocka_unit_test(test_alias__walk_dma_alias_ranges_in_devfn_order),
        cmocka_unit_test(test_alias__walk_marvell_func1_alias),
        cmocka_unit_test(test_alias__walk_ricoh_func0_alias),
        cmocka_unit_test(test_alias__walk_plx_ntb_aliases_all_devfns),
        cmocka_unit_test(test_alias__walk_adaptec_fixed_alias_needs_subsystem),
        cmocka_unit_test(test_alias__walk_no_builtin_switches_table_off),
        cmocka_unit_test(test_alias__walk_vmd_child_starts_with_owner),
        cmocka_unit_test(test_alias__walk_callback_return_stops),
        /* ACS */
        cmocka_unit_test(test_alias__acs_root_port_without_cap),
        cmocka_unit_test(test_alias__acs_full_enables),
        cmocka_unit_test(test_alias__acs_empty_ctrl_enabled_by_os),
        cmocka_unit_test(test_alias__acs_empty_ctrl_without_os_enable),
        cmocka_unit_test(test_alias__acs_unadvertised_feature_counts_as_on),
        cmocka_unit_test(test_alias__acs_conventional_never_isolates),
        cmocka_unit_test(test_alias__acs_pci_bridge_types_never_isolate),
        cmocka_unit_test(test_alias__acs_single_function_endpoint_needs_none),
        cmocka_unit_test(test_alias__acs_multifunction_endpoint_without_cap),
        cmocka_unit_test(test_alias__acs_intel_pch_quirk_enabled_by_os),
        cmocka_unit_test(test_alias__acs_intel_pch_quirk_not_enabled),
        cmocka_unit_test(test_alias__acs_intel_rciep_quirk),
        cmocka_unit_test(test_alias__acs_non_intel_rciep_not_isolated),
        cmocka_unit_test(test_alias__acs_mf_endpoint_quirk),
        cmocka_unit_test(test_alias__acs_amd_sb_quirk_needs_amd_vi),
        cmocka_unit_test(test_alias__acs_amd_sb_quirk_root_bus_only),
        cmocka_unit_test(test_alias__acs_zhaoxin_ports_in_list_only),
        cmocka_unit_test(test_alias__acs_wangxun_nics_in_list_only),
        cmocka_unit_test(test_alias__acs_path_first_non_isolating_from_fn_up),
        /* groups */
        cmocka_unit_test(test_alias__group_root_port_with_acs_isolates),
        cmocka_unit_test(test_alias__group_root_port_without_acs_shares),
        cmocka_unit_test(test_alias__group_switch_dsps_without_acs_not_merged),
        cmocka_unit_test(test_alias__group_multifunction_without_acs_one_group),
        cmocka_unit_test(test_alias__group_multifunction_with_acs_two_groups),
        cmocka_unit_test(test_alias__group_pcie_to_pci_bridge_shares_everything_behind),
        cmocka_unit_test(test_alias__group_pci_bridge_on_root_bus_shares_everything_behind),
        cmocka_unit_test(test_alias__group_numbers_follow_probe_order),
        cmocka_unit_test(test_alias__group_numbers_per_iommu_in_file_order),
        cmocka_unit_test(test_alias__group_uncovered_functions_have_no_group),
        cmocka_unit_test(test_alias__group_without_iommu_is_empty),
        cmocka_unit_test(test_alias__group_members_in_bdf_order),
        /* reasons */
        cmocka_unit_test(test_alias__reason_bridge_alias_text),
        cmocka_unit_test(test_alias__reason_acs_path_no_cap_text),
        cmocka_unit_test(test_alias__reason_acs_path_ctrl_text),
        cmocka_unit_test(test_alias__reason_acs_path_quirk_not_enabled_text),
        cmocka_unit_test(test_alias__reason_multifunction_text),
        cmocka_unit_test(test_alias__reason_same_bus_alias_text),
        cmocka_unit_test(test_alias__reason_dma_owner_text),
        /* address spaces */
        cmocka_unit_test(test_alias__as_guest_behind_pcie_to_pci_bridge),
        cmocka_unit_test(test_alias__as_guest_behind_pci_bridge_is_bridge),
        cmocka_unit_test(test_alias__as_guest_behind_root_port_is_own),
        cmocka_unit_test(test_alias__as_guest_outermost_conventional_hop_wins),
        cmocka_unit_test(test_alias__as_guest_without_qemu_aliases_is_own),
        cmocka_unit_test(test_alias__as_host_is_last_alias),
        cmocka_unit_test(test_alias__as_without_iommu_is_untranslated),
        cmocka_unit_test(test_alias__as_format),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

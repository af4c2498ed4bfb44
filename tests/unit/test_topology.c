/* Unit tests of sim/topology: BDFs, bus numbering, slots, order, config registers, PCI rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "sim/topology/bdf.h"
#include "sim/topology/pci_regs.h"
#include "sim/topology/topology.h"
#include "sim/util/err.h"

#define K(n) ((uint64_t)(n) << 10)
#define M(n) ((uint64_t)(n) << 20)
#define G(n) ((uint64_t)(n) << 30)

static uint32_t rd(const struct fx *f, uint32_t fn, uint16_t off, unsigned len)
{
    return topo_cfg_read(f->t, fn, off, len);
}

static void wr(struct fx *f, uint32_t fn, uint16_t off, unsigned len, uint32_t val)
{
    topo_cfg_write(f->t, fn, off, len, val);
}

static void assert_bdf(const struct fx *f, uint32_t fn, const char *expect)
{
    char buf[BDF_STRLEN];

    assert_string_equal(bdf_format(buf, topo_fn_bdf(f->t, fn), true), expect);
}

static void assert_range(const struct fx *f, uint32_t fn, unsigned sec, unsigned sub)
{
    uint8_t s = 0, u = 0;

    assert_true(topo_fn_bus_range(f->t, fn, &s, &u));
    assert_int_equal(s, sec);
    assert_int_equal(u, sub);
}

static struct bdf mkbdf(uint16_t domain, uint8_t bus, uint8_t dev, uint8_t fn)
{
    struct bdf b = { domain, bus, dev, fn };

    return b;
}

/* The build fails with exactly one error diagnostic, at line:col, with this message. */
static void expect_one_error(struct fx *f, uint32_t line, uint32_t col, const char *msg)
{
    assert_int_equal(fx_build(f), SIM_EINVAL);
    if (f->diags.n != 1)
        fx_print_diags(&f->diags);
    assert_int_equal(f->diags.n, 1);
    assert_int_equal(f->diags.nerrors, 1);
    fx_assert_diag(&f->diags, 0, DIAG_ERROR, line, col, msg);
}

/* --- BDFs -------------------------------------------------------------------------------- */

static void test_topology__bdf_parse_forms(void **state)
{
    struct bdf b;
    bool dom = false;

    (void)state;
    assert_int_equal(bdf_parse(&b, &dom, "0000:02:1c.3"), 0);
    assert_true(dom);
    assert_true(bdf_eq(b, mkbdf(0, 2, 0x1c, 3)));
    assert_int_equal(bdf_parse(&b, &dom, "02:1c.3"), 0);
    assert_false(dom);
    assert_true(bdf_eq(b, mkbdf(0, 2, 0x1c, 3)));
    assert_int_equal(bdf_parse(&b, &dom, "ffff:ff:1f.7"), 0);
    assert_true(bdf_eq(b, mkbdf(0xffff, 0xff, 0x1f, 7)));
    assert_int_equal(bdf_parse(&b, NULL, "1:0:2.1"), 0); /* short fields, no has_domain */
    assert_true(bdf_eq(b, mkbdf(1, 0, 2, 1)));
    assert_int_equal(bdf_parse(&b, NULL, "0A:1C.0"), 0); /* upper-case hex */
    assert_true(bdf_eq(b, mkbdf(0, 0x0a, 0x1c, 0)));
}

static void test_topology__bdf_parse_rejects(void **state)
{
    static const char *const bad[] = {
        "",              /* nothing */
        "00:1c",         /* no function */
        "00:1c.",        /* empty function */
        "1c.0",          /* no bus */
        "100:00.0",      /* bus above ff without a domain */
        "0000:100:00.0", /* three-digit bus */
        "12345:00:00.0", /* five-digit domain */
        "00:20.0",       /* slot above 1f */
        "00:00.8",       /* function above 7 */
        "00:00.0 ",      /* trailing text */
        "0000:00:00.0:", /* trailing colon */
        "g0:00.0",       /* not hex */
        ":00.0",         /* empty bus */
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct bdf b = mkbdf(0x1234, 0x56, 7, 1);
        bool dom = true;

        if (bdf_parse(&b, &dom, bad[i]) != SIM_EINVAL) {
            print_message("'%s' parsed\n", bad[i]);
            fail();
        }
        assert_true(bdf_eq(b, mkbdf(0x1234, 0x56, 7, 1))); /* untouched */
        assert_true(dom);
    }
}

static void test_topology__bdf_format(void **state)
{
    char buf[BDF_STRLEN];
    char df[DEVFN_STRLEN];

    (void)state;
    assert_string_equal(bdf_format(buf, mkbdf(1, 2, 3, 4), true), "0001:02:03.4");
    assert_string_equal(bdf_format(buf, mkbdf(1, 2, 3, 4), false), "02:03.4");
    assert_string_equal(bdf_format(buf, mkbdf(0xffff, 0xff, 0x1f, 7), true), "ffff:ff:1f.7");
    assert_string_equal(devfn_format(df, PCI_DEVFN(0x1c, 0)), "1c.0");
    assert_string_equal(devfn_format(df, 0x0f), "01.7");
}

static void test_topology__devfn_parse_edges(void **state)
{
    uint8_t d = 0xaa;

    (void)state;
    assert_int_equal(devfn_parse(&d, "1c.0"), DEVFN_OK);
    assert_int_equal(d, 0xe0);
    assert_int_equal(devfn_parse(&d, "2.0"), DEVFN_OK);
    assert_int_equal(d, 0x10);
    assert_int_equal(devfn_parse(&d, "02.0"), DEVFN_OK);
    assert_int_equal(d, 0x10);
    assert_int_equal(devfn_parse(&d, "1F.7"), DEVFN_OK);
    assert_int_equal(d, 0xff);
    assert_int_equal(devfn_parse(&d, "0.0"), DEVFN_OK);
    assert_int_equal(d, 0x00);

    d = 0xaa;
    assert_int_equal(devfn_parse(&d, "20.0"), DEVFN_SLOT_RANGE);
    assert_int_equal(devfn_parse(&d, "ff.0"), DEVFN_SLOT_RANGE);
    assert_int_equal(devfn_parse(&d, "0.8"), DEVFN_FUNC_RANGE);
    assert_int_equal(devfn_parse(&d, "0.f"), DEVFN_FUNC_RANGE);
    assert_int_equal(devfn_parse(&d, "1c"), DEVFN_SYNTAX);
    assert_int_equal(devfn_parse(&d, ".0"), DEVFN_SYNTAX);
    assert_int_equal(devfn_parse(&d, "1c."), DEVFN_SYNTAX);
    assert_int_equal(devfn_parse(&d, "123.0"), DEVFN_SYNTAX);
    assert_int_equal(devfn_parse(&d, "0.10"), DEVFN_SYNTAX);
    assert_int_equal(devfn_parse(&d, "1c.0 "), DEVFN_SYNTAX);
    assert_int_equal(devfn_parse(&d, "g.0"), DEVFN_SYNTAX);
    assert_int_equal(devfn_parse(&d, ""), DEVFN_SYNTAX);
    assert_int_equal(d, 0xaa); /* untouched by every failure */
}

static void test_topology__bdf_rid_and_order(void **state)
{
    struct bdf b = mkbdf(0, 2, 1, 0);

    (void)state;
    assert_int_equal(bdf_rid(b), 0x0208);
    assert_true(bdf_eq(bdf_from_rid(3, 0x0208), mkbdf(3, 2, 1, 0)));
    assert_true(bdf_eq(bdf_from_rid(0, 0xffff), mkbdf(0, 0xff, 0x1f, 7)));
    assert_true(bdf_cmp(mkbdf(0, 1, 0, 0), mkbdf(0, 0, 0x1f, 7)) > 0);
    assert_true(bdf_cmp(mkbdf(0, 0, 0x1c, 0), mkbdf(0, 0, 0x1c, 1)) < 0);
    assert_true(bdf_cmp(mkbdf(1, 0, 0, 0), mkbdf(0, 0xff, 0x1f, 7)) > 0);
    assert_int_equal(bdf_cmp(mkbdf(0, 3, 4, 5), mkbdf(0, 3, 4, 5)), 0);
}

static void test_topology__kind_names(void **state)
{
    enum topo_kind k = TOPO_ENDPOINT;

    (void)state;
    for (unsigned i = 0; i < TOPO_KIND_COUNT; i++) {
        assert_int_equal(topo_kind_parse(&k, topo_kind_name((enum topo_kind)i)), 0);
        assert_int_equal(k, i);
    }
    assert_string_equal(topo_kind_name(TOPO_PCIE_PCI_BRIDGE), "pcie-pci-bridge");
    assert_int_equal(topo_kind_parse(&k, "root_port"), SIM_ENOTFOUND);
    assert_true(topo_kind_is_bridge(TOPO_ROOT_PORT));
    assert_true(topo_kind_is_bridge(TOPO_PCI_BRIDGE));
    assert_true(topo_kind_is_bridge(TOPO_PCI_PCIE_BRIDGE));
    assert_false(topo_kind_is_bridge(TOPO_ENDPOINT));
    assert_false(topo_kind_is_bridge(TOPO_HOST_BRIDGE));
    assert_true(topo_kind_is_pcie(TOPO_RC_ENDPOINT));
    assert_false(topo_kind_is_pcie(TOPO_PCI_BRIDGE));
    assert_false(topo_kind_is_pcie(TOPO_PCI_DEVICE));
}

/* --- Bus numbering ----------------------------------------------------------------------- */

/*
 * pci0 -> rp0 00:1c.0 -> up0 01:00.0 -> dp0 02:00.0 -> ep0 03:00.0
 *                                    -> dp1 02:01.0 -> ep1 04:00.0
 *      -> rp1 00:1c.1 -> ep2 05:00.0
 *      -> ep3 00:02.0
 * dp1 is added before dp0 and rp1 before rp0: numbering follows devfn, not insertion.
 */
static void test_topology__bus_numbers_depth_first(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.1");
    uint32_t ep2 = fx_fn(f, "ep2", TOPO_ENDPOINT, rp1, hb, "0.0");
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t up0 = fx_fn(f, "up0", TOPO_UPSTREAM_PORT, rp0, hb, "0.0");
    uint32_t dp1 = fx_fn(f, "dp1", TOPO_DOWNSTREAM_PORT, up0, hb, "1.0");
    uint32_t ep1 = fx_fn(f, "ep1", TOPO_ENDPOINT, dp1, hb, "0.0");
    uint32_t dp0 = fx_fn(f, "dp0", TOPO_DOWNSTREAM_PORT, up0, hb, "0.0");
    uint32_t ep0 = fx_fn(f, "ep0", TOPO_ENDPOINT, dp0, hb, "0.0");
    uint32_t ep3 = fx_fn(f, "ep3", TOPO_ENDPOINT, TOPO_NONE, hb, "2.0");

    (void)state;
    fx_finalize(f);
    assert_int_equal(f->diags.n, 0);
    assert_range(f, rp0, 1, 4);
    assert_range(f, up0, 2, 4);
    assert_range(f, dp0, 3, 3);
    assert_range(f, dp1, 4, 4);
    assert_range(f, rp1, 5, 5);
    assert_int_equal(rd(f, rp0, PCI_PRIMARY_BUS, 1), 0);
    assert_int_equal(rd(f, up0, PCI_PRIMARY_BUS, 1), 1);
    assert_int_equal(rd(f, dp1, PCI_PRIMARY_BUS, 1), 2);
    assert_int_equal(rd(f, rp1, PCI_PRIMARY_BUS, 1), 0);
    assert_bdf(f, rp0, "0000:00:1c.0");
    assert_bdf(f, rp1, "0000:00:1c.1");
    assert_bdf(f, up0, "0000:01:00.0");
    assert_bdf(f, dp0, "0000:02:00.0");
    assert_bdf(f, dp1, "0000:02:01.0");
    assert_bdf(f, ep0, "0000:03:00.0");
    assert_bdf(f, ep1, "0000:04:00.0");
    assert_bdf(f, ep2, "0000:05:00.0");
    assert_bdf(f, ep3, "0000:00:02.0");
    assert_int_equal(topo_fn_bus(f->t, ep1), 4);
    /* an endpoint has no bus range */
    {
        uint8_t s = 0, u = 0;

        assert_false(topo_fn_bus_range(f->t, ep0, &s, &u));
    }
    fx_free(f);
}

static void test_topology__bus_numbers_explicit(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t up0 = fx_fn(f, "up0", TOPO_UPSTREAM_PORT, rp0, hb, "0.0");
    uint32_t dp0 = fx_fn(f, "dp0", TOPO_DOWNSTREAM_PORT, up0, hb, "0.0");
    uint32_t dp1 = fx_fn(f, "dp1", TOPO_DOWNSTREAM_PORT, up0, hb, "1.0");
    uint32_t ep0 = fx_fn(f, "ep0", TOPO_ENDPOINT, dp1, hb, "0.0");

    (void)state;
    fx_bus(f, rp0, 0x10, 0x1f);
    fx_bus(f, up0, 0x11, 0x1f);
    fx_bus(f, dp0, 0x12, 0x12);
    fx_bus(f, dp1, 0x18, 0x1f);
    fx_finalize(f);
    assert_range(f, rp0, 0x10, 0x1f);
    assert_range(f, up0, 0x11, 0x1f);
    assert_range(f, dp0, 0x12, 0x12);
    assert_range(f, dp1, 0x18, 0x1f);
    assert_int_equal(rd(f, dp1, PCI_PRIMARY_BUS, 1), 0x11);
    assert_bdf(f, ep0, "0000:18:00.0");
    fx_free(f);
}

static void test_topology__bus_numbers_automatic_after_explicit(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");
    uint32_t rp2 = fx_fn(f, "rp2", TOPO_ROOT_PORT, TOPO_NONE, hb, "1e.0");
    uint32_t up2 = fx_fn(f, "up2", TOPO_UPSTREAM_PORT, rp2, hb, "0.0");
    uint32_t rp3 = fx_fn(f, "rp3", TOPO_ROOT_PORT, TOPO_NONE, hb, "1f.0");
    uint32_t ep3 = fx_fn(f, "ep3", TOPO_ENDPOINT, rp3, hb, "0.0");

    (void)state;
    fx_bus(f, rp0, 0x10, -1);
    fx_bus(f, rp2, 0x20, -1);
    fx_finalize(f);
    assert_range(f, rp0, 0x10, 0x10);
    assert_range(f, rp1, 0x11, 0x11); /* one more than the explicit 0x10 */
    assert_range(f, rp2, 0x20, 0x21); /* explicit secondary, subordinate from below */
    assert_range(f, up2, 0x21, 0x21);
    assert_range(f, rp3, 0x22, 0x22);
    assert_bdf(f, ep3, "0000:22:00.0");
    fx_free(f);
}

static void test_topology__bus_numbers_explicit_subordinate_reserves_range(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t ep0 = fx_fn(f, "ep0", TOPO_ENDPOINT, rp0, hb, "0.0");
    uint32_t rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");
    uint32_t rp2 = fx_fn(f, "rp2", TOPO_ROOT_PORT, TOPO_NONE, hb, "1e.0");
    uint32_t rp3 = fx_fn(f, "rp3", TOPO_ROOT_PORT, TOPO_NONE, hb, "1f.0");

    (void)state;
    fx_bus(f, rp0, 1, 0x20);  /* hotplug reserve: 0x02-0x20 stay free */
    fx_bus(f, rp2, -1, 0x30); /* automatic secondary, explicit subordinate */
    fx_finalize(f);
    assert_range(f, rp0, 1, 0x20);
    assert_bdf(f, ep0, "0000:01:00.0");
    assert_range(f, rp1, 0x21, 0x21); /* above the reserved range, not 0x02 */
    assert_range(f, rp2, 0x22, 0x30);
    assert_range(f, rp3, 0x31, 0x31);
    fx_free(f);
}

static void test_topology__bus_numbers_host_bridges_share_segment(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb1 = fx_hb(f, "pci1", 0, 0x40); /* added first, walked second */
    uint32_t hb0 = fx_hb(f, "pci0", 0, 0);
    uint32_t rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb1, "0.0");
    uint32_t ep1 = fx_fn(f, "ep1", TOPO_ENDPOINT, rp1, hb1, "0.0");
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb0, "1c.0");
    uint32_t rp0b = fx_fn(f, "rp0b", TOPO_ROOT_PORT, TOPO_NONE, hb0, "1d.0");
    uint32_t ep0 = fx_fn(f, "ep0", TOPO_ENDPOINT, rp0b, hb0, "0.0");

    (void)state;
    fx_finalize(f);
    assert_int_equal(topo_hb_count(f->t), 2);
    assert_int_equal(topo_hb_order(f->t, 0), hb0);
    assert_int_equal(topo_hb_order(f->t, 1), hb1);
    assert_int_equal(topo_hb_first_child(f->t, hb0), rp0);
    assert_int_equal(topo_hb_first_child(f->t, hb1), rp1);
    assert_range(f, rp0, 1, 1);
    assert_range(f, rp0b, 2, 2);
    assert_range(f, rp1, 0x41, 0x41);
    assert_bdf(f, rp1, "0000:40:00.0");
    assert_bdf(f, ep1, "0000:41:00.0");
    assert_bdf(f, ep0, "0000:02:00.0");
    assert_true(topo_single_segment(f->t));
    fx_free(f);
}

static void test_topology__bus_numbers_per_segment(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb1 = fx_hb(f, "pci1", 1, 0);
    uint32_t hb0 = fx_hb(f, "pci0", 0, 0);
    uint32_t rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb1, "1c.0");
    uint32_t ep1 = fx_fn(f, "ep1", TOPO_ENDPOINT, rp1, hb1, "0.0");
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb0, "1c.0");
    uint32_t rp0b = fx_fn(f, "rp0b", TOPO_ROOT_PORT, TOPO_NONE, hb0, "1d.0");
    uint32_t ep0 = fx_fn(f, "ep0", TOPO_ENDPOINT, rp0b, hb0, "0.0");

    (void)state;
    fx_finalize(f);
    assert_range(f, rp0, 1, 1);
    assert_range(f, rp0b, 2, 2);
    assert_range(f, rp1, 1, 1); /* segment 1 starts over */
    assert_bdf(f, ep1, "0001:01:00.0");
    assert_bdf(f, ep0, "0000:02:00.0");
    assert_false(topo_single_segment(f->t));
    assert_int_equal(topo_hb_order(f->t, 0), hb0);
    /* canonical order: all of segment 0 first */
    assert_int_equal(topo_fn_order(f->t, 0), rp0);
    assert_int_equal(topo_fn_order(f->t, 1), rp0b);
    assert_int_equal(topo_fn_order(f->t, 2), ep0);
    assert_int_equal(topo_fn_order(f->t, 3), rp1);
    assert_int_equal(topo_fn_order(f->t, 4), ep1);
    assert_int_equal(topo_fn_find_bdf(f->t, mkbdf(1, 1, 0, 0)), ep1);
    assert_int_equal(topo_fn_find_bdf(f->t, mkbdf(0, 1, 0, 0)), TOPO_NONE);
    fx_free(f);
}

static void test_topology__bus_number_collision(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp1;

    (void)state;
    fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");
    fx_bus(f, rp1, 1, -1); /* rp0 got bus 1 automatically */
    expect_one_error(
        f, FX_SEC_LINE(rp1), 5,
        "secondary bus 0x01 of 'rp1' collides with the secondary bus assigned to 'rp0'");
    fx_free(f);
}

static void test_topology__root_bus_collision(void **state)
{
    struct fx *f = fx_new();

    (void)state;
    fx_hb(f, "pci0", 0, 0);
    fx_hb(f, "pci1", 0, 0);
    expect_one_error(f, FX_HB_LINE(1), 7,
                     "root bus 0x00 of host bridge 'pci1' collides with the root bus of host "
                     "bridge 'pci0'");
    fx_free(f);
}

static void test_topology__root_bus_inside_bridge_range(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");

    (void)state;
    fx_hb(f, "pci1", 0, 0x40);
    fx_bus(f, rp0, 0x30, 0x50);
    expect_one_error(f, FX_LINE(rp0), 3,
                     "bus range 30-50 of 'rp0' contains the root bus 0x40 of host bridge 'pci1'");
    fx_free(f);
}

static void test_topology__explicit_secondary_not_above_its_bus(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0x10);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");

    (void)state;
    fx_bus(f, rp0, 0x08, -1);
    expect_one_error(f, FX_SEC_LINE(rp0), 5,
                     "secondary bus 0x08 of 'rp0' is outside its parent's range: it must be "
                     "above bus 0x10, which 'rp0' sits on");
    fx_free(f);
}

static void test_topology__explicit_secondary_outside_parent_range(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t up0 = fx_fn(f, "up0", TOPO_UPSTREAM_PORT, rp0, hb, "0.0");

    (void)state;
    fx_bus(f, rp0, 1, 2);
    fx_bus(f, up0, 5, -1);
    expect_one_error(f, FX_SEC_LINE(up0), 5,
                     "secondary bus 0x05 of 'up0' is outside the bus range 01-02 of 'rp0'");
    fx_free(f);
}

static void test_topology__automatic_bridge_outside_parent_range(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t up0 = fx_fn(f, "up0", TOPO_UPSTREAM_PORT, rp0, hb, "0.0");

    (void)state;
    fx_bus(f, rp0, 1, 1); /* no room below rp0 for up0's bus */
    expect_one_error(f, FX_LINE(up0), 3,
                     "no bus left for 'up0' in the bus range 01-01 of 'rp0' (the next free bus "
                     "is 0x02)");
    fx_free(f);
}

static void test_topology__bus_numbers_exhausted(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");

    (void)state;
    fx_bus(f, rp0, 0xff, -1);
    expect_one_error(f, FX_LINE(rp1), 3,
                     "no bus number left for 'rp1': segment 0000 has only 256 buses");
    fx_free(f);
}

static void test_topology__explicit_ranges_overlapping_siblings(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");

    (void)state;
    fx_bus(f, rp0, 1, 5);
    fx_bus(f, rp1, 3, 6); /* starts inside rp0's range */
    expect_one_error(f, FX_SEC_LINE(rp1), 5,
                     "secondary bus 0x03 of 'rp1' lies inside the bus range 01-05 of 'rp0', "
                     "which is not above it");
    fx_free(f);
}

/*
 * A child's explicit subordinate beyond its parent's explicit subordinate: the ranges no
 * longer nest (up0 02-09 inside rp0 01-03), which topology.h promises never to accept.
 */
static void test_topology__explicit_subordinate_beyond_parent_range(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t up0 = fx_fn(f, "up0", TOPO_UPSTREAM_PORT, rp0, hb, "0.0");

    (void)state;
    fx_bus(f, rp0, 1, 3);
    fx_bus(f, up0, 2, 9);
    assert_int_equal(fx_build_isolated(f), SIM_EINVAL);
    fx_free(f);
}

/* An explicit subordinate below the secondary that numbering assigned (rp1 gets 0x06). */
static void test_topology__explicit_subordinate_below_automatic_secondary(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");

    (void)state;
    fx_bus(f, rp0, 5, 5);
    fx_bus(f, rp1, -1, 4);
    assert_int_equal(fx_build_isolated(f), SIM_EINVAL);
    fx_free(f);
}

/* --- Slots and order --------------------------------------------------------------------- */

static void test_topology__multifunction_header_bit(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t a0 = fx_fn(f, "a0", TOPO_ENDPOINT, TOPO_NONE, hb, "2.0");
    uint32_t a1 = fx_fn(f, "a1", TOPO_ENDPOINT, TOPO_NONE, hb, "2.1");
    uint32_t a3 = fx_fn(f, "a3", TOPO_PCI_DEVICE, TOPO_NONE, hb, "2.3");
    uint32_t lone = fx_fn(f, "lone", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "3.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCI_BRIDGE, TOPO_NONE, hb, "4.0");
    uint32_t brf = fx_fn(f, "brf", TOPO_PCI_DEVICE, TOPO_NONE, hb, "4.1");

    (void)state;
    fx_finalize(f);
    assert_int_equal(f->diags.n, 0);
    assert_true(topo_fn_is_multifunction(f->t, a0));
    assert_true(topo_fn_is_multifunction(f->t, a1));
    assert_true(topo_fn_is_multifunction(f->t, a3));
    assert_false(topo_fn_is_multifunction(f->t, lone));
    assert_true(topo_fn_is_multifunction(f->t, br));
    assert_true(topo_fn_is_multifunction(f->t, brf));
    assert_int_equal(rd(f, a0, PCI_HEADER_TYPE, 1), 0x80);
    assert_int_equal(rd(f, a3, PCI_HEADER_TYPE, 1), 0x80);
    assert_int_equal(rd(f, lone, PCI_HEADER_TYPE, 1), 0x00);
    assert_int_equal(rd(f, br, PCI_HEADER_TYPE, 1), 0x81); /* type 1 kept under the bit */
    assert_range(f, br, 1, 1);                             /* still read as a bridge */
    fx_free(f);
}

static void test_topology__slot_without_function_0_warns(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t lone = fx_fn(f, "lone", TOPO_ENDPOINT, TOPO_NONE, hb, "5.1");
    uint32_t p1 = fx_fn(f, "p1", TOPO_ENDPOINT, TOPO_NONE, hb, "6.1");
    uint32_t p2 = fx_fn(f, "p2", TOPO_ENDPOINT, TOPO_NONE, hb, "6.2");

    (void)state;
    fx_finalize(f);
    assert_int_equal(f->diags.n, 2);
    assert_int_equal(f->diags.nerrors, 0);
    fx_assert_diag(&f->diags, 0, DIAG_WARNING, FX_DEVFN_LINE(lone), 5,
                   "'lone' is at 05.1 but slot 05 has no function 0: Linux scans a slot only "
                   "when function 0 exists");
    fx_assert_diag(&f->diags, 1, DIAG_WARNING, FX_DEVFN_LINE(p1), 5,
                   "'p1' is at 06.1 but slot 06 has no function 0: Linux scans a slot only "
                   "when function 0 exists");
    assert_false(topo_fn_is_multifunction(f->t, lone));
    assert_true(topo_fn_is_multifunction(f->t, p1));
    assert_true(topo_fn_is_multifunction(f->t, p2));
    fx_free(f);
}

static void test_topology__placement_warnings(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t up0 = fx_fn(f, "up0", TOPO_UPSTREAM_PORT, TOPO_NONE, hb, "3.0");
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t nic = fx_fn(f, "nic", TOPO_PCI_DEVICE, rp0, hb, "0.0");

    (void)state;
    fx_finalize(f);
    assert_int_equal(f->diags.n, 2);
    assert_int_equal(f->diags.nerrors, 0);
    fx_assert_diag(&f->diags, 0, DIAG_WARNING, FX_LINE(up0), 3,
                   "upstream-port 'up0' sits below host-bridge 'pci0': a switch port cannot sit "
                   "on a root bus; put it below a root port");
    fx_assert_diag(&f->diags, 1, DIAG_WARNING, FX_LINE(nic), 3,
                   "pci-device 'nic' sits below root-port 'rp0': a PCIe link cannot host a "
                   "conventional PCI function; put a pcie-pci-bridge in between");
    fx_free(f);
}

static void test_topology__siblings_in_devfn_order(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t e3 = fx_fn(f, "e3", TOPO_ENDPOINT, TOPO_NONE, hb, "3.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCI_BRIDGE, TOPO_NONE, hb, "2.0");
    uint32_t e1 = fx_fn(f, "e1", TOPO_ENDPOINT, TOPO_NONE, hb, "1.0");
    uint32_t c1f = fx_fn(f, "c1f", TOPO_PCI_DEVICE, br, hb, "1f.0");
    uint32_t c00 = fx_fn(f, "c00", TOPO_PCI_DEVICE, br, hb, "0.0");
    uint32_t c07 = fx_fn(f, "c07", TOPO_PCI_DEVICE, br, hb, "7.0");

    (void)state;
    fx_finalize(f);
    assert_int_equal(topo_hb_first_child(f->t, hb), e1);
    assert_int_equal(topo_fn_next_sibling(f->t, e1), br);
    assert_int_equal(topo_fn_next_sibling(f->t, br), e3);
    assert_int_equal(topo_fn_next_sibling(f->t, e3), TOPO_NONE);
    assert_int_equal(topo_fn_first_child(f->t, br), c00);
    assert_int_equal(topo_fn_next_sibling(f->t, c00), c07);
    assert_int_equal(topo_fn_next_sibling(f->t, c07), c1f);
    assert_int_equal(topo_fn_next_sibling(f->t, c1f), TOPO_NONE);
    assert_int_equal(topo_fn_first_child(f->t, e1), TOPO_NONE);
    assert_int_equal(topo_fn_parent(f->t, c07), br);
    assert_int_equal(topo_fn_parent(f->t, br), TOPO_NONE);
    assert_int_equal(topo_fn_hb(f->t, c07), hb);
    assert_int_equal(topo_fn_devfn(f->t, c1f), 0xf8);
    fx_free(f);
}

static void test_topology__devfn_collision(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t b;

    (void)state;
    fx_fn(f, "a", TOPO_ENDPOINT, TOPO_NONE, hb, "2.0");
    b = fx_fn(f, "b", TOPO_ENDPOINT, TOPO_NONE, hb, "02.0");
    expect_one_error(f, FX_DEVFN_LINE(b), 5,
                     "devfn 02.0 below 'pci0' is already used by 'a' (line 10)");
    fx_free(f);
}

static void test_topology__child_of_endpoint_rejected(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t ep0 = fx_fn(f, "ep0", TOPO_ENDPOINT, TOPO_NONE, hb, "2.0");
    uint32_t ep1 = fx_fn(f, "ep1", TOPO_ENDPOINT, ep0, hb, "0.0");

    (void)state;
    assert_int_equal(fx_build(f), SIM_EINVAL);
    assert_int_equal(f->diags.n, 1);
    fx_assert_diag_has(&f->diags, 0, DIAG_ERROR, "'ep1' is below 'ep0'");
    fx_assert_diag_has(&f->diags, 0, DIAG_ERROR,
                       "only bridges and ports have a secondary bus for children");
    assert_int_equal(f->diags.v[0].mark.line, FX_LINE(ep1));
    fx_free(f);
}

/*
 * pci0 -> rp0 00:1c.0 -> ep0 01:00.0, ep1 00:02.0; pci1 (bus 0x80) -> ep2 80:00.0; added in
 * an order unlike the canonical one.
 */
static void test_topology__canonical_order_and_find_bdf(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb1 = fx_hb(f, "pci1", 0, 0x80);
    uint32_t hb0 = fx_hb(f, "pci0", 0, 0);
    uint32_t ep2 = fx_fn(f, "ep2", TOPO_RC_ENDPOINT, TOPO_NONE, hb1, "0.0");
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb0, "1c.0");
    uint32_t ep0 = fx_fn(f, "ep0", TOPO_ENDPOINT, rp0, hb0, "0.0");
    uint32_t ep1 = fx_fn(f, "ep1", TOPO_RC_ENDPOINT, TOPO_NONE, hb0, "2.0");

    (void)state;
    fx_finalize(f);
    assert_int_equal(topo_fn_count(f->t), 4);
    assert_int_equal(topo_fn_order(f->t, 0), ep1);
    assert_int_equal(topo_fn_order(f->t, 1), rp0);
    assert_int_equal(topo_fn_order(f->t, 2), ep0);
    assert_int_equal(topo_fn_order(f->t, 3), ep2);
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t fn = topo_fn_order(f->t, i);

        assert_int_equal(topo_fn_find_bdf(f->t, topo_fn_bdf(f->t, fn)), fn);
    }
    assert_int_equal(topo_fn_find_bdf(f->t, mkbdf(0, 0x80, 0, 0)), ep2);
    assert_int_equal(topo_fn_find_bdf(f->t, mkbdf(0, 0, 3, 0)), TOPO_NONE);
    assert_int_equal(topo_fn_find_bdf(f->t, mkbdf(0, 0x80, 0, 1)), TOPO_NONE);
    assert_int_equal(topo_fn_find_bdf(f->t, mkbdf(1, 0, 2, 0)), TOPO_NONE);
    assert_int_equal(topo_fn_find_bdf(f->t, mkbdf(0, 0xff, 0x1f, 7)), TOPO_NONE);
    assert_int_equal(topo_fn_find(f->t, "ep0"), ep0);
    assert_int_equal(topo_fn_find(f->t, "nope"), TOPO_NONE);
    assert_int_equal(topo_hb_find(f->t, "pci1"), hb1);
    assert_int_equal(topo_hb_find(f->t, "ep0"), TOPO_NONE);
    assert_string_equal(topo_fn_id(f->t, ep2), "ep2");
    assert_int_equal(topo_fn_kind(f->t, ep2), TOPO_RC_ENDPOINT);
    assert_int_equal(topo_fn_mark(f->t, ep0).line, FX_LINE(ep0));
    fx_free(f);
}

/*
 * topo_fn_find_bdf() is "the function at this address now": after software renumbers rp0's
 * secondary bus from 01 to 03, ep0 is at 03:00.0 and ep1 is still at 02:00.0.
 */
static void test_topology__find_bdf_follows_bus_number_writes(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t ep0 = fx_fn(f, "ep0", TOPO_ENDPOINT, rp0, hb, "0.0");
    uint32_t rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");
    uint32_t ep1 = fx_fn(f, "ep1", TOPO_ENDPOINT, rp1, hb, "0.0");

    (void)state;
    fx_finalize(f);
    assert_bdf(f, ep0, "0000:01:00.0");
    assert_bdf(f, ep1, "0000:02:00.0");
    wr(f, rp0, PCI_SECONDARY_BUS, 2, 0x0303);
    assert_bdf(f, ep0, "0000:03:00.0");
    assert_int_equal(topo_fn_find_bdf(f->t, mkbdf(0, 3, 0, 0)), ep0);
    assert_int_equal(topo_fn_find_bdf(f->t, mkbdf(0, 1, 0, 0)), TOPO_NONE);
    assert_int_equal(topo_fn_find_bdf(f->t, mkbdf(0, 2, 0, 0)), ep1);
    fx_free(f);
}

/* --- Configuration space: header and capabilities ---------------------------------------- */

static void test_topology__header_registers(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t nic = fx_fn(f, "nic", TOPO_ENDPOINT, rp, hb, "0.0");
    struct topo_fn_desc *d = fx_desc(f, nic);

    (void)state;
    d->vendor_id = 0x8086;
    d->device_id = 0x10d3;
    d->class_code = 0x020000;
    fx_desc(f, rp)->vendor_id = 0x8086;
    fx_desc(f, rp)->device_id = 0xa110;
    fx_finalize(f);
    assert_int_equal(rd(f, nic, PCI_VENDOR_ID, 2), 0x8086);
    assert_int_equal(rd(f, nic, PCI_DEVICE_ID, 2), 0x10d3);
    assert_int_equal(rd(f, nic, PCI_VENDOR_ID, 4), 0x10d38086);
    assert_int_equal(rd(f, nic, PCI_CLASS_REVISION, 4), 0x02000000);
    assert_int_equal(rd(f, nic, 0x0b, 1), 0x02); /* base class */
    assert_int_equal(rd(f, nic, PCI_HEADER_TYPE, 1), PCI_HEADER_TYPE_NORMAL);
    assert_int_equal(topo_fn_vendor(f->t, nic), 0x8086);
    assert_int_equal(topo_fn_device(f->t, nic), 0x10d3);
    assert_int_equal(topo_fn_class(f->t, nic), 0x020000);
    assert_int_equal(rd(f, rp, PCI_HEADER_TYPE, 1), PCI_HEADER_TYPE_BRIDGE);
    assert_int_equal(topo_fn_class(f->t, rp), 0x060400); /* PCI-to-PCI bridge by default */
    assert_int_equal(rd(f, rp, PCI_VENDOR_ID, 4), 0xa1108086);
    fx_free(f);
}

static void test_topology__default_ids(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t ep = fx_fn(f, "ep", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "2.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCI_BRIDGE, TOPO_NONE, hb, "3.0");

    (void)state;
    fx_finalize(f);
    assert_int_equal(topo_fn_vendor(f->t, ep), 0x1b36); /* Red Hat, as QEMU's devices */
    assert_int_equal(topo_fn_vendor(f->t, br), 0x1b36);
    assert_int_equal(topo_fn_class(f->t, br), 0x060400);
    assert_true(topo_fn_vendor(f->t, ep) != 0xffff); /* never reads as absent */
    fx_free(f);
}

/*
 * pci0 -> rp0 1c.0 -> up0 -> dp0 -> ep0
 *      -> rp1 1d.0 -> pbr0 (pcie-pci-bridge) -> pd0 1.0, pb0 2.0, rb0 3.0 -> ep1
 *      -> rp2 1e.0 -> le0;  rc0 2.0
 */
static void test_topology__pcie_capability_per_kind(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t up0 = fx_fn(f, "up0", TOPO_UPSTREAM_PORT, rp0, hb, "0.0");
    uint32_t dp0 = fx_fn(f, "dp0", TOPO_DOWNSTREAM_PORT, up0, hb, "0.0");
    uint32_t ep0 = fx_fn(f, "ep0", TOPO_ENDPOINT, dp0, hb, "0.0");
    uint32_t rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");
    uint32_t pbr0 = fx_fn(f, "pbr0", TOPO_PCIE_PCI_BRIDGE, rp1, hb, "0.0");
    uint32_t pd0 = fx_fn(f, "pd0", TOPO_PCI_DEVICE, pbr0, hb, "1.0");
    uint32_t pb0 = fx_fn(f, "pb0", TOPO_PCI_BRIDGE, pbr0, hb, "2.0");
    uint32_t rb0 = fx_fn(f, "rb0", TOPO_PCI_PCIE_BRIDGE, pbr0, hb, "3.0");
    uint32_t ep1 = fx_fn(f, "ep1", TOPO_ENDPOINT, rb0, hb, "0.0");
    uint32_t rp2 = fx_fn(f, "rp2", TOPO_ROOT_PORT, TOPO_NONE, hb, "1e.0");
    uint32_t le0 = fx_fn(f, "le0", TOPO_LEGACY_ENDPOINT, rp2, hb, "0.0");
    uint32_t rc0 = fx_fn(f, "rc0", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "2.0");
    const struct {
        uint32_t fn;
        int type;
        bool slot;
    } pcie[] = {
        { rp0, PCI_EXP_TYPE_ROOT_PORT, true },    { up0, PCI_EXP_TYPE_UPSTREAM, false },
        { dp0, PCI_EXP_TYPE_DOWNSTREAM, true },   { ep0, PCI_EXP_TYPE_ENDPOINT, false },
        { pbr0, PCI_EXP_TYPE_PCI_BRIDGE, false }, { rb0, PCI_EXP_TYPE_PCIE_BRIDGE, false },
        { ep1, PCI_EXP_TYPE_ENDPOINT, false },    { le0, PCI_EXP_TYPE_LEG_END, false },
        { rc0, PCI_EXP_TYPE_RC_END, false },      { rp1, PCI_EXP_TYPE_ROOT_PORT, true },
    };
    const uint32_t conventional[] = { pd0, pb0 };

    (void)state;
    fx_finalize(f);
    assert_int_equal(f->diags.n, 0);
    for (size_t i = 0; i < sizeof(pcie) / sizeof(pcie[0]); i++) {
        uint32_t fn = pcie[i].fn;
        uint16_t pos = topo_cfg_find_cap(f->t, fn, PCI_CAP_ID_EXP);
        uint32_t flags;

        assert_true(pos >= PCI_STD_HEADER_SIZEOF);
        assert_true(rd(f, fn, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
        assert_int_equal(rd(f, fn, pos, 1), PCI_CAP_ID_EXP);
        flags = rd(f, fn, (uint16_t)(pos + PCI_EXP_FLAGS), 2);
        assert_int_equal(flags & PCI_EXP_FLAGS_VERS, 2);
        assert_int_equal((flags & PCI_EXP_FLAGS_TYPE) >> 4, pcie[i].type);
        assert_int_equal(!!(flags & PCI_EXP_FLAGS_SLOT), pcie[i].slot);
        assert_int_equal(topo_fn_pcie_type(f->t, fn), pcie[i].type);
        assert_int_equal(topo_cfg_find_cap(f->t, fn, 0x05), 0); /* no MSI capability */
    }
    for (size_t i = 0; i < 2; i++) {
        uint32_t fn = conventional[i];

        assert_int_equal(topo_cfg_find_cap(f->t, fn, PCI_CAP_ID_EXP), 0);
        assert_int_equal(topo_fn_pcie_type(f->t, fn), -1);
        assert_int_equal(rd(f, fn, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST, 0);
        /* no extended configuration space: reads end without a completion */
        assert_int_equal(rd(f, fn, PCI_CFG_SPACE_SIZE, 4), 0xffffffff);
        assert_int_equal(topo_cfg_find_ext_cap(f->t, fn, PCI_EXT_CAP_ID_ACS), 0);
    }
    assert_int_equal(rd(f, pb0, PCI_HEADER_TYPE, 1), PCI_HEADER_TYPE_BRIDGE);
    assert_int_equal(rd(f, pd0, PCI_HEADER_TYPE, 1), PCI_HEADER_TYPE_NORMAL);
    fx_free(f);
}

static void test_topology__acs_full(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t ep = fx_fn(f, "ep", TOPO_ENDPOINT, rp, hb, "0.0");
    const uint16_t full = PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF;
    uint16_t cap = 0, ctrl = 0;

    (void)state;
    fx_acs_full(f, rp);
    fx_finalize(f);
    assert_int_equal(topo_cfg_find_ext_cap(f->t, rp, PCI_EXT_CAP_ID_ACS), 0x100);
    assert_int_equal(rd(f, rp, 0x100, 4), 0x0001000d); /* id 0xd, version 1, last */
    assert_int_equal(rd(f, rp, 0x100 + PCI_ACS_CAP, 2), full);
    assert_int_equal(rd(f, rp, 0x100 + PCI_ACS_CTRL, 2), full);
    assert_true(topo_fn_acs(f->t, rp, &cap, &ctrl));
    assert_int_equal(cap, full);
    assert_int_equal(ctrl, full);
    /* the endpoint has none: PCIe extended space reads 0 where nothing is implemented */
    assert_false(topo_fn_acs(f->t, ep, &cap, &ctrl));
    assert_int_equal(topo_cfg_find_ext_cap(f->t, ep, PCI_EXT_CAP_ID_ACS), 0);
    assert_int_equal(rd(f, ep, 0x100, 4), 0);
    fx_free(f);
}

static void test_topology__acs_registers_and_ctrl_mask(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t empty = fx_fn(f, "empty", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");
    const uint16_t cap = PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_EC;
    uint16_t c = 0, x = 0;

    (void)state;
    fx_acs(f, rp, cap, PCI_ACS_SV);
    fx_acs(f, empty, 0, 0); /* `cap: []`: a capability that advertises nothing */
    fx_finalize(f);
    assert_true(topo_fn_acs(f->t, rp, &c, &x));
    assert_int_equal(c, cap);
    assert_int_equal(x, PCI_ACS_SV);
    /* control bits of features the port lacks are hardwired to 0 */
    wr(f, rp, 0x100 + PCI_ACS_CTRL, 2, 0xffff);
    assert_int_equal(rd(f, rp, 0x100 + PCI_ACS_CTRL, 2), cap);
    wr(f, rp, 0x100 + PCI_ACS_CTRL, 2, 0);
    assert_int_equal(rd(f, rp, 0x100 + PCI_ACS_CTRL, 2), 0);
    /* the capability register is read-only */
    wr(f, rp, 0x100 + PCI_ACS_CAP, 2, 0xffff);
    assert_int_equal(rd(f, rp, 0x100 + PCI_ACS_CAP, 2), cap);
    wr(f, rp, 0x100, 4, 0);
    assert_int_equal(rd(f, rp, 0x100, 4), 0x0001000d);

    assert_true(topo_fn_acs(f->t, empty, &c, &x));
    assert_int_equal(c, 0);
    assert_int_equal(x, 0);
    wr(f, empty, 0x100 + PCI_ACS_CTRL, 2, 0xffff);
    assert_int_equal(rd(f, empty, 0x100 + PCI_ACS_CTRL, 2), 0);
    fx_free(f);
}

/* --- Configuration space: BARs ----------------------------------------------------------- */

/* An endpoint with BAR0 mem32 16K, BAR1 io 32, BAR2-3 mem64 pref 1M, BAR4 mem32 pref 4K
 * unassigned, BAR5 absent. */
static struct fx *bar_fixture(uint32_t *out)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t ep = fx_fn(f, "ep", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "2.0");

    fx_bar_at(f, ep, 0, TOPO_BAR_MEM32, K(16), 0xfebe0000)->ram = true;
    fx_bar_at(f, ep, 1, TOPO_BAR_IO, 32, 0xc000);
    fx_bar_at(f, ep, 2, TOPO_BAR_MEM64, M(1), UINT64_C(0x380000100000))->prefetchable = true;
    fx_bar(f, ep, 4, TOPO_BAR_MEM32, K(4))->prefetchable = true;
    fx_finalize(f);
    *out = ep;
    return f;
}

static void test_topology__bar_encodings(void **state)
{
    uint32_t ep;
    struct fx *f = bar_fixture(&ep);
    struct topo_bar b;

    (void)state;
    assert_int_equal(rd(f, ep, 0x10, 4), 0xfebe0000);
    assert_int_equal(rd(f, ep, 0x14, 4), 0x0000c001);
    assert_int_equal(rd(f, ep, 0x18, 4), 0x0010000c);
    assert_int_equal(rd(f, ep, 0x1c, 4), 0x00003800);
    assert_int_equal(rd(f, ep, 0x20, 4), 0x00000008);
    assert_int_equal(rd(f, ep, 0x24, 4), 0);

    assert_true(topo_fn_bar(f->t, ep, 0, &b));
    assert_int_equal(b.index, 0);
    assert_int_equal(b.type, TOPO_BAR_MEM32);
    assert_false(b.prefetchable);
    assert_true(b.ram);
    assert_true(b.enabled);
    assert_true(b.size == K(16));
    assert_true(b.address == 0xfebe0000);

    assert_true(topo_fn_bar(f->t, ep, 1, &b));
    assert_int_equal(b.type, TOPO_BAR_IO);
    assert_false(b.ram);
    assert_true(b.size == 32);
    assert_true(b.address == 0xc000);

    assert_true(topo_fn_bar(f->t, ep, 2, &b));
    assert_int_equal(b.type, TOPO_BAR_MEM64);
    assert_true(b.prefetchable);
    assert_true(b.size == M(1));
    assert_true(b.address == UINT64_C(0x380000100000));

    assert_false(topo_fn_bar(f->t, ep, 3, &b)); /* the upper half of BAR2 */

    assert_true(topo_fn_bar(f->t, ep, 4, &b));
    assert_int_equal(b.type, TOPO_BAR_MEM32);
    assert_true(b.prefetchable);
    assert_true(b.size == K(4));
    assert_true(b.address == 0);

    assert_false(topo_fn_bar(f->t, ep, 5, &b));              /* not implemented */
    assert_false(topo_fn_bar(f->t, ep, TOPO_ROM_INDEX, &b)); /* no ROM */
    fx_free(f);
}

static void test_topology__bar_sizing_probe(void **state)
{
    uint32_t ep;
    struct fx *f = bar_fixture(&ep);
    struct topo_bar b;

    (void)state;
    for (uint16_t reg = 0x10; reg <= 0x24; reg = (uint16_t)(reg + 4))
        wr(f, ep, reg, 4, 0xffffffff);
    assert_int_equal(rd(f, ep, 0x10, 4), 0xffffc000); /* ~(16K - 1) */
    assert_int_equal(rd(f, ep, 0x14, 4), 0xffffffe1); /* ~(32 - 1) | io */
    assert_int_equal(rd(f, ep, 0x18, 4), 0xfff0000c); /* ~(1M - 1) | mem64 | pref */
    assert_int_equal(rd(f, ep, 0x1c, 4), 0xffffffff); /* high dword: all address bits */
    assert_int_equal(rd(f, ep, 0x20, 4), 0xfffff008);
    assert_int_equal(rd(f, ep, 0x24, 4), 0); /* unimplemented: writes dropped */
    /* sizing does not change what the BAR is */
    assert_true(topo_fn_bar(f->t, ep, 0, &b));
    assert_true(b.size == K(16));
    assert_true(b.address == 0xffffc000);
    assert_true(topo_fn_bar(f->t, ep, 2, &b));
    assert_true(b.size == M(1));
    assert_true(b.address == UINT64_C(0xfffffffffff00000));

    /* writing the original values back restores them */
    wr(f, ep, 0x10, 4, 0xfebe0000);
    wr(f, ep, 0x14, 4, 0x0000c001);
    wr(f, ep, 0x18, 4, 0x0010000c);
    wr(f, ep, 0x1c, 4, 0x00003800);
    assert_int_equal(rd(f, ep, 0x10, 4), 0xfebe0000);
    assert_int_equal(rd(f, ep, 0x14, 4), 0x0000c001);
    assert_true(topo_fn_bar(f->t, ep, 2, &b));
    assert_true(b.address == UINT64_C(0x380000100000));
    /* type bits are read-only: writing 0 keeps them */
    wr(f, ep, 0x18, 4, 0);
    assert_int_equal(rd(f, ep, 0x18, 4), 0x0000000c);
    fx_free(f);
}

static void test_topology__bar_sizing_mem64_above_4g(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t ep = fx_fn(f, "ep", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "2.0");

    (void)state;
    fx_bar(f, ep, 0, TOPO_BAR_MEM64, G(8))->prefetchable = true;
    fx_finalize(f);
    assert_int_equal(rd(f, ep, 0x10, 4), 0x0000000c);
    wr(f, ep, 0x10, 4, 0xffffffff);
    wr(f, ep, 0x14, 4, 0xffffffff);
    assert_int_equal(rd(f, ep, 0x10, 4), 0x0000000c); /* no writable bits below 4G */
    assert_int_equal(rd(f, ep, 0x14, 4), 0xfffffffe); /* ~(8G - 1) >> 32 */
    fx_free(f);
}

/*
 * A 64-bit BAR of 4G or more has no writable bit in its low dword; it is still one BAR (at
 * its lower index), and its upper half is still not a BAR of its own.
 */
static void test_topology__bar_mem64_of_4g_or_more_decoded(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t ep = fx_fn(f, "ep", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "2.0");
    struct topo_bar b;

    (void)state;
    fx_bar_at(f, ep, 0, TOPO_BAR_MEM64, G(8), UINT64_C(0x3c0000000000))->prefetchable = true;
    fx_finalize(f);
    assert_int_equal(rd(f, ep, 0x10, 4), 0x0000000c);
    assert_int_equal(rd(f, ep, 0x14, 4), 0x00003c00);
    assert_true(topo_fn_bar(f->t, ep, 0, &b));
    assert_int_equal(b.type, TOPO_BAR_MEM64);
    assert_true(b.prefetchable);
    assert_true(b.size == G(8));
    assert_true(b.address == UINT64_C(0x3c0000000000));
    fx_free(f);
}

static void test_topology__bar_mem64_of_4g_or_more_upper_half_not_a_bar(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t ep = fx_fn(f, "ep", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "2.0");
    struct topo_bar b;

    (void)state;
    fx_bar_at(f, ep, 0, TOPO_BAR_MEM64, G(8), UINT64_C(0x3c0000000000))->prefetchable = true;
    fx_finalize(f);
    assert_false(topo_fn_bar(f->t, ep, 1, &b));
    fx_free(f);
}

/*
 * BAR2 follows a 64-bit BAR0 whose address has bit 34 set: the high dword of BAR0 (0x4)
 * happens to carry bit 2, the memory-type-64 bit of a low dword, but it is not a BAR.
 */
static void test_topology__bar_after_mem64_with_high_address(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t ep = fx_fn(f, "ep", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "2.0");
    struct topo_bar b;

    (void)state;
    fx_bar_at(f, ep, 0, TOPO_BAR_MEM64, M(1), UINT64_C(0x400000000));
    fx_bar_at(f, ep, 2, TOPO_BAR_MEM32, K(4), 0xfe000000);
    fx_finalize(f);
    assert_int_equal(rd(f, ep, 0x14, 4), 0x4);
    assert_int_equal(rd(f, ep, 0x18, 4), 0xfe000000);
    assert_true(topo_fn_bar(f->t, ep, 0, &b));
    assert_true(b.address == UINT64_C(0x400000000));
    assert_false(topo_fn_bar(f->t, ep, 1, &b));
    assert_true(topo_fn_bar(f->t, ep, 2, &b));
    assert_int_equal(b.type, TOPO_BAR_MEM32);
    assert_true(b.address == 0xfe000000);
    assert_true(b.size == K(4));
    fx_free(f);
}

static void test_topology__rom_bar(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t ep = fx_fn(f, "ep", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "2.0");
    uint32_t br = fx_fn(f, "br", TOPO_PCI_BRIDGE, TOPO_NONE, hb, "3.0");
    struct topo_bar b;

    (void)state;
    fx_rom(f, ep, K(64), true, 0xfeb80000, true);
    fx_rom(f, br, K(2), false, 0, false);
    fx_finalize(f);
    assert_int_equal(rd(f, ep, PCI_ROM_ADDRESS, 4), 0xfeb80001);
    assert_true(topo_fn_bar(f->t, ep, TOPO_ROM_INDEX, &b));
    assert_int_equal(b.index, TOPO_ROM_INDEX);
    assert_int_equal(b.type, TOPO_BAR_MEM32);
    assert_true(b.enabled);
    assert_true(b.size == K(64));
    assert_true(b.address == 0xfeb80000);
    /* Linux sizes a ROM with ~PCI_ROM_ADDRESS_ENABLE */
    wr(f, ep, PCI_ROM_ADDRESS, 4, 0xfffffffe);
    assert_int_equal(rd(f, ep, PCI_ROM_ADDRESS, 4), 0xffff0000);
    assert_true(topo_fn_bar(f->t, ep, TOPO_ROM_INDEX, &b));
    assert_false(b.enabled);
    assert_true(b.size == K(64));
    wr(f, ep, PCI_ROM_ADDRESS, 4, 0xffffffff);
    assert_int_equal(rd(f, ep, PCI_ROM_ADDRESS, 4), 0xffff0001);

    /* a bridge's ROM BAR is at 0x38 */
    assert_int_equal(rd(f, br, PCI_ROM_ADDRESS1, 4), 0);
    assert_true(topo_fn_bar(f->t, br, TOPO_ROM_INDEX, &b));
    assert_false(b.enabled);
    assert_true(b.size == K(2));
    wr(f, br, PCI_ROM_ADDRESS1, 4, 0xfffffffe);
    assert_int_equal(rd(f, br, PCI_ROM_ADDRESS1, 4), 0xfffff800);
    fx_free(f);
}

/* --- Configuration space: access widths and write masks ---------------------------------- */

static void test_topology__read_only_registers_ignore_writes(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t ep = fx_fn(f, "ep", TOPO_ENDPOINT, rp, hb, "0.0");

    (void)state;
    fx_desc(f, ep)->vendor_id = 0x8086;
    fx_desc(f, ep)->device_id = 0x10d3;
    fx_desc(f, ep)->class_code = 0x020000;
    fx_finalize(f);
    wr(f, ep, PCI_VENDOR_ID, 2, 0x1234);
    wr(f, ep, PCI_DEVICE_ID, 2, 0x5678);
    wr(f, ep, PCI_CLASS_REVISION, 4, 0xffffffff);
    wr(f, ep, PCI_HEADER_TYPE, 1, 0x81);
    wr(f, ep, PCI_CAPABILITY_LIST, 1, 0x80);
    wr(f, ep, PCI_STATUS, 2, 0);
    wr(f, ep, 0x40, 4, 0); /* PCIe capability header */
    assert_int_equal(rd(f, ep, PCI_VENDOR_ID, 4), 0x10d38086);
    assert_int_equal(rd(f, ep, PCI_CLASS_REVISION, 4), 0x02000000);
    assert_int_equal(rd(f, ep, PCI_HEADER_TYPE, 1), 0);
    assert_int_equal(rd(f, ep, PCI_CAPABILITY_LIST, 1), 0x40);
    assert_true(rd(f, ep, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
    assert_int_equal(topo_fn_pcie_type(f->t, ep), PCI_EXP_TYPE_ENDPOINT);
    /* only the modelled command bits are writable */
    wr(f, ep, PCI_COMMAND, 2, 0xffff);
    assert_int_equal(topo_fn_command(f->t, ep), 0x0547);
    wr(f, ep, PCI_COMMAND, 2, 0);
    assert_int_equal(topo_fn_command(f->t, ep), 0);
    /* writes beyond every implemented register are dropped */
    wr(f, ep, 0x200, 4, 0xffffffff);
    assert_int_equal(rd(f, ep, 0x200, 4), 0);
    fx_free(f);
}

static void test_topology__unaligned_accesses(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t ep = fx_fn(f, "ep", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "2.0");

    (void)state;
    fx_desc(f, ep)->vendor_id = 0x8086;
    fx_desc(f, ep)->device_id = 0x10d3;
    fx_bar_at(f, ep, 0, TOPO_BAR_IO, 256, 0xc000);
    fx_finalize(f);
    assert_int_equal(rd(f, ep, 0x00, 1), 0x86);
    assert_int_equal(rd(f, ep, 0x01, 1), 0x80);
    assert_int_equal(rd(f, ep, 0x01, 2), 0xd380);
    assert_int_equal(rd(f, ep, 0x02, 1), 0xd3);
    assert_int_equal(rd(f, ep, 0x03, 1), 0x10);
    /* cache line size is writable, the latency timer next to it is not (type 0) */
    wr(f, ep, 0x0c, 1, 0x10);
    assert_int_equal(rd(f, ep, 0x0c, 4), 0x00000010);
    wr(f, ep, 0x0c, 2, 0xffff);
    assert_int_equal(rd(f, ep, 0x0c, 2), 0x00ff);
    /* byte and word writes into the middle of a BAR merge with the other bytes */
    wr(f, ep, 0x11, 1, 0xd0);
    assert_int_equal(rd(f, ep, 0x10, 4), 0x0000d001);
    wr(f, ep, 0x12, 2, 0x0001);
    assert_int_equal(rd(f, ep, 0x10, 4), 0x0001d001);
    assert_int_equal(rd(f, ep, 0x12, 2), 0x0001);
    assert_int_equal(rd(f, ep, 0x11, 1), 0xd0);
    wr(f, ep, 0x10, 1, 0xff); /* below the 256-byte size and the io bit: read-only */
    assert_int_equal(rd(f, ep, 0x10, 4), 0x0001d001);
    fx_free(f);
}

static void test_topology__access_crossing_dword(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t ep = fx_fn(f, "ep", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "2.0");

    (void)state;
    fx_desc(f, ep)->vendor_id = 0x8086;
    fx_desc(f, ep)->device_id = 0x10d3;
    fx_bar_at(f, ep, 0, TOPO_BAR_IO, 16, 0xc000);
    fx_finalize(f);
    /* header type, BIST, then the low half of BAR0 */
    assert_int_equal(rd(f, ep, 0x0e, 4), 0xc0010000);
    /* device id high byte, then command low byte (io + bus master) */
    assert_int_equal(rd(f, ep, 0x03, 2), 0x0510);
    wr(f, ep, 0x0e, 4, 0x12340000);
    assert_int_equal(rd(f, ep, 0x10, 4), 0x00001231); /* low nibble: size and io bit */
    assert_int_equal(rd(f, ep, PCI_HEADER_TYPE, 1), 0);
    wr(f, ep, 0x03, 2, 0x0600); /* device id byte ignored, command gets memory + master */
    assert_int_equal(rd(f, ep, PCI_DEVICE_ID, 2), 0x10d3);
    assert_int_equal(topo_fn_command(f->t, ep), 0x0006);
    fx_free(f);
}

static void test_topology__bridge_bus_registers_writable(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t ep = fx_fn(f, "ep", TOPO_ENDPOINT, rp, hb, "0.0");

    (void)state;
    fx_finalize(f);
    assert_int_equal(rd(f, rp, PCI_PRIMARY_BUS, 4), 0x00010100);
    wr(f, rp, PCI_PRIMARY_BUS, 4, 0xff050403);
    assert_int_equal(rd(f, rp, PCI_PRIMARY_BUS, 4), 0x00050403); /* latency timer read-only */
    assert_range(f, rp, 4, 5);
    assert_int_equal(topo_fn_bus(f->t, ep), 4);
    assert_bdf(f, ep, "0000:04:00.0");
    wr(f, rp, PCI_SUBORDINATE_BUS, 1, 0x09);
    assert_range(f, rp, 4, 9);
    /* an endpoint has no such registers */
    wr(f, ep, PCI_SECONDARY_BUS, 1, 0x07);
    assert_int_equal(rd(f, ep, PCI_SECONDARY_BUS, 1), 0);
    fx_free(f);
}

/* --- Bridge windows ---------------------------------------------------------------------- */

static void assert_window(const struct fx *f, uint32_t fn, enum topo_window w, uint64_t base,
                          uint64_t limit)
{
    uint64_t b = 0, l = 0;

    assert_true(topo_fn_window(f->t, fn, w, &b, &l));
    assert_true(b == base);
    assert_true(l == limit);
}

static void test_topology__windows_encoded_and_decoded(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp0 = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t rp1 = fx_fn(f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");

    (void)state;
    fx_window(f, rp0, TOPO_WIN_IO, 0x1000, 0x1fff);
    fx_window(f, rp0, TOPO_WIN_MEM, 0xfe000000, 0xfe1fffff);
    fx_window(f, rp0, TOPO_WIN_PREF, UINT64_C(0x380000000000), UINT64_C(0x3800ffffffff));
    fx_window(f, rp1, TOPO_WIN_IO, 0x12000, 0x12fff); /* above 64K: the upper 16 bits */
    fx_finalize(f);
    assert_int_equal(rd(f, rp0, PCI_IO_BASE, 1), 0x11);
    assert_int_equal(rd(f, rp0, PCI_IO_LIMIT, 1), 0x11);
    assert_int_equal(rd(f, rp0, PCI_IO_BASE_UPPER16, 4), 0);
    assert_int_equal(rd(f, rp0, PCI_MEMORY_BASE, 2), 0xfe00);
    assert_int_equal(rd(f, rp0, PCI_MEMORY_LIMIT, 2), 0xfe10);
    assert_int_equal(rd(f, rp0, PCI_PREF_MEMORY_BASE, 2), 0x0001);
    assert_int_equal(rd(f, rp0, PCI_PREF_MEMORY_LIMIT, 2), 0xfff1);
    assert_int_equal(rd(f, rp0, PCI_PREF_BASE_UPPER32, 4), 0x3800);
    assert_int_equal(rd(f, rp0, PCI_PREF_LIMIT_UPPER32, 4), 0x3800);
    assert_window(f, rp0, TOPO_WIN_IO, 0x1000, 0x1fff);
    assert_window(f, rp0, TOPO_WIN_MEM, 0xfe000000, 0xfe1fffff);
    assert_window(f, rp0, TOPO_WIN_PREF, UINT64_C(0x380000000000), UINT64_C(0x3800ffffffff));

    assert_int_equal(rd(f, rp1, PCI_IO_BASE, 1), 0x21);
    assert_int_equal(rd(f, rp1, PCI_IO_BASE_UPPER16, 2), 0x0001);
    assert_int_equal(rd(f, rp1, PCI_IO_LIMIT_UPPER16, 2), 0x0001);
    assert_window(f, rp1, TOPO_WIN_IO, 0x12000, 0x12fff);
    fx_free(f);
}

static void test_topology__windows_closed(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t ep = fx_fn(f, "ep", TOPO_ENDPOINT, rp, hb, "0.0");
    uint64_t b = 1, l = 2;

    (void)state;
    fx_finalize(f);
    /* base above limit, as firmware closes a window */
    assert_int_equal(rd(f, rp, PCI_IO_BASE, 1), 0xf1);
    assert_int_equal(rd(f, rp, PCI_IO_LIMIT, 1), 0x01);
    assert_int_equal(rd(f, rp, PCI_MEMORY_BASE, 2), 0xfff0);
    assert_int_equal(rd(f, rp, PCI_MEMORY_LIMIT, 2), 0x0000);
    assert_int_equal(rd(f, rp, PCI_PREF_MEMORY_BASE, 2), 0xfff1);
    assert_int_equal(rd(f, rp, PCI_PREF_MEMORY_LIMIT, 2), 0x0001);
    for (unsigned w = TOPO_WIN_IO; w <= TOPO_WIN_PREF; w++)
        assert_false(topo_fn_window(f->t, rp, (enum topo_window)w, &b, &l));
    assert_false(topo_fn_window(f->t, ep, TOPO_WIN_MEM, &b, &l)); /* not a bridge */
    assert_true(b == 1 && l == 2);
    fx_free(f);
}

static void test_topology__window_written_through_registers(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint64_t b = 0, l = 0;

    (void)state;
    fx_finalize(f);
    wr(f, rp, PCI_MEMORY_BASE, 4, 0xfe1ffe0f); /* the low nibbles are read-only */
    assert_int_equal(rd(f, rp, PCI_MEMORY_BASE, 4), 0xfe10fe00);
    assert_window(f, rp, TOPO_WIN_MEM, 0xfe000000, 0xfe1fffff);
    wr(f, rp, PCI_PREF_MEMORY_BASE, 4, 0x00100000);
    wr(f, rp, PCI_PREF_BASE_UPPER32, 4, 0x1);
    wr(f, rp, PCI_PREF_LIMIT_UPPER32, 4, 0x1);
    assert_window(f, rp, TOPO_WIN_PREF, UINT64_C(0x100000000), UINT64_C(0x1001fffff));
    wr(f, rp, PCI_MEMORY_BASE, 4, 0x0000fff0); /* close it again */
    assert_false(topo_fn_window(f->t, rp, TOPO_WIN_MEM, &b, &l));
    fx_free(f);
}

/* --- Command register -------------------------------------------------------------------- */

static void test_topology__command_defaults(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t mem = fx_fn(f, "mem", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "1.0");
    uint32_t io = fx_fn(f, "io", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "2.0");
    uint32_t both = fx_fn(f, "both", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "3.0");
    uint32_t unassigned = fx_fn(f, "unassigned", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "4.0");
    uint32_t rom = fx_fn(f, "rom", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "5.0");
    uint32_t bare = fx_fn(f, "bare", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "6.0");
    uint32_t mem64 = fx_fn(f, "mem64", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "7.0");

    (void)state;
    fx_bar_at(f, mem, 0, TOPO_BAR_MEM32, K(4), 0xfe000000);
    fx_bar_at(f, io, 0, TOPO_BAR_IO, 32, 0xc000);
    fx_bar_at(f, both, 0, TOPO_BAR_MEM32, K(4), 0xfe001000);
    fx_bar_at(f, both, 1, TOPO_BAR_IO, 32, 0xc020);
    fx_bar(f, unassigned, 0, TOPO_BAR_MEM32, K(4));
    fx_bar(f, unassigned, 1, TOPO_BAR_IO, 32);
    fx_rom(f, rom, K(64), true, 0xfeb00000, false);
    fx_bar(f, rom, 0, TOPO_BAR_IO, 32);
    fx_bar_at(f, mem64, 0, TOPO_BAR_MEM64, G(4), UINT64_C(0x400000000));
    fx_finalize(f);
    assert_int_equal(topo_fn_command(f->t, mem), PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    assert_int_equal(topo_fn_command(f->t, io), PCI_COMMAND_IO | PCI_COMMAND_MASTER);
    assert_int_equal(topo_fn_command(f->t, both),
                     PCI_COMMAND_MEMORY | PCI_COMMAND_IO | PCI_COMMAND_MASTER);
    assert_int_equal(topo_fn_command(f->t, unassigned), 0);
    assert_int_equal(topo_fn_command(f->t, rom), PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    assert_int_equal(topo_fn_command(f->t, bare), 0);
    assert_int_equal(topo_fn_command(f->t, mem64), PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    assert_int_equal(rd(f, mem, PCI_COMMAND, 2), PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    fx_free(f);
}

static void test_topology__command_explicit_overrides(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t nomaster = fx_fn(f, "nomaster", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "1.0");
    uint32_t allon = fx_fn(f, "allon", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "2.0");
    uint32_t alloff = fx_fn(f, "alloff", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "3.0");
    uint32_t master = fx_fn(f, "master", TOPO_RC_ENDPOINT, TOPO_NONE, hb, "4.0");
    struct topo_fn_desc *d;

    (void)state;
    fx_bar_at(f, nomaster, 0, TOPO_BAR_MEM32, K(4), 0xfe000000);
    fx_desc(f, nomaster)->cmd_bus_master = TOPO_FALSE;
    d = fx_desc(f, allon); /* nothing assigned, everything switched on */
    d->cmd_memory = d->cmd_io = d->cmd_bus_master = TOPO_TRUE;
    fx_bar_at(f, alloff, 0, TOPO_BAR_MEM32, K(4), 0xfe001000);
    fx_bar_at(f, alloff, 1, TOPO_BAR_IO, 32, 0xc000);
    d = fx_desc(f, alloff);
    d->cmd_memory = d->cmd_io = d->cmd_bus_master = TOPO_FALSE;
    fx_desc(f, master)->cmd_bus_master = TOPO_TRUE;
    fx_finalize(f);
    assert_int_equal(topo_fn_command(f->t, nomaster), PCI_COMMAND_MEMORY);
    assert_int_equal(topo_fn_command(f->t, allon),
                     PCI_COMMAND_MEMORY | PCI_COMMAND_IO | PCI_COMMAND_MASTER);
    assert_int_equal(topo_fn_command(f->t, alloff), 0);
    assert_int_equal(topo_fn_command(f->t, master), PCI_COMMAND_MASTER);
    fx_free(f);
}

/* --- PCI rules of one function (topo_fn_define) ------------------------------------------ */

/* pci0 with one function of kind at 00:02.0 (the one the caller then breaks). */
static struct fx *one_fn(enum topo_kind kind, uint32_t *out)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);

    *out = fx_fn(f, "dev0", kind, TOPO_NONE, hb, "2.0");
    return f;
}

static void test_topology__define_rejects_non_pow2_bar(void **state)
{
    uint32_t fn;
    struct fx *f = one_fn(TOPO_RC_ENDPOINT, &fn);

    (void)state;
    fx_bar(f, fn, 0, TOPO_BAR_MEM32, 0x3000);
    expect_one_error(f, FX_BAR_LINE(fn), 1, "bar 0 size 12K is not a power of two");
    fx_free(f);
}

static void test_topology__define_rejects_mem64_at_index_5(void **state)
{
    uint32_t fn;
    struct fx *f = one_fn(TOPO_RC_ENDPOINT, &fn);

    (void)state;
    fx_bar(f, fn, 5, TOPO_BAR_MEM64, M(1));
    expect_one_error(f, FX_BAR_LINE(fn), 6,
                     "a mem64 BAR takes two slots (index and index+1): bar 5 has no slot 6 for "
                     "its upper half");
    fx_free(f);
}

static void test_topology__define_rejects_bridge_bar_slots(void **state)
{
    uint32_t fn;
    struct fx *f = one_fn(TOPO_PCI_BRIDGE, &fn);

    (void)state;
    fx_bar(f, fn, 2, TOPO_BAR_MEM32, K(4));
    expect_one_error(f, FX_BAR_LINE(fn), 3,
                     "bar index 2 is out of range: a pci-bridge has BARs 0..1");
    fx_free(f);

    f = one_fn(TOPO_ROOT_PORT, &fn);
    fx_bar(f, fn, 1, TOPO_BAR_MEM64, K(4));
    expect_one_error(f, FX_BAR_LINE(fn), 2,
                     "a mem64 BAR takes two slots (index and index+1): bar 1 has no slot 2 for "
                     "its upper half");
    fx_free(f);
}

static void test_topology__define_rejects_bar_index_collisions(void **state)
{
    uint32_t fn;
    struct fx *f;
    char msg[128];

    (void)state;
    /* a BAR in the upper half of a mem64 BAR */
    f = one_fn(TOPO_RC_ENDPOINT, &fn);
    fx_bar(f, fn, 0, TOPO_BAR_MEM64, M(1));
    fx_bar(f, fn, 1, TOPO_BAR_MEM32, K(4));
    snprintf(msg, sizeof(msg),
             "bar 1 collides with the upper half of the mem64 BAR at index 0 (line %u)",
             FX_BAR_LINE(fn));
    expect_one_error(f, FX_BAR_LINE(fn), 2, msg);
    fx_free(f);

    /* the same index twice */
    f = one_fn(TOPO_RC_ENDPOINT, &fn);
    fx_bar(f, fn, 2, TOPO_BAR_MEM32, K(4));
    fx_bar(f, fn, 2, TOPO_BAR_IO, 16);
    snprintf(msg, sizeof(msg), "bar 2 is already defined at line %u", FX_BAR_LINE(fn));
    expect_one_error(f, FX_BAR_LINE(fn), 3, msg);
    fx_free(f);

    /* a mem64 BAR whose upper half lands on an existing BAR */
    f = one_fn(TOPO_RC_ENDPOINT, &fn);
    fx_bar(f, fn, 1, TOPO_BAR_MEM32, K(4));
    fx_bar(f, fn, 0, TOPO_BAR_MEM64, M(1));
    snprintf(msg, sizeof(msg), "the upper half of mem64 bar 0 collides with bar 1 (line %u)",
             FX_BAR_LINE(fn));
    expect_one_error(f, FX_BAR_LINE(fn), 1, msg);
    fx_free(f);
}

static void test_topology__define_rejects_bad_bar_sizes_and_addresses(void **state)
{
    uint32_t fn;
    struct fx *f;

    (void)state;
    f = one_fn(TOPO_RC_ENDPOINT, &fn);
    fx_bar(f, fn, 0, TOPO_BAR_IO, 512);
    assert_int_equal(fx_build(f), SIM_EINVAL);
    assert_int_equal(f->diags.n, 1);
    fx_assert_diag_has(&f->diags, 0, DIAG_ERROR, "io bar 0 size 512 is outside 4..256 bytes");
    fx_free(f);

    f = one_fn(TOPO_RC_ENDPOINT, &fn);
    fx_bar(f, fn, 0, TOPO_BAR_MEM32, 8);
    expect_one_error(f, FX_BAR_LINE(fn), 1, "memory bar 0 size 8 is below 16 bytes");
    fx_free(f);

    f = one_fn(TOPO_RC_ENDPOINT, &fn);
    fx_bar(f, fn, 0, TOPO_BAR_MEM32, G(4));
    expect_one_error(f, FX_BAR_LINE(fn), 1, "mem32 bar 0 size 4G exceeds 2G; use mem64");
    fx_free(f);

    f = one_fn(TOPO_RC_ENDPOINT, &fn);
    fx_bar_at(f, fn, 0, TOPO_BAR_MEM32, K(16), 0xfebe1000);
    expect_one_error(f, FX_BAR_LINE(fn), 1,
                     "bar 0 address 0xfebe1000 is not aligned to its size 16K");
    fx_free(f);

    f = one_fn(TOPO_RC_ENDPOINT, &fn);
    fx_bar_at(f, fn, 0, TOPO_BAR_MEM32, M(1), UINT64_C(0x100000000));
    expect_one_error(f, FX_BAR_LINE(fn), 1,
                     "mem32 bar 0 at 0x100000000 ends above 4G, which a 32-bit BAR cannot reach");
    fx_free(f);

    f = one_fn(TOPO_RC_ENDPOINT, &fn);
    fx_bar(f, fn, 0, TOPO_BAR_IO, 16)->prefetchable = true;
    expect_one_error(f, FX_BAR_LINE(fn), 1, "io bar 0 cannot be prefetchable");
    fx_free(f);
}

static void test_topology__define_rejects_acs_ctrl_without_cap(void **state)
{
    uint32_t fn;
    struct fx *f = one_fn(TOPO_RC_ENDPOINT, &fn);

    (void)state;
    fx_acs(f, fn, PCI_ACS_SV, PCI_ACS_SV | PCI_ACS_RR);
    expect_one_error(f, FX_ACS_LINE(fn), 5,
                     "ACS ctrl enables rr, which cap does not advertise; control bits of "
                     "unimplemented features are hardwired to 0");
    fx_free(f);
}

static void test_topology__define_rejects_acs_on_conventional(void **state)
{
    uint32_t fn;
    struct fx *f = one_fn(TOPO_PCI_DEVICE, &fn);

    (void)state;
    fx_acs_full(f, fn);
    expect_one_error(f, FX_ACS_LINE(fn), 5,
                     "'acs' needs a PCI Express function: a pci-device has no extended "
                     "capabilities (conventional PCI never isolates)");
    fx_free(f);

    f = one_fn(TOPO_PCI_BRIDGE, &fn);
    fx_acs(f, fn, PCI_ACS_SV, 0);
    expect_one_error(f, FX_ACS_LINE(fn), 5,
                     "'acs' needs a PCI Express function: a pci-bridge has no extended "
                     "capabilities (conventional PCI never isolates)");
    fx_free(f);
}

static void test_topology__define_rejects_bus_keys_on_endpoint(void **state)
{
    uint32_t fn;
    struct fx *f = one_fn(TOPO_RC_ENDPOINT, &fn);

    (void)state;
    fx_bus(f, fn, 3, -1);
    assert_int_equal(fx_build(f), SIM_EINVAL);
    assert_int_equal(f->diags.n, 1);
    fx_assert_diag_has(&f->diags, 0, DIAG_ERROR,
                       "'secondary' is only valid on bridges and ports; 'dev0' is a");
    assert_int_equal(f->diags.v[0].mark.line, FX_SEC_LINE(fn));
    fx_free(f);

    f = one_fn(TOPO_PCI_BRIDGE, &fn);
    fx_bus(f, fn, 4, 1);
    expect_one_error(f, FX_SUB_LINE(fn), 5, "subordinate bus 0x01 is below secondary 0x04");
    fx_free(f);
}

/* A bridge without `windows` gets the smallest granular windows covering what is below it,
 * innermost bridge first; a declared `windows` (even empty) is kept as written. */
static void test_topology__windows_derived_like_firmware(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    uint32_t usp = fx_fn(f, "usp0", TOPO_UPSTREAM_PORT, rp, hb, "0.0");
    uint32_t dsp = fx_fn(f, "dsp0", TOPO_DOWNSTREAM_PORT, usp, hb, "0.0");
    uint32_t ep = fx_fn(f, "ep0", TOPO_ENDPOINT, dsp, hb, "0.0");
    uint32_t rp2 = fx_fn(f, "rp2", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.1");
    uint32_t ep2 = fx_fn(f, "ep2", TOPO_ENDPOINT, rp2, hb, "0.0");
    uint32_t rp3 = fx_fn(f, "rp3", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.2");
    uint64_t b, l;

    (void)state;
    fx_bar_at(f, ep, 0, TOPO_BAR_MEM32, 0x4000, 0xfe104000);
    fx_bar_at(f, ep, 2, TOPO_BAR_MEM64, 0x100000, 0x800000000)->prefetchable = true;
    fx_bar_at(f, ep, 4, TOPO_BAR_IO, 0x20, 0xd020);
    fx_rom(f, ep, 0x10000, true, 0xfe300000, false);
    fx_bar_at(f, ep2, 0, TOPO_BAR_MEM32, 0x1000, 0xfd000000);
    fx_desc(f, rp2)->windows_given = true; /* windows: {} */
    fx_bar(f, fx_fn(f, "ep3", TOPO_ENDPOINT, rp3, hb, "0.0"), 0, TOPO_BAR_MEM32, 0x1000);
    fx_finalize(f);

    for (uint32_t br = rp; br != TOPO_NONE; br = br == rp ? usp : br == usp ? dsp : TOPO_NONE) {
        assert_true(topo_fn_window(f->t, br, TOPO_WIN_MEM, &b, &l));
        assert_true(b == 0xfe100000 && l == 0xfe3fffff); /* the BAR and the ROM */
        assert_true(topo_fn_window(f->t, br, TOPO_WIN_PREF, &b, &l));
        assert_true(b == UINT64_C(0x800000000) && l == UINT64_C(0x8000fffff));
        assert_true(topo_fn_window(f->t, br, TOPO_WIN_IO, &b, &l));
        assert_true(b == 0xd000 && l == 0xdfff);
    }
    for (unsigned w = TOPO_WIN_IO; w <= TOPO_WIN_PREF; w++) {
        assert_false(topo_fn_window(f->t, rp2, (enum topo_window)w, &b, &l)); /* declared {} */
        assert_false(topo_fn_window(f->t, rp3, (enum topo_window)w, &b, &l)); /* nothing below */
    }
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_topology__windows_derived_like_firmware),
        cmocka_unit_test(test_topology__bdf_parse_forms),
        cmocka_unit_test(test_topology__bdf_parse_rejects),
        cmocka_unit_test(test_topology__bdf_format),
        cmocka_unit_test(test_topology__devfn_parse_edges),
        cmocka_unit_test(test_topology__bdf_rid_and_order),
        cmocka_unit_test(test_topology__kind_names),
        cmocka_unit_test(test_topology__bus_numbers_depth_first),
        cmocka_unit_test(test_topology__bus_numbers_explicit),
        cmocka_unit_test(test_topology__bus_numbers_automatic_after_explicit),
        cmocka_unit_test(test_topology__bus_numbers_explicit_subordinate_reserves_range),
        cmocka_unit_test(test_topology__bus_numbers_host_bridges_share_segment),
        cmocka_unit_test(test_topology__bus_numbers_per_segment),
        cmocka_unit_test(test_topology__bus_number_collision),
        cmocka_unit_test(test_topology__root_bus_collision),
        cmocka_unit_test(test_topology__root_bus_inside_bridge_range),
        cmocka_unit_test(test_topology__explicit_secondary_not_above_its_bus),
        cmocka_unit_test(test_topology__explicit_secondary_outside_parent_range),
        cmocka_unit_test(test_topology__automatic_bridge_outside_parent_range),
        cmocka_unit_test(test_topology__bus_numbers_exhausted),
        cmocka_unit_test(test_topology__explicit_ranges_overlapping_siblings),
        cmocka_unit_test(test_topology__explicit_subordinate_beyond_parent_range),
        cmocka_unit_test(test_topology__explicit_subordinate_below_automatic_secondary),
        cmocka_unit_test(test_topology__multifunction_header_bit),
        cmocka_unit_test(test_topology__slot_without_function_0_warns),
        cmocka_unit_test(test_topology__placement_warnings),
        cmocka_unit_test(test_topology__siblings_in_devfn_order),
        cmocka_unit_test(test_topology__devfn_collision),
        cmocka_unit_test(test_topology__child_of_endpoint_rejected),
        cmocka_unit_test(test_topology__canonical_order_and_find_bdf),
        cmocka_unit_test(test_topology__find_bdf_follows_bus_number_writes),
        cmocka_unit_test(test_topology__header_registers),
        cmocka_unit_test(test_topology__default_ids),
        cmocka_unit_test(test_topology__pcie_capability_per_kind),
        cmocka_unit_test(test_topology__acs_full),
        cmocka_unit_test(test_topology__acs_registers_and_ctrl_mask),
        cmocka_unit_test(test_topology__bar_encodings),
        cmocka_unit_test(test_topology__bar_sizing_probe),
        cmocka_unit_test(test_topology__bar_sizing_mem64_above_4g),
        cmocka_unit_test(test_topology__bar_mem64_of_4g_or_more_decoded),
        cmocka_unit_test(test_topology__bar_mem64_of_4g_or_more_upper_half_not_a_bar),
        cmocka_unit_test(test_topology__bar_after_mem64_with_high_address),
        cmocka_unit_test(test_topology__rom_bar),
        cmocka_unit_test(test_topology__read_only_registers_ignore_writes),
        cmocka_unit_test(test_topology__unaligned_accesses),
        cmocka_unit_test(test_topology__access_crossing_dword),
        cmocka_unit_test(test_topology__bridge_bus_registers_writable),
        cmocka_unit_test(test_topology__windows_encoded_and_decoded),
        cmocka_unit_test(test_topology__windows_closed),
        cmocka_unit_test(test_topology__window_written_through_registers),
        cmocka_unit_test(test_topology__command_defaults),
        cmocka_unit_test(test_topology__command_explicit_overrides),
        cmocka_unit_test(test_topology__define_rejects_non_pow2_bar),
        cmocka_unit_test(test_topology__define_rejects_mem64_at_index_5),
        cmocka_unit_test(test_topology__define_rejects_bridge_bar_slots),
        cmocka_unit_test(test_topology__define_rejects_bar_index_collisions),
        cmocka_unit_test(test_topology__define_rejects_bad_bar_sizes_and_addresses),
        cmocka_unit_test(test_topology__define_rejects_acs_ctrl_without_cap),
        cmocka_unit_test(test_topology__define_rejects_acs_on_conventional),
        cmocka_unit_test(test_topology__define_rejects_bus_keys_on_endpoint),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

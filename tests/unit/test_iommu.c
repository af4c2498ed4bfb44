/* Unit tests of sim/iommu: IOVA range sets, IORT ID mapping, IDs, reserved regions, IOVA ranges. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "sim/alias/alias.h"
#include "sim/iommu/iommu.h"
#include "sim/topology/topology.h"
#include "sim/util/err.h"
#include "sim/util/strbuf.h"

#define MAX64 UINT64_MAX

/* --- Helpers ----------------------------------------------------------------------------- */

/* s as "0xSTART-0xEND 0xSTART-0xEND ..." ("" when empty), checking that its ranges are
 * well formed, ascending, disjoint and not touching. */
static void assert_set(const struct iova_set *s, const char *expect)
{
    struct strbuf sb = STRBUF_INIT;

    for (size_t i = 0; i < s->n; i++) {
        assert_true(s->v[i].start <= s->v[i].end);
        if (i > 0) {
            assert_true(s->v[i - 1].end < s->v[i].start);
            assert_true(s->v[i - 1].end + 1 < s->v[i].start); /* merged when touching */
        }
        strbuf_printf(&sb, "%s0x%" PRIx64 "-0x%" PRIx64, i ? " " : "", s->v[i].start, s->v[i].end);
    }
    assert_string_equal(strbuf_cstr(&sb), expect);
    strbuf_fini(&sb);
}

static void add(struct iova_set *s, uint64_t start, uint64_t end)
{
    assert_int_equal(iova_set_add(s, start, end), SIM_OK);
}

static void subtract(struct iova_set *s, uint64_t start, uint64_t end)
{
    assert_int_equal(iova_set_subtract(s, start, end), SIM_OK);
}

static void clip(struct iova_set *s, uint64_t end)
{
    assert_int_equal(iova_set_clip(s, end), SIM_OK);
}

/* An IOMMU description on the stack (nothing is copied: the arrays must outlive it). */
static struct topo_iommu iommu_desc(enum topo_iommu_kind kind, uint8_t address_bits)
{
    struct topo_iommu u;

    memset(&u, 0, sizeof(u));
    u.id = "iommu0";
    u.kind = kind;
    u.address_bits = address_bits;
    return u;
}

/* An SMMUv3 with this stream_map. */
static struct topo_iommu smmu_map(const struct topo_stream_map *m, size_t n)
{
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_SMMUV3, 48);

    u.stream_map = m;
    u.nstream_map = n;
    return u;
}

#define RANGE(base, cnt, sid)                                 \
    {                                                         \
        .rid_base = (base), .count = (cnt), .sid_base = (sid) \
    }
#define SINGLE(sid)                       \
    {                                     \
        .single = true, .sid_base = (sid) \
    }
#define NMAP(m) (sizeof(m) / sizeof((m)[0]))

static void assert_sid(const struct topo_iommu *u, uint16_t segment, uint16_t rid, uint32_t expect)
{
    uint32_t sid = 0xdeadbeef;
    int err = iommu_stream_id(u, segment, rid, &sid);

    if (err != SIM_OK)
        print_message("RID 0x%x of segment %u: no StreamID\n", rid, segment);
    assert_int_equal(err, SIM_OK);
    if (sid != expect)
        print_message("RID 0x%x of segment %u: StreamID 0x%x, expected 0x%x\n", rid, segment, sid,
                      expect);
    assert_int_equal(sid, expect);
}

static void assert_no_sid(const struct topo_iommu *u, uint16_t segment, uint16_t rid)
{
    uint32_t sid = 0;

    assert_int_equal(iommu_stream_id(u, segment, rid, &sid), SIM_ENOTFOUND);
}

/* iommu_reserved(u) as assert_set() writes it. */
static void assert_reserved(const struct topo_iommu *u, const char *expect)
{
    struct iova_set s = { NULL, 0, 0 };

    assert_int_equal(iommu_reserved(u, &s), SIM_OK);
    assert_set(&s, expect);
    iova_set_fini(&s);
}

/* iommu_iova_vfio(u, extra) as assert_set() writes it. */
static void assert_vfio(const struct topo_iommu *u, const struct iova_set *extra,
                        const char *expect)
{
    struct iova_set s = { NULL, 0, 0 };

    assert_int_equal(iommu_iova_vfio(u, extra, &s), SIM_OK);
    assert_set(&s, expect);
    iova_set_fini(&s);
}

/* Add IOMMU desc to f's machine (arrays and strings are copied); returns its index. */
static uint32_t add_iommu(struct fx *f, const struct topo_iommu *desc)
{
    uint32_t idx = TOPO_NONE;

    assert_int_equal(topo_iommu_add(f->t, desc, &idx), SIM_OK);
    return idx;
}

/* Build f (it must succeed) and a context over it; free with alias_ctx_free(). */
static struct alias_ctx *ctx_of(struct fx *f)
{
    struct alias_ctx *ctx = NULL;

    fx_finalize(f);
    assert_int_equal(alias_ctx_new(&ctx, f->t), SIM_OK);
    assert_non_null(ctx);
    return ctx;
}

/*
 * A root port 00:1c.0, a PCIe-to-PCI bridge 01:00.0 behind it and a conventional device
 * 02:03.1 behind that: the device's DMA carries RID 0x0219 and the bridge alias 0x0200.
 */
static struct fx *bridged(uint32_t *br, uint32_t *dev)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t rp = fx_fn(f, "rp", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");

    *br = fx_fn(f, "br", TOPO_PCIE_PCI_BRIDGE, rp, hb, "0.0");
    *dev = fx_fn(f, "dev", TOPO_PCI_DEVICE, *br, hb, "3.1");
    return f;
}

/* --- iova_set ---------------------------------------------------------------------------- */

static void test_iommu__set_add_into_empty(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    add(&s, 0x10, 0x1f);
    assert_int_equal(s.n, 1);
    assert_set(&s, "0x10-0x1f");
    iova_set_fini(&s);
}

static void test_iommu__set_add_keeps_order(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    add(&s, 0x100, 0x1ff);
    add(&s, 0x0, 0xf);
    add(&s, 0x400, 0x4ff);
    add(&s, 0x50, 0x5f);
    add(&s, 0x300, 0x30f);
    assert_set(&s, "0x0-0xf 0x50-0x5f 0x100-0x1ff 0x300-0x30f 0x400-0x4ff");
    iova_set_fini(&s);
}

static void test_iommu__set_add_merges_overlapping(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    add(&s, 0x0, 0x10);
    add(&s, 0x20, 0x30);
    add(&s, 0x40, 0x50);
    add(&s, 0x60, 0x70);
    add(&s, 0x25, 0x27); /* inside one range: nothing changes */
    assert_set(&s, "0x0-0x10 0x20-0x30 0x40-0x50 0x60-0x70");
    add(&s, 0x28, 0x45); /* overlaps the end of one and the start of the next */
    assert_set(&s, "0x0-0x10 0x20-0x50 0x60-0x70");
    add(&s, 0x5, 0x65); /* swallows one, merges three */
    assert_set(&s, "0x0-0x70");
    add(&s, 0x0, 0x70); /* equal */
    assert_set(&s, "0x0-0x70");
    add(&s, 0x0, 0x1000); /* covers everything */
    assert_set(&s, "0x0-0x1000");
    iova_set_fini(&s);
}

static void test_iommu__set_add_merges_touching(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    add(&s, 0x10, 0x1f);
    add(&s, 0x20, 0x2f); /* touches the end */
    assert_set(&s, "0x10-0x2f");
    add(&s, 0x0, 0xf); /* touches the start */
    assert_set(&s, "0x0-0x2f");
    add(&s, 0x31, 0x40); /* a one-address gap stays */
    assert_set(&s, "0x0-0x2f 0x31-0x40");
    add(&s, 0x30, 0x30); /* fills the gap: both sides merge */
    assert_set(&s, "0x0-0x40");
    iova_set_fini(&s);
}

static void test_iommu__set_add_at_the_limits(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    add(&s, 0x5, 0xa);
    add(&s, 0x0, 0x3); /* not touching 0x5 */
    assert_set(&s, "0x0-0x3 0x5-0xa");
    add(&s, 0x4, 0x4);
    assert_set(&s, "0x0-0xa");
    add(&s, MAX64, MAX64);
    assert_set(&s, "0x0-0xa 0xffffffffffffffff-0xffffffffffffffff");
    add(&s, 0xc, MAX64 - 1);
    assert_set(&s, "0x0-0xa 0xc-0xffffffffffffffff");
    add(&s, 0xb, 0xb);
    assert_set(&s, "0x0-0xffffffffffffffff");
    add(&s, 0x100, 0x200); /* inside the whole space */
    add(&s, MAX64, MAX64);
    add(&s, 0, 0);
    assert_set(&s, "0x0-0xffffffffffffffff");
    iova_set_fini(&s);
}

static void test_iommu__set_subtract_splits(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    add(&s, 0x0, 0x100);
    add(&s, 0x200, 0x300);
    subtract(&s, 0x10, 0x1f);
    assert_set(&s, "0x0-0xf 0x20-0x100 0x200-0x300");
    subtract(&s, 0x280, 0x280); /* a single address */
    assert_set(&s, "0x0-0xf 0x20-0x100 0x200-0x27f 0x281-0x300");
    iova_set_fini(&s);
}

static void test_iommu__set_subtract_trims_both_ends(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    add(&s, 0x0, 0x100);
    add(&s, 0x200, 0x300);
    subtract(&s, 0x80, 0x27f); /* the end of one range and the start of the next */
    assert_set(&s, "0x0-0x7f 0x280-0x300");
    subtract(&s, 0x7f, 0x7f);   /* the last address */
    subtract(&s, 0x280, 0x280); /* the first address */
    assert_set(&s, "0x0-0x7e 0x281-0x300");
    subtract(&s, 0x300, 0x400); /* beyond the end */
    assert_set(&s, "0x0-0x7e 0x281-0x2ff");
    iova_set_fini(&s);
}

static void test_iommu__set_subtract_swallows(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    add(&s, 0x10, 0x20);
    add(&s, 0x30, 0x40);
    add(&s, 0x50, 0x60);
    add(&s, 0x70, 0x80);
    subtract(&s, 0x30, 0x40); /* exactly one range */
    assert_set(&s, "0x10-0x20 0x50-0x60 0x70-0x80");
    subtract(&s, 0x0, 0x65); /* the first two, from index 0 */
    assert_set(&s, "0x70-0x80");
    subtract(&s, 0x70, 0x80);
    assert_int_equal(s.n, 0);
    assert_set(&s, "");
    iova_set_fini(&s);
}

static void test_iommu__set_subtract_trims_and_swallows_in_one_call(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    add(&s, 0x0, 0x10);
    add(&s, 0x20, 0x30);
    add(&s, 0x40, 0x50);
    add(&s, 0x60, 0x70);
    subtract(&s, 0x8, 0x68);
    assert_set(&s, "0x0-0x7 0x69-0x70");
    iova_set_fini(&s);
}

static void test_iommu__set_subtract_disjoint_or_adjacent_changes_nothing(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    add(&s, 0x10, 0x20);
    add(&s, 0x40, 0x50);
    subtract(&s, 0x0, 0xf);
    subtract(&s, 0x21, 0x3f);
    subtract(&s, 0x51, MAX64);
    assert_set(&s, "0x10-0x20 0x40-0x50");
    iova_set_fini(&s);
}

static void test_iommu__set_subtract_at_zero(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    add(&s, 0x0, 0x100);
    subtract(&s, 0x0, 0x0);
    assert_set(&s, "0x1-0x100");
    subtract(&s, 0x0, 0x10);
    assert_set(&s, "0x11-0x100");
    iova_set_fini(&s);
}

static void test_iommu__set_subtract_at_max(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    add(&s, 0x0, MAX64);
    subtract(&s, MAX64, MAX64);
    assert_set(&s, "0x0-0xfffffffffffffffe");
    subtract(&s, 0x1000, MAX64);
    assert_set(&s, "0x0-0xfff");
    iova_set_fini(&s);

    add(&s, 0x0, MAX64);
    subtract(&s, 0x1, MAX64 - 1); /* split leaving one address at each edge */
    assert_set(&s, "0x0-0x0 0xffffffffffffffff-0xffffffffffffffff");
    subtract(&s, 0x0, MAX64); /* the whole space */
    assert_set(&s, "");
    iova_set_fini(&s);
}

static void test_iommu__set_clip(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    add(&s, 0x0, 0x100);
    add(&s, 0x200, 0x300);
    clip(&s, MAX64);
    assert_set(&s, "0x0-0x100 0x200-0x300");
    clip(&s, 0x300); /* the exact end */
    assert_set(&s, "0x0-0x100 0x200-0x300");
    clip(&s, 0x250);
    assert_set(&s, "0x0-0x100 0x200-0x250");
    clip(&s, 0x1ff); /* between ranges */
    assert_set(&s, "0x0-0x100");
    clip(&s, 0x0);
    assert_set(&s, "0x0-0x0");
    iova_set_fini(&s);

    add(&s, 0x10, 0x20);
    clip(&s, 0xf); /* below everything */
    assert_set(&s, "");
    iova_set_fini(&s);
}

static void test_iommu__set_overlap_finds_first_or_null(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    add(&s, 0x10, 0x20);
    add(&s, 0x30, 0x40);
    assert_null(iova_set_overlap(&s, 0x0, 0xf));
    assert_ptr_equal(iova_set_overlap(&s, 0x0, 0x10), &s.v[0]);
    assert_ptr_equal(iova_set_overlap(&s, 0x20, 0x20), &s.v[0]);
    assert_ptr_equal(iova_set_overlap(&s, 0x15, 0x35), &s.v[0]); /* both: the first */
    assert_ptr_equal(iova_set_overlap(&s, 0x0, MAX64), &s.v[0]);
    assert_null(iova_set_overlap(&s, 0x21, 0x2f));
    assert_ptr_equal(iova_set_overlap(&s, 0x2f, 0x30), &s.v[1]);
    assert_ptr_equal(iova_set_overlap(&s, 0x40, MAX64), &s.v[1]);
    assert_null(iova_set_overlap(&s, 0x41, MAX64));
    iova_set_fini(&s);
}

static void test_iommu__set_empty(void **state)
{
    struct iova_set s = { NULL, 0, 0 };

    (void)state;
    assert_null(iova_set_overlap(&s, 0x0, MAX64));
    subtract(&s, 0x0, MAX64);
    clip(&s, 0x0);
    assert_int_equal(s.n, 0);
    assert_set(&s, "");
    iova_set_fini(&s);
    iova_set_fini(&s); /* twice is harmless */
    assert_null(s.v);
    assert_int_equal(s.n, 0);
    assert_int_equal(s.cap, 0);

    add(&s, 0x1, 0x2); /* a finished set is empty and usable again */
    subtract(&s, 0x1, 0x2);
    assert_set(&s, "");
    assert_null(iova_set_overlap(&s, 0x0, MAX64));
    iova_set_fini(&s);
}

static void test_iommu__format_range(void **state)
{
    struct strbuf sb = STRBUF_INIT;

    (void)state;
    iommu_format_range(&sb, 0x8000000, 0x80fffff);
    assert_string_equal(strbuf_cstr(&sb), "0x8000000-0x80fffff");
    strbuf_reset(&sb);
    iommu_format_range(&sb, 0x0, MAX64);
    assert_string_equal(strbuf_cstr(&sb), "0x0-0xffffffffffffffff");
    strbuf_fini(&sb);
}

static void test_iommu__width_last(void **state)
{
    (void)state;
    assert_int_equal(iommu_width_last(1), 0x1);
    assert_int_equal(iommu_width_last(32), 0xffffffff);
    assert_int_equal(iommu_width_last(39), 0x7fffffffff);
    assert_int_equal(iommu_width_last(63), 0x7fffffffffffffff);
    assert_int_equal(iommu_width_last(64), MAX64);
}

/* --- iommu_stream_id --------------------------------------------------------------------- */

static void test_iommu__sid_without_stream_map_is_rid(void **state)
{
    struct topo_iommu u = smmu_map(NULL, 0);

    (void)state;
    assert_sid(&u, 0, 0x0000, 0x0000);
    assert_sid(&u, 0, 0x0219, 0x0219);
    assert_sid(&u, 0, 0xffff, 0xffff);
    assert_sid(&u, 7, 0x1f00, 0x1f00); /* the segment does not enter it */
}

static void test_iommu__sid_range_first_and_last_id(void **state)
{
    static const struct topo_stream_map m[] = { RANGE(0x100, 0x100, 0x1000) };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_sid(&u, 0, 0x100, 0x1000); /* rid_base */
    assert_sid(&u, 0, 0x180, 0x1080);
    assert_sid(&u, 0, 0x1ff, 0x10ff); /* rid_base + count - 1: the range is inclusive */
}

static void test_iommu__sid_range_outside_is_not_found(void **state)
{
    static const struct topo_stream_map m[] = { RANGE(0x100, 0x100, 0x1000) };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_no_sid(&u, 0, 0x200); /* just past: count is a count, not count - 1 */
    assert_no_sid(&u, 0, 0x0ff); /* just before */
    assert_no_sid(&u, 0, 0x0000);
    assert_no_sid(&u, 0, 0xffff);
}

static void test_iommu__sid_range_offset_from_rid_base(void **state)
{
    static const struct topo_stream_map m[] = { RANGE(0x300, 0x20, 0x40000) };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_sid(&u, 0, 0x315, 0x40015); /* sid_base + rid - rid_base */
    assert_sid(&u, 0, 0x31e, 0x4001e);
}

static void test_iommu__sid_full_range_maps_every_rid(void **state)
{
    static const struct topo_stream_map m[] = { RANGE(0x0, 0x10000, 0x10000) };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_sid(&u, 0, 0x0000, 0x10000);
    assert_sid(&u, 0, 0x0219, 0x10219);
    assert_sid(&u, 0, 0xffff, 0x1ffff); /* the last ID, no later range: still this one */
}

static void test_iommu__sid_first_match_wins(void **state)
{
    static const struct topo_stream_map m[] = { RANGE(0x000, 0x100, 0x1000),
                                                RANGE(0x080, 0x100, 0x2000) };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_sid(&u, 0, 0x07f, 0x107f); /* only the first covers it */
    assert_sid(&u, 0, 0x080, 0x1080); /* both: the first */
    assert_sid(&u, 0, 0x0fe, 0x10fe);
    assert_sid(&u, 0, 0x100, 0x2080); /* only the second */
    assert_sid(&u, 0, 0x17f, 0x20ff);
    assert_no_sid(&u, 0, 0x180);
}

static void test_iommu__sid_end_overlap_later_range_starting_there_wins(void **state)
{
    /* firmware that wrote the count instead of count - 1: A = [0, 0x100], B from 0xff */
    static const struct topo_stream_map m[] = { RANGE(0x000, 0x100, 0x1000),
                                                RANGE(0x0ff, 0x100, 0x5000) };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_sid(&u, 0, 0x0fe, 0x10fe); /* A */
    assert_sid(&u, 0, 0x0ff, 0x5000); /* A's last ID defers to B, which starts there */
    assert_sid(&u, 0, 0x100, 0x5001); /* B */
    assert_sid(&u, 0, 0x1fe, 0x50ff); /* B's last ID, no later range: B */
    assert_no_sid(&u, 0, 0x1ff);
}

static void test_iommu__sid_end_overlap_without_later_range_keeps_match(void **state)
{
    static const struct topo_stream_map m[] = { RANGE(0x000, 0x100, 0x1000),
                                                RANGE(0x200, 0x100, 0x5000) };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_sid(&u, 0, 0x0ff, 0x10ff); /* nothing later claims A's last ID */
    assert_no_sid(&u, 0, 0x100);
    assert_sid(&u, 0, 0x200, 0x5000);
}

static void test_iommu__sid_end_overlap_earlier_range_starting_there_first_match(void **state)
{
    /* B (starting at A's last ID) listed first: a plain first match */
    static const struct topo_stream_map m[] = { RANGE(0x0ff, 0x100, 0x5000),
                                                RANGE(0x000, 0x100, 0x1000) };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_sid(&u, 0, 0x0ff, 0x5000);
    assert_sid(&u, 0, 0x0fe, 0x10fe);
}

/*
 * iort_id_map() with check_overlap: once a range's last ID has answered -EAGAIN, a later
 * range only supersedes it if it *starts* at that ID; a later range that merely contains it
 * is disregarded ("things are *really* broken, and we just disregard duplicate matches"),
 * so the first range's mapping stands.
 */
static void test_iommu__sid_end_overlap_only_a_range_starting_there_supersedes(void **state)
{
    static const struct topo_stream_map m[] = { RANGE(0x000, 0x100, 0x1000),
                                                RANGE(0x080, 0x100, 0x3000) };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_sid(&u, 0, 0x0fe, 0x10fe);
    assert_sid(&u, 0, 0x0ff, 0x10ff); /* the second contains 0xff but does not start there */
    assert_sid(&u, 0, 0x100, 0x3080);
}

static void test_iommu__sid_end_overlap_two_deferrals_keep_the_first(void **state)
{
    /* 0xff is the last ID of both A and B; neither later range starts there */
    static const struct topo_stream_map m[] = { RANGE(0x000, 0x100, 0x1000),
                                                RANGE(0x0f0, 0x010, 0x2000) };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_sid(&u, 0, 0x0ff, 0x10ff);
    assert_sid(&u, 0, 0x0f0, 0x10f0);
}

static void test_iommu__sid_single_mapping_sends_every_rid_to_one_id(void **state)
{
    static const struct topo_stream_map m[] = { SINGLE(0x10000) };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_sid(&u, 0, 0x0000, 0x10000);
    assert_sid(&u, 0, 0x0219, 0x10000);
    assert_sid(&u, 0, 0xffff, 0x10000);
}

static void test_iommu__sid_single_mapping_after_a_range(void **state)
{
    static const struct topo_stream_map m[] = { RANGE(0x00, 0x10, 0x100), SINGLE(0x9000) };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_sid(&u, 0, 0x05, 0x105);  /* the range matches first */
    assert_sid(&u, 0, 0x20, 0x9000); /* the single mapping takes the rest */
    assert_sid(&u, 0, 0x0f, 0x9000); /* the range's last ID defers; a single mapping answers */
}

static void test_iommu__sid_segment_restricted_entries(void **state)
{
    static const struct topo_stream_map m[] = {
        { .has_segment = true, .segment = 1, .rid_base = 0, .count = 0x10000, .sid_base = 0x10000 },
        { .has_segment = true, .segment = 0, .rid_base = 0, .count = 0x10000, .sid_base = 0x0 },
        { .has_segment = true, .segment = 2, .single = true, .sid_base = 0x20000 },
    };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_sid(&u, 0, 0x0219, 0x00219);
    assert_sid(&u, 1, 0x0219, 0x10219);
    assert_sid(&u, 2, 0x0219, 0x20000);
    assert_no_sid(&u, 3, 0x0219); /* no entry for segment 3 */
}

static void test_iommu__sid_unrestricted_entry_applies_to_every_segment(void **state)
{
    static const struct topo_stream_map m[] = {
        { .has_segment = true, .segment = 1, .rid_base = 0, .count = 0x100, .sid_base = 0x8000 },
        RANGE(0x0, 0x100, 0x0),
    };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_sid(&u, 1, 0x10, 0x8010);
    assert_sid(&u, 0, 0x10, 0x10);
    assert_sid(&u, 5, 0x10, 0x10);
}

static void test_iommu__sid_count_one_range_does_not_defer(void **state)
{
    /* a single-ID range's only ID is also its last, but id_count is 0: no -EAGAIN */
    static const struct topo_stream_map m[] = { RANGE(0x10, 1, 0x500), RANGE(0x0, 0x100, 0x7000) };
    struct topo_iommu u = smmu_map(m, NMAP(m));
    static const struct topo_stream_map alone[] = { RANGE(0x10, 1, 0x500) };
    struct topo_iommu v = smmu_map(alone, NMAP(alone));

    (void)state;
    assert_sid(&u, 0, 0x10, 0x500); /* not superseded by the later range covering it */
    assert_sid(&u, 0, 0x11, 0x7011);
    assert_sid(&u, 0, 0x0f, 0x700f);
    assert_sid(&v, 0, 0x10, 0x500);
    assert_no_sid(&v, 0, 0x0f);
    assert_no_sid(&v, 0, 0x11);
}

static void test_iommu__sid_count_one_range_supersedes_end_overlap(void **state)
{
    static const struct topo_stream_map m[] = { RANGE(0x0, 0x100, 0x1000), RANGE(0xff, 1, 0x500) };
    struct topo_iommu u = smmu_map(m, NMAP(m));

    (void)state;
    assert_sid(&u, 0, 0xff, 0x500);
    assert_sid(&u, 0, 0xfe, 0x10fe);
}

/* --- iommu_fn_ids ------------------------------------------------------------------------ */

static void test_iommu__ids_smmu_bridge_alias_is_a_second_sid(void **state)
{
    uint32_t br, dev;
    struct fx *f = bridged(&br, &dev);
    uint32_t ui = fx_iommu(f, "smmu0", TOPO_IOMMU_SMMUV3, NULL, 0);
    struct alias_ctx *ctx;
    struct iommu_ids ids;

    (void)state;
    ctx = ctx_of(f);
    iommu_fn_ids(ctx, dev, &ids);
    assert_int_equal(ids.iommu, ui);
    assert_int_equal(ids.n, 2);
    assert_int_equal(ids.ids[0], 0x0219); /* its own RID */
    assert_int_equal(ids.owners[0], dev);
    assert_int_equal(ids.ids[1], 0x0200); /* (secondary bus, 00.0) of the bridge */
    assert_int_equal(ids.owners[1], br);
    assert_int_equal(ids.unmapped, 0);

    iommu_fn_ids(ctx, br, &ids);
    assert_int_equal(ids.n, 1);
    assert_int_equal(ids.ids[0], 0x0100);
    assert_int_equal(ids.owners[0], br);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_iommu__ids_smmu_through_stream_map_offset(void **state)
{
    static const struct topo_stream_map m[] = { RANGE(0x200, 0x100, 0x8000) };
    uint32_t br, dev;
    struct fx *f = bridged(&br, &dev);
    struct topo_iommu u = smmu_map(m, NMAP(m));
    uint32_t ui = add_iommu(f, &u);
    struct alias_ctx *ctx;
    struct iommu_ids ids;

    (void)state;
    ctx = ctx_of(f);
    iommu_fn_ids(ctx, dev, &ids);
    assert_int_equal(ids.iommu, ui);
    assert_int_equal(ids.n, 2);
    assert_int_equal(ids.ids[0], 0x8019);
    assert_int_equal(ids.owners[0], dev);
    assert_int_equal(ids.ids[1], 0x8000);
    assert_int_equal(ids.owners[1], br);
    assert_int_equal(ids.unmapped, 0);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_iommu__ids_unmapped_alias_counted_and_skipped(void **state)
{
    /* covers 02:02.0-02:03.7: the device's own RID, not the bridge alias 02:00.0 */
    static const struct topo_stream_map m[] = { RANGE(0x210, 0x10, 0x40) };
    uint32_t br, dev;
    struct fx *f = bridged(&br, &dev);
    struct topo_iommu u = smmu_map(m, NMAP(m));
    struct alias_ctx *ctx;
    struct iommu_ids ids;

    (void)state;
    add_iommu(f, &u);
    ctx = ctx_of(f);
    iommu_fn_ids(ctx, dev, &ids);
    assert_int_equal(ids.n, 1);
    assert_int_equal(ids.ids[0], 0x49);
    assert_int_equal(ids.owners[0], dev);
    assert_int_equal(ids.unmapped, 1);
    assert_int_equal(ids.first_unmapped, 0x0200);
    alias_ctx_free(ctx);
    fx_free(f);
}

/* Linux stops the alias walk at the first ID IORT cannot map (iort_iommu_xlate: -ENODEV). */
static void test_iommu__ids_first_unmapped_alias_ends_the_walk(void **state)
{
    static const struct topo_stream_map m[] = { RANGE(0x8000, 0x100, 0x0) };
    uint32_t br, dev;
    struct fx *f = bridged(&br, &dev);
    struct topo_iommu u = smmu_map(m, NMAP(m));
    uint32_t ui = add_iommu(f, &u);
    struct alias_ctx *ctx;
    struct iommu_ids ids;

    (void)state;
    ctx = ctx_of(f);
    iommu_fn_ids(ctx, dev, &ids);
    assert_int_equal(ids.iommu, ui);
    assert_int_equal(ids.n, 0);
    assert_int_equal(ids.unmapped, 1); /* the bridge alias after it is never looked at */
    assert_int_equal(ids.first_unmapped, 0x0219);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_iommu__ids_vtd_are_source_ids(void **state)
{
    uint32_t br, dev;
    struct fx *f = bridged(&br, &dev);
    uint32_t ui = fx_iommu(f, "dmar0", TOPO_IOMMU_VTD, NULL, 0);
    struct alias_ctx *ctx;
    struct iommu_ids ids;

    (void)state;
    ctx = ctx_of(f);
    iommu_fn_ids(ctx, dev, &ids);
    assert_int_equal(ids.iommu, ui);
    assert_int_equal(ids.n, 2);
    assert_int_equal(ids.ids[0], 0x0219);
    assert_int_equal(ids.owners[0], dev);
    assert_int_equal(ids.ids[1], 0x0200);
    assert_int_equal(ids.owners[1], br);
    assert_int_equal(ids.unmapped, 0);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_iommu__ids_vtd_ignores_stream_map(void **state)
{
    /* a stream_map is an error outside smmuv3 in YAML; built directly, it has no effect */
    static const struct topo_stream_map m[] = { RANGE(0x8000, 0x100, 0x0) };
    uint32_t br, dev;
    struct fx *f = bridged(&br, &dev);
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_VTD, 48);
    struct alias_ctx *ctx;
    struct iommu_ids ids;

    (void)state;
    u.stream_map = m;
    u.nstream_map = NMAP(m);
    add_iommu(f, &u);
    ctx = ctx_of(f);
    iommu_fn_ids(ctx, dev, &ids);
    assert_int_equal(ids.n, 2);
    assert_int_equal(ids.ids[0], 0x0219);
    assert_int_equal(ids.ids[1], 0x0200);
    assert_int_equal(ids.unmapped, 0);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_iommu__ids_uncovered_function_has_none(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb0 = fx_hb(f, "pci0", 0, 0);
    uint32_t hb1 = fx_hb(f, "pci1", 0, 0x80);
    uint32_t ep0 = fx_fn(f, "ep0", TOPO_ENDPOINT, TOPO_NONE, hb0, "2.0");
    uint32_t ep1 = fx_fn(f, "ep1", TOPO_ENDPOINT, TOPO_NONE, hb1, "2.0");
    uint32_t ui = fx_iommu(f, "smmu0", TOPO_IOMMU_SMMUV3, &hb0, 1);
    struct alias_ctx *ctx;
    struct iommu_ids ids;

    (void)state;
    ctx = ctx_of(f);
    iommu_fn_ids(ctx, ep0, &ids);
    assert_int_equal(ids.iommu, ui);
    assert_int_equal(ids.n, 1);
    assert_int_equal(ids.ids[0], 0x0010);
    iommu_fn_ids(ctx, ep1, &ids);
    assert_int_equal(ids.iommu, TOPO_NONE);
    assert_int_equal(ids.n, 0);
    assert_int_equal(ids.unmapped, 0);
    alias_ctx_free(ctx);
    fx_free(f);
}

/* --- iommu_reserved ---------------------------------------------------------------------- */

static void test_iommu__reserved_vtd_is_x86_msi(void **state)
{
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_VTD, 48);

    (void)state;
    assert_reserved(&u, "0xfee00000-0xfeefffff");
    u.address_bits = 32;
    assert_reserved(&u, "0xfee00000-0xfeefffff");
    u.address_bits = 31; /* below 2^31: the MSI range is above the space */
    assert_reserved(&u, "");
}

static void test_iommu__reserved_amd_vi_adds_ht_hole(void **state)
{
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_AMD_VI, 48);

    (void)state;
    assert_reserved(&u, "0xfee00000-0xfeefffff 0xfd00000000-0xffffffffff");
    u.address_bits = 40; /* the hole ends exactly at 2^40 - 1 */
    assert_reserved(&u, "0xfee00000-0xfeefffff 0xfd00000000-0xffffffffff");
    u.address_bits = 39; /* the hole lies above 2^39 */
    assert_reserved(&u, "0xfee00000-0xfeefffff");
    u.address_bits = 64;
    assert_reserved(&u, "0xfee00000-0xfeefffff 0xfd00000000-0xffffffffff");
}

static void test_iommu__reserved_smmuv3_and_virtio_are_sw_msi(void **state)
{
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_SMMUV3, 48);
    struct topo_iommu v = iommu_desc(TOPO_IOMMU_VIRTIO, 48);

    (void)state;
    assert_reserved(&u, "0x8000000-0x80fffff");
    assert_reserved(&v, "0x8000000-0x80fffff");
    u.address_bits = 27; /* 0x7ffffff: the window starts just above */
    assert_reserved(&u, "");
    u.address_bits = 28; /* 0xfffffff: all of it */
    assert_reserved(&u, "0x8000000-0x80fffff");
}

static void test_iommu__reserved_yaml_regions_merged_with_defaults(void **state)
{
    static const struct topo_resv r[] = {
        { .base = 0xfee00000, .size = 0x100000, .kind = TOPO_RESV_MSI },      /* equal */
        { .base = 0xfed00000, .size = 0x180000, .kind = TOPO_RESV_RESERVED }, /* overlapping */
        { .base = 0x9f000000, .size = 0x100000, .kind = TOPO_RESV_DIRECT },   /* apart */
        { .base = 0x9f080000, .size = 0x1000, .kind = TOPO_RESV_RMRR },       /* inside */
    };
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_VTD, 48);

    (void)state;
    u.reserved = r;
    u.nreserved = 1;
    assert_reserved(&u, "0xfee00000-0xfeefffff"); /* not counted twice */
    u.nreserved = 2;
    assert_reserved(&u, "0xfed00000-0xfeefffff");
    u.nreserved = 4;
    assert_reserved(&u, "0x9f000000-0x9f0fffff 0xfed00000-0xfeefffff");
}

static void test_iommu__reserved_yaml_region_on_amd_vi(void **state)
{
    /* docs/examples/platform-amd.yaml: an IVMD block added to the amd-vi defaults */
    static const struct topo_resv r[] = {
        { .base = 0x9f000000, .size = 0x100000, .kind = TOPO_RESV_DIRECT },
    };
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_AMD_VI, 48);

    (void)state;
    u.reserved = r;
    u.nreserved = NMAP(r);
    assert_reserved(&u, "0x9f000000-0x9f0fffff 0xfee00000-0xfeefffff 0xfd00000000-0xffffffffff");
}

static void test_iommu__reserved_above_width_dropped(void **state)
{
    static const struct topo_resv r[] = {
        { .base = 0x100000000, .size = 0x1000, .kind = TOPO_RESV_RESERVED }, /* above 2^32 */
        { .base = 0xfffff000, .size = 0x2000, .kind = TOPO_RESV_RESERVED },  /* straddles */
        { .base = 0x1000, .size = 0x1000, .kind = TOPO_RESV_RESERVED },      /* below */
    };
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_SMMUV3, 32);

    (void)state;
    u.reserved = r;
    u.nreserved = NMAP(r);
    assert_reserved(&u, "0x1000-0x1fff 0x8000000-0x80fffff 0xfffff000-0xffffffff");
    u.address_bits = 48;
    assert_reserved(&u, "0x1000-0x1fff 0x8000000-0x80fffff 0xfffff000-0x100000fff");
}

static void test_iommu__reserved_at_the_top_of_64_bits(void **state)
{
    static const struct topo_resv r[] = {
        { .base = 0xfffffffffffff000, .size = 0x1000, .kind = TOPO_RESV_RESERVED },
    };
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_VTD, 64);

    (void)state;
    u.reserved = r;
    u.nreserved = NMAP(r);
    assert_reserved(&u, "0xfee00000-0xfeefffff 0xfffffffffffff000-0xffffffffffffffff");
    u.address_bits = 63;
    assert_reserved(&u, "0xfee00000-0xfeefffff");
}

/* --- iommu_iova_vfio / iommu_dma_limit / iommu_iova_unit --------------------------------- */

static void test_iommu__vfio_smmuv3_48_bits(void **state)
{
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_SMMUV3, 48);

    (void)state;
    u.dma_limit_bits = 42; /* not part of what VFIO reports */
    assert_vfio(&u, NULL, "0x0-0x7ffffff 0x8100000-0xffffffffffff");
}

static void test_iommu__vfio_vtd_39_bits(void **state)
{
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_VTD, 39);

    (void)state;
    assert_vfio(&u, NULL, "0x0-0xfedfffff 0xfef00000-0x7fffffffff");
}

static void test_iommu__vfio_amd_vi_48_bits(void **state)
{
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_AMD_VI, 48);

    (void)state;
    assert_vfio(&u, NULL, "0x0-0xfedfffff 0xfef00000-0xfcffffffff 0x10000000000-0xffffffffffff");
}

static void test_iommu__vfio_64_bit_width(void **state)
{
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_VTD, 64);
    struct topo_iommu s = iommu_desc(TOPO_IOMMU_SMMUV3, 64);

    (void)state;
    assert_vfio(&u, NULL, "0x0-0xfedfffff 0xfef00000-0xffffffffffffffff");
    assert_vfio(&s, NULL, "0x0-0x7ffffff 0x8100000-0xffffffffffffffff");
}

static void test_iommu__vfio_extra_reserved_cut_too(void **state)
{
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_VTD, 39);
    struct iova_set extra = { NULL, 0, 0 };

    (void)state;
    add(&extra, 0x0, 0xffffff);          /* VT-d's ISA unity map */
    add(&extra, 0x7a7f1000, 0x7a810fff); /* a USB RMRR */
    add(&extra, 0xfee80000, 0xfeffffff); /* partly the MSI range */
    assert_vfio(&u, &extra, "0x1000000-0x7a7f0fff 0x7a811000-0xfedfffff 0xff000000-0x7fffffffff");
    iova_set_fini(&extra);
}

static void test_iommu__dma_limit(void **state)
{
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_SMMUV3, 48);
    struct topo_iommu none = iommu_desc(TOPO_IOMMU_SMMUV3, 48);

    (void)state;
    u.dma_limit_bits = 42;
    assert_int_equal(iommu_dma_limit(NULL, 32), 0xffffffff);
    assert_int_equal(iommu_dma_limit(NULL, 0), MAX64);
    assert_int_equal(iommu_dma_limit(NULL, 64), MAX64);
    assert_int_equal(iommu_dma_limit(&u, 64), 0x3ffffffffff);
    assert_int_equal(iommu_dma_limit(&u, 0), 0x3ffffffffff);
    assert_int_equal(iommu_dma_limit(&u, 40), 0xffffffffff); /* the narrower wins */
    assert_int_equal(iommu_dma_limit(&u, 42), 0x3ffffffffff);
    assert_int_equal(iommu_dma_limit(&none, 0), MAX64);
    assert_int_equal(iommu_dma_limit(&none, 39), 0x7fffffffff);
}

/* One host bridge with one endpoint behind IOMMU desc; *ui is the IOMMU's index. */
static struct fx *one_unit(const struct topo_iommu *desc, uint32_t *ui)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);

    fx_fn(f, "ep", TOPO_ENDPOINT, TOPO_NONE, hb, "2.0");
    *ui = add_iommu(f, desc);
    return f;
}

static void assert_unit(const struct topo_iommu *desc, const char *vfio, const char *usable)
{
    uint32_t ui = TOPO_NONE;
    struct fx *f = one_unit(desc, &ui);
    struct alias_ctx *ctx = ctx_of(f);
    struct iova_set v = { NULL, 0, 0 }, u = { NULL, 0, 0 };

    assert_int_equal(iommu_iova_unit(ctx, ui, &v, &u), SIM_OK);
    assert_set(&v, vfio);
    assert_set(&u, usable);
    iova_set_fini(&v);
    iova_set_fini(&u);
    alias_ctx_free(ctx);
    fx_free(f);
}

static void test_iommu__unit_seed003_smmuv3_dma_limit_42(void **state)
{
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_SMMUV3, 48);

    (void)state;
    u.dma_limit_bits = 42;
    assert_unit(&u, "0x0-0x7ffffff 0x8100000-0xffffffffffff",
                "0x0-0x7ffffff 0x8100000-0x3ffffffffff");
}

static void test_iommu__unit_vtd_39_bits(void **state)
{
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_VTD, 39);

    (void)state;
    assert_unit(&u, "0x0-0xfedfffff 0xfef00000-0x7fffffffff",
                "0x0-0xfedfffff 0xfef00000-0x7fffffffff");
}

static void test_iommu__unit_64_bit_width(void **state)
{
    struct topo_iommu u = iommu_desc(TOPO_IOMMU_VTD, 64);

    (void)state;
    assert_unit(&u, "0x0-0xfedfffff 0xfef00000-0xffffffffffffffff",
                "0x0-0xfedfffff 0xfef00000-0xffffffffffffffff");
    u.dma_limit_bits = 64;
    assert_unit(&u, "0x0-0xfedfffff 0xfef00000-0xffffffffffffffff",
                "0x0-0xfedfffff 0xfef00000-0xffffffffffffffff");
}

static void test_iommu__unit_second_iommu_by_index(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb0 = fx_hb(f, "pci0", 0, 0);
    uint32_t hb1 = fx_hb(f, "pci1", 1, 0);
    struct topo_iommu a = iommu_desc(TOPO_IOMMU_VTD, 39);
    struct topo_iommu b = iommu_desc(TOPO_IOMMU_SMMUV3, 48);
    struct alias_ctx *ctx;
    struct iova_set v = { NULL, 0, 0 }, u = { NULL, 0, 0 };
    uint32_t ub;

    (void)state;
    fx_fn(f, "ep0", TOPO_ENDPOINT, TOPO_NONE, hb0, "2.0");
    fx_fn(f, "ep1", TOPO_ENDPOINT, TOPO_NONE, hb1, "2.0");
    a.covers = &hb0;
    a.ncovers = 1;
    b.id = "smmu1";
    b.covers = &hb1;
    b.ncovers = 1;
    b.dma_limit_bits = 40;
    add_iommu(f, &a);
    ub = add_iommu(f, &b);
    ctx = ctx_of(f);
    assert_int_equal(iommu_iova_unit(ctx, ub, &v, &u), SIM_OK);
    assert_set(&v, "0x0-0x7ffffff 0x8100000-0xffffffffffff");
    assert_set(&u, "0x0-0x7ffffff 0x8100000-0xffffffffff");
    iova_set_fini(&v);
    iova_set_fini(&u);
    alias_ctx_free(ctx);
    fx_free(f);
}

/* --- iommu_iova_group -------------------------------------------------------------------- */

/*
 * Root port 00:1c.0 (ACS) with a PCIe-to-PCI bridge and two conventional devices behind it
 * (one group: br, a, b), and root port 00:1d.0 (ACS) with an endpoint alone in its group.
 */
struct grp {
    struct fx *f;
    struct alias_ctx *ctx;
    struct alias_groups *g;
    uint32_t a, b, lone;
};

static void grp_build(struct grp *x, enum topo_iommu_kind kind, uint8_t bits, uint8_t limit,
                      const struct topo_resv *resv_a, size_t nresv_a, uint8_t dma_bits_b)
{
    struct topo_iommu u = iommu_desc(kind, bits);
    uint32_t hb, rp0, rp1, br;

    memset(x, 0, sizeof(*x));
    x->f = fx_new();
    hb = fx_hb(x->f, "pci0", 0, 0);
    rp0 = fx_fn(x->f, "rp0", TOPO_ROOT_PORT, TOPO_NONE, hb, "1c.0");
    rp1 = fx_fn(x->f, "rp1", TOPO_ROOT_PORT, TOPO_NONE, hb, "1d.0");
    fx_acs_full(x->f, rp0);
    fx_acs_full(x->f, rp1);
    br = fx_fn(x->f, "br", TOPO_PCIE_PCI_BRIDGE, rp0, hb, "0.0");
    x->a = fx_fn(x->f, "a", TOPO_PCI_DEVICE, br, hb, "1.0");
    x->b = fx_fn(x->f, "b", TOPO_PCI_DEVICE, br, hb, "2.0");
    x->lone = fx_fn(x->f, "lone", TOPO_ENDPOINT, rp1, hb, "0.0");
    fx_desc(x->f, x->a)->reserved = resv_a;
    fx_desc(x->f, x->a)->nreserved = nresv_a;
    fx_desc(x->f, x->b)->dma_bits = dma_bits_b;
    u.dma_limit_bits = limit;
    add_iommu(x->f, &u);
    x->ctx = ctx_of(x->f);
    assert_int_equal(alias_groups_compute(&x->g, x->ctx), SIM_OK);
    assert_non_null(x->g);
    assert_int_equal(alias_group_of(x->g, x->a), alias_group_of(x->g, x->b));
    assert_true(alias_group_of(x->g, x->a) != alias_group_of(x->g, x->lone));
}

static void grp_free(struct grp *x)
{
    alias_groups_free(x->g);
    alias_ctx_free(x->ctx);
    fx_free(x->f);
}

static void assert_group(const struct grp *x, uint32_t fn, const char *vfio, const char *usable)
{
    struct iova_set v = { NULL, 0, 0 }, u = { NULL, 0, 0 };

    assert_int_equal(iommu_iova_group(x->ctx, x->g, alias_group_of(x->g, fn), &v, &u), SIM_OK);
    assert_set(&v, vfio);
    assert_set(&u, usable);
    iova_set_fini(&v);
    iova_set_fini(&u);
}

static void test_iommu__group_member_reserved_cuts_whole_group(void **state)
{
    static const struct topo_resv rmrr[] = {
        { .base = 0x7a7f1000, .size = 0x20000, .kind = TOPO_RESV_RMRR },
    };
    struct grp x;

    (void)state;
    grp_build(&x, TOPO_IOMMU_VTD, 48, 0, rmrr, NMAP(rmrr), 0);
    /* a declares the RMRR; b, in the same group, loses the range too */
    assert_group(&x, x.a, "0x0-0x7a7f0fff 0x7a811000-0xfedfffff 0xfef00000-0xffffffffffff",
                 "0x0-0x7a7f0fff 0x7a811000-0xfedfffff 0xfef00000-0xffffffffffff");
    assert_group(&x, x.b, "0x0-0x7a7f0fff 0x7a811000-0xfedfffff 0xfef00000-0xffffffffffff",
                 "0x0-0x7a7f0fff 0x7a811000-0xfedfffff 0xfef00000-0xffffffffffff");
    /* another group does not */
    assert_group(&x, x.lone, "0x0-0xfedfffff 0xfef00000-0xffffffffffff",
                 "0x0-0xfedfffff 0xfef00000-0xffffffffffff");
    grp_free(&x);
}

static void test_iommu__group_reserved_overlapping_default_counted_once(void **state)
{
    static const struct topo_resv r[] = {
        { .base = 0x0, .size = 0x1000000, .kind = TOPO_RESV_DIRECT },    /* ISA unity map */
        { .base = 0xfee00000, .size = 0x100000, .kind = TOPO_RESV_MSI }, /* the MSI range */
    };
    struct grp x;

    (void)state;
    grp_build(&x, TOPO_IOMMU_VTD, 39, 0, r, NMAP(r), 0);
    assert_group(&x, x.b, "0x1000000-0xfedfffff 0xfef00000-0x7fffffffff",
                 "0x1000000-0xfedfffff 0xfef00000-0x7fffffffff");
    grp_free(&x);
}

static void test_iommu__group_narrowest_member_dma_bits_limits_usable(void **state)
{
    struct grp x;

    (void)state;
    grp_build(&x, TOPO_IOMMU_SMMUV3, 48, 0, NULL, 0, 40);
    assert_group(&x, x.a, "0x0-0x7ffffff 0x8100000-0xffffffffffff",
                 "0x0-0x7ffffff 0x8100000-0xffffffffff");
    assert_group(&x, x.lone, "0x0-0x7ffffff 0x8100000-0xffffffffffff",
                 "0x0-0x7ffffff 0x8100000-0xffffffffffff");
    grp_free(&x);
}

static void test_iommu__group_root_complex_limit_narrower_than_members(void **state)
{
    struct grp x;

    (void)state;
    grp_build(&x, TOPO_IOMMU_SMMUV3, 48, 42, NULL, 0, 44);
    assert_group(&x, x.a, "0x0-0x7ffffff 0x8100000-0xffffffffffff",
                 "0x0-0x7ffffff 0x8100000-0x3ffffffffff");
    assert_group(&x, x.lone, "0x0-0x7ffffff 0x8100000-0xffffffffffff",
                 "0x0-0x7ffffff 0x8100000-0x3ffffffffff");
    grp_free(&x);
}

static void test_iommu__group_member_dma_bits_below_msi_window(void **state)
{
    struct grp x;

    (void)state;
    grp_build(&x, TOPO_IOMMU_SMMUV3, 48, 42, NULL, 0, 27); /* 0x7ffffff: just below it */
    assert_group(&x, x.b, "0x0-0x7ffffff 0x8100000-0xffffffffffff", "0x0-0x7ffffff");
    grp_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* iova_set */
        cmocka_unit_test(test_iommu__set_add_into_empty),
        cmocka_unit_test(test_iommu__set_add_keeps_order),
        cmocka_unit_test(test_iommu__set_add_merges_overlapping),
        cmocka_unit_test(test_iommu__set_add_merges_touching),
        cmocka_unit_test(test_iommu__set_add_at_the_limits),
        cmocka_unit_test(test_iommu__set_subtract_splits),
        cmocka_unit_test(test_iommu__set_subtract_trims_both_ends),
        cmocka_unit_test(test_iommu__set_subtract_swallows),
        cmocka_unit_test(test_iommu__set_subtract_trims_and_swallows_in_one_call),
        cmocka_unit_test(test_iommu__set_subtract_disjoint_or_adjacent_changes_nothing),
        cmocka_unit_test(test_iommu__set_subtract_at_zero),
        cmocka_unit_test(test_iommu__set_subtract_at_max),
        cmocka_unit_test(test_iommu__set_clip),
        cmocka_unit_test(test_iommu__set_overlap_finds_first_or_null),
        cmocka_unit_test(test_iommu__set_empty),
        cmocka_unit_test(test_iommu__format_range),
        cmocka_unit_test(test_iommu__width_last),
        /* iommu_stream_id */
        cmocka_unit_test(test_iommu__sid_without_stream_map_is_rid),
        cmocka_unit_test(test_iommu__sid_range_first_and_last_id),
        cmocka_unit_test(test_iommu__sid_range_outside_is_not_found),
        cmocka_unit_test(test_iommu__sid_range_offset_from_rid_base),
        cmocka_unit_test(test_iommu__sid_full_range_maps_every_rid),
        cmocka_unit_test(test_iommu__sid_first_match_wins),
        cmocka_unit_test(test_iommu__sid_end_overlap_later_range_starting_there_wins),
        cmocka_unit_test(test_iommu__sid_end_overlap_without_later_range_keeps_match),
        cmocka_unit_test(test_iommu__sid_end_overlap_earlier_range_starting_there_first_match),
        cmocka_unit_test(test_iommu__sid_end_overlap_only_a_range_starting_there_supersedes),
        cmocka_unit_test(test_iommu__sid_end_overlap_two_deferrals_keep_the_first),
        cmocka_unit_test(test_iommu__sid_single_mapping_sends_every_rid_to_one_id),
        cmocka_unit_test(test_iommu__sid_single_mapping_after_a_range),
        cmocka_unit_test(test_iommu__sid_segment_restricted_entries),
        cmocka_unit_test(test_iommu__sid_unrestricted_entry_applies_to_every_segment),
        cmocka_unit_test(test_iommu__sid_count_one_range_does_not_defer),
        cmocka_unit_test(test_iommu__sid_count_one_range_supersedes_end_overlap),
        /* iommu_fn_ids */
        cmocka_unit_test(test_iommu__ids_smmu_bridge_alias_is_a_second_sid),
        cmocka_unit_test(test_iommu__ids_smmu_through_stream_map_offset),
        cmocka_unit_test(test_iommu__ids_unmapped_alias_counted_and_skipped),
        cmocka_unit_test(test_iommu__ids_first_unmapped_alias_ends_the_walk),
        cmocka_unit_test(test_iommu__ids_vtd_are_source_ids),
        cmocka_unit_test(test_iommu__ids_vtd_ignores_stream_map),
        cmocka_unit_test(test_iommu__ids_uncovered_function_has_none),
        /* iommu_reserved */
        cmocka_unit_test(test_iommu__reserved_vtd_is_x86_msi),
        cmocka_unit_test(test_iommu__reserved_amd_vi_adds_ht_hole),
        cmocka_unit_test(test_iommu__reserved_smmuv3_and_virtio_are_sw_msi),
        cmocka_unit_test(test_iommu__reserved_yaml_regions_merged_with_defaults),
        cmocka_unit_test(test_iommu__reserved_yaml_region_on_amd_vi),
        cmocka_unit_test(test_iommu__reserved_above_width_dropped),
        cmocka_unit_test(test_iommu__reserved_at_the_top_of_64_bits),
        /* VFIO ranges, DMA limit, units */
        cmocka_unit_test(test_iommu__vfio_smmuv3_48_bits),
        cmocka_unit_test(test_iommu__vfio_vtd_39_bits),
        cmocka_unit_test(test_iommu__vfio_amd_vi_48_bits),
        cmocka_unit_test(test_iommu__vfio_64_bit_width),
        cmocka_unit_test(test_iommu__vfio_extra_reserved_cut_too),
        cmocka_unit_test(test_iommu__dma_limit),
        cmocka_unit_test(test_iommu__unit_seed003_smmuv3_dma_limit_42),
        cmocka_unit_test(test_iommu__unit_vtd_39_bits),
        cmocka_unit_test(test_iommu__unit_64_bit_width),
        cmocka_unit_test(test_iommu__unit_second_iommu_by_index),
        /* groups */
        cmocka_unit_test(test_iommu__group_member_reserved_cuts_whole_group),
        cmocka_unit_test(test_iommu__group_reserved_overlapping_default_counted_once),
        cmocka_unit_test(test_iommu__group_narrowest_member_dma_bits_limits_usable),
        cmocka_unit_test(test_iommu__group_root_complex_limit_narrower_than_members),
        cmocka_unit_test(test_iommu__group_member_dma_bits_below_msi_window),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

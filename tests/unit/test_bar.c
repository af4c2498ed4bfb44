/* Unit tests for sim/bar: QEMU's and hardware's decoding rules, the sizing generators' exact
 * access lists, and what a replay records (events, results, histories, routing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "sim/bar/bar.h"
#include "sim/topology/pci_regs.h"
#include "sim/util/err.h"
#include "sim/util/vec.h"
#include "tests/unit/fixtures.h"

typedef VEC(struct bar_op) op_vec;

/* --- Decoding ------------------------------------------------------------------------------ */

static uint64_t qemu(enum topo_bar_type type, uint64_t size, uint64_t value, uint16_t cmd)
{
    struct bar_slot s = { type, false, size, value };

    return bar_decode(&s, cmd, BAR_POLICY_QEMU, false);
}

static uint64_t hw(enum topo_bar_type type, uint64_t size, uint64_t value, uint16_t cmd)
{
    struct bar_slot s = { type, false, size, value };

    return bar_decode(&s, cmd, BAR_POLICY_HARDWARE, false);
}

#define MEM PCI_COMMAND_MEMORY
#define IO  PCI_COMMAND_IO

static void test_bar__decode_needs_the_decode_bit(void **state)
{
    (void)state;
    assert_true(qemu(TOPO_BAR_MEM32, 0x4000, 0xfebe0000, 0) == BAR_UNMAPPED);
    assert_true(hw(TOPO_BAR_MEM32, 0x4000, 0xfebe0000, IO) == BAR_UNMAPPED);
    assert_true(qemu(TOPO_BAR_MEM32, 0x4000, 0xfebe0000, MEM) == 0xfebe0000);
    assert_true(qemu(TOPO_BAR_IO, 0x20, 0xc001, MEM) == BAR_UNMAPPED);
    assert_true(qemu(TOPO_BAR_IO, 0x20, 0xc001, IO) == 0xc000); /* type bit masked off */
}

static void test_bar__decode_mem32_ending_at_4g(void **state)
{
    (void)state;
    /* all-ones sizing value of a 16 KiB 32-bit BAR: ends on 0xffffffff */
    assert_true(qemu(TOPO_BAR_MEM32, 0x4000, 0xfffffff0, MEM) == BAR_UNMAPPED);
    assert_true(hw(TOPO_BAR_MEM32, 0x4000, 0xfffffff0, MEM) == 0xffffc000);
    /* one BAR lower it is fine */
    assert_true(qemu(TOPO_BAR_MEM32, 0x4000, 0xffff8000, MEM) == 0xffff8000);
    /* a 64-bit BAR may end at 4 GiB and beyond */
    assert_true(qemu(TOPO_BAR_MEM64, 0x4000, 0xffffc004, MEM) == 0xffffc000);
}

static void test_bar__decode_mem64_top_of_space(void **state)
{
    (void)state;
    /* the seed 002 transient: high dword all-ones, low dword the old address */
    assert_true(qemu(TOPO_BAR_MEM64, 0x4000, UINT64_C(0xfffffffffebe0004), MEM) ==
                UINT64_C(0xfffffffffebe0000));
    /* both dwords all-ones: the last byte is the all-ones "unmapped" address */
    assert_true(qemu(TOPO_BAR_MEM64, 0x4000, UINT64_MAX, MEM) == BAR_UNMAPPED);
    assert_true(hw(TOPO_BAR_MEM64, 0x4000, UINT64_MAX, MEM) == UINT64_C(0xffffffffffffc000));
}

static void test_bar__decode_address_zero(void **state)
{
    struct bar_slot s = { TOPO_BAR_MEM32, false, 0x1000, 0 };

    (void)state;
    assert_true(bar_decode(&s, MEM, BAR_POLICY_QEMU, false) == BAR_UNMAPPED);
    assert_true(bar_decode(&s, MEM, BAR_POLICY_QEMU, true) == 0);
    assert_true(bar_decode(&s, MEM, BAR_POLICY_HARDWARE, false) == 0);
}

static void test_bar__decode_rom_enable_bit(void **state)
{
    struct bar_slot on = { TOPO_BAR_MEM32, true, 0x10000, 0xfebf0001 };
    struct bar_slot off = { TOPO_BAR_MEM32, true, 0x10000, 0xfebf0000 };

    (void)state;
    assert_true(bar_decode(&on, MEM, BAR_POLICY_QEMU, false) == 0xfebf0000);
    assert_true(bar_decode(&off, MEM, BAR_POLICY_QEMU, false) == BAR_UNMAPPED);
    assert_true(bar_decode(&off, MEM, BAR_POLICY_HARDWARE, false) == BAR_UNMAPPED);
    assert_true(bar_decode(&on, 0, BAR_POLICY_QEMU, false) == BAR_UNMAPPED);
}

static void test_bar__decode_io_rules(void **state)
{
    (void)state;
    /* an I/O BAR that reaches 0xffffffff is refused by QEMU, decoded by hardware */
    assert_true(qemu(TOPO_BAR_IO, 0x20, 0xffffffe1, IO) == BAR_UNMAPPED);
    assert_true(hw(TOPO_BAR_IO, 0x20, 0xffffffe1, IO) == 0xffffffe0);
}

/* --- Generators ---------------------------------------------------------------------------- */

struct gen_machine {
    struct fx *f;
    uint32_t ep, br;
};

/* ep: 64-bit RAM-backed BAR 0 (16 KiB at 0xfebe0000: the listener maps it), I/O BAR 2, a disabled
 * ROM; memory and I/O decode on. br: a PCI bridge with no BARs. */
static void gen_machine(struct gen_machine *m)
{
    uint32_t hb;

    m->f = fx_new();
    hb = fx_hb(m->f, "pci0", 0, 0);
    m->ep = fx_fn(m->f, "ep0", TOPO_PCI_DEVICE, TOPO_NONE, hb, "04.0");
    m->br = fx_fn(m->f, "br0", TOPO_PCI_BRIDGE, TOPO_NONE, hb, "05.0");
    fx_bar_at(m->f, m->ep, 0, TOPO_BAR_MEM64, 0x4000, 0xfebe0000)->ram = true;
    fx_bar_at(m->f, m->ep, 2, TOPO_BAR_IO, 0x20, 0xc000);
    fx_rom(m->f, m->ep, 0x10000, true, 0xfebf0000, false);
    fx_finalize(m->f);
}

struct want {
    enum bar_op_kind kind;
    uint16_t reg;
    uint8_t len;
    uint32_t value; /* writes */
};

#define R(reg, len)        ((struct want){ BAR_OP_READ, reg, len, 0 })
#define W(reg, len, value) ((struct want){ BAR_OP_WRITE, reg, len, value })

static void assert_ops(const op_vec *v, uint32_t fn, const struct want *w, size_t n)
{
    assert_int_equal(v->n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(v->v[i].fn, fn);
        assert_int_equal(v->v[i].kind, w[i].kind);
        assert_int_equal(v->v[i].reg, w[i].reg);
        assert_int_equal(v->v[i].len, w[i].len);
        if (w[i].kind == BAR_OP_WRITE)
            assert_int_equal(v->v[i].value, w[i].value);
    }
}

static void test_bar__generator_decode_on(void **state)
{
    struct gen_machine m;
    op_vec v = { 0 };
    const struct want w[] = {
        R(0x10, 4), W(0x10, 4, 0xffffffff), R(0x10, 4), W(0x10, 4, 0xfebe0004), /* low */
        R(0x14, 4), W(0x14, 4, 0xffffffff), R(0x14, 4), W(0x14, 4, 0x00000000), /* high */
        R(0x18, 4), W(0x18, 4, 0xffffffff), R(0x18, 4), W(0x18, 4, 0x0000c001), /* I/O */
    };

    (void)state;
    gen_machine(&m);
    assert_int_equal(bar_generate(&v, m.f->t, BAR_GEN_DECODE_ON, &m.ep, 1), SIM_OK);
    assert_ops(&v, m.ep, w, sizeof(w) / sizeof(w[0]));
    vec_free(&v);
    fx_free(m.f);
}

static void test_bar__generator_decode_on_high_first(void **state)
{
    struct gen_machine m;
    op_vec v = { 0 };
    const struct want w[] = {
        R(0x14, 4), W(0x14, 4, 0xffffffff), R(0x14, 4), W(0x14, 4, 0x00000000), /* high */
        R(0x10, 4), W(0x10, 4, 0xffffffff), R(0x10, 4), W(0x10, 4, 0xfebe0004), /* low */
        R(0x18, 4), W(0x18, 4, 0xffffffff), R(0x18, 4), W(0x18, 4, 0x0000c001),
    };

    (void)state;
    gen_machine(&m);
    assert_int_equal(bar_generate(&v, m.f->t, BAR_GEN_DECODE_ON_HIGH_FIRST, &m.ep, 1), SIM_OK);
    assert_ops(&v, m.ep, w, sizeof(w) / sizeof(w[0]));
    vec_free(&v);
    fx_free(m.f);
}

/* Linux: every slot, empty ones too, and the ROM, each inside a COMMAND decode-off window. */
static void test_bar__generator_linux(void **state)
{
    struct gen_machine m;
    op_vec v = { 0 };
    const uint16_t on = PCI_COMMAND_MEMORY | PCI_COMMAND_IO | PCI_COMMAND_MASTER;
    const uint16_t off = PCI_COMMAND_MASTER;
    const struct want w[] = {
        /* BAR 0-1, 64-bit */
        R(0x04, 2),
        W(0x04, 2, off),
        R(0x10, 4),
        W(0x10, 4, 0xffffffff),
        R(0x10, 4),
        W(0x10, 4, 0xfebe0004),
        R(0x14, 4),
        W(0x14, 4, 0xffffffff),
        R(0x14, 4),
        W(0x14, 4, 0),
        W(0x04, 2, on),
        /* BAR 2, I/O */
        R(0x04, 2),
        W(0x04, 2, off),
        R(0x18, 4),
        W(0x18, 4, 0xffffffff),
        R(0x18, 4),
        W(0x18, 4, 0xc001),
        W(0x04, 2, on),
        /* BARs 3, 4, 5: empty */
        R(0x04, 2),
        W(0x04, 2, off),
        R(0x1c, 4),
        W(0x1c, 4, 0xffffffff),
        R(0x1c, 4),
        W(0x1c, 4, 0),
        W(0x04, 2, on),
        R(0x04, 2),
        W(0x04, 2, off),
        R(0x20, 4),
        W(0x20, 4, 0xffffffff),
        R(0x20, 4),
        W(0x20, 4, 0),
        W(0x04, 2, on),
        R(0x04, 2),
        W(0x04, 2, off),
        R(0x24, 4),
        W(0x24, 4, 0xffffffff),
        R(0x24, 4),
        W(0x24, 4, 0),
        W(0x04, 2, on),
        /* the ROM: the address mask with the enable bit as it was */
        R(0x04, 2),
        W(0x04, 2, off),
        R(0x30, 4),
        W(0x30, 4, 0xfffff800),
        R(0x30, 4),
        W(0x30, 4, 0xfebf0000),
        W(0x04, 2, on),
    };

    (void)state;
    gen_machine(&m);
    assert_int_equal(topo_fn_command(m.f->t, m.ep), on);
    assert_int_equal(bar_generate(&v, m.f->t, BAR_GEN_LINUX, &m.ep, 1), SIM_OK);
    assert_ops(&v, m.ep, w, sizeof(w) / sizeof(w[0]));
    vec_free(&v);
    fx_free(m.f);
}

/* A bridge has two BAR slots and its ROM at 0x38; SeaBIOS touches no COMMAND. */
static void test_bar__generator_seabios_bridge(void **state)
{
    struct gen_machine m;
    op_vec v = { 0 };
    const struct want w[] = {
        R(0x10, 4), W(0x10, 4, 0xffffffff), R(0x10, 4), W(0x10, 4, 0),
        R(0x14, 4), W(0x14, 4, 0xffffffff), R(0x14, 4), W(0x14, 4, 0),
        R(0x38, 4), W(0x38, 4, 0xfffff800), R(0x38, 4), W(0x38, 4, 0),
    };

    (void)state;
    gen_machine(&m);
    assert_int_equal(bar_generate(&v, m.f->t, BAR_GEN_SEABIOS, &m.br, 1), SIM_OK);
    assert_ops(&v, m.br, w, sizeof(w) / sizeof(w[0]));
    vec_free(&v);
    fx_free(m.f);
}

/* --- Replay -------------------------------------------------------------------------------- */

static struct bar_op op(enum bar_op_kind kind, uint32_t fn, uint16_t reg, uint8_t len,
                        uint32_t value)
{
    struct bar_op o = { kind, fn, { 0, 0, 0, 0 }, reg, len, value, false, 0, 0 };

    return o;
}

/* The seed 002 sequence on ep0 (decode on): the events QEMU logged, in order. */
static void test_bar__replay_seed002_events(void **state)
{
    struct gen_machine m;
    struct bar_replay *rp = NULL;
    const uint8_t widths[2] = { 48, 0 };
    struct bar_config cfg = { BAR_POLICY_QEMU, true, false, widths };
    const struct bar_op ops[] = {
        op(BAR_OP_WRITE, 0, 0x10, 4, 0xffffffff),
        op(BAR_OP_WRITE, 0, 0x10, 4, 0xfebe0004),
        op(BAR_OP_WRITE, 0, 0x14, 4, 0xffffffff),
        op(BAR_OP_WRITE, 0, 0x14, 4, 0),
    };
    const struct bar_event *ev;
    const struct bar_op_result *res;
    const struct bar_history *h;
    size_t n;

    (void)state;
    gen_machine(&m);
    assert_int_equal(m.ep, 0);
    assert_int_equal(bar_replay_run(&rp, m.f->t, &cfg, ops, 4), SIM_OK);
    ev = bar_replay_events(rp, &n);
    assert_int_equal(n, 8);
    assert_int_equal(ev[0].kind, BAR_EVENT_UNMAP);
    assert_true(ev[0].base == 0xfebe0000 && ev[0].size == 0x4000);
    assert_int_equal(ev[1].kind, BAR_EVENT_MAP); /* 0xffffc000: a 64-bit BAR may go there */
    assert_true(ev[1].base == 0xffffc000);
    assert_int_equal(ev[3].kind, BAR_EVENT_MAP);
    assert_true(ev[3].base == 0xfebe0000);
    assert_int_equal(ev[5].kind, BAR_EVENT_MAP);
    assert_true(ev[5].base == UINT64_C(0xfffffffffebe0000));
    assert_int_equal(ev[5].vfio, BAR_VFIO_FAILED); /* no platform windows: all visible */
    assert_int_equal(ev[3].vfio, BAR_VFIO_MAPPED);
    res = bar_replay_results(rp, &n);
    assert_int_equal(n, 4);
    assert_int_equal(res[2].first_event, 4);
    assert_int_equal(res[2].nevents, 2);
    h = bar_replay_history(rp, &n);
    assert_int_equal(n, 3); /* every BAR of the touched function: 0, 2 and the ROM */
    assert_int_equal(h[0].bar, 0);
    assert_true(h[1].transient == BAR_UNMAPPED && h[2].transient == BAR_UNMAPPED);
    assert_true(h[0].before == 0xfebe0000 && h[0].after == 0xfebe0000);
    assert_true(h[0].transient == 0xffffc000);
    assert_int_equal(h[0].transient_op, 0);
    /* the replay changed the registers: the BAR is back where it was */
    assert_int_equal(topo_cfg_read(m.f->t, m.ep, 0x10, 4), 0xfebe0004);
    bar_replay_free(rp);
    fx_free(m.f);
}

/* With the bit-63 filter the same map is FILTERED, not FAILED. */
static void test_bar__replay_vfio_filter(void **state)
{
    struct gen_machine m;
    struct bar_replay *rp = NULL;
    const uint8_t widths[2] = { 48, 0 };
    struct bar_config cfg = { BAR_POLICY_QEMU, true, true, widths };
    const struct bar_op ops[] = { op(BAR_OP_WRITE, 0, 0x14, 4, 0xffffffff) };
    const struct bar_event *ev;
    size_t n;

    (void)state;
    gen_machine(&m);
    assert_int_equal(bar_replay_run(&rp, m.f->t, &cfg, ops, 1), SIM_OK);
    ev = bar_replay_events(rp, &n);
    assert_int_equal(n, 2);
    assert_int_equal(ev[1].vfio, BAR_VFIO_FILTERED);
    bar_replay_free(rp);
    fx_free(m.f);
}

/* A BDF is routed through the bus registers as they stand: renumbering a bridge moves what
 * its secondary bus reaches, and a BDF nobody answers reads all-ones. */
static void test_bar__replay_routes_by_current_bus_numbers(void **state)
{
    struct fx *f = fx_new();
    uint32_t hb = fx_hb(f, "pci0", 0, 0);
    uint32_t br = fx_fn(f, "br0", TOPO_PCI_BRIDGE, TOPO_NONE, hb, "1e.0");
    uint32_t nic = fx_fn(f, "nic0", TOPO_PCI_DEVICE, br, hb, "10.0");
    struct bar_replay *rp = NULL;
    struct bar_config cfg = { BAR_POLICY_QEMU, false, false, NULL };
    struct bar_op ops[3];
    const struct bar_op_result *res;
    size_t n;

    (void)state;
    fx_bus(f, br, 5, 5);
    fx_ids(f, nic, 0x8086, 0x100e);
    fx_finalize(f);
    ops[0] = op(BAR_OP_READ, TOPO_NONE, 0, 4, 0);
    ops[0].bdf = (struct bdf){ 0, 1, 0x10, 0 }; /* 01:10.0: nobody yet */
    ops[1] = op(BAR_OP_WRITE, br, PCI_SECONDARY_BUS, 1, 1);
    ops[2] = ops[0];
    assert_int_equal(bar_replay_run(&rp, f->t, &cfg, ops, 3), SIM_OK);
    res = bar_replay_results(rp, &n);
    assert_int_equal(n, 3);
    assert_int_equal(res[0].fn, TOPO_NONE);
    assert_int_equal(res[0].read, 0xffffffff);
    assert_int_equal(res[2].fn, nic);
    assert_int_equal(res[2].read, 0x100e8086);
    assert_int_equal(res[2].bdf.bus, 1);
    bar_replay_free(rp);
    fx_free(f);
}

/* Byte and word writes merge into the dword: moving a ROM by its upper word keeps the enable
 * bit in the low byte, so an enabled ROM maps at the new address. */
static void test_bar__replay_rom_word_write(void **state)
{
    struct gen_machine m;
    struct bar_replay *rp = NULL;
    struct bar_config cfg = { BAR_POLICY_QEMU, false, false, NULL };
    const struct bar_op ops[] = {
        op(BAR_OP_WRITE, 0, 0x30, 1, 0x01),   /* enable */
        op(BAR_OP_WRITE, 0, 0x32, 2, 0xfd00), /* move */
    };
    const struct bar_event *ev;
    size_t n;

    (void)state;
    gen_machine(&m);
    assert_int_equal(bar_replay_run(&rp, m.f->t, &cfg, ops, 2), SIM_OK);
    ev = bar_replay_events(rp, &n);
    assert_int_equal(n, 3);
    assert_int_equal(ev[0].kind, BAR_EVENT_MAP);
    assert_int_equal(ev[0].bar, TOPO_ROM_INDEX);
    assert_true(ev[0].base == 0xfebf0000);
    assert_int_equal(ev[1].kind, BAR_EVENT_UNMAP);
    assert_int_equal(ev[2].kind, BAR_EVENT_MAP);
    assert_true(ev[2].base == 0xfd000000);
    assert_int_equal(topo_cfg_read(m.f->t, m.ep, 0x30, 4), 0xfd000001);
    bar_replay_free(rp);
    fx_free(m.f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bar__decode_needs_the_decode_bit),
        cmocka_unit_test(test_bar__decode_mem32_ending_at_4g),
        cmocka_unit_test(test_bar__decode_mem64_top_of_space),
        cmocka_unit_test(test_bar__decode_address_zero),
        cmocka_unit_test(test_bar__decode_rom_enable_bit),
        cmocka_unit_test(test_bar__decode_io_rules),
        cmocka_unit_test(test_bar__generator_decode_on),
        cmocka_unit_test(test_bar__generator_decode_on_high_first),
        cmocka_unit_test(test_bar__generator_linux),
        cmocka_unit_test(test_bar__generator_seabios_bridge),
        cmocka_unit_test(test_bar__replay_seed002_events),
        cmocka_unit_test(test_bar__replay_vfio_filter),
        cmocka_unit_test(test_bar__replay_routes_by_current_bus_numbers),
        cmocka_unit_test(test_bar__replay_rom_word_write),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

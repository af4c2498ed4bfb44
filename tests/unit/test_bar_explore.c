/* Unit tests of sim/bar exploration: interleavings, invariants, reduction, counterexamples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "sim/bar/bar.h"
#include "sim/topology/pci_regs.h"
#include "sim/topology/topology.h"
#include "sim/util/err.h"
#include "sim/util/vec.h"

typedef VEC(struct bar_op) op_vec;

#define MAX_DEV 8

/* A guest-like machine: endpoints on the root bus, each assigned (passthrough), each behind
 * a host IOMMU of `width` bits as the VFIO listener sees it. */
struct mach {
    struct fx *f;
    uint32_t dev[MAX_DEV];
    size_t ndev;
    uint8_t width[MAX_DEV + 1]; /* per function index */
    op_vec ops[MAX_DEV];        /* one sequence per actor */
    struct bar_actor actors[MAX_DEV];
    size_t nactors;
};

static const char *const dev_ids[MAX_DEV] = { "dev0", "dev1", "dev2", "dev3",
                                              "dev4", "dev5", "dev6", "dev7" };
static const char *const dev_devfns[MAX_DEV] = { "01.0", "02.0", "03.0", "04.0",
                                                 "05.0", "06.0", "07.0", "08.0" };

/* ndev endpoints, not yet finalized: device i gets nothing until the test adds BARs. */
static void mach_new(struct mach *m, size_t ndev)
{
    uint32_t hb;

    memset(m, 0, sizeof(*m));
    assert_true(ndev <= MAX_DEV);
    m->f = fx_new();
    hb = fx_hb(m->f, "pci0", 0, 0);
    for (size_t i = 0; i < ndev; i++)
        m->dev[i] = fx_fn(m->f, dev_ids[i], TOPO_ENDPOINT, TOPO_NONE, hb, dev_devfns[i]);
    m->ndev = ndev;
}

/* Finalize; every device assigned and behind a width-bit host IOMMU. */
static void mach_build(struct mach *m, uint8_t width)
{
    fx_finalize(m->f);
    for (size_t i = 0; i < m->ndev; i++) {
        topo_fn_set_passthrough(m->f->t, m->dev[i], 0);
        m->width[m->dev[i]] = width;
    }
}

/* Actor k sizes device `dev` with generator gen. */
static void mach_actor(struct mach *m, size_t dev, enum bar_generator gen)
{
    size_t k = m->nactors++;

    assert_int_equal(bar_generate(&m->ops[k], m->f->t, gen, &m->dev[dev], 1), SIM_OK);
    m->actors[k].cpu = (uint32_t)k;
    m->actors[k].ops = m->ops[k].v;
    m->actors[k].nops = m->ops[k].n;
}

static void mach_free(struct mach *m)
{
    for (size_t i = 0; i < MAX_DEV; i++)
        vec_free(&m->ops[i]);
    fx_free(m->f);
}

/* n devices, each with one 64-bit 16 KiB BAR 0 (device i at 0xfe000000 + i MiB), decode on,
 * each sized by its own actor with gen; host IOMMU 48 bits. */
static void mach_mem64(struct mach *m, size_t n, enum bar_generator gen)
{
    mach_new(m, n);
    for (size_t i = 0; i < n; i++)
        fx_bar_at(m->f, m->dev[i], 0, TOPO_BAR_MEM64, 0x4000, 0xfe000000u + 0x100000u * i);
    mach_build(m, 48);
    for (size_t i = 0; i < n; i++)
        mach_actor(m, i, gen);
}

static struct bar_explore_config config(const struct mach *m, unsigned invariants, bool reduction)
{
    struct bar_explore_config c;

    memset(&c, 0, sizeof(c));
    c.replay.policy = BAR_POLICY_QEMU;
    c.replay.listener_vfio = true;
    c.replay.vfio_filter = false;
    c.replay.dma_width = m->width;
    c.invariants = invariants;
    c.max_states = 10000000;
    c.reduction = reduction;
    return c;
}

static void explore(struct bar_explore_result *r, struct mach *m,
                    const struct bar_explore_config *c)
{
    assert_int_equal(bar_explore(r, m->f->t, m->actors, m->nactors, c), SIM_OK);
}

/* The counterexample keeps every actor's own order: each op is that actor's next one. */
static void assert_interleaving(const struct mach *m, const struct bar_explore_result *r)
{
    size_t pos[MAX_DEV] = { 0 };

    for (size_t i = 0; i < r->ncounterexample; i++) {
        const struct bar_op *op = &r->counterexample[i];
        bool found = false;

        for (size_t a = 0; a < m->nactors && !found; a++) {
            const struct bar_op *next = &m->actors[a].ops[pos[a]];

            if (pos[a] < m->actors[a].nops && next->fn == op->fn && next->reg == op->reg &&
                next->kind == op->kind && next->len == op->len && next->value == op->value) {
                pos[a]++;
                found = true;
            }
        }
        assert_true(found);
    }
}

static void assert_same_result(const struct bar_explore_result *a,
                               const struct bar_explore_result *b)
{
    assert_int_equal(a->verdict, b->verdict);
    assert_int_equal(a->violated, b->violated);
    assert_int_equal(a->states, b->states);
    assert_int_equal(a->transitions, b->transitions);
    assert_int_equal(a->pruned, b->pruned);
    assert_int_equal(a->depth, b->depth);
    assert_int_equal(a->bytes_per_state, b->bytes_per_state);
    assert_int_equal(a->ncounterexample, b->ncounterexample);
    if (a->detail || b->detail) {
        assert_non_null(a->detail);
        assert_non_null(b->detail);
        assert_string_equal(a->detail, b->detail);
    }
    for (size_t i = 0; i < a->ncounterexample; i++)
        assert_memory_equal(&a->counterexample[i], &b->counterexample[i], sizeof(struct bar_op));
}

/* Every register of t as it is now, to compare after an exploration. */
struct regs {
    uint32_t *v;
    size_t n;
};

static void regs_save(struct regs *s, const struct topology *t)
{
    assert_int_equal(topo_cfg_save(t, &s->v, &s->n), SIM_OK);
}

static void regs_assert_same(struct regs *s, const struct topology *t)
{
    struct regs now;

    regs_save(&now, t);
    assert_int_equal(now.n, s->n);
    assert_memory_equal(now.v, s->v, s->n * sizeof(uint32_t));
    free(now.v);
    free(s->v);
}

/* --- Width --------------------------------------------------------------------------------- */

/* 2014: a guest sizing an enabled 64-bit BAR puts it at 0xffffffff_xxxxxxxx for a moment;
 * the VFIO DMA map of that fails on a 48-bit host IOMMU. */
static void test_bar_explore__decode_on_sizing_breaks_iommu_width(void **state)
{
    struct bar_explore_result full, red;
    struct bar_config rc;
    struct bar_replay *rp = NULL;
    const struct bar_event *ev;
    size_t nev = 0;
    struct regs saved;
    struct mach m;
    struct bar_explore_config c;
    bool failed = false;

    (void)state;
    mach_mem64(&m, 2, BAR_GEN_DECODE_ON);
    c = config(&m, BAR_INV_WITHIN_IOMMU_WIDTH, false);
    explore(&full, &m, &c);
    c.reduction = true;
    explore(&red, &m, &c);

    assert_int_equal(full.verdict, BAR_VIOLATED);
    assert_int_equal(red.verdict, BAR_VIOLATED);
    assert_int_equal(full.violated, BAR_INV_WITHIN_IOMMU_WIDTH);
    assert_int_equal(red.violated, BAR_INV_WITHIN_IOMMU_WIDTH);
    /* read lo, write ~0, read lo, write lo back, read hi, write ~0 to hi */
    assert_int_equal(full.ncounterexample, 6);
    assert_int_equal(red.ncounterexample, full.ncounterexample);
    assert_int_equal(full.depth, 6);
    assert_int_equal(full.pruned, 0);
    assert_interleaving(&m, &full);
    assert_interleaving(&m, &red);
    assert_int_equal(full.counterexample[5].kind, BAR_OP_WRITE);
    assert_int_equal(full.counterexample[5].fn, m.dev[0]);
    assert_int_equal(full.counterexample[5].reg, PCI_BASE_ADDRESS_0 + 4);
    assert_int_equal(full.counterexample[5].value, 0xffffffffu);
    assert_string_equal(full.detail,
                        "dev0 (00:01.0) BAR 0 is mapped by the VFIO listener at "
                        "0xfffffffffe000000-0xfffffffffe003fff, at or above the 48-bit width of "
                        "its host IOMMU");
    assert_string_equal(red.detail, full.detail);
    assert_true(red.states < full.states);

    /* the counterexample, replayed: the last op's map event fails */
    regs_save(&saved, m.f->t);
    rc = c.replay;
    assert_int_equal(bar_replay_run(&rp, m.f->t, &rc, full.counterexample, full.ncounterexample),
                     SIM_OK);
    ev = bar_replay_events(rp, &nev);
    for (size_t i = 0; i < nev; i++)
        if (ev[i].kind == BAR_EVENT_MAP && ev[i].vfio == BAR_VFIO_FAILED) {
            failed = true;
            assert_int_equal(ev[i].base, UINT64_C(0xfffffffffe000000));
        }
    assert_true(failed);
    bar_replay_free(rp);
    topo_cfg_restore(m.f->t, saved.v, saved.n);
    free(saved.v);

    bar_explore_result_fini(&full);
    bar_explore_result_fini(&red);
    mach_free(&m);
}

/* High dword first: the transient is 0xffffffff_fe000000 after two ops. */
static void test_bar_explore__high_first_breaks_width_sooner(void **state)
{
    struct bar_explore_result r;
    struct mach m;
    struct bar_explore_config c;

    (void)state;
    mach_mem64(&m, 2, BAR_GEN_DECODE_ON_HIGH_FIRST);
    c = config(&m, BAR_INV_WITHIN_IOMMU_WIDTH, true);
    explore(&r, &m, &c);
    assert_int_equal(r.verdict, BAR_VIOLATED);
    assert_int_equal(r.ncounterexample, 2);
    assert_int_equal(r.counterexample[1].reg, PCI_BASE_ADDRESS_0 + 4);
    bar_explore_result_fini(&r);
    mach_free(&m);
}

/* Linux turns decode off around each slot: nothing maps while a BAR holds all-ones. */
static void test_bar_explore__linux_sizing_keeps_width(void **state)
{
    struct bar_explore_result full, red;
    struct mach m;
    struct bar_explore_config c;
    uint64_t len0, len1;

    (void)state;
    mach_mem64(&m, 2, BAR_GEN_LINUX);
    len0 = m.actors[0].nops;
    len1 = m.actors[1].nops;
    c = config(&m, BAR_INV_WITHIN_IOMMU_WIDTH | BAR_INV_NO_TRANSIENT, false);
    explore(&full, &m, &c);
    c.reduction = true;
    explore(&red, &m, &c);
    assert_int_equal(full.verdict, BAR_HOLDS);
    assert_int_equal(red.verdict, BAR_HOLDS);
    assert_null(full.detail);
    assert_int_equal(full.ncounterexample, 0);
    assert_int_equal(full.states, (len0 + 1) * (len1 + 1));
    assert_int_equal(full.transitions, 2 * len0 * len1 + len0 + len1);
    assert_int_equal(full.depth, len0 + len1);
    assert_int_equal(red.states, len0 + len1 + 1);
    assert_int_equal(red.transitions, len0 + len1);
    assert_int_equal(red.depth, len0 + len1);
    assert_true(red.pruned > 0);
    bar_explore_result_fini(&full);
    bar_explore_result_fini(&red);
    mach_free(&m);
}

/* Replaying a no-transient-mapping counterexample finds the same BAR transient at addr. */
static void assert_replay_transient(struct mach *m, const struct bar_explore_config *c,
                                    const struct bar_explore_result *r, uint64_t addr)
{
    struct bar_replay *rp = NULL;
    struct bar_config rc = c->replay;
    const struct bar_history *h;
    struct regs saved;
    bool found = false;
    size_t n;

    regs_save(&saved, m->f->t);
    assert_int_equal(bar_replay_run(&rp, m->f->t, &rc, r->counterexample, r->ncounterexample),
                     SIM_OK);
    h = bar_replay_history(rp, &n);
    for (size_t i = 0; i < n; i++)
        if (h[i].transient != BAR_UNMAPPED) {
            assert_true(h[i].transient == addr);
            found = true;
        }
    assert_true(found);
    bar_replay_free(rp);
    topo_cfg_restore(m->f->t, saved.v, saved.n);
    free(saved.v);
}

/* QEMU's listener skips bit-63 sections: the width holds, the transient is still there. */
static void test_bar_explore__vfio_filter_hides_width_not_transient(void **state)
{
    struct bar_explore_result r;
    struct mach m;
    struct bar_explore_config c;

    (void)state;
    mach_mem64(&m, 2, BAR_GEN_DECODE_ON);
    for (int red = 0; red < 2; red++) {
        c = config(&m, BAR_INV_WITHIN_IOMMU_WIDTH, red);
        c.replay.vfio_filter = true;
        explore(&r, &m, &c);
        assert_int_equal(r.verdict, BAR_HOLDS);
        assert_int_equal(r.states, red ? 17 : 81);
        bar_explore_result_fini(&r);

        c.invariants |= BAR_INV_NO_TRANSIENT;
        explore(&r, &m, &c);
        assert_int_equal(r.verdict, BAR_VIOLATED);
        assert_int_equal(r.violated, BAR_INV_NO_TRANSIENT);
        /* read lo, write ~0 to lo: the BAR decodes at 0xffffc000; then dev0's actor runs to
         * its end (8 ops), so that the replay ends where the sequences do */
        assert_int_equal(r.ncounterexample, 8);
        assert_int_equal(r.violation_at, 2);
        assert_int_equal(r.counterexample[1].value, 0xffffffffu);
        assert_string_equal(r.detail, "dev0 (00:01.0) BAR 0 decodes at 0xffffc000, "
                                      "neither where it decoded before (0xfe000000) nor "
                                      "after the sequences (0xfe000000)");
        assert_replay_transient(&m, &c, &r, 0xffffc000);
        bar_explore_result_fini(&r);
    }
    mach_free(&m);
}

/* Without a listener, or without an IOMMU behind the device, there is nothing to fail. */
static void test_bar_explore__no_listener_no_width_violation(void **state)
{
    struct bar_explore_result r;
    struct mach m;
    struct bar_explore_config c;

    (void)state;
    mach_mem64(&m, 2, BAR_GEN_DECODE_ON);
    c = config(&m, BAR_INV_WITHIN_IOMMU_WIDTH, false);
    c.replay.listener_vfio = false;
    explore(&r, &m, &c);
    assert_int_equal(r.verdict, BAR_HOLDS);
    bar_explore_result_fini(&r);
    c.replay.listener_vfio = true;
    memset(m.width, 0, sizeof(m.width));
    explore(&r, &m, &c);
    assert_int_equal(r.verdict, BAR_HOLDS);
    bar_explore_result_fini(&r);
    mach_free(&m);
}

/* --- Reduction ------------------------------------------------------------------------- */

/* Three actors on three functions: the full search visits every combination of positions,
 * the reduced one a single chain. */
static void test_bar_explore__reduction_linear_for_independent_actors(void **state)
{
    struct bar_explore_result full, red;
    struct mach m;
    struct bar_explore_config c;
    uint64_t prod = 1, sum = 0;

    (void)state;
    /* every address a BAR passes through while sized (low or high dword all-ones) is its own:
     * no two BARs ever overlap */
    mach_new(&m, 3);
    for (size_t i = 0; i < 3; i++) {
        fx_bar_at(m.f, m.dev[i], 0, TOPO_BAR_MEM64, 0x4000,
                  ((uint64_t)(i + 1) << 32) + 0xfe000000u + 0x100000u * i);
        fx_bar_at(m.f, m.dev[i], 2, TOPO_BAR_MEM64, 0x100000,
                  ((uint64_t)(i + 0x10) << 32) + 0x100000u * i);
    }
    mach_build(&m, 48);
    for (size_t i = 0; i < 3; i++)
        mach_actor(&m, i, BAR_GEN_DECODE_ON);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(m.actors[i].nops, 16);
        prod *= m.actors[i].nops + 1;
        sum += m.actors[i].nops;
    }
    c = config(&m, BAR_INV_WITHIN_IOMMU_WIDTH, false);
    c.replay.vfio_filter = true;
    explore(&full, &m, &c);
    c.reduction = true;
    explore(&red, &m, &c);
    assert_int_equal(full.verdict, BAR_HOLDS);
    assert_int_equal(red.verdict, BAR_HOLDS);
    assert_int_equal(full.states, prod); /* 17^3 = 4913 */
    assert_int_equal(full.states, 4913);
    assert_int_equal(full.transitions, 3 * 16 * 17 * 17);
    assert_int_equal(full.pruned, 0);
    assert_int_equal(red.states, sum + 1); /* 49 */
    assert_int_equal(red.transitions, sum);
    /* every state of the chain has its other enabled actors pruned */
    assert_int_equal(red.pruned, 2 * 16 + 1 * 16);
    assert_int_equal(full.depth, sum);
    assert_int_equal(red.depth, sum);
    assert_true(full.bytes_per_state <= 64);
    assert_true(red.bytes_per_state <= 64);

    /* with no-bar-overlap the moves of mappings interleave: more states, still far fewer */
    c.invariants |= BAR_INV_NO_OVERLAP;
    bar_explore_result_fini(&red);
    explore(&red, &m, &c);
    c.reduction = false;
    bar_explore_result_fini(&full);
    explore(&full, &m, &c);
    assert_int_equal(full.verdict, BAR_HOLDS);
    assert_int_equal(red.verdict, BAR_HOLDS);
    assert_int_equal(full.states, 4913);
    assert_int_equal(red.states, 2433); /* 9^3 write counts, and one state after each write */
    assert_true(red.transitions < full.transitions);
    bar_explore_result_fini(&full);
    bar_explore_result_fini(&red);
    mach_free(&m);
}

/* The counterexample of the reduced search keeps only the actors its violation involves. */
static void test_bar_explore__counterexample_drops_unrelated_actors(void **state)
{
    struct bar_explore_result full, red;
    struct mach m;
    struct bar_explore_config c;

    (void)state;
    mach_mem64(&m, 3, BAR_GEN_DECODE_ON);
    m.width[m.dev[0]] = 0; /* only dev2 sits behind a host IOMMU */
    m.width[m.dev[1]] = 0;
    c = config(&m, BAR_INV_WITHIN_IOMMU_WIDTH, true);
    explore(&red, &m, &c);
    c.reduction = false;
    explore(&full, &m, &c);
    assert_int_equal(red.verdict, BAR_VIOLATED);
    assert_int_equal(full.verdict, BAR_VIOLATED);
    assert_int_equal(full.ncounterexample, 6);
    assert_int_equal(red.ncounterexample, 6);
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(red.counterexample[i].fn, m.dev[2]);
    assert_string_equal(red.detail, full.detail);
    /* the reduced search ran dev0 and dev1 to the end before dev2 */
    assert_int_equal(red.depth, 8 + 8 + 6);
    bar_explore_result_fini(&full);
    bar_explore_result_fini(&red);
    mach_free(&m);
}

/* Two actors on one function interleave: their ops do not commute. */
static void test_bar_explore__actors_sharing_a_function_interleave(void **state)
{
    struct bar_explore_result full, red;
    struct mach m;
    struct bar_explore_config c;
    op_vec *w;

    (void)state;
    mach_new(&m, 2);
    fx_bar_at(m.f, m.dev[0], 0, TOPO_BAR_MEM64, 0x4000, 0xfe000000u);
    fx_bar_at(m.f, m.dev[1], 0, TOPO_BAR_MEM64, 0x4000, 0xfe100000u);
    mach_build(&m, 48);
    mach_actor(&m, 0, BAR_GEN_LINUX);
    /* actor 1: writes dev0's high dword and puts it back, as the docs' example */
    w = &m.ops[1];
    assert_int_equal(
        vec_push(w,
                 ((struct bar_op){
                     BAR_OP_WRITE, m.dev[0], { 0, 0, 0, 0 }, 0x14, 4, 0xffffffffu, false, 0, 0 })),
        SIM_OK);
    assert_int_equal(
        vec_push(w, ((struct bar_op){
                        BAR_OP_WRITE, m.dev[0], { 0, 0, 0, 0 }, 0x14, 4, 0, false, 0, 0 })),
        SIM_OK);
    m.actors[1].cpu = 1;
    m.actors[1].ops = w->v;
    m.actors[1].nops = w->n;
    m.nactors = 2;
    c = config(&m, BAR_INV_WITHIN_IOMMU_WIDTH, false);
    explore(&full, &m, &c);
    c.reduction = true;
    explore(&red, &m, &c);
    /* actor 1 alone breaks the width with decode on: the first op */
    assert_int_equal(full.verdict, BAR_VIOLATED);
    assert_int_equal(red.verdict, BAR_VIOLATED);
    assert_int_equal(full.ncounterexample, 1);
    assert_int_equal(red.ncounterexample, 1);
    bar_explore_result_fini(&full);
    bar_explore_result_fini(&red);

    /* with the filter on, the interleavings are explored in full, and hold */
    c.replay.vfio_filter = true;
    explore(&red, &m, &c);
    c.reduction = false;
    explore(&full, &m, &c);
    assert_int_equal(full.verdict, BAR_HOLDS);
    assert_int_equal(red.verdict, BAR_HOLDS);
    /* 47 x 3 positions, and 39 of them reached with two different high dwords: which of the
     * two actors wrote it last */
    assert_int_equal(m.actors[0].nops, 46);
    assert_int_equal(full.states, 47 * 3 + 39);
    assert_int_equal(red.states, full.states);
    assert_int_equal(red.transitions, full.transitions);
    bar_explore_result_fini(&full);
    bar_explore_result_fini(&red);
    mach_free(&m);
}

/* --- Overlap --------------------------------------------------------------------------- */

/* Hardware decoding: sizing dev0's 32-bit BAR puts it on top of dev1's at 0xfff00000. */
static void test_bar_explore__sizing_overlaps_another_bar(void **state)
{
    struct bar_explore_result full, red;
    struct mach m;
    struct bar_explore_config c;

    (void)state;
    mach_new(&m, 2);
    fx_bar_at(m.f, m.dev[0], 0, TOPO_BAR_MEM32, 0x4000, 0xfebe0000u);
    fx_bar_at(m.f, m.dev[1], 0, TOPO_BAR_MEM32, 0x100000, 0xfff00000u);
    mach_build(&m, 48);
    mach_actor(&m, 0, BAR_GEN_DECODE_ON);
    mach_actor(&m, 1, BAR_GEN_DECODE_ON);
    c = config(&m, BAR_INV_NO_OVERLAP, false);
    c.replay.policy = BAR_POLICY_HARDWARE;
    explore(&full, &m, &c);
    c.reduction = true;
    explore(&red, &m, &c);
    assert_int_equal(full.verdict, BAR_VIOLATED);
    assert_int_equal(red.verdict, BAR_VIOLATED);
    assert_int_equal(full.violated, BAR_INV_NO_OVERLAP);
    assert_int_equal(red.violated, BAR_INV_NO_OVERLAP);
    assert_int_equal(full.ncounterexample, 2);
    assert_true(red.ncounterexample >= 2);
    assert_interleaving(&m, &red);
    assert_string_equal(full.detail, "dev0 (00:01.0) BAR 0 at 0xffffc000-0xffffffff "
                                     "overlaps dev1 (00:02.0) BAR 0 at "
                                     "0xfff00000-0xffffffff");
    bar_explore_result_fini(&full);
    bar_explore_result_fini(&red);

    /* QEMU does not map a 32-bit BAR that reaches 4 GiB: neither one moves there */
    c.replay.policy = BAR_POLICY_QEMU;
    explore(&red, &m, &c);
    c.reduction = false;
    explore(&full, &m, &c);
    assert_int_equal(full.verdict, BAR_HOLDS);
    assert_int_equal(red.verdict, BAR_HOLDS);
    assert_true(red.states < full.states);
    bar_explore_result_fini(&full);
    bar_explore_result_fini(&red);
    mach_free(&m);
}

/* A device no actor touches still counts: sizing dev0 lands on dev1's BAR. */
static void test_bar_explore__overlap_with_untouched_function(void **state)
{
    struct bar_explore_result r;
    struct mach m;
    struct bar_explore_config c;

    (void)state;
    mach_new(&m, 2);
    fx_bar_at(m.f, m.dev[0], 0, TOPO_BAR_MEM64, 0x4000, 0xfe000000u);
    fx_bar_at(m.f, m.dev[1], 0, TOPO_BAR_MEM32, 0x10000, 0xffff0000u);
    mach_build(&m, 48);
    mach_actor(&m, 0, BAR_GEN_DECODE_ON);
    c = config(&m, BAR_INV_NO_OVERLAP, true);
    c.replay.policy = BAR_POLICY_HARDWARE;
    explore(&r, &m, &c);
    assert_int_equal(r.verdict, BAR_VIOLATED);
    assert_int_equal(r.ncounterexample, 2);
    assert_string_equal(r.detail, "dev0 (00:01.0) BAR 0 at 0xffffc000-0xffffffff "
                                  "overlaps dev1 (00:02.0) BAR 0 at "
                                  "0xffff0000-0xffffffff");
    bar_explore_result_fini(&r);
    mach_free(&m);
}

/* Two BARs overlapping before anything runs: the empty counterexample. */
static void test_bar_explore__initial_overlap_empty_counterexample(void **state)
{
    struct bar_explore_result r;
    struct mach m;
    struct bar_explore_config c;

    (void)state;
    mach_new(&m, 2);
    fx_bar_at(m.f, m.dev[0], 0, TOPO_BAR_MEM32, 0x4000, 0xfe000000u);
    fx_bar_at(m.f, m.dev[1], 0, TOPO_BAR_MEM32, 0x4000, 0xfe000000u);
    mach_build(&m, 48);
    mach_actor(&m, 0, BAR_GEN_DECODE_ON);
    c = config(&m, BAR_INV_NO_OVERLAP, true);
    explore(&r, &m, &c);
    assert_int_equal(r.verdict, BAR_VIOLATED);
    assert_int_equal(r.states, 1);
    assert_int_equal(r.transitions, 0);
    assert_int_equal(r.ncounterexample, 0);
    assert_non_null(r.detail);
    bar_explore_result_fini(&r);
    mach_free(&m);
}

/* --- Bounds, determinism, inputs ------------------------------------------------------- */

static void test_bar_explore__max_states_gives_incomplete(void **state)
{
    struct bar_explore_result r;
    struct mach m;
    struct bar_explore_config c;

    (void)state;
    mach_mem64(&m, 3, BAR_GEN_DECODE_ON);
    c = config(&m, BAR_INV_WITHIN_IOMMU_WIDTH, false);
    c.replay.vfio_filter = true; /* holds: the search would visit all 9^3 states */
    c.max_states = 100;
    explore(&r, &m, &c);
    assert_int_equal(r.verdict, BAR_INCOMPLETE);
    assert_int_equal(r.states, 100);
    assert_null(r.detail);
    assert_int_equal(r.ncounterexample, 0);
    bar_explore_result_fini(&r);

    /* exactly the size of the space: complete */
    c.max_states = 729;
    explore(&r, &m, &c);
    assert_int_equal(r.verdict, BAR_HOLDS);
    assert_int_equal(r.states, 729);
    bar_explore_result_fini(&r);

    /* a violation found before the bound wins */
    c.invariants = BAR_INV_NO_TRANSIENT;
    c.max_states = 10;
    explore(&r, &m, &c);
    assert_int_equal(r.verdict, BAR_VIOLATED);
    bar_explore_result_fini(&r);
    mach_free(&m);
}

static void test_bar_explore__same_result_every_run(void **state)
{
    struct bar_explore_result a, b;
    struct mach m;
    struct bar_explore_config c;

    (void)state;
    mach_mem64(&m, 3, BAR_GEN_DECODE_ON);
    for (unsigned inv = 1; inv < 8; inv++) {
        for (int red = 0; red < 2; red++) {
            c = config(&m, inv, red);
            explore(&a, &m, &c);
            explore(&b, &m, &c);
            assert_same_result(&a, &b);
            bar_explore_result_fini(&a);
            bar_explore_result_fini(&b);
        }
    }
    mach_free(&m);
}

static void test_bar_explore__leaves_registers_alone(void **state)
{
    struct bar_explore_result r;
    struct regs saved;
    struct mach m;
    struct bar_explore_config c;

    (void)state;
    mach_mem64(&m, 2, BAR_GEN_LINUX);
    regs_save(&saved, m.f->t);
    c = config(&m, BAR_INV_WITHIN_IOMMU_WIDTH | BAR_INV_NO_OVERLAP | BAR_INV_NO_TRANSIENT, true);
    explore(&r, &m, &c);
    bar_explore_result_fini(&r);
    regs_assert_same(&saved, m.f->t);
    mach_free(&m);
}

static void test_bar_explore__rejects_bad_actors(void **state)
{
    struct bar_explore_result r;
    struct bar_actor many[33];
    struct bar_op op = { BAR_OP_READ, TOPO_NONE, { 0, 1, 0, 0 }, 0x10, 4, 0, false, 0, 0 };
    struct mach m;
    struct bar_explore_config c;

    (void)state;
    mach_mem64(&m, 1, BAR_GEN_DECODE_ON);
    c = config(&m, BAR_INV_NO_TRANSIENT, true);
    /* an op routed by BDF: exploration needs the function */
    m.actors[0].ops = &op;
    m.actors[0].nops = 1;
    assert_int_equal(bar_explore(&r, m.f->t, m.actors, 1, &c), SIM_EINVAL);
    op.fn = m.dev[0];
    op.len = 3;
    assert_int_equal(bar_explore(&r, m.f->t, m.actors, 1, &c), SIM_EINVAL);
    op.len = 4;
    assert_int_equal(bar_explore(&r, m.f->t, m.actors, 1, &c), SIM_OK);
    bar_explore_result_fini(&r);
    /* at most 32 actors */
    memset(many, 0, sizeof(many));
    assert_int_equal(bar_explore(&r, m.f->t, many, 33, &c), SIM_EINVAL);
    assert_int_equal(bar_explore(&r, m.f->t, many, 32, &c), SIM_OK);
    assert_int_equal(r.states, 1);
    assert_int_equal(r.verdict, BAR_HOLDS);
    bar_explore_result_fini(&r);
    mach_free(&m);
}

/* --- Reduction against the full search, on many small machines --------------------------- */

static uint32_t rnd_state;

static uint32_t rnd(uint32_t n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 16) % n;
}

static void test_bar_explore__reduction_agrees_with_full_search(void **state)
{
    static const enum bar_generator gens[] = { BAR_GEN_DECODE_ON, BAR_GEN_DECODE_ON_HIGH_FIRST,
                                               BAR_GEN_LINUX, BAR_GEN_SEABIOS };
    unsigned violated = 0, held = 0;

    (void)state;
    rnd_state = 2024;
    for (unsigned round = 0; round < 120; round++) {
        struct bar_explore_result full, red;
        struct bar_explore_config c;
        struct mach m;
        size_t ndev = 2 + rnd(2), nact = ndev;

        mach_new(&m, ndev);
        for (size_t i = 0; i < ndev; i++) {
            uint64_t size = (uint64_t)0x1000 << rnd(9);
            uint64_t base = 0xfe000000u + size * rnd(8);

            if (rnd(3) == 0)
                fx_bar_at(m.f, m.dev[i], 0, TOPO_BAR_MEM32, size, base);
            else
                fx_bar_at(m.f, m.dev[i], 0, TOPO_BAR_MEM64, size, base);
            if (rnd(2))
                fx_bar_at(m.f, m.dev[i], 2, TOPO_BAR_MEM32, 0x1000, 0xfd000000u + 0x1000u * rnd(4));
        }
        mach_build(&m, (uint8_t)(rnd(2) ? 48 : 39));
        for (size_t i = 0; i < nact; i++)
            mach_actor(&m, rnd(4) == 0 ? rnd((uint32_t)ndev) : i, gens[rnd(4)]);
        c = config(&m, 1 + rnd(7), false);
        c.replay.policy = rnd(2) ? BAR_POLICY_HARDWARE : BAR_POLICY_QEMU;
        c.replay.vfio_filter = rnd(2);
        explore(&full, &m, &c);
        c.reduction = true;
        explore(&red, &m, &c);
        assert_int_equal(red.verdict, full.verdict);
        if (full.verdict == BAR_HOLDS) /* else each stops where it finds the violation */
            assert_true(red.states <= full.states);
        assert_true(red.violation_at >= full.violation_at);
        assert_interleaving(&m, &full);
        assert_interleaving(&m, &red);
        if (full.verdict == BAR_VIOLATED)
            violated++;
        else
            held++;
        bar_explore_result_fini(&full);
        bar_explore_result_fini(&red);
        mach_free(&m);
    }
    /* both outcomes were exercised */
    assert_true(violated > 10);
    assert_true(held > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bar_explore__decode_on_sizing_breaks_iommu_width),
        cmocka_unit_test(test_bar_explore__high_first_breaks_width_sooner),
        cmocka_unit_test(test_bar_explore__linux_sizing_keeps_width),
        cmocka_unit_test(test_bar_explore__vfio_filter_hides_width_not_transient),
        cmocka_unit_test(test_bar_explore__no_listener_no_width_violation),
        cmocka_unit_test(test_bar_explore__reduction_linear_for_independent_actors),
        cmocka_unit_test(test_bar_explore__counterexample_drops_unrelated_actors),
        cmocka_unit_test(test_bar_explore__actors_sharing_a_function_interleave),
        cmocka_unit_test(test_bar_explore__sizing_overlaps_another_bar),
        cmocka_unit_test(test_bar_explore__overlap_with_untouched_function),
        cmocka_unit_test(test_bar_explore__initial_overlap_empty_counterexample),
        cmocka_unit_test(test_bar_explore__max_states_gives_incomplete),
        cmocka_unit_test(test_bar_explore__same_result_every_run),
        cmocka_unit_test(test_bar_explore__leaves_registers_alone),
        cmocka_unit_test(test_bar_explore__rejects_bad_actors),
        cmocka_unit_test(test_bar_explore__reduction_agrees_with_full_search),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

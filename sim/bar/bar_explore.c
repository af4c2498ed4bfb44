/* BAR -- exploration: breadth-first search over every interleaving of the actors' accesses. */
#include "sim/bar/bar.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/bar/bar_internal.h"
#include "sim/topology/pci_regs.h"
#include "sim/util/err.h"
#include "sim/util/vec.h"

/*
 * The model
 * ---------
 * Registers: every dword an op touches, plus COMMAND and every BAR and ROM dword of each
 * function an op touches (decoding reads them). Of those, the dwords some write can change
 * (a byte of the write under the write mask) are the state's variables; the others are
 * constants. A state is one record of 32-bit words:
 *
 *     [ pos[0] .. pos[K-1] | var[0] .. var[V-1] ]      K actors, V variable dwords
 *
 * A write changes its dword(s) by the byte-wise masked merge of topo_cfg_write() and advances
 * its actor; a read only advances its actor. Every transition adds one to the sum of the
 * positions, so the graph is acyclic and a state's BFS depth is that sum: a state is always
 * reached again, if at all, before it is expanded (the sleep-set merge below relies on it).
 *
 * Decoding a state: per BAR of a touched function, the type, ROM flag and size are those of
 * the initial registers (the write masks make them read-only), the value is rebuilt from the
 * state's dwords exactly as bar_slot_read() reads it from a topology, and bar_decode() gives
 * the address with the function's COMMAND from the state.
 *
 * Invariants, evaluated on every state the search reaches (the initial one in full, the others
 * only for the function whose decoding inputs the last write changed: the parent held, and
 * nothing else moved):
 *   WITHIN_IOMMU_WIDTH  no decoding BAR for which bar_listener() answers BAR_VFIO_FAILED;
 *   NO_OVERLAP          no two decoding memory BARs or ROMs (of touched functions, or
 *                       constant ones of every other function of t) share an address;
 *   NO_TRANSIENT        every decoding BAR of a touched function is at its initial or final
 *                       address; final = the decode after running every actor's ops to the
 *                       end one actor after the other, in actor order (the same for every
 *                       order when actors touch disjoint functions).
 *
 * Visited set: hash compaction. Only a 64-bit hash of each state is stored, in an
 * open-addressing table (linear probing, load <= 1/2), plus per state its parent's index and
 * the actor that moved (to rebuild the counterexample). Two distinct states sharing a hash
 * make the search skip the second: with n states the probability of any such omission is
 * about n^2 / 2^65 (3e-6 for 10^7 states). The frontier holds full records, in discovery
 * order: state i is record i - qoff of the queue, [ state | sleep set | hash lo | hash hi ].
 *
 * Reduction (cfg->reduction): persistent sets and sleep sets (Godefroid 1996, ch. 4 and 5).
 * Two ops of different actors are dependent when they target the same function, or when
 * no-bar-overlap is checked and both may change a mapping (bar_reg_touches_mappings()); else
 * they commute and no invariant can tell their orders apart. At each state the explorer
 * takes, over every actor with ops left, the closure "actor x is in, so is every actor whose
 * remaining ops contain one dependent on x's next op" and keeps the smallest (ties: the lowest
 * actor); only those actors move (a persistent set). A sleep set (bitmask of actors) rides
 * with each record: the successor via actor a sleeps on {b in sleep U actors taken before a
 * here : next(b) independent of next(a)}; a state reached again keeps the intersection of
 * its sleep sets. Sleep sets alone save transitions, not states; the persistent sets are
 * what make K independent actors cost sum(len) + 1 states instead of prod(len + 1).
 * Why the invariants survive: take a shortest path w from s to a violation. If an op of a
 * persistent actor occurs in w, moving its first such op to the front keeps the end state
 * (it commutes with everything before it). If none does, every op of w commutes with the
 * next op t of a persistent actor, so t.w reaches t applied to the violating state, which
 * still violates: t touches none of the functions whose registers changed along w, and under
 * no-bar-overlap it moves no mapping when some op of w does. Induction on the ops left.
 *
 * Counterexample: the parents from the first violating state found (the shortest path in
 * the graph explored), then only the actors whose functions the violation names (and the
 * actors sharing a function with them) kept, replayed and cut at the first violating state.
 * Without reduction this changes nothing (the path is already a shortest one); with it, the
 * path may still be longer than the shortest of the full graph.
 */

#define MAX_ACTORS BAR_EXPLORE_MAX_ACTORS
#define NO_VAR     UINT32_MAX
#define MEMO       4u                  /* listener answers remembered per BAR */
#define PROGRESS   (UINT64_C(1) << 16) /* states between two looks at the clock */
#define ALL        UINT32_MAX

/* Where a register dword comes from when decoding a state. */
struct reg_src {
    uint32_t var; /* index among the state's variable dwords, or NO_VAR */
    uint32_t cst; /* the value, when NO_VAR: nothing ever writes it */
};

/* A register dword some op or some decoding needs (setup only). */
struct dword {
    uint32_t fn;    /* function index in t */
    uint16_t off;   /* dword-aligned offset */
    bool written;   /* some write changes a bit of it */
    uint32_t init;  /* its value in t */
    uint32_t wmask; /* its write mask in t */
    uint32_t var;   /* variable index, or NO_VAR */
};

/* A function some op touches. */
struct xfn {
    uint32_t fn;        /* function index in t */
    struct reg_src cmd; /* the COMMAND dword */
    uint32_t bar0;      /* its BARs are bars[bar0 .. bar0 + nbars) */
    uint32_t nbars;
    uint32_t actors; /* bitmask of the actors with an op on it */
};

/* A BAR (or ROM) of a touched function. */
struct xbar {
    uint32_t xfn;             /* owner: index in fns */
    uint8_t index;            /* 0-5, TOPO_ROM_INDEX */
    struct bar_slot slot;     /* type, rom and size of the initial registers; value per state */
    struct reg_src lo, hi;    /* its dword(s); hi only for mem64 */
    uint64_t before;          /* decode of the initial state */
    uint64_t after;           /* decode after every actor ran in actor order */
    uint64_t memo_base[MEMO]; /* bar_listener() answers for these bases */
    enum bar_vfio memo_vfio[MEMO];
    unsigned memo_n, memo_next; /* entries in use, the next one to replace */
};

/* A memory BAR of a function no actor touches: it decodes at one place throughout. */
struct cbar {
    uint32_t fn;
    uint8_t index;
    uint64_t base, last; /* inclusive */
};

/* One dword an op changes: var = (var & ~mask) | (val & mask). */
struct xpart {
    uint32_t var;
    uint32_t mask; /* the op's bytes under the write mask */
    uint32_t val;
};

/* An actor's op, compiled against the state layout. */
struct xop {
    struct xpart part[2]; /* an unaligned access may straddle two dwords */
    uint8_t nparts;       /* 0 for reads and writes that change nothing */
    bool mapchg;          /* a write bar_reg_touches_mappings() says may move a mapping */
    bool recheck;         /* changes a dword decoding reads: evaluate the invariants */
    uint32_t xfn;         /* the function, index in fns */
};

struct xactor {
    const struct bar_op *ops; /* the caller's */
    struct xop *xops;         /* compiled, one per op */
    uint32_t nops;
    uint8_t *remmap; /* [p]: some op at p or later has mapchg (nops + 1 entries) */
    uint32_t share;  /* other actors with a function in common */
};

/* The first broken invariant of a state: a BAR, and for an overlap the other one. */
struct violation {
    unsigned inv;   /* enum bar_invariant bit */
    uint32_t bar;   /* index in bars */
    uint32_t other; /* overlap: index in bars, or in cbars when other_const */
    bool other_const;
};

struct explorer {
    struct topology *t;
    const struct bar_explore_config *cfg;
    enum bar_policy policy;
    bool allow0;
    unsigned inv;     /* invariants checked */
    bool overlap;     /* BAR_INV_NO_OVERLAP in inv */
    uint32_t K, V, W; /* actors, variable dwords, words per state */
    uint32_t R;       /* words per queue record: the state, its sleep set, its hash (2) */
    struct xactor *actors;
    VEC(struct xfn) fns;
    VEC(struct xbar) bars;
    VEC(struct cbar) cbars; /* sorted by base */
    uint32_t *init;         /* the initial state, W words */
    uint64_t *dec;          /* scratch: per BAR, its decode in the state being checked */

    /* the search */
    uint32_t *q;      /* queue records, in state order; q[0] is state qoff */
    size_t qcap;      /* records allocated */
    size_t qoff;      /* index of the state in q[0] */
    uint64_t *vh;     /* visited table: state hashes, 0 = empty */
    uint32_t *vidx;   /* with reduction: the state index of each slot */
    size_t vcap;      /* slots, a power of two */
    uint32_t *parent; /* per state: its parent's index */
    uint8_t *mover;   /* per state: the actor that moved into it */
    size_t pcap;      /* entries allocated in parent and mover */
    uint64_t nstates, limit;
};

/* --- Setup ---------------------------------------------------------------------------- */

static int cmp_dword(const void *a, const void *b)
{
    const struct dword *x = a, *y = b;

    if (x->fn != y->fn)
        return x->fn < y->fn ? -1 : 1;
    return (x->off > y->off) - (x->off < y->off);
}

static int cmp_cbar(const void *a, const void *b)
{
    const struct cbar *x = a, *y = b;

    if (x->base != y->base)
        return x->base < y->base ? -1 : 1;
    if (x->fn != y->fn)
        return x->fn < y->fn ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static uint16_t slot_reg(bool bridge, unsigned index)
{
    if (index == TOPO_ROM_INDEX)
        return bridge ? PCI_ROM_ADDRESS1 : PCI_ROM_ADDRESS;
    return (uint16_t)(PCI_BASE_ADDRESS_0 + 4 * index);
}

static bool fn_bridge(const struct topology *t, uint32_t fn)
{
    return topo_kind_is_bridge(topo_fn_kind(t, fn));
}

typedef VEC(struct dword) dword_vec;

static int want(dword_vec *dw, struct topology *t, uint32_t fn, uint16_t off, bool written)
{
    struct dword d = { fn, off, written, 0, 0, NO_VAR };
    uint32_t *v = topo_fn_dword(t, fn, off, &d.wmask);

    if (!v)
        return SIM_OK; /* a register fn does not have reads 0 and drops writes, as in the model */
    d.init = *v;
    return vec_push(dw, d);
}

static const struct dword *find_dword(const dword_vec *dw, uint32_t fn, uint16_t off)
{
    struct dword key = { fn, off, false, 0, 0, NO_VAR };

    return bsearch(&key, dw->v, dw->n, sizeof(key), cmp_dword);
}

static struct reg_src src_of(const dword_vec *dw, uint32_t fn, uint16_t off)
{
    const struct dword *d = find_dword(dw, fn, off);
    struct reg_src r = { NO_VAR, 0 };

    if (d && d->var != NO_VAR)
        r.var = d->var;
    else if (d)
        r.cst = d->init;
    return r;
}

/* The bytes of an op that fall in dword `off`: their mask and value in place. */
static void op_bytes(const struct bar_op *op, uint16_t off, uint32_t *mask, uint32_t *val)
{
    *mask = *val = 0;
    for (unsigned i = 0; i < op->len; i++) {
        unsigned o = op->reg + i, shift = 8 * (o & 3u);

        if ((o & ~3u) != off)
            continue;
        *mask |= 0xffu << shift;
        *val |= ((op->value >> (8 * i)) & 0xffu) << shift;
    }
}

static int validate(const struct topology *t, const struct bar_actor *actors, size_t nactors)
{
    size_t nfn = topo_fn_count(t);

    if (nactors > MAX_ACTORS)
        return SIM_EINVAL;
    for (size_t a = 0; a < nactors; a++) {
        if (actors[a].nops && !actors[a].ops)
            return SIM_EINVAL;
        if (actors[a].nops >= UINT32_MAX)
            return SIM_EINVAL;
        for (size_t i = 0; i < actors[a].nops; i++) {
            const struct bar_op *op = &actors[a].ops[i];

            if (op->fn == TOPO_NONE || op->fn >= nfn ||
                (op->len != 1 && op->len != 2 && op->len != 4) ||
                op->reg + op->len > PCI_CFG_SPACE_EXP_SIZE)
                return SIM_EINVAL;
        }
    }
    return SIM_OK;
}

/* Collect the dwords, lay out the state, compile the ops, describe the BARs. */
static int setup(struct explorer *x, const struct bar_actor *actors)
{
    dword_vec dw = { 0 };
    int err = SIM_OK;
    size_t n;

    /* 1. every dword an op touches, and COMMAND, BARs and ROM of its function */
    for (uint32_t a = 0; a < x->K && err == 0; a++) {
        for (size_t i = 0; i < actors[a].nops && err == 0; i++) {
            const struct bar_op *op = &actors[a].ops[i];
            uint16_t first = (uint16_t)(op->reg & ~3u);
            uint16_t last = (uint16_t)((op->reg + op->len - 1u) & ~3u);

            for (uint16_t off = first; off <= last && err == 0; off = (uint16_t)(off + 4)) {
                uint32_t mask, val, wmask = 0;
                bool written = false;

                if (op->kind == BAR_OP_WRITE && topo_fn_dword(x->t, op->fn, off, &wmask)) {
                    op_bytes(op, off, &mask, &val);
                    written = (mask & wmask) != 0;
                }
                err = want(&dw, x->t, op->fn, off, written);
            }
            for (unsigned s = 0; s <= TOPO_ROM_INDEX && err == 0; s++)
                err = want(&dw, x->t, op->fn, slot_reg(fn_bridge(x->t, op->fn), s), false);
            if (err == 0)
                err = want(&dw, x->t, op->fn, PCI_COMMAND, false);
        }
    }
    if (err < 0)
        goto out;
    if (dw.n)
        qsort(dw.v, dw.n, sizeof(*dw.v), cmp_dword);
    /* 2. unique, in (function, offset) order; the written ones become variables */
    n = 0;
    for (size_t i = 0; i < dw.n; i++) {
        if (n && dw.v[n - 1].fn == dw.v[i].fn && dw.v[n - 1].off == dw.v[i].off) {
            dw.v[n - 1].written |= dw.v[i].written;
            continue;
        }
        dw.v[n++] = dw.v[i];
    }
    dw.n = n;
    x->V = 0;
    for (size_t i = 0; i < dw.n; i++)
        if (dw.v[i].written)
            dw.v[i].var = x->V++;
    x->W = x->K + x->V;
    x->R = x->W + 3;
    if (!(x->init = calloc(x->W + 1u, sizeof(uint32_t)))) {
        err = SIM_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < dw.n; i++)
        if (dw.v[i].var != NO_VAR)
            x->init[x->K + dw.v[i].var] = dw.v[i].init;

    /* 3. the touched functions and their BARs, in function order */
    for (size_t i = 0; i < dw.n && err == 0; i++) {
        uint32_t fn = dw.v[i].fn;
        struct xfn f = { fn, src_of(&dw, fn, PCI_COMMAND), (uint32_t)x->bars.n, 0, 0 };
        bool bridge = fn_bridge(x->t, fn);

        if (x->fns.n && x->fns.v[x->fns.n - 1].fn == fn)
            continue;
        for (unsigned s = 0; s <= TOPO_ROM_INDEX && err == 0; s++) {
            struct xbar b;
            uint16_t reg = slot_reg(bridge, s);

            memset(&b, 0, sizeof(b));
            if (!bar_slot_read(x->t, fn, s, &b.slot))
                continue;
            b.xfn = (uint32_t)x->fns.n;
            b.index = (uint8_t)s;
            b.lo = src_of(&dw, fn, reg);
            if (b.slot.type == TOPO_BAR_MEM64)
                b.hi = src_of(&dw, fn, (uint16_t)(reg + 4));
            err = vec_push(&x->bars, b);
            f.nbars++;
        }
        if (err == 0)
            err = vec_push(&x->fns, f);
    }
    if (err < 0)
        goto out;

    /* 4. the ops, compiled */
    for (uint32_t a = 0; a < x->K && err == 0; a++) {
        struct xactor *xa = &x->actors[a];
        uint32_t nops = (uint32_t)actors[a].nops;

        xa->ops = actors[a].ops;
        xa->nops = nops;
        xa->xops = calloc(nops + 1u, sizeof(struct xop));
        xa->remmap = calloc(nops + 1u, 1);
        if (!xa->xops || !xa->remmap) {
            err = SIM_ENOMEM;
            break;
        }
        for (uint32_t i = 0; i < nops; i++) {
            const struct bar_op *op = &xa->ops[i];
            struct xop *o = &xa->xops[i];
            uint16_t first = (uint16_t)(op->reg & ~3u);
            uint16_t last = (uint16_t)((op->reg + op->len - 1u) & ~3u);
            size_t lo = 0, hi = x->fns.n;

            while (lo < hi) { /* the function's index in fns */
                size_t mid = (lo + hi) / 2;

                if (x->fns.v[mid].fn < op->fn)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            assert(lo < x->fns.n && x->fns.v[lo].fn == op->fn);
            o->xfn = (uint32_t)lo;
            x->fns.v[lo].actors |= 1u << a;
            if (op->kind != BAR_OP_WRITE)
                continue;
            o->mapchg = bar_reg_touches_mappings(fn_bridge(x->t, op->fn), op->reg, op->len);
            for (uint16_t off = first; off <= last; off = (uint16_t)(off + 4)) {
                const struct dword *d = find_dword(&dw, op->fn, off);
                struct xpart p;

                if (!d || d->var == NO_VAR)
                    continue;
                op_bytes(op, off, &p.mask, &p.val);
                p.mask &= d->wmask;
                if (!p.mask)
                    continue;
                p.var = d->var;
                p.val &= p.mask;
                o->part[o->nparts++] = p;
                if (off == PCI_COMMAND ||
                    (off >= PCI_BASE_ADDRESS_0 && off < PCI_BASE_ADDRESS_0 + 24) ||
                    off == slot_reg(fn_bridge(x->t, op->fn), TOPO_ROM_INDEX))
                    o->recheck = true;
            }
        }
        for (uint32_t i = nops; i-- > 0;)
            xa->remmap[i] = (uint8_t)(xa->remmap[i + 1] | xa->xops[i].mapchg);
    }
    for (uint32_t a = 0; a < x->K && err == 0; a++)
        for (size_t f = 0; f < x->fns.n; f++)
            if (x->fns.v[f].actors & (1u << a))
                x->actors[a].share |= x->fns.v[f].actors & ~(1u << a);

    /* 5. the constant memory BARs of every other function, for no-bar-overlap */
    if (err == 0 && x->overlap) {
        size_t nfn = topo_fn_count(x->t), k = 0;

        for (uint32_t fn = 0; fn < nfn && err == 0; fn++) {
            uint16_t cmd = topo_fn_command(x->t, fn);

            while (k < x->fns.n && x->fns.v[k].fn < fn)
                k++;
            if (k < x->fns.n && x->fns.v[k].fn == fn)
                continue;
            for (unsigned s = 0; s <= TOPO_ROM_INDEX && err == 0; s++) {
                struct bar_slot sl;
                struct cbar c = { fn, (uint8_t)s, 0, 0 };

                if (!bar_slot_read(x->t, fn, s, &sl) || sl.type == TOPO_BAR_IO)
                    continue;
                c.base = bar_decode(&sl, cmd, x->policy, x->allow0);
                if (c.base == BAR_UNMAPPED)
                    continue;
                c.last = c.base + (sl.size - 1);
                err = vec_push(&x->cbars, c);
            }
        }
        if (err == 0 && x->cbars.n)
            qsort(x->cbars.v, x->cbars.n, sizeof(*x->cbars.v), cmp_cbar);
    }
    if (err == 0 && !(x->dec = calloc(x->bars.n + 1, sizeof(uint64_t))))
        err = SIM_ENOMEM;
out:
    vec_free(&dw);
    return err;
}

/* --- States --------------------------------------------------------------------------- */

static inline uint32_t reg(const struct reg_src *r, const uint32_t *vars)
{
    return r->var == NO_VAR ? r->cst : vars[r->var];
}

/* Where BAR b decodes in the state whose variables are vars (bar_slot_read()'s value). */
static uint64_t decode(const struct explorer *x, const struct xbar *b, const uint32_t *vars)
{
    struct bar_slot s = b->slot;
    uint32_t lo = reg(&b->lo, vars);
    uint16_t cmd = (uint16_t)reg(&x->fns.v[b->xfn].cmd, vars);

    switch (s.type) {
    case TOPO_BAR_IO:
        s.value = lo & PCI_BASE_ADDRESS_IO_MASK;
        break;
    case TOPO_BAR_MEM64:
        s.value = (uint64_t)reg(&b->hi, vars) << 32 | (lo & PCI_BASE_ADDRESS_MEM_MASK);
        break;
    case TOPO_BAR_MEM32:
        s.value = s.rom ? (lo & (PCI_ROM_ADDRESS_MASK | PCI_ROM_ADDRESS_ENABLE))
                        : (lo & PCI_BASE_ADDRESS_MEM_MASK);
        break;
    }
    return bar_decode(&s, cmd, x->policy, x->allow0);
}

static void apply(const struct xop *o, uint32_t *vars)
{
    for (unsigned i = 0; i < o->nparts; i++) {
        const struct xpart *p = &o->part[i];

        vars[p->var] = (vars[p->var] & ~p->mask) | p->val;
    }
}

/*
 * The hash of a state: the sum over its words of word_hash(index, value), a bijective mix
 * (murmur3's finalizer) of the pair. A successor differs from its parent in its actor's
 * position and at most two dwords, so its hash is the parent's with those terms swapped:
 * O(1) per transition. Fixed constants only: the same on every run and every machine.
 */
static inline uint64_t word_hash(uint32_t i, uint32_t w)
{
    uint64_t k = ((uint64_t)i << 32 | w) + UINT64_C(0x9e3779b97f4a7c15);

    k ^= k >> 33;
    k *= UINT64_C(0xff51afd7ed558ccd);
    k ^= k >> 33;
    k *= UINT64_C(0xc4ceb9fe1a85ec53);
    k ^= k >> 33;
    return k;
}

static uint64_t hash_state(const uint32_t *w, uint32_t n)
{
    uint64_t h = 0;

    for (uint32_t i = 0; i < n; i++)
        h += word_hash(i, w[i]);
    return h;
}

/* The key stored in the visited table: 0 marks an empty slot. */
static inline uint64_t key_of(uint64_t h)
{
    return h ? h : 1;
}

/* The hash of the successor of state cur (hash h) by op of actor a. */
static inline uint64_t hash_step(const struct explorer *x, const uint32_t *cur, uint64_t h,
                                 uint32_t a, const struct xop *op)
{
    h += word_hash(a, cur[a] + 1) - word_hash(a, cur[a]);
    for (unsigned i = 0; i < op->nparts; i++) {
        const struct xpart *p = &op->part[i];
        uint32_t old = cur[x->K + p->var], now = (old & ~p->mask) | p->val;

        h += word_hash(x->K + p->var, now) - word_hash(x->K + p->var, old);
    }
    return h;
}

static inline int popcount(uint32_t v)
{
    v = v - ((v >> 1) & 0x55555555u);
    v = (v & 0x33333333u) + ((v >> 2) & 0x33333333u);
    return (int)((((v + (v >> 4)) & 0x0f0f0f0fu) * 0x01010101u) >> 24);
}

static bool is_mem(const struct xbar *b)
{
    return b->slot.type != TOPO_BAR_IO;
}

static enum bar_vfio listen(struct explorer *x, struct xbar *b, uint64_t base)
{
    enum bar_vfio v;

    for (unsigned i = 0; i < b->memo_n; i++)
        if (b->memo_base[i] == base)
            return b->memo_vfio[i];
    v = bar_listener(x->t, &x->cfg->replay, x->fns.v[b->xfn].fn, b->index, base, b->slot.size);
    if (b->memo_n < MEMO) {
        b->memo_base[b->memo_n] = base;
        b->memo_vfio[b->memo_n++] = v;
    } else {
        b->memo_base[b->memo_next] = base;
        b->memo_vfio[b->memo_next] = v;
        b->memo_next = (b->memo_next + 1) % MEMO;
    }
    return v;
}

static bool intersects(uint64_t b1, uint64_t l1, uint64_t b2, uint64_t l2)
{
    return b1 <= l2 && b2 <= l1;
}

/* The constant BAR that [base, last] meets, or SIZE_MAX (cbars are disjoint and sorted). */
static size_t cbar_hit(const struct explorer *x, uint64_t base, uint64_t last)
{
    size_t lo = 0, hi = x->cbars.n;

    while (lo < hi) { /* the first one starting above last */
        size_t mid = (lo + hi) / 2;

        if (x->cbars.v[mid].base <= last)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && x->cbars.v[lo - 1].last >= base ? lo - 1 : SIZE_MAX;
}

/*
 * check() - the first broken invariant of the state with variables vars, looking only at
 * the BARs of touched function `only` (ALL: every BAR, and the constant ones among
 * themselves). Order: width, overlap, transient; BARs in (function, slot) order.
 */
static bool check(struct explorer *x, const uint32_t *vars, uint32_t only, struct violation *v)
{
    uint32_t lo = 0, hi = (uint32_t)x->bars.n;
    uint64_t *dec = x->dec;

    if (only != ALL) {
        lo = x->fns.v[only].bar0;
        hi = lo + x->fns.v[only].nbars;
    }
    for (uint32_t i = lo; i < hi; i++)
        dec[i] = decode(x, &x->bars.v[i], vars);
    memset(v, 0, sizeof(*v));
    if (x->inv & BAR_INV_WITHIN_IOMMU_WIDTH) {
        for (uint32_t i = lo; i < hi; i++) {
            if (dec[i] != BAR_UNMAPPED && listen(x, &x->bars.v[i], dec[i]) == BAR_VFIO_FAILED) {
                v->inv = BAR_INV_WITHIN_IOMMU_WIDTH;
                v->bar = i;
                return true;
            }
        }
    }
    if (x->overlap) {
        if (only != ALL)
            for (uint32_t j = 0; j < x->bars.n; j++)
                if (j < lo || j >= hi)
                    dec[j] = decode(x, &x->bars.v[j], vars);
        for (uint32_t i = lo; i < hi; i++) {
            uint64_t b1 = dec[i], l1;
            size_t c;

            if (b1 == BAR_UNMAPPED || !is_mem(&x->bars.v[i]))
                continue;
            l1 = b1 + (x->bars.v[i].slot.size - 1);
            for (uint32_t j = 0; j < x->bars.n; j++) {
                uint64_t b2 = dec[j];

                if (j == i || (j >= lo && j < hi && j < i) || b2 == BAR_UNMAPPED ||
                    !is_mem(&x->bars.v[j]))
                    continue;
                if (intersects(b1, l1, b2, b2 + (x->bars.v[j].slot.size - 1))) {
                    *v = (struct violation){ BAR_INV_NO_OVERLAP, i, j, false };
                    return true;
                }
            }
            if ((c = cbar_hit(x, b1, l1)) != SIZE_MAX) {
                *v = (struct violation){ BAR_INV_NO_OVERLAP, i, (uint32_t)c, true };
                return true;
            }
        }
        if (only == ALL) { /* the constant ones among themselves: only the initial state */
            for (size_t j = 1; j < x->cbars.n; j++) {
                if (x->cbars.v[j].base <= x->cbars.v[j - 1].last) {
                    /* no touched BAR (bar = ALL): cbars[other - 1] and cbars[other] */
                    *v = (struct violation){ BAR_INV_NO_OVERLAP, ALL, (uint32_t)j, true };
                    return true;
                }
            }
        }
    }
    if (x->inv & BAR_INV_NO_TRANSIENT) {
        for (uint32_t i = lo; i < hi; i++) {
            const struct xbar *b = &x->bars.v[i];

            if (dec[i] != BAR_UNMAPPED && dec[i] != b->before && dec[i] != b->after) {
                v->inv = BAR_INV_NO_TRANSIENT;
                v->bar = i;
                return true;
            }
        }
    }
    return false;
}

/* --- Describing a violation --------------------------------------------------------------- */

static void name_bar(struct strbuf *sb, const struct topology *t, uint32_t fn, unsigned index)
{
    char b[BDF_STRLEN];
    const char *id = topo_fn_id(t, fn);

    strbuf_printf(sb, "%s (%s) ", id ? id : "?",
                  bdf_format(b, topo_fn_bdf(t, fn), !topo_single_segment(t)));
    if (index == TOPO_ROM_INDEX)
        strbuf_puts(sb, "ROM");
    else
        strbuf_printf(sb, "BAR %u", index);
}

static void name_addr(struct strbuf *sb, uint64_t a)
{
    if (a == BAR_UNMAPPED)
        strbuf_puts(sb, "none");
    else
        strbuf_printf(sb, "0x%" PRIx64, a);
}

static char *describe(struct explorer *x, const struct violation *v)
{
    struct strbuf sb = STRBUF_INIT;
    const struct xbar *b = v->bar < x->bars.n ? &x->bars.v[v->bar] : NULL;
    uint32_t fn = b ? x->fns.v[b->xfn].fn : TOPO_NONE;
    uint64_t base = b ? x->dec[v->bar] : 0;

    switch (v->inv) {
    case BAR_INV_WITHIN_IOMMU_WIDTH:
        name_bar(&sb, x->t, fn, b->index);
        strbuf_printf(&sb,
                      " is mapped by the VFIO listener at 0x%" PRIx64 "-0x%" PRIx64
                      ", at or above the %u-bit width of its host IOMMU",
                      base, base + (b->slot.size - 1), (unsigned)x->cfg->replay.dma_width[fn]);
        break;
    case BAR_INV_NO_OVERLAP:
        if (!b) { /* two constant BARs */
            const struct cbar *c1 = &x->cbars.v[v->other - 1], *c2 = &x->cbars.v[v->other];

            name_bar(&sb, x->t, c1->fn, c1->index);
            strbuf_printf(&sb, " at 0x%" PRIx64 "-0x%" PRIx64 " overlaps ", c1->base, c1->last);
            name_bar(&sb, x->t, c2->fn, c2->index);
            strbuf_printf(&sb, " at 0x%" PRIx64 "-0x%" PRIx64, c2->base, c2->last);
            break;
        }
        name_bar(&sb, x->t, fn, b->index);
        strbuf_printf(&sb, " at 0x%" PRIx64 "-0x%" PRIx64 " overlaps ", base,
                      base + (b->slot.size - 1));
        if (v->other_const) {
            const struct cbar *c = &x->cbars.v[v->other];

            name_bar(&sb, x->t, c->fn, c->index);
            strbuf_printf(&sb, " at 0x%" PRIx64 "-0x%" PRIx64, c->base, c->last);
        } else {
            const struct xbar *o = &x->bars.v[v->other];
            uint64_t ob = x->dec[v->other];

            name_bar(&sb, x->t, x->fns.v[o->xfn].fn, o->index);
            strbuf_printf(&sb, " at 0x%" PRIx64 "-0x%" PRIx64, ob, ob + (o->slot.size - 1));
        }
        break;
    case BAR_INV_NO_TRANSIENT:
        name_bar(&sb, x->t, fn, b->index);
        strbuf_printf(&sb, " decodes at 0x%" PRIx64 ", neither where it decoded before (", base);
        name_addr(&sb, b->before);
        strbuf_puts(&sb, ") nor after the sequences (");
        name_addr(&sb, b->after);
        strbuf_puts(&sb, ")");
        break;
    default:
        break;
    }
    return strbuf_detach(&sb);
}

/* --- The search ----------------------------------------------------------------------- */

static inline uint32_t *rec(const struct explorer *x, uint64_t state)
{
    return x->q + (size_t)(state - x->qoff) * x->R;
}

/* Room for one more record at state index nstates; drops expanded records when it can. */
static int queue_reserve(struct explorer *x, uint64_t head)
{
    size_t used = (size_t)(x->nstates - x->qoff), dead = (size_t)(head - x->qoff);
    uint32_t *q;
    size_t cap;

    if (used < x->qcap)
        return SIM_OK;
    if (dead && dead >= x->qcap / 2) { /* slide the live records down */
        memmove(x->q, rec(x, head), (used - dead) * x->R * sizeof(uint32_t));
        x->qoff = head;
        return SIM_OK;
    }
    cap = x->qcap ? 2 * x->qcap : 1024;
    if (!(q = realloc(x->q, cap * x->R * sizeof(uint32_t))))
        return SIM_ENOMEM;
    x->q = q;
    x->qcap = cap;
    return SIM_OK;
}

static int visited_grow(struct explorer *x)
{
    size_t cap = x->vcap ? 2 * x->vcap : 64, mask = cap - 1;
    uint64_t *vh = calloc(cap, sizeof(uint64_t));
    uint32_t *vidx = x->cfg->reduction ? malloc(cap * sizeof(uint32_t)) : NULL;

    if (!vh || (x->cfg->reduction && !vidx)) {
        free(vh);
        free(vidx);
        return SIM_ENOMEM;
    }
    for (size_t i = 0; i < x->vcap; i++) {
        size_t s;

        if (!x->vh[i])
            continue;
        for (s = (size_t)x->vh[i] & mask; vh[s]; s = (s + 1) & mask)
            ;
        vh[s] = x->vh[i];
        if (vidx)
            vidx[s] = x->vidx[i];
    }
    free(x->vh);
    free(x->vidx);
    x->vh = vh;
    x->vidx = vidx;
    x->vcap = cap;
    return SIM_OK;
}

static int parents_reserve(struct explorer *x)
{
    size_t cap;
    uint32_t *p;
    uint8_t *m;

    if (x->nstates < x->pcap)
        return SIM_OK;
    cap = x->pcap ? x->pcap + x->pcap / 2 : 64;
    if (!(p = realloc(x->parent, cap * sizeof(uint32_t))))
        return SIM_ENOMEM;
    x->parent = p;
    if (!(m = realloc(x->mover, cap)))
        return SIM_ENOMEM;
    x->mover = m;
    x->pcap = cap;
    return SIM_OK;
}

/* The slot holding hash h, or the empty slot where it would go. */
static inline size_t visited_slot(const struct explorer *x, uint64_t h)
{
    size_t mask = x->vcap - 1, s;

    for (s = (size_t)h & mask; x->vh[s] && x->vh[s] != h; s = (s + 1) & mask)
        ;
    return s;
}

/* Whether the next ops of actors b and a (at the same state) commute for the invariants. */
static inline bool independent(const struct explorer *x, const uint32_t *pos, uint32_t b,
                               uint32_t a)
{
    const struct xop *ob = &x->actors[b].xops[pos[b]], *oa = &x->actors[a].xops[pos[a]];

    return ob->xfn != oa->xfn && (!x->overlap || !ob->mapchg || !oa->mapchg);
}

/* The persistent set of a state: the smallest closure, the lowest actor's on a tie. */
static uint32_t persistent(const struct explorer *x, const uint32_t *pos, uint32_t active)
{
    uint32_t remmap = 0, best = active;
    int bestn = popcount(active);

    if (x->overlap)
        for (uint32_t m = active; m; m &= m - 1) {
            uint32_t b = (uint32_t)__builtin_ctz(m);

            if (x->actors[b].remmap[pos[b]])
                remmap |= 1u << b;
        }
    for (uint32_t m = active; m && bestn > 1; m &= m - 1) {
        uint32_t a = (uint32_t)__builtin_ctz(m), set = 1u << a, work = set;

        while (work) {
            uint32_t y = (uint32_t)__builtin_ctz(work), add = x->actors[y].share & active;

            work &= work - 1;
            if (x->overlap && x->actors[y].xops[pos[y]].mapchg)
                add |= remmap;
            add &= ~set;
            set |= add;
            work |= add;
        }
        if (popcount(set) < bestn) {
            best = set;
            bestn = popcount(set);
        }
    }
    return best;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The outcome of the search loop. */
struct outcome {
    enum bar_verdict verdict;
    uint64_t found; /* the violating state */
    uint64_t transitions, pruned;
    uint32_t depth;
};

static int search(struct explorer *x, struct outcome *o, double t0)
{
    const struct bar_explore_config *cfg = x->cfg;
    uint32_t *cur = calloc(x->R, sizeof(uint32_t));
    uint64_t next_look = PROGRESS;
    double last_report = t0;
    struct violation v;
    uint64_t h0;
    int err;

    if (!cur)
        return SIM_ENOMEM;
    memset(o, 0, sizeof(*o));
    o->verdict = BAR_HOLDS;
    if ((err = visited_grow(x)) < 0 || (err = parents_reserve(x)) < 0 ||
        (err = queue_reserve(x, 0)) < 0)
        goto out;
    /* the initial state */
    h0 = hash_state(x->init, x->W);
    memcpy(rec(x, 0), x->init, x->W * sizeof(uint32_t));
    rec(x, 0)[x->W] = 0;
    rec(x, 0)[x->W + 1] = (uint32_t)h0;
    rec(x, 0)[x->W + 2] = (uint32_t)(h0 >> 32);
    x->vh[visited_slot(x, key_of(h0))] = key_of(h0);
    if (x->vidx)
        x->vidx[visited_slot(x, key_of(h0))] = 0;
    x->parent[0] = 0;
    x->mover[0] = 0;
    x->nstates = 1;
    if (check(x, x->init + x->K, ALL, &v)) {
        o->verdict = BAR_VIOLATED;
        goto out;
    }

    for (uint64_t head = 0; head < x->nstates; head++) {
        uint32_t active = 0, set, sleep, done = 0, depth = 0;
        uint64_t hashes[MAX_ACTORS], hcur;

        memcpy(cur, rec(x, head), x->R * sizeof(uint32_t));
        sleep = cur[x->W];
        for (uint32_t a = 0; a < x->K; a++) {
            depth += cur[a];
            if (cur[a] < x->actors[a].nops)
                active |= 1u << a;
        }
        if (!active)
            continue;
        set = active;
        if (cfg->reduction) {
            set = persistent(x, cur, active);
            o->pruned += (uint64_t)popcount(active & ~set) + (uint64_t)popcount(set & sleep);
            set &= ~sleep;
        }
        /* hash every successor first and prefetch its slot: the probes then overlap */
        hcur = (uint64_t)cur[x->W + 1] | (uint64_t)cur[x->W + 2] << 32;
        for (uint32_t m = set; m; m &= m - 1) {
            uint32_t a = (uint32_t)__builtin_ctz(m);

            hashes[a] = hash_step(x, cur, hcur, a, &x->actors[a].xops[cur[a]]);
            __builtin_prefetch(&x->vh[(size_t)key_of(hashes[a]) & (x->vcap - 1)]);
        }
        for (uint32_t m = set; m; m &= m - 1) {
            uint32_t a = (uint32_t)__builtin_ctz(m), nsleep = 0, *s;
            const struct xop *op = &x->actors[a].xops[cur[a]];
            size_t slot;

            if (cfg->reduction) {
                for (uint32_t c = sleep | done; c; c &= c - 1) {
                    uint32_t b = (uint32_t)__builtin_ctz(c);

                    if (independent(x, cur, b, a))
                        nsleep |= 1u << b;
                }
                done |= 1u << a;
            }
            o->transitions++;
            slot = visited_slot(x, key_of(hashes[a]));
            if (x->vh[slot]) { /* seen: it is still waiting in the queue (same depth) */
                if (cfg->reduction) {
                    assert(x->vidx[slot] > head);
                    rec(x, x->vidx[slot])[x->W] &= nsleep;
                }
                continue;
            }
            if (x->nstates >= x->limit) {
                o->verdict = BAR_INCOMPLETE;
                goto out;
            }
            if ((err = queue_reserve(x, head)) < 0 || (err = parents_reserve(x)) < 0)
                goto out;
            s = rec(x, x->nstates);
            memcpy(s, cur, x->W * sizeof(uint32_t));
            s[a]++;
            apply(op, s + x->K);
            s[x->W] = nsleep;
            s[x->W + 1] = (uint32_t)hashes[a];
            s[x->W + 2] = (uint32_t)(hashes[a] >> 32);
            x->vh[slot] = key_of(hashes[a]);
            if (x->vidx)
                x->vidx[slot] = (uint32_t)x->nstates;
            x->parent[x->nstates] = (uint32_t)head;
            x->mover[x->nstates] = (uint8_t)a;
            x->nstates++;
            o->depth = depth + 1;
            if (op->recheck && check(x, s + x->K, op->xfn, &v)) {
                o->verdict = BAR_VIOLATED;
                o->found = x->nstates - 1;
                goto out;
            }
            if (2 * (x->nstates + 1) > x->vcap) {
                if ((err = visited_grow(x)) < 0)
                    goto out;
                /* the slots moved: the remaining successors look their slots up afresh */
            }
        }
        if (x->nstates >= next_look) {
            double t = now();

            next_look = x->nstates + PROGRESS;
            if (cfg->progress && t - last_report >= 1.0) {
                cfg->progress(x->nstates, o->transitions, t - t0, cfg->progress_data);
                last_report = t;
            }
        }
    }
out:
    free(cur);
    return err;
}

/* The ops of the path to state `found`, in order (its actors, as indices). */
static int path_of(struct explorer *x, uint64_t found, uint8_t **out, size_t *n)
{
    size_t len = 0;
    uint8_t *p;

    for (uint64_t s = found; s; s = x->parent[s])
        len++;
    if (!(p = malloc(len + 1)))
        return SIM_ENOMEM;
    *n = len;
    for (uint64_t s = found; s; s = x->parent[s])
        p[--len] = x->mover[s];
    *out = p;
    return SIM_OK;
}

/*
 * Keep the path's ops of the actors the violation names (and of actors sharing a function
 * with them), replay them from the initial state and stop at the first violating state:
 * the counterexample, and the violation it shows (its decodes left in x->dec). For
 * no-transient-mapping the kept actors then run to their end, so that replaying the
 * counterexample ends where the sequences do and reports the BAR as transient.
 */
static int shorten(struct explorer *x, const uint8_t *path, size_t n, struct bar_explore_result *r)
{
    uint32_t *s = malloc(x->W * sizeof(uint32_t)), keep = 0, grow;
    struct violation v;
    size_t len = 0;
    bool bad;

    if (!s || !(r->counterexample = malloc((n + 1) * sizeof(struct bar_op)))) {
        free(s);
        return SIM_ENOMEM;
    }
    /* which functions broke: replay the whole path and look at its end */
    memcpy(s, x->init, x->W * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++)
        apply(&x->actors[path[i]].xops[s[path[i]]++], s + x->K);
    bad = check(x, s + x->K, ALL, &v);
    assert(bad);
    if (v.bar < x->bars.n)
        keep |= x->fns.v[x->bars.v[v.bar].xfn].actors;
    if (v.inv == BAR_INV_NO_OVERLAP && !v.other_const && v.other < x->bars.n)
        keep |= x->fns.v[x->bars.v[v.other].xfn].actors;
    for (;;) { /* and the actors sharing a function with those */
        grow = keep;
        for (uint32_t m = keep; m; m &= m - 1)
            grow |= x->actors[__builtin_ctz(m)].share;
        if (grow == keep)
            break;
        keep = grow;
    }
    /* replay the kept ops, stopping at the first violation */
    memcpy(s, x->init, x->W * sizeof(uint32_t));
    bad = check(x, s + x->K, ALL, &v);
    for (size_t i = 0; i < n && !bad; i++) {
        uint32_t a = path[i];

        if (!(keep & (1u << a)))
            continue;
        r->counterexample[len++] = x->actors[a].ops[s[a]];
        apply(&x->actors[a].xops[s[a]++], s + x->K);
        bad = check(x, s + x->K, ALL, &v);
    }
    assert(bad);
    r->violation_at = len;
    if (v.inv == BAR_INV_NO_TRANSIENT) {
        /* a BAR is transient against where the sequences end: finish the kept actors, in
         * actor order, so that a replay of the counterexample ends there too */
        size_t rest = 0;
        struct bar_op *grown;

        for (uint32_t a = 0; a < x->K; a++)
            if (keep & (1u << a))
                rest += x->actors[a].nops - s[a];
        if (!(grown = realloc(r->counterexample, (len + rest + 1) * sizeof(*grown)))) {
            free(s);
            return SIM_ENOMEM;
        }
        r->counterexample = grown;
        for (uint32_t a = 0; a < x->K; a++)
            while ((keep & (1u << a)) && s[a] < x->actors[a].nops)
                r->counterexample[len++] = x->actors[a].ops[s[a]++];
    }
    r->ncounterexample = len;
    r->violated = v.inv;
    r->detail = describe(x, &v);
    free(s);
    return r->detail ? SIM_OK : SIM_ENOMEM;
}

/* The decode of every BAR before the sequences and after them all, in actor order. */
static int ends(struct explorer *x)
{
    uint32_t *s = x->init + x->K;
    uint32_t *fin = malloc((x->V + 1) * sizeof(uint32_t));

    if (!fin)
        return SIM_ENOMEM;
    for (size_t i = 0; i < x->bars.n; i++)
        x->bars.v[i].before = decode(x, &x->bars.v[i], s);
    memcpy(fin, s, x->V * sizeof(uint32_t));
    for (uint32_t a = 0; a < x->K; a++)
        for (uint32_t i = 0; i < x->actors[a].nops; i++)
            apply(&x->actors[a].xops[i], fin);
    for (size_t i = 0; i < x->bars.n; i++)
        x->bars.v[i].after = decode(x, &x->bars.v[i], fin);
    free(fin);
    return SIM_OK;
}

static void explorer_fini(struct explorer *x)
{
    if (x->actors)
        for (uint32_t a = 0; a < x->K; a++) {
            free(x->actors[a].xops);
            free(x->actors[a].remmap);
        }
    free(x->actors);
    vec_free(&x->fns);
    vec_free(&x->bars);
    vec_free(&x->cbars);
    free(x->init);
    free(x->dec);
    free(x->q);
    free(x->vh);
    free(x->vidx);
    free(x->parent);
    free(x->mover);
}

int bar_explore(struct bar_explore_result *out, struct topology *t, const struct bar_actor *actors,
                size_t nactors, const struct bar_explore_config *cfg)
{
    struct explorer x;
    struct outcome o;
    double t0 = now();
    uint8_t *path = NULL;
    size_t npath = 0;
    int err;

    memset(out, 0, sizeof(*out));
    memset(&x, 0, sizeof(x));
    if ((err = validate(t, actors, nactors)) < 0)
        return err;
    x.t = t;
    x.cfg = cfg;
    x.policy = cfg->replay.policy;
    x.allow0 = topo_platform_get(t)->pci_allow_0_address;
    x.inv = cfg->invariants;
    x.overlap = (cfg->invariants & BAR_INV_NO_OVERLAP) != 0;
    x.K = (uint32_t)nactors;
    x.limit = cfg->max_states && cfg->max_states < UINT32_MAX ? cfg->max_states : UINT32_MAX;
    if (!(x.actors = calloc(nactors + 1, sizeof(struct xactor)))) {
        err = SIM_ENOMEM;
        goto out;
    }
    if ((err = setup(&x, actors)) < 0 || (err = ends(&x)) < 0)
        goto out;
    if ((err = search(&x, &o, t0)) < 0)
        goto out;
    out->verdict = o.verdict;
    out->states = x.nstates;
    out->transitions = o.transitions;
    out->pruned = o.pruned;
    out->depth = o.depth;
    out->bytes_per_state =
        (size_t)((x.vcap * (sizeof(uint64_t) + (x.vidx ? sizeof(uint32_t) : 0)) +
                  x.pcap * (sizeof(uint32_t) + sizeof(uint8_t)) + x.nstates / 2) /
                 x.nstates);
    if (o.verdict == BAR_VIOLATED) {
        if ((err = path_of(&x, o.found, &path, &npath)) < 0 ||
            (err = shorten(&x, path, npath, out)) < 0)
            goto out;
    }
    out->seconds = now() - t0;
out:
    free(path);
    explorer_fini(&x);
    if (err < 0)
        bar_explore_result_fini(out);
    return err;
}

void bar_explore_result_fini(struct bar_explore_result *r)
{
    if (!r)
        return;
    free(r->detail);
    free(r->counterexample);
    r->detail = NULL;
    r->counterexample = NULL;
    r->ncounterexample = 0;
    r->violation_at = 0;
}

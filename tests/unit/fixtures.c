/* Unit-test fixtures -- the topology builder and the diagnostic assertions of fixtures.h. */
#include "fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim/util/strbuf.h"

/* --- Diagnostics ------------------------------------------------------------------------- */

void fx_print_diags(const struct diag_list *dl)
{
    struct strbuf sb = STRBUF_INIT;

    for (size_t i = 0; i < dl->n; i++)
        diag_format(&sb, dl, &dl->v[i]);
    if (sb.len)
        print_message("%s", strbuf_cstr(&sb));
    strbuf_fini(&sb);
}

void fx_assert_diag(const struct diag_list *dl, size_t i, enum diag_severity sev, uint32_t line,
                    uint32_t col, const char *msg)
{
    if (i >= dl->n)
        fx_print_diags(dl);
    assert_true(i < dl->n);
    assert_int_equal(dl->v[i].severity, sev);
    assert_non_null(dl->v[i].msg);
    assert_string_equal(dl->v[i].msg, msg);
    assert_int_equal(dl->v[i].mark.line, line);
    assert_int_equal(dl->v[i].mark.col, col);
}

void fx_assert_diag_has(const struct diag_list *dl, size_t i, enum diag_severity sev,
                        const char *part)
{
    if (i >= dl->n)
        fx_print_diags(dl);
    assert_true(i < dl->n);
    assert_int_equal(dl->v[i].severity, sev);
    assert_non_null(dl->v[i].msg);
    if (!strstr(dl->v[i].msg, part)) {
        print_message("expected \"%s\" in \"%s\"\n", part, dl->v[i].msg);
        fail();
    }
}

#ifndef FX_NO_TOPOLOGY

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/util/err.h"

#define FX_MAX_BARS 8

struct fx_fn {
    struct topo_fn_desc d;                  /* what topo_fn_define() will get */
    struct topo_bar_desc bars[FX_MAX_BARS]; /* d.bars points here at build time */
    size_t nbars;
};

static struct src_mark mark(uint32_t line, uint32_t col)
{
    struct src_mark m = { line, col };

    return m;
}

struct fx *fx_new(void)
{
    struct fx *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    assert_int_equal(topo_new(&f->t, "host"), SIM_OK);
    diag_list_init(&f->diags, "fx.yaml");
    return f;
}

void fx_free(struct fx *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nfns; i++)
        free(f->fns[i]); /* each borrows its strings from the test */
    free(f->fns);
    diag_list_fini(&f->diags);
    topo_free(f->t);
    free(f);
}

uint32_t fx_hb(struct fx *f, const char *id, uint16_t segment, uint8_t bus)
{
    struct topo_hb hb;
    uint32_t idx = TOPO_NONE;

    memset(&hb, 0, sizeof(hb));
    hb.id = id;
    hb.segment = segment;
    hb.bus = bus;
    hb.dma_owner = TOPO_NONE;
    hb.mark = mark(FX_HB_LINE(topo_hb_count(f->t)), 7);
    assert_int_equal(topo_hb_add(f->t, &hb, &idx), SIM_OK);
    return idx;
}

uint32_t fx_fn(struct fx *f, const char *id, enum topo_kind kind, uint32_t parent, uint32_t hb,
               const char *devfn)
{
    struct topo_fn_desc *d;
    uint32_t idx = TOPO_NONE;

    assert_int_equal(topo_fn_reserve(f->t, &idx), SIM_OK);
    assert_int_equal(idx, f->nfns);
    if (f->nfns == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 16;
        struct fx_fn **v = realloc(f->fns, cap * sizeof(*v));

        assert_non_null(v);
        f->fns = v;
        f->cap = cap;
    }
    f->fns[idx] = calloc(1, sizeof(struct fx_fn));
    assert_non_null(f->fns[idx]);
    d = &f->fns[idx]->d;
    d->id = id;
    d->kind = kind;
    assert_int_equal(devfn_parse(&d->devfn, devfn), DEVFN_OK);
    d->parent = parent;
    d->hb = hb;
    d->vendor_id = d->device_id = d->class_code = -1;
    d->subsystem_vendor_id = d->subsystem_id = -1;
    d->secondary = d->subordinate = -1;
    d->acs = TOPO_ACS_NONE;
    d->cmd_memory = d->cmd_io = d->cmd_bus_master = TOPO_DEFAULT;
    d->driver = TOPO_DRIVER_HOST;
    d->mark = mark(FX_LINE(idx), 3);
    d->kind_mark = mark(FX_LINE(idx), 9);
    d->devfn_mark = mark(FX_DEVFN_LINE(idx), 5);
    d->secondary_mark = mark(FX_SEC_LINE(idx), 5);
    d->subordinate_mark = mark(FX_SUB_LINE(idx), 5);
    d->acs_mark = mark(FX_ACS_LINE(idx), 5);
    d->vendor_mark = mark(FX_LINE(idx), 20);
    d->windows_mark = mark(FX_LINE(idx), 30);
    for (unsigned w = 0; w < 3; w++)
        d->window_mark[w] = mark(FX_LINE(idx), 31 + w);
    d->rom_mark = mark(FX_LINE(idx), 40);
    f->nfns++;
    return idx;
}

struct topo_fn_desc *fx_desc(struct fx *f, uint32_t fn)
{
    assert_true(fn < f->nfns);
    return &f->fns[fn]->d;
}

void fx_bus(struct fx *f, uint32_t fn, int secondary, int subordinate)
{
    struct topo_fn_desc *d = fx_desc(f, fn);

    d->secondary = secondary;
    d->subordinate = subordinate;
}

struct topo_bar_desc *fx_bar(struct fx *f, uint32_t fn, uint8_t index, enum topo_bar_type type,
                             uint64_t size)
{
    struct fx_fn *p;
    struct topo_bar_desc *b;
    struct src_mark m = mark(FX_BAR_LINE(fn), (uint32_t)index + 1);

    assert_true(fn < f->nfns);
    p = f->fns[fn];
    assert_true(p->nbars < FX_MAX_BARS);
    b = &p->bars[p->nbars++];
    memset(b, 0, sizeof(*b));
    b->index = index;
    b->type = type;
    b->size = size;
    b->mark = b->index_mark = b->size_mark = b->address_mark = b->type_mark = b->pref_mark = m;
    return b;
}

struct topo_bar_desc *fx_bar_at(struct fx *f, uint32_t fn, uint8_t index, enum topo_bar_type type,
                                uint64_t size, uint64_t address)
{
    struct topo_bar_desc *b = fx_bar(f, fn, index, type, size);

    b->has_address = true;
    b->address = address;
    return b;
}

void fx_rom(struct fx *f, uint32_t fn, uint64_t size, bool has_address, uint64_t address,
            bool enabled)
{
    struct topo_rom_desc *r = &fx_desc(f, fn)->rom;

    r->present = true;
    r->size = size;
    r->has_address = has_address;
    r->address = address;
    r->enabled = enabled;
    r->mark = r->size_mark = r->address_mark = fx_desc(f, fn)->rom_mark;
}

void fx_acs_full(struct fx *f, uint32_t fn)
{
    fx_desc(f, fn)->acs = TOPO_ACS_FULL;
}

void fx_acs(struct fx *f, uint32_t fn, uint16_t cap, uint16_t ctrl)
{
    struct topo_fn_desc *d = fx_desc(f, fn);

    d->acs = TOPO_ACS_REGS;
    d->acs_cap = cap;
    d->acs_ctrl = ctrl;
}

void fx_window(struct fx *f, uint32_t fn, enum topo_window w, uint64_t base, uint64_t limit)
{
    struct topo_fn_desc *d = fx_desc(f, fn);

    d->has_window[w] = true;
    d->window_base[w] = base;
    d->window_limit[w] = limit;
}

void fx_ids(struct fx *f, uint32_t fn, uint16_t vendor, uint16_t device)
{
    struct topo_fn_desc *d = fx_desc(f, fn);

    d->vendor_id = vendor;
    d->device_id = device;
}

void fx_subsystem(struct fx *f, uint32_t fn, uint16_t vendor, uint16_t device)
{
    struct topo_fn_desc *d = fx_desc(f, fn);

    d->subsystem_vendor_id = vendor;
    d->subsystem_id = device;
}

void fx_os_enables_acs(struct fx *f, bool on)
{
    struct topo_platform p = *topo_platform_get(f->t);

    p.os_enables_acs = on;
    assert_int_equal(topo_platform_set(f->t, &p), SIM_OK);
}

uint32_t fx_iommu(struct fx *f, const char *id, enum topo_iommu_kind kind, const uint32_t *covers,
                  size_t ncovers)
{
    struct topo_iommu u;
    uint32_t idx = TOPO_NONE;

    memset(&u, 0, sizeof(u));
    u.id = id;
    u.kind = kind;
    u.address_bits = 48;
    u.covers = covers;
    u.ncovers = ncovers;
    u.mark = mark(FX_HB_LINE(100 + topo_iommu_count(f->t)), 7);
    assert_int_equal(topo_iommu_add(f->t, &u, &idx), SIM_OK);
    return idx;
}

void fx_dma_owner(struct fx *f, uint32_t hb, uint32_t fn)
{
    topo_hb_set_dma_owner(f->t, hb, fn, mark(FX_HB_LINE(hb), 20));
}

int fx_build(struct fx *f)
{
    int first = SIM_OK;

    for (uint32_t i = 0; i < f->nfns; i++) {
        struct fx_fn *p = f->fns[i];
        int err;

        p->d.bars = p->bars;
        p->d.nbars = p->nbars;
        err = topo_fn_define(f->t, i, &p->d, &f->diags);
        if (err < 0 && first == SIM_OK)
            first = err;
    }
    if (first < 0)
        return first;
    return topo_finalize(f->t, &f->diags);
}

void fx_finalize(struct fx *f)
{
    int err = fx_build(f);

    if (err != SIM_OK || f->diags.nerrors)
        fx_print_diags(&f->diags);
    assert_int_equal(err, SIM_OK);
    assert_int_equal(f->diags.nerrors, 0);
}

int fx_build_isolated(struct fx *f)
{
    pid_t pid = fork();
    int status = 0;

    assert_true(pid >= 0);
    if (pid == 0) {
        int err = fx_build(f);

        _exit(err == SIM_OK ? 0 : -err);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status)) {
        print_message("the build crashed on signal %d (an assert in the library?)\n",
                      WTERMSIG(status));
        return FX_CRASHED;
    }
    assert_true(WIFEXITED(status));
    return -WEXITSTATUS(status);
}

#endif /* FX_NO_TOPOLOGY */

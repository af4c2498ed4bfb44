/* Topology -- queries: the tree, identities, and registers decoded into PCI terms. */
#include "sim/topology/topology.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "sim/topology/pci_regs.h"
#include "sim/topology/topology_internal.h"

const char *topo_name(const struct topology *t)
{
    return t->name;
}

const struct topo_platform *topo_platform_get(const struct topology *t)
{
    return &t->platform;
}

size_t topo_iommu_count(const struct topology *t)
{
    return t->iommus.n;
}

const struct topo_iommu *topo_iommu_get(const struct topology *t, uint32_t i)
{
    assert(i < t->iommus.n);
    return &t->iommus.v[i];
}

size_t topo_hb_count(const struct topology *t)
{
    return t->hbs.n;
}

const struct topo_hb *topo_hb_get(const struct topology *t, uint32_t i)
{
    assert(i < t->hbs.n);
    return &t->hbs.v[i].pub;
}

uint32_t topo_hb_first_child(const struct topology *t, uint32_t hb)
{
    assert(hb < t->hbs.n);
    return t->hbs.v[hb].child;
}

uint32_t topo_hb_order(const struct topology *t, uint32_t i)
{
    assert(t->finalized && i < t->hb_order.n);
    return t->hb_order.v[i];
}

size_t topo_fn_count(const struct topology *t)
{
    return t->fns.n;
}

const char *topo_fn_id(const struct topology *t, uint32_t fn)
{
    return fn_rec(t, fn)->id;
}

enum topo_kind topo_fn_kind(const struct topology *t, uint32_t fn)
{
    return (enum topo_kind)fn_rec(t, fn)->kind;
}

struct src_mark topo_fn_mark(const struct topology *t, uint32_t fn)
{
    return fn_rec(t, fn)->mark;
}

uint32_t topo_fn_parent(const struct topology *t, uint32_t fn)
{
    return fn_rec(t, fn)->parent;
}

uint32_t topo_fn_hb(const struct topology *t, uint32_t fn)
{
    return fn_rec(t, fn)->hb;
}

uint32_t topo_fn_first_child(const struct topology *t, uint32_t fn)
{
    return fn_rec(t, fn)->child;
}

uint32_t topo_fn_next_sibling(const struct topology *t, uint32_t fn)
{
    return fn_rec(t, fn)->sibling;
}

uint8_t topo_fn_devfn(const struct topology *t, uint32_t fn)
{
    return fn_rec(t, fn)->devfn;
}

uint8_t topo_fn_bus(const struct topology *t, uint32_t fn)
{
    const struct topo_fn *f = fn_rec(t, fn);

    if (f->parent == TOPO_NONE)
        return t->hbs.v[f->hb].pub.bus;
    return (uint8_t)topo_cfg_read(t, f->parent, PCI_SECONDARY_BUS, 1);
}

struct bdf topo_fn_bdf(const struct topology *t, uint32_t fn)
{
    const struct topo_fn *f = fn_rec(t, fn);
    struct bdf b = { t->hbs.v[f->hb].pub.segment, topo_fn_bus(t, fn), PCI_SLOT(f->devfn),
                     PCI_FUNC(f->devfn) };

    return b;
}

uint32_t topo_fn_order(const struct topology *t, uint32_t i)
{
    assert(t->finalized && i < t->order.n);
    return t->order.v[i];
}

uint32_t topo_fn_find(const struct topology *t, const char *id)
{
    uint32_t v;

    return strmap_get(&t->fn_ids, id, &v) == 0 ? v : TOPO_NONE;
}

uint32_t topo_hb_find(const struct topology *t, const char *id)
{
    uint32_t v;

    return strmap_get(&t->hb_ids, id, &v) == 0 ? v : TOPO_NONE;
}

/*
 * Route a configuration cycle as the hardware does now: from the host bridge that owns the
 * root bus, down through the bridge whose [secondary, subordinate] registers claim the bus,
 * to the function at devfn. Bus numbers may have been rewritten since finalize.
 */
uint32_t topo_fn_find_bdf(const struct topology *t, struct bdf b)
{
    uint8_t devfn = bdf_devfn(b);

    for (uint32_t h = 0; h < t->hbs.n; h++) {
        const struct hb_rec *hb = &t->hbs.v[h];
        uint32_t c = hb->child;
        uint8_t bus = hb->pub.bus;

        if (hb->pub.segment != b.domain || b.bus < bus)
            continue;
        while (c != TOPO_NONE) {
            uint32_t next = TOPO_NONE;

            for (; c != TOPO_NONE; c = fn_rec(t, c)->sibling) {
                uint8_t sec, sub;

                if (bus == b.bus && fn_rec(t, c)->devfn == devfn)
                    return c;
                if (bus != b.bus && topo_fn_bus_range(t, c, &sec, &sub) && sec > bus &&
                    b.bus >= sec && b.bus <= sub) {
                    next = c;
                    break;
                }
            }
            if (next == TOPO_NONE)
                break;
            bus = (uint8_t)topo_cfg_read(t, next, PCI_SECONDARY_BUS, 1);
            c = fn_rec(t, next)->child;
        }
    }
    return TOPO_NONE;
}

bool topo_single_segment(const struct topology *t)
{
    return t->single_segment;
}

bool topo_fn_is_multifunction(const struct topology *t, uint32_t fn)
{
    return topo_cfg_read(t, fn, PCI_HEADER_TYPE, 1) & PCI_HEADER_TYPE_MFD;
}

int topo_fn_pcie_type(const struct topology *t, uint32_t fn)
{
    uint16_t pos = fn_rec(t, fn)->exp_cap;

    if (!pos)
        return -1;
    return (int)((topo_cfg_read(t, fn, (uint16_t)(pos + PCI_EXP_FLAGS), 2) & PCI_EXP_FLAGS_TYPE) >>
                 4);
}

bool topo_fn_acs(const struct topology *t, uint32_t fn, uint16_t *cap, uint16_t *ctrl)
{
    uint16_t pos = topo_cfg_find_ext_cap(t, fn, PCI_EXT_CAP_ID_ACS);

    if (!pos)
        return false;
    if (cap)
        *cap = (uint16_t)topo_cfg_read(t, fn, (uint16_t)(pos + PCI_ACS_CAP), 2);
    if (ctrl)
        *ctrl = (uint16_t)topo_cfg_read(t, fn, (uint16_t)(pos + PCI_ACS_CTRL), 2);
    return true;
}

uint16_t topo_fn_vendor(const struct topology *t, uint32_t fn)
{
    return (uint16_t)topo_cfg_read(t, fn, PCI_VENDOR_ID, 2);
}

uint16_t topo_fn_device(const struct topology *t, uint32_t fn)
{
    return (uint16_t)topo_cfg_read(t, fn, PCI_DEVICE_ID, 2);
}

uint32_t topo_fn_class(const struct topology *t, uint32_t fn)
{
    return topo_cfg_read(t, fn, PCI_CLASS_REVISION, 4) >> 8;
}

void topo_fn_subsystem(const struct topology *t, uint32_t fn, uint16_t *vendor, uint16_t *device)
{
    bool type0 =
        (topo_cfg_read(t, fn, PCI_HEADER_TYPE, 1) & PCI_HEADER_TYPE_MASK) == PCI_HEADER_TYPE_NORMAL;

    *vendor = type0 ? (uint16_t)topo_cfg_read(t, fn, PCI_SUBSYSTEM_VENDOR_ID, 2) : 0;
    *device = type0 ? (uint16_t)topo_cfg_read(t, fn, PCI_SUBSYSTEM_ID, 2) : 0;
}

uint16_t topo_fn_command(const struct topology *t, uint32_t fn)
{
    return (uint16_t)topo_cfg_read(t, fn, PCI_COMMAND, 2);
}

static bool has_type1_header(const struct topology *t, uint32_t fn)
{
    return (topo_cfg_read(t, fn, PCI_HEADER_TYPE, 1) & PCI_HEADER_TYPE_MASK) ==
           PCI_HEADER_TYPE_BRIDGE;
}

bool topo_fn_bus_range(const struct topology *t, uint32_t fn, uint8_t *secondary,
                       uint8_t *subordinate)
{
    if (!has_type1_header(t, fn))
        return false;
    *secondary = (uint8_t)topo_cfg_read(t, fn, PCI_SECONDARY_BUS, 1);
    *subordinate = (uint8_t)topo_cfg_read(t, fn, PCI_SUBORDINATE_BUS, 1);
    return true;
}

bool topo_fn_window(const struct topology *t, uint32_t fn, enum topo_window w, uint64_t *base,
                    uint64_t *limit)
{
    uint64_t b = 0, l = 0;

    if (!has_type1_header(t, fn))
        return false;
    switch (w) {
    case TOPO_WIN_IO: {
        uint32_t lo_b = topo_cfg_read(t, fn, PCI_IO_BASE, 1);
        uint32_t lo_l = topo_cfg_read(t, fn, PCI_IO_LIMIT, 1);

        b = (uint64_t)(lo_b & 0xf0) << 8;
        l = (uint64_t)(lo_l & 0xf0) << 8 | 0xfff;
        if ((lo_b & 0x0f) == PCI_IO_RANGE_TYPE_32) {
            b |= (uint64_t)topo_cfg_read(t, fn, PCI_IO_BASE_UPPER16, 2) << 16;
            l |= (uint64_t)topo_cfg_read(t, fn, PCI_IO_LIMIT_UPPER16, 2) << 16;
        }
        break;
    }
    case TOPO_WIN_MEM:
        b = (uint64_t)(topo_cfg_read(t, fn, PCI_MEMORY_BASE, 2) & 0xfff0) << 16;
        l = (uint64_t)(topo_cfg_read(t, fn, PCI_MEMORY_LIMIT, 2) & 0xfff0) << 16 | 0xfffff;
        break;
    case TOPO_WIN_PREF: {
        uint32_t lo_b = topo_cfg_read(t, fn, PCI_PREF_MEMORY_BASE, 2);
        uint32_t lo_l = topo_cfg_read(t, fn, PCI_PREF_MEMORY_LIMIT, 2);

        b = (uint64_t)(lo_b & 0xfff0) << 16;
        l = (uint64_t)(lo_l & 0xfff0) << 16 | 0xfffff;
        if ((lo_b & 0x0f) == PCI_PREF_RANGE_TYPE_64) {
            b |= (uint64_t)topo_cfg_read(t, fn, PCI_PREF_BASE_UPPER32, 4) << 32;
            l |= (uint64_t)topo_cfg_read(t, fn, PCI_PREF_LIMIT_UPPER32, 4) << 32;
        }
        break;
    }
    }
    if (b > l)
        return false;
    *base = b;
    *limit = l;
    return true;
}

/* Whether BAR slot i is implemented, and whether it is the low half of a 64-bit BAR. A BAR of
 * 4 GiB or more has no writable bits in its low dword, so the type bits decide. */
static bool bar_slot(const struct topology *t, uint32_t fn, unsigned i, bool *is64)
{
    uint32_t *wm = NULL, *hwm = NULL;
    uint32_t *v = cfg_dword(t, fn, (uint16_t)(PCI_BASE_ADDRESS_0 + 4 * i), &wm);
    bool mem64;

    if (!v)
        return false;
    mem64 = !(*v & PCI_BASE_ADDRESS_SPACE_IO) && (*v & PCI_BASE_ADDRESS_MEM_TYPE_64);
    if (mem64 && cfg_dword(t, fn, (uint16_t)(PCI_BASE_ADDRESS_0 + 4 * (i + 1)), &hwm) && *hwm)
        *is64 = true;
    else
        *is64 = mem64 && *wm;
    return *wm || *is64;
}

bool topo_fn_bar(const struct topology *t, uint32_t fn, unsigned index, struct topo_bar *out)
{
    bool bridge = has_type1_header(t, fn);
    const struct topo_fn *f = fn_rec(t, fn);
    unsigned nslots = bridge ? 2 : 6;
    uint32_t *wm = NULL, *val;
    uint16_t reg;
    bool is64 = false;

    if (index == TOPO_ROM_INDEX) {
        reg = bridge ? PCI_ROM_ADDRESS1 : PCI_ROM_ADDRESS;
        val = cfg_dword(t, fn, reg, &wm);
        if (!val || !*wm)
            return false;
        out->index = TOPO_ROM_INDEX;
        out->type = TOPO_BAR_MEM32;
        out->prefetchable = false;
        out->ram = false;
        out->enabled = *val & PCI_ROM_ADDRESS_ENABLE;
        out->size = (uint32_t)(~(*wm & PCI_ROM_ADDRESS_MASK) + 1);
        out->address = *val & PCI_ROM_ADDRESS_MASK;
        return true;
    }
    if (index >= nslots)
        return false;
    /* Walk the slots from 0: a 64-bit BAR's upper half is not a BAR of its own. */
    for (unsigned i = 0; i < index; i++) {
        bool wide = false;

        if (bar_slot(t, fn, i, &wide) && wide && ++i == index)
            return false;
    }
    if (!bar_slot(t, fn, index, &is64))
        return false;
    reg = (uint16_t)(PCI_BASE_ADDRESS_0 + 4 * index);
    val = cfg_dword(t, fn, reg, &wm);
    out->index = (uint8_t)index;
    out->enabled = true;
    out->ram = f->bar_ram & (1u << index);
    if (*val & PCI_BASE_ADDRESS_SPACE_IO) {
        out->type = TOPO_BAR_IO;
        out->prefetchable = false;
        out->size = (uint32_t)(~(*wm & PCI_BASE_ADDRESS_IO_MASK) + 1);
        out->address = *val & PCI_BASE_ADDRESS_IO_MASK;
    } else if (is64) {
        uint32_t *hwm = NULL, *hv = cfg_dword(t, fn, (uint16_t)(reg + 4), &hwm);
        uint64_t mask = (uint64_t)*hwm << 32 | (*wm & PCI_BASE_ADDRESS_MEM_MASK);

        out->type = TOPO_BAR_MEM64;
        out->prefetchable = *val & PCI_BASE_ADDRESS_MEM_PREFETCH;
        out->size = ~mask + 1;
        out->address = (uint64_t)*hv << 32 | (*val & PCI_BASE_ADDRESS_MEM_MASK);
    } else {
        out->type = TOPO_BAR_MEM32;
        out->prefetchable = *val & PCI_BASE_ADDRESS_MEM_PREFETCH;
        out->size = (uint32_t)(~(*wm & PCI_BASE_ADDRESS_MEM_MASK) + 1);
        out->address = *val & PCI_BASE_ADDRESS_MEM_MASK;
    }
    return true;
}

uint32_t topo_fn_quirks(const struct topology *t, uint32_t fn)
{
    return fn_rec(t, fn)->quirks;
}

uint8_t topo_fn_dma_bits(const struct topology *t, uint32_t fn)
{
    return fn_rec(t, fn)->dma_bits;
}

enum topo_driver topo_fn_driver(const struct topology *t, uint32_t fn)
{
    return (enum topo_driver)fn_rec(t, fn)->driver;
}

bool topo_fn_driver_given(const struct topology *t, uint32_t fn)
{
    return fn_rec(t, fn)->flags & FN_DRIVER_GIVEN;
}

void topo_fn_set_driver(struct topology *t, uint32_t fn, enum topo_driver d)
{
    fn_rec(t, fn)->driver = (uint8_t)d;
}

bool topo_fn_virtio(const struct topology *t, uint32_t fn, bool *access_platform)
{
    const struct topo_fn *f = fn_rec(t, fn);

    if (access_platform)
        *access_platform = f->flags & FN_ACCESS_PLATFORM;
    return f->flags & FN_VIRTIO;
}

uint32_t topo_fn_passthrough(const struct topology *t, uint32_t fn)
{
    return fn_rec(t, fn)->passthrough;
}

const struct topo_devfn_range *topo_fn_dma_alias(const struct topology *t, uint32_t fn, size_t *n)
{
    const struct topo_fn *f = fn_rec(t, fn);

    *n = f->nalias;
    return f->nalias ? &t->aliases.v[f->alias] : NULL;
}

const struct topo_resv *topo_fn_reserved(const struct topology *t, uint32_t fn, size_t *n)
{
    const struct topo_fn *f = fn_rec(t, fn);

    *n = f->nresv;
    return f->nresv ? &t->resv.v[f->resv] : NULL;
}

size_t topo_group_count(const struct topology *t)
{
    return t->group_start.n ? t->group_start.n - 1 : 0;
}

const uint32_t *topo_group_members(const struct topology *t, uint32_t g, size_t *n)
{
    assert(g + 1 < t->group_start.n);
    *n = t->group_start.v[g + 1] - t->group_start.v[g];
    return &t->group_members.v[t->group_start.v[g]];
}

void topo_check_invariants(const struct topology *t)
{
#ifndef NDEBUG
    for (uint32_t i = 0; i < t->fns.n; i++) {
        const struct topo_fn *f = fn_rec(t, i);
        uint8_t sec, sub;

        assert(f->flags & FN_DEFINED);
        if (f->sibling != TOPO_NONE)
            assert(fn_rec(t, f->sibling)->devfn > f->devfn);
        if (topo_fn_bus_range(t, i, &sec, &sub)) {
            assert(sec <= sub);
            for (uint32_t c = f->child; c != TOPO_NONE; c = fn_rec(t, c)->sibling) {
                uint8_t csec, csub;

                assert(fn_rec(t, c)->parent == i);
                if (topo_fn_bus_range(t, c, &csec, &csub))
                    assert(csec > sec && csub <= sub);
            }
        }
    }
    for (size_t i = 1; i < t->order.n; i++)
        assert(bdf_cmp(topo_fn_bdf(t, t->order.v[i - 1]), topo_fn_bdf(t, t->order.v[i])) < 0);
#else
    (void)t;
#endif
}

int topo_cfg_save(const struct topology *t, uint32_t **out, size_t *n)
{
    uint32_t *v = malloc((t->cfg_val.n ? t->cfg_val.n : 1) * sizeof(uint32_t));

    if (!v)
        return SIM_ENOMEM;
    if (t->cfg_val.n)
        memcpy(v, t->cfg_val.v, t->cfg_val.n * sizeof(uint32_t));
    *out = v;
    *n = t->cfg_val.n;
    return SIM_OK;
}

void topo_cfg_restore(struct topology *t, const uint32_t *vals, size_t n)
{
    assert(n == t->cfg_val.n);
    if (n)
        memcpy(t->cfg_val.v, vals, n * sizeof(uint32_t));
}

uint32_t *topo_fn_dword(struct topology *t, uint32_t fn, uint16_t off, uint32_t *wmask)
{
    uint32_t *wm = NULL, *v = cfg_dword(t, fn, off, &wm);

    if (v && wmask)
        *wmask = *wm;
    return v;
}

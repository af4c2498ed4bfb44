/* Topology -- construction: machines, IOMMUs, host bridges, and the PCI rules of one function. */
#include "sim/topology/topology.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/topology/topology_internal.h"
#include "sim/util/num.h"

const char *const topo_kind_names[TOPO_KIND_COUNT] = {
    "host-bridge",     "root-port",       "upstream-port", "downstream-port",
    "pcie-pci-bridge", "pci-pcie-bridge", "pci-bridge",    "endpoint",
    "legacy-endpoint", "rc-endpoint",     "pci-device",
};
const char *const topo_arch_names[TOPO_ARCH_COUNT] = {
    "x86_64", "i386",    "aarch64",     "arm",    "ppc64", "ppc64le",
    "s390x",  "riscv64", "loongarch64", "mips64", "alpha", "sparc64",
};
const char *const topo_iommu_kind_names[TOPO_IOMMU_KIND_COUNT] = { "vt-d", "amd-vi", "smmuv3",
                                                                   "virtio-iommu" };
const char *const topo_resv_kind_names[TOPO_RESV_KIND_COUNT] = { "msi", "rmrr", "direct",
                                                                 "reserved" };
const char *const topo_driver_names[TOPO_DRIVER_COUNT] = { "host", "vfio-pci", "none" };
const char *const topo_quirk_names[TOPO_QUIRK_COUNT] = { "pcie-bridge-alias", "bridge-xlate-root",
                                                         "no-builtin" };
const char *const topo_bar_type_names[3] = { "mem32", "mem64", "io" };
const char *const topo_window_names[3] = { "io", "mem", "pref" };

const char *topo_kind_name(enum topo_kind k)
{
    return (unsigned)k < TOPO_KIND_COUNT ? topo_kind_names[k] : "?";
}

int topo_kind_parse(enum topo_kind *out, const char *s)
{
    for (unsigned i = 0; i < TOPO_KIND_COUNT; i++) {
        if (strcmp(s, topo_kind_names[i]) == 0) {
            *out = (enum topo_kind)i;
            return 0;
        }
    }
    return SIM_ENOTFOUND;
}

const char *topo_kind_article(enum topo_kind k)
{
    const char *n = topo_kind_name(k);

    return n[0] == 'e' || n[0] == 'u' ? "an" : "a";
}

bool topo_kind_is_bridge(enum topo_kind k)
{
    switch (k) {
    case TOPO_ROOT_PORT:
    case TOPO_UPSTREAM_PORT:
    case TOPO_DOWNSTREAM_PORT:
    case TOPO_PCIE_PCI_BRIDGE:
    case TOPO_PCI_PCIE_BRIDGE:
    case TOPO_PCI_BRIDGE:
        return true;
    case TOPO_HOST_BRIDGE:
    case TOPO_ENDPOINT:
    case TOPO_LEGACY_ENDPOINT:
    case TOPO_RC_ENDPOINT:
    case TOPO_PCI_DEVICE:
        break;
    }
    return false;
}

bool topo_kind_is_pcie(enum topo_kind k)
{
    return k != TOPO_HOST_BRIDGE && k != TOPO_PCI_BRIDGE && k != TOPO_PCI_DEVICE;
}

int topo_new(struct topology **out, const char *name)
{
    struct topology *t = calloc(1, sizeof(*t));

    if (!t)
        return SIM_ENOMEM;
    arena_init(&t->arena);
    strmap_init(&t->fn_ids);
    strmap_init(&t->hb_ids);
    t->platform.arch = TOPO_ARCH_X86_64;
    t->platform.os_enables_acs = true;
    t->name = arena_strdup(&t->arena, name);
    if (!t->name) {
        topo_free(t);
        return SIM_ENOMEM;
    }
    *out = t;
    return SIM_OK;
}

void topo_free(struct topology *t)
{
    if (!t)
        return;
    vec_free(&t->iommus);
    vec_free(&t->hbs);
    vec_free(&t->fns);
    vec_free(&t->blocks);
    vec_free(&t->cfg_val);
    vec_free(&t->cfg_wmask);
    vec_free(&t->aliases);
    vec_free(&t->resv);
    vec_free(&t->order);
    vec_free(&t->hb_order);
    vec_free(&t->group_members);
    vec_free(&t->group_start);
    strmap_fini(&t->fn_ids);
    strmap_fini(&t->hb_ids);
    arena_fini(&t->arena);
    free(t);
}

/* Copy n elements of size sz into the arena; NULL only when out of memory. */
static void *dup_array(struct topology *t, const void *src, size_t n, size_t sz)
{
    void *p = arena_alloc(&t->arena, n > 0 ? n * sz : 1);

    if (p && n)
        memcpy(p, src, n * sz);
    return p;
}

int topo_platform_set(struct topology *t, const struct topo_platform *p)
{
    struct topo_platform c = *p;

    c.ram = dup_array(t, p->ram, p->nram, sizeof(*p->ram));
    c.dma_windows = dup_array(t, p->dma_windows, p->ndma_windows, sizeof(*p->dma_windows));
    if (!c.ram || !c.dma_windows)
        return SIM_ENOMEM;
    t->platform = c;
    return SIM_OK;
}

int topo_iommu_add(struct topology *t, const struct topo_iommu *desc, uint32_t *out)
{
    struct topo_iommu c = *desc;

    assert(desc->address_bits >= 1 && desc->address_bits <= 64);
    c.id = arena_strdup(&t->arena, desc->id);
    c.covers = dup_array(t, desc->covers, desc->ncovers, sizeof(*desc->covers));
    c.reserved = dup_array(t, desc->reserved, desc->nreserved, sizeof(*desc->reserved));
    c.stream_map = dup_array(t, desc->stream_map, desc->nstream_map, sizeof(*desc->stream_map));
    if (!c.id || !c.covers || !c.reserved || !c.stream_map)
        return SIM_ENOMEM;
    if (out)
        *out = (uint32_t)t->iommus.n;
    return vec_push(&t->iommus, c);
}

int topo_hb_add(struct topology *t, const struct topo_hb *desc, uint32_t *out)
{
    struct hb_rec r = { *desc, TOPO_NONE };
    uint32_t idx = (uint32_t)t->hbs.n;
    int err;

    r.pub.id = arena_strdup(&t->arena, desc->id);
    if (!r.pub.id)
        return SIM_ENOMEM;
    r.pub.dma_owner = TOPO_NONE;
    if ((err = vec_push(&t->hbs, r)) < 0)
        return err;
    if ((err = strmap_put(&t->hb_ids, r.pub.id, idx, NULL)) < 0)
        return err;
    if (out)
        *out = idx;
    return SIM_OK;
}

void topo_hb_set_dma_owner(struct topology *t, uint32_t hb, uint32_t fn, struct src_mark at)
{
    t->hbs.v[hb].pub.dma_owner = fn;
    t->hbs.v[hb].pub.dma_owner_mark = at;
}

int topo_fn_reserve(struct topology *t, uint32_t *out)
{
    struct topo_fn f;

    memset(&f, 0, sizeof(f));
    f.parent = f.hb = f.child = f.sibling = f.passthrough = TOPO_NONE;
    f.sec_req = f.sub_req = -1;
    *out = (uint32_t)t->fns.n;
    return vec_push(&t->fns, f);
}

/* --- The PCI rules of one function ---------------------------------------------------------- */

static bool check_bars(const struct topo_fn_desc *d, struct diag_list *diags)
{
    bool bridge = topo_kind_is_bridge(d->kind);
    unsigned nslots = bridge ? 2 : 6;
    const struct topo_bar_desc *slot[6] = { NULL };
    bool ok = true;
    char sz[24];

    for (size_t i = 0; i < d->nbars; i++) {
        const struct topo_bar_desc *b = &d->bars[i];
        unsigned idx = b->index;
        bool bar_ok = true;
        uint64_t end;

        if (idx >= nslots) {
            diag_error(diags, b->index_mark, "bar index %u is out of range: %s %s has BARs 0..%u",
                       idx, topo_kind_article(d->kind), topo_kind_name(d->kind), nslots - 1);
            ok = false;
            continue;
        }
        if (b->type == TOPO_BAR_MEM64 && idx + 1 >= nslots) {
            diag_error(diags, b->index_mark,
                       "a mem64 BAR takes two slots (index and index+1): bar %u has no slot %u for "
                       "its upper half",
                       idx, idx + 1);
            ok = false;
            continue;
        }
        if (slot[idx] || (b->type == TOPO_BAR_MEM64 && slot[idx + 1])) {
            const struct topo_bar_desc *o = slot[idx] ? slot[idx] : slot[idx + 1];

            if (o->type == TOPO_BAR_MEM64 && o->index + 1u == idx)
                diag_error(
                    diags, b->index_mark,
                    "bar %u collides with the upper half of the mem64 BAR at index %u (line %u)",
                    idx, o->index, o->mark.line);
            else if (o->index == idx)
                diag_error(diags, b->index_mark, "bar %u is already defined at line %u", idx,
                           o->mark.line);
            else
                diag_error(diags, b->index_mark,
                           "the upper half of mem64 bar %u collides with bar %u (line %u)", idx,
                           o->index, o->mark.line);
            ok = false;
            continue;
        }
        slot[idx] = b;
        if (b->type == TOPO_BAR_MEM64)
            slot[idx + 1] = b;

        if (!num_is_pow2(b->size)) {
            num_format_size(sz, b->size);
            diag_error(diags, b->size_mark, "bar %u size %s is not a power of two", idx, sz);
            ok = false;
            continue;
        }
        if (b->type == TOPO_BAR_IO) {
            if (b->size < 4 || b->size > 256) {
                diag_error(diags, b->size_mark,
                           "io bar %u size %" PRIu64 " is outside 4..256 bytes (PCI 3.0 §6.2.5.1)",
                           idx, b->size);
                bar_ok = false;
            }
            if (b->prefetchable) {
                diag_error(diags, b->pref_mark, "io bar %u cannot be prefetchable", idx);
                bar_ok = false;
            }
            if (b->ram) {
                diag_error(diags, b->mark, "io bar %u cannot be RAM-backed", idx);
                bar_ok = false;
            }
        } else if (b->size < 16) {
            diag_error(diags, b->size_mark, "memory bar %u size %" PRIu64 " is below 16 bytes", idx,
                       b->size);
            bar_ok = false;
        } else if (b->type == TOPO_BAR_MEM32 && b->size > (UINT64_C(1) << 31)) {
            num_format_size(sz, b->size);
            diag_error(diags, b->size_mark, "mem32 bar %u size %s exceeds 2G; use mem64", idx, sz);
            bar_ok = false;
        }
        if (!bar_ok || !b->has_address) {
            ok &= bar_ok;
            continue;
        }
        if (b->address & (b->size - 1)) {
            num_format_size(sz, b->size);
            diag_error(diags, b->address_mark,
                       "bar %u address 0x%" PRIx64 " is not aligned to its size %s", idx,
                       b->address, sz);
            bar_ok = false;
        } else if (__builtin_add_overflow(b->address, b->size - 1, &end)) {
            diag_error(diags, b->address_mark, "bar %u at 0x%" PRIx64 " runs past 2^64", idx,
                       b->address);
            bar_ok = false;
        } else if (b->type != TOPO_BAR_MEM64 && end > UINT32_MAX) {
            diag_error(diags, b->address_mark,
                       "%s bar %u at 0x%" PRIx64 " ends above 4G, which a 32-bit BAR cannot reach",
                       topo_bar_type_names[b->type], idx, b->address);
            bar_ok = false;
        }
        ok &= bar_ok;
    }
    return ok;
}

static bool check_rom(const struct topo_fn_desc *d, struct diag_list *diags)
{
    const struct topo_rom_desc *r = &d->rom;
    char sz[24];

    if (!r->present)
        return true;
    if (!num_is_pow2(r->size) || r->size < 2048 || r->size > (UINT64_C(1) << 31)) {
        num_format_size(sz, r->size);
        diag_error(diags, r->size_mark,
                   "rom size %s must be a power of two from 2K to 2G (PCI 3.0 §6.2.5.2)", sz);
        return false;
    }
    if (r->has_address && (r->address & (r->size - 1) || r->address + r->size - 1 > UINT32_MAX)) {
        num_format_size(sz, r->size);
        diag_error(diags, r->address_mark,
                   "rom address 0x%" PRIx64 " must be aligned to its size %s and below 4G",
                   r->address, sz);
        return false;
    }
    return true;
}

static bool check_windows(const struct topo_fn_desc *d, struct diag_list *diags)
{
    static const uint64_t gran[3] = { 0x1000, 0x100000, 0x100000 };
    static const uint64_t top[3] = { UINT32_MAX, UINT32_MAX, UINT64_MAX };
    bool ok = true;

    for (unsigned w = 0; w < 3; w++) {
        uint64_t base = d->window_base[w], limit = d->window_limit[w];

        if (!d->has_window[w])
            continue;
        if (base > limit) {
            diag_error(diags, d->window_mark[w],
                       "%s window base 0x%" PRIx64 " is above its limit 0x%" PRIx64
                       " (leave the window out to close it)",
                       topo_window_names[w], base, limit);
            ok = false;
        } else if (base & (gran[w] - 1) || (limit & (gran[w] - 1)) != gran[w] - 1) {
            diag_error(diags, d->window_mark[w],
                       "%s window [0x%" PRIx64 ", 0x%" PRIx64
                       "] must start and end on %s boundaries (limit ends in 0x%" PRIx64 ")",
                       topo_window_names[w], base, limit, w == TOPO_WIN_IO ? "4K" : "1M",
                       gran[w] - 1);
            ok = false;
        } else if (limit > top[w]) {
            diag_error(diags, d->window_mark[w],
                       "%s window limit 0x%" PRIx64 " is above 4G; only the pref window is 64-bit",
                       topo_window_names[w], limit);
            ok = false;
        }
    }
    return ok;
}

static bool check_kind_keys(const struct topo_fn_desc *d, struct diag_list *diags)
{
    const char *kind = topo_kind_name(d->kind);
    bool ok = true;

    if (!topo_kind_is_bridge(d->kind)) {
        if (d->secondary >= 0) {
            diag_error(diags, d->secondary_mark,
                       "'secondary' is only valid on bridges and ports; '%s' is %s %s", d->id,
                       topo_kind_article(d->kind), kind);
            ok = false;
        }
        if (d->subordinate >= 0) {
            diag_error(diags, d->subordinate_mark,
                       "'subordinate' is only valid on bridges and ports; '%s' is %s %s", d->id,
                       topo_kind_article(d->kind), kind);
            ok = false;
        }
        if (d->windows_given || d->has_window[0] || d->has_window[1] || d->has_window[2]) {
            diag_error(diags, d->windows_mark,
                       "'windows' is only valid on bridges and ports; '%s' is %s %s", d->id,
                       topo_kind_article(d->kind), kind);
            ok = false;
        }
    } else if (d->secondary >= 0 && d->subordinate >= 0 && d->subordinate < d->secondary) {
        diag_error(diags, d->subordinate_mark, "subordinate bus 0x%02x is below secondary 0x%02x",
                   (unsigned)d->subordinate, (unsigned)d->secondary);
        ok = false;
    }
    if (d->acs != TOPO_ACS_NONE && !topo_kind_is_pcie(d->kind)) {
        diag_error(diags, d->acs_mark,
                   "'acs' needs a PCI Express function: %s %s has no extended capabilities "
                   "(conventional PCI never isolates)",
                   topo_kind_article(d->kind), kind);
        ok = false;
    }
    if (d->acs == TOPO_ACS_REGS && (d->acs_ctrl & ~d->acs_cap & 0x7f)) {
        static const char *const bit[] = { "sv", "tb", "rr", "cr", "uf", "ec", "dt" };
        char names[40] = "";
        size_t len = 0;

        for (unsigned i = 0; i < 7; i++)
            if (d->acs_ctrl & ~d->acs_cap & (1u << i))
                len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s", len ? "," : "",
                                        bit[i]);
        diag_error(diags, d->acs_mark,
                   "ACS ctrl enables %s, which cap does not advertise; control bits of "
                   "unimplemented features are hardwired to 0",
                   names);
        ok = false;
    }
    if ((d->quirks & (TOPO_QUIRK_PCIE_BRIDGE_ALIAS | TOPO_QUIRK_XLATE_ROOT)) &&
        !topo_kind_is_bridge(d->kind)) {
        diag_error(diags, d->mark, "quirk '%s' applies to bridges; '%s' is %s %s",
                   d->quirks & TOPO_QUIRK_PCIE_BRIDGE_ALIAS ? "pcie-bridge-alias"
                                                            : "bridge-xlate-root",
                   d->id, topo_kind_article(d->kind), kind);
        ok = false;
    }
    if (topo_kind_is_bridge(d->kind) && (d->subsystem_vendor_id >= 0 || d->subsystem_id >= 0)) {
        diag_error(diags, d->mark,
                   "subsystem ids live in a type 0 header; '%s' is %s %s (a bridge's are in a "
                   "capability dmasim does not model)",
                   d->id, topo_kind_article(d->kind), kind);
        ok = false;
    }
    if (d->vendor_id == 0xffff) {
        diag_error(diags, d->vendor_mark,
                   "vendor 0xffff is what an absent function reads as; pick another vendor id");
        ok = false;
    }
    for (size_t i = 0; i < d->ndma_alias; i++) {
        if (d->dma_alias[i].first > d->dma_alias[i].last) {
            diag_error(diags, d->mark, "dma_alias range %02x.%x-%02x.%x runs backwards",
                       PCI_SLOT(d->dma_alias[i].first), PCI_FUNC(d->dma_alias[i].first),
                       PCI_SLOT(d->dma_alias[i].last), PCI_FUNC(d->dma_alias[i].last));
            ok = false;
        }
    }
    if (d->ndma_alias > UINT8_MAX || d->nreserved > UINT8_MAX) {
        diag_error(diags, d->mark, "'%s' has more than 255 dma_alias or reserved entries", d->id);
        ok = false;
    }
    return ok;
}

int topo_fn_define(struct topology *t, uint32_t fn, const struct topo_fn_desc *d,
                   struct diag_list *diags)
{
    struct topo_fn *f;
    bool ok;
    int err;

    assert(fn < t->fns.n && d->kind != TOPO_HOST_BRIDGE);
    ok = check_kind_keys(d, diags);
    ok = check_bars(d, diags) && ok;
    ok = check_rom(d, diags) && ok;
    ok = check_windows(d, diags) && ok;

    f = fn_rec(t, fn);
    f->id = arena_strdup(&t->arena, d->id);
    if (!f->id)
        return SIM_ENOMEM;
    f->mark = d->mark;
    f->devfn_mark = d->devfn_mark;
    f->sec_mark = d->secondary_mark;
    f->sub_mark = d->subordinate_mark;
    f->parent = d->parent;
    f->hb = d->hb;
    f->kind = (uint8_t)d->kind;
    f->devfn = d->devfn;
    f->sec_req = (int16_t)d->secondary;
    f->sub_req = (int16_t)d->subordinate;
    f->quirks = (uint16_t)d->quirks;
    f->driver = (uint8_t)d->driver;
    f->dma_bits = d->dma_bits ? d->dma_bits : 64;
    f->flags = FN_DEFINED | (d->is_virtio ? FN_VIRTIO : 0) |
               (d->access_platform ? FN_ACCESS_PLATFORM : 0) |
               (d->has_driver ? FN_DRIVER_GIVEN : 0) |
               (d->windows_given || d->has_window[0] || d->has_window[1] || d->has_window[2]
                    ? FN_WINDOWS_GIVEN
                    : 0);
    if ((err = strmap_put(&t->fn_ids, f->id, fn, NULL)) < 0)
        return err;
    if (!ok)
        return SIM_EINVAL;

    f->alias = (uint32_t)t->aliases.n;
    f->nalias = (uint8_t)d->ndma_alias;
    for (size_t i = 0; i < d->ndma_alias; i++)
        if ((err = vec_push(&t->aliases, d->dma_alias[i])) < 0)
            return err;
    f->resv = (uint32_t)t->resv.n;
    f->nresv = (uint8_t)d->nreserved;
    for (size_t i = 0; i < d->nreserved; i++)
        if ((err = vec_push(&t->resv, d->reserved[i])) < 0)
            return err;
    return cfg_build(t, fn, d);
}

void topo_fn_set_passthrough(struct topology *t, uint32_t fn, uint32_t host_fn)
{
    fn_rec(t, fn)->passthrough = host_fn;
}

int topo_groups_declare(struct topology *t, const uint32_t *members, const uint32_t *group_start,
                        size_t ngroups)
{
    int err;

    t->group_members.n = t->group_start.n = 0;
    for (size_t g = 0; g <= ngroups; g++)
        if ((err = vec_push(&t->group_start, group_start[g])) < 0)
            return err;
    for (uint32_t i = 0; ngroups && i < group_start[ngroups]; i++)
        if ((err = vec_push(&t->group_members, members[i])) < 0)
            return err;
    return SIM_OK;
}

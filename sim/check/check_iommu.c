/* Check -- IOMMU findings: stream IDs, DMA requests, address widths, virtio translation. */
#include "sim/check/check.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check/check_internal.h"
#include "sim/iommu/iommu.h"
#include "sim/topology/pci_regs.h"

/* "PCIe-to-PCI bridge", "endpoint": a kind as a developer says it. */
static const char *kind_name(enum topo_kind k)
{
    switch (k) {
    case TOPO_ROOT_PORT:
        return "root port";
    case TOPO_UPSTREAM_PORT:
        return "upstream port";
    case TOPO_DOWNSTREAM_PORT:
        return "downstream port";
    case TOPO_PCIE_PCI_BRIDGE:
        return "PCIe-to-PCI bridge";
    case TOPO_PCI_PCIE_BRIDGE:
        return "PCI-to-PCIe bridge";
    case TOPO_PCI_BRIDGE:
        return "PCI bridge";
    case TOPO_HOST_BRIDGE:
    case TOPO_ENDPOINT:
    case TOPO_LEGACY_ENDPOINT:
    case TOPO_RC_ENDPOINT:
    case TOPO_PCI_DEVICE:
        break;
    }
    return "function";
}

/* --- Stream IDs ------------------------------------------------------------------------------ */

/*
 * What the modelled arm-smmu-v3 does with one function presenting a StreamID twice
 * (SEMANTICS.md 1.5), in the words of its log, and whether that is fatal. "Cope with
 * duplicated Stream IDs" (563b5cbe334e) was posted in January 2018 and first released in
 * 4.16 (distributions backported it to 4.14); cdf315f907d4 in 5.13; b00d24997a11 in 6.15.
 */
static void repeated_verdict(struct strbuf *out, const struct check_input *in, uint32_t sid,
                             bool *fatal)
{
    if (check_linux_before(in, 4, 16)) {
        *fatal = true;
        strbuf_puts(out, "the 2017-era driver hits BUG_ON(ste_live) in arm_smmu_write_strtab_ent() "
                         "when it writes the StreamID's entry the second time");
    } else if (check_linux_before(in, 5, 13)) {
        *fatal = false;
        strbuf_puts(out, "tolerated: \"iommu/arm-smmu-v3: Cope with duplicated Stream IDs\" "
                         "(563b5cbe334e, 4.16) skips the entry already installed for the same "
                         "master");
    } else if (check_linux_before(in, 6, 15)) {
        *fatal = true;
        strbuf_printf(out,
                      "since cdf315f907d4 (\"Maintain a SID->device structure\", 5.13) the "
                      "kernel logs \"stream %u already in tree\" and the device fails to "
                      "probe, so it gets no IOMMU group (in v6.15-rc1 this failed the whole "
                      "SMMU: \"Failed to register iommu ... error -22\")",
                      sid);
    } else {
        *fatal = false;
        strbuf_puts(out,
                    "tolerated since b00d24997a11 (\"Fix iommu_device_probe bug due to "
                    "duplicated stream ids\", 6.15), which skips a duplicate owned by the same "
                    "master");
    }
}

/* What the kernel does when `later` presents a StreamID `first` registered. */
static void duplicate_verdict(struct strbuf *out, const struct check_input *in,
                              const struct topology *t, uint32_t sid, uint32_t first,
                              uint32_t later)
{
    char a[BDF_STRLEN], b[BDF_STRLEN];

    bdf_format(a, topo_fn_bdf(t, first), true);
    bdf_format(b, topo_fn_bdf(t, later), true);
    if (check_linux_before(in, 5, 13))
        strbuf_printf(out,
                      "the driver hits BUG_ON(ste_live) in arm_smmu_write_strtab_ent() when "
                      "%s writes the entry %s already made live (563b5cbe334e copes only with "
                      "duplicates within one master)",
                      b, a);
    else if (check_linux_before(in, 6, 15))
        strbuf_printf(out,
                      "the kernel logs \"stream %u already in tree\" for %s and every master "
                      "after the first fails to probe with -EINVAL, getting no IOMMU group",
                      sid, b);
    else
        strbuf_printf(out,
                      "the kernel logs \"stream %u already in tree from dev %s\" for %s and "
                      "every master after the first is rejected with -EINVAL, getting no IOMMU "
                      "group",
                      sid, a, b);
}

/* StreamIDs registered with the SMMUs of one machine: (iommu, sid) -> owner function.
 * Open addressing; entries are only added. */
struct sid_tree {
    uint64_t *keys; /* iommu << 32 | sid, plus 1; 0 is empty */
    uint32_t *owner;
    size_t mask, n;
};

static int tree_grow(struct sid_tree *tr)
{
    size_t cap = tr->keys ? (tr->mask + 1) * 2 : 1024;
    uint64_t *keys = calloc(cap, sizeof(*keys));
    uint32_t *owner = calloc(cap, sizeof(*owner));

    if (!keys || !owner) {
        free(keys);
        free(owner);
        return SIM_ENOMEM;
    }
    for (size_t i = 0; tr->keys && i <= tr->mask; i++) {
        size_t j = (size_t)(tr->keys[i] * 0x9e3779b97f4a7c15u) & (cap - 1);

        if (!tr->keys[i])
            continue;
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = tr->keys[i];
        owner[j] = tr->owner[i];
    }
    free(tr->keys);
    free(tr->owner);
    tr->keys = keys;
    tr->owner = owner;
    tr->mask = cap - 1;
    return SIM_OK;
}

static size_t tree_slot(const struct sid_tree *tr, uint64_t key)
{
    size_t j = (size_t)(key * 0x9e3779b97f4a7c15u) & tr->mask;

    while (tr->keys[j] && tr->keys[j] != key)
        j = (j + 1) & tr->mask;
    return j;
}

/*
 * Linux's arm_smmu_insert_master() in probe order (5.13 on): a master whose StreamID is
 * already in the SMMU's tree for another master fails to probe (-EINVAL) and gets no IOMMU
 * group; so does one presenting an ID twice from cdf315f907d4 until the 2025 fix. Before
 * 5.13 the driver kept no such tree (masters shared entries; before 4.15, BUG_ON), so no
 * probe is modelled to fail.
 */
int check_smmu_probe(struct check_result *r, enum check_machine m)
{
    struct machine_result *mr = &r->m[m];
    const struct topology *t = mr->t;
    bool repeat_fails = check_linux_before(&r->in, 6, 15);
    struct sid_tree tr = { NULL, NULL, 0, 0 };
    uint32_t *order = NULL;
    size_t norder = 0, nfn = topo_fn_count(t);
    struct iommu_ids ids;
    bool any = false;
    int err;

    if (check_linux_before(&r->in, 5, 13))
        return SIM_OK;
    for (uint32_t i = 0; i < topo_iommu_count(t); i++)
        any |= topo_iommu_get(t, i)->kind == TOPO_IOMMU_SMMUV3;
    if (!any)
        return SIM_OK;
    mr->probe_failed = calloc(nfn + 1, sizeof(bool));
    mr->fail_sid = calloc(nfn + 1, sizeof(uint32_t));
    mr->fail_owner = calloc(nfn + 1, sizeof(uint32_t));
    if (!mr->probe_failed || !mr->fail_sid || !mr->fail_owner || (err = tree_grow(&tr)) < 0 ||
        (err = alias_probe_order(mr->ctx, &order, &norder)) < 0) {
        err = SIM_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < norder && err == 0; i++) {
        uint32_t fn = order[i];
        bool ok = true;

        iommu_fn_ids(mr->ctx, fn, &ids);
        if (ids.iommu == TOPO_NONE || topo_iommu_get(t, ids.iommu)->kind != TOPO_IOMMU_SMMUV3)
            continue;
        for (size_t x = 0; x < ids.n && ok; x++) {
            uint64_t key = ((uint64_t)ids.iommu << 32 | ids.ids[x]) + 1;
            size_t slot = tree_slot(&tr, key);

            if (tr.keys[slot]) {
                ok = false;
                mr->fail_owner[fn] = tr.owner[slot];
            }
            for (size_t y = 0; y < x && ok && repeat_fails; y++) {
                if (ids.ids[y] == ids.ids[x]) {
                    ok = false;
                    mr->fail_owner[fn] = fn;
                }
            }
            if (!ok)
                mr->fail_sid[fn] = ids.ids[x];
        }
        if (!ok) {
            mr->probe_failed[fn] = true; /* its inserted streams are rolled back */
            continue;
        }
        for (size_t x = 0; x < ids.n && err == 0; x++) {
            uint64_t key = ((uint64_t)ids.iommu << 32 | ids.ids[x]) + 1;
            size_t slot;

            if ((tr.n + 1) * 2 > tr.mask + 1 && (err = tree_grow(&tr)) < 0)
                break;
            slot = tree_slot(&tr, key);
            if (!tr.keys[slot]) {
                tr.keys[slot] = key;
                tr.owner[slot] = fn;
                tr.n++;
            }
        }
    }
out:
    free(order);
    free(tr.keys);
    free(tr.owner);
    return err;
}

/* Of fns, the one probed first and the one probed second: a function whose probe did not fail
 * registered first; otherwise BDF order (which is probe order within a bus). */
static uint32_t first_probed(const struct machine_result *mr, const uint32_t *fns, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!mr->probe_failed || !mr->probe_failed[fns[i]])
            return fns[i];
    return fns[0];
}

static uint32_t second_probed(const struct machine_result *mr, const uint32_t *fns, size_t n)
{
    uint32_t first = first_probed(mr, fns, n);

    for (size_t i = 0; i < n; i++)
        if (fns[i] != first)
            return fns[i];
    return first;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* One SMMU: a function presenting a StreamID twice; two functions presenting one. */
static int smmu_streams(struct check_result *r, enum check_machine m, uint32_t ui)
{
    const struct machine_result *mr = &r->m[m];
    const struct topology *t = mr->t;
    const struct topo_iommu *u = topo_iommu_get(t, ui);
    VEC(uint64_t) pairs = { 0 }; /* sid << 32 | bdf order position */
    VEC(uint32_t) fns = { 0 };
    struct iommu_ids ids;
    int err = SIM_OK;
    char subject[32], a[BDF_STRLEN], b[BDF_STRLEN];

    for (uint32_t i = 0; i < topo_fn_count(t) && err == 0; i++) {
        uint32_t fn = topo_fn_order(t, i);

        if (alias_fn_iommu(mr->ctx, fn) != ui)
            continue;
        iommu_fn_ids(mr->ctx, fn, &ids);
        for (size_t x = 0; x < ids.n && err == 0; x++) {
            bool repeat = false, fatal;

            for (size_t y = 0; y < x && !repeat; y++)
                repeat = ids.ids[y] == ids.ids[x];
            if (!repeat) {
                err = vec_push(&pairs, (uint64_t)ids.ids[x] << 32 | i);
                continue;
            }
            if (check_reported(r, FINDING_REPEATED_STREAM_ID, m, topo_fn_id(t, fn)))
                continue;
            {
                struct strbuf why = STRBUF_INIT;
                uint32_t first_owner = ids.owners[0];

                for (size_t y = 0; y < x; y++)
                    if (ids.ids[y] == ids.ids[x])
                        first_owner = ids.owners[y];
                repeated_verdict(&why, &r->in, ids.ids[x], &fatal);
                err = check_add_severity(
                    r, FINDING_REPEATED_STREAM_ID, fatal ? FINDING_ERROR : FINDING_WARNING, m,
                    topo_fn_id(t, fn), &fn, 1,
                    "%s (%s) presents StreamID 0x%04x to %s twice: %s, and again as the alias of "
                    "%s %s (%s); %s",
                    check_bdf(a, t, fn), topo_fn_id(t, fn), ids.ids[x], u->id,
                    first_owner == fn ? "its own RID" : "the alias of an upstream bridge",
                    kind_name(topo_fn_kind(t, ids.owners[x])), check_bdf(b, t, ids.owners[x]),
                    topo_fn_id(t, ids.owners[x]), strbuf_cstr(&why));
                strbuf_fini(&why);
            }
        }
    }
    if (pairs.n > 1)
        qsort(pairs.v, pairs.n, sizeof(uint64_t), cmp_u64);
    for (size_t i = 0; i < pairs.n && err == 0;) {
        size_t j = i;
        struct strbuf list = STRBUF_INIT;

        fns.n = 0;
        while (j < pairs.n && pairs.v[j] >> 32 == pairs.v[i] >> 32)
            j++;
        for (size_t k = i; k < j && err == 0; k++) {
            uint32_t fn = topo_fn_order(t, (uint32_t)pairs.v[k]);

            err = vec_push(&fns, fn);
            strbuf_printf(&list, "%s%s (%s)",
                          k == i       ? ""
                          : k + 1 == j ? " and "
                                       : ", ",
                          check_bdf(a, t, fn), topo_fn_id(t, fn));
        }
        if (err == 0 && j - i > 1) {
            struct strbuf why = STRBUF_INIT;
            uint32_t sid = (uint32_t)(pairs.v[i] >> 32);

            duplicate_verdict(&why, &r->in, t, sid, first_probed(mr, fns.v, fns.n),
                              second_probed(mr, fns.v, fns.n));
            snprintf(subject, sizeof(subject), "0x%04x", sid);
            err = check_add(r, FINDING_DUPLICATE_STREAM_ID, m, subject, fns.v, fns.n,
                            "StreamID %s is claimed by %s on %s; %s", subject, strbuf_cstr(&list),
                            u->id, strbuf_cstr(&why));
            strbuf_fini(&why);
        }
        strbuf_fini(&list);
        i = j;
    }
    vec_free(&pairs);
    vec_free(&fns);
    return err;
}

int check_stream_ids(struct check_result *r)
{
    int err = SIM_OK;

    for (unsigned m = 0; m < CHECK_MACHINE_COUNT && err == 0; m++) {
        const struct topology *t = r->m[m].t;

        for (uint32_t i = 0; t && i < topo_iommu_count(t) && err == 0; i++)
            if (topo_iommu_get(t, i)->kind == TOPO_IOMMU_SMMUV3)
                err = smmu_streams(r, (enum check_machine)m, i);
    }
    return err;
}

/* --- DMA requests ------------------------------------------------------------------------- */

/* The reserved regions of fn's group: its IOMMU's and every member's own (FORMAT.md 1.3). */
static int group_reserved(const struct machine_result *mr, uint32_t fn, struct iova_set *out)
{
    const struct topology *t = mr->t;
    uint32_t ui = alias_fn_iommu(mr->ctx, fn), g = alias_group_of(mr->groups, fn);
    size_t n = 1, nr;
    const uint32_t *mem;
    int err;

    if (ui == TOPO_NONE)
        return SIM_OK;
    if ((err = iommu_reserved(topo_iommu_get(t, ui), out)) < 0)
        return err;
    mem = g == ALIAS_NO_GROUP ? &fn : alias_group_members(mr->groups, g, &n);
    if (g == ALIAS_NO_GROUP)
        n = 1;
    for (size_t i = 0; i < n; i++) {
        const struct topo_resv *rv = topo_fn_reserved(t, mem[i], &nr);

        for (size_t k = 0; k < nr; k++)
            if ((err = iova_set_add(out, rv[k].base, rv[k].base + (rv[k].size - 1))) < 0)
                return err;
    }
    return SIM_OK;
}

static const char *errno_text(const struct check_input *in)
{
    return check_linux_before(in, 5, 4)
               ? "-EFAULT (-14, \"Bad address\"; kernels before 5.4)"
               : "-EINVAL (-22; since 5.4 VFIO checks maps against its valid IOVA list)";
}

static int one_request(struct check_result *r, const struct check_dma *q)
{
    const struct machine_result *mr = &r->m[q->machine];
    const struct topology *t = mr->t;
    uint32_t ui = alias_fn_iommu(mr->ctx, q->fn);
    const struct topo_iommu *u = ui == TOPO_NONE ? NULL : topo_iommu_get(t, ui);
    uint64_t end = q->iova + (q->size - 1);
    uint64_t limit = iommu_dma_limit(u, topo_fn_dma_bits(t, q->fn));
    bool outside = u && end > iommu_width_last(u->address_bits);
    struct iova_set resv = { NULL, 0, 0 };
    const struct iova_range *hit;
    char subject[48], a[BDF_STRLEN];
    const char *id = topo_fn_id(t, q->fn);
    int err = SIM_OK;

    check_range(subject, sizeof(subject), q->iova, end);
    if (outside)
        err = check_add(r, FINDING_MAPPING_OUTSIDE_IOMMU_WIDTH, q->machine, subject, &q->fn, 1,
                        "DMA map %s for %s (%s) ends above the %u-bit input space of %s (last IOVA "
                        "0x%" PRIx64 "): VFIO_IOMMU_MAP_DMA fails with %s",
                        subject, id, check_bdf(a, t, q->fn), u->address_bits, u->id,
                        iommu_width_last(u->address_bits), errno_text(&r->in));
    if (err == 0 && u && (err = group_reserved(mr, q->fn, &resv)) == 0 &&
        (hit = iova_set_overlap(&resv, q->iova, end)))
        err = check_add(
            r, FINDING_IOVA_IN_RESERVED_REGION, q->machine, subject, &q->fn, 1,
            "DMA map %s for %s (%s) overlaps the reserved region 0x%" PRIx64 "-0x%" PRIx64
            " of its group on %s (%s): %s",
            subject, id, check_bdf(a, t, q->fn), hit->start, hit->end, u->id,
            hit->start == 0x8000000    ? "the software MSI window"
            : hit->start == 0xfee00000 ? "the x86 MSI range"
                                       : "reserved",
            check_linux_before(&r->in, 5, 4)
                ? "before 5.4 VFIO does not check reserved regions, so the map succeeds and "
                  "collides with the MSI doorbell mapping (9b77e5c79840 added the check)"
                : "VFIO_IOMMU_MAP_DMA fails with -EINVAL (-22): the range is not in the IOVA "
                  "ranges VFIO reports");
    if (err == 0 && end > limit) {
        bool bus =
            u && u->dma_limit_bits &&
            iommu_width_last(u->dma_limit_bits) <= iommu_width_last(topo_fn_dma_bits(t, q->fn));

        err = check_add(
            r, FINDING_IOVA_BEYOND_DMA_LIMIT, q->machine, subject, &q->fn, 1,
            "DMA map %s for %s (%s) lies above its DMA limit 0x%" PRIx64 " (%s%u bits)%s", subject,
            id, check_bdf(a, t, q->fn), limit,
            bus ? "the root complex's bus limit from IORT, " : "the function's dma_bits, ",
            bus ? u->dma_limit_bits : topo_fn_dma_bits(t, q->fn),
            outside ? ""
                    : ": the map itself succeeds, since VFIO reports IOVA ranges up "
                      "to the IOMMU's width, but the device cannot reach the address");
    }
    iova_set_fini(&resv);
    return err;
}

int check_dma_requests(struct check_result *r)
{
    int err = SIM_OK;

    for (size_t i = 0; i < r->in.ndma && err == 0; i++)
        if (r->m[r->in.dma[i].machine].t)
            err = one_request(r, &r->in.dma[i]);
    return err;
}

/* --- Address widths ---------------------------------------------------------------------- */

/* An IOMMU a machine's DMA goes through, with the machine whose IOMMU it is. */
struct unit {
    enum check_machine machine;
    uint32_t iommu;
};

#define MAX_UNITS 32

/* The IOMMUs that must map machine m's memory: its own, and for a guest with assigned
 * functions, the host IOMMUs translating those (VFIO maps guest RAM into them). */
static size_t units_of(const struct check_result *r, enum check_machine m, struct unit *out)
{
    const struct topology *t = r->m[m].t;
    size_t n = 0;

    for (uint32_t i = 0; i < topo_iommu_count(t) && n < MAX_UNITS; i++)
        out[n++] = (struct unit){ m, i };
    if (m == CHECK_GUEST && r->m[CHECK_HOST].t) {
        for (uint32_t gf = 0; gf < topo_fn_count(t); gf++) {
            uint32_t hf = topo_fn_passthrough(t, gf), hu;
            bool seen = false;

            if (hf == TOPO_NONE || (hu = alias_fn_iommu(r->m[CHECK_HOST].ctx, hf)) == TOPO_NONE)
                continue;
            for (size_t k = 0; k < n; k++)
                seen |= out[k].machine == CHECK_HOST && out[k].iommu == hu;
            if (!seen && n < MAX_UNITS)
                out[n++] = (struct unit){ CHECK_HOST, hu };
        }
    }
    return n;
}

static const struct topo_iommu *unit_iommu(const struct check_result *r, struct unit u)
{
    return topo_iommu_get(r->m[u.machine].t, u.iommu);
}

/* QEMU's vfio_device_check_address_space() and what it means for RAM and peer-to-peer. */
static int cpu_width(struct check_result *r, enum check_machine m, const struct unit *units,
                     size_t n)
{
    const struct topo_platform *p = topo_platform_get(r->m[m].t);
    unsigned bits = p->guest_phys_bits ? p->guest_phys_bits : p->cpu_phys_bits;
    const char *which = p->guest_phys_bits ? "guest_phys_bits" : "cpu_phys_bits";
    int err = SIM_OK;

    if (!bits)
        return SIM_OK;
    for (size_t i = 0; i < n && err == 0; i++) {
        const struct topo_iommu *u = unit_iommu(r, units[i]);

        if (u->address_bits >= bits ||
            check_reported(r, FINDING_CPU_PHYS_BITS_EXCEED_IOMMU_WIDTH, m, u->id))
            continue;
        if (m == CHECK_GUEST && units[i].machine == CHECK_HOST)
            err = check_add(r, FINDING_CPU_PHYS_BITS_EXCEED_IOMMU_WIDTH, m, u->id, NULL, 0,
                            "Host physical address space (%u) is larger than the host IOMMU "
                            "address space (%u): QEMU's warning for an assigned device, the "
                            "guest's %s %u being wider than the host's %s %s, so guest memory and "
                            "BARs placed above 2^%u cannot be DMA-mapped "
                            "(p2p-bar-outside-iommu-width and ram-beyond-iommu-width say which)",
                            bits, u->address_bits, which, bits, topo_iommu_kind_names[u->kind],
                            u->id, u->address_bits);
        else
            err = check_add(r, FINDING_CPU_PHYS_BITS_EXCEED_IOMMU_WIDTH, m, u->id, NULL, 0,
                            "the %s's %s %u is wider than its %s %s (%u bits): memory and BARs "
                            "the CPU can place above 2^%u cannot be mapped for DMA "
                            "(p2p-bar-outside-iommu-width and ram-beyond-iommu-width say which)",
                            check_machine_names[m], which, bits,
                            m == CHECK_GUEST ? "vIOMMU" : "IOMMU", u->id, u->address_bits,
                            u->address_bits);
    }
    return err;
}

/* The narrowest of the units, or NULL. */
static const struct topo_iommu *narrowest(const struct check_result *r, const struct unit *units,
                                          size_t n)
{
    const struct topo_iommu *best = NULL;

    for (size_t i = 0; i < n; i++) {
        const struct topo_iommu *u = unit_iommu(r, units[i]);

        if (!best || u->address_bits < best->address_bits)
            best = u;
    }
    return best;
}

static int ram_width(struct check_result *r, enum check_machine m, const struct unit *units,
                     size_t n)
{
    const struct topo_platform *p = topo_platform_get(r->m[m].t);
    const struct topo_iommu *u = narrowest(r, units, n);
    char subject[48];
    int err = SIM_OK;

    for (size_t i = 0; u && i < p->nram && err == 0; i++) {
        uint64_t end = p->ram[i].base + (p->ram[i].size - 1);

        if (end <= iommu_width_last(u->address_bits))
            continue;
        check_range(subject, sizeof(subject), p->ram[i].base, end);
        err = check_add(
            r, FINDING_RAM_BEYOND_IOMMU_WIDTH, m, subject, NULL, 0,
            "RAM %s of the %s reaches above 2^%u, the width of %s (%s): %s", subject,
            check_machine_names[m], u->address_bits, u->id, topo_iommu_kind_names[u->kind],
            m == CHECK_GUEST ? "VFIO maps guest RAM at its guest-physical address, and the map of "
                               "the part above fails (vfio_dma_map: -EINVAL), which QEMU treats as "
                               "fatal for the assigned device"
                             : "devices behind it cannot DMA to the RAM above (the DMA API must "
                               "bounce, a VFIO user cannot map it)");
    }
    return err;
}

static int p2p_range(struct check_result *r, enum check_machine m, const struct topo_iommu *u,
                     uint64_t start, uint64_t end, const uint32_t *fn, const char *what)
{
    char subject[48];
    const char *why;

    if (!u || end <= iommu_width_last(u->address_bits))
        return SIM_OK;
    check_range(subject, sizeof(subject), start, end);
    if (check_reported(r, FINDING_P2P_BAR_OUTSIDE_IOMMU_WIDTH, m, subject))
        return SIM_OK;
    if (m == CHECK_GUEST && fn)
        why = "QEMU's VFIO listener cannot DMA-map it for peer-to-peer (vfio_container_dma_map "
              "fails with -EINVAL) and warns that PCI peer-to-peer transactions on BARs are not "
              "supported";
    else if (m == CHECK_GUEST)
        why = "BARs the guest firmware places there cannot be DMA-mapped for peer-to-peer, so "
              "peer-to-peer DMA to assigned devices fails";
    else if (!fn)
        why = "BARs placed there are out of reach of peer-to-peer DMA through the IOMMU";
    else
        why = "peer-to-peer DMA to it through the IOMMU cannot be mapped";
    return check_add(r, FINDING_P2P_BAR_OUTSIDE_IOMMU_WIDTH, m, subject, fn, fn ? 1 : 0,
                     "%s %s reaches above 2^%u, the width of %s (%s): %s", what, subject,
                     u->address_bits, u->id, topo_iommu_kind_names[u->kind], why);
}

/* Memory BARs of fn with an address, against u. */
static int p2p_bars(struct check_result *r, enum check_machine m, uint32_t fn,
                    const struct topo_iommu *u)
{
    const struct topology *t = r->m[m].t;
    struct topo_bar bar;
    int err = SIM_OK;
    char what[96];

    for (unsigned i = 0; i < TOPO_ROM_INDEX && err == 0; i++) {
        if (!topo_fn_bar(t, fn, i, &bar) || bar.type == TOPO_BAR_IO || !bar.address)
            continue;
        snprintf(what, sizeof(what), "BAR %u of %s", i, topo_fn_id(t, fn));
        err = p2p_range(r, m, u, bar.address, bar.address + (bar.size - 1), &fn, what);
    }
    return err;
}

static int p2p_width(struct check_result *r, enum check_machine m, const struct unit *units,
                     size_t n)
{
    const struct topology *t = r->m[m].t;
    const struct topo_platform *p = topo_platform_get(t);
    const struct topo_iommu *mmio_u = NULL;
    int err = SIM_OK;

    if (m == CHECK_HOST) {
        for (uint32_t fn = 0; fn < topo_fn_count(t) && err == 0; fn++) {
            uint32_t ui = alias_fn_iommu(r->m[m].ctx, fn);

            if (ui != TOPO_NONE)
                err = p2p_bars(r, m, fn, topo_iommu_get(t, ui));
        }
        mmio_u = narrowest(r, units, n);
    } else if (r->m[CHECK_HOST].t) {
        /* a guest: what VFIO maps into the host IOMMU for its assigned functions */
        struct unit host_units[MAX_UNITS];
        size_t nh = 0;

        for (uint32_t gf = 0; gf < topo_fn_count(t) && err == 0; gf++) {
            uint32_t hf = topo_fn_passthrough(t, gf), hu;

            if (hf == TOPO_NONE || (hu = alias_fn_iommu(r->m[CHECK_HOST].ctx, hf)) == TOPO_NONE)
                continue;
            err = p2p_bars(r, m, gf, topo_iommu_get(r->m[CHECK_HOST].t, hu));
            if (nh < MAX_UNITS)
                host_units[nh++] = (struct unit){ CHECK_HOST, hu };
        }
        mmio_u = narrowest(r, host_units, nh);
    }
    if (err == 0 && p->has_mmio64 && mmio_u)
        err = p2p_range(r, m, mmio_u, p->mmio64.base, p->mmio64.base + (p->mmio64.size - 1), NULL,
                        "the 64-bit MMIO window");
    return err;
}

/* QEMU vtd_check_hiod(): a vIOMMU wider than the host IOMMU under an assigned function. */
static int viommu_width(struct check_result *r)
{
    const struct machine_result *g = &r->m[CHECK_GUEST], *h = &r->m[CHECK_HOST];
    int err = SIM_OK;
    char name[BDF_STRLEN];

    if (!g->t || !h->t)
        return SIM_OK;
    for (uint32_t gf = 0; gf < topo_fn_count(g->t) && err == 0; gf++) {
        uint32_t hf = topo_fn_passthrough(g->t, gf), gu, hu;
        const struct topo_iommu *gi, *hi;

        if (hf == TOPO_NONE || (gu = alias_fn_iommu(g->ctx, gf)) == TOPO_NONE ||
            (hu = alias_fn_iommu(h->ctx, hf)) == TOPO_NONE)
            continue;
        gi = topo_iommu_get(g->t, gu);
        hi = topo_iommu_get(h->t, hu);
        if (gi->address_bits <= hi->address_bits ||
            check_reported(r, FINDING_VIOMMU_WIDER_THAN_HOST, CHECK_GUEST, gi->id))
            continue;
        err = check_add(r, FINDING_VIOMMU_WIDER_THAN_HOST, CHECK_GUEST, gi->id, &gf, 1,
                        "vfio %s: Failed to set vIOMMU: aw-bits %u > host aw-bits %u (the guest's "
                        "%s %s translates %s, whose host function is behind %s): the assigned "
                        "device cannot be added",
                        bdf_format(name, topo_fn_bdf(h->t, hf), true), gi->address_bits,
                        hi->address_bits, topo_iommu_kind_names[gi->kind], gi->id,
                        topo_fn_id(g->t, gf), hi->id);
    }
    return err;
}

int check_widths(struct check_result *r)
{
    int err = SIM_OK;

    for (unsigned m = 0; m < CHECK_MACHINE_COUNT && err == 0; m++) {
        struct unit units[MAX_UNITS];
        size_t n;

        if (!r->m[m].t)
            continue;
        n = units_of(r, (enum check_machine)m, units);
        if ((err = cpu_width(r, (enum check_machine)m, units, n)) == 0 &&
            (err = ram_width(r, (enum check_machine)m, units, n)) == 0)
            err = p2p_width(r, (enum check_machine)m, units, n);
    }
    return err ? err : viommu_width(r);
}

/* --- Virtio ------------------------------------------------------------------------------- */

int check_virtio(struct check_result *r)
{
    int err = SIM_OK;
    char a[BDF_STRLEN];

    for (unsigned m = 0; m < CHECK_MACHINE_COUNT && err == 0; m++) {
        const struct topology *t = r->m[m].t;
        const struct topo_platform *p;

        if (!t)
            continue;
        p = topo_platform_get(t);
        for (uint32_t fn = 0; fn < topo_fn_count(t) && err == 0; fn++) {
            uint32_t ui = alias_fn_iommu(r->m[m].ctx, fn);
            bool ap;

            if (!topo_fn_virtio(t, fn, &ap) || ap)
                continue;
            if (ui != TOPO_NONE) {
                const struct topo_iommu *u = topo_iommu_get(t, ui);

                err = check_add(r, FINDING_VIRTIO_DMA_BYPASSES_TRANSLATION, (enum check_machine)m,
                                topo_fn_id(t, fn), &fn, 1,
                                "virtio device %s (%s) did not negotiate VIRTIO_F_ACCESS_PLATFORM "
                                "(bit 33), so its DMA bypasses %s (%s) and uses physical "
                                "addresses: a driver that maps its buffers through the DMA API "
                                "hands it IOVAs and it reads the wrong memory; Linux's "
                                "vring_use_dma_api() falls back to physical addresses, which "
                                "works but leaves the device outside the IOMMU's isolation",
                                check_bdf(a, t, fn), topo_fn_id(t, fn), u->id,
                                topo_iommu_kind_names[u->kind]);
                continue;
            }
            for (size_t w = 0; w < p->ndma_windows && err == 0; w++) {
                const struct topo_dma_window *dw = &p->dma_windows[w];

                if (dw->bus_base == dw->phys_base && !dw->scatter_gather)
                    continue; /* an identity window translates nothing */
                err = check_add(
                    r, FINDING_VIRTIO_DMA_BYPASSES_TRANSLATION, (enum check_machine)m,
                    topo_fn_id(t, fn), &fn, 1,
                    "virtio device %s (%s) did not negotiate VIRTIO_F_ACCESS_PLATFORM (bit 33), so "
                    "it "
                    "treats the addresses its driver gives it as physical, but the driver maps "
                    "buffers through the platform DMA window bus 0x%" PRIx64 "-0x%" PRIx64
                    " -> physical 0x%" PRIx64 "-0x%" PRIx64 "%s (physical = 0x%" PRIx64
                    " + (bus - 0x%" PRIx64 ")): a buffer at physical 0x%" PRIx64
                    " is handed over as 0x%" PRIx64 " and the device reads the wrong memory",
                    check_bdf(a, t, fn), topo_fn_id(t, fn), dw->bus_base,
                    dw->bus_base + (dw->size - 1), dw->phys_base, dw->phys_base + (dw->size - 1),
                    dw->scatter_gather ? ", scatter-gather" : "", dw->phys_base, dw->bus_base,
                    dw->phys_base, dw->bus_base);
                break; /* one finding per function: the subject is the function */
            }
        }
    }
    return err;
}

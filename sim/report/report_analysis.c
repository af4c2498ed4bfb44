/* Report -- aliases, groups, findings and the check report as text. */
#include "sim/report/report.h"

#include <stdio.h>

#include "sim/iommu/iommu.h"
#include "sim/topology/pci_regs.h"

static const char *severity_name(enum finding_severity s)
{
    return s == FINDING_ERROR ? "error" : "warning";
}

static void fn_label(struct strbuf *out, const struct topology *t, uint32_t fn)
{
    char b[BDF_STRLEN];

    strbuf_printf(out, "%s %s", bdf_format(b, topo_fn_bdf(t, fn), !topo_single_segment(t)),
                  topo_fn_id(t, fn));
}

struct alias_line {
    struct strbuf *out;
    uint32_t fn;
    unsigned n;
};

static int alias_line_cb(const struct alias_ctx *ctx, uint32_t owner, struct alias_rid rid,
                         void *data)
{
    struct alias_line *l = data;
    const struct topology *t = alias_ctx_topology(ctx);
    char b[BDF_STRLEN];
    bool seg = !topo_single_segment(t) || rid.segment != topo_fn_bdf(t, l->fn).domain;

    strbuf_printf(l->out, "%s%s", l->n++ ? ", " : " ", alias_rid_format(b, rid, seg));
    if (owner != l->fn)
        strbuf_printf(l->out, " (%s)", topo_fn_id(t, owner));
    return 0;
}

void report_aliases_text(struct strbuf *out, const struct check_result *r)
{
    for (unsigned m = 0; m < CHECK_MACHINE_COUNT; m++) {
        const struct topology *t = check_topology(r, (enum check_machine)m);

        if (!t)
            continue;
        strbuf_printf(out, "%s%s:\n", out->len ? "\n" : "", check_machine_names[m]);
        for (uint32_t i = 0; i < topo_fn_count(t); i++) {
            uint32_t fn = topo_fn_order(t, i);
            struct alias_line l = { out, fn, 0 };

            struct alias_as as = check_address_space(r, (enum check_machine)m, fn);

            fn_label(out, t, fn);
            strbuf_putc(out, ':');
            alias_for_each(check_alias(r, (enum check_machine)m), fn, alias_line_cb, &l);
            if (as.iommu != TOPO_NONE) {
                strbuf_puts(out, "; address space ");
                alias_as_format(out, check_alias(r, (enum check_machine)m), as);
            }
            strbuf_putc(out, '\n');
        }
    }
}

static void group_line(struct strbuf *out, const struct check_result *r, enum check_machine m,
                       uint32_t gid)
{
    const struct topology *t = check_topology(r, m);
    const struct alias_groups *g = check_groups(r, m);
    size_t n;
    const uint32_t *mem = alias_group_members(g, gid, &n);

    strbuf_printf(out, "group %u (%s):", gid, topo_iommu_get(t, alias_group_iommu(g, gid))->id);
    for (size_t i = 0; i < n; i++) {
        strbuf_puts(out, i ? ", " : " ");
        fn_label(out, t, mem[i]);
    }
    strbuf_putc(out, '\n');
}

static void group_reasons(struct strbuf *out, const struct check_result *r, enum check_machine m,
                          uint32_t gid, const char *indent)
{
    size_t n;
    const struct alias_reason *why = alias_group_reasons(check_groups(r, m), gid, &n);

    for (size_t i = 0; i < n; i++) {
        strbuf_printf(out, "%sbecause ", indent);
        alias_reason_format(out, check_alias(r, m), &why[i]);
        strbuf_putc(out, '\n');
    }
}

static void uncovered(struct strbuf *out, const struct check_result *r, enum check_machine m)
{
    const struct topology *t = check_topology(r, m);
    unsigned n = 0;
    char b[BDF_STRLEN];

    for (uint32_t i = 0; i < topo_fn_count(t); i++) {
        uint32_t fn = topo_fn_order(t, i), sid, owner;

        if (alias_group_of(check_groups(r, m), fn) != ALIAS_NO_GROUP)
            continue;
        if (check_probe_failure(r, m, fn, &sid, &owner)) {
            strbuf_puts(out, "no group, probe failed: ");
            fn_label(out, t, fn);
            if (owner == fn)
                strbuf_printf(out,
                              " (presents stream 0x%04x twice: \"stream %u already in tree\")\n",
                              sid, sid);
            else
                strbuf_printf(out, " (\"stream %u already in tree from dev %s\")\n", sid,
                              bdf_format(b, topo_fn_bdf(t, owner), true));
            continue;
        }
        n++;
    }
    for (uint32_t i = 0, k = 0; n && i < topo_fn_count(t); i++) {
        uint32_t fn = topo_fn_order(t, i), sid, owner;

        if (alias_group_of(check_groups(r, m), fn) != ALIAS_NO_GROUP ||
            check_probe_failure(r, m, fn, &sid, &owner))
            continue;
        strbuf_puts(out, k++ ? ", " : "no group (no IOMMU translates their DMA): ");
        fn_label(out, t, fn);
    }
    if (n)
        strbuf_putc(out, '\n');
}

void report_groups_text(struct strbuf *out, const struct check_result *r, bool explain)
{
    for (unsigned m = 0; m < CHECK_MACHINE_COUNT; m++) {
        enum check_machine mm = (enum check_machine)m;
        const struct alias_groups *g = check_groups(r, mm);

        if (!g)
            continue;
        strbuf_printf(out, "%s%s:\n", out->len ? "\n" : "", check_machine_names[m]);
        for (uint32_t gid = 0; gid < alias_group_count(g); gid++) {
            group_line(out, r, mm, gid);
            if (explain)
                group_reasons(out, r, mm, gid, "  ");
        }
        uncovered(out, r, mm);
    }
}

void report_findings_text(struct strbuf *out, const struct check_result *r)
{
    for (size_t i = 0; i < check_finding_count(r); i++) {
        const struct finding *f = check_finding(r, i);

        strbuf_printf(out, "%s %s [%s] %s: %s\n", severity_name(f->severity),
                      finding_code_names[f->code], check_machine_names[f->machine], f->subject,
                      f->message);
    }
}

/* ANSI SGR sequences, or nothing. */
struct paint {
    const char *error, *warning, *ok, *dim, *bold, *off;
};

static const struct paint colours = { "\033[1;31m", "\033[1;33m", "\033[32m",
                                      "\033[2m",    "\033[1m",    "\033[0m" };
static const struct paint plain = { "", "", "", "", "", "" };

/* The functions a finding names, each with the requester IDs its DMA carries. */
static void finding_functions(struct strbuf *out, const struct check_result *r,
                              const struct finding *f, const struct paint *p)
{
    const struct topology *t = check_topology(r, f->machine);

    for (size_t i = 0; t && i < f->nfunctions; i++) {
        uint32_t fn = topo_fn_find(t, f->functions[i]);
        struct alias_line l = { out, fn, 0 };

        if (fn == TOPO_NONE)
            continue;
        strbuf_printf(out, "  %swhy:%s  ", p->dim, p->off);
        fn_label(out, t, fn);
        strbuf_puts(out, ": its DMA carries");
        alias_for_each(check_alias(r, f->machine), fn, alias_line_cb, &l);
        strbuf_putc(out, '\n');
    }
}

/* Whether the requester IDs of a finding's functions explain it. */
static bool carries_matter(enum finding_code code)
{
    return code == FINDING_DUPLICATE_STREAM_ID || code == FINDING_REPEATED_STREAM_ID ||
           code == FINDING_IOVA_IN_RESERVED_REGION || code == FINDING_IOVA_BEYOND_DMA_LIMIT ||
           code == FINDING_GROUP_MISMATCH;
}

/*
 * One finding for a person: the line report_findings_text() prints, then the rule that fired,
 * the reasoning (for a group, why Linux could not split it; else the requester IDs of the
 * functions involved) and where the rule lives upstream.
 */
static void finding_block(struct strbuf *out, const struct check_result *r, const struct finding *f,
                          const struct paint *p)
{
    unsigned gid = 0;
    bool group = (f->code == FINDING_GROUP_IN_MULTIPLE_ADDRESS_SPACES ||
                  f->code == FINDING_PARTIAL_GROUP_ASSIGNMENT) &&
                 sscanf(f->subject, "group %u", &gid) == 1 && check_groups(r, CHECK_HOST) &&
                 gid < alias_group_count(check_groups(r, CHECK_HOST));

    strbuf_printf(out, "%s%s%s %s%s%s [%s] %s: %s\n",
                  f->severity == FINDING_ERROR ? p->error : p->warning, severity_name(f->severity),
                  p->off, p->bold, finding_code_names[f->code], p->off,
                  check_machine_names[f->machine], f->subject, f->message);
    strbuf_printf(out, "  %srule:%s %s\n", p->dim, p->off, finding_rule(f->code));
    if (group) {
        strbuf_printf(out, "  %swhy:%s  host ", p->dim, p->off);
        group_line(out, r, CHECK_HOST, gid);
        group_reasons(out, r, CHECK_HOST, gid, "         ");
    } else if (f->nfunctions <= 4 && carries_matter(f->code)) {
        finding_functions(out, r, f, p);
    }
    strbuf_printf(out, "  %ssee:%s  %s\n", p->dim, p->off, finding_reference(f->code));
}

void report_check_text(struct strbuf *out, const char *path, const char *scenario,
                       const struct check_result *r, bool colour)
{
    const struct paint *p = colour ? &colours : &plain;
    size_t errors = 0;

    strbuf_printf(out, "%s== %s (%s)%s\n", p->bold, path, scenario, p->off);
    for (unsigned m = 0; m < CHECK_MACHINE_COUNT; m++) {
        enum check_machine mm = (enum check_machine)m;
        const struct topology *t = check_topology(r, mm);
        const struct alias_groups *g = check_groups(r, mm);
        const struct topo_platform *pf;

        if (!t)
            continue;
        pf = topo_platform_get(t);
        strbuf_printf(out, "%s: %zu function%s, %zu IOMMU group%s;", check_machine_names[m],
                      topo_fn_count(t), topo_fn_count(t) == 1 ? "" : "s", alias_group_count(g),
                      alias_group_count(g) == 1 ? "" : "s");
        if (!topo_iommu_count(t))
            strbuf_puts(out, " no IOMMU");
        for (uint32_t i = 0; i < topo_iommu_count(t); i++) {
            const struct topo_iommu *u = topo_iommu_get(t, i);

            strbuf_printf(out, "%s %s %s %u-bit", i ? "," : "", u->id,
                          topo_iommu_kind_names[u->kind], u->address_bits);
        }
        if (pf->cpu_phys_bits)
            strbuf_printf(out, "; CPU %u-bit", pf->cpu_phys_bits);
        strbuf_putc(out, '\n');
        for (uint32_t gid = 0; gid < alias_group_count(g); gid++) {
            size_t n;

            alias_group_members(g, gid, &n);
            if (n < 2)
                continue;
            strbuf_puts(out, "  ");
            group_line(out, r, mm, gid);
            group_reasons(out, r, mm, gid, "    ");
        }
    }
    if (!check_finding_count(r)) {
        strbuf_printf(out, "%sfindings: none%s\n", p->ok, p->off);
        return;
    }
    for (size_t i = 0; i < check_finding_count(r); i++)
        errors += check_finding(r, i)->severity == FINDING_ERROR;
    strbuf_printf(out, "findings: %zu (%zu error%s, %zu warning%s)\n", check_finding_count(r),
                  errors, errors == 1 ? "" : "s", check_finding_count(r) - errors,
                  check_finding_count(r) - errors == 1 ? "" : "s");
    for (size_t i = 0; i < check_finding_count(r); i++)
        finding_block(out, r, check_finding(r, i), p);
}

static void ranges_line(struct strbuf *out, const char *label, const struct iova_set *s)
{
    strbuf_printf(out, "  %-8s", label);
    if (!s->n)
        strbuf_puts(out, " (none)");
    for (size_t i = 0; i < s->n; i++) {
        strbuf_puts(out, i ? ", " : " ");
        iommu_format_range(out, s->v[i].start, s->v[i].end);
    }
    strbuf_putc(out, '\n');
}

void report_iova_text(struct strbuf *out, const struct check_result *r)
{
    for (unsigned m = 0; m < CHECK_MACHINE_COUNT; m++) {
        enum check_machine mm = (enum check_machine)m;
        const struct topology *t = check_topology(r, mm);
        const struct alias_groups *g = check_groups(r, mm);

        if (!t)
            continue;
        strbuf_printf(out, "%s%s:\n", out->len ? "\n" : "", check_machine_names[m]);
        if (!topo_iommu_count(t))
            strbuf_puts(out, "no IOMMU: DMA is untranslated\n");
        for (uint32_t ui = 0; ui < topo_iommu_count(t); ui++) {
            const struct topo_iommu *u = topo_iommu_get(t, ui);
            struct iova_set resv = { NULL, 0, 0 }, vfio = { NULL, 0, 0 }, use = { NULL, 0, 0 };

            strbuf_printf(out, "%s (%s, %u-bit", u->id, topo_iommu_kind_names[u->kind],
                          u->address_bits);
            if (u->dma_limit_bits)
                strbuf_printf(out, ", bus DMA limit %u bits", u->dma_limit_bits);
            strbuf_puts(out, "):\n");
            iommu_reserved(u, &resv);
            iommu_iova_unit(check_alias(r, mm), ui, &vfio, &use);
            ranges_line(out, "reserved", &resv);
            ranges_line(out, "vfio", &vfio);
            ranges_line(out, "usable", &use);
            iova_set_fini(&resv);
            iova_set_fini(&vfio);
            iova_set_fini(&use);
        }
        for (uint32_t gid = 0; gid < alias_group_count(g); gid++) {
            struct iova_set vfio = { NULL, 0, 0 }, use = { NULL, 0, 0 };

            group_line(out, r, mm, gid);
            iommu_iova_group(check_alias(r, mm), g, gid, &vfio, &use);
            ranges_line(out, "vfio", &vfio);
            ranges_line(out, "usable", &use);
            iova_set_fini(&vfio);
            iova_set_fini(&use);
        }
    }
}

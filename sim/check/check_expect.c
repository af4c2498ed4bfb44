/* Check -- comparing results with a scenario's expect section. */
#include "sim/check/check.h"

#include <stdlib.h>
#include <string.h>

/* Findings: an exact multiset of (code, subject). Each expected entry consumes one actual. */
static bool compare_findings(struct strbuf *out, const struct check_result *r,
                             const struct check_expect *x)
{
    size_t n = check_finding_count(r);
    bool *used = calloc(n ? n : 1, sizeof(bool));
    bool ok = true;

    if (!used) {
        strbuf_puts(out, "  out of memory comparing findings\n");
        return false;
    }
    for (size_t i = 0; i < x->nfindings; i++) {
        const struct check_expect_finding *e = &x->findings[i];
        bool found = false;

        for (size_t k = 0; k < n && !found; k++) {
            const struct finding *f = check_finding(r, k);

            if (!used[k] && f->code == e->code && strcmp(f->subject, e->subject) == 0)
                used[k] = found = true;
        }
        if (!found) {
            strbuf_printf(out, "  missing finding %s %s\n", finding_code_names[e->code],
                          e->subject);
            ok = false;
        }
    }
    for (size_t k = 0; k < n; k++) {
        const struct finding *f = check_finding(r, k);

        if (!used[k]) {
            strbuf_printf(out, "  extra finding %s %s: %s\n", finding_code_names[f->code],
                          f->subject, f->message);
            ok = false;
        }
    }
    free(used);
    return ok;
}

static void fn_name(struct strbuf *out, const struct topology *t, uint32_t fn)
{
    char b[BDF_STRLEN];

    strbuf_printf(out, "%s (%s)", topo_fn_id(t, fn),
                  bdf_format(b, topo_fn_bdf(t, fn), !topo_single_segment(t)));
}

/* Groups: the computed partition restricted to the listed functions equals the expected. */
static bool compare_groups(struct strbuf *out, const struct check_result *r, enum check_machine m,
                           const struct check_expect_groups *x)
{
    const struct topology *t = check_topology(r, m);
    const struct alias_groups *g = check_groups(r, m);
    bool ok = true;

    for (size_t a = 0; a < x->ngroups; a++) {
        for (uint32_t i = x->start[a]; i < x->start[a + 1]; i++) {
            uint32_t fi = x->members[i], gi = alias_group_of(g, fi);

            if (gi == ALIAS_NO_GROUP) {
                uint32_t sid, owner;

                strbuf_printf(out, "  %s groups: ", check_machine_names[m]);
                fn_name(out, t, fi);
                if (check_probe_failure(r, m, fi, &sid, &owner))
                    strbuf_printf(out,
                                  " is expected in a group, but arm-smmu-v3 rejects it at "
                                  "probe (stream 0x%04x already in tree from %s)\n",
                                  sid, topo_fn_id(t, owner));
                else
                    strbuf_puts(out, " is expected in a group, but no IOMMU covers it\n");
                ok = false;
                continue;
            }
            /* with the first member of its own expected group, and of every later group */
            for (size_t b = a; b < x->ngroups; b++) {
                uint32_t first = b == a ? x->start[a] : x->start[b];

                for (uint32_t k = first; k < x->start[b + 1]; k++) {
                    uint32_t fk = x->members[k];
                    bool together = alias_group_of(g, fk) == gi;

                    if (fk == fi || (b == a && k < i))
                        continue;
                    if (together != (b == a)) {
                        strbuf_printf(out, "  %s groups: ", check_machine_names[m]);
                        fn_name(out, t, fi);
                        strbuf_puts(out, " and ");
                        fn_name(out, t, fk);
                        strbuf_printf(out, " are expected %s, but dmasim puts them %s\n",
                                      b == a ? "together" : "apart",
                                      together ? "together" : "apart");
                        ok = false;
                    }
                }
            }
        }
    }
    return ok;
}

struct collect {
    struct alias_rid v[512];
    size_t n;
};

static int collect_cb(const struct alias_ctx *ctx, uint32_t owner, struct alias_rid rid, void *data)
{
    struct collect *c = data;

    (void)ctx;
    (void)owner;
    if (c->n < sizeof(c->v) / sizeof(c->v[0]))
        c->v[c->n++] = rid;
    return 0;
}

/* Aliases: exactly the expected requester IDs, in walk order. */
static bool compare_aliases(struct strbuf *out, const struct check_result *r,
                            const struct check_expect_alias *x)
{
    const struct topology *t = check_topology(r, x->machine);
    struct collect *c = calloc(1, sizeof(*c));
    bool ok;
    char b[BDF_STRLEN];

    if (!c)
        return false;
    alias_for_each(check_alias(r, x->machine), x->fn, collect_cb, c);
    ok = c->n == x->nrids;
    for (size_t i = 0; ok && i < c->n; i++) {
        struct bdf e = x->rids[i];

        ok = bdf_rid(e) == c->v[i].rid && (!x->has_domain[i] || e.domain == c->v[i].segment);
    }
    if (!ok) {
        strbuf_printf(out, "  aliases of %s: expected [", topo_fn_id(t, x->fn));
        for (size_t i = 0; i < x->nrids; i++)
            strbuf_printf(out, "%s%s", i ? ", " : "", bdf_format(b, x->rids[i], x->has_domain[i]));
        strbuf_puts(out, "], dmasim walks [");
        for (size_t i = 0; i < c->n; i++)
            strbuf_printf(out, "%s%s", i ? ", " : "",
                          alias_rid_format(b, c->v[i], c->v[i].segment != 0));
        strbuf_puts(out, "]\n");
    }
    free(c);
    return ok;
}

bool check_expect_compare(struct strbuf *out, const struct check_result *r,
                          const struct check_expect *x)
{
    bool ok = true;

    if (x->has_findings)
        ok &= compare_findings(out, r, x);
    for (unsigned m = 0; m < CHECK_MACHINE_COUNT; m++)
        if (x->groups[m].present && check_topology(r, (enum check_machine)m))
            ok &= compare_groups(out, r, (enum check_machine)m, &x->groups[m]);
    for (size_t i = 0; i < x->naliases; i++)
        ok &= compare_aliases(out, r, &x->aliases[i]);
    return ok;
}

/* Check -- running the analyses over a scenario's machines and collecting findings. */
#include "sim/check/check.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check/check_internal.h"

const char *const check_machine_names[CHECK_MACHINE_COUNT] = { "host", "guest" };

bool check_linux_before(const struct check_input *in, unsigned major, unsigned minor)
{
    const struct check_version *v = &in->linux_version;

    if (v->major == 0)
        return false; /* the current kernel */
    return v->major < major || (v->major == major && v->minor < minor);
}

bool check_qemu_aliases(const struct check_input *in)
{
    const struct check_version *q = &in->qemu_version;

    /* "pci: Use PCI aliases when determining device IOMMU address space", QEMU 4.2 */
    return q->major == 0 || q->major > 4 || (q->major == 4 && q->minor >= 2);
}

/* --- Findings ------------------------------------------------------------------------------ */

__attribute__((format(printf, 1, 0))) static char *vformat(const char *fmt, va_list ap)
{
    va_list copy;
    int n;
    char *s;

    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || !(s = malloc((size_t)n + 1)))
        return NULL;
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static int vadd(struct check_result *r, enum finding_code code, enum finding_severity sev,
                enum check_machine m, const char *subject, const uint32_t *fns, size_t nfns,
                const char *fmt, va_list ap) __attribute__((format(printf, 8, 0)));

/* Add a finding about fns[0..nfns) of machine m; the message is printf-formatted. */
static int vadd(struct check_result *r, enum finding_code code, enum finding_severity sev,
                enum check_machine m, const char *subject, const uint32_t *fns, size_t nfns,
                const char *fmt, va_list ap)
{
    struct finding f;
    int err;

    memset(&f, 0, sizeof(f));
    f.code = code;
    f.severity = sev;
    f.machine = m;
    f.subject = strdup(subject);
    f.functions = calloc(nfns ? nfns : 1, sizeof(char *));
    f.message = vformat(fmt, ap);
    for (size_t i = 0; f.functions && i < nfns; i++)
        f.functions[f.nfunctions++] = strdup(topo_fn_id(r->m[m].t, fns[i]));
    if (!f.subject || !f.functions || !f.message || (err = vec_push(&r->findings, f)) < 0) {
        for (size_t i = 0; i < f.nfunctions; i++)
            free(f.functions[i]);
        free(f.functions);
        free(f.subject);
        free(f.message);
        return SIM_ENOMEM;
    }
    return SIM_OK;
}

bool check_reported(const struct check_result *r, enum finding_code code, enum check_machine m,
                    const char *subject)
{
    for (size_t i = 0; i < r->findings.n; i++) {
        const struct finding *f = &r->findings.v[i];

        if (f->code == code && f->machine == m && strcmp(f->subject, subject) == 0)
            return true;
    }
    return false;
}

const char *check_bdf(char buf[BDF_STRLEN], const struct topology *t, uint32_t fn)
{
    return bdf_format(buf, topo_fn_bdf(t, fn), !topo_single_segment(t));
}

void check_range(char *buf, size_t len, uint64_t start, uint64_t end)
{
    snprintf(buf, len, "0x%" PRIx64 "-0x%" PRIx64, start, end);
}

int check_add(struct check_result *r, enum finding_code code, enum check_machine m,
              const char *subject, const uint32_t *fns, size_t nfns, const char *fmt, ...)
{
    va_list ap;
    int err;

    va_start(ap, fmt);
    err = vadd(r, code, finding_default_severity(code), m, subject, fns, nfns, fmt, ap);
    va_end(ap);
    return err;
}

int check_add_severity(struct check_result *r, enum finding_code code, enum finding_severity sev,
                       enum check_machine m, const char *subject, const uint32_t *fns, size_t nfns,
                       const char *fmt, ...)
{
    va_list ap;
    int err;

    va_start(ap, fmt);
    err = vadd(r, code, sev, m, subject, fns, nfns, fmt, ap);
    va_end(ap);
    return err;
}

static int cmp_finding(const void *a, const void *b)
{
    const struct finding *x = a, *y = b;
    int c;

    if (x->severity != y->severity)
        return x->severity < y->severity ? -1 : 1;
    if (x->code != y->code)
        return x->code < y->code ? -1 : 1;
    if (x->machine != y->machine)
        return x->machine < y->machine ? -1 : 1;
    if ((c = strcmp(x->subject, y->subject)) != 0)
        return c;
    return strcmp(x->message, y->message);
}

/* --- Host groups as VFIO sees them: declared when given, else computed ---------------------- */

struct vfio_groups {
    uint32_t *group_of; /* host function -> group number, ALIAS_NO_GROUP */
    size_t ngroups;
};

static int vfio_groups_init(struct vfio_groups *v, const struct machine_result *host)
{
    const struct topology *t = host->t;
    size_t nfn = topo_fn_count(t), ndecl = topo_group_count(t);

    v->group_of = malloc((nfn ? nfn : 1) * sizeof(uint32_t));
    if (!v->group_of)
        return SIM_ENOMEM;
    for (uint32_t fn = 0; fn < nfn; fn++)
        v->group_of[fn] = ndecl ? ALIAS_NO_GROUP : alias_group_of(host->groups, fn);
    v->ngroups = ndecl ? ndecl : alias_group_count(host->groups);
    for (uint32_t g = 0; g < ndecl; g++) {
        size_t n;
        const uint32_t *mem = topo_group_members(t, g, &n);

        for (size_t i = 0; i < n; i++)
            v->group_of[mem[i]] = g;
    }
    return SIM_OK;
}

/* Host members of group g, in (segment, bus, devfn) order. */
static int members_of(const struct machine_result *host, const struct vfio_groups *v, uint32_t g,
                      void *vec_)
{
    VEC(uint32_t) *out = vec_;
    const struct topology *t = host->t;
    int err;

    out->n = 0;
    for (size_t i = 0; i < topo_fn_count(t); i++) {
        uint32_t fn = topo_fn_order(t, (uint32_t)i);

        if (v->group_of[fn] == g && (err = vec_push(out, fn)) < 0)
            return err;
    }
    return SIM_OK;
}

static void host_name(char buf[BDF_STRLEN + 8], const struct topology *t, uint32_t fn)
{
    char b[BDF_STRLEN];

    /* vfio names devices by their sysfs name, which always has the segment */
    snprintf(buf, BDF_STRLEN + 8, "%s", bdf_format(b, topo_fn_bdf(t, fn), true));
}

/*
 * VFIO across host and guest: every assigned function of one host group must land in one
 * guest DMA address space (QEMU vfio_connect_container: "group N used in multiple address
 * spaces"), and a group is viable only when no member other than a bridge stays bound to a
 * host driver (vfio_group_viable: "group N is not viable").
 */
static int check_vfio(struct check_result *r)
{
    const struct machine_result *host = &r->m[CHECK_HOST], *guest = &r->m[CHECK_GUEST];
    bool aliases = check_qemu_aliases(&r->in);
    struct vfio_groups v = { NULL, 0 };
    VEC(uint32_t) hosts = { 0 };
    VEC(uint32_t) guests = { 0 };
    VEC(uint32_t) members = { 0 };
    uint32_t *assigned_to = NULL;
    int err = SIM_OK;

    if (!host->t || !guest->t)
        return SIM_OK;
    if ((err = vfio_groups_init(&v, host)) < 0)
        return err;
    assigned_to = malloc((topo_fn_count(host->t) + 1) * sizeof(uint32_t));
    if (!assigned_to) {
        err = SIM_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < topo_fn_count(host->t); i++)
        assigned_to[i] = TOPO_NONE;
    for (uint32_t gf = 0; gf < topo_fn_count(guest->t); gf++)
        if (topo_fn_passthrough(guest->t, gf) != TOPO_NONE)
            assigned_to[topo_fn_passthrough(guest->t, gf)] = gf;

    for (uint32_t g = 0; g < v.ngroups && err == 0; g++) {
        struct alias_as first_as = { TOPO_NONE, 0, 0, 0 };
        bool multiple = false;
        char subject[32], name[BDF_STRLEN + 8];
        struct strbuf detail = STRBUF_INIT;

        if ((err = members_of(host, &v, g, &members)) < 0)
            break;
        hosts.n = guests.n = 0;
        for (size_t i = 0; i < members.n && err == 0; i++) {
            uint32_t hf = members.v[i], gf = assigned_to[hf];
            struct alias_as as;

            if (gf == TOPO_NONE)
                continue;
            as = alias_address_space(guest->ctx, gf, true, aliases);
            if (hosts.n == 0)
                first_as = as;
            else if (!alias_as_eq(as, first_as))
                multiple = true;
            strbuf_printf(&detail, "%sguest %s (host %s) in ", hosts.n ? ", " : "",
                          topo_fn_id(guest->t, gf), topo_fn_id(host->t, hf));
            alias_as_format(&detail, guest->ctx, as);
            if ((err = vec_push(&hosts, hf)) < 0 || (err = vec_push(&guests, gf)) < 0)
                break;
        }
        snprintf(subject, sizeof(subject), "group %u", g);
        if (err == 0 && multiple) {
            host_name(name, host->t, hosts.v[hosts.n - 1]);
            err = check_add(
                r, FINDING_GROUP_IN_MULTIPLE_ADDRESS_SPACES, CHECK_GUEST, subject, guests.v,
                guests.n,
                "vfio %s: group %u used in multiple address spaces: the guest vIOMMU sees "
                "%s, and VFIO attaches a whole group to one container (QEMU %s)",
                name, g, strbuf_cstr(&detail),
                aliases ? "4.2+ aliases only functions behind a conventional bus"
                        : "before 4.2 gives every function its own address space");
        }
        strbuf_fini(&detail);
        if (err || !hosts.n)
            continue;
        /* Viability: the members left on host drivers, bridges excepted. */
        for (size_t i = 0; i < members.n && err == 0; i++) {
            uint32_t hf = members.v[i];

            if (assigned_to[hf] != TOPO_NONE || topo_kind_is_bridge(topo_fn_kind(host->t, hf)) ||
                topo_fn_driver(host->t, hf) != TOPO_DRIVER_HOST)
                continue;
            host_name(name, host->t, hosts.v[0]);
            err = check_add(r, FINDING_PARTIAL_GROUP_ASSIGNMENT, CHECK_HOST, subject, &hf, 1,
                            "vfio %s: group %u is not viable: %s ('%s') is still bound to a host "
                            "driver; please ensure all devices within the iommu_group are bound to "
                            "their vfio bus driver",
                            name, g,
                            bdf_format((char[BDF_STRLEN]){ 0 }, topo_fn_bdf(host->t, hf),
                                       !topo_single_segment(host->t)),
                            topo_fn_id(host->t, hf));
            break; /* one finding per group: the subject is the group */
        }
    }
out:
    free(assigned_to);
    free(v.group_of);
    vec_free(&hosts);
    vec_free(&guests);
    vec_free(&members);
    return err;
}

/* The listed members of computed group c, or of declared group d, as "00:01.0 rp1, ..." */
static void list_members(struct strbuf *out, const struct topology *t, const uint32_t *group_of,
                         uint32_t g, const uint32_t *decl_of)
{
    char b[BDF_STRLEN];
    bool first = true;

    for (uint32_t i = 0; i < topo_fn_count(t); i++) {
        uint32_t fn = topo_fn_order(t, i);

        if (group_of[fn] != g || decl_of[fn] == ALIAS_NO_GROUP)
            continue;
        strbuf_printf(out, "%s%s %s", first ? "" : ", ",
                      bdf_format(b, topo_fn_bdf(t, fn), !topo_single_segment(t)),
                      topo_fn_id(t, fn));
        first = false;
    }
}

/*
 * Declared groups against computed ones, over the declared functions only. A declared
 * function differs when its declared group is not its computed group restricted to the
 * declared functions: a group split, merged, or not formed at all (no IOMMU). One finding
 * per machine; its subject is the first function by BDF that differs, and the message names
 * every declared group that differs with what dmasim formed instead.
 */
static int check_declared(struct check_result *r, enum check_machine m)
{
    const struct machine_result *mr = &r->m[m];
    const struct topology *t = mr->t;
    size_t ndecl = topo_group_count(t), nfn = topo_fn_count(t);
    size_t ncomp = alias_group_count(mr->groups);
    uint32_t *decl_of = NULL, *comp_of = NULL, *d_comp = NULL, *c_decl = NULL;
    uint32_t subject = TOPO_NONE;
    uint8_t *d_bad = NULL; /* declared group: 0 whole, 1 not, 2 described in the message */
    bool *c_bad = NULL;
    struct strbuf msg = STRBUF_INIT;
    unsigned ndiff = 0;
    int err = SIM_OK;

    if (!ndecl)
        return SIM_OK;
    decl_of = malloc((nfn + 1) * sizeof(uint32_t));
    comp_of = malloc((nfn + 1) * sizeof(uint32_t));
    d_comp = malloc((ndecl + 1) * sizeof(uint32_t));
    c_decl = malloc((ncomp + 1) * sizeof(uint32_t));
    d_bad = calloc(ndecl + 1, sizeof(uint8_t));
    c_bad = calloc(ncomp + 1, sizeof(bool));
    if (!decl_of || !comp_of || !d_comp || !c_decl || !d_bad || !c_bad) {
        err = SIM_ENOMEM;
        goto out;
    }
    for (uint32_t fn = 0; fn < nfn; fn++) {
        decl_of[fn] = ALIAS_NO_GROUP;
        comp_of[fn] = alias_group_of(mr->groups, fn);
    }
    for (uint32_t g = 0; g < ndecl; g++) {
        size_t n;
        const uint32_t *mem = topo_group_members(t, g, &n);

        for (size_t i = 0; i < n; i++)
            decl_of[mem[i]] = g;
        d_comp[g] = TOPO_NONE;
    }
    for (size_t c = 0; c < ncomp; c++)
        c_decl[c] = TOPO_NONE;
    /* A declared group is whole when all its members share one computed group; a computed
     * group is whole when all its declared members share one declared group. */
    for (uint32_t fn = 0; fn < nfn; fn++) {
        uint32_t d = decl_of[fn], c = comp_of[fn];

        if (d == ALIAS_NO_GROUP)
            continue;
        if (c == ALIAS_NO_GROUP) {
            d_bad[d] = 1;
            continue;
        }
        if (d_comp[d] == TOPO_NONE)
            d_comp[d] = c;
        else if (d_comp[d] != c)
            d_bad[d] = 1;
        if (c_decl[c] == TOPO_NONE)
            c_decl[c] = d;
        else if (c_decl[c] != d)
            c_bad[c] = true;
    }
    for (uint32_t i = 0; i < nfn; i++) {
        uint32_t fn = topo_fn_order(t, i), d = decl_of[fn], c = comp_of[fn];

        if (d == ALIAS_NO_GROUP || !(c == ALIAS_NO_GROUP || d_bad[d] || c_bad[c]))
            continue;
        if (subject == TOPO_NONE)
            subject = fn;
        if (d_bad[d] == 2)
            continue; /* this declared group is described already */
        /* Describe declared group d once: its members, and the computed groups they are in. */
        strbuf_printf(&msg, "%sdeclared group %u [", ndiff++ ? "; " : ": ", d);
        list_members(&msg, t, decl_of, d, decl_of);
        strbuf_puts(&msg, "] but dmasim forms");
        for (uint32_t k = 0, shown = 0; k < nfn; k++) {
            uint32_t f2 = topo_fn_order(t, k), c2 = comp_of[f2];
            bool seen = false;

            if (decl_of[f2] != d)
                continue;
            for (uint32_t j = 0; j < k && !seen; j++) {
                uint32_t f3 = topo_fn_order(t, j);

                seen = decl_of[f3] == d && comp_of[f3] == c2;
            }
            if (seen)
                continue;
            if (c2 == ALIAS_NO_GROUP)
                strbuf_printf(&msg, "%s no group for %s (no IOMMU covers it)", shown++ ? "," : "",
                              topo_fn_id(t, f2));
            else {
                strbuf_printf(&msg, "%s group %u [", shown++ ? "," : "", c2);
                list_members(&msg, t, comp_of, c2, decl_of);
                strbuf_putc(&msg, ']');
            }
        }
        d_bad[d] = 2;
    }
    if (subject != TOPO_NONE)
        err = check_add(r, FINDING_GROUP_MISMATCH, m, topo_fn_id(t, subject), &subject, 1,
                        "the declared groups of the %s differ from dmasim's in %u group%s%s",
                        check_machine_names[m], ndiff, ndiff == 1 ? "" : "s", strbuf_cstr(&msg));
out:
    strbuf_fini(&msg);
    free(decl_of);
    free(comp_of);
    free(d_comp);
    free(c_decl);
    free(d_bad);
    free(c_bad);
    return err;
}

int check_run(struct check_result **out, const struct check_input *in)
{
    struct check_result *r = calloc(1, sizeof(*r));
    int err = SIM_OK;

    if (!r)
        return SIM_ENOMEM;
    r->in = *in;
    for (unsigned m = 0; m < CHECK_MACHINE_COUNT && err == 0; m++) {
        r->m[m].t = in->machine[m];
        if (!r->m[m].t)
            continue;
        if ((err = alias_ctx_new(&r->m[m].ctx, r->m[m].t)) == 0 &&
            (err = check_smmu_probe(r, (enum check_machine)m)) == 0)
            err = alias_groups_compute_except(&r->m[m].groups, r->m[m].ctx, r->m[m].probe_failed);
    }
    if (err == 0)
        err = check_vfio(r);
    if (err == 0)
        err = check_stream_ids(r);
    if (err == 0)
        err = check_dma_requests(r);
    if (err == 0)
        err = check_widths(r);
    if (err == 0)
        err = check_virtio(r);
    if (err == 0)
        err = check_bars(r);
    if (err == 0)
        err = check_replay(r);
    if (err == 0 && r->in.run_explore)
        err = check_explore(r);
    for (unsigned m = 0; m < CHECK_MACHINE_COUNT && err == 0; m++)
        if (r->m[m].t)
            err = check_declared(r, (enum check_machine)m);
    if (err < 0) {
        check_result_free(r);
        return err;
    }
    if (r->findings.n > 1)
        qsort(r->findings.v, r->findings.n, sizeof(struct finding), cmp_finding);
    *out = r;
    return SIM_OK;
}

void check_result_free(struct check_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->findings.n; i++) {
        struct finding *f = &r->findings.v[i];

        for (size_t k = 0; k < f->nfunctions; k++)
            free(f->functions[k]);
        free(f->functions);
        free(f->subject);
        free(f->message);
    }
    vec_free(&r->findings);
    bar_replay_free(r->replay);
    if (r->explored)
        bar_explore_result_fini(&r->explore);
    for (unsigned m = 0; m < CHECK_MACHINE_COUNT; m++) {
        alias_groups_free(r->m[m].groups);
        alias_ctx_free(r->m[m].ctx);
        free(r->m[m].probe_failed);
        free(r->m[m].fail_sid);
        free(r->m[m].fail_owner);
    }
    free(r);
}

size_t check_finding_count(const struct check_result *r)
{
    return r->findings.n;
}

const struct finding *check_finding(const struct check_result *r, size_t i)
{
    return &r->findings.v[i];
}

bool check_has_error(const struct check_result *r)
{
    for (size_t i = 0; i < r->findings.n; i++)
        if (r->findings.v[i].severity == FINDING_ERROR)
            return true;
    return false;
}

const struct topology *check_topology(const struct check_result *r, enum check_machine m)
{
    return r->m[m].t;
}

const struct alias_ctx *check_alias(const struct check_result *r, enum check_machine m)
{
    return r->m[m].ctx;
}

const struct alias_groups *check_groups(const struct check_result *r, enum check_machine m)
{
    return r->m[m].groups;
}

struct alias_as check_address_space(const struct check_result *r, enum check_machine m, uint32_t fn)
{
    return alias_address_space(r->m[m].ctx, fn, m == CHECK_GUEST, check_qemu_aliases(&r->in));
}

bool check_probe_failure(const struct check_result *r, enum check_machine m, uint32_t fn,
                         uint32_t *sid, uint32_t *owner)
{
    const struct machine_result *mr = &r->m[m];

    if (!mr->probe_failed || !mr->probe_failed[fn])
        return false;
    *sid = mr->fail_sid[fn];
    *owner = mr->fail_owner[fn];
    return true;
}

const struct bar_replay *check_replay_result(const struct check_result *r)
{
    return r->replay;
}

const struct bar_explore_result *check_explore_result(const struct check_result *r)
{
    return r->explored ? &r->explore : NULL;
}

const struct check_input *check_input_of(const struct check_result *r)
{
    return &r->in;
}

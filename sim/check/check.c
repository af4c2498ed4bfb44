/* Check -- running the analyses over a scenario's machines and collecting findings. */
#include "sim/check/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util/vec.h"

const char *const check_machine_names[CHECK_MACHINE_COUNT] = { "host", "guest" };

struct machine_result {
    const struct topology *t;
    struct alias_ctx *ctx;
    struct alias_groups *groups;
};

struct check_result {
    struct check_input in;
    struct machine_result m[CHECK_MACHINE_COUNT];
    VEC(struct finding) findings;
};

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

/* Add a finding about fns[0..nfns) of machine m; the message is printf-formatted. */
__attribute__((format(printf, 7, 8))) static int add(struct check_result *r, enum finding_code code,
                                                     enum check_machine m, const char *subject,
                                                     const uint32_t *fns, size_t nfns,
                                                     const char *fmt, ...)
{
    struct finding f;
    va_list ap;
    int err;

    memset(&f, 0, sizeof(f));
    f.code = code;
    f.severity = finding_default_severity(code);
    f.machine = m;
    f.subject = strdup(subject);
    f.functions = calloc(nfns ? nfns : 1, sizeof(char *));
    va_start(ap, fmt);
    f.message = vformat(fmt, ap);
    va_end(ap);
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
            err = add(r, FINDING_GROUP_IN_MULTIPLE_ADDRESS_SPACES, CHECK_GUEST, subject, guests.v,
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
            err = add(r, FINDING_PARTIAL_GROUP_ASSIGNMENT, CHECK_HOST, subject, &hf, 1,
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

/*
 * Declared groups against computed ones, over the declared functions only: two declared
 * together must be computed together, and two computed together must be declared together.
 */
static int check_declared(struct check_result *r, enum check_machine m)
{
    const struct machine_result *mr = &r->m[m];
    const struct topology *t = mr->t;
    size_t ndecl = topo_group_count(t), nfn = topo_fn_count(t);
    uint32_t *decl_of, *first_in_computed, *first_in_declared, subject_fn = TOPO_NONE;
    struct strbuf msg = STRBUF_INIT;
    unsigned differences = 0;
    int err = SIM_OK;
    char a[BDF_STRLEN], b[BDF_STRLEN];

    if (!ndecl)
        return SIM_OK;
    decl_of = malloc((nfn + 1) * sizeof(uint32_t));
    first_in_computed = malloc((alias_group_count(mr->groups) + 1) * sizeof(uint32_t));
    first_in_declared = malloc((ndecl + 1) * sizeof(uint32_t));
    if (!decl_of || !first_in_computed || !first_in_declared) {
        err = SIM_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < nfn; i++)
        decl_of[i] = ALIAS_NO_GROUP;
    for (uint32_t g = 0; g < ndecl; g++) {
        size_t n;
        const uint32_t *mem = topo_group_members(t, g, &n);

        for (size_t i = 0; i < n; i++)
            decl_of[mem[i]] = g;
        first_in_declared[g] = TOPO_NONE;
    }
    for (size_t g = 0; g < alias_group_count(mr->groups); g++)
        first_in_computed[g] = TOPO_NONE;
    /* Walk the declared functions in BDF order; compare each with the first one seen of its
     * declared group and of its computed group. */
    for (size_t i = 0; i < nfn; i++) {
        uint32_t fn = topo_fn_order(t, (uint32_t)i), d = decl_of[fn], c, f;

        if (d == ALIAS_NO_GROUP)
            continue;
        c = alias_group_of(mr->groups, fn);
        bdf_format(a, topo_fn_bdf(t, fn), !topo_single_segment(t));
        if (c == ALIAS_NO_GROUP) {
            strbuf_printf(&msg, "; %s (%s) is in declared group %u but no IOMMU covers it", a,
                          topo_fn_id(t, fn), d);
        } else if ((f = first_in_declared[d]) != TOPO_NONE && alias_group_of(mr->groups, f) != c) {
            strbuf_printf(&msg,
                          "; %s (%s) and %s (%s) are declared together (group %u) but "
                          "dmasim puts them in groups %u and %u",
                          bdf_format(b, topo_fn_bdf(t, f), !topo_single_segment(t)),
                          topo_fn_id(t, f), a, topo_fn_id(t, fn), d, alias_group_of(mr->groups, f),
                          c);
        } else if ((f = first_in_computed[c]) != TOPO_NONE && decl_of[f] != d) {
            strbuf_printf(&msg,
                          "; dmasim puts %s (%s) and %s (%s) together (group %u) but they "
                          "are declared in groups %u and %u",
                          bdf_format(b, topo_fn_bdf(t, f), !topo_single_segment(t)),
                          topo_fn_id(t, f), a, topo_fn_id(t, fn), c, decl_of[f], d);
        } else {
            if (first_in_declared[d] == TOPO_NONE)
                first_in_declared[d] = fn;
            if (first_in_computed[c] == TOPO_NONE)
                first_in_computed[c] = fn;
            continue;
        }
        if (first_in_declared[d] == TOPO_NONE)
            first_in_declared[d] = fn;
        if (c != ALIAS_NO_GROUP && first_in_computed[c] == TOPO_NONE)
            first_in_computed[c] = fn;
        if (subject_fn == TOPO_NONE)
            subject_fn = fn;
        differences++;
    }
    if (differences)
        err = add(r, FINDING_GROUP_MISMATCH, m, topo_fn_id(t, subject_fn), &subject_fn, 1,
                  "the declared groups of the %s differ from dmasim's in %u place%s%s",
                  check_machine_names[m], differences, differences == 1 ? "" : "s",
                  strbuf_cstr(&msg));
out:
    strbuf_fini(&msg);
    free(decl_of);
    free(first_in_computed);
    free(first_in_declared);
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
        if ((err = alias_ctx_new(&r->m[m].ctx, r->m[m].t)) == 0)
            err = alias_groups_compute(&r->m[m].groups, r->m[m].ctx);
    }
    if (err == 0)
        err = check_vfio(r);
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
    for (unsigned m = 0; m < CHECK_MACHINE_COUNT; m++) {
        alias_groups_free(r->m[m].groups);
        alias_ctx_free(r->m[m].ctx);
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

/* Import -- the model importers fill, and the scenario YAML it becomes. */
#include "sim/import/import.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util/err.h"
#include "sim/util/num.h"

size_t imp_fn_add(struct imp_machine *m)
{
    if (m->nfns == m->capfns) {
        size_t cap = m->capfns ? 2 * m->capfns : 16;
        struct imp_fn *f = realloc(m->fns, cap * sizeof(*f));
        int *g;

        if (!f)
            return IMP_NONE;
        m->fns = f;
        if (!(g = realloc(m->group, cap * sizeof(*g))))
            return IMP_NONE;
        m->group = g;
        m->capfns = cap;
    }
    memset(&m->fns[m->nfns], 0, sizeof(m->fns[m->nfns]));
    m->fns[m->nfns].parent = IMP_NONE;
    m->group[m->nfns] = -1;
    return m->nfns++;
}

void imp_set(struct imp_val *v, const char *value, const char *note)
{
    snprintf(v->value, sizeof(v->value), "%s", value ? value : "");
    snprintf(v->note, sizeof(v->note), "%s", note ? note : "");
}

void imp_setf(struct imp_val *v, const char *note, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(v->value, sizeof(v->value), fmt, ap);
    va_end(ap);
    snprintf(v->note, sizeof(v->note), "%s", note ? note : "");
}

void imp_size(struct imp_val *v, uint64_t size, const char *note)
{
    char buf[24];

    num_format_size(buf, size);
    imp_set(v, buf, note);
}

/* "key: value  # note" at indent, when the value is set. */
static void kv(struct strbuf *out, int indent, const char *key, const struct imp_val *v)
{
    if (!v->value[0])
        return;
    strbuf_printf(out, "%*s%s: %s", indent, "", key, v->value);
    if (v->note[0])
        strbuf_printf(out, "  # %s", v->note);
    strbuf_putc(out, '\n');
}

static void comment(struct strbuf *out, int indent, const char *text)
{
    const char *p = text;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);

        strbuf_printf(out, "%*s# %.*s\n", indent, "", (int)n, p);
        p += n + (nl != NULL);
    }
}

static void bar(struct strbuf *out, int indent, const struct imp_bar *b)
{
    strbuf_printf(out, "%*s- index: %u\n", indent, "", b->index);
    kv(out, indent + 2, "type", &b->type);
    kv(out, indent + 2, "size", &b->size);
    kv(out, indent + 2, "address", &b->address);
    kv(out, indent + 2, "prefetchable", &b->prefetchable);
}

static void function(struct strbuf *out, const struct imp_machine *m, size_t i, int indent);

/* The children of parent (IMP_NONE with hb: the root bus of host bridge hb), in model order. */
static void children(struct strbuf *out, const struct imp_machine *m, size_t parent, size_t hb,
                     int indent)
{
    bool any = false;

    for (size_t i = 0; i < m->nfns; i++) {
        const struct imp_fn *f = &m->fns[i];

        if (f->parent != parent || (parent == IMP_NONE && f->host_bridge != hb))
            continue;
        if (!any)
            strbuf_printf(out, "%*schildren:\n", indent, "");
        any = true;
        function(out, m, i, indent + 2);
    }
}

static void function(struct strbuf *out, const struct imp_machine *m, size_t i, int indent)
{
    const struct imp_fn *f = &m->fns[i];
    int in = indent + 2;

    if (f->comment[0])
        comment(out, indent, f->comment);
    strbuf_printf(out, "%*s- id: %s", indent, "", f->id.value);
    if (f->id.note[0])
        strbuf_printf(out, "  # %s", f->id.note);
    strbuf_putc(out, '\n');
    kv(out, in, "kind", &f->kind);
    kv(out, in, "devfn", &f->devfn);
    kv(out, in, "vendor", &f->vendor);
    kv(out, in, "device", &f->device);
    kv(out, in, "class", &f->class_code);
    kv(out, in, "secondary", &f->secondary);
    kv(out, in, "subordinate", &f->subordinate);
    kv(out, in, "acs", &f->acs);
    kv(out, in, "driver", &f->driver);
    kv(out, in, "passthrough", &f->passthrough);
    kv(out, in, "dma_bits", &f->dma_bits);
    if (f->access_platform.value[0]) {
        strbuf_printf(out, "%*svirtio: { access_platform: %s }", in, "", f->access_platform.value);
        if (f->access_platform.note[0])
            strbuf_printf(out, "  # %s", f->access_platform.note);
        strbuf_putc(out, '\n');
    }
    kv(out, in, "windows", &f->windows);
    if (f->nbars) {
        strbuf_printf(out, "%*sbars:\n", in, "");
        for (size_t b = 0; b < f->nbars; b++)
            bar(out, in + 2, &f->bars[b]);
    }
    if (f->rom_size.value[0]) {
        strbuf_printf(out, "%*srom:\n", in, "");
        kv(out, in + 2, "size", &f->rom_size);
        kv(out, in + 2, "address", &f->rom_address);
    }
    children(out, m, i, f->host_bridge, in);
}

static bool has_groups(const struct imp_machine *m)
{
    for (size_t i = 0; i < m->nfns; i++)
        if (m->group[i] >= 0)
            return true;
    return false;
}

static void groups(struct strbuf *out, const struct imp_machine *m, const char *lead);

static void machine(struct strbuf *out, const struct imp_machine *m)
{
    strbuf_printf(out, "\n%s:\n  platform:\n", m->name);
    kv(out, 4, "arch", &m->arch);
    kv(out, 4, "cpu_phys_bits", &m->cpu_phys_bits);
    kv(out, 4, "guest_phys_bits", &m->guest_phys_bits);
    kv(out, 4, "os_enables_acs", &m->os_enables_acs);
    if (m->niommus) {
        strbuf_puts(out, "  iommus:\n");
        for (size_t i = 0; i < m->niommus; i++) {
            const struct imp_iommu *u = &m->iommus[i];

            if (u->comment[0])
                comment(out, 4, u->comment);
            strbuf_printf(out, "    - id: %s\n", u->id.value);
            kv(out, 6, "kind", &u->kind);
            kv(out, 6, "address_bits", &u->address_bits);
        }
    }
    strbuf_puts(out, "  topology:\n");
    for (size_t h = 0; h < m->nhbs; h++) {
        const struct imp_hb *hb = &m->hbs[h];

        if (hb->comment[0])
            comment(out, 4, hb->comment);
        strbuf_printf(out, "    - id: %s\n      kind: host-bridge\n", hb->id.value);
        kv(out, 6, "segment", &hb->segment);
        kv(out, 6, "bus", &hb->bus);
        children(out, m, IMP_NONE, h, 6);
    }
    if (has_groups(m)) { /* FORMAT.md 1: a machine's groups as its kernel formed them */
        strbuf_puts(out,
                    "  # the IOMMU groups the real kernel formed: checks that depend on groups\n"
                    "  # use them, and every difference from dmasim's is a group-mismatch\n");
        groups(out, m, "  groups: ");
    }
}

/* The observed groups of m, in order of their numbers, as "[[a, b], [c]]" after `lead`. */
static void groups(struct strbuf *out, const struct imp_machine *m, const char *lead)
{
    int max = -1;

    for (size_t i = 0; i < m->nfns; i++)
        if (m->group[i] > max)
            max = m->group[i];
    if (max < 0)
        return;
    strbuf_printf(out, "%s[", lead);
    for (int g = 0, first = 1; g <= max; g++) {
        bool any = false;

        for (size_t i = 0; i < m->nfns; i++) {
            if (m->group[i] != g)
                continue;
            strbuf_printf(out, "%s%s", any ? ", " : first ? "[" : ", [", m->fns[i].id.value);
            any = true;
            first = 0;
        }
        if (any)
            strbuf_putc(out, ']');
    }
    strbuf_puts(out, "]\n");
}

void imp_emit(struct strbuf *out, const struct imp_scenario *s)
{
    strbuf_printf(out, "# %s.yaml - written by dmasim import\n", s->name);
    if (s->source[0])
        comment(out, 0, s->source);
    if (s->notes[0]) {
        strbuf_puts(out, "#\n");
        comment(out, 0, s->notes);
    }
    strbuf_printf(out, "name: %s\ndescription: >-\n  %s\nreferences:\n  - \"%s\"\n", s->name,
                  s->description[0] ? s->description : "imported", "dmasim import");
    if (s->host.nhbs) /* a scenario has host, guest or both (a QEMU VM alone is a guest) */
        machine(out, &s->host);
    if (s->has_guest)
        machine(out, &s->guest);
    if (has_groups(&s->host) || (s->has_guest && has_groups(&s->guest))) {
        strbuf_puts(out, "\n# The groups the real kernel formed: `dmasim test` on this file says\n"
                         "# whether dmasim's prediction agrees.\nexpect:\n  groups:\n");
        if (has_groups(&s->host))
            groups(out, &s->host, "    host: ");
        if (s->has_guest && has_groups(&s->guest))
            groups(out, &s->guest, "    guest: ");
    }
}

void imp_scenario_fini(struct imp_scenario *s)
{
    free(s->host.fns);
    free(s->host.group);
    free(s->guest.fns);
    free(s->guest.group);
    s->host.fns = s->guest.fns = NULL;
    s->host.group = s->guest.group = NULL;
    s->host.nfns = s->guest.nfns = s->host.capfns = s->guest.capfns = 0;
}

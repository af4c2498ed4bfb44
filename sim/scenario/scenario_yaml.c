/* Scenario -- reading YAML: a pull parser over libyaml events, one function per mapping type. */
#include "sim/scenario/scenario.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "sim/scenario/scenario_internal.h"
#include "sim/util/num.h"
#include "sim/util/strbuf.h"
#include "sim/util/suggest.h"

#define MAX_DEPTH 300 /* nesting of topology nodes; 256 buses cannot need more */
#define MAX_KEYS  24  /* keys a mapping type may have */

/*
 * The pull parser. `ev` is always the current event: the first event of the node a reader
 * is about to consume. Every reader consumes exactly one node and leaves `ev` at the event
 * after it. After a syntax error `dead` is set and every reader returns at once.
 */
struct yp {
    yaml_parser_t parser;
    yaml_event_t ev;   /* the current event */
    yaml_event_t next; /* the one after it, parsed ahead (see advance()) */
    bool have;         /* ev holds an event that must be deleted */
    bool have_next;    /* next holds an event */
    bool dead;         /* a syntax error ended the parse */
    unsigned depth;    /* topology nesting */
    const char *buf;   /* the input in memory, or NULL when it is read from file */
    size_t len;
    FILE *file; /* the input file, re-read to place errors given as byte offsets */
    struct loader *ld;
    struct diag_list *diags;
    struct scenario *s;
    /* Scratch stacks for the lists of the function being read: a function's entries are
     * contiguous above the mark it took on entry (its children push and pop above them), so
     * reading a million functions costs no allocation per function. */
    VEC(struct topo_bar_desc) bars;
    VEC(struct topo_devfn_range) aliases;
    VEC(struct topo_resv) resv;
};

/* libyaml marks are 0-based; this is the one place that makes them 1-based. */
static struct src_mark diag_from_mark(const yaml_mark_t *m)
{
    struct src_mark r = { (uint32_t)m->line + 1, (uint32_t)m->column + 1 };

    return r;
}

static struct src_mark here(const struct yp *p)
{
    return diag_from_mark(&p->ev.start_mark);
}

/* Line and column of a byte offset (reader errors carry no mark): count through the input. */
static struct src_mark mark_at_offset(const struct yp *p, size_t off)
{
    struct src_mark m = { 1, 1 };
    int c;

    if (p->file)
        rewind(p->file);
    for (size_t i = 0; i < off; i++) {
        if (p->file)
            c = getc(p->file);
        else
            c = i < p->len ? (unsigned char)p->buf[i] : EOF;
        if (c == EOF)
            break;
        if (c == '\n') {
            m.line++;
            m.col = 1;
        } else if ((c & 0xc0) != 0x80) {
            m.col++;
        }
    }
    return m;
}

static void syntax_error(struct yp *p)
{
    struct src_mark m = p->parser.error == YAML_READER_ERROR
                            ? mark_at_offset(p, p->parser.problem_offset)
                            : diag_from_mark(&p->parser.problem_mark);

    if (p->parser.context)
        diag_error(p->diags, m, "YAML syntax error: %s %s", p->parser.problem, p->parser.context);
    else
        diag_error(p->diags, m, "YAML syntax error: %s",
                   p->parser.problem ? p->parser.problem : "unreadable input");
    p->dead = true;
}

/*
 * Move to the next event. The parser runs one event ahead: libyaml hands out a scalar
 * before it notices that the text after it is malformed, and a reader must not act on (and
 * complain about) a node the syntax error makes meaningless. So an event becomes current
 * only once the one after it has parsed.
 */
static void advance(struct yp *p)
{
    if (p->dead)
        return;
    if (p->have)
        yaml_event_delete(&p->ev);
    p->have = false;
    if (p->have_next) {
        p->ev = p->next;
        p->have_next = false;
    } else if (!yaml_parser_parse(&p->parser, &p->ev)) {
        syntax_error(p);
        return;
    }
    p->have = true;
    if (p->ev.type == YAML_STREAM_END_EVENT)
        return;
    if (!yaml_parser_parse(&p->parser, &p->next)) {
        syntax_error(p);
        return;
    }
    p->have_next = true;
}

static bool is_null(const yaml_event_t *e)
{
    const char *v = (const char *)e->data.scalar.value;

    if (e->type != YAML_SCALAR_EVENT || e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL");
}

/* "a mapping", "a list", "'text'", "nothing": what the current node is, for messages. */
static const char *what_is(const struct yp *p, char *buf, size_t len)
{
    switch (p->ev.type) {
    case YAML_MAPPING_START_EVENT:
        return "a mapping";
    case YAML_SEQUENCE_START_EVENT:
        return "a list";
    case YAML_ALIAS_EVENT:
        return "a YAML alias";
    case YAML_SCALAR_EVENT:
        if (is_null(&p->ev))
            return "nothing";
        snprintf(buf, len, "'%.40s%s'", (const char *)p->ev.data.scalar.value,
                 strlen((const char *)p->ev.data.scalar.value) > 40 ? "..." : "");
        return buf;
    case YAML_NO_EVENT:
    case YAML_STREAM_START_EVENT:
    case YAML_STREAM_END_EVENT:
    case YAML_DOCUMENT_START_EVENT:
    case YAML_DOCUMENT_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        break;
    }
    return "the end of a block";
}

/* Consume the current node, whatever it is. */
static void skip(struct yp *p)
{
    int depth = 0;

    do {
        if (p->dead)
            return;
        switch (p->ev.type) {
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            depth++;
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            depth--;
            break;
        case YAML_NO_EVENT:
        case YAML_STREAM_START_EVENT:
        case YAML_STREAM_END_EVENT:
        case YAML_DOCUMENT_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
        case YAML_ALIAS_EVENT:
        case YAML_SCALAR_EVENT:
            break;
        }
        advance(p);
    } while (depth > 0);
}

/* Report that the current node is not what key needs, and skip it. */
static void wrong_type(struct yp *p, const char *key, const char *expected)
{
    char buf[64];

    if (p->ev.type == YAML_ALIAS_EVENT)
        diag_error(p->diags, here(p),
                   "YAML aliases (*%s) are not supported: write '%s' out in full",
                   (const char *)p->ev.data.alias.anchor, key);
    else
        diag_error(p->diags, here(p), "expected %s for '%s', found %s", expected, key,
                   what_is(p, buf, sizeof(buf)));
    skip(p);
}

/* --- Mappings and lists ------------------------------------------------------------------- */

struct keyset {
    const char *what; /* "a BAR", for messages */
    const char *const *names;
    unsigned n;
};

#define KEYSET(var, what_, ...)                               \
    static const char *const var##_names[] = { __VA_ARGS__ }; \
    static const struct keyset var = { what_, var##_names,    \
                                       sizeof(var##_names) / sizeof(var##_names[0]) }

struct map {
    const struct keyset *keys;
    struct src_mark start;        /* where the mapping began */
    struct src_mark at[MAX_KEYS]; /* where each key was seen; line 0: not seen */
    struct src_mark key;          /* the key just returned */
    bool ok;                      /* no error inside this mapping so far */
};

/* Enter a mapping for key; false (after an error) when the node is something else. */
static bool map_begin(struct yp *p, struct map *m, const struct keyset *keys, const char *key)
{
    assert(keys->n <= MAX_KEYS);
    memset(m, 0, sizeof(*m));
    m->keys = keys;
    m->ok = true;
    m->start = here(p);
    if (p->dead)
        return false;
    if (p->ev.type != YAML_MAPPING_START_EVENT) {
        wrong_type(p, key, "a mapping");
        return false;
    }
    advance(p);
    return true;
}

static void list_keys(struct strbuf *sb, const struct keyset *k)
{
    for (unsigned i = 0; i < k->n; i++)
        strbuf_printf(sb, "%s%s", i ? ", " : "", k->names[i]);
}

/*
 * The next key of the mapping: its index in the keyset, with `ev` at its value; or -1 at the
 * end of the mapping (consumed). Unknown and repeated keys are reported and skipped.
 */
static int map_next(struct yp *p, struct map *m)
{
    while (!p->dead) {
        const char *name;
        unsigned i;

        if (p->ev.type == YAML_MAPPING_END_EVENT) {
            advance(p);
            return -1;
        }
        m->key = here(p);
        if (p->ev.type != YAML_SCALAR_EVENT) {
            diag_error(p->diags, m->key, "keys of %s must be plain names", m->keys->what);
            m->ok = false;
            skip(p);
            skip(p);
            continue;
        }
        name = (const char *)p->ev.data.scalar.value;
        for (i = 0; i < m->keys->n; i++)
            if (name[0] == m->keys->names[i][0] && strcmp(name, m->keys->names[i]) == 0)
                break;
        if (i == m->keys->n) {
            const char *close = suggest_closest(name, m->keys->names, m->keys->n);
            struct strbuf sb = STRBUF_INIT;

            if (close) {
                diag_error(p->diags, m->key, "unknown key '%s' in %s (did you mean '%s'?)", name,
                           m->keys->what, close);
            } else {
                list_keys(&sb, m->keys);
                diag_error(p->diags, m->key, "unknown key '%s' in %s; known keys: %s", name,
                           m->keys->what, strbuf_cstr(&sb));
            }
            strbuf_fini(&sb);
            m->ok = false;
            advance(p);
            skip(p);
            continue;
        }
        if (m->at[i].line) {
            diag_error(p->diags, m->key, "duplicate key '%s' in %s (first at line %u)", name,
                       m->keys->what, m->at[i].line);
            m->ok = false;
            advance(p);
            skip(p);
            continue;
        }
        m->at[i] = m->key;
        advance(p);
        return (int)i;
    }
    m->ok = false; /* a syntax error ended the mapping: nothing more to say about it */
    return -1;
}

/* Enter a list for key: true when there are items to read; a null value is an empty list. */
static bool list_begin(struct yp *p, const char *key)
{
    if (p->dead)
        return false;
    if (p->ev.type == YAML_SCALAR_EVENT && is_null(&p->ev)) {
        advance(p);
        return false;
    }
    if (p->ev.type != YAML_SEQUENCE_START_EVENT) {
        wrong_type(p, key, "a list");
        return false;
    }
    advance(p);
    return true;
}

/* Whether the list has another item; consumes the end of the list. */
static bool list_more(struct yp *p)
{
    if (p->dead)
        return false;
    if (p->ev.type == YAML_SEQUENCE_END_EVENT) {
        advance(p);
        return false;
    }
    return true;
}

/* --- Scalars ------------------------------------------------------------------------------ */

/* The current node's text if it is a non-null scalar; otherwise report, skip, NULL. The text
 * is valid until the next advance(). */
static const char *scalar(struct yp *p, const char *key, const char *expected)
{
    if (p->dead)
        return NULL;
    if (p->ev.type != YAML_SCALAR_EVENT || is_null(&p->ev)) {
        wrong_type(p, key, expected);
        return NULL;
    }
    return (const char *)p->ev.data.scalar.value;
}

static bool rd_u64(struct yp *p, const char *key, bool allow_suffix, uint64_t *out)
{
    const char *text = scalar(p, key, "a number");
    enum num_status st;

    if (!text)
        return false;
    st = num_parse_u64(out, text, allow_suffix);
    if (st != NUM_OK)
        diag_error(p->diags, here(p), "%s '%s' %s", key, text, num_status_str(st));
    advance(p);
    return st == NUM_OK;
}

/* A size or address: suffixes allowed. */
static bool rd_addr(struct yp *p, const char *key, uint64_t *out)
{
    return rd_u64(p, key, true, out);
}

/* An integer that must fit in `bits` bits (no suffix). */
static bool rd_bits(struct yp *p, const char *key, unsigned bits, uint64_t *out)
{
    struct src_mark m = here(p);

    if (!rd_u64(p, key, false, out))
        return false;
    if (bits < 64 && *out >> bits) {
        diag_error(p->diags, m, "%s 0x%" PRIx64 " does not fit in %u bits", key, *out, bits);
        return false;
    }
    return true;
}

/* An integer in [lo, hi]; messages in hex for register offsets and values. */
static bool rd_range_fmt(struct yp *p, const char *key, uint64_t lo, uint64_t hi, bool hex,
                         uint64_t *out)
{
    struct src_mark m = here(p);

    if (!rd_u64(p, key, false, out))
        return false;
    if (*out < lo || *out > hi) {
        if (hex)
            diag_error(p->diags, m, "%s 0x%" PRIx64 " is outside 0x%" PRIx64 "..0x%" PRIx64, key,
                       *out, lo, hi);
        else
            diag_error(p->diags, m, "%s %" PRIu64 " is outside %" PRIu64 "..%" PRIu64, key, *out,
                       lo, hi);
        return false;
    }
    return true;
}

static bool rd_range(struct yp *p, const char *key, uint64_t lo, uint64_t hi, uint64_t *out)
{
    return rd_range_fmt(p, key, lo, hi, false, out);
}

/* An address width in bits, 1..64. */
static bool rd_width(struct yp *p, const char *key, uint8_t *out)
{
    uint64_t v;

    if (!rd_range(p, key, 1, 64, &v))
        return false;
    *out = (uint8_t)v;
    return true;
}

static bool rd_bool(struct yp *p, const char *key, bool *out)
{
    const char *text = scalar(p, key, "true or false");
    bool ok = true;

    if (!text)
        return false;
    if (strcmp(text, "true") == 0)
        *out = true;
    else if (strcmp(text, "false") == 0)
        *out = false;
    else {
        diag_error(p->diags, here(p), "expected true or false for '%s', found '%s'", key, text);
        ok = false;
    }
    advance(p);
    return ok;
}

/* A string copied into the scenario arena. */
static bool rd_str(struct yp *p, const char *key, const char **out)
{
    const char *text = scalar(p, key, "a string");

    if (!text)
        return false;
    *out = arena_strdup(&p->s->arena, text);
    advance(p);
    return *out != NULL;
}

/* One of names[0..n), by position. */
static bool rd_enum(struct yp *p, const char *key, const char *const *names, unsigned n,
                    unsigned *out)
{
    const char *text = scalar(p, key, "a name");
    const char *close;
    struct strbuf sb = STRBUF_INIT;

    if (!text)
        return false;
    for (unsigned i = 0; i < n; i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = i;
            advance(p);
            return true;
        }
    }
    close = suggest_closest(text, names, n);
    if (close) {
        diag_error(p->diags, here(p), "unknown %s '%s' (did you mean '%s'?)", key, text, close);
    } else {
        for (unsigned i = 0; i < n; i++)
            strbuf_printf(&sb, "%s%s", i ? ", " : "", names[i]);
        diag_error(p->diags, here(p), "unknown %s '%s'; expected one of: %s", key, text,
                   strbuf_cstr(&sb));
    }
    strbuf_fini(&sb);
    advance(p);
    return false;
}

static bool report_devfn(struct yp *p, const char *key, const char *text, enum devfn_status st)
{
    switch (st) {
    case DEVFN_OK:
        return true;
    case DEVFN_SYNTAX:
        diag_error(p->diags, here(p), "%s '%s' is not \"slot.function\" in hex (e.g. \"1c.0\")",
                   key, text);
        break;
    case DEVFN_SLOT_RANGE:
        diag_error(p->diags, here(p), "%s '%s' is out of range: the slot must be 00-1f", key, text);
        break;
    case DEVFN_FUNC_RANGE:
        diag_error(p->diags, here(p), "%s '%s' is out of range: the function must be 0-7", key,
                   text);
        break;
    }
    return false;
}

static bool rd_devfn(struct yp *p, const char *key, uint8_t *out)
{
    const char *text = scalar(p, key, "a devfn like \"1c.0\"");
    bool ok;

    if (!text)
        return false;
    ok = report_devfn(p, key, text, devfn_parse(out, text));
    advance(p);
    return ok;
}

/* A reference to a function (an id or a BDF), resolved after loading. */
static bool rd_devref(struct yp *p, const char *key, struct scn_devref *out)
{
    struct src_mark m = here(p);

    memset(out, 0, sizeof(*out));
    out->fn = TOPO_NONE;
    out->mark = m;
    return rd_str(p, key, &out->text);
}

/* Append a copy of a VEC's elements to the arena, freeing the VEC. */
#define TAKE(vec, out_ptr, out_n)                                            \
    do {                                                                     \
        (out_ptr) = scn_arena_dup(p->s, (vec).v, (vec).n, sizeof(*(vec).v)); \
        (out_n) = (vec).n;                                                   \
        vec_free(&(vec));                                                    \
    } while (0)

/* --- Ids ---------------------------------------------------------------------------------- */

static bool id_chars_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.'))
            return false;
    return true;
}

/* Read an id and claim it file-wide for (machine, what, index). */
static bool rd_id(struct yp *p, enum scn_machine machine, enum id_what what, uint32_t index,
                  const char **out)
{
    struct loader *ld = p->ld;
    struct src_mark m = here(p);
    struct id_entry e = { machine, what, index, m };
    uint32_t old;
    int r;

    if (!rd_str(p, "id", out))
        return false;
    if (!id_chars_ok(*out)) {
        diag_error(p->diags, m, "id '%s' must be made of letters, digits, '-', '_' and '.'", *out);
        return false;
    }
    r = strmap_put(&ld->ids, *out, (uint32_t)ld->id_entries.n, &old);
    if (r == 1) {
        diag_error(p->diags, m, "duplicate id '%s' (first defined at line %u)", *out,
                   ld->id_entries.v[old].mark.line);
        return false;
    }
    return r == 0 && vec_push(&ld->id_entries, e) == 0;
}

/* --- platform ----------------------------------------------------------------------------- */

KEYSET(range_keys, "an address range", "base", "size");
KEYSET(dma_window_keys, "a DMA window", "bus_base", "size", "phys_base", "scatter_gather");
KEYSET(platform_keys, "platform", "arch", "cpu_phys_bits", "guest_phys_bits", "ram", "mmio32",
       "mmio64", "os_enables_acs", "pci_allow_0_address", "dma_windows");

static bool rd_range_map(struct yp *p, const char *key, struct addr_range *out)
{
    struct map m;
    int k;

    if (!map_begin(p, &m, &range_keys, key))
        return false;
    while ((k = map_next(p, &m)) >= 0)
        m.ok &= k == 0 ? rd_addr(p, "base", &out->base) : rd_addr(p, "size", &out->size);
    if (m.ok && (!m.at[0].line || !m.at[1].line)) {
        diag_error(p->diags, m.start, "%s needs both 'base' and 'size'", key);
        return false;
    }
    if (m.ok && (out->size == 0 || out->base + (out->size - 1) < out->base)) {
        diag_error(p->diags, m.start,
                   "%s [0x%" PRIx64 " + 0x%" PRIx64 "] is empty or runs past 2^64", key, out->base,
                   out->size);
        return false;
    }
    if (m.ok && strcmp(key, "mmio32") == 0 && out->base + (out->size - 1) > UINT32_MAX) {
        diag_error(p->diags, m.start,
                   "mmio32 [0x%" PRIx64 " + 0x%" PRIx64 "] ends above 4G; the 32-bit MMIO window "
                   "must lie below 4G",
                   out->base, out->size);
        return false;
    }
    return m.ok;
}

static bool parse_platform(struct yp *p, struct topology *t)
{
    struct topo_platform pl = *topo_platform_get(t);
    VEC(struct addr_range) ram = { 0 };
    VEC(struct topo_dma_window) win = { 0 };
    bool allow0_set = false;
    unsigned v;
    struct map m;
    int k, err;

    if (!map_begin(p, &m, &platform_keys, "platform"))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        switch (k) {
        case 0:
            if (rd_enum(p, "arch", topo_arch_names, TOPO_ARCH_COUNT, &v))
                pl.arch = (enum topo_arch)v;
            else
                m.ok = false;
            break;
        case 1:
            m.ok &= rd_width(p, "cpu_phys_bits", &pl.cpu_phys_bits);
            break;
        case 2:
            m.ok &= rd_width(p, "guest_phys_bits", &pl.guest_phys_bits);
            break;
        case 3:
            for (bool more = list_begin(p, "ram"); more && list_more(p);) {
                struct addr_range r = { 0, 0 };

                m.ok &= rd_range_map(p, "ram", &r);
                if (vec_push(&ram, r) < 0)
                    m.ok = false;
            }
            break;
        case 4:
            m.ok &= rd_range_map(p, "mmio32", &pl.mmio32);
            pl.has_mmio32 = true;
            break;
        case 5:
            m.ok &= rd_range_map(p, "mmio64", &pl.mmio64);
            pl.has_mmio64 = true;
            break;
        case 6:
            m.ok &= rd_bool(p, "os_enables_acs", &pl.os_enables_acs);
            break;
        case 7:
            m.ok &= rd_bool(p, "pci_allow_0_address", &pl.pci_allow_0_address);
            allow0_set = true;
            break;
        case 8:
            for (bool more = list_begin(p, "dma_windows"); more && list_more(p);) {
                struct topo_dma_window w = { 0, 0, 0, false };
                struct map wm;
                int wk;

                if (!map_begin(p, &wm, &dma_window_keys, "dma_windows")) {
                    m.ok = false;
                    continue;
                }
                while ((wk = map_next(p, &wm)) >= 0) {
                    if (wk == 0)
                        wm.ok &= rd_addr(p, "bus_base", &w.bus_base);
                    else if (wk == 1)
                        wm.ok &= rd_addr(p, "size", &w.size);
                    else if (wk == 2)
                        wm.ok &= rd_addr(p, "phys_base", &w.phys_base);
                    else
                        wm.ok &= rd_bool(p, "scatter_gather", &w.scatter_gather);
                }
                if (wm.ok && (!wm.at[0].line || !wm.at[1].line || !wm.at[2].line)) {
                    diag_error(p->diags, wm.start,
                               "a DMA window needs 'bus_base', 'size' and 'phys_base'");
                    wm.ok = false;
                } else if (wm.ok && (w.size == 0 || w.bus_base + (w.size - 1) < w.bus_base ||
                                     w.phys_base + (w.size - 1) < w.phys_base)) {
                    diag_error(p->diags, wm.start,
                               "DMA window [0x%" PRIx64 " + 0x%" PRIx64
                               "] is empty or runs past 2^64",
                               w.bus_base, w.size);
                    wm.ok = false;
                }
                m.ok &= wm.ok;
                if (vec_push(&win, w) < 0)
                    m.ok = false;
            }
            break;
        }
    }
    if (!allow0_set)
        pl.pci_allow_0_address = pl.arch != TOPO_ARCH_X86_64 && pl.arch != TOPO_ARCH_I386;
    pl.ram = ram.v;
    pl.nram = ram.n;
    pl.dma_windows = win.v;
    pl.ndma_windows = win.n;
    err = topo_platform_set(t, &pl);
    vec_free(&ram);
    vec_free(&win);
    return m.ok && err == 0;
}

/* --- iommus ------------------------------------------------------------------------------- */

KEYSET(iommu_keys, "an IOMMU", "id", "kind", "address_bits", "covers", "dma_limit_bits", "reserved",
       "stream_map");
KEYSET(resv_keys, "a reserved region", "base", "size", "kind");
KEYSET(stream_map_keys, "a stream_map entry", "rid_base", "count", "sid_base", "sid", "single",
       "segment");

static bool rd_resv(struct yp *p, struct topo_resv *out)
{
    struct map m;
    unsigned v;
    int k;

    memset(out, 0, sizeof(*out));
    out->kind = TOPO_RESV_RESERVED;
    out->mark = here(p);
    if (!map_begin(p, &m, &resv_keys, "reserved"))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        if (k == 0)
            m.ok &= rd_addr(p, "base", &out->base);
        else if (k == 1)
            m.ok &= rd_addr(p, "size", &out->size);
        else if (rd_enum(p, "kind", topo_resv_kind_names, TOPO_RESV_KIND_COUNT, &v))
            out->kind = (enum topo_resv_kind)v;
        else
            m.ok = false;
    }
    if (m.ok && (!m.at[0].line || !m.at[1].line)) {
        diag_error(p->diags, m.start, "a reserved region needs 'base' and 'size'");
        return false;
    }
    if (m.ok && (out->size == 0 || out->base + (out->size - 1) < out->base)) {
        diag_error(p->diags, m.start,
                   "reserved region [0x%" PRIx64 " + 0x%" PRIx64 "] is empty or runs past 2^64",
                   out->base, out->size);
        return false;
    }
    return m.ok;
}

static bool rd_resv_list(struct yp *p, void *vec_)
{
    VEC(struct topo_resv) *vec = vec_;
    bool ok = true;

    for (bool more = list_begin(p, "reserved"); more && list_more(p);) {
        struct topo_resv r;

        ok &= rd_resv(p, &r);
        if (vec_push(vec, r) < 0)
            ok = false;
    }
    return ok;
}

static bool rd_stream_map(struct yp *p, struct topo_stream_map *out)
{
    struct map m;
    uint64_t v;
    int k;

    memset(out, 0, sizeof(*out));
    out->mark = here(p);
    if (!map_begin(p, &m, &stream_map_keys, "stream_map"))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        switch (k) {
        case 0:
            if ((m.ok &= rd_bits(p, "rid_base", 16, &v)))
                out->rid_base = (uint32_t)v;
            break;
        case 1:
            if ((m.ok &= rd_range(p, "count", 1, 0x10000, &v)))
                out->count = (uint32_t)v;
            break;
        case 2:
            if ((m.ok &= rd_bits(p, "sid_base", 32, &v)))
                out->sid_base = (uint32_t)v;
            break;
        case 3:
            if ((m.ok &= rd_bits(p, "sid", 32, &v)))
                out->sid_base = (uint32_t)v;
            break;
        case 4:
            m.ok &= rd_bool(p, "single", &out->single);
            break;
        case 5:
            out->has_segment = true;
            if ((m.ok &= rd_bits(p, "segment", 16, &v)))
                out->segment = (uint16_t)v;
            break;
        }
    }
    if (!m.ok)
        return false;
    if (out->single) {
        if (!m.at[3].line || m.at[0].line || m.at[1].line || m.at[2].line) {
            diag_error(p->diags, out->mark,
                       "a single mapping is written { sid: ID, single: true }, without "
                       "rid_base, count or sid_base");
            return false;
        }
        return true;
    }
    if (!m.at[0].line || !m.at[1].line || !m.at[2].line || m.at[3].line) {
        diag_error(p->diags, out->mark,
                   "a range mapping needs rid_base, count and sid_base (sid goes with single: "
                   "true)");
        return false;
    }
    if (out->rid_base + out->count > 0x10000) {
        diag_error(p->diags, out->mark,
                   "stream_map range 0x%x + 0x%x runs past the last requester ID 0xffff",
                   out->rid_base, out->count);
        return false;
    }
    return true;
}

static bool parse_iommu(struct yp *p, enum scn_machine mach, uint32_t index,
                        struct pending_iommu *pi)
{
    struct map m;
    unsigned v;
    int k;

    memset(pi, 0, sizeof(*pi));
    pi->desc.mark = here(p);
    if (!map_begin(p, &m, &iommu_keys, "iommus"))
        return false;
    /* kind decides whether stream_map is allowed; read it wherever it is written */
    while ((k = map_next(p, &m)) >= 0) {
        switch (k) {
        case 0:
            m.ok &= rd_id(p, mach, ID_IOMMU, index, &pi->desc.id);
            break;
        case 1:
            if (rd_enum(p, "kind", topo_iommu_kind_names, TOPO_IOMMU_KIND_COUNT, &v))
                pi->desc.kind = (enum topo_iommu_kind)v;
            else
                m.ok = false;
            break;
        case 2:
            m.ok &= rd_width(p, "address_bits", &pi->desc.address_bits);
            break;
        case 3: {
            size_t errors = p->diags->nerrors;

            pi->covers_mark = here(p);
            for (bool more = list_begin(p, "covers"); more && list_more(p);) {
                struct raw_ref r = { NULL, here(p) };

                m.ok &= rd_str(p, "covers", &r.text);
                if (r.text && vec_push(&pi->covers, r) < 0)
                    m.ok = false;
            }
            if (!pi->covers.n && !p->dead && p->diags->nerrors == errors) {
                diag_error(p->diags, pi->covers_mark,
                           "covers is an empty list: name the host bridges this IOMMU translates, "
                           "or leave 'covers' out for all of them");
                m.ok = false;
            }
            break;
        }
        case 4:
            m.ok &= rd_width(p, "dma_limit_bits", &pi->desc.dma_limit_bits);
            break;
        case 5:
            m.ok &= rd_resv_list(p, &pi->reserved);
            break;
        case 6:
            for (bool more = list_begin(p, "stream_map"); more && list_more(p);) {
                struct topo_stream_map sm;

                m.ok &= rd_stream_map(p, &sm);
                if (vec_push(&pi->stream_map, sm) < 0)
                    m.ok = false;
            }
            break;
        }
    }
    if (m.ok && !m.at[0].line) {
        diag_error(p->diags, m.start, "an IOMMU needs an 'id'");
        m.ok = false;
    }
    if (m.ok && !m.at[1].line) {
        diag_error(p->diags, m.start,
                   "IOMMU '%s' needs a 'kind' (vt-d, amd-vi, smmuv3, virtio-iommu)", pi->desc.id);
        m.ok = false;
    }
    if (m.ok && !m.at[2].line) {
        diag_error(p->diags, m.start, "IOMMU '%s' needs 'address_bits', its input address width",
                   pi->desc.id);
        m.ok = false;
    }
    if (m.ok && pi->stream_map.n && pi->desc.kind != TOPO_IOMMU_SMMUV3) {
        diag_error(p->diags, m.at[6], "stream_map is only valid on an smmuv3 IOMMU; '%s' is %s",
                   pi->desc.id, topo_iommu_kind_names[pi->desc.kind]);
        m.ok = false;
    }
    return m.ok;
}

/* --- topology ------------------------------------------------------------------------------ */

KEYSET(hb_keys, "a host bridge", "id", "kind", "segment", "bus", "dma_owner", "children");
KEYSET(fn_keys, "a function", "id", "kind", "devfn", "vendor", "device", "class", "secondary",
       "subordinate", "acs", "bars", "rom", "command", "windows", "dma_alias", "quirks", "dma_bits",
       "reserved", "virtio", "driver", "passthrough", "children");
KEYSET(acs_keys, "acs", "cap", "ctrl");
KEYSET(bar_keys, "a BAR", "index", "type", "size", "address", "prefetchable", "ram");
KEYSET(rom_keys, "a ROM", "size", "address", "enabled");
KEYSET(command_keys, "command", "memory", "io", "bus_master");
KEYSET(windows_keys, "windows", "io", "mem", "pref");
KEYSET(virtio_keys, "virtio", "access_platform");

static const char *const acs_bit_names[] = { "sv", "tb", "rr", "cr", "uf", "ec", "dt" };

enum fn_key {
    FK_ID,
    FK_KIND,
    FK_DEVFN,
    FK_VENDOR,
    FK_DEVICE,
    FK_CLASS,
    FK_SECONDARY,
    FK_SUBORDINATE,
    FK_ACS,
    FK_BARS,
    FK_ROM,
    FK_COMMAND,
    FK_WINDOWS,
    FK_DMA_ALIAS,
    FK_QUIRKS,
    FK_DMA_BITS,
    FK_RESERVED,
    FK_VIRTIO,
    FK_DRIVER,
    FK_PASSTHROUGH,
    FK_CHILDREN,
    FK_SUBSYSTEM_VENDOR,
    FK_SUBSYSTEM_DEVICE,
};

static bool rd_acs_bits(struct yp *p, const char *key, uint16_t *out)
{
    bool ok = true;
    unsigned v;

    *out = 0;
    for (bool more = list_begin(p, key); more && list_more(p);) {
        if (rd_enum(p, key, acs_bit_names, 7, &v))
            *out |= (uint16_t)(1u << v);
        else
            ok = false;
    }
    return ok;
}

static bool rd_acs(struct yp *p, struct topo_fn_desc *d)
{
    struct map m;
    int k;

    d->acs_mark = here(p);
    if (p->ev.type == YAML_SCALAR_EVENT && !is_null(&p->ev)) {
        unsigned v;

        if (!rd_enum(p, "acs", (const char *const[]){ "none", "full" }, 2, &v))
            return false;
        d->acs = v ? TOPO_ACS_FULL : TOPO_ACS_NONE;
        return true;
    }
    if (p->ev.type != YAML_MAPPING_START_EVENT) {
        wrong_type(p, "acs", "full, none or { cap: [...], ctrl: [...] }");
        return false;
    }
    if (!map_begin(p, &m, &acs_keys, "acs"))
        return false;
    d->acs = TOPO_ACS_REGS;
    while ((k = map_next(p, &m)) >= 0)
        m.ok &= rd_acs_bits(p, k == 0 ? "cap" : "ctrl", k == 0 ? &d->acs_cap : &d->acs_ctrl);
    if (m.ok && !m.at[0].line) {
        diag_error(p->diags, m.start,
                   "acs needs 'cap' (write 'cap: []' for a capability that advertises nothing)");
        return false;
    }
    return m.ok;
}

static bool rd_bar(struct yp *p, struct topo_bar_desc *b)
{
    struct map m;
    uint64_t v;
    unsigned e;
    int k;

    memset(b, 0, sizeof(*b));
    b->mark = here(p);
    if (!map_begin(p, &m, &bar_keys, "bars"))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        switch (k) {
        case 0:
            b->index_mark = here(p);
            if ((m.ok &= rd_range(p, "index", 0, 5, &v)))
                b->index = (uint8_t)v;
            break;
        case 1:
            b->type_mark = here(p);
            if (rd_enum(p, "type", topo_bar_type_names, 3, &e))
                b->type = (enum topo_bar_type)e;
            else
                m.ok = false;
            break;
        case 2:
            b->size_mark = here(p);
            m.ok &= rd_addr(p, "size", &b->size);
            break;
        case 3:
            b->address_mark = here(p);
            b->has_address = true;
            m.ok &= rd_addr(p, "address", &b->address);
            break;
        case 4:
            b->pref_mark = here(p);
            m.ok &= rd_bool(p, "prefetchable", &b->prefetchable);
            break;
        case 5:
            m.ok &= rd_bool(p, "ram", &b->ram);
            break;
        }
    }
    if (m.ok && (!m.at[0].line || !m.at[1].line || !m.at[2].line)) {
        diag_error(p->diags, m.start, "a BAR needs 'index', 'type' and 'size'");
        return false;
    }
    return m.ok;
}

static bool rd_rom(struct yp *p, struct topo_rom_desc *r)
{
    struct map m;
    int k;

    r->present = true;
    r->mark = here(p);
    if (!map_begin(p, &m, &rom_keys, "rom"))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        if (k == 0) {
            r->size_mark = here(p);
            m.ok &= rd_addr(p, "size", &r->size);
        } else if (k == 1) {
            r->address_mark = here(p);
            r->has_address = true;
            m.ok &= rd_addr(p, "address", &r->address);
        } else {
            m.ok &= rd_bool(p, "enabled", &r->enabled);
        }
    }
    if (m.ok && !m.at[0].line) {
        diag_error(p->diags, m.start, "a ROM needs a 'size'");
        return false;
    }
    return m.ok;
}

static bool rd_tristate(struct yp *p, const char *key, enum topo_tristate *out)
{
    bool b;

    if (!rd_bool(p, key, &b))
        return false;
    *out = b ? TOPO_TRUE : TOPO_FALSE;
    return true;
}

static bool rd_command(struct yp *p, struct topo_fn_desc *d)
{
    struct map m;
    int k;

    if (!map_begin(p, &m, &command_keys, "command"))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        if (k == 0)
            m.ok &= rd_tristate(p, "memory", &d->cmd_memory);
        else if (k == 1)
            m.ok &= rd_tristate(p, "io", &d->cmd_io);
        else
            m.ok &= rd_tristate(p, "bus_master", &d->cmd_bus_master);
    }
    return m.ok;
}

static bool rd_windows(struct yp *p, struct topo_fn_desc *d)
{
    struct map m;
    int k;

    d->windows_mark = here(p);
    d->windows_given = true;
    if (!map_begin(p, &m, &windows_keys, "windows"))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        const char *key = windows_keys.names[k];
        uint64_t v[2];
        unsigned n = 0;

        d->window_mark[k] = here(p);
        for (bool more = list_begin(p, key); more && list_more(p); n++) {
            if (n >= 2) {
                skip(p);
                continue;
            }
            m.ok &= rd_addr(p, key, &v[n]);
        }
        if (m.ok && n != 2) {
            diag_error(p->diags, d->window_mark[k], "window '%s' is written [base, limit]", key);
            m.ok = false;
        }
        if (m.ok) {
            d->has_window[k] = true;
            d->window_base[k] = v[0];
            d->window_limit[k] = v[1];
        }
    }
    return m.ok;
}

/* "0.1" or "2.0-3.7" */
static bool rd_dma_alias(struct yp *p, struct topo_devfn_range *out)
{
    const char *text = scalar(p, "dma_alias", "a devfn or a devfn range like \"2.0-3.7\"");
    char first[16];
    const char *dash;
    bool ok;

    if (!text)
        return false;
    dash = strchr(text, '-');
    if (dash && (size_t)(dash - text) < sizeof(first)) {
        memcpy(first, text, (size_t)(dash - text));
        first[dash - text] = '\0';
        ok = report_devfn(p, "dma_alias", text, devfn_parse(&out->first, first)) &&
             report_devfn(p, "dma_alias", text, devfn_parse(&out->last, dash + 1));
    } else {
        ok = report_devfn(p, "dma_alias", text, devfn_parse(&out->first, text));
        out->last = out->first;
    }
    advance(p);
    return ok;
}

static bool rd_virtio(struct yp *p, struct topo_fn_desc *d)
{
    struct map m;

    d->is_virtio = true;
    if (!map_begin(p, &m, &virtio_keys, "virtio"))
        return false;
    while (map_next(p, &m) >= 0)
        m.ok &= rd_bool(p, "access_platform", &d->access_platform);
    return m.ok;
}

static bool parse_fn(struct yp *p, enum scn_machine mach, struct topology *t, uint32_t parent,
                     uint32_t hb);

static bool parse_children(struct yp *p, enum scn_machine mach, struct topology *t, uint32_t parent,
                           uint32_t hb)
{
    bool ok = true;

    if (++p->depth > MAX_DEPTH) {
        diag_error(p->diags, here(p), "topology is nested deeper than %d levels", MAX_DEPTH);
        p->depth--;
        skip(p);
        return false;
    }
    for (bool more = list_begin(p, "children"); more && list_more(p);)
        ok &= parse_fn(p, mach, t, parent, hb);
    p->depth--;
    return ok;
}

static bool parse_fn(struct yp *p, enum scn_machine mach, struct topology *t, uint32_t parent,
                     uint32_t hb)
{
    struct topo_fn_desc d;
    size_t bars0 = p->bars.n, aliases0 = p->aliases.n, resv0 = p->resv.n;
    struct raw_ref passthrough = { NULL, { 0, 0 } };
    bool children_ok = true;
    uint32_t idx;
    struct map m;
    uint64_t v;
    unsigned e;
    int k;

    memset(&d, 0, sizeof(d));
    d.vendor_id = d.device_id = d.class_code = d.secondary = d.subordinate = -1;
    d.subsystem_vendor_id = d.subsystem_id = -1;
    d.cmd_memory = d.cmd_io = d.cmd_bus_master = TOPO_DEFAULT;
    d.parent = parent;
    d.hb = hb;
    d.mark = here(p);
    if (topo_fn_reserve(t, &idx) < 0)
        return false;
    if (!map_begin(p, &m, &fn_keys, "children"))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        struct src_mark at = here(p);

        switch ((enum fn_key)k) {
        case FK_ID:
            m.ok &= rd_id(p, mach, ID_FUNCTION, idx, &d.id);
            break;
        case FK_KIND:
            d.kind_mark = at;
            if (!rd_enum(p, "kind", topo_kind_names, TOPO_KIND_COUNT, &e)) {
                m.ok = false;
            } else if (e == TOPO_HOST_BRIDGE) {
                diag_error(p->diags, at,
                           "a host-bridge cannot be a child; list it at the top level of "
                           "'topology'");
                m.ok = false;
            } else {
                d.kind = (enum topo_kind)e;
            }
            break;
        case FK_DEVFN:
            d.devfn_mark = at;
            m.ok &= rd_devfn(p, "devfn", &d.devfn);
            break;
        case FK_VENDOR:
            d.vendor_mark = at;
            if ((m.ok &= rd_bits(p, "vendor", 16, &v)))
                d.vendor_id = (int32_t)v;
            break;
        case FK_DEVICE:
            if ((m.ok &= rd_bits(p, "device", 16, &v)))
                d.device_id = (int32_t)v;
            break;
        case FK_CLASS:
            if ((m.ok &= rd_bits(p, "class", 24, &v)))
                d.class_code = (int32_t)v;
            break;
        case FK_SECONDARY:
            d.secondary_mark = at;
            if ((m.ok &= rd_bits(p, "secondary", 8, &v)))
                d.secondary = (int32_t)v;
            break;
        case FK_SUBORDINATE:
            d.subordinate_mark = at;
            if ((m.ok &= rd_bits(p, "subordinate", 8, &v)))
                d.subordinate = (int32_t)v;
            break;
        case FK_ACS:
            m.ok &= rd_acs(p, &d);
            break;
        case FK_BARS:
            for (bool more = list_begin(p, "bars"); more && list_more(p);) {
                struct topo_bar_desc b;

                m.ok &= rd_bar(p, &b);
                if (vec_push(&p->bars, b) < 0)
                    m.ok = false;
            }
            break;
        case FK_ROM:
            d.rom_mark = at;
            m.ok &= rd_rom(p, &d.rom);
            break;
        case FK_COMMAND:
            m.ok &= rd_command(p, &d);
            break;
        case FK_WINDOWS:
            m.ok &= rd_windows(p, &d);
            break;
        case FK_DMA_ALIAS:
            for (bool more = list_begin(p, "dma_alias"); more && list_more(p);) {
                struct topo_devfn_range r = { 0, 0 };

                m.ok &= rd_dma_alias(p, &r);
                if (vec_push(&p->aliases, r) < 0)
                    m.ok = false;
            }
            break;
        case FK_QUIRKS:
            for (bool more = list_begin(p, "quirks"); more && list_more(p);) {
                if (rd_enum(p, "quirk", topo_quirk_names, TOPO_QUIRK_COUNT, &e))
                    d.quirks |= 1u << e;
                else
                    m.ok = false;
            }
            break;
        case FK_DMA_BITS:
            m.ok &= rd_width(p, "dma_bits", &d.dma_bits);
            break;
        case FK_RESERVED:
            m.ok &= rd_resv_list(p, &p->resv);
            break;
        case FK_VIRTIO:
            m.ok &= rd_virtio(p, &d);
            break;
        case FK_DRIVER:
            if (rd_enum(p, "driver", topo_driver_names, TOPO_DRIVER_COUNT, &e)) {
                d.driver = (enum topo_driver)e;
                d.has_driver = true;
            } else {
                m.ok = false;
            }
            break;
        case FK_PASSTHROUGH:
            passthrough.mark = at;
            if (mach != SCN_GUEST) {
                diag_error(p->diags, at,
                           "'passthrough' is only valid on guest functions: it names the host "
                           "function assigned to the guest");
                m.ok = false;
                skip(p);
            } else {
                m.ok &= rd_str(p, "passthrough", &passthrough.text);
            }
            break;
        case FK_CHILDREN:
            children_ok = parse_children(p, mach, t, idx, hb);
            break;
        case FK_SUBSYSTEM_VENDOR:
            if ((m.ok &= rd_bits(p, "subsystem_vendor", 16, &v)))
                d.subsystem_vendor_id = (int32_t)v;
            break;
        case FK_SUBSYSTEM_DEVICE:
            if ((m.ok &= rd_bits(p, "subsystem_device", 16, &v)))
                d.subsystem_id = (int32_t)v;
            break;
        }
    }
    if (m.ok && !m.at[FK_ID].line) {
        diag_error(p->diags, m.start, "a function needs an 'id'");
        m.ok = false;
    }
    if (m.ok && !m.at[FK_KIND].line) {
        diag_error(p->diags, m.start, "function '%s' needs a 'kind'", d.id);
        m.ok = false;
    }
    if (m.ok && !m.at[FK_DEVFN].line) {
        diag_error(p->diags, m.start, "function '%s' needs a 'devfn' (e.g. \"1c.0\")", d.id);
        m.ok = false;
    }
    if (m.ok) {
        /* never NULL + 0: an empty stack has no storage yet */
        d.nbars = p->bars.n - bars0;
        d.bars = d.nbars ? p->bars.v + bars0 : NULL;
        d.ndma_alias = p->aliases.n - aliases0;
        d.dma_alias = d.ndma_alias ? p->aliases.v + aliases0 : NULL;
        d.nreserved = p->resv.n - resv0;
        d.reserved = d.nreserved ? p->resv.v + resv0 : NULL;
        if (topo_fn_define(t, idx, &d, p->diags) < 0)
            m.ok = false;
    }
    if (passthrough.text &&
        vec_push(&p->ld->pm[mach].passthrough, ((struct pending_ref){ idx, passthrough })) < 0)
        m.ok = false;
    p->bars.n = bars0;
    p->aliases.n = aliases0;
    p->resv.n = resv0;
    return m.ok && children_ok;
}

static bool parse_hb(struct yp *p, enum scn_machine mach, struct topology *t)
{
    uint32_t idx = (uint32_t)topo_hb_count(t);
    struct topo_hb hb;
    struct raw_ref owner = { NULL, { 0, 0 } };
    bool children_ok = true;
    struct map m;
    uint64_t v;
    unsigned e;
    int k;

    memset(&hb, 0, sizeof(hb));
    hb.dma_owner = TOPO_NONE;
    hb.mark = here(p);
    if (!map_begin(p, &m, &hb_keys, "topology"))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        struct src_mark at = here(p);

        switch (k) {
        case 0:
            m.ok &= rd_id(p, mach, ID_HOST_BRIDGE, idx, &hb.id);
            break;
        case 1:
            if (!rd_enum(p, "kind", topo_kind_names, TOPO_KIND_COUNT, &e)) {
                m.ok = false;
            } else if (e != TOPO_HOST_BRIDGE) {
                diag_error(p->diags, at,
                           "the top level of 'topology' lists host bridges, not %s %s: put it in "
                           "the children of a host bridge",
                           topo_kind_article((enum topo_kind)e), topo_kind_names[e]);
                m.ok = false;
            }
            break;
        case 2:
            if ((m.ok &= rd_bits(p, "segment", 16, &v)))
                hb.segment = (uint16_t)v;
            break;
        case 3:
            if ((m.ok &= rd_bits(p, "bus", 8, &v)))
                hb.bus = (uint8_t)v;
            break;
        case 4:
            owner.mark = at;
            m.ok &= rd_str(p, "dma_owner", &owner.text);
            break;
        case 5:
            children_ok = parse_children(p, mach, t, TOPO_NONE, idx);
            break;
        }
    }
    if (m.ok && !m.at[0].line) {
        diag_error(p->diags, m.start, "a host bridge needs an 'id'");
        m.ok = false;
    }
    if (m.ok && !m.at[1].line) {
        diag_error(p->diags, m.start, "host bridge '%s' needs 'kind: host-bridge'", hb.id);
        m.ok = false;
    }
    if (!hb.id)
        hb.id = "";
    /* Always add it: its children already hold this index. */
    if (topo_hb_add(t, &hb, NULL) < 0)
        m.ok = false;
    if (owner.text &&
        vec_push(&p->ld->pm[mach].dma_owner, ((struct pending_ref){ idx, owner })) < 0)
        m.ok = false;
    return m.ok && children_ok;
}

/* A list of lists of names (groups). */
static bool rd_groups(struct yp *p, const char *key, struct raw_groups *g)
{
    bool ok = true;

    g->present = true;
    g->mark = here(p);
    g->refs.n = g->start.n = 0;
    for (bool more = list_begin(p, key); more && list_more(p);) {
        if (vec_push(&g->start, (uint32_t)g->refs.n) < 0)
            return false;
        for (bool inner = list_begin(p, key); inner && list_more(p);) {
            struct raw_ref r = { NULL, here(p) };

            if (!rd_str(p, key, &r.text)) {
                ok = false;
                continue;
            }
            if (vec_push(&g->refs, r) < 0)
                return false;
        }
    }
    return vec_push(&g->start, (uint32_t)g->refs.n) == 0 && ok;
}

KEYSET(machine_keys, "a machine", "platform", "iommus", "topology", "groups");

static bool parse_machine(struct yp *p, enum scn_machine mach)
{
    struct pending_machine *pm = &p->ld->pm[mach];
    struct topology *t;
    struct map m;
    int k;

    pm->present = true;
    pm->mark = here(p);
    if (topo_new(&t, scn_machine_names[mach]) < 0)
        return false;
    p->s->machine[mach] = t;
    if (!map_begin(p, &m, &machine_keys, scn_machine_names[mach]))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        switch (k) {
        case 0:
            m.ok &= parse_platform(p, t);
            break;
        case 1:
            for (bool more = list_begin(p, "iommus"); more && list_more(p);) {
                struct pending_iommu pi;

                m.ok &= parse_iommu(p, mach, (uint32_t)pm->iommus.n, &pi);
                if (vec_push(&pm->iommus, pi) < 0)
                    m.ok = false;
            }
            break;
        case 2:
            for (bool more = list_begin(p, "topology"); more && list_more(p);)
                m.ok &= parse_hb(p, mach, t);
            break;
        case 3:
            m.ok &= rd_groups(p, "groups", &pm->groups);
            break;
        }
    }
    return m.ok;
}

/* --- semantics, replay, dma, explore, expect ---------------------------------------------- */

KEYSET(semantics_keys, "semantics", "linux", "qemu");

static bool rd_version(struct yp *p, const char *key, struct scn_version *out)
{
    const char *text = scalar(p, key, "a version like \"6.12\"");
    unsigned part[3] = { 0, 0, 0 }, n = 0;
    const char *c;
    bool ok = true;

    if (!text)
        return false;
    for (c = text; ok && *c; c++) {
        if (*c >= '0' && *c <= '9') {
            if (part[n] > 9999)
                ok = false;
            part[n] = part[n] * 10 + (unsigned)(*c - '0');
        } else if (*c == '.' && n < 2 && c != text && c[-1] != '.') {
            n++;
        } else {
            ok = false;
        }
    }
    if (!ok || n == 0 || c[-1] == '.' || part[0] == 0) {
        diag_error(p->diags, here(p), "%s '%s' is not a version like \"6.12\"", key, text);
        ok = false;
    }
    out->major = part[0];
    out->minor = part[1];
    out->patch = part[2];
    advance(p);
    return ok;
}

static bool parse_semantics(struct yp *p)
{
    struct map m;
    int k;

    if (!map_begin(p, &m, &semantics_keys, "semantics"))
        return false;
    while ((k = map_next(p, &m)) >= 0)
        m.ok &= rd_version(p, k == 0 ? "semantics.linux" : "semantics.qemu",
                           k == 0 ? &p->s->semantics.linux_version : &p->s->semantics.qemu_version);
    return m.ok;
}

KEYSET(op_keys, "an op", "op", "dev", "reg", "len", "value", "expect");
KEYSET(sequence_keys, "a sequence", "generator", "devices");

static bool rd_op(struct yp *p, struct scn_op *op)
{
    struct map m;
    uint64_t v;
    unsigned e;
    int k;

    memset(op, 0, sizeof(*op));
    op->mark = here(p);
    if (!map_begin(p, &m, &op_keys, "ops"))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        switch (k) {
        case 0:
            if (rd_enum(p, "op", (const char *const[]){ "read", "write" }, 2, &e))
                op->op = (enum scn_op_kind)e;
            else
                m.ok = false;
            break;
        case 1:
            m.ok &= rd_devref(p, "dev", &op->dev);
            break;
        case 2:
            if ((m.ok &= rd_range_fmt(p, "reg", 0, 0xfff, true, &v)))
                op->reg = (uint16_t)v;
            break;
        case 3: {
            struct src_mark at = here(p);

            if ((m.ok &= rd_range(p, "len", 1, 4, &v)) && v == 3) {
                diag_error(p->diags, at, "len 3 is not an access size: use 1, 2 or 4");
                m.ok = false;
            }
            op->len = (uint8_t)v;
            break;
        }
        case 4:
            if ((m.ok &= rd_bits(p, "value", 32, &v)))
                op->value = (uint32_t)v;
            break;
        case 5:
            op->has_expect = true;
            if ((m.ok &= rd_bits(p, "expect", 32, &v)))
                op->expect = (uint32_t)v;
            break;
        }
    }
    if (!m.ok)
        return false;
    if (!m.at[0].line || !m.at[1].line || !m.at[2].line || !m.at[3].line) {
        diag_error(p->diags, m.start, "an op needs 'op', 'dev', 'reg' and 'len'");
        return false;
    }
    if ((op->reg & 3u) + op->len > 4) {
        diag_error(p->diags, m.at[2],
                   "reg 0x%x with len %u crosses a dword boundary: a config access stays within "
                   "one dword",
                   op->reg, op->len);
        return false;
    }
    if (op->op == SCN_OP_WRITE && (!m.at[4].line || m.at[5].line)) {
        diag_error(p->diags, m.start, "a write needs a 'value' and takes no 'expect'");
        return false;
    }
    if (op->op == SCN_OP_READ && m.at[4].line) {
        diag_error(p->diags, m.at[4],
                   "a read takes no 'value' (use 'expect' for what it returned)");
        return false;
    }
    if (op->len < 4 && op->op == SCN_OP_WRITE && op->value >> (8 * op->len)) {
        diag_error(p->diags, m.at[4], "value 0x%x does not fit in %u byte%s", op->value, op->len,
                   op->len == 1 ? "" : "s");
        return false;
    }
    if (op->len < 4 && op->has_expect && op->expect >> (8 * op->len)) {
        diag_error(p->diags, m.at[5], "expect 0x%x does not fit in %u byte%s", op->expect, op->len,
                   op->len == 1 ? "" : "s");
        return false;
    }
    return true;
}

static bool rd_ops(struct yp *p, struct scn_op **out, size_t *n)
{
    VEC(struct scn_op) ops = { 0 };
    bool ok = true;

    for (bool more = list_begin(p, "ops"); more && list_more(p);) {
        struct scn_op op;

        ok &= rd_op(p, &op);
        if (vec_push(&ops, op) < 0)
            ok = false;
    }
    TAKE(ops, *out, *n);
    return ok && *out;
}

static bool rd_sequence(struct yp *p, struct scn_sequence *out)
{
    VEC(struct scn_devref) devs = { 0 };
    struct map m;
    unsigned e;
    int k;

    memset(out, 0, sizeof(*out));
    if (!map_begin(p, &m, &sequence_keys, "sequence"))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        if (k == 0) {
            if (rd_enum(p, "generator", scn_generator_names, SCN_GENERATOR_COUNT, &e))
                out->generator = (enum scn_generator)e;
            else
                m.ok = false;
        } else {
            for (bool more = list_begin(p, "devices"); more && list_more(p);) {
                struct scn_devref d;

                m.ok &= rd_devref(p, "devices", &d);
                if (vec_push(&devs, d) < 0)
                    m.ok = false;
            }
        }
    }
    TAKE(devs, out->devices, out->ndevices);
    if (m.ok && (!m.at[0].line || !out->ndevices)) {
        diag_error(p->diags, m.start, "a sequence needs a 'generator' and at least one device");
        return false;
    }
    return m.ok && out->devices;
}

KEYSET(replay_keys, "replay", "machine", "policy", "listener", "vfio_filter", "ops", "trace",
       "sequence");

/* The keys replay and explore share; k is the index in replay_keys. */
static bool rd_replay_common(struct yp *p, int k, enum scn_machine *machine,
                             enum scn_policy *policy, bool *listener, int *vfio_filter)
{
    unsigned e;
    bool b;

    switch (k) {
    case 0:
        if (!rd_enum(p, "machine", scn_machine_names, SCN_MACHINE_COUNT, &e))
            return false;
        *machine = (enum scn_machine)e;
        return true;
    case 1:
        if (!rd_enum(p, "policy", scn_policy_names, 2, &e))
            return false;
        *policy = (enum scn_policy)e;
        return true;
    case 2:
        if (!rd_enum(p, "listener", (const char *const[]){ "vfio" }, 1, &e))
            return false;
        *listener = true;
        return true;
    case 3:
        if (!rd_bool(p, "vfio_filter", &b))
            return false;
        *vfio_filter = b;
        return true;
    }
    return false;
}

static bool trace_readable(struct yp *p, const char *path, struct src_mark at)
{
    FILE *f = fopen(path, "r");

    if (!f) {
        diag_error(p->diags, at, "cannot read trace file '%s': %s", path, strerror(errno));
        return false;
    }
    fclose(f);
    return true;
}

/* path relative to the scenario file's directory */
static const char *relative_to_scenario(struct yp *p, const char *rel)
{
    const char *slash = strrchr(p->s->path, '/');
    struct strbuf sb = STRBUF_INIT;
    const char *out;

    if (rel[0] == '/' || !slash)
        return rel;
    strbuf_add(&sb, p->s->path, (size_t)(slash - p->s->path) + 1);
    strbuf_puts(&sb, rel);
    out = sb.oom ? NULL : arena_strdup(&p->s->arena, strbuf_cstr(&sb));
    strbuf_fini(&sb);
    return out;
}

static bool parse_replay(struct yp *p)
{
    struct scn_replay *r = &p->s->replay;
    struct map m;
    int k;

    r->present = true;
    r->vfio_filter = -1;
    r->mark = here(p);
    if (!map_begin(p, &m, &replay_keys, "replay"))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        struct src_mark at = here(p);
        const char *trace;

        if (k <= 3) {
            m.ok &=
                rd_replay_common(p, k, &r->machine, &r->policy, &r->listener_vfio, &r->vfio_filter);
        } else if (k == 4) {
            r->source = SCN_SOURCE_OPS;
            m.ok &= rd_ops(p, &r->ops, &r->nops);
        } else if (k == 5) {
            r->source = SCN_SOURCE_TRACE;
            if (!rd_str(p, "trace", &trace)) {
                m.ok = false;
                continue;
            }
            r->trace = relative_to_scenario(p, trace);
            m.ok &= r->trace && trace_readable(p, r->trace, at);
        } else {
            r->source = SCN_SOURCE_SEQUENCE;
            m.ok &= rd_sequence(p, &r->sequence);
        }
    }
    if (m.ok && (!!m.at[4].line + !!m.at[5].line + !!m.at[6].line) != 1) {
        diag_error(p->diags, m.start, "replay needs exactly one of 'ops', 'trace' or 'sequence'");
        return false;
    }
    p->ld->replay_machine_given = m.at[0].line != 0;
    r->mark = m.at[0].line ? m.at[0] : m.start;
    return m.ok;
}

KEYSET(dma_keys, "a DMA request", "dev", "iova", "size");

static bool parse_dma(struct yp *p)
{
    VEC(struct scn_dma) reqs = { 0 };
    bool ok = true;

    for (bool more = list_begin(p, "dma"); more && list_more(p);) {
        struct scn_dma d;
        struct map m;
        int k;

        memset(&d, 0, sizeof(d));
        d.mark = here(p);
        if (!map_begin(p, &m, &dma_keys, "dma")) {
            ok = false;
            continue;
        }
        while ((k = map_next(p, &m)) >= 0) {
            if (k == 0)
                m.ok &= rd_devref(p, "dev", &d.dev);
            else if (k == 1)
                m.ok &= rd_addr(p, "iova", &d.iova);
            else
                m.ok &= rd_addr(p, "size", &d.size);
        }
        if (m.ok && (!m.at[0].line || !m.at[1].line || !m.at[2].line)) {
            diag_error(p->diags, m.start, "a DMA request needs 'dev', 'iova' and 'size'");
            m.ok = false;
        } else if (m.ok && (d.size == 0 || d.iova + (d.size - 1) < d.iova)) {
            diag_error(p->diags, m.start,
                       "DMA request [0x%" PRIx64 " + 0x%" PRIx64 "] is empty or runs past 2^64",
                       d.iova, d.size);
            m.ok = false;
        }
        ok &= m.ok;
        if (vec_push(&reqs, d) < 0)
            ok = false;
    }
    TAKE(reqs, p->s->dma, p->s->ndma);
    return ok && p->s->dma;
}

KEYSET(explore_keys, "explore", "machine", "policy", "listener", "vfio_filter", "actors",
       "invariants", "max_states", "reduction");
KEYSET(actor_keys, "an actor", "cpu", "sequence", "ops");

static bool parse_explore(struct yp *p)
{
    struct scn_explore *x = &p->s->explore;
    VEC(struct scn_actor) actors = { 0 };
    VEC(enum check_invariant) invs = { 0 };
    struct map m;
    unsigned e;
    uint64_t v;
    int k;

    x->present = true;
    x->vfio_filter = -1;
    x->max_states = 10000000;
    x->reduction = true;
    x->mark = here(p);
    if (!map_begin(p, &m, &explore_keys, "explore"))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        if (k <= 3) {
            m.ok &=
                rd_replay_common(p, k, &x->machine, &x->policy, &x->listener_vfio, &x->vfio_filter);
            continue;
        }
        switch (k) {
        case 4:
            for (bool more = list_begin(p, "actors"); more && list_more(p);) {
                struct scn_actor a;
                struct map am;
                int ak;

                memset(&a, 0, sizeof(a));
                a.mark = here(p);
                if (!map_begin(p, &am, &actor_keys, "actors")) {
                    m.ok = false;
                    continue;
                }
                while ((ak = map_next(p, &am)) >= 0) {
                    if (ak == 0) {
                        if ((am.ok &= rd_range(p, "cpu", 0, 4095, &v)))
                            a.cpu = (uint32_t)v;
                    } else if (ak == 1) {
                        a.has_sequence = true;
                        am.ok &= rd_sequence(p, &a.sequence);
                    } else {
                        am.ok &= rd_ops(p, &a.ops, &a.nops);
                    }
                }
                if (am.ok && !am.at[1].line == !am.at[2].line) {
                    diag_error(p->diags, am.start, "an actor needs one of 'sequence' or 'ops'");
                    am.ok = false;
                }
                m.ok &= am.ok;
                if (vec_push(&actors, a) < 0)
                    m.ok = false;
            }
            break;
        case 5:
            for (bool more = list_begin(p, "invariants"); more && list_more(p);) {
                if (!rd_enum(p, "invariant", check_invariant_names, CHECK_INVARIANT_COUNT, &e))
                    m.ok = false;
                else if (vec_push(&invs, (enum check_invariant)e) < 0)
                    m.ok = false;
            }
            break;
        case 6:
            m.ok &= rd_range(p, "max_states", 1, UINT64_MAX, &x->max_states);
            break;
        case 7:
            m.ok &= rd_bool(p, "reduction", &x->reduction);
            break;
        }
    }
    TAKE(actors, x->actors, x->nactors);
    TAKE(invs, x->invariants, x->ninvariants);
    if (m.ok && !x->nactors) {
        diag_error(p->diags, m.start, "explore needs at least one actor");
        return false;
    }
    p->ld->explore_machine_given = m.at[0].line != 0;
    x->mark = m.at[0].line ? m.at[0] : m.start;
    return m.ok && x->actors && x->invariants;
}

KEYSET(expect_keys, "expect", "findings", "groups", "aliases");
KEYSET(finding_keys, "an expected finding", "code", "subject");

/* A requester ID as written in expect.aliases: "BB:DD.F", "SSSS:BB:DD.F" or 0x0208. */
static bool rd_rid(struct yp *p, struct bdf *out, bool *has_domain)
{
    const char *text = scalar(p, "aliases", "a requester ID");
    uint64_t v;
    bool ok = true;

    if (!text)
        return false;
    *has_domain = false;
    if (bdf_parse(out, has_domain, text) != 0) {
        if (num_parse_u64(&v, text, false) == NUM_OK && v <= 0xffff) {
            *out = bdf_from_rid(0, (uint16_t)v);
        } else {
            diag_error(p->diags, here(p),
                       "alias '%s' is not a requester ID (BB:DD.F, SSSS:BB:DD.F or 0x0208)", text);
            ok = false;
        }
    }
    advance(p);
    return ok;
}

static bool parse_expect(struct yp *p)
{
    struct scn_expect *x = &p->s->expect;
    VEC(struct scn_expect_finding) findings = { 0 };
    VEC(struct scn_expect_alias) aliases = { 0 };
    struct map m;
    unsigned e;
    int k;

    if (!map_begin(p, &m, &expect_keys, "expect"))
        return false;
    while ((k = map_next(p, &m)) >= 0) {
        if (k == 0) {
            x->has_findings = true;
            for (bool more = list_begin(p, "findings"); more && list_more(p);) {
                struct scn_expect_finding f;
                struct map fm;
                int fk;

                memset(&f, 0, sizeof(f));
                f.mark = here(p);
                if (!map_begin(p, &fm, &finding_keys, "findings")) {
                    m.ok = false;
                    continue;
                }
                while ((fk = map_next(p, &fm)) >= 0) {
                    if (fk == 1)
                        fm.ok &= rd_str(p, "subject", &f.subject);
                    else if (rd_enum(p, "finding code", finding_code_names, FINDING_CODE_COUNT, &e))
                        f.code = (enum finding_code)e;
                    else
                        fm.ok = false;
                }
                if (fm.ok && (!fm.at[0].line || !fm.at[1].line)) {
                    diag_error(p->diags, fm.start,
                               "an expected finding needs 'code' and 'subject'");
                    fm.ok = false;
                }
                m.ok &= fm.ok;
                if (vec_push(&findings, f) < 0)
                    m.ok = false;
            }
        } else if (k == 1) {
            struct map gm;
            static const struct keyset machines = { "expect.groups", scn_machine_names,
                                                    SCN_MACHINE_COUNT };
            int gk;

            if (!map_begin(p, &gm, &machines, "groups")) {
                m.ok = false;
                continue;
            }
            while ((gk = map_next(p, &gm)) >= 0)
                gm.ok &= rd_groups(p, "groups", &p->ld->expect_groups[gk]);
            m.ok &= gm.ok;
        } else {
            if (p->ev.type != YAML_MAPPING_START_EVENT) {
                wrong_type(p, "aliases", "a mapping of device to requester IDs");
                m.ok = false;
                continue;
            }
            advance(p);
            while (!p->dead && p->ev.type != YAML_MAPPING_END_EVENT) {
                struct scn_expect_alias a;
                VEC(struct bdf) rids = { 0 };
                VEC(bool) doms = { 0 };

                memset(&a, 0, sizeof(a));
                if (!rd_devref(p, "aliases", &a.dev)) {
                    skip(p);
                    m.ok = false;
                    continue;
                }
                for (bool more = list_begin(p, "aliases"); more && list_more(p);) {
                    struct bdf b;
                    bool dom;

                    if (!rd_rid(p, &b, &dom))
                        m.ok = false;
                    else if (vec_push(&rids, b) < 0 || vec_push(&doms, dom) < 0)
                        m.ok = false;
                }
                TAKE(rids, a.rids, a.nrids);
                TAKE(doms, a.rid_has_domain, a.nrids);
                if (vec_push(&aliases, a) < 0)
                    m.ok = false;
            }
            advance(p);
        }
    }
    TAKE(findings, x->findings, x->nfindings);
    TAKE(aliases, x->aliases, x->naliases);
    return m.ok && x->findings && x->aliases;
}

/* --- The document ------------------------------------------------------------------------- */

KEYSET(scenario_keys, "a scenario", "name", "description", "references", "host", "guest",
       "semantics", "replay", "dma", "explore", "expect");

static bool name_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

static bool parse_scenario(struct yp *p)
{
    VEC(const char *) refs = { 0 };
    struct map m;
    int k;

    if (p->ev.type != YAML_MAPPING_START_EVENT) {
        diag_error(p->diags, here(p), "a scenario is a mapping with 'name' and 'host' or 'guest'");
        return false;
    }
    map_begin(p, &m, &scenario_keys, "scenario");
    while ((k = map_next(p, &m)) >= 0) {
        struct src_mark at = here(p);

        switch (k) {
        case 0:
            if (rd_str(p, "name", &p->s->name) && !name_ok(p->s->name)) {
                diag_error(p->diags, at, "name '%s' must match [a-z0-9-]+", p->s->name);
                m.ok = false;
            }
            break;
        case 1:
            m.ok &= rd_str(p, "description", &p->s->description);
            break;
        case 2:
            for (bool more = list_begin(p, "references"); more && list_more(p);) {
                const char *r;

                if (!rd_str(p, "references", &r))
                    m.ok = false;
                else if (vec_push(&refs, r) < 0)
                    m.ok = false;
            }
            break;
        case 3:
            m.ok &= parse_machine(p, SCN_HOST);
            break;
        case 4:
            m.ok &= parse_machine(p, SCN_GUEST);
            break;
        case 5:
            m.ok &= parse_semantics(p);
            break;
        case 6:
            m.ok &= parse_replay(p);
            break;
        case 7:
            m.ok &= parse_dma(p);
            break;
        case 8:
            m.ok &= parse_explore(p);
            break;
        case 9:
            m.ok &= parse_expect(p);
            break;
        }
    }
    TAKE(refs, p->s->references, p->s->nreferences);
    if (!p->dead && !m.at[0].line) {
        diag_error(p->diags, m.start, "a scenario needs a 'name'");
        m.ok = false;
    }
    if (!p->dead && !m.at[3].line && !m.at[4].line) {
        diag_error(p->diags, m.start, "a scenario needs a 'host' or a 'guest' machine");
        m.ok = false;
    }
    return m.ok;
}

/* Parse the whole input set up in p->parser. */
static int parse_stream(struct yp *p)
{
    advance(p); /* stream start */
    advance(p);
    if (!p->dead && p->ev.type == YAML_STREAM_END_EVENT) {
        diag_error(p->diags, (struct src_mark){ 1, 1 },
                   "the file is empty: a scenario is a mapping with 'name' and 'host' or 'guest'");
    } else if (!p->dead) {
        advance(p); /* document start -> root node */
        parse_scenario(p);
        if (!p->dead && p->ev.type == YAML_DOCUMENT_END_EVENT)
            advance(p);
        if (!p->dead && p->ev.type == YAML_DOCUMENT_START_EVENT)
            diag_error(p->diags, here(p), "a scenario file holds one YAML document, not several");
    }
    if (p->have)
        yaml_event_delete(&p->ev);
    if (p->have_next)
        yaml_event_delete(&p->next);
    yaml_parser_delete(&p->parser);
    vec_free(&p->bars);
    vec_free(&p->aliases);
    vec_free(&p->resv);
    return p->ld->diags->nerrors ? SIM_EINVAL : SIM_OK;
}

static bool yp_init(struct yp *p, struct loader *ld)
{
    memset(p, 0, sizeof(*p));
    p->ld = ld;
    p->s = ld->s;
    p->diags = ld->diags;
    return yaml_parser_initialize(&p->parser) != 0;
}

int scn_yaml_parse(struct loader *ld, const struct scn_input *in)
{
    struct yp p;

    if (!yp_init(&p, ld))
        return SIM_ENOMEM;
    if (in->file) {
        yaml_parser_set_input_file(&p.parser, in->file);
        p.file = in->file;
    } else {
        yaml_parser_set_input_string(&p.parser, (const unsigned char *)in->buf, in->len);
        p.buf = in->buf;
        p.len = in->len;
    }
    return parse_stream(&p);
}

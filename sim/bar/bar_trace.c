/* BAR -- trace parsing: the config accesses of a QEMU trace log or a vfio debug log. */
#include "sim/bar/bar.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util/err.h"
#include "sim/util/vec.h"

/*
 * Accepted lines, after an optional "PID@SEC.USEC:" prefix (QEMU's log backend with
 * -msg timestamp=on) and an optional "word: " prefix in front of a known event name (the
 * "vfio: " of QEMU 1.x's DPRINTF output, as in seed 002):
 *
 *   vfio_pci_read_config(0000:01:10.0, @0x10, len=0x4) febe0004        QEMU 1.x DPRINTF
 *   vfio_pci_read_config  (0000:01:10.0, @0x10, len=0x4) 0xfebe0004    trace-events form
 *   vfio_pci_write_config(0000:01:10.0, @0x10, 0xffffffff, len=0x4)
 *   pci_cfg_read mch 00:00.0 @0x0 -> 0x29c08086
 *   pci_cfg_write pcie-root-port 00:02.0 @0x19 <- 0xff
 *   memory_region_ops_read cpu 0 mr 0x1 addr 0xcfc value 0x29c08086 size 4 name 'pci-conf-data'
 *   memory_region_ops_write cpu 0 mr 0x1 addr 0xb0010019 value 0xff size 1 name 'pcie-mmcfg-mmio'
 *
 * The vfio value after ')' may be absent (no expected value) and may lack its 0x; the length
 * may also be written "0x4B". vfio lines name the HOST function; pci_cfg lines name a BDF of
 * the replayed machine as it was numbered at that moment, routed at replay time.
 *
 * QEMU's pci_cfg_* events carry no size. memory_region_ops_* lines on 'pci-conf-data'
 * (CF8/CFC) or 'pcie-mmcfg-mmio' (ECAM) give it: QEMU traces a region write before calling
 * the device (so it is the memory_region_ops line just before pci_cfg_write) and a region read
 * after the device returned (the first config-region read after pci_cfg_read). Such a line is
 * used only when it agrees with the access: the same value, and the same offset bits (the
 * low two address bits for CF8/CFC, the low twelve for ECAM; the address is absolute).
 * memory_region_ops lines are not accesses themselves: they count as skipped.
 *
 * An access traced twice -- pci_cfg_read on the line right after the vfio_pci_read_config it
 * returned, or vfio_pci_write_config on the line right after the pci_cfg_write that reached
 * it, with the same offset and value -- becomes one op, the vfio one (its length is exact);
 * the other line counts as skipped.
 */

typedef VEC(struct bar_op) op_vec;

#define CFG_SPACE_SIZE 4096u
#define OFF_TOO_BIG    "offset is beyond configuration space (0xfff):"

enum ev {
    EV_NONE,
    EV_VFIO_READ,
    EV_VFIO_WRITE,
    EV_CFG_READ,
    EV_CFG_WRITE,
    EV_MR_READ,
    EV_MR_WRITE,
};

static const struct {
    const char *name;
    enum ev ev;
} events[] = {
    { "vfio_pci_read_config", EV_VFIO_READ }, { "vfio_pci_write_config", EV_VFIO_WRITE },
    { "pci_cfg_read", EV_CFG_READ },          { "pci_cfg_write", EV_CFG_WRITE },
    { "memory_region_ops_read", EV_MR_READ }, { "memory_region_ops_write", EV_MR_WRITE },
};

/* One memory_region_ops_* line on a config-data region. */
struct mr_access {
    uint64_t addr;  /* absolute address */
    uint64_t value; /* value read or written */
    uint64_t size;  /* bytes */
    bool ecam;      /* 'pcie-mmcfg-mmio' rather than 'pci-conf-data' */
};

/* Parser state for one file. */
struct tp {
    op_vec *ops;                 /* where ops go */
    struct bar_trace_stats *st;  /* counters */
    const struct topology *host; /* names the BDFs of vfio lines; may be NULL */
    const uint32_t *host_to_fn;  /* host function -> replayed function; NULL: identity */
    struct diag_list *diags;     /* problems */
    uint32_t line;               /* current line, 1-based */
    size_t bad;                  /* lines with an error */
    bool read_pending;           /* ops->v[ops->n - 1] is a pci_cfg_read without a size yet */
    bool mr_write_valid;         /* mr_write is the last memory_region_ops line, no pci_cfg
                                    line after it */
    struct mr_access mr_write;   /* that config-region write */
    enum ev last_ev;             /* the event that appended the last op (EV_NONE: none) */
    uint32_t last_line;          /* its line */
    bool last_inferred;          /* its size was inferred */
};

/* --- Lexing ------------------------------------------------------------------------------- */

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static bool is_ident(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static bool is_end(const char *p)
{
    return *skip_ws(p) == '\0';
}

enum hex_status { HEX_OK, HEX_NONE, HEX_OVERFLOW };

/* scan_hex() - hex digits (no prefix) at *p into *out, advancing *p past them. */
static enum hex_status scan_hex(const char **p, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;

    if (!isxdigit((unsigned char)*s))
        return HEX_NONE;
    for (; isxdigit((unsigned char)*s); s++) {
        int c = tolower((unsigned char)*s);

        if (v >> 60)
            return HEX_OVERFLOW;
        v = v << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    if (is_ident(*s)) /* "0x12zz" is not a number */
        return HEX_NONE;
    *p = s;
    *out = v;
    return HEX_OK;
}

/* scan_0x() - "0x" and hex digits. */
static enum hex_status scan_0x(const char **p, uint64_t *out)
{
    const char *s = *p;
    enum hex_status hs;

    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return HEX_NONE;
    s += 2;
    if ((hs = scan_hex(&s, out)) == HEX_OK)
        *p = s;
    return hs;
}

/* scan_dec() - decimal digits at *p. */
static bool scan_dec(const char **p, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;

    if (!isdigit((unsigned char)*s))
        return false;
    for (; isdigit((unsigned char)*s); s++) {
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *p = s;
    *out = v;
    return true;
}

/* token_len() - length of the token at p, up to a blank or one of stop. */
static size_t token_len(const char *p, const char *stop)
{
    size_t n = 0;

    while (p[n] && p[n] != ' ' && p[n] != '\t' && !strchr(stop, p[n]))
        n++;
    return n;
}

/* strip_pid_time() - past "PID@SEC.USEC:" and the blanks after it, or p itself. */
static const char *strip_pid_time(const char *p)
{
    const char *s = p;

    if (!isdigit((unsigned char)*s))
        return p;
    while (isdigit((unsigned char)*s))
        s++;
    if (*s++ != '@' || !isdigit((unsigned char)*s))
        return p;
    while (isdigit((unsigned char)*s))
        s++;
    if (*s++ != '.' || !isdigit((unsigned char)*s))
        return p;
    while (isdigit((unsigned char)*s))
        s++;
    if (*s++ != ':')
        return p;
    return skip_ws(s);
}

/* event_at() - the known event whose name is the identifier at p (*end set past it). */
static enum ev event_at(const char *p, const char **end)
{
    size_t n = 0;

    while (is_ident(p[n]))
        n++;
    for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
        if (strlen(events[i].name) == n && !memcmp(p, events[i].name, n)) {
            *end = p + n;
            return events[i].ev;
        }
    }
    return EV_NONE;
}

/* classify() - the event of a line, past its prefixes; *args points after the name. */
static enum ev classify(const char *line, const char **args)
{
    const char *p = skip_ws(strip_pid_time(skip_ws(line))), *s = p;
    enum ev ev = event_at(p, args);

    if (ev != EV_NONE)
        return ev;
    /* "vfio: EVENT" -- a word, a colon and blanks in front of a known event name */
    while (is_ident(*s) || *s == '-' || *s == '.')
        s++;
    if (s == p || s[0] != ':' || (s[1] != ' ' && s[1] != '\t'))
        return EV_NONE;
    return event_at(skip_ws(s + 1), args);
}

/* --- Diagnostics and ops -------------------------------------------------------------- */

static const char *ev_name(enum ev ev)
{
    switch (ev) {
    case EV_VFIO_READ:
        return "vfio_pci_read_config";
    case EV_VFIO_WRITE:
        return "vfio_pci_write_config";
    case EV_CFG_READ:
        return "pci_cfg_read";
    case EV_CFG_WRITE:
        return "pci_cfg_write";
    case EV_MR_READ:
        return "memory_region_ops_read";
    case EV_MR_WRITE:
        return "memory_region_ops_write";
    case EV_NONE:
        break;
    }
    return "?";
}

/*
 * bad_line() - the current line is malformed: "EVENT: WHAT 'TEXT'", quoting n bytes of the
 * line at text (at most 80), at column 1. The line makes no op.
 */
static void bad_line(struct tp *tp, enum ev ev, const char *what, const char *text, size_t n)
{
    struct src_mark at = { tp->line, 1 };

    tp->bad++;
    diag_error(tp->diags, at, "%s: %s '%.*s'", ev_name(ev), what, (int)(n > 80 ? 80 : n), text);
}

/* check_access() - that len bytes at off fit a config space and the value fits len bytes. */
static bool check_access(struct tp *tp, enum ev ev, uint64_t off, uint64_t len, uint64_t value,
                         bool has_value)
{
    struct src_mark at = { tp->line, 1 };

    if (len != 1 && len != 2 && len != 4) {
        diag_error(tp->diags, at, "%s: len=0x%llx is not 1, 2 or 4", ev_name(ev),
                   (unsigned long long)len);
    } else if (off >= CFG_SPACE_SIZE) {
        diag_error(tp->diags, at, "%s: offset 0x%llx is beyond configuration space (0xfff)",
                   ev_name(ev), (unsigned long long)off);
    } else if (off + len > CFG_SPACE_SIZE) {
        diag_error(tp->diags, at,
                   "%s: %llu bytes at 0x%llx run past the end of configuration space (0xfff)",
                   ev_name(ev), (unsigned long long)len, (unsigned long long)off);
    } else if (has_value && value >> (8 * len)) {
        diag_error(tp->diags, at, "%s: value 0x%llx does not fit in %llu bytes", ev_name(ev),
                   (unsigned long long)value, (unsigned long long)len);
    } else {
        return true;
    }
    tp->bad++;
    return false;
}

static int append(struct tp *tp, enum ev ev, const struct bar_op *op, bool inferred)
{
    int err = vec_push(tp->ops, *op);

    if (err < 0)
        return err;
    tp->st->accesses++;
    tp->last_ev = ev;
    tp->last_line = op->line;
    tp->last_inferred = inferred;
    return SIM_OK;
}

/*
 * infer_len() - the size of a pci_cfg access the trace gives none for: the widest naturally
 * aligned access at off (4 when off % 4 == 0, 2 when off % 2 == 0, else 1), as CF8/CFC and
 * ECAM accesses are naturally aligned and configuration software mostly uses dwords. The
 * value must fit (above 0xffff needs 4 bytes, above 0xff at least 2); 0 when it cannot.
 * Note that a byte write at a dword-aligned offset (SeaBIOS's writeb of PCI_PRIMARY_BUS at
 * 0x18) is taken for a dword write: only the memory_region_ops lines make it exact.
 */
static uint8_t infer_len(uint64_t off, uint64_t value)
{
    uint8_t len = (off & 3) == 0 ? 4 : (off & 1) == 0 ? 2 : 1;
    uint8_t need = value > 0xffff ? 4 : value > 0xff ? 2 : 1;

    return need > len ? 0 : len;
}

/* mr_fits() - whether config-region access m is the one that carried (off, value). */
static bool mr_fits(const struct mr_access *m, uint64_t off, uint64_t value)
{
    if (m->size != 1 && m->size != 2 && m->size != 4)
        return false;
    if (m->value != value || value >> (8 * m->size) || off + m->size > CFG_SPACE_SIZE)
        return false;
    if (m->ecam)
        return (m->addr & 0xfff) == off;
    return (m->addr & 3) == (off & 3) && (m->addr & 3) + m->size <= 4;
}

/*
 * settle_len() - give a pci_cfg op its size: from m when it fits, else inferred (counted).
 * A value that fits no inferred size makes the line an error; the op is dropped then.
 */
static bool settle_len(struct tp *tp, struct bar_op *op, enum ev ev, const struct mr_access *m,
                       bool *inferred)
{
    uint32_t value = op->kind == BAR_OP_WRITE ? op->value : op->expect;
    struct src_mark at = { op->line, 1 };

    *inferred = false;
    if (m && mr_fits(m, op->reg, value)) {
        op->len = (uint8_t)m->size;
        return true;
    }
    op->len = infer_len(op->reg, value);
    if (op->len == 0) {
        diag_error(tp->diags, at,
                   "%s: value 0x%x is wider than any access at offset 0x%x can be, and no "
                   "memory_region_ops line gives the size",
                   ev_name(ev), (unsigned)value, (unsigned)op->reg);
        tp->bad++;
        return false;
    }
    *inferred = true;
    tp->st->inferred_sizes++;
    return true;
}

/* settle_read() - the pending pci_cfg_read gets its size from m (NULL: none came). */
static void settle_read(struct tp *tp, const struct mr_access *m)
{
    bool inferred;

    if (!tp->read_pending)
        return;
    tp->read_pending = false;
    if (!settle_len(tp, &tp->ops->v[tp->ops->n - 1], EV_CFG_READ, m, &inferred)) {
        tp->ops->n--;
        tp->st->accesses--;
        tp->last_ev = EV_NONE;
        return;
    }
    tp->last_inferred = inferred;
}

/* --- Events ----------------------------------------------------------------------------- */

/* parse_mr() - a memory_region_ops line on 'pci-conf-data' or 'pcie-mmcfg-mmio' into *out. */
static bool parse_mr(const char *p, struct mr_access *out)
{
    const char *name = strstr(p, " name '"), *end;
    bool have_addr = false, have_value = false, have_size = false;
    size_t n;

    if (!name)
        return false;
    end = strrchr(name + 7, '\'');
    if (!end)
        return false;
    n = (size_t)(end - (name + 7));
    if (n == strlen("pcie-mmcfg-mmio") && !memcmp(name + 7, "pcie-mmcfg-mmio", n))
        out->ecam = true;
    else if (n == strlen("pci-conf-data") && !memcmp(name + 7, "pci-conf-data", n))
        out->ecam = false;
    else
        return false;
    /* "cpu N mr PTR addr 0xA value 0xV size N": key and value pairs before the name */
    for (p = skip_ws(p); p < name; p = skip_ws(p)) {
        size_t klen = token_len(p, "");
        const char *key = p, *v = skip_ws(p + klen);

        if (klen == 4 && !memcmp(key, "addr", 4))
            have_addr = scan_0x(&v, &out->addr) == HEX_OK;
        else if (klen == 5 && !memcmp(key, "value", 5))
            have_value = scan_0x(&v, &out->value) == HEX_OK;
        else if (klen == 4 && !memcmp(key, "size", 4))
            have_size = scan_dec(&v, &out->size);
        p = v + token_len(v, "");
    }
    return have_addr && have_value && have_size;
}

/* host_fn() - the replayed function a vfio line's host BDF stands for, or TOPO_NONE. */
static uint32_t host_fn(struct tp *tp, enum ev ev, struct bdf b)
{
    char buf[BDF_STRLEN];
    struct src_mark at = { tp->line, 1 };
    uint32_t h;

    bdf_format(buf, b, true);
    if (!tp->host) {
        diag_error(tp->diags, at, "%s names host function %s, but there is no host machine",
                   ev_name(ev), buf);
    } else if ((h = topo_fn_find_bdf(tp->host, b)) == TOPO_NONE) {
        diag_error(tp->diags, at, "no host function at %s", buf);
    } else if (!tp->host_to_fn) {
        return h;
    } else if (tp->host_to_fn[h] != TOPO_NONE) {
        return tp->host_to_fn[h];
    } else {
        diag_error(tp->diags, at, "%s names %s, which no guest function passes through",
                   ev_name(ev), buf);
    }
    tp->bad++;
    return TOPO_NONE;
}

/*
 * vfio_line() - " (BDF, @0xOFF, len=0xLEN) [VALUE]" or " (BDF, @0xOFF, 0xVAL, len=0xLEN)"
 * after the event name.
 */
static int vfio_line(struct tp *tp, enum ev ev, const char *p)
{
    bool write = ev == EV_VFIO_WRITE;
    const char *form = write ? "expected '(BDF, @0xOFFSET, 0xVALUE, len=0xLEN)', found"
                             : "expected '(BDF, @0xOFFSET, len=0xLEN) VALUE', found";
    const char *args = skip_ws(p), *tok;
    uint64_t off = 0, len = 0, value = 0;
    bool has_value = write;
    char name[40];
    struct bdf b;
    struct bar_op op;
    enum hex_status hs;
    size_t n;

    p = args;
    if (*p++ != '(')
        goto syntax;
    p = skip_ws(p);
    n = token_len(p, ",)");
    if (n == 0 || n >= sizeof(name))
        goto syntax;
    memcpy(name, p, n);
    name[n] = '\0';
    if (bdf_parse(&b, NULL, name) < 0) {
        bad_line(tp, ev, "host device is not a PCI address:", p, n);
        return SIM_OK;
    }
    p = skip_ws(p + n);
    if (*p++ != ',')
        goto syntax;
    p = skip_ws(p);
    if (*p++ != '@')
        goto syntax;
    tok = p;
    if ((hs = scan_0x(&p, &off)) != HEX_OK) {
        bad_line(tp, ev, hs == HEX_OVERFLOW ? OFF_TOO_BIG : "offset is not a hex number:", tok,
                 token_len(tok, ",)"));
        return SIM_OK;
    }
    p = skip_ws(p);
    if (*p++ != ',')
        goto syntax;
    p = skip_ws(p);
    if (write) {
        tok = p;
        if (scan_0x(&p, &value) != HEX_OK) {
            bad_line(tp, ev, "value is not a 32-bit hex number:", tok, token_len(tok, ",)"));
            return SIM_OK;
        }
        p = skip_ws(p);
        if (*p++ != ',')
            goto syntax;
        p = skip_ws(p);
    }
    /* "len=0x4", or "0x4B" (lower-case digits, then B) as a later QEMU prints it */
    tok = p;
    n = token_len(p, ",)");
    if (!strncmp(p, "len=", 4)) {
        p += 4;
        if (scan_0x(&p, &len) != HEX_OK)
            goto bad_len;
    } else if (n >= 4 && n < sizeof(name) && p[n - 1] == 'B') {
        const char *q = name;

        memcpy(name, p, n - 1);
        name[n - 1] = '\0';
        if (scan_0x(&q, &len) != HEX_OK || *q)
            goto bad_len;
        p += n;
    } else {
        goto bad_len;
    }
    p = skip_ws(p);
    if (*p++ != ')')
        goto syntax;
    if (!write && !is_end(p)) {
        p = skip_ws(p);
        tok = p;
        if ((p[0] == '0' && (p[1] == 'x' || p[1] == 'X') ? scan_0x(&p, &value)
                                                         : scan_hex(&p, &value)) != HEX_OK) {
            bad_line(tp, ev, "value is not a 32-bit hex number:", tok, token_len(tok, ""));
            return SIM_OK;
        }
        has_value = true;
    }
    if (!is_end(p))
        goto syntax;
    if (!check_access(tp, ev, off, len, value, has_value))
        return SIM_OK;

    memset(&op, 0, sizeof(op));
    op.kind = write ? BAR_OP_WRITE : BAR_OP_READ;
    op.fn = host_fn(tp, ev, b);
    if (op.fn == TOPO_NONE)
        return SIM_OK;
    op.reg = (uint16_t)off;
    op.len = (uint8_t)len;
    op.value = write ? (uint32_t)value : 0;
    op.has_expect = !write && has_value;
    op.expect = write ? 0 : (uint32_t)value;
    op.line = tp->line;
    /* the same write traced by pci_cfg_write on the line before: keep only this op */
    if (write && tp->last_ev == EV_CFG_WRITE && tp->last_line + 1 == tp->line &&
        tp->ops->v[tp->ops->n - 1].reg == op.reg && tp->ops->v[tp->ops->n - 1].value == op.value) {
        tp->ops->v[tp->ops->n - 1] = op;
        tp->st->skipped++;
        if (tp->last_inferred)
            tp->st->inferred_sizes--;
        tp->last_ev = ev;
        tp->last_line = op.line;
        tp->last_inferred = false;
        return SIM_OK;
    }
    return append(tp, ev, &op, false);

bad_len:
    bad_line(tp, ev, "length is not len=0xN:", tok, token_len(tok, ",)"));
    return SIM_OK;
syntax:
    bad_line(tp, ev, form, args, strlen(args));
    return SIM_OK;
}

/* cfg_line() - " DEVICE BB:DD.F @0xOFF -> 0xVAL" (read) or "... <- 0xVAL" (write). */
static int cfg_line(struct tp *tp, enum ev ev, const char *p)
{
    bool write = ev == EV_CFG_WRITE;
    const char *form = write ? "expected 'DEVICE BB:DD.F @0xOFFSET <- 0xVALUE', found"
                             : "expected 'DEVICE BB:DD.F @0xOFFSET -> 0xVALUE', found";
    const char *args = skip_ws(p), *tok;
    uint64_t off = 0, value = 0;
    char name[40];
    struct bar_op op;
    enum hex_status hs;
    bool inferred;
    size_t n;
    int err;

    if (args == p || !*args) /* a blank must separate the name from its arguments */
        goto syntax;
    p = args + token_len(args, ""); /* the device's name */
    p = skip_ws(p);
    n = token_len(p, "");
    if (n == 0 || n >= sizeof(name))
        goto syntax;
    memcpy(name, p, n);
    name[n] = '\0';
    memset(&op, 0, sizeof(op));
    if (bdf_parse(&op.bdf, NULL, name) < 0) {
        bad_line(tp, ev, "not a PCI address:", p, n);
        return SIM_OK;
    }
    p = skip_ws(p + n);
    if (*p++ != '@')
        goto syntax;
    tok = p;
    if ((hs = scan_0x(&p, &off)) != HEX_OK) {
        bad_line(tp, ev, hs == HEX_OVERFLOW ? OFF_TOO_BIG : "offset is not a hex number:", tok,
                 token_len(tok, ""));
        return SIM_OK;
    }
    p = skip_ws(p);
    if (strncmp(p, write ? "<-" : "->", 2) != 0)
        goto syntax;
    p = skip_ws(p + 2);
    tok = p;
    if (scan_0x(&p, &value) != HEX_OK || value > UINT32_MAX) {
        bad_line(tp, ev, "value is not a 32-bit hex number:", tok, token_len(tok, ""));
        return SIM_OK;
    }
    if (!is_end(p))
        goto syntax;
    if (!check_access(tp, ev, off, 1, 0, false))
        return SIM_OK;

    op.kind = write ? BAR_OP_WRITE : BAR_OP_READ;
    op.fn = TOPO_NONE;
    op.reg = (uint16_t)off;
    op.value = write ? (uint32_t)value : 0;
    op.has_expect = !write;
    op.expect = write ? 0 : (uint32_t)value;
    op.line = tp->line;
    /* the same read already traced by vfio_pci_read_config on the line before */
    if (!write && tp->last_ev == EV_VFIO_READ && tp->last_line + 1 == tp->line &&
        tp->ops->v[tp->ops->n - 1].reg == op.reg && tp->ops->v[tp->ops->n - 1].has_expect &&
        tp->ops->v[tp->ops->n - 1].expect == op.expect) {
        tp->st->skipped++;
        tp->last_ev = EV_NONE;
        return SIM_OK;
    }
    if (!write) { /* its size comes with the region read after it */
        if ((err = append(tp, ev, &op, false)) < 0)
            return err;
        tp->read_pending = true;
        return SIM_OK;
    }
    if (!settle_len(tp, &op, ev, tp->mr_write_valid ? &tp->mr_write : NULL, &inferred))
        return SIM_OK;
    return append(tp, ev, &op, inferred);

syntax:
    bad_line(tp, ev, form, args, strlen(args));
    return SIM_OK;
}

/* one_line() - handle one line (NUL-terminated, no newline). */
static int one_line(struct tp *tp, const char *line)
{
    const char *args = NULL;
    enum ev ev = classify(line, &args);
    struct mr_access m;
    bool mr_ok;
    int err = SIM_OK;

    switch (ev) {
    case EV_NONE:
        tp->st->skipped++;
        return SIM_OK;
    case EV_MR_READ:
    case EV_MR_WRITE:
        tp->st->skipped++;
        mr_ok = parse_mr(args, &m);
        tp->mr_write_valid = false;
        if (ev == EV_MR_READ && mr_ok) {
            settle_read(tp, &m);
        } else if (ev == EV_MR_WRITE && mr_ok) {
            settle_read(tp, NULL); /* a new access began: the read's own line never came */
            tp->mr_write_valid = true;
            tp->mr_write = m;
        }
        return SIM_OK;
    case EV_VFIO_READ:
    case EV_VFIO_WRITE:
        settle_read(tp, NULL);
        err = vfio_line(tp, ev, args);
        break;
    case EV_CFG_READ:
    case EV_CFG_WRITE:
        settle_read(tp, NULL);
        err = cfg_line(tp, ev, args);
        break;
    }
    tp->mr_write_valid = false;
    return err;
}

int bar_trace_parse(void *ops_vec, struct bar_trace_stats *stats, const char *path,
                    const struct topology *host, const uint32_t *host_to_fn,
                    struct diag_list *diags)
{
    struct bar_trace_stats dummy;
    struct tp tp;
    char *buf = NULL;
    size_t cap = 0, n0;
    ssize_t len;
    FILE *f;
    int err = SIM_OK;

    if (!stats)
        stats = &dummy;
    memset(stats, 0, sizeof(*stats));
    memset(&tp, 0, sizeof(tp));
    tp.ops = ops_vec;
    tp.st = stats;
    tp.host = host;
    tp.host_to_fn = host_to_fn;
    tp.diags = diags;
    tp.last_ev = EV_NONE;
    n0 = tp.ops->n;

    f = fopen(path, "r");
    if (!f) {
        struct src_mark whole = { 0, 0 };

        diag_error(diags, whole, "cannot read trace file '%s': %s", path, strerror(errno));
        return SIM_EIO;
    }
    errno = 0;
    while ((len = getline(&buf, &cap, f)) >= 0) {
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
            buf[--len] = '\0';
        stats->lines++;
        tp.line = tp.line == UINT32_MAX ? UINT32_MAX : tp.line + 1;
        if ((err = one_line(&tp, buf)) < 0)
            break;
        errno = 0;
    }
    if (err == SIM_OK && errno == ENOMEM) { /* getline() could not grow its buffer */
        err = SIM_ENOMEM;
    } else if (err == SIM_OK && ferror(f)) {
        struct src_mark whole = { 0, 0 };

        diag_error(diags, whole, "cannot read trace file '%s': %s", path,
                   strerror(errno ? errno : EIO));
        err = SIM_EIO;
    }
    if (err == SIM_OK)
        settle_read(&tp, NULL);
    free(buf);
    fclose(f);
    if (err == SIM_OK && tp.bad)
        err = SIM_EINVAL;
    if (err < 0) /* nothing is produced from a file with errors */
        tp.ops->n = n0;
    return err;
}

/*
 * Import -- lspci -vvv text: the output of `lspci -vvv -nn` (pciutils 3.x, with or without
 * -D) as a scenario. Each device block is one function: BDF, class and vendor:device from
 * the header line; the kind from the PCI Express capability's port type (without one, a
 * conventional device, or a PCI-to-PCI bridge when the block has a `Bus:` line); the ACS
 * capability and control registers; BARs, expansion ROM, bridge windows and bus numbers;
 * the kernel driver and the IOMMU group. The tree is rebuilt from bus numbers: a function on
 * bus B sits below the bridge whose secondary bus is B, and a bus that is no bridge's
 * secondary is the root bus of a host bridge. An `lspci -tv` tree after the blocks is
 * ignored. lspci shows no IOMMU and no architecture: both are assumed, and said so.
 */
#include "sim/import/import.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util/err.h"

enum lsp_win { LSP_IO, LSP_MEM, LSP_PREF, LSP_NWIN };

enum lsp_cap { LSP_CAP_NONE, LSP_CAP_ACS, LSP_CAP_OTHER };

/* ACS capability/control bits in register order, with lspci's and the scenario's names. */
static const struct {
    const char *lspci, *name;
} acs_bits[] = {
    { "SrcValid", "sv" },    { "TransBlk", "tb" },    { "ReqRedir", "rr" },
    { "CmpltRedir", "cr" },  { "UpstreamFwd", "uf" }, { "EgressCtrl", "ec" },
    { "DirectTrans", "dt" },
};

/* lspci's PCI Express port types (ls-caps.c cap_express()) and the kinds they become. */
static const struct {
    const char *lspci, *kind;
} pcie_types[] = {
    { "Root Port", "root-port" },
    { "Upstream Port", "upstream-port" },
    { "Downstream Port", "downstream-port" },
    { "Endpoint", "endpoint" },
    { "Legacy Endpoint", "legacy-endpoint" },
    { "Root Complex Integrated Endpoint", "rc-endpoint" },
    { "Root Complex Event Collector", "rc-endpoint" },
    { "PCI-Express to PCI/PCI-X Bridge", "pcie-pci-bridge" },
    { "PCI/PCI-X to PCI-Express Bridge", "pci-pcie-bridge" },
};

struct lsp_bar {
    unsigned index, line;
    const char *type; /* mem32 | mem64 | io */
    bool pref, has_addr, virt;
    uint64_t addr, size;
};

/* One device block, as read. */
struct lsp_fn {
    unsigned line; /* of the header */
    uint32_t domain;
    unsigned bus, dev, fn;
    unsigned vendor, device, cls, progif;
    char desc[160];   /* "PCI bridge: Intel Corporation ...", ids left out */
    const char *kind; /* from the Express capability; NULL without one */
    unsigned kind_line;
    char pcie_type[48];
    bool bus_seen;
    unsigned sec, sub, bus_line;
    bool acs;
    unsigned acs_cap, acs_ctl, acs_line;
    struct lsp_bar bars[6];
    size_t nbars;
    bool rom, rom_has_addr;
    uint64_t rom_size, rom_addr;
    unsigned rom_line;
    bool win_seen, win_open[LSP_NWIN], win_rounded[LSP_NWIN];
    uint64_t win_base[LSP_NWIN], win_limit[LSP_NWIN];
    unsigned win_line;
    char driver[64];
    unsigned driver_line;
    int group;
    unsigned group_line;
    char extra[160]; /* more for the function's comment */
    /* filled when the tree is built */
    bool is_bridge;
    size_t parent, hb;
};

struct lsp {
    struct lsp_fn *v;
    size_t n, cap;
    struct diag_list *dl;
    enum lsp_cap incap; /* the capability whose lines follow */
    bool skip;          /* inside a block whose header was bad */
};

static void err_at(struct lsp *L, unsigned line, const char *line_start, const char *at,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void err_at(struct lsp *L, unsigned line, const char *line_start, const char *at,
                   const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    uint32_t col = line_start && at ? (uint32_t)(at - line_start) + 1 : 1;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    diag_error(L->dl, (struct src_mark){ line, col }, "%s", msg);
}

/* hex() - up to max hex digits at *p; the number of digits read (0: none). */
static unsigned hex(const char **p, unsigned max, uint64_t *out)
{
    unsigned n = 0;
    uint64_t v = 0;

    while (n < max && isxdigit((unsigned char)**p)) {
        int c = tolower((unsigned char)**p);

        v = v * 16 + (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
        (*p)++;
        n++;
    }
    *out = v;
    return n;
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static const char *after(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);

    return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

static bool is_pow2(uint64_t x)
{
    return x && !(x & (x - 1));
}

/* "16K", "256", "1M" as lspci's show_size() writes them; false if not that. */
static bool parse_size(const char **p, uint64_t *out)
{
    uint64_t v = 0;
    unsigned n = 0;

    while (isdigit((unsigned char)**p) && n < 19) {
        v = v * 10 + (uint64_t)(**p - '0');
        (*p)++;
        n++;
    }
    if (!n)
        return false;
    switch (**p) {
    case 'K':
        v <<= 10;
        (*p)++;
        break;
    case 'M':
        v <<= 20;
        (*p)++;
        break;
    case 'G':
        v <<= 30;
        (*p)++;
        break;
    case 'T':
        v <<= 40;
        (*p)++;
        break;
    default:
        break;
    }
    *out = v;
    return true;
}

/*
 * The bracketed flags after a region, ROM or window: "[disabled] [size=16K] [virtual]".
 * Sets *size (0 if none), *virt and *disabled; false on a bad [size=...].
 */
static bool parse_flags(const char *p, uint64_t *size, bool *virt, bool *disabled)
{
    *size = 0;
    *virt = *disabled = false;
    for (p = skip_ws(p); *p == '['; p = skip_ws(p)) {
        const char *end = strchr(p, ']'), *q;

        if (!end)
            return true;
        if ((q = after(p, "[size="))) {
            if (!parse_size(&q, size) || q != end)
                return false;
        } else if (after(p, "[virtual]")) {
            *virt = true;
        } else if (after(p, "[disabled]")) {
            *disabled = true;
        }
        p = end + 1;
    }
    return true;
}

/* A size as a BAR or ROM may have it; false (with an error) if the scenario cannot. */
static bool check_size(struct lsp *L, unsigned ln, const char *s, const char *at, const char *what,
                       uint64_t size, uint64_t min, uint64_t max)
{
    if (!is_pow2(size) || size < min || size > max) {
        err_at(L, ln, s, at,
               "%s size 0x%" PRIx64 " is not a power of two from 0x%" PRIx64 " to 0x%" PRIx64, what,
               size, min, max);
        return false;
    }
    return true;
}

/* "Region 0: Memory at fe800000 (64-bit, prefetchable) [size=16K]", "I/O ports at e000" */
static void parse_region(struct lsp *L, struct lsp_fn *f, unsigned ln, const char *s, const char *p)
{
    struct lsp_bar b = { 0 };
    uint64_t v;
    bool disabled;
    const char *q;

    b.line = ln;
    if (!hex(&p, 1, &v) || v > 5 || *p != ':') {
        err_at(L, ln, s, p, "bad Region line: expected 'Region N:' with N from 0 to 5");
        return;
    }
    b.index = (unsigned)v;
    p = skip_ws(p + 1);
    if ((q = after(p, "Memory at "))) {
        b.type = "mem32";
    } else if ((q = after(p, "I/O ports at "))) {
        b.type = "io";
    } else {
        err_at(L, ln, s, p, "bad Region line: expected 'Memory at' or 'I/O ports at'");
        return;
    }
    p = q;
    if (*p == '<') {
        if (!(q = strchr(p, '>'))) {
            err_at(L, ln, s, p, "bad Region line: '<' without '>'");
            return;
        }
        p = q + 1;
    } else if (hex(&p, 16, &b.addr)) {
        b.has_addr = true;
    } else {
        err_at(L, ln, s, p, "bad Region line: expected a hex address or <unassigned>");
        return;
    }
    if (strcmp(b.type, "mem32") == 0) {
        if ((q = after(p, " (64-bit, "))) {
            b.type = "mem64";
        } else if (!(q = after(p, " (32-bit, ")) && !(q = after(p, " (low-1M, "))) {
            err_at(L, ln, s, p, "bad Region line: expected ' (32-bit, ' or ' (64-bit, '");
            return;
        }
        p = q;
        if ((q = after(p, "prefetchable)"))) {
            b.pref = true;
        } else if (!(q = after(p, "non-prefetchable)"))) {
            err_at(L, ln, s, p, "bad Region line: expected 'prefetchable)' or 'non-prefetchable)'");
            return;
        }
        p = q;
    }
    if (!parse_flags(p, &b.size, &b.virt, &disabled)) {
        err_at(L, ln, s, p, "bad Region line: bad [size=...]");
        return;
    }
    if (b.virt)
        b.has_addr = false; /* the OS has a resource, the BAR register reads 0 */
    if (!b.size) {
        snprintf(f->extra + strlen(f->extra), sizeof(f->extra) - strlen(f->extra),
                 "%sRegion %u has no size (lspci line %u): left out", f->extra[0] ? "; " : "",
                 b.index, ln);
        return;
    }
    if (strcmp(b.type, "io") == 0 ? !check_size(L, ln, s, p, "I/O region", b.size, 4, 256)
        : strcmp(b.type, "mem32") == 0
            ? !check_size(L, ln, s, p, "memory region", b.size, 16, 1ULL << 31)
            : !check_size(L, ln, s, p, "memory region", b.size, 16, 1ULL << 63))
        return;
    if (b.has_addr && b.addr % b.size) {
        err_at(L, ln, s, p, "region address 0x%" PRIx64 " is not aligned to its size", b.addr);
        return;
    }
    if (b.has_addr && strcmp(b.type, "mem64") != 0 && b.addr + b.size > 1ULL << 32) {
        err_at(L, ln, s, p, "32-bit region at 0x%" PRIx64 " ends above 4G", b.addr);
        return;
    }
    for (size_t i = 0; i < f->nbars; i++)
        if (f->bars[i].index == b.index) {
            err_at(L, ln, s, s, "Region %u given twice", b.index);
            return;
        }
    f->bars[f->nbars++] = b;
}

/* "Expansion ROM at fe600000 [disabled] [size=256K]" */
static void parse_rom(struct lsp *L, struct lsp_fn *f, unsigned ln, const char *s, const char *p)
{
    uint64_t size, addr = 0;
    bool virt, disabled, has_addr = false;
    const char *q;

    if (*p == '<') {
        if (!(q = strchr(p, '>'))) {
            err_at(L, ln, s, p, "bad Expansion ROM line: '<' without '>'");
            return;
        }
        p = q + 1;
    } else if (hex(&p, 16, &addr)) {
        has_addr = true;
    } else {
        err_at(L, ln, s, p, "bad Expansion ROM line: expected a hex address or <unassigned>");
        return;
    }
    if (!parse_flags(p, &size, &virt, &disabled)) {
        err_at(L, ln, s, p, "bad Expansion ROM line: bad [size=...]");
        return;
    }
    if (!size || !check_size(L, ln, s, p, "expansion ROM", size, 2048, 1ULL << 31))
        return;
    if (has_addr && !virt && (addr % size || addr + size > 1ULL << 32)) {
        err_at(L, ln, s, p, "expansion ROM at 0x%" PRIx64 " is not aligned or ends above 4G", addr);
        return;
    }
    f->rom = true;
    f->rom_has_addr = has_addr && !virt;
    f->rom_addr = addr;
    f->rom_size = size;
    f->rom_line = ln;
}

/* "Bus: primary=00, secondary=01, subordinate=01, sec-latency=0" */
static void parse_bus(struct lsp *L, struct lsp_fn *f, unsigned ln, const char *s, const char *p)
{
    uint64_t pri, sec, sub;
    const char *q = p;

    if (!(q = after(q, "primary=")) || hex(&q, 2, &pri) != 2 || !(q = after(q, ", secondary=")) ||
        hex(&q, 2, &sec) != 2 || !(q = after(q, ", subordinate=")) || hex(&q, 2, &sub) != 2) {
        err_at(L, ln, s, p, "bad Bus line: expected 'primary=BB, secondary=BB, subordinate=BB'");
        return;
    }
    f->bus_seen = true;
    f->sec = (unsigned)sec;
    f->sub = (unsigned)sub;
    f->bus_line = ln;
}

/* "Memory behind bridge: fe800000-fe8fffff [size=1M] [32-bit]"; "[disabled]" or "None": closed */
static void parse_window(struct lsp *L, struct lsp_fn *f, enum lsp_win w, unsigned ln,
                         const char *s, const char *p)
{
    static const uint64_t gran[LSP_NWIN] = { 0x1000, 0x100000, 0x100000 };
    uint64_t base, limit, size;
    bool virt, disabled;

    f->win_seen = true;
    f->win_line = ln;
    p = skip_ws(p);
    if (after(p, "None") || after(p, "[disabled]"))
        return;
    if (!hex(&p, 16, &base) || *p++ != '-' || !hex(&p, 16, &limit)) {
        err_at(L, ln, s, p, "bad bridge window line: expected BASE-LIMIT in hex");
        return;
    }
    if (!parse_flags(p, &size, &virt, &disabled)) {
        err_at(L, ln, s, p, "bad bridge window line: bad [size=...]");
        return;
    }
    if (disabled || base > limit)
        return;
    f->win_rounded[w] = base % gran[w] || (limit + 1) % gran[w];
    base -= base % gran[w];
    limit |= gran[w] - 1;
    if (w != LSP_PREF && limit > 0xffffffffULL) {
        err_at(L, ln, s, p, "bridge window 0x%" PRIx64 "-0x%" PRIx64 " ends above 4G", base, limit);
        return;
    }
    f->win_open[w] = true;
    f->win_base[w] = base;
    f->win_limit[w] = limit;
}

/* "Capabilities: [40] Express (v2) Root Port (Slot+), MSI 00", "[220 v1] Access Control ..." */
static void parse_cap(struct lsp *L, struct lsp_fn *f, unsigned ln, const char *s, const char *p)
{
    const char *q;

    L->incap = LSP_CAP_OTHER;
    if (after(p, "<access denied>")) {
        err_at(L, ln, s, p,
               "capabilities are not readable (<access denied>): run lspci -vvv -nn as root");
        return;
    }
    if (*p != '[' || !(q = strstr(p, "] "))) {
        err_at(L, ln, s, p, "bad Capabilities line: expected '[OFFSET] NAME'");
        return;
    }
    p = q + 2;
    if (after(p, "Access Control Services")) {
        L->incap = LSP_CAP_ACS;
        f->acs = true;
        f->acs_line = ln;
        return;
    }
    if (!(q = after(p, "Express ")))
        return;
    p = q;
    if (*p == '(' && (q = strchr(p, ')')))
        p = skip_ws(q + 1);
    f->kind_line = ln;
    f->kind = "endpoint";
    snprintf(f->pcie_type, sizeof(f->pcie_type), "%.*s", (int)strcspn(p, ",("), p);
    while (f->pcie_type[0] && f->pcie_type[strlen(f->pcie_type) - 1] == ' ')
        f->pcie_type[strlen(f->pcie_type) - 1] = '\0';
    for (size_t i = 0; i < sizeof(pcie_types) / sizeof(pcie_types[0]); i++)
        if (strcmp(f->pcie_type, pcie_types[i].lspci) == 0) {
            f->kind = pcie_types[i].kind;
            return;
        }
    snprintf(f->extra + strlen(f->extra), sizeof(f->extra) - strlen(f->extra),
             "%sunknown PCIe type '%s': modelled as an endpoint", f->extra[0] ? "; " : "",
             f->pcie_type);
}

/* "ACSCap:\tSrcValid+ TransBlk+ ..." */
static unsigned parse_acs_bits(const char *p)
{
    unsigned bits = 0;

    while (*(p = skip_ws(p))) {
        size_t n = strcspn(p, " \t");

        for (size_t i = 0; i < sizeof(acs_bits) / sizeof(acs_bits[0]); i++) {
            size_t k = strlen(acs_bits[i].lspci);

            if (n == k + 1 && strncmp(p, acs_bits[i].lspci, k) == 0 && p[k] == '+')
                bits |= 1U << i;
        }
        p += n;
    }
    return bits;
}

/* One tab-indented line of the current block. */
static void parse_field(struct lsp *L, struct lsp_fn *f, unsigned ln, const char *s)
{
    const char *p = s, *q;
    unsigned depth = 0;
    uint64_t v;

    while (*p == '\t') {
        p++;
        depth++;
    }
    if (depth >= 2) {
        if (L->incap != LSP_CAP_ACS)
            return;
        if ((q = after(p, "ACSCap:")))
            f->acs_cap = parse_acs_bits(q);
        else if ((q = after(p, "ACSCtl:")))
            f->acs_ctl = parse_acs_bits(q);
        return;
    }
    L->incap = LSP_CAP_NONE;
    if ((q = after(p, "Region "))) {
        parse_region(L, f, ln, s, q);
    } else if ((q = after(p, "Expansion ROM at "))) {
        parse_rom(L, f, ln, s, q);
    } else if ((q = after(p, "Bus: "))) {
        parse_bus(L, f, ln, s, q);
    } else if ((q = after(p, "I/O behind bridge:"))) {
        parse_window(L, f, LSP_IO, ln, s, q);
    } else if ((q = after(p, "Memory behind bridge:"))) {
        parse_window(L, f, LSP_MEM, ln, s, q);
    } else if ((q = after(p, "Prefetchable memory behind bridge:"))) {
        parse_window(L, f, LSP_PREF, ln, s, q);
    } else if ((q = after(p, "Capabilities: "))) {
        parse_cap(L, f, ln, s, q);
    } else if ((q = after(p, "Kernel driver in use: "))) {
        snprintf(f->driver, sizeof(f->driver), "%.*s", (int)strcspn(q, " \t"), q);
        f->driver_line = ln;
    } else if ((q = after(p, "IOMMU group: "))) {
        const char *d = q;

        v = 0;
        while (isdigit((unsigned char)*d) && v < 1000000)
            v = v * 10 + (uint64_t)(*d++ - '0');
        if (d == q || *skip_ws(d) || v >= 1000000) {
            err_at(L, ln, s, q, "bad IOMMU group line: expected a decimal group number");
            return;
        }
        f->group = (int)v;
        f->group_line = ln;
    }
}

/* The last "[hhhh:hhhh]" in s, or NULL. */
static const char *find_ids(const char *s)
{
    const char *last = NULL;

    for (const char *p = strchr(s, '['); p; p = strchr(p + 1, '[')) {
        const char *q = p + 1;
        uint64_t v;

        if (hex(&q, 4, &v) == 4 && *q++ == ':' && hex(&q, 4, &v) == 4 && *q == ']')
            last = p;
    }
    return last;
}

/* "00:1c.0 PCI bridge [0604]: Intel Corporation ... [8086:a338] (rev f0) (prog-if 00 [...])" */
static bool parse_header(struct lsp *L, struct lsp_fn *f, unsigned ln, const char *s)
{
    const char *p = s, *q, *ids, *cls_end;
    uint64_t a, b, dev, fn, dom = 0, bus, v;
    unsigned na;

    na = hex(&p, 8, &a);
    if (!na || *p++ != ':' || !hex(&p, 4, &b)) {
        err_at(L, ln, s, s, "not an lspci device line: expected [DOMAIN:]BUS:DEV.FN at the start");
        return false;
    }
    if (*p == ':') {
        p++;
        dom = a;
        bus = b;
        if (!hex(&p, 2, &dev))
            goto bad_bdf;
    } else {
        bus = a;
        dev = b;
    }
    if (*p++ != '.' || !hex(&p, 1, &fn) || fn > 7 || dev > 0x1f || bus > 0xff || *p != ' ')
        goto bad_bdf;
    if (dom > 0xffff) {
        err_at(L, ln, s, s,
               "PCI domain %04" PRIx64 " does not fit a 16-bit segment (a VMD domain?)", dom);
        return false;
    }
    f->domain = (uint32_t)dom;
    f->bus = (unsigned)bus;
    f->dev = (unsigned)dev;
    f->fn = (unsigned)fn;
    p++;
    if (!(cls_end = strstr(p, "]: ")) || cls_end - p < 6 || cls_end[-5] != '[') {
        err_at(L, ln, s, p, "no [CLASS] after the class name: run lspci with -nn");
        return false;
    }
    q = cls_end - 4;
    if (hex(&q, 4, &v) != 4 || q != cls_end) {
        err_at(L, ln, s, cls_end - 4, "bad class id: expected 4 hex digits");
        return false;
    }
    f->cls = (unsigned)v << 8;
    if (!(ids = find_ids(cls_end + 3))) {
        err_at(L, ln, s, cls_end + 3, "no [VENDOR:DEVICE] ids: run lspci with -nn");
        return false;
    }
    q = ids + 1;
    hex(&q, 4, &v);
    f->vendor = (unsigned)v;
    q++;
    hex(&q, 4, &v);
    f->device = (unsigned)v;
    if ((q = strstr(ids, "(prog-if "))) {
        q += strlen("(prog-if ");
        if (hex(&q, 2, &v) != 2) {
            err_at(L, ln, s, q, "bad prog-if: expected 2 hex digits");
            return false;
        }
        f->cls |= (unsigned)v;
    }
    snprintf(f->desc, sizeof(f->desc), "%.*s: %.*s", (int)(cls_end - 6 - p), p,
             (int)(ids > cls_end + 3 ? ids - 1 - (cls_end + 3) : 0), cls_end + 3);
    return true;
bad_bdf:
    err_at(L, ln, s, s, "bad device address: expected [DOMAIN:]BUS:DEV.FN then a space");
    return false;
}

static struct lsp_fn *fn_new(struct lsp *L)
{
    if (L->n == L->cap) {
        size_t cap = L->cap ? 2 * L->cap : 32;
        struct lsp_fn *v = realloc(L->v, cap * sizeof(*v));

        if (!v)
            return NULL;
        L->v = v;
        L->cap = cap;
    }
    memset(&L->v[L->n], 0, sizeof(L->v[L->n]));
    L->v[L->n].group = -1;
    L->v[L->n].parent = IMP_NONE;
    return &L->v[L->n++];
}

/* Split text into lines and read every block; false only when out of memory. */
static bool parse_text(struct lsp *L, char *text)
{
    struct lsp_fn *cur = NULL;
    bool tree = false;
    unsigned ln = 0;

    for (char *s = text, *next; s && *s; s = next) {
        size_t n = strcspn(s, "\n");

        next = s[n] ? s + n + 1 : NULL;
        s[n] = '\0';
        if (n && s[n - 1] == '\r')
            s[n - 1] = '\0';
        ln++;
        if (tree)
            continue;
        if (!*skip_ws(s)) {
            cur = NULL;
            L->skip = false;
        } else if (s[0] == '\t') {
            if (cur)
                parse_field(L, cur, ln, s);
            else if (!L->skip)
                err_at(L, ln, s, s, "indented line outside a device block");
        } else if (isxdigit((unsigned char)s[0])) {
            if (!(cur = fn_new(L)))
                return false;
            cur->line = ln;
            L->incap = LSP_CAP_NONE;
            if (!parse_header(L, cur, ln, s)) {
                L->n--;
                cur = NULL;
                L->skip = true;
            }
        } else if (strchr("-+\\| ", s[0])) {
            tree = true; /* lspci -tv: the tree adds nothing the bus numbers do not say */
        } else {
            err_at(L, ln, s, s, "not an lspci -vvv -nn device line");
        }
    }
    return true;
}

static bool kind_is_bridge(const char *k)
{
    return strcmp(k, "root-port") == 0 || strcmp(k, "upstream-port") == 0 ||
           strcmp(k, "downstream-port") == 0 || strcmp(k, "pcie-pci-bridge") == 0 ||
           strcmp(k, "pci-pcie-bridge") == 0 || strcmp(k, "pci-bridge") == 0;
}

static const char *id_prefix(const struct lsp_fn *f, const char *kind)
{
    static const struct {
        const char *kind, *prefix;
    } by_kind[] = {
        { "root-port", "rp" },        { "upstream-port", "usp" },   { "downstream-port", "dsp" },
        { "pcie-pci-bridge", "p2p" }, { "pci-pcie-bridge", "p2e" }, { "pci-bridge", "br" },
        { "endpoint", "ep" },         { "legacy-endpoint", "lep" }, { "rc-endpoint", "rcep" },
    };
    static const struct {
        unsigned cls, mask;
        const char *prefix;
    } by_class[] = {
        { 0x010800, 0xffff00, "nvme" },  { 0x010600, 0xffff00, "sata" },
        { 0x040300, 0xffff00, "audio" }, { 0x060000, 0xffff00, "host" },
        { 0x060100, 0xffff00, "isa" },   { 0x0c0300, 0xffff00, "usb" },
        { 0x0c0500, 0xffff00, "smbus" }, { 0x010000, 0xff0000, "storage" },
        { 0x020000, 0xff0000, "nic" },   { 0x030000, 0xff0000, "gpu" },
    };

    if (!kind_is_bridge(kind))
        for (size_t i = 0; i < sizeof(by_class) / sizeof(by_class[0]); i++)
            if ((f->cls & by_class[i].mask) == by_class[i].cls)
                return by_class[i].prefix;
    for (size_t i = 0; i < sizeof(by_kind) / sizeof(by_kind[0]); i++)
        if (strcmp(kind, by_kind[i].kind) == 0)
            return by_kind[i].prefix;
    return "pci";
}

static void acs_list(char *buf, size_t n, unsigned bits, bool compact)
{
    size_t len = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < sizeof(acs_bits) / sizeof(acs_bits[0]); i++)
        if (bits & (1U << i)) {
            snprintf(buf + len, n - len, "%s%s", len ? (compact ? "," : ", ") : "",
                     acs_bits[i].name);
            len = strlen(buf);
        }
}

/* "{ cap: [sv, rr], ctrl: [sv] }", or without spaces when that does not fit the value. */
static void set_acs(struct imp_val *v, unsigned cap, unsigned ctl, const char *note)
{
    char c[64], t[64], buf[256];

    for (int compact = 0; compact < 2; compact++) {
        acs_list(c, sizeof(c), cap, compact);
        acs_list(t, sizeof(t), ctl, compact);
        snprintf(buf, sizeof(buf),
                 compact ? "{cap: [%s], ctrl: [%s]}" : "{ cap: [%s], ctrl: [%s] }", c, t);
        if (strlen(buf) < sizeof(v->value))
            break;
    }
    imp_set(v, buf, note);
}

/* Bridge windows as the scenario writes them; false when they do not fit the value. */
static bool set_windows(struct imp_val *v, const struct lsp_fn *f, const char *note)
{
    static const char *const names[LSP_NWIN] = { "io", "mem", "pref" };
    char buf[256];

    for (int compact = 0; compact < 2; compact++) {
        size_t len = 0;

        buf[len++] = '{';
        buf[len] = '\0';
        for (int w = 0; w < LSP_NWIN; w++) {
            if (!f->win_open[w])
                continue;
            snprintf(buf + len, sizeof(buf) - len,
                     compact ? "%s%s: [0x%" PRIx64 ",0x%" PRIx64 "]"
                             : "%s%s: [0x%" PRIx64 ", 0x%" PRIx64 "]",
                     len > 1   ? ", "
                     : compact ? ""
                               : " ",
                     names[w], f->win_base[w], f->win_limit[w]);
            len = strlen(buf);
        }
        snprintf(buf + len, sizeof(buf) - len, "%s}", compact || len == 1 ? "" : " ");
        if (strlen(buf) < sizeof(v->value)) {
            imp_set(v, buf, note);
            return true;
        }
    }
    return false;
}

static void add_comment(char *c, size_t n, const char *text)
{
    size_t len = strlen(c);

    snprintf(c + len, n - len, "%s%s", len ? "\n" : "", text);
}

/* The function f as model function m (kind, ids, bus numbers, resources, driver). */
static void fill_fn(struct imp_fn *m, const struct lsp_fn *f, const char *kind,
                    const char *kind_note)
{
    char note[96], buf[240];

    snprintf(buf, sizeof(buf), "lspci line %u: %.110s%s", f->line, f->desc,
             f->kind ? "" : " (no PCI Express capability)");
    add_comment(m->comment, sizeof(m->comment), buf);
    if (f->extra[0])
        add_comment(m->comment, sizeof(m->comment), f->extra);
    if (f->domain)
        imp_setf(&m->id, NULL, "%s_%04x_%02x_%02x_%x", id_prefix(f, kind), f->domain, f->bus,
                 f->dev, f->fn);
    else
        imp_setf(&m->id, NULL, "%s_%02x_%02x_%x", id_prefix(f, kind), f->bus, f->dev, f->fn);
    imp_set(&m->kind, kind, kind_note);
    imp_setf(&m->devfn, NULL, "\"%02x.%x\"", f->dev, f->fn);
    imp_setf(&m->vendor, NULL, "0x%04x", f->vendor);
    imp_setf(&m->device, NULL, "0x%04x", f->device);
    imp_setf(&m->class_code, NULL, "0x%06x", f->cls);
    if (f->is_bridge && f->sec > f->bus) {
        snprintf(note, sizeof(note), "from lspci line %u", f->bus_line);
        imp_setf(&m->secondary, note, "0x%02x", f->sec);
        imp_setf(&m->subordinate, note, "0x%02x", f->sub);
    }
    if (f->kind && f->acs) {
        unsigned ctl = f->acs_ctl & f->acs_cap;

        snprintf(note, sizeof(note), "lspci line %u%s", f->acs_line,
                 ctl != f->acs_ctl ? "; control bits the capability lacks dropped" : "");
        set_acs(&m->acs, f->acs_cap, ctl, note);
    } else if (f->kind) {
        imp_set(&m->acs, "none", "no Access Control Services capability");
    }
    if (!f->driver[0]) {
        imp_set(&m->driver, "none", "no 'Kernel driver in use' line");
    } else {
        snprintf(note, sizeof(note), "lspci line %u: %s", f->driver_line, f->driver);
        imp_set(&m->driver, strcmp(f->driver, "vfio-pci") == 0 ? "vfio-pci" : "host", note);
    }
    if (f->is_bridge && f->win_seen) {
        snprintf(note, sizeof(note), "lspci lines up to %u%s", f->win_line,
                 f->win_rounded[LSP_IO] || f->win_rounded[LSP_MEM] || f->win_rounded[LSP_PREF]
                     ? "; rounded out to the window granularity"
                     : "");
        if (!set_windows(&m->windows, f, note)) {
            size_t len;

            snprintf(buf, sizeof(buf),
                     "lspci line %u windows, too long to write (left to dmasim):", f->win_line);
            len = strlen(buf);
            for (int w = 0; w < LSP_NWIN; w++)
                if (f->win_open[w]) {
                    snprintf(buf + len, sizeof(buf) - len, " %s %" PRIx64 "-%" PRIx64,
                             w == LSP_IO    ? "io"
                             : w == LSP_MEM ? "mem"
                                            : "pref",
                             f->win_base[w], f->win_limit[w]);
                    len = strlen(buf);
                }
            add_comment(m->comment, sizeof(m->comment), buf);
        }
    }
    for (size_t i = 0; i < f->nbars; i++) {
        const struct lsp_bar *b = &f->bars[i];
        struct imp_bar *o = &m->bars[m->nbars++];

        o->index = b->index;
        snprintf(note, sizeof(note), "lspci line %u%s", b->line,
                 b->virt ? ": [virtual], the BAR register reads 0" : "");
        imp_set(&o->type, b->type, note);
        imp_size(&o->size, b->size, NULL);
        if (b->has_addr)
            imp_setf(&o->address, NULL, "0x%" PRIx64, b->addr);
        if (strcmp(b->type, "io") != 0)
            imp_set(&o->prefetchable, b->pref ? "true" : "false", NULL);
    }
    if (f->rom) {
        snprintf(note, sizeof(note), "lspci line %u", f->rom_line);
        imp_size(&m->rom_size, f->rom_size, note);
        if (f->rom_has_addr)
            imp_setf(&m->rom_address, NULL, "0x%" PRIx64, f->rom_addr);
    }
}

/* Kinds, parents and host bridges from the blocks read; errors go to L->dl. */
static void build_tree(struct lsp *L, struct imp_machine *m, const char **kinds, size_t *hb_first)
{
    for (size_t i = 0; i < L->n; i++) {
        struct lsp_fn *f = &L->v[i];
        const char *k = f->kind;

        if (!k)
            k = f->bus_seen && ((f->cls >> 8) == 0x0604 || (f->cls >> 8) == 0x0609) ? "pci-bridge"
                                                                                    : "pci-device";
        if (kind_is_bridge(k) && !f->bus_seen) {
            /* a port type on a type 0 header (Sky Lake-E 00:00.0 DMI3 is a "Root Port") */
            add_comment(f->extra, sizeof(f->extra),
                        "a PCIe port type without a bridge header ('Bus:' line): modelled as an "
                        "rc-endpoint");
            k = "rc-endpoint";
        }
        kinds[i] = k;
        f->is_bridge = kind_is_bridge(k);
        if (!f->is_bridge && f->bus_seen && f->kind)
            err_at(L, f->bus_line, NULL, NULL,
                   "%02x:%02x.%x has a 'Bus:' line but its PCIe type is %s", f->bus, f->dev, f->fn,
                   f->pcie_type);
        for (size_t j = 0; j < i; j++)
            if (L->v[j].domain == f->domain && L->v[j].bus == f->bus && L->v[j].dev == f->dev &&
                L->v[j].fn == f->fn)
                err_at(L, f->line, NULL, NULL, "function %04x:%02x:%02x.%x given twice (line %u)",
                       f->domain, f->bus, f->dev, f->fn, L->v[j].line);
        if (f->is_bridge && f->bus_seen && f->sec <= f->bus)
            add_comment(f->extra, sizeof(f->extra), "secondary bus not configured: left to dmasim");
        if (f->is_bridge && f->sec > f->bus && f->sub < f->sec)
            err_at(L, f->bus_line, NULL, NULL, "subordinate bus %02x is below secondary bus %02x",
                   f->sub, f->sec);
        if (!f->is_bridge || f->sec <= f->bus)
            continue;
        for (size_t j = 0; j < i; j++)
            if (L->v[j].is_bridge && L->v[j].domain == f->domain && L->v[j].sec == f->sec)
                err_at(L, f->bus_line, NULL, NULL,
                       "secondary bus %02x is also the secondary bus of %02x:%02x.%x (line %u)",
                       f->sec, L->v[j].bus, L->v[j].dev, L->v[j].fn, L->v[j].bus_line);
    }
    for (size_t i = 0; i < L->n; i++) {
        struct lsp_fn *f = &L->v[i];
        size_t h;

        for (size_t j = 0; j < L->n && f->parent == IMP_NONE; j++)
            if (L->v[j].is_bridge && L->v[j].sec > L->v[j].bus && L->v[j].domain == f->domain &&
                L->v[j].sec == f->bus)
                f->parent = j;
        if (f->parent != IMP_NONE)
            continue;
        for (size_t j = 0; j < L->n; j++) {
            const struct lsp_fn *b = &L->v[j];

            if (b->is_bridge && b->sec > b->bus && b->domain == f->domain && b->sec <= f->bus &&
                f->bus <= b->sub) {
                err_at(L, f->line, NULL, NULL,
                       "bus %02x is inside the bus range %02x-%02x of %02x:%02x.%x but no bridge "
                       "in the input has it as its secondary bus",
                       f->bus, b->sec, b->sub, b->bus, b->dev, b->fn);
                break;
            }
        }
        for (h = 0; h < m->nhbs; h++)
            if (L->v[hb_first[h]].domain == f->domain && L->v[hb_first[h]].bus == f->bus)
                break;
        if (h == m->nhbs) {
            if (m->nhbs == sizeof(m->hbs) / sizeof(m->hbs[0])) {
                err_at(L, f->line, NULL, NULL, "more than %zu root buses",
                       sizeof(m->hbs) / sizeof(m->hbs[0]));
                return;
            }
            hb_first[m->nhbs++] = i;
        }
        f->hb = h;
    }
    for (size_t i = 0; i < L->n; i++)
        for (size_t p = L->v[i].parent; p != IMP_NONE; p = L->v[p].parent)
            L->v[i].hb = L->v[p].hb;
}

/* The host bridges, each named after the root bus its first function (hb_first) is on. */
static void set_hosts(const struct lsp *L, struct imp_machine *m, const size_t *hb_first)
{
    for (size_t h = 0; h < m->nhbs; h++) {
        struct imp_hb *hb = &m->hbs[h];
        const struct lsp_fn *f = &L->v[hb_first[h]];
        char note[96];

        if (f->domain)
            imp_setf(&hb->id, NULL, "hb_%04x_%02x", f->domain, f->bus);
        else
            imp_setf(&hb->id, NULL, "hb_%02x", f->bus);
        snprintf(note, sizeof(note), "lspci line %u: no bridge has bus %02x as secondary", f->line,
                 f->bus);
        imp_setf(&hb->segment, NULL, "0x%04x", f->domain);
        imp_setf(&hb->bus, note, "0x%02x", f->bus);
        snprintf(hb->comment, sizeof(hb->comment),
                 "root bus %04x:%02x: the host bridge itself is not a function lspci lists",
                 f->domain, f->bus);
    }
}

/* The scenario name from the input's file name: [a-z0-9-]+, "lspci" for stdin. */
static void set_name(struct imp_scenario *s, const char *path)
{
    const char *base = strrchr(path, '/');
    size_t n = 0;

    base = base ? base + 1 : path;
    for (const char *p = base; *p && *p != '.' && n + 1 < sizeof(s->name); p++) {
        char c = (char)tolower((unsigned char)*p);

        if (!isalnum((unsigned char)c))
            c = '-';
        if (c == '-' && (n == 0 || s->name[n - 1] == '-'))
            continue;
        s->name[n++] = c;
    }
    while (n && s->name[n - 1] == '-')
        n--;
    s->name[n] = '\0';
    if (strcmp(path, "-") == 0 || !n)
        snprintf(s->name, sizeof(s->name), "lspci");
}

static int read_input(const char *path, char **text, struct diag_list *dl)
{
    bool std = strcmp(path, "-") == 0;
    FILE *f = std ? stdin : fopen(path, "r");
    struct strbuf sb = STRBUF_INIT;
    char chunk[4096];
    size_t n;
    bool bad;

    if (!f) {
        diag_error(dl, (struct src_mark){ 0, 0 }, "cannot open: %s", strerror(errno));
        return SIM_EIO;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        strbuf_add(&sb, chunk, n);
    bad = ferror(f) != 0;
    if (!std)
        fclose(f);
    if (bad) {
        diag_error(dl, (struct src_mark){ 0, 0 }, "cannot read: %s", strerror(errno));
        strbuf_fini(&sb);
        return SIM_EIO;
    }
    if (!(*text = strbuf_detach(&sb)))
        return SIM_ENOMEM;
    return SIM_OK;
}

int import_lspci(struct imp_scenario *s, const char *path, struct diag_list *dl)
{
    struct lsp L = { .dl = dl };
    struct imp_machine *m = &s->host;
    size_t errors0 = dl->nerrors;
    const char **kinds = NULL;
    size_t hb_first[sizeof(s->host.hbs) / sizeof(s->host.hbs[0])];
    char *text = NULL;
    bool groups = false;
    unsigned iommu_vendor = 0;
    int err;

    if ((err = read_input(path, &text, dl)) < 0)
        return err;
    if (!parse_text(&L, text)) {
        err = SIM_ENOMEM;
        goto out;
    }
    if (!L.n && dl->nerrors == errors0)
        diag_error(dl, (struct src_mark){ 0, 0 }, "no lspci -vvv -nn device blocks found");
    if (dl->nerrors > errors0) {
        err = SIM_EINVAL;
        goto out;
    }
    if (!(kinds = calloc(L.n, sizeof(*kinds)))) {
        err = SIM_ENOMEM;
        goto out;
    }
    build_tree(&L, m, kinds, hb_first);
    if (dl->nerrors > errors0) {
        err = SIM_EINVAL;
        goto out;
    }
    set_hosts(&L, m, hb_first);
    for (size_t i = 0; i < L.n; i++) {
        const struct lsp_fn *f = &L.v[i];
        size_t k = imp_fn_add(m);
        char kind_note[96];

        if (k == IMP_NONE) {
            err = SIM_ENOMEM;
            goto out;
        }
        if (f->kind)
            snprintf(kind_note, sizeof(kind_note), "lspci line %u: Express %s", f->kind_line,
                     f->pcie_type);
        else
            snprintf(kind_note, sizeof(kind_note), "no Express capability%s",
                     f->bus_seen ? "; a 'Bus:' line" : "");
        fill_fn(&m->fns[k], f, kinds[i], kind_note);
        m->fns[k].parent = f->parent;
        m->fns[k].host_bridge = f->hb;
        m->group[k] = f->group;
        groups |= f->group >= 0;
        if (f->bus == 0 && f->dev == 0 && f->fn == 0 && !iommu_vendor)
            iommu_vendor = f->vendor;
    }
    imp_set(&m->arch, "x86_64", "assumed: lspci does not show the architecture");
    imp_set(&m->os_enables_acs, "false", "ACSCtl lines show what the kernel already enabled");
    if (groups) {
        struct imp_iommu *u = &m->iommus[m->niommus++];
        bool amd = iommu_vendor == 0x1022;

        imp_set(&u->id, amd ? "ivhd0" : "dmar0", NULL);
        imp_set(&u->kind, amd ? "amd-vi" : "vt-d", NULL);
        imp_set(&u->address_bits, "48", NULL);
        snprintf(u->comment, sizeof(u->comment),
                 "assumed: lspci does not show the IOMMU; DMAR/IVRS width unknown. One %s unit "
                 "(00:00.0 is %s) covering every host bridge, since IOMMU groups are listed.",
                 amd ? "AMD-Vi" : "VT-d", amd ? "AMD" : "not AMD");
    }
    snprintf(s->description, sizeof(s->description),
             "Imported from lspci -vvv -nn: %zu functions below %zu host bridge%s%s.", L.n, m->nhbs,
             m->nhbs == 1 ? "" : "s", groups ? ", with the IOMMU groups Linux formed" : "");
    snprintf(s->source, sizeof(s->source), "source: lspci -vvv -nn text (%s)",
             strcmp(path, "-") == 0 ? "standard input"
             : strrchr(path, '/')   ? strrchr(path, '/') + 1
                                    : path);
    snprintf(s->notes, sizeof(s->notes),
             "Bus numbers are the ones lspci shows (secondary/subordinate written out).\n"
             "Kinds come from each function's PCI Express capability; without one, a\n"
             "conventional device (or pci-bridge when the block has a 'Bus:' line).\n"
             "Drivers: vfio-pci as shown, any other driver is 'host', none is 'none'.\n"
             "%s",
             groups ? "The IOMMU is assumed (lspci does not show it); expect.groups is what\n"
                      "the kernel formed (lspci 'IOMMU group:' lines)."
                    : "No 'IOMMU group:' lines: no IOMMU is modelled.");
    set_name(s, path);
    err = SIM_OK;
out:
    free(kinds);
    free(L.v);
    free(text);
    return err;
}

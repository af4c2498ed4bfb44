/* Import -- sysfs snapshots: the capture of tools/dmasim-capture, a directory or a .tar. */
#include "sim/import/import.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sys/stat.h>

#include "sim/util/err.h"
#include "sim/util/num.h"

/*
 * The capture, as tools/dmasim-capture writes it:
 *
 *     arch                            `uname -m`
 *     cpu_phys_bits                   from /proc/cpuinfo "address sizes" (optional)
 *     devices/0000:00:1c.0/config     the binary config space, 256 or 4096 bytes
 *     devices/0000:00:1c.0/resource   /sys/bus/pci/devices/.../resource: "start end flags"
 *     devices/0000:00:1c.0/iommu_group  the group number (absent: no group)
 *     devices/0000:00:1c.0/driver     the bound driver's name (absent: unbound)
 *     iommu/dmar0/cap                 intel-iommu/cap, hex text (optional)
 *
 * Everything is read into memory first, as a sorted list of (relative name, bytes), so a
 * directory and a tar are parsed by the same code.
 */

/* Config-space offsets and bits (sim/topology/pci_regs.h; sim/import may use sim/util only). */
/* clang-format off */
#define PCI_VENDOR_ID              0x00
#define PCI_DEVICE_ID              0x02
#define PCI_STATUS                 0x06
#define  PCI_STATUS_CAP_LIST       0x0010
#define PCI_CLASS_REVISION         0x08
#define PCI_HEADER_TYPE            0x0e
#define  PCI_HEADER_TYPE_MASK      0x7f
#define PCI_BASE_ADDRESS_0         0x10
#define PCI_PRIMARY_BUS            0x18
#define PCI_SECONDARY_BUS          0x19
#define PCI_SUBORDINATE_BUS        0x1a
#define PCI_IO_BASE                0x1c
#define PCI_IO_LIMIT               0x1d
#define PCI_MEMORY_BASE            0x20
#define PCI_MEMORY_LIMIT           0x22
#define PCI_PREF_MEMORY_BASE       0x24
#define PCI_PREF_MEMORY_LIMIT      0x26
#define PCI_PREF_BASE_UPPER32      0x28
#define PCI_PREF_LIMIT_UPPER32     0x2c
#define PCI_IO_BASE_UPPER16        0x30
#define PCI_IO_LIMIT_UPPER16       0x32
#define PCI_ROM_ADDRESS            0x30
#define PCI_CAPABILITY_LIST        0x34
#define PCI_ROM_ADDRESS1           0x38
#define PCI_CAP_ID_EXP             0x10
#define PCI_EXP_FLAGS              0x02
#define PCI_EXT_CAP_ID_ACS         0x000d
#define PCI_ACS_CAP                0x04
#define PCI_ACS_CTRL               0x06
#define PCI_CFG_SPACE_SIZE         0x100
#define PCI_CFG_SPACE_EXP_SIZE     0x1000

/* Linux include/linux/ioport.h: the flags column of a resource file */
#define IORESOURCE_IO              0x00000100
#define IORESOURCE_MEM             0x00000200
#define IORESOURCE_PREFETCH        0x00002000
#define IORESOURCE_ROM_SHADOW      0x00020000
#define IORESOURCE_MEM_64          0x00100000
#define IORESOURCE_UNSET           0x20000000
/* clang-format on */

#define SNAP_FILE_MAX (1u << 20) /* no file of a capture is near this; a tar entry limit */

struct blob {
    char *name;          /* "devices/0000:00:1c.0/config", no leading "./" */
    unsigned char *data; /* the bytes plus a NUL (so text can be parsed in place); NULL: a
                            directory */
    size_t len;          /* bytes, without the NUL */
};

struct snap {
    struct blob *v; /* sorted by name once loaded */
    size_t n, cap;
};

/* One function of the capture, while the model is built. */
struct sfn {
    char bdf[32];                /* the directory name, "0000:00:1c.0" */
    unsigned domain, bus, devfn; /* parsed from bdf */
    const struct blob *cfg;      /* config space, 256 or 4096 bytes */
    const struct blob *res;      /* resource file, or NULL */
    bool bridge;                 /* type 1 header */
    bool bus_ok;                 /* secondary and subordinate are usable */
    unsigned secondary, subordinate;
};

static void snap_fini(struct snap *sn)
{
    for (size_t i = 0; i < sn->n; i++) {
        free(sn->v[i].name);
        free(sn->v[i].data);
    }
    free(sn->v);
}

/* Add a blob; data (malloc'd, NUL-terminated, or NULL for a directory) passes to sn. */
static int snap_add(struct snap *sn, const char *name, unsigned char *data, size_t len)
{
    char *n;

    if (sn->n == sn->cap) {
        size_t cap = sn->cap ? 2 * sn->cap : 64;
        struct blob *v = realloc(sn->v, cap * sizeof(*v));

        if (!v) {
            free(data);
            return SIM_ENOMEM;
        }
        sn->v = v;
        sn->cap = cap;
    }
    if (!(n = strdup(name))) {
        free(data);
        return SIM_ENOMEM;
    }
    sn->v[sn->n++] = (struct blob){ n, data, len };
    return SIM_OK;
}

static const struct blob *snap_find(const struct snap *sn, const char *name)
{
    for (size_t i = 0; i < sn->n; i++)
        if (strcmp(sn->v[i].name, name) == 0)
            return &sn->v[i];
    return NULL;
}

/* The blob "devices/<bdf>/<file>". */
static const struct blob *dev_file(const struct snap *sn, const char *bdf, const char *file)
{
    char name[512];

    snprintf(name, sizeof(name), "devices/%s/%s", bdf, file);
    return snap_find(sn, name);
}

static int cmp_blob(const void *a, const void *b)
{
    return strcmp(((const struct blob *)a)->name, ((const struct blob *)b)->name);
}

/* Read a whole file into a malloc'd, NUL-terminated buffer. */
static int read_all(const char *path, unsigned char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;

    if (!f)
        return SIM_EIO;
    for (;;) {
        size_t got;

        if (n + 4097 > cap) {
            unsigned char *b;

            cap = cap ? 2 * cap : 8192;
            if (cap > SNAP_FILE_MAX + 8192) {
                free(buf);
                fclose(f);
                errno = EFBIG;
                return SIM_EIO;
            }
            if (!(b = realloc(buf, cap))) {
                free(buf);
                fclose(f);
                return SIM_ENOMEM;
            }
            buf = b;
        }
        got = fread(buf + n, 1, 4096, f);
        n += got;
        if (got < 4096)
            break;
    }
    if (ferror(f)) {
        free(buf);
        fclose(f);
        return SIM_EIO;
    }
    fclose(f);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return SIM_OK;
}

/* Add dir/rel as blob rel when it exists. */
static int add_file(struct snap *sn, const char *dir, const char *rel, struct diag_list *dl)
{
    char path[4096];
    unsigned char *data;
    size_t len;
    int err;

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    if ((err = read_all(path, &data, &len)) < 0) {
        if (errno == ENOENT && err == SIM_EIO)
            return SIM_OK;
        diag_error(dl, (struct src_mark){ 0, 0 }, "%s: cannot read: %s", rel,
                   err == SIM_ENOMEM ? "out of memory" : strerror(errno));
        return err;
    }
    return snap_add(sn, rel, data, len);
}

/* The entries of dir/sub (a marker blob each) and the named files in each. */
static int load_subdir(struct snap *sn, const char *dir, const char *sub, const char *const *files,
                       struct diag_list *dl)
{
    char path[4096], rel[512];
    struct dirent *e;
    DIR *d;
    int err = SIM_OK;

    snprintf(path, sizeof(path), "%s/%s", dir, sub);
    if (!(d = opendir(path)))
        return errno == ENOENT ? SIM_OK : SIM_EIO;
    while (err == SIM_OK && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(rel, sizeof(rel), "%s/%s", sub, e->d_name);
        if ((err = snap_add(sn, rel, NULL, 0)) < 0)
            break;
        for (size_t i = 0; files[i] && err == SIM_OK; i++) {
            char f[600];

            snprintf(f, sizeof(f), "%s/%s", rel, files[i]);
            err = add_file(sn, dir, f, dl);
        }
    }
    closedir(d);
    return err;
}

static int load_dir(struct snap *sn, const char *dir, struct diag_list *dl)
{
    static const char *const dev_files[] = { "config", "resource", "iommu_group", "driver", NULL };
    static const char *const iommu_files[] = { "cap", NULL };
    int err;

    if ((err = add_file(sn, dir, "arch", dl)) < 0 ||
        (err = add_file(sn, dir, "cpu_phys_bits", dl)) < 0 ||
        (err = load_subdir(sn, dir, "devices", dev_files, dl)) < 0 ||
        (err = load_subdir(sn, dir, "iommu", iommu_files, dl)) < 0)
        return err;
    return SIM_OK;
}

/* An octal field of a tar header (NUL- or space-terminated). */
static uint64_t tar_octal(const unsigned char *p, size_t n)
{
    uint64_t v = 0;

    for (size_t i = 0; i < n && p[i] >= '0' && p[i] <= '7'; i++)
        v = v * 8 + (uint64_t)(p[i] - '0');
    return v;
}

/*
 * A POSIX (ustar) or GNU tar, as `tar -cf` writes it: 512-byte headers, name at 0 (100
 * bytes), size at 124 (12, octal), type at 156, ustar prefix at 345 (155). Only regular files
 * and directories are kept; long-name extensions are not needed for capture names.
 */
static int load_tar(struct snap *sn, const unsigned char *t, size_t len, struct diag_list *dl)
{
    size_t off = 0;
    int err;

    while (off + 512 <= len) {
        const unsigned char *h = t + off;
        char name[300];
        uint64_t size;
        unsigned char type = h[156];
        char *n;
        size_t nl;

        if (h[0] == '\0')
            break; /* the end-of-archive blocks */
        size = tar_octal(h + 124, 12);
        if (size > SNAP_FILE_MAX || off + 512 + size > len) {
            diag_error(dl, (struct src_mark){ 0, 0 },
                       "tar entry at byte %zu: size %" PRIu64 " runs past the archive", off, size);
            return SIM_EINVAL;
        }
        if (memcmp(h + 257, "ustar", 6) == 0 && h[345]) /* POSIX, not GNU */
            snprintf(name, sizeof(name), "%.155s/%.100s", (const char *)h + 345,
                     (const char *)h + 0);
        else
            snprintf(name, sizeof(name), "%.100s", (const char *)h);
        n = name;
        while (n[0] == '.' && n[1] == '/')
            n += 2;
        nl = strlen(n);
        while (nl && n[nl - 1] == '/')
            n[--nl] = '\0';
        if (nl && (type == '0' || type == '\0')) {
            unsigned char *data = malloc(size + 1);

            if (!data)
                return SIM_ENOMEM;
            memcpy(data, h + 512, size);
            data[size] = '\0';
            if ((err = snap_add(sn, n, data, size)) < 0)
                return err;
        } else if (nl && type == '5' && (err = snap_add(sn, n, NULL, 0)) < 0) {
            return err;
        }
        off += 512 + (size + 511) / 512 * 512;
    }
    return SIM_OK;
}

/* The distinct names directly under dir/ ("devices"), in sorted order: up to max in names,
 * the count returned. */
static size_t snap_children(const struct snap *sn, const char *dir, char (*names)[64], size_t max)
{
    size_t dl = strlen(dir), k = 0;
    char last[64] = "";

    for (size_t i = 0; i < sn->n; i++) {
        const char *p = sn->v[i].name;
        char c[64];

        if (strncmp(p, dir, dl) != 0 || p[dl] != '/' || !p[dl + 1])
            continue;
        p += dl + 1;
        snprintf(c, sizeof(c), "%.*s", (int)strcspn(p, "/"), p);
        if (k && strcmp(c, last) == 0)
            continue;
        memcpy(last, c, sizeof(c));
        if (k < max)
            memcpy(names[k], c, sizeof(c));
        k++;
    }
    return k;
}

static unsigned rd8(const struct blob *c, size_t off)
{
    return off < c->len ? c->data[off] : 0xff;
}

static unsigned rd16(const struct blob *c, size_t off)
{
    return rd8(c, off) | rd8(c, off + 1) << 8;
}

static uint32_t rd32(const struct blob *c, size_t off)
{
    return (uint32_t)rd16(c, off) | (uint32_t)rd16(c, off + 2) << 16;
}

/* The text of a blob without surrounding white space, in buf. */
static const char *text(const struct blob *b, char *buf, size_t n)
{
    const char *s = b && b->data ? (const char *)b->data : "";
    size_t len;

    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    len = strcspn(s, "\r\n");
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    snprintf(buf, n, "%.*s", (int)len, s);
    return buf;
}

/* The offset of capability id in the list at 0x34, or 0; a loop or a bad pointer warns. */
static unsigned find_cap(const struct blob *c, unsigned id, const char *name, struct diag_list *dl)
{
    unsigned pos;

    if (!(rd16(c, PCI_STATUS) & PCI_STATUS_CAP_LIST))
        return 0;
    pos = rd8(c, PCI_CAPABILITY_LIST) & 0xfc;
    for (int ttl = 48; pos; ttl--) {
        if (pos < 0x40 || pos + 2 > PCI_CFG_SPACE_SIZE || ttl == 0) {
            diag_warning(dl, (struct src_mark){ 0, 0 },
                         "%s: capability list %s at 0x%02x: stopped there", name,
                         ttl ? "points outside the capability area" : "loops", pos);
            return 0;
        }
        if (rd8(c, pos) == id)
            return pos;
        pos = rd8(c, pos + 1) & 0xfc;
    }
    return 0;
}

/* The offset of extended capability id (from 0x100), or 0; guards as find_cap(). */
static unsigned find_ext_cap(const struct blob *c, unsigned id, const char *name,
                             struct diag_list *dl)
{
    unsigned pos = PCI_CFG_SPACE_SIZE;

    if (c->len < PCI_CFG_SPACE_EXP_SIZE)
        return 0;
    for (int ttl = (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8; ttl > 0; ttl--) {
        uint32_t h = rd32(c, pos);

        if (h == 0 || h == 0xffffffff)
            return 0;
        if ((h & 0xffff) == id)
            return pos;
        pos = (h >> 20) & 0xffc;
        if (!pos)
            return 0;
        if (pos < PCI_CFG_SPACE_SIZE || pos + 8 > PCI_CFG_SPACE_EXP_SIZE) {
            diag_warning(dl, (struct src_mark){ 0, 0 },
                         "%s: extended capability list points to 0x%03x: stopped there", name, pos);
            return 0;
        }
    }
    diag_warning(dl, (struct src_mark){ 0, 0 }, "%s: extended capability list loops", name);
    return 0;
}

/* ACS bits as a flow list: "[sv, rr, cr, uf]". */
static void acs_list(char *buf, size_t n, unsigned bits)
{
    static const char *const names[] = { "sv", "tb", "rr", "cr", "uf", "ec", "dt" };
    size_t k = (size_t)snprintf(buf, n, "[");

    for (unsigned i = 0; i < 7; i++)
        if (bits & (1u << i))
            k += (size_t)snprintf(buf + k, n - k, "%s%s", buf[k - 1] == '[' ? "" : ", ", names[i]);
    snprintf(buf + k, n - k, "]");
}

/* The PCIe port type (PCIe Base 6.0 §7.5.3.2) as a dmasim kind; NULL for other types. */
static const char *exp_kind(unsigned type, bool *bridge)
{
    static const char *const kinds[16] = {
        [0x0] = "endpoint",        [0x1] = "legacy-endpoint", [0x4] = "root-port",
        [0x5] = "upstream-port",   [0x6] = "downstream-port", [0x7] = "pcie-pci-bridge",
        [0x8] = "pci-pcie-bridge", [0x9] = "rc-endpoint",     [0xa] = "rc-endpoint",
    };

    *bridge = type >= 0x4 && type <= 0x8;
    return kinds[type & 0xf];
}

/* Append a line to the comment above a function. */
static void add_comment(struct imp_fn *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_comment(struct imp_fn *f, const char *fmt, ...)
{
    size_t k = strlen(f->comment);
    va_list ap;

    if (k && k + 1 < sizeof(f->comment))
        f->comment[k++] = '\n';
    va_start(ap, fmt);
    vsnprintf(f->comment + k, sizeof(f->comment) - k, fmt, ap);
    va_end(ap);
}

/* One line of the resource file: "0x... 0x... 0x...", line (1-based). */
struct res_line {
    uint64_t start, end, flags;
};

static size_t parse_resource(const struct blob *r, struct res_line *out, size_t max)
{
    const char *p = r && r->data ? (const char *)r->data : "";
    size_t k = 0;

    while (*p && k < max) {
        char *e;

        out[k].start = strtoull(p, &e, 16);
        out[k].end = strtoull(e, &e, 16);
        out[k].flags = strtoull(e, &e, 16);
        k++;
        p = strchr(p, '\n');
        if (!p)
            break;
        p++;
    }
    return k;
}

/* The BARs and the ROM: type and address from config space, size from the resource file. */
static void fill_bars(struct imp_fn *f, const struct sfn *x)
{
    struct res_line res[7];
    size_t nres = parse_resource(x->res, res, 7);
    unsigned nslots = x->bridge ? 2 : 6;
    char note[160], snote[160];

    if (!x->res) {
        add_comment(f, "no resource file in the capture: BAR sizes unknown, BARs left out");
        return;
    }
    for (unsigned i = 0; i < nslots; i++) {
        unsigned off = PCI_BASE_ADDRESS_0 + 4 * i;
        uint32_t reg = rd32(x->cfg, off);
        bool io = reg & 1, m64 = !io && ((reg >> 1) & 3) == 2;
        uint64_t size, addr;
        struct imp_bar *b;

        if (i >= nres || !(res[i].flags & (IORESOURCE_IO | IORESOURCE_MEM)) ||
            res[i].end < res[i].start)
            continue;
        size = res[i].end - res[i].start + 1;
        addr = io ? reg & ~0x3u : reg & ~0xfu;
        if (m64)
            addr |= (uint64_t)rd32(x->cfg, off + 4) << 32;
        if (!num_is_pow2(size) || (io && (size < 4 || size > 256)) || (!io && size < 16) ||
            (m64 && i + 1 >= nslots) || (!io && !m64 && size > (1ull << 31))) {
            add_comment(f, "BAR%u: resource line %u gives size 0x%" PRIx64 "%s: left out", i, i + 1,
                        size, m64 && i + 1 >= nslots ? " in the last slot" : ", which no BAR has");
            i += m64;
            continue;
        }
        b = &f->bars[f->nbars++];
        b->index = i;
        snprintf(note, sizeof(note), "config space 0x%02x", off);
        snprintf(snote, sizeof(snote), "resource line %u", i + 1);
        imp_set(&b->type, io ? "io" : m64 ? "mem64" : "mem32", note);
        imp_size(&b->size, size, snote);
        if (!io)
            imp_set(&b->prefetchable, reg & 0x8 ? "true" : "false", note);
        if (addr && !(res[i].flags & IORESOURCE_UNSET) && addr % size == 0)
            imp_setf(&b->address, note, "0x%" PRIx64, addr);
        i += m64;
    }
    if (nres >= 7 && (res[6].flags & IORESOURCE_MEM) && res[6].end > res[6].start) {
        unsigned off = x->bridge ? PCI_ROM_ADDRESS1 : PCI_ROM_ADDRESS;
        uint64_t size = res[6].end - res[6].start + 1, addr = rd32(x->cfg, off) & ~0x7ffu;

        if (res[6].flags & IORESOURCE_ROM_SHADOW) {
            add_comment(f, "the ROM resource is the shadow copy at 0x%" PRIx64 ": left out",
                        res[6].start);
        } else if (!num_is_pow2(size) || size < 2048 || size > (1ull << 31)) {
            add_comment(f,
                        "ROM: resource line 7 gives size 0x%" PRIx64 ", which no ROM has: left out",
                        size);
        } else {
            snprintf(note, sizeof(note), "config space 0x%02x", off);
            imp_size(&f->rom_size, size, "resource line 7");
            if (addr && addr % size == 0 && addr + size <= (1ull << 32))
                imp_setf(&f->rom_address, note, "0x%" PRIx64, addr);
        }
    }
}

/* The windows as "{ io: [B, L], ... }"; bases with a size suffix when short. */
static size_t format_windows(char *buf, size_t n, uint64_t w[3][2], const bool open[3],
                             bool short_base)
{
    static const char *const names[3] = { "io", "mem", "pref" };
    size_t k = (size_t)snprintf(buf, n, "{");

    for (int i = 0; i < 3; i++) {
        char base[24];

        if (!open[i])
            continue;
        if (short_base)
            num_format_size(base, w[i][0]);
        else
            snprintf(base, sizeof(base), "0x%" PRIx64, w[i][0]);
        k += (size_t)snprintf(buf + k, n - k, "%s%s: [%s, 0x%" PRIx64 "]", k > 1 ? ", " : " ",
                              names[i], base, w[i][1]);
    }
    k += (size_t)snprintf(buf + k, n - k, k > 1 ? " }" : "}");
    return k;
}

/*
 * A bridge's windows (PCI-to-PCI Bridge 1.2 §3.2.5.6-9). The I/O and prefetchable windows are
 * optional: base and limit both reading 0 is taken as not implemented, since Linux's write
 * test (pci_read_bridge_windows()) cannot be redone from a snapshot.
 */
static void fill_windows(struct imp_fn *f, const struct sfn *x)
{
    const struct blob *c = x->cfg;
    char buf[160];
    unsigned iob = rd8(c, PCI_IO_BASE), iol = rd8(c, PCI_IO_LIMIT);
    unsigned pb = rd16(c, PCI_PREF_MEMORY_BASE), pl = rd16(c, PCI_PREF_MEMORY_LIMIT);
    uint64_t w[3][2];
    bool open[3];

    w[0][0] = (uint64_t)(iob & 0xf0) << 8;
    w[0][1] = (uint64_t)(iol & 0xf0) << 8 | 0xfff;
    if ((iob & 0xf) == 1) {
        w[0][0] |= (uint64_t)rd16(c, PCI_IO_BASE_UPPER16) << 16;
        w[0][1] |= (uint64_t)rd16(c, PCI_IO_LIMIT_UPPER16) << 16;
    }
    open[0] = (iob || iol) && w[0][0] <= w[0][1];
    w[1][0] = (uint64_t)(rd16(c, PCI_MEMORY_BASE) & 0xfff0) << 16;
    w[1][1] = (uint64_t)(rd16(c, PCI_MEMORY_LIMIT) & 0xfff0) << 16 | 0xfffff;
    open[1] = w[1][0] <= w[1][1];
    w[2][0] = (uint64_t)(pb & 0xfff0) << 16;
    w[2][1] = (uint64_t)(pl & 0xfff0) << 16 | 0xfffff;
    if ((pb & 0xf) == 1) {
        w[2][0] |= (uint64_t)rd32(c, PCI_PREF_BASE_UPPER32) << 32;
        w[2][1] |= (uint64_t)rd32(c, PCI_PREF_LIMIT_UPPER32) << 32;
    }
    open[2] = (pb || pl) && w[2][0] <= w[2][1];

    /* imp_val holds 63 characters: try hex, then bases with a suffix, else a comment */
    if (format_windows(buf, sizeof(buf), w, open, false) < sizeof(f->windows.value) ||
        format_windows(buf, sizeof(buf), w, open, true) < sizeof(f->windows.value)) {
        imp_set(&f->windows, buf, "config space 0x1c-0x2f");
    } else {
        format_windows(buf, sizeof(buf), w, open, false);
        add_comment(f, "windows in config space: %s;", buf);
        add_comment(f, "too long for the model: left to dmasim to derive");
    }
}

/* A function's kind, bus numbers, ids, ACS, BARs and windows. */
static void fill_fn(struct imp_fn *f, struct sfn *x, struct diag_list *dl)
{
    const struct blob *c = x->cfg;
    char name[80], buf[160];
    unsigned hdr = rd8(c, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MASK;
    unsigned exp = find_cap(c, PCI_CAP_ID_EXP, x->bdf, dl), acs;
    const char *kind;
    bool ebridge = false;

    snprintf(name, sizeof(name), "devices/%s/config", x->bdf);
    if (x->domain)
        imp_setf(&f->id, x->bdf, "f%04x-%02x-%02x.%x", x->domain, x->bus, x->devfn >> 3,
                 x->devfn & 7);
    else
        imp_setf(&f->id, x->bdf, "f%02x-%02x.%x", x->bus, x->devfn >> 3, x->devfn & 7);
    imp_setf(&f->devfn, NULL, "\"%02x.%x\"", x->devfn >> 3, x->devfn & 7);
    imp_setf(&f->vendor, "config space 0x00", "0x%04x", rd16(c, PCI_VENDOR_ID));
    imp_setf(&f->device, "config space 0x02", "0x%04x", rd16(c, PCI_DEVICE_ID));
    imp_setf(&f->class_code, "config space 0x08", "0x%06" PRIx32, rd32(c, PCI_CLASS_REVISION) >> 8);

    kind = exp ? exp_kind((rd16(c, exp + PCI_EXP_FLAGS) >> 4) & 0xf, &ebridge) : NULL;
    x->bridge = hdr == 1;
    if (exp && kind && ebridge == x->bridge) {
        snprintf(buf, sizeof(buf), "config space 0x%02x: PCIe port type %u", exp + 2,
                 (rd16(c, exp + PCI_EXP_FLAGS) >> 4) & 0xf);
        imp_set(&f->kind, kind, buf);
    } else {
        if (exp)
            add_comment(f, "PCIe port type %u does not fit header type %u: kind from the header",
                        (rd16(c, exp + PCI_EXP_FLAGS) >> 4) & 0xf, hdr);
        if (hdr > 1)
            add_comment(f, "header type %u (CardBus) is not modelled: a function without a bus",
                        hdr);
        snprintf(buf, sizeof(buf), "config space 0x0e: header type %u%s", hdr,
                 exp ? "" : ", no PCIe capability");
        imp_set(&f->kind,
                x->bridge ? (exp ? "pcie-pci-bridge" : "pci-bridge")
                          : (exp ? "endpoint" : "pci-device"),
                buf);
    }

    if (x->bridge) {
        unsigned pri = rd8(c, PCI_PRIMARY_BUS);

        x->secondary = rd8(c, PCI_SECONDARY_BUS);
        x->subordinate = rd8(c, PCI_SUBORDINATE_BUS);
        x->bus_ok = x->secondary > x->bus && x->subordinate >= x->secondary;
        if (x->bus_ok) {
            imp_setf(&f->secondary, "config space 0x19", "0x%02x", x->secondary);
            imp_setf(&f->subordinate, "config space 0x1a", "0x%02x", x->subordinate);
        } else {
            add_comment(f,
                        "bus numbers in config space (secondary 0x%02x, subordinate 0x%02x) "
                        "are unusable: left to dmasim",
                        x->secondary, x->subordinate);
        }
        if (pri != x->bus)
            add_comment(f, "the primary bus in config space 0x18 reads 0x%02x", pri);
        fill_windows(f, x);
    }

    if (exp && (acs = find_ext_cap(c, PCI_EXT_CAP_ID_ACS, x->bdf, dl))) {
        unsigned cap = rd16(c, acs + PCI_ACS_CAP) & 0x7f, ctrl = rd16(c, acs + PCI_ACS_CTRL);
        char cl[64], tl[64];

        if (ctrl & ~cap & 0x7f)
            add_comment(f, "ACS control bits 0x%x are set without capability: dropped",
                        ctrl & ~cap & 0x7f);
        acs_list(cl, sizeof(cl), cap);
        acs_list(tl, sizeof(tl), ctrl & cap);
        snprintf(buf, sizeof(buf), "config space 0x%03x: ACS capability and control", acs);
        imp_setf(&f->acs, buf, "{ cap: %s, ctrl: %s }", cl, tl);
    } else if (exp) {
        imp_set(&f->acs, "none",
                c->len < PCI_CFG_SPACE_EXP_SIZE ? "no extended config space captured"
                                                : "no ACS capability in config space");
    }
    fill_bars(f, x);
}

static int cmp_sfn(const void *a, const void *b)
{
    const struct sfn *x = a, *y = b;

    if (x->domain != y->domain)
        return x->domain < y->domain ? -1 : 1;
    if (x->bus != y->bus)
        return x->bus < y->bus ? -1 : 1;
    return x->devfn < y->devfn ? -1 : x->devfn > y->devfn;
}

/* The IOMMU: one unit of the kind the capture's units (or else the arch) imply. */
static void fill_iommu(struct imp_scenario *s, const struct snap *sn, const char *arch)
{
    struct imp_machine *m = &s->host;
    char units[64][64];
    size_t nunits = snap_children(sn, "iommu", units, 64);
    const char *kind = NULL;
    unsigned mgaw = 0;
    char from[80] = "";
    struct imp_iommu *u;
    bool any = false;

    for (size_t i = 0; i < m->nfns; i++)
        any |= m->group[i] >= 0;
    if (!any)
        return;
    if (nunits > 64)
        nunits = 64;
    for (size_t i = 0; i < nunits; i++) {
        char cap[64], cn[128], ub[64];
        const struct blob *b;
        uint64_t v;

        snprintf(ub, sizeof(ub), "%s", units[i]);
        if (strncmp(ub, "dmar", 4) == 0)
            kind = "vt-d";
        else if (strncmp(ub, "ivhd", 4) == 0)
            kind = "amd-vi";
        else if (strstr(ub, "smmu"))
            kind = "smmuv3";
        snprintf(cn, sizeof(cn), "iommu/%s/cap", ub);
        if (!(b = snap_find(sn, cn)) || !*text(b, cap, sizeof(cap)))
            continue;
        v = strtoull(cap, NULL, 16);
        /* VT-d 4.1 §11.4.2: MGAW, bits 21:16, is the maximum guest address width - 1 */
        if (!mgaw || ((v >> 16) & 0x3f) + 1 < mgaw) {
            mgaw = (unsigned)((v >> 16) & 0x3f) + 1;
            snprintf(from, sizeof(from), "iommu/%s/cap MGAW", ub);
        }
    }
    if (!kind && arch && strcmp(arch, "x86_64") == 0)
        kind = "vt-d";
    if (!kind && arch && strcmp(arch, "aarch64") == 0)
        kind = "smmuv3";
    if (!kind) {
        strncat(s->notes,
                "No IOMMU written: the capture names no unit dmasim models, and the "
                "arch implies none.\n",
                sizeof(s->notes) - strlen(s->notes) - 1);
        return;
    }
    u = &m->iommus[m->niommus++];
    imp_set(&u->id, "iommu0", NULL);
    imp_set(&u->kind, kind, nunits ? "from the unit names in the capture" : "assumed: by arch");
    if (mgaw)
        imp_setf(&u->address_bits, from, "%u", mgaw);
    else
        imp_set(&u->address_bits, "48", "assumed: no capability register captured");
    for (size_t i = 0, k = 0; i < nunits && k < sizeof(u->comment); i++)
        k += (size_t)snprintf(u->comment + k, sizeof(u->comment) - k, "%s%s",
                              i ? ", " : "units in the capture: ", units[i]);
    if (nunits > 1)
        strncat(u->comment, "; modelled as one covering every host bridge",
                sizeof(u->comment) - strlen(u->comment) - 1);
}

static const char *arch_name(const char *uname)
{
    static const char *const known[] = { "x86_64", "aarch64",     "ppc64", "ppc64le",
                                         "s390x",  "riscv64",     "alpha", "sparc64",
                                         "mips64", "loongarch64", "i386",  NULL };

    for (size_t i = 0; known[i]; i++)
        if (strcmp(uname, known[i]) == 0)
            return known[i];
    if (uname[0] == 'i' && strlen(uname) == 4 && strcmp(uname + 2, "86") == 0)
        return "i386";
    if (strncmp(uname, "arm", 3) == 0)
        return "arm";
    return NULL;
}

/* The functions of the capture, the tree their bus numbers make, and the platform. */
static int build(struct imp_scenario *s, const struct snap *sn, const char *path,
                 struct diag_list *dl)
{
    struct imp_machine *m = &s->host;
    char(*names)[64] = NULL;
    unsigned hb_domain[16], hb_bus[16];
    size_t n = snap_children(sn, "devices", NULL, 0), nhb = 0;
    struct sfn *x = NULL;
    char buf[128];
    const char *arch = NULL;
    int err = SIM_OK;

    if (n == 0) {
        diag_error(dl, (struct src_mark){ 0, 0 },
                   "no devices/ in the capture: not made by tools/dmasim-capture?");
        return SIM_EINVAL;
    }
    if (!(names = calloc(n, sizeof(*names))) || !(x = calloc(n, sizeof(*x)))) {
        err = SIM_ENOMEM;
        goto out;
    }
    snap_children(sn, "devices", names, n);
    for (size_t i = 0; i < n; i++) {
        unsigned d, b, dv, fn;
        char tail;

        snprintf(x[i].bdf, sizeof(x[i].bdf), "%s", names[i]);
        if (sscanf(x[i].bdf, "%x:%x:%x.%x%c", &d, &b, &dv, &fn, &tail) != 4 || b > 0xff ||
            dv > 0x1f || fn > 7) {
            diag_error(dl, (struct src_mark){ 0, 0 }, "devices/%s: not a PCI address", names[i]);
            err = SIM_EINVAL;
            continue;
        }
        x[i].domain = d;
        x[i].bus = b;
        x[i].devfn = dv << 3 | fn;
        x[i].cfg = dev_file(sn, names[i], "config");
        x[i].res = dev_file(sn, names[i], "resource");
        if (!x[i].cfg || !x[i].cfg->data) {
            diag_error(dl, (struct src_mark){ 0, 0 }, "devices/%s/config: missing", names[i]);
            err = SIM_EINVAL;
        } else if (x[i].cfg->len != PCI_CFG_SPACE_SIZE && x[i].cfg->len != PCI_CFG_SPACE_EXP_SIZE) {
            diag_error(dl, (struct src_mark){ 0, 0 },
                       "devices/%s/config: %zu bytes: truncated (a config space is 256 or 4096 "
                       "bytes; without root, sysfs gives 64)",
                       names[i], x[i].cfg->len);
            err = SIM_EINVAL;
        } else if (rd16(x[i].cfg, PCI_VENDOR_ID) == 0xffff) {
            diag_error(dl, (struct src_mark){ 0, 0 },
                       "devices/%s/config: vendor reads 0xffff: the function did not answer",
                       names[i]);
            err = SIM_EINVAL;
        }
    }
    if (err < 0)
        goto out;
    if (n)
        qsort(x, n, sizeof(*x), cmp_sfn);

    for (size_t i = 0; i < n; i++) {
        size_t k = imp_fn_add(m);
        const struct blob *g = dev_file(sn, x[i].bdf, "iommu_group");
        const struct blob *drv = dev_file(sn, x[i].bdf, "driver");
        struct imp_fn *f;

        if (k == IMP_NONE) {
            err = SIM_ENOMEM;
            goto out;
        }
        f = &m->fns[k];
        fill_fn(f, &x[i], dl);
        if (g && *text(g, buf, sizeof(buf))) {
            char *e;
            long v = strtol(buf, &e, 10);

            if (*e || v < 0 || v > 0xffff)
                diag_warning(dl, (struct src_mark){ 0, 0 },
                             "devices/%s/iommu_group: '%s' is not a group number: ignored",
                             x[i].bdf, buf);
            else
                m->group[k] = (int)v;
        }
        if (!drv || !*text(drv, buf, sizeof(buf))) {
            imp_set(&f->driver, "none", "no driver bound");
        } else {
            char note[160];

            snprintf(note, sizeof(note), "driver %s", buf);
            imp_set(&f->driver, strcmp(buf, "vfio-pci") == 0 ? "vfio-pci" : "host", note);
        }
    }

    /* Parents: the bridge whose secondary bus is this bus; else a host bridge's root bus. */
    for (size_t i = 0; i < n; i++) {
        size_t p = IMP_NONE, h;

        for (size_t j = 0; j < n && p == IMP_NONE; j++)
            if (x[j].bridge && x[j].bus_ok && x[j].domain == x[i].domain &&
                x[j].secondary == x[i].bus)
                p = j;
        m->fns[i].parent = p;
        if (p != IMP_NONE)
            continue;
        /* x is sorted, so host bridges come in (domain, bus) order */
        for (h = 0; h < nhb; h++)
            if (hb_domain[h] == x[i].domain && hb_bus[h] == x[i].bus)
                break;
        if (h == nhb) {
            struct imp_hb *hb = &m->hbs[h];
            unsigned seg = x[i].domain;

            if (nhb == sizeof(m->hbs) / sizeof(m->hbs[0])) {
                diag_error(dl, (struct src_mark){ 0, 0 },
                           "more than %zu root buses: dmasim import keeps at most that many", nhb);
                err = SIM_EINVAL;
                goto out;
            }
            hb_domain[h] = x[i].domain;
            hb_bus[h] = x[i].bus;
            nhb++;
            if (x[i].domain)
                imp_setf(&hb->id, NULL, "pci%04x-%02x", x[i].domain, x[i].bus);
            else
                imp_setf(&hb->id, NULL, "pci%02x", x[i].bus);
            if (seg > 0xffff) {
                /* Linux numbers VMD domains from 0x10000: give it a free 16-bit segment */
                for (seg = 1; seg <= 0xffff; seg++) {
                    bool used = false;

                    for (size_t j = 0; j < n; j++)
                        used |= x[j].domain == seg;
                    for (size_t j = 0; j + 1 < nhb; j++)
                        used |= strtoul(m->hbs[j].segment.value, NULL, 16) == seg;
                    if (!used)
                        break;
                }
                imp_setf(&hb->segment, "assumed: a free segment; segments are 16-bit", "0x%04x",
                         seg);
                snprintf(hb->comment, sizeof(hb->comment), "Linux PCI domain %x", x[i].domain);
            } else {
                imp_setf(&hb->segment, "PCI domain", "0x%04x", seg);
            }
            imp_setf(&hb->bus, "no bridge has it as secondary bus", "0x%02x", x[i].bus);
        }
        m->fns[i].host_bridge = h;
    }
    m->nhbs = nhb;
    for (size_t i = 0; i < n; i++) {
        size_t r = i;

        while (m->fns[r].parent != IMP_NONE)
            r = m->fns[r].parent;
        m->fns[i].host_bridge = m->fns[r].host_bridge;
    }

    /* Platform */
    imp_set(&m->os_enables_acs, "false",
            "the captured ACS control registers are what the kernel already enabled");
    {
        const struct blob *a = snap_find(sn, "arch"), *pb = snap_find(sn, "cpu_phys_bits");

        if (a && *text(a, buf, sizeof(buf))) {
            if ((arch = arch_name(buf)))
                imp_set(&m->arch, arch, "uname -m");
            else
                strncat(s->notes,
                        "The arch in the capture is not one dmasim knows: x86_64 "
                        "assumed.\n",
                        sizeof(s->notes) - strlen(s->notes) - 1);
        }
        if (pb && *text(pb, buf, sizeof(buf))) {
            char *e;
            long v = strtol(buf, &e, 10);

            if (!*e && v >= 1 && v <= 64)
                imp_setf(&m->cpu_phys_bits, "/proc/cpuinfo address sizes", "%ld", v);
        }
    }
    fill_iommu(s, sn, arch);
    snprintf(s->name, sizeof(s->name), "sysfs");
    snprintf(s->description, sizeof(s->description),
             "PCI functions captured from sysfs by tools/dmasim-capture.");
    snprintf(s->source, sizeof(s->source), "From the sysfs capture %s.", path);
    strncat(s->notes,
            "Bus numbers, windows, BAR types and addresses and ACS registers are what config\n"
            "space read when the capture was made; BAR and ROM sizes come from each function's\n"
            "resource file. expect.groups holds the groups the kernel formed.",
            sizeof(s->notes) - strlen(s->notes) - 1);
out:
    free(names);
    free(x);
    return err;
}

int import_sysfs(struct imp_scenario *s, const char *path, struct diag_list *dl)
{
    struct snap sn = { NULL, 0, 0 };
    struct stat st;
    int err;

    if (stat(path, &st) < 0) {
        diag_error(dl, (struct src_mark){ 0, 0 }, "cannot open: %s", strerror(errno));
        return SIM_EIO;
    }
    if (S_ISDIR(st.st_mode)) {
        err = load_dir(&sn, path, dl);
    } else {
        unsigned char *t;
        size_t len;

        if ((err = read_all(path, &t, &len)) < 0) {
            diag_error(dl, (struct src_mark){ 0, 0 }, "cannot read: %s",
                       err == SIM_ENOMEM ? "out of memory" : strerror(errno));
            return err;
        }
        err = load_tar(&sn, t, len, dl);
        free(t);
    }
    if (err == SIM_OK) {
        if (sn.n) /* qsort() wants a valid pointer even for nothing */
            qsort(sn.v, sn.n, sizeof(*sn.v), cmp_blob);
        err = build(s, &sn, path, dl);
    }
    snap_fini(&sn);
    return err;
}

/*
 * Import -- QEMU command lines: the PCI machine QEMU builds from -machine, -cpu and -device.
 *
 * Input: one command line, as one string or one argument per line, with `\` continuations,
 * `#` comment lines and an optional leading qemu-system-ARCH. Output: the machine QEMU
 * builds (machine-created functions, default devices, every PCI -device), always in
 * s->guest (FORMAT.md section 2: the VM is the machine `guest`); when the line assigns host
 * functions with vfio-pci, placeholder host functions in s->host for `passthrough`.
 *
 * What a function is (ids, class, BARs, PCIe or not, ACS) comes from one table, devices[],
 * which describes QEMU 7.2. Addresses are not assigned (firmware does that) and bus numbers
 * are left to dmasim, which numbers depth-first as firmware does; only pxb-pcie's bus_nr is
 * written, as the bus of the host bridge it creates.
 */
#include "sim/import/import.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util/err.h"

/* ---- the device table ------------------------------------------------------------------ */

/* How a device's PCI Express capability depends on the bus it is plugged into. */
enum qpcie {
    QP_CONV,    /* never has one: conventional PCI function (pci-device) */
    QP_EXPRESS, /* always has one (INTERFACE_PCIE_DEVICE): endpoint, rc-endpoint on a root bus */
    QP_HYBRID,  /* only on a PCIe bus (qemu-xhci, vfio-pci): as QP_EXPRESS there, else CONV */
    QP_VIRTIO,  /* virtio-pci: PCIe (and modern-only) on a PCIe bus that is not a root bus */
    QP_BRIDGE,  /* a bridge or port: the kind is fixed by the table */
};

/* The bus a bridge creates, or a root bus. */
enum qbus_type {
    QB_ROOT_PCIE, /* q35 pcie.0, virt pcie.0, a pxb-pcie bus: a root complex */
    QB_ROOT_PCI,  /* pc (i440fx) pci.0: conventional root bus */
    QB_LINK,      /* below a root port or downstream port: a PCIe link */
    QB_SWITCH,    /* below a switch upstream port: the switch's internal bus */
    QB_CONV,      /* below a PCI or PCIe-to-PCI bridge: conventional PCI */
};

struct qbar {
    unsigned index;   /* 0..5 */
    const char *type; /* mem32 | mem64 | io; NULL ends the list */
    uint64_t size;    /* bytes */
    bool pref;        /* prefetchable */
};

struct qdev {
    const char *driver;   /* -device driver name */
    const char *kind;     /* dmasim kind for QP_BRIDGE and QP_CONV; NULL: by bus */
    uint16_t vendor;      /* vendor id */
    uint16_t device;      /* device id (transitional id for QP_VIRTIO) */
    uint16_t modern;      /* QP_VIRTIO: the modern-only device id 0x1040 + virtio id */
    uint32_t class_code;  /* 24-bit class code */
    enum qpcie pcie;      /* PCIe capability rule */
    enum qbus_type child; /* QP_BRIDGE: the bus it creates */
    const char *acs;      /* acs value; NULL: none */
    uint64_t rom;         /* option ROM size, 0: none modelled */
    uint64_t legacy_io;   /* QP_VIRTIO: size of the legacy I/O BAR 0 when transitional */
    struct qbar bars[4];  /* BARs; a virtio device's come from its transport */
    const char *src;      /* where the row comes from */
};

#define ACS_QEMU_PORT "{ cap: [sv, tb, rr, cr, uf, dt], ctrl: [] }"
#define K             1024ULL

/*
 * QEMU 7.2 PCI devices. "realcheck" rows were read off tests/fixtures/realcheck/ (Linux 6.1
 * on QEMU 7.2: ids, class, BAR types and sizes, ROM, ACS capability or its absence);
 * "source" rows come from the QEMU source file named and are not yet checked against a boot.
 * No endpoint model of QEMU has an ACS capability (realcheck: e1000e ecaps 0001,0003 only).
 * Columns: driver, kind, vendor, device, modern id, class, PCIe rule, bus created, ACS, ROM,
 * legacy I/O BAR, BARs, source.
 */
/* clang-format off */
static const struct qdev devices[] = {
    /* bridges and ports */
    { "pcie-root-port", "root-port", 0x1b36, 0x000c, 0, 0x060400, QP_BRIDGE, QB_LINK,
      ACS_QEMU_PORT, 0, 0, { { 0, "mem32", 4 * K, false } },
      "QEMU 7.2 pcie-root-port (realcheck: MSI-X BAR0 4K, acs 005f; disable-acs=on: none)" },
    { "ioh3420", "root-port", 0x8086, 0x3420, 0, 0x060400, QP_BRIDGE, QB_LINK,
      NULL, 0, 0, { { 0, NULL, 0, false } },
      "QEMU 7.2 hw/pci-bridge/ioh3420.c (source; no ACS assumed, not realcheck-verified)" },
    { "x3130-upstream", "upstream-port", 0x104c, 0x8232, 0, 0x060400, QP_BRIDGE, QB_SWITCH,
      NULL, 0, 0, { { 0, NULL, 0, false } },
      "QEMU 7.2 x3130-upstream (realcheck: no BARs, no ACS)" },
    { "xio3130-downstream", "downstream-port", 0x104c, 0x8233, 0, 0x060400, QP_BRIDGE, QB_LINK,
      NULL, 0, 0, { { 0, NULL, 0, false } },
      "QEMU 7.2 xio3130-downstream (realcheck: no BARs, no ACS)" },
    { "pcie-pci-bridge", "pcie-pci-bridge", 0x1b36, 0x000e, 0, 0x060400, QP_BRIDGE, QB_CONV,
      NULL, 0, 0, { { 0, "mem64", 256, false } },
      "QEMU 7.2 pcie-pci-bridge (realcheck: BAR0 mem64 256, no ACS)" },
    { "pci-bridge", "pci-bridge", 0x1b36, 0x0001, 0, 0x060400, QP_BRIDGE, QB_CONV,
      NULL, 0, 0, { { 0, "mem64", 256, false } },
      "QEMU 7.2 pci-bridge (realcheck: BAR0 mem64 256)" },
    { "i82801b11-bridge", "pci-bridge", 0x8086, 0x244e, 0, 0x060400, QP_BRIDGE, QB_CONV,
      NULL, 0, 0, { { 0, NULL, 0, false } },
      "QEMU 7.2 hw/pci-bridge/i82801b11.c (source)" },
    { "pxb-pcie", "pci-device", 0x1b36, 0x000b, 0, 0x060000, QP_CONV, QB_ROOT_PCIE,
      NULL, 0, 0, { { 0, NULL, 0, false } },
      "QEMU 7.2 hw/pci-bridge/pci_expander_bridge.c (source)" },
    /* endpoints */
    { "e1000", "pci-device", 0x8086, 0x100e, 0, 0x020000, QP_CONV, QB_CONV,
      NULL, 256 * K, 0, { { 0, "mem32", 128 * K, false }, { 1, "io", 64, false } },
      "QEMU 7.2 e1000 (realcheck: conventional, BAR0 128K, BAR1 io 64, ROM 256K)" },
    { "e1000e", NULL, 0x8086, 0x10d3, 0, 0x020000, QP_EXPRESS, QB_CONV,
      NULL, 256 * K, 0, { { 0, "mem32", 128 * K, false }, { 1, "mem32", 128 * K, false },
                          { 2, "io", 32, false }, { 3, "mem32", 16 * K, false } },
      "QEMU 7.2 e1000e (realcheck: PCIe endpoint, no ACS, ROM 256K)" },
    { "nvme", NULL, 0x1b36, 0x0010, 0, 0x010802, QP_EXPRESS, QB_CONV,
      NULL, 0, 0, { { 0, "mem64", 16 * K, false } },
      "QEMU 7.2 hw/nvme/ctrl.c (source; BAR0 16K with the default queue count)" },
    { "qemu-xhci", NULL, 0x1b36, 0x000d, 0, 0x0c0330, QP_HYBRID, QB_CONV,
      NULL, 0, 0, { { 0, "mem64", 16 * K, false } },
      "QEMU 7.2 hw/usb/hcd-xhci-pci.c (source)" },
    { "ivshmem-plain", "pci-device", 0x1af4, 0x1110, 0, 0x050000, QP_CONV, QB_CONV,
      NULL, 0, 0, { { 0, "mem32", 256, false } },
      "QEMU 7.2 hw/misc/ivshmem.c (source; BAR2 is the memdev)" },
    { "VGA", "pci-device", 0x1234, 0x1111, 0, 0x030000, QP_CONV, QB_CONV,
      NULL, 0, 0, { { 0, "mem32", 16 * K * K, true }, { 2, "mem32", 4 * K, false } },
      "QEMU 7.2 hw/display/vga-pci.c (source; 16M VRAM)" },
    { "vfio-pci", NULL, 0, 0, 0, 0, QP_HYBRID, QB_CONV,
      NULL, 0, 0, { { 0, NULL, 0, false } },
      "QEMU 7.2 hw/vfio/pci.c: ids and BARs are the host device's" },
    /* virtio: transitional id and legacy I/O BAR0 (2^n >= 24 + config) unless modern-only */
    { "virtio-net-pci", NULL, 0x1af4, 0x1000, 0x1041, 0x020000, QP_VIRTIO, QB_CONV,
      NULL, 0, 32, { { 0, NULL, 0, false } },
      "QEMU 7.2 hw/virtio/virtio-net-pci.c (source)" },
    { "virtio-blk-pci", NULL, 0x1af4, 0x1001, 0x1042, 0x010000, QP_VIRTIO, QB_CONV,
      NULL, 0, 128, { { 0, NULL, 0, false } },
      "QEMU 7.2 hw/virtio/virtio-blk-pci.c (source)" },
    { "virtio-scsi-pci", NULL, 0x1af4, 0x1004, 0x1048, 0x010000, QP_VIRTIO, QB_CONV,
      NULL, 0, 64, { { 0, NULL, 0, false } },
      "QEMU 7.2 hw/virtio/virtio-scsi-pci.c (source)" },
    { "virtio-serial-pci", NULL, 0x1af4, 0x1003, 0x1043, 0x078000, QP_VIRTIO, QB_CONV,
      NULL, 0, 64, { { 0, NULL, 0, false } },
      "QEMU 7.2 hw/virtio/virtio-serial-pci.c (source)" },
    { "virtio-rng-pci", NULL, 0x1af4, 0x1005, 0x1044, 0x00ff00, QP_VIRTIO, QB_CONV,
      NULL, 0, 32, { { 0, NULL, 0, false } },
      "QEMU 7.2 hw/virtio/virtio-rng-pci.c (source)" },
    { "virtio-balloon-pci", NULL, 0x1af4, 0x1002, 0x1045, 0x00ff00, QP_VIRTIO, QB_CONV,
      NULL, 0, 32, { { 0, NULL, 0, false } },
      "QEMU 7.2 hw/virtio/virtio-balloon-pci.c (source)" },
    { "virtio-gpu-pci", NULL, 0x1af4, 0x1050, 0x1050, 0x038000, QP_VIRTIO, QB_CONV,
      NULL, 0, 0, { { 0, NULL, 0, false } },
      "QEMU 7.2 hw/display/virtio-gpu-pci.c (source; modern only)" },
    { "virtio-iommu-pci", NULL, 0x1af4, 0x1057, 0x1057, 0xff0000, QP_VIRTIO, QB_CONV,
      NULL, 0, 0, { { 0, NULL, 0, false } },
      "QEMU 7.2 hw/virtio/virtio-iommu-pci.c (source; modern only; class assumed)" },
};
/* clang-format on */

/* -device drivers that are not PCI functions: nothing to model on a PCI bus. */
static const char *const non_pci_prefixes[] = {
    "usb-",    "scsi-",       "ide-",  "isa-",    "virtserialport", "virtconsole",
    "nvme-ns", "nvme-subsys", "tpm-",  "pvpanic", "intel-iommu",    "amd-iommu",
    "i8042",   "hda-",        "ccid-", "floppy",
};

/* Copy src into dst[size], truncating: used where snprintf("%s") would warn of truncation. */
static void scopy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);

    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static const struct qdev *dev_find(const char *driver)
{
    for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
        if (strcmp(devices[i].driver, driver) == 0)
            return &devices[i];
    return NULL;
}

/* ---- reading the command line ---------------------------------------------------------- */

struct tok {
    char *s;                /* malloc'd, quotes removed */
    struct src_mark at;     /* where it starts */
    struct src_mark *marks; /* per character of s: where it came from */
};

struct toks {
    struct tok *v; /* tokens in order */
    size_t n, cap; /* count, allocated */
};

static int tok_push(struct toks *t, const char *s, const struct src_mark *marks, size_t len)
{
    struct tok *nt;

    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;

        if (!(nt = realloc(t->v, cap * sizeof(*nt))))
            return SIM_ENOMEM;
        t->v = nt;
        t->cap = cap;
    }
    nt = &t->v[t->n];
    if (!(nt->s = malloc(len + 1)) || !(nt->marks = malloc((len + 1) * sizeof(*marks)))) {
        free(nt->s);
        return SIM_ENOMEM;
    }
    memcpy(nt->s, s, len);
    nt->s[len] = '\0';
    memcpy(nt->marks, marks, len * sizeof(*marks));
    nt->marks[len] = len ? marks[len - 1] : (struct src_mark){ 0, 0 };
    nt->at = len ? marks[0] : (struct src_mark){ 0, 0 };
    t->n++;
    return SIM_OK;
}

static void toks_fini(struct toks *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].s);
        free(t->v[i].marks);
    }
    free(t->v);
}

/*
 * Split text into arguments as a POSIX shell would for the forms people paste: whitespace
 * separates, '...' and "..." group (\ escapes inside "..."), backslash-newline joins lines,
 * a line whose first non-blank character is # is a comment.
 */
static int tokenize(struct toks *out, const char *text, size_t len)
{
    char *buf = malloc(len + 1);
    struct src_mark *marks = malloc((len + 1) * sizeof(*marks));
    uint32_t line = 1, col = 1;
    size_t n = 0, i = 0;
    bool in_tok = false, line_start = true;
    char quote = 0;
    int err = SIM_OK;

    if (!buf || !marks) {
        err = SIM_ENOMEM;
        goto out;
    }
    while (i < len) {
        char c = text[i];
        struct src_mark here = { line, col };

        if (c == '\\' && !quote && i + 1 < len && (text[i + 1] == '\n' || text[i + 1] == '\r')) {
            i += text[i + 1] == '\r' && i + 2 < len && text[i + 2] == '\n' ? 3 : 2;
            line++;
            col = 1;
            continue; /* a continuation: the next line goes on the same argument list */
        }
        if (line_start && !quote && (c == ' ' || c == '\t')) {
            i++;
            col++;
            continue;
        }
        if (line_start && !quote && c == '#' && !in_tok) {
            while (i < len && text[i] != '\n')
                i++;
            continue;
        }
        line_start = false;
        i++;
        col++;
        if (c == '\n') {
            line++;
            col = 1;
            line_start = !quote;
        }
        if (quote) {
            if (c == quote) {
                quote = 0;
            } else if (quote == '"' && c == '\\' && i < len) {
                buf[n] = text[i++];
                marks[n++] = (struct src_mark){ line, col++ };
            } else {
                buf[n] = c;
                marks[n++] = here;
            }
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (in_tok && (err = tok_push(out, buf, marks, n)) < 0)
                goto out;
            in_tok = false;
            n = 0;
            continue;
        }
        in_tok = true;
        if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '\\' && i < len) {
            buf[n] = text[i++];
            marks[n++] = (struct src_mark){ line, col++ };
        } else {
            buf[n] = c;
            marks[n++] = here;
        }
    }
    if (in_tok)
        err = tok_push(out, buf, marks, n);
out:
    free(buf);
    free(marks);
    return err;
}

static int read_input(char **out, size_t *outlen, const char *path, struct diag_list *dl)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    size_t len = 0, cap = 4096;
    char *buf;

    if (!f) {
        diag_error(dl, (struct src_mark){ 0, 0 }, "cannot open: %s", strerror(errno));
        return SIM_EIO;
    }
    if (!(buf = malloc(cap))) {
        if (f != stdin)
            fclose(f);
        return SIM_ENOMEM;
    }
    for (;;) {
        size_t got = fread(buf + len, 1, cap - len, f);

        len += got;
        if (len < cap)
            break;
        char *nb = realloc(buf, 2 * cap);

        if (!nb) {
            free(buf);
            if (f != stdin)
                fclose(f);
            return SIM_ENOMEM;
        }
        buf = nb;
        cap *= 2;
    }
    if (f != stdin)
        fclose(f);
    *out = buf;
    *outlen = len;
    return SIM_OK;
}

/* ---- -device options ------------------------------------------------------------------- */

struct prop {
    char key[32];       /* property name */
    char val[128];      /* its value, ",," unescaped */
    struct src_mark at; /* where the value starts */
};

struct qopt {
    char driver[64];       /* the -device driver */
    struct prop props[24]; /* key=value pairs */
    size_t nprops;         /* count */
    struct src_mark at;    /* where the option's value starts */
};

/* Parse "driver,key=val,..." (QEMU's ",," is a literal comma). */
static void qopt_parse(struct qopt *o, const struct tok *t)
{
    const char *s = t->s;
    size_t i = 0;
    bool first = true;

    memset(o, 0, sizeof(*o));
    o->at = t->at;
    while (s[i]) {
        char item[192];
        size_t n = 0, start = i;
        char *eq;

        while (s[i] && !(s[i] == ',' && s[i + 1] != ',')) {
            if (s[i] == ',')
                i++; /* ",," */
            if (n + 1 < sizeof(item))
                item[n++] = s[i];
            i++;
        }
        item[n] = '\0';
        if (s[i] == ',')
            i++;
        eq = strchr(item, '=');
        if (first && !eq) {
            scopy(o->driver, sizeof(o->driver), item);
        } else if (eq && o->nprops < sizeof(o->props) / sizeof(o->props[0])) {
            struct prop *p = &o->props[o->nprops++];

            *eq = '\0';
            scopy(p->key, sizeof(p->key), item);
            snprintf(p->val, sizeof(p->val), "%s", eq + 1);
            p->at = t->marks[start + (size_t)(eq - item) + 1 <= strlen(s)
                                 ? start + (size_t)(eq - item) + 1
                                 : start];
            if (strcmp(p->key, "driver") == 0)
                scopy(o->driver, sizeof(o->driver), p->val);
        }
        first = false;
    }
}

static const struct prop *qopt_get(const struct qopt *o, const char *key)
{
    for (size_t i = 0; i < o->nprops; i++)
        if (strcmp(o->props[i].key, key) == 0)
            return &o->props[i];
    return NULL;
}

static bool is_on(const char *v)
{
    return strcmp(v, "on") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0;
}

/* ---- the machine being built ----------------------------------------------------------- */

struct qbus {
    char name[64];       /* QEMU bus name: pcie.0, pci.0, or the bridge's id */
    enum qbus_type type; /* what sits on it */
    size_t fn;           /* the bridge owning it, IMP_NONE for a root bus */
    size_t hb;           /* its host bridge */
    uint8_t used[32];    /* per slot, a bitmap of functions in use */
};

enum machine_type { MT_Q35, MT_PC, MT_VIRT };

struct builder {
    struct imp_scenario *s;
    struct imp_machine *m; /* the QEMU machine: s->guest */
    struct diag_list *dl;
    enum machine_type mt;
    struct qbus buses[64]; /* buses[0] is the machine's root bus */
    size_t nbuses;
    char qemu_id[256][64]; /* per function of m: its QEMU id= ("" when none) */
    unsigned driver_count[64];
    char driver_name[64][64]; /* the drivers counted for <driver><n> ids */
    size_t ndrivers;
    struct {
        char id[64];
        char size[32];
    } objects[16]; /* -object memory-backend-* */
    size_t nobjects;
    struct qopt *vfio[64]; /* the vfio-pci options, with their guest function */
    size_t vfio_fn[64];
    size_t nvfio;
};

static void note_add(struct imp_scenario *s, const char *text)
{
    size_t n = strlen(s->notes);

    snprintf(s->notes + n, sizeof(s->notes) - n, "%s%s", n ? "\n" : "", text);
}

static bool id_taken(const struct builder *b, const char *id)
{
    const struct imp_machine *ms[2] = { &b->s->host, &b->s->guest };

    for (size_t k = 0; k < 2; k++) {
        const struct imp_machine *m = ms[k];

        for (size_t i = 0; i < m->nfns; i++)
            if (strcmp(m->fns[i].id.value, id) == 0)
                return true;
        for (size_t i = 0; i < m->nhbs; i++)
            if (strcmp(m->hbs[i].id.value, id) == 0)
                return true;
        for (size_t i = 0; i < m->niommus; i++)
            if (strcmp(m->iommus[i].id.value, id) == 0)
                return true;
    }
    return false;
}

/* An id for a new object: the QEMU id sanitised to [a-z0-9_-], else <driver><n>; unique. */
static void make_id(struct builder *b, char *out, size_t size, const char *qid, const char *drv)
{
    char base[64];
    size_t n = 0;

    if (qid && qid[0]) {
        for (const char *p = qid; *p && n + 1 < sizeof(base); p++) {
            char c = (char)tolower((unsigned char)*p);

            base[n++] = (isalnum((unsigned char)c) || c == '_' || c == '-') ? c : '-';
        }
        base[n] = '\0';
        snprintf(out, size, "%s", base);
    } else {
        size_t d;

        for (const char *p = drv; *p && n + 1 < sizeof(base); p++) {
            char c = (char)tolower((unsigned char)*p);

            base[n++] = (isalnum((unsigned char)c) || c == '_' || c == '-') ? c : '-';
        }
        base[n] = '\0';
        for (d = 0; d < b->ndrivers; d++)
            if (strcmp(b->driver_name[d], base) == 0)
                break;
        if (d == b->ndrivers && d < sizeof(b->driver_name) / sizeof(b->driver_name[0])) {
            scopy(b->driver_name[d], sizeof(b->driver_name[d]), base);
            b->ndrivers++;
        }
        do { /* an id cut short by size is still unique: id_taken() checks the result */
            if (snprintf(out, size, "%s%u", base, d < b->ndrivers ? b->driver_count[d]++ : 0U) < 0)
                break;
        } while (id_taken(b, out) && d < b->ndrivers);
        return;
    }
    for (unsigned k = 2; id_taken(b, out); k++) /* a suffix cut off by size would never end */
        if ((size_t)snprintf(out, size, "%s-%u", base, k) >= size)
            break;
}

static size_t fn_new(struct builder *b, struct imp_machine *m)
{
    size_t i = imp_fn_add(m);

    if (i != IMP_NONE && m == b->m && i < sizeof(b->qemu_id) / sizeof(b->qemu_id[0]))
        b->qemu_id[i][0] = '\0';
    return i;
}

static void fill_bars(struct imp_fn *f, const struct qbar *bars, size_t nbars, const char *src)
{
    for (size_t i = 0; i < nbars && bars[i].type && f->nbars < 6; i++) {
        struct imp_bar *bar = &f->bars[f->nbars++];

        bar->index = bars[i].index;
        imp_set(&bar->type, bars[i].type, src);
        imp_size(&bar->size, bars[i].size, NULL);
        if (bars[i].pref)
            imp_set(&bar->prefetchable, "true", NULL);
    }
}

static struct qbus *bus_find(struct builder *b, const char *name)
{
    for (size_t i = 0; i < b->nbuses; i++)
        if (strcmp(b->buses[i].name, name) == 0)
            return &b->buses[i];
    return NULL;
}

static struct qbus *bus_add(struct builder *b, const char *name, enum qbus_type type, size_t fn,
                            size_t hb)
{
    struct qbus *q;

    if (b->nbuses == sizeof(b->buses) / sizeof(b->buses[0]))
        return NULL;
    q = &b->buses[b->nbuses++];
    memset(q, 0, sizeof(*q));
    scopy(q->name, sizeof(q->name), name);
    q->type = type;
    q->fn = fn;
    q->hb = hb;
    return q;
}

/* A function of the QEMU machine at slot.fn on q, vendor/device/class/BARs from d. */
static size_t place(struct builder *b, struct qbus *q, unsigned slot, unsigned fn,
                    const char *devfn_note, const char *id, const char *id_note)
{
    struct imp_machine *m = b->m;
    size_t i = fn_new(b, m);
    struct imp_fn *f;

    if (i == IMP_NONE)
        return IMP_NONE;
    f = &m->fns[i];
    imp_set(&f->id, id, id_note);
    imp_setf(&f->devfn, devfn_note, "\"%02x.%x\"", slot, fn);
    f->parent = q->fn;
    f->host_bridge = q->hb;
    q->used[slot] = (uint8_t)(q->used[slot] | (1u << fn));
    return i;
}

static void set_ids(struct imp_fn *f, const struct qdev *d, uint16_t device)
{
    imp_setf(&f->vendor, d->src, "0x%04x", d->vendor);
    imp_setf(&f->device, NULL, "0x%04x", device);
    imp_setf(&f->class_code, NULL, "0x%06x", d->class_code);
}

/* A function QEMU creates by itself (machine or default device), at a fixed devfn. */
static void builtin(struct builder *b, const char *id, unsigned slot, unsigned fn, uint16_t vendor,
                    uint16_t device, uint32_t cls, const struct qbar *bars, size_t nbars,
                    const char *src)
{
    size_t i = place(b, &b->buses[0], slot, fn, src, id, NULL);
    struct imp_fn *f;

    if (i == IMP_NONE)
        return;
    f = &b->m->fns[i];
    imp_set(&f->kind, "pci-device", "no PCIe capability (realcheck: type=pci)");
    imp_setf(&f->vendor, NULL, "0x%04x", vendor);
    imp_setf(&f->device, NULL, "0x%04x", device);
    imp_setf(&f->class_code, NULL, "0x%06x", cls);
    fill_bars(f, bars, nbars, NULL);
}

/* ---- one -device ----------------------------------------------------------------------- */

static int parse_hex(const char *s, unsigned long *out)
{
    char *end;

    if (!*s ||
        !isxdigit((unsigned char)(s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? s[2] : s[0])))
        return -1;
    *out = strtoul(s, &end, 16);
    return *end == '\0' ? 0 : -1;
}

/* addr=slot[.fn], hex, as QEMU's PCI address property parses it. */
static int parse_addr(const char *v, unsigned *slot, unsigned *fn)
{
    char a[32], *dot;
    unsigned long sl, f = 0;

    scopy(a, sizeof(a), v);
    if ((dot = strchr(a, '.')))
        *dot = '\0';
    if (parse_hex(a, &sl) < 0 || sl > 0x1f || (dot && (parse_hex(dot + 1, &f) < 0 || f > 7)))
        return -1;
    *slot = (unsigned)sl;
    *fn = (unsigned)f;
    return 0;
}

/* The dmasim kind of an endpoint of QEMU model d plugged into bus q. */
static const char *endpoint_kind(const struct qdev *d, const struct qbus *q, const char **why)
{
    bool express_bus = q->type == QB_ROOT_PCIE || q->type == QB_LINK || q->type == QB_SWITCH;
    bool pcie = false;

    switch (d->pcie) {
    case QP_CONV:
    case QP_BRIDGE:
        *why = "conventional PCI device model";
        return d->kind;
    case QP_EXPRESS:
        pcie = true;
        break;
    case QP_HYBRID:
        pcie = express_bus;
        break;
    case QP_VIRTIO:
        /* virtio_pci_dc_realize(): PCIe only off the root bus of a PCIe machine */
        pcie = express_bus && q->type != QB_ROOT_PCIE;
        break;
    }
    if (!pcie) {
        *why = d->pcie == QP_VIRTIO ? "virtio-pci has no PCIe capability on a root or "
                                      "conventional bus (virtio_pci_dc_realize)"
                                    : "no PCIe capability on a conventional bus";
        return "pci-device";
    }
    if (q->type == QB_ROOT_PCIE) {
        *why = "on a PCIe root bus QEMU makes the endpoint capability an RC integrated "
               "endpoint (hw/pci/pcie.c pcie_endpoint_cap_common_init, vfio_setup_pcie_cap)";
        return "rc-endpoint";
    }
    *why = q->type == QB_CONV ? "QEMU keeps the PCIe capability of a PCIe-only model even on a "
                                "conventional bus"
                              : "PCIe endpoint capability";
    return "endpoint";
}

/* The vIOMMU a -device or -machine option adds. */
static int iommu_add(struct builder *b, const char *id, const char *kind, const char *bits,
                     const char *bits_note, const char *comment, struct src_mark at)
{
    struct imp_machine *m = b->m;
    struct imp_iommu *u;

    if (m->niommus) {
        diag_error(b->dl, at, "a second vIOMMU ('%s'): QEMU allows one per machine", kind);
        return SIM_EINVAL;
    }
    u = &m->iommus[m->niommus++];
    imp_set(&u->id, id, NULL);
    imp_set(&u->kind, kind, NULL);
    imp_set(&u->address_bits, bits, bits_note);
    scopy(u->comment, sizeof(u->comment), comment);
    return SIM_OK;
}

static int device(struct builder *b, struct qopt *o)
{
    const struct prop *p_bus = qopt_get(o, "bus"), *p_addr = qopt_get(o, "addr"),
                      *p_id = qopt_get(o, "id"), *p = NULL;
    const struct qdev *d = dev_find(o->driver);
    char id[64], idnote[160], devnote[160], line_note[64];
    unsigned slot = 0, fnum = 0, line = o->at.line;
    struct qbus *q;
    struct imp_fn *f;
    const char *why = "", *kind;
    bool unknown = false, virtio = false, modern = false;
    size_t i;

    snprintf(line_note, sizeof(line_note), "from -device line %u", line);
    if (strcmp(o->driver, "intel-iommu") == 0) {
        const char *aw = (p = qopt_get(o, "aw-bits")) ? p->val : "39";

        make_id(b, id, sizeof(id), p_id ? p_id->val : NULL, o->driver);
        return iommu_add(b, id, "vt-d", aw,
                         p ? line_note : "assumed: aw-bits default 39 (QEMU before 9.2)",
                         "-device intel-iommu: QEMU's emulated VT-d", o->at);
    }
    for (size_t k = 0; k < sizeof(non_pci_prefixes) / sizeof(non_pci_prefixes[0]); k++) {
        size_t n = strlen(non_pci_prefixes[k]);

        if (strncmp(o->driver, non_pci_prefixes[k], n) == 0 && strcmp(o->driver, "pvpanic-pci")) {
            char msg[200];

            snprintf(msg, sizeof(msg), "line %u: -device %s is not a PCI function: not modelled",
                     line, o->driver);
            note_add(b->s, msg);
            return SIM_OK;
        }
    }
    if (!d && strncmp(o->driver, "virtio-", 7) == 0 &&
        strcmp(o->driver + strlen(o->driver) - 4, "-pci") == 0)
        virtio = true;
    unknown = !d;

    if (p_bus) {
        if (!(q = bus_find(b, p_bus->val))) {
            diag_error(b->dl, p_bus->at,
                       "-device %s: unknown bus '%s' (no root bus or bridge "
                       "with that id precedes it)",
                       o->driver, p_bus->val);
            return SIM_EINVAL;
        }
    } else {
        q = &b->buses[0]; /* qdev puts a PCI device without bus= on the first PCI bus */
    }
    if (p_addr) {
        if (parse_addr(p_addr->val, &slot, &fnum) < 0) {
            diag_error(b->dl, p_addr->at,
                       "-device %s: addr '%s' is not slot[.function] in hex "
                       "(slot 0-1f, function 0-7)",
                       o->driver, p_addr->val);
            return SIM_EINVAL;
        }
        if (q->used[slot] & (1u << fnum)) {
            diag_error(b->dl, p_addr->at,
                       "-device %s: %02x.%x on bus %s is already in use "
                       "(QEMU: slot not available)",
                       o->driver, slot, fnum, q->name);
            return SIM_EINVAL;
        }
        snprintf(devnote, sizeof(devnote), "addr=%s, -device line %u", p_addr->val, line);
    } else {
        for (slot = 0; slot < 32 && (q->used[slot] & 1u); slot++)
            ;
        if (slot == 32) {
            diag_error(b->dl, o->at, "-device %s: bus %s has no free slot", o->driver, q->name);
            return SIM_EINVAL;
        }
        snprintf(devnote, sizeof(devnote),
                 "assumed: QEMU's first free slot on %s (no addr=, line %u)", q->name, line);
    }

    make_id(b, id, sizeof(id), p_id ? p_id->val : NULL, o->driver);
    if (p_id && strcmp(id, p_id->val) != 0)
        snprintf(idnote, sizeof(idnote), "QEMU id=%s, -device line %u", p_id->val, line);
    else
        snprintf(idnote, sizeof(idnote), "-device %s, line %u", o->driver, line);
    if ((i = place(b, q, slot, fnum, devnote, id, idnote)) == IMP_NONE)
        return SIM_ENOMEM;
    if (p_id && i < sizeof(b->qemu_id) / sizeof(b->qemu_id[0]))
        scopy(b->qemu_id[i], sizeof(b->qemu_id[i]), p_id->val);
    f = &b->m->fns[i];

    if (unknown) {
        kind = (q->type == QB_CONV || q->type == QB_ROOT_PCI) ? "pci-device" : "endpoint";
        imp_set(&f->kind, kind, "placeholder");
        if (virtio) {
            imp_set(&f->vendor, "0x1af4", "virtio vendor id");
            p = qopt_get(o, "iommu_platform");
            imp_set(&f->access_platform, p && is_on(p->val) ? "true" : "false",
                    p ? line_note : "assumed: iommu_platform defaults to off");
            snprintf(f->comment, sizeof(f->comment),
                     "unknown QEMU virtio device '%s' (line %u): placeholder without device id "
                     "or BARs",
                     o->driver, line);
        } else {
            imp_set(&f->vendor, "0x1b36", "placeholder");
            imp_set(&f->device, "0x0000", "placeholder");
            snprintf(f->comment, sizeof(f->comment),
                     "unknown QEMU device '%s' (line %u): placeholder", o->driver, line);
        }
        return SIM_OK;
    }

    if (d->pcie == QP_BRIDGE) {
        const char *acs = d->acs;

        imp_set(&f->kind, d->kind, NULL);
        set_ids(f, d, d->device);
        if (acs && (p = qopt_get(o, "disable-acs")) && is_on(p->val))
            acs = NULL;
        imp_set(&f->acs, acs ? acs : (strcmp(d->kind, "pci-bridge") ? "none" : ""),
                acs ? "QEMU's ACS capability, control 0 at reset (realcheck acs=005f)"
                    : (p && is_on(p->val) ? "disable-acs=on" : NULL));
        fill_bars(f, d->bars, 4, NULL);
        if (p_id) {
            char name[64];

            scopy(name, sizeof(name), p_id->val);
            if (bus_find(b, name)) {
                diag_error(b->dl, p_id->at, "-device %s: a bus named '%s' exists already",
                           o->driver, name);
                return SIM_EINVAL;
            }
            if (!bus_add(b, name, d->child, i, q->hb))
                return SIM_ENOMEM;
        }
        snprintf(f->comment, sizeof(f->comment), "-device %s (line %u)%s", o->driver, line,
                 p_id ? "" : ": no id=, so nothing can name its bus");
        return SIM_OK;
    }

    if (strcmp(o->driver, "pxb-pcie") == 0) {
        const struct prop *nr = qopt_get(o, "bus_nr");
        struct imp_machine *m = b->m;
        struct imp_hb *hb;
        unsigned long busnr = 0;

        imp_set(&f->kind, d->kind, "no PCIe capability");
        set_ids(f, d, d->device);
        snprintf(f->comment, sizeof(f->comment),
                 "-device pxb-pcie (line %u): this function on %s, and host bridge '%s-hb'", line,
                 q->name, id);
        {
            char *end = NULL;

            busnr = nr ? strtoul(nr->val, &end, 10) : 0; /* QEMU's bus_nr is a decimal uint8 */
            if (!nr || !nr->val[0] || *end || busnr > 255) {
                diag_error(b->dl, nr ? nr->at : o->at, "-device pxb-pcie needs bus_nr=0..255");
                return SIM_EINVAL;
            }
        }
        if (m->nhbs == sizeof(m->hbs) / sizeof(m->hbs[0]))
            return SIM_ENOMEM;
        hb = &m->hbs[m->nhbs++];
        memset(hb, 0, sizeof(*hb));
        imp_setf(&hb->id, NULL, "%s-hb", id);
        imp_setf(&hb->bus, line_note, "0x%02lx", busnr);
        snprintf(hb->comment, sizeof(hb->comment),
                 "pxb-pcie '%s' (line %u): a new PCIe root "
                 "bus, bus_nr=%lu",
                 p_id ? p_id->val : id, line, busnr);
        if (p_id && !bus_add(b, p_id->val, QB_ROOT_PCIE, IMP_NONE, m->nhbs - 1))
            return SIM_ENOMEM;
        return SIM_OK;
    }

    /* an endpoint of the table */
    if (d->pcie == QP_VIRTIO) {
        const char *dl_ = (p = qopt_get(o, "disable-legacy")) ? p->val : "auto";

        kind = endpoint_kind(d, q, &why);
        modern = d->device == d->modern || is_on(dl_) ||
                 (strcmp(dl_, "auto") == 0 && strcmp(kind, "endpoint") == 0);
        imp_set(&f->kind, kind, why);
        set_ids(f, d, modern ? d->modern : d->device);
        snprintf(f->device.note, sizeof(f->device.note), "%s",
                 modern ? "modern-only (disable-legacy auto on a PCIe port)"
                        : "transitional (legacy I/O BAR0)");
        if (!modern) {
            struct qbar io = { 0, "io", d->legacy_io, false };

            fill_bars(f, &io, 1, NULL);
        }
        {
            const struct qbar vb[] = { { 1, "mem32", 4 * K, false }, { 4, "mem64", 16 * K, true } };

            fill_bars(f, vb, 2, "virtio-pci: BAR1 MSI-X, BAR4 modern regions");
        }
        p = qopt_get(o, "iommu_platform");
        imp_set(&f->access_platform, p && is_on(p->val) ? "true" : "false",
                p ? line_note : "assumed: iommu_platform defaults to off");
        if (strcmp(o->driver, "virtio-iommu-pci") == 0) {
            int err =
                iommu_add(b, "viommu0", "virtio-iommu", "64",
                          "QEMU 7.2 virtio-iommu input range: all 64 bits",
                          "-device virtio-iommu-pci: the IOMMU; its PCI function is below", o->at);

            if (err < 0)
                return err;
        }
    } else {
        kind = endpoint_kind(d, q, &why);
        imp_set(&f->kind, kind, why);
        if (d->vendor) {
            set_ids(f, d, d->device);
            fill_bars(f, d->bars, 4, NULL);
            if (d->rom)
                imp_size(&f->rom_size, d->rom, "QEMU option ROM (romfile default)");
        }
        if (strcmp(kind, "pci-device") != 0 && d->vendor)
            imp_set(&f->acs, "none", "QEMU endpoints have no ACS capability");
    }
    snprintf(f->comment, sizeof(f->comment), "-device %s (line %u)", o->driver, line);

    if (strcmp(o->driver, "ivshmem-plain") == 0) {
        const struct prop *md = qopt_get(o, "memdev");
        const char *size = NULL;
        struct imp_bar *bar = &f->bars[f->nbars++];

        for (size_t k = 0; md && k < b->nobjects; k++)
            if (strcmp(b->objects[k].id, md->val) == 0)
                size = b->objects[k].size;
        bar->index = 2;
        imp_set(&bar->type, "mem64", "the shared memory (memdev)");
        {
            char *end = NULL;
            unsigned long long v = size ? strtoull(size, &end, 10) : 0;
            const char *sfx = "KMGT", *hit = end && *end ? strchr(sfx, toupper(*end)) : NULL;

            if (hit && end[1] == '\0')
                for (const char *q2 = sfx; q2 <= hit; q2++)
                    v *= 1024;
            if (size && v && (v & (v - 1)) == 0 && (!*end || hit))
                imp_size(&bar->size, v, "from -object memory-backend-* size=");
            else
                imp_set(&bar->size, "4M", "assumed: the memdev's size is unknown");
        }
        imp_set(&bar->prefetchable, "true", NULL);
    }
    if (strcmp(o->driver, "vfio-pci") == 0) {
        if (b->nvfio < sizeof(b->vfio) / sizeof(b->vfio[0])) {
            b->vfio[b->nvfio] = o;
            b->vfio_fn[b->nvfio++] = i;
        }
        snprintf(f->comment, sizeof(f->comment),
                 "-device vfio-pci (line %u): the host device's ids, BARs and ACS are not on "
                 "the command line",
                 line);
    }
    return SIM_OK;
}

/* ---- machines -------------------------------------------------------------------------- */

static void machine_setup(struct builder *b, bool defaults, bool vga, bool nic)
{
    struct imp_machine *m = b->m;
    struct imp_hb *hb = &m->hbs[m->nhbs++];
    const char *src;

    memset(hb, 0, sizeof(*hb));
    switch (b->mt) {
    case MT_Q35: {
        static const struct qbar sata[] = { { 4, "io", 32, false }, { 5, "mem32", 4 * K, false } };
        static const struct qbar smbus[] = { { 4, "io", 64, false } };

        imp_set(&m->arch, "x86_64", "QEMU q35");
        imp_set(&hb->id, "pcie0", NULL);
        snprintf(hb->comment, sizeof(hb->comment), "q35: QEMU's root bus \"pcie.0\"");
        bus_add(b, "pcie.0", QB_ROOT_PCIE, IMP_NONE, 0);
        src = "q35 machine (realcheck)";
        builtin(b, "mch", 0, 0, 0x8086, 0x29c0, 0x060000, NULL, 0, src);
        builtin(b, "lpc", 0x1f, 0, 0x8086, 0x2918, 0x060100, NULL, 0, src);
        builtin(b, "sata", 0x1f, 2, 0x8086, 0x2922, 0x010601, sata, 2, src);
        builtin(b, "smbus", 0x1f, 3, 0x8086, 0x2930, 0x0c0500, smbus, 1, src);
        break;
    }
    case MT_PC: {
        static const struct qbar ide[] = { { 4, "io", 16, false } };

        imp_set(&m->arch, "x86_64", "QEMU pc (i440fx)");
        imp_set(&hb->id, "pci0", NULL);
        snprintf(hb->comment, sizeof(hb->comment),
                 "pc (i440fx): QEMU's root bus \"pci.0\", "
                 "conventional PCI");
        bus_add(b, "pci.0", QB_ROOT_PCI, IMP_NONE, 0);
        src = "pc machine (QEMU 7.2 hw/pci-host/i440fx.c, hw/isa/piix3.c; source)";
        builtin(b, "i440fx", 0, 0, 0x8086, 0x1237, 0x060000, NULL, 0, src);
        builtin(b, "piix3", 1, 0, 0x8086, 0x7000, 0x060100, NULL, 0, src);
        builtin(b, "piix3-ide", 1, 1, 0x8086, 0x7010, 0x010180, ide, 1, src);
        builtin(b, "piix4-acpi", 1, 3, 0x8086, 0x7113, 0x068000, NULL, 0, src);
        break;
    }
    case MT_VIRT:
        imp_set(&m->arch, "aarch64", "QEMU virt");
        imp_set(&hb->id, "pcie0", NULL);
        snprintf(hb->comment, sizeof(hb->comment), "virt: the gpex root bus \"pcie.0\"");
        bus_add(b, "pcie.0", QB_ROOT_PCIE, IMP_NONE, 0);
        builtin(b, "gpex", 0, 0, 0x1b36, 0x0008, 0x060000, NULL, 0,
                "virt machine gpex host bridge function (QEMU 7.2 hw/pci-host/gpex.c; source)");
        break;
    }
    if (!defaults)
        return;
    /* Default devices, created at machine init before any -device (so first-free placement
     * starts after them): VGA unless -vga none, a NIC unless -nic/-net/-netdev. */
    if (vga && b->mt != MT_VIRT) {
        const struct qdev *d = dev_find("VGA");
        size_t i = place(b, &b->buses[0], b->mt == MT_Q35 ? 1 : 2, 0,
                         "QEMU default VGA (no -nodefaults, no -vga none)", "vga0", NULL);

        if (i != IMP_NONE) {
            imp_set(&m->fns[i].kind, "pci-device", "conventional PCI device model");
            set_ids(&m->fns[i], d, d->device);
            fill_bars(&m->fns[i], d->bars, 4, NULL);
        }
    }
    if (nic) {
        struct qopt o;
        struct tok t = { NULL, { 0, 0 }, NULL };
        struct src_mark mk[64];
        char drv[32];

        snprintf(drv, sizeof(drv), "%s",
                 b->mt == MT_Q35  ? "e1000e"
                 : b->mt == MT_PC ? "e1000"
                                  : "virtio-net-pci");
        memset(mk, 0, sizeof(mk));
        t.s = drv;
        t.marks = mk;
        qopt_parse(&o, &t);
        if (device(b, &o) == SIM_OK) {
            struct imp_fn *f = &m->fns[m->nfns - 1];

            snprintf(f->comment, sizeof(f->comment),
                     "QEMU's default NIC %s (no -nodefaults, -nic or -netdev)", drv);
            snprintf(f->id.note, sizeof(f->id.note), "QEMU default NIC");
            snprintf(f->devfn.note, sizeof(f->devfn.note), "QEMU's first free slot");
        }
    }
}

/* The host placeholder for vfio-pci,host=[SSSS:]BB:DD.F. */
static int vfio_host(struct builder *b, size_t k)
{
    struct qopt *o = b->vfio[k];
    const struct prop *h = qopt_get(o, "host");
    struct imp_machine *hm = &b->s->host;
    unsigned seg = 0, bus, dev, fn;
    char id[64], note[160];
    size_t hbi, i;

    if (!h) {
        diag_warning(b->dl, o->at,
                     "vfio-pci without host= (sysfsdev=?): the guest function "
                     "is not linked to a host function");
        return SIM_OK;
    }
    if (sscanf(h->val, "%x:%x:%x.%x", &seg, &bus, &dev, &fn) != 4) {
        seg = 0;
        if (sscanf(h->val, "%x:%x.%x", &bus, &dev, &fn) != 3) {
            diag_error(b->dl, h->at, "vfio-pci host='%s' is not [SSSS:]BB:DD.F", h->val);
            return SIM_EINVAL;
        }
    }
    if (seg > 0xffff || bus > 0xff || dev > 0x1f || fn > 7) {
        diag_error(b->dl, h->at, "vfio-pci host='%s' is out of range", h->val);
        return SIM_EINVAL;
    }
    for (hbi = 0; hbi < hm->nhbs; hbi++) {
        unsigned long hs = strtoul(hm->hbs[hbi].segment.value, NULL, 0);
        unsigned long hbus = strtoul(hm->hbs[hbi].bus.value, NULL, 0);

        if (hs == seg && hbus == bus)
            break;
    }
    if (hbi == hm->nhbs) {
        struct imp_hb *hb;

        if (hbi == sizeof(hm->hbs) / sizeof(hm->hbs[0]))
            return SIM_ENOMEM;
        hb = &hm->hbs[hm->nhbs++];
        memset(hb, 0, sizeof(*hb));
        imp_setf(&hb->id, NULL, "host%zu", hbi);
        imp_setf(&hb->segment, "from vfio-pci host=", "0x%04x", seg);
        imp_setf(&hb->bus, "from vfio-pci host=", "0x%02x", bus);
        snprintf(hb->comment, sizeof(hb->comment),
                 "placeholder: the host's ports and switches above bus %02x are not on a QEMU "
                 "command line;\nthe assigned functions sit directly on a root bus numbered %02x",
                 bus, bus);
    }
    for (i = 0; i < hm->nfns; i++) {
        if (hm->fns[i].host_bridge == hbi) {
            unsigned s2, f2;

            if (sscanf(hm->fns[i].devfn.value, "\"%x.%x\"", &s2, &f2) == 2 && s2 == dev &&
                f2 == fn) {
                diag_error(b->dl, h->at, "host function %s is assigned twice", h->val);
                return SIM_EINVAL;
            }
        }
    }
    if (seg)
        snprintf(id, sizeof(id), "host-%04x-%02x-%02x-%x", seg, bus, dev, fn);
    else
        snprintf(id, sizeof(id), "host-%02x-%02x-%x", bus, dev, fn);
    if ((i = fn_new(b, hm)) == IMP_NONE)
        return SIM_ENOMEM;
    snprintf(note, sizeof(note), "vfio-pci host=%s, line %u", h->val, o->at.line);
    imp_set(&hm->fns[i].id, id, note);
    imp_set(&hm->fns[i].kind, "endpoint", "assumed: a PCIe endpoint");
    imp_setf(&hm->fns[i].devfn, "from host=", "\"%02x.%x\"", dev, fn);
    imp_set(&hm->fns[i].driver, "vfio-pci", "assigned with -device vfio-pci");
    hm->fns[i].host_bridge = hbi;
    imp_set(&b->m->fns[b->vfio_fn[k]].passthrough, id, note);
    return SIM_OK;
}

/* ---- the command line ------------------------------------------------------------------ */

static const char *const noarg_opts[] = {
    "nodefaults",
    "enable-kvm",
    "no-reboot",
    "no-shutdown",
    "nographic",
    "S",
    "s",
    "snapshot",
    "daemonize",
    "no-hpet",
    "no-acpi",
    "no-user-config",
    "full-screen",
    "usb",
    "version",
    "help",
    "h",
    "preconfig",
    "only-migratable",
    "enable-fips",
    "no-fd-bootchk",
    "win2k-hack",
    "alt-grab",
    "ctrl-grab",
    "no-quit",
    "no-frame",
    "semihosting",
    "enable-sync-profile",
};

static bool takes_arg(const char *opt)
{
    for (size_t i = 0; i < sizeof(noarg_opts) / sizeof(noarg_opts[0]); i++)
        if (strcmp(opt, noarg_opts[i]) == 0)
            return false;
    return true;
}

static void scenario_name(struct imp_scenario *s, const char *path)
{
    const char *base = strrchr(path, '/');
    size_t n = 0;

    base = base ? base + 1 : path;
    if (strcmp(path, "-") == 0)
        base = "qemu-import";
    for (const char *p = base; *p && *p != '.' && n + 1 < sizeof(s->name); p++) {
        char c = (char)tolower((unsigned char)*p);

        s->name[n++] = isalnum((unsigned char)c) ? c : '-';
    }
    s->name[n] = '\0';
    if (!n)
        snprintf(s->name, sizeof(s->name), "qemu-import");
}

int import_qemu(struct imp_scenario *s, const char *path, struct diag_list *dl)
{
    struct toks t = { NULL, 0, 0 };
    struct builder *b = NULL;
    struct qopt *opts = NULL;
    size_t nopts = 0, start = 0;
    char *text = NULL, arch[32] = "";
    const struct tok *machine = NULL, *cpu = NULL;
    bool defaults = true, vga = true, nic = true, has_vfio = false;
    size_t len = 0;
    int err;

    if ((err = read_input(&text, &len, path, dl)) < 0)
        return err;
    if ((err = tokenize(&t, text, len)) < 0)
        goto out;
    if (!(b = calloc(1, sizeof(*b))) || !(opts = calloc(t.n + 1, sizeof(*opts)))) {
        err = SIM_ENOMEM;
        goto out;
    }
    b->s = s;
    b->dl = dl;
    if (t.n && strncmp(strrchr(t.v[0].s, '/') ? strrchr(t.v[0].s, '/') + 1 : t.v[0].s,
                       "qemu-system-", 12) == 0) {
        snprintf(arch, sizeof(arch), "%s", strstr(t.v[0].s, "qemu-system-") + 12);
        start = 1;
    }
    for (size_t i = start; i < t.n; i++) {
        const char *o = t.v[i].s;
        const struct tok *arg;

        if (o[0] != '-') {
            diag_warning(dl, t.v[i].at, "'%s' is not an option: ignored (a disk image?)", o);
            continue;
        }
        o += o[1] == '-' ? 2 : 1;
        if (!takes_arg(o)) {
            if (strcmp(o, "nodefaults") == 0)
                defaults = false;
            continue;
        }
        if (i + 1 >= t.n) {
            diag_error(dl, t.v[i].at, "option -%s needs an argument", o);
            err = SIM_EINVAL;
            goto out;
        }
        arg = &t.v[++i];
        if (strcmp(o, "machine") == 0 || strcmp(o, "M") == 0) {
            machine = arg;
        } else if (strcmp(o, "cpu") == 0) {
            cpu = arg;
        } else if (strcmp(o, "device") == 0) {
            if (arg->s[0] == '{') {
                diag_error(dl, arg->at, "JSON -device is not supported: write driver,key=value");
                err = SIM_EINVAL;
                goto out;
            }
            qopt_parse(&opts[nopts], arg);
            if (strcmp(opts[nopts].driver, "vfio-pci") == 0)
                has_vfio = true;
            if (strncmp(opts[nopts].driver, "VGA", 3) == 0 ||
                strstr(opts[nopts].driver, "vga") != NULL)
                vga = false;
            nopts++;
        } else if (strcmp(o, "vga") == 0) {
            vga = false;
        } else if (strcmp(o, "nic") == 0 || strcmp(o, "net") == 0 || strcmp(o, "netdev") == 0) {
            nic = false;
            if (strcmp(arg->s, "none") != 0 && strcmp(o, "netdev") != 0) {
                char msg[240];

                snprintf(msg, sizeof(msg),
                         "line %u: -%s %s creates a NIC this importer does "
                         "not model",
                         arg->at.line, o, arg->s);
                note_add(s, msg);
            }
        } else if (strcmp(o, "object") == 0 && strncmp(arg->s, "memory-backend", 14) == 0 &&
                   b->nobjects < sizeof(b->objects) / sizeof(b->objects[0])) {
            struct qopt ob;
            const struct prop *pid, *psz;

            qopt_parse(&ob, arg);
            if ((pid = qopt_get(&ob, "id")) && (psz = qopt_get(&ob, "size"))) {
                scopy(b->objects[b->nobjects].id, sizeof(b->objects[0].id), pid->val);
                scopy(b->objects[b->nobjects].size, sizeof(b->objects[0].size), psz->val);
                b->nobjects++;
            }
        }
    }

    /* the machine */
    b->mt = strncmp(arch, "aarch64", 7) == 0 ? MT_VIRT : MT_PC;
    if (machine) {
        struct qopt mo;
        const struct prop *type;
        const char *name;

        qopt_parse(&mo, machine);
        name = (type = qopt_get(&mo, "type")) ? type->val : mo.driver;
        if (strcmp(name, "q35") == 0 || strncmp(name, "pc-q35", 6) == 0) {
            b->mt = MT_Q35;
        } else if (strcmp(name, "pc") == 0 || strncmp(name, "pc-i440fx", 9) == 0) {
            b->mt = MT_PC;
        } else if (strcmp(name, "virt") == 0 || strncmp(name, "virt-", 5) == 0) {
            b->mt = MT_VIRT;
        } else {
            diag_error(dl, machine->at, "machine '%s' is not supported: q35, pc or virt", name);
            err = SIM_EINVAL;
            goto out;
        }
        b->m = &s->guest; /* FORMAT.md 2: the VM is the machine `guest` */
        s->has_guest = true;
        machine_setup(b, defaults, vga, nic);
        if (b->mt == MT_VIRT && (type = qopt_get(&mo, "iommu")) && strcmp(type->val, "smmuv3") == 0)
            iommu_add(b, "smmu0", "smmuv3", "48",
                      "QEMU 7.2 SMMUv3: 48-bit stage-1 input (IDR5.VAX=0)",
                      "-machine virt,iommu=smmuv3: StreamID = RID", type->at);
    } else {
        b->m = &s->guest; /* FORMAT.md 2: the VM is the machine `guest` */
        s->has_guest = true;
        machine_setup(b, defaults, vga, nic);
        note_add(s, b->mt == MT_VIRT ? "no -machine: virt assumed (aarch64)"
                                     : "no -machine: QEMU's x86 default, pc (i440fx)");
    }
    if (cpu) {
        struct qopt co;
        const struct prop *p;
        char note[64];

        qopt_parse(&co, cpu);
        snprintf(note, sizeof(note), "from -cpu, line %u", cpu->at.line);
        if ((p = qopt_get(&co, "phys-bits")))
            imp_set(&b->m->cpu_phys_bits, p->val, note);
        if ((p = qopt_get(&co, "guest-phys-bits")))
            imp_set(&b->m->guest_phys_bits, p->val, note);
        if ((p = qopt_get(&co, "host-phys-bits")) && is_on(p->val))
            note_add(s, "-cpu host-phys-bits=on: the guest's physical address width is the "
                        "host's, unknown here, so cpu_phys_bits is not written");
    }

    for (size_t i = 0; i < nopts; i++)
        if ((err = device(b, &opts[i])) < 0)
            goto out;
    if (has_vfio) {
        struct imp_machine *hm = &s->host;

        imp_set(&hm->arch, b->m->arch.value, "assumed: the host runs the guest's architecture");
        for (size_t k = 0; k < b->nvfio; k++)
            if ((err = vfio_host(b, k)) < 0)
                goto out;
        hm->niommus = 1;
        imp_set(&hm->iommus[0].id, "host-iommu0", NULL);
        imp_set(&hm->iommus[0].kind, b->mt == MT_VIRT ? "smmuv3" : "vt-d",
                "assumed: the host IOMMU is not on the command line");
        imp_set(&hm->iommus[0].address_bits, "48", "assumed");
        snprintf(hm->iommus[0].comment, sizeof(hm->iommus[0].comment),
                 "assumed: vfio-pci needs a host IOMMU, so one exists; its kind and width are\n"
                 "guesses. Kept so that `dmasim check` forms host groups and can compare them\n"
                 "with the guest's address spaces.");
    }

    scenario_name(s, path);
    snprintf(s->description, sizeof(s->description),
             "The PCI machine QEMU 7.2 builds from a %s command line%s.",
             b->mt == MT_Q35  ? "q35"
             : b->mt == MT_PC ? "pc (i440fx)"
                              : "virt",
             has_vfio ? ", with placeholder host functions for its vfio-pci devices" : "");
    snprintf(s->source, sizeof(s->source), "dmasim import qemu %s", path);
    note_add(s, "Device models: QEMU 7.2 (table in sim/import/import_qemu.c; realcheck-verified "
                "rows say so).");
    note_add(s, "Bus numbers are left to dmasim (depth-first, as firmware numbers them); BAR "
                "addresses are\nleft unassigned (firmware assigns them).");
    if (!b->m->cpu_phys_bits.value[0] && !strstr(s->notes, "host-phys-bits"))
        note_add(s, "No -cpu phys-bits=: cpu_phys_bits is not written (QEMU's default is 40 "
                    "under TCG).");
    if (!has_vfio)
        note_add(s, "No vfio-pci device: the QEMU machine is written as `host`.");
    else
        note_add(s, "The QEMU machine is `guest`; `host` only holds the assigned functions.");
out:
    if (err < 0 && dl->nerrors == 0 && err == SIM_EINVAL)
        diag_error(dl, (struct src_mark){ 0, 0 }, "invalid QEMU command line");
    free(opts);
    free(b);
    free(text);
    toks_fini(&t);
    return err;
}

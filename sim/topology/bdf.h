/*
 * BDF -- PCI addresses: segment (domain), bus, device, function; requester IDs.
 *
 * A requester ID is rid = bus << 8 | devfn (kernel PCI_DEVID), devfn = dev << 3 | fn.
 * BDFs are printed only through bdf_format(): "SSSS:BB:DD.F", or "BB:DD.F" when the whole
 * machine is in segment 0 (FORMAT.md 1.5).
 */
#ifndef SIM_TOPOLOGY_BDF_H
#define SIM_TOPOLOGY_BDF_H

#include <stdbool.h>
#include <stdint.h>

struct bdf {
    uint16_t domain; /* PCI segment */
    uint8_t bus;     /* bus number */
    uint8_t dev;     /* device (slot), 0..31 */
    uint8_t fn;      /* function, 0..7 */
};

#define PCI_DEVFN(slot, func) ((uint8_t)((((slot)&0x1f) << 3) | ((func)&0x07)))
#define PCI_SLOT(devfn)       ((uint8_t)(((devfn) >> 3) & 0x1f))
#define PCI_FUNC(devfn)       ((uint8_t)((devfn)&0x07))
#define PCI_DEVID(bus, devfn) ((uint16_t)(((uint16_t)(bus) << 8) | (devfn)))

#define BDF_STRLEN   16 /* "ssss:bb:dd.f" plus NUL, rounded up */
#define DEVFN_STRLEN 8

static inline uint8_t bdf_devfn(struct bdf b)
{
    return PCI_DEVFN(b.dev, b.fn);
}

static inline uint16_t bdf_rid(struct bdf b)
{
    return PCI_DEVID(b.bus, bdf_devfn(b));
}

static inline struct bdf bdf_from_rid(uint16_t domain, uint16_t rid)
{
    struct bdf b = { domain, (uint8_t)(rid >> 8), PCI_SLOT(rid & 0xff), PCI_FUNC(rid & 0xff) };

    return b;
}

static inline bool bdf_eq(struct bdf a, struct bdf b)
{
    return a.domain == b.domain && a.bus == b.bus && a.dev == b.dev && a.fn == b.fn;
}

/* bdf_cmp() - the canonical order: (domain, bus, devfn). */
int bdf_cmp(struct bdf a, struct bdf b);

/* bdf_format() - "SSSS:BB:DD.F" with the domain, "BB:DD.F" without; returns buf. */
char *bdf_format(char buf[BDF_STRLEN], struct bdf b, bool with_domain);

/* devfn_format() - "DD.F"; returns buf. */
char *devfn_format(char buf[DEVFN_STRLEN], uint8_t devfn);

enum devfn_status {
    DEVFN_OK,
    DEVFN_SYNTAX,     /* not "slot.function" in hex */
    DEVFN_SLOT_RANGE, /* slot above 0x1f */
    DEVFN_FUNC_RANGE, /* function above 7 */
};

/* devfn_parse() - parse "1c.0" or "2.0" (slot 1 or 2 hex digits, function 0-7). */
enum devfn_status devfn_parse(uint8_t *out, const char *s);

/*
 * bdf_parse() - parse "SSSS:BB:DD.F" or "BB:DD.F" (hex). *has_domain tells which form it
 * was (may be NULL). Returns 0, or SIM_EINVAL for anything else.
 */
int bdf_parse(struct bdf *out, bool *has_domain, const char *s);

#endif

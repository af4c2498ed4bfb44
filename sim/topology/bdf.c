/* BDF -- parsing and formatting PCI addresses. */
#include "sim/topology/bdf.h"

#include <stdio.h>
#include <string.h>

#include "sim/util/err.h"

int bdf_cmp(struct bdf a, struct bdf b)
{
    if (a.domain != b.domain)
        return a.domain < b.domain ? -1 : 1;
    if (a.bus != b.bus)
        return a.bus < b.bus ? -1 : 1;
    if (bdf_devfn(a) != bdf_devfn(b))
        return bdf_devfn(a) < bdf_devfn(b) ? -1 : 1;
    return 0;
}

char *bdf_format(char buf[BDF_STRLEN], struct bdf b, bool with_domain)
{
    if (with_domain)
        snprintf(buf, BDF_STRLEN, "%04x:%02x:%02x.%x", (unsigned)b.domain, (unsigned)b.bus,
                 (unsigned)b.dev, (unsigned)b.fn);
    else
        snprintf(buf, BDF_STRLEN, "%02x:%02x.%x", (unsigned)b.bus, (unsigned)b.dev, (unsigned)b.fn);
    return buf;
}

char *devfn_format(char buf[DEVFN_STRLEN], uint8_t devfn)
{
    snprintf(buf, DEVFN_STRLEN, "%02x.%x", (unsigned)PCI_SLOT(devfn), (unsigned)PCI_FUNC(devfn));
    return buf;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parse 1..maxdigits hex digits at *p, advancing it; -1 when there are none or too many. */
static long hexfield(const char **p, int maxdigits)
{
    long v = 0;
    int n = 0;

    while (hexval(**p) >= 0) {
        if (++n > maxdigits)
            return -1;
        v = v * 16 + hexval(**p);
        (*p)++;
    }
    return n ? v : -1;
}

enum devfn_status devfn_parse(uint8_t *out, const char *s)
{
    const char *p = s;
    long slot = hexfield(&p, 2), fn;

    if (slot < 0 || *p++ != '.')
        return DEVFN_SYNTAX;
    fn = hexfield(&p, 1);
    if (fn < 0 || *p)
        return DEVFN_SYNTAX;
    if (slot > 0x1f)
        return DEVFN_SLOT_RANGE;
    if (fn > 7)
        return DEVFN_FUNC_RANGE;
    *out = PCI_DEVFN(slot, fn);
    return DEVFN_OK;
}

int bdf_parse(struct bdf *out, bool *has_domain, const char *s)
{
    const char *p = s;
    long a = hexfield(&p, 4), b = -1;
    bool dom = false;
    uint8_t devfn;

    if (a < 0 || *p++ != ':')
        return SIM_EINVAL;
    if (strchr(p, ':')) {
        dom = true;
        b = hexfield(&p, 2);
        if (b < 0 || *p++ != ':')
            return SIM_EINVAL;
    } else if (p - s > 3) { /* "BB:" : the bus has at most two digits without a segment */
        return SIM_EINVAL;
    }
    if (devfn_parse(&devfn, p) != DEVFN_OK)
        return SIM_EINVAL;
    out->domain = dom ? (uint16_t)a : 0;
    out->bus = (uint8_t)(dom ? b : a);
    out->dev = PCI_SLOT(devfn);
    out->fn = PCI_FUNC(devfn);
    if (has_domain)
        *has_domain = dom;
    return 0;
}

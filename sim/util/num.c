/* Num -- parsing decimal/hex numbers with binary size suffixes. */
#include "sim/util/num.h"

#include <inttypes.h>
#include <stdio.h>

static int digit(char c, unsigned base)
{
    int d;

    if (c >= '0' && c <= '9')
        d = c - '0';
    else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
    else
        return -1;
    return (unsigned)d < base ? d : -1;
}

static unsigned suffix_shift(char c)
{
    switch (c) {
    case 'K':
        return 10;
    case 'M':
        return 20;
    case 'G':
        return 30;
    case 'T':
        return 40;
    default:
        return 0;
    }
}

enum num_status num_parse_u64(uint64_t *out, const char *s, bool allow_suffix)
{
    unsigned base = 10;
    uint64_t v = 0;
    const char *p = s;
    unsigned shift;

    if (*p == '-')
        return NUM_NEGATIVE;
    if (*p == '+')
        p++;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    if (digit(*p, base) < 0)
        return *p && !(base == 10 && suffix_shift(*p)) ? NUM_BAD_DIGIT : NUM_EMPTY;
    for (; *p; p++) {
        int d = digit(*p, base);

        if (d < 0)
            break;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return NUM_OVERFLOW;
        v = v * base + (uint64_t)d;
    }
    if (*p) {
        bool letter = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');

        shift = suffix_shift(*p);
        if (shift && p[1] == '\0' && !allow_suffix)
            return NUM_NO_SUFFIX;
        if (!shift || p[1] != '\0') {
            /* "10de" is hex without its 0x; "4Q" or "16KB" is a unit the user meant. */
            if (!allow_suffix || !letter || (base == 10 && digit(*p, 16) >= 0))
                return NUM_BAD_DIGIT;
            return NUM_BAD_SUFFIX;
        }
        if (v > (UINT64_MAX >> shift))
            return NUM_OVERFLOW;
        v <<= shift;
    }
    *out = v;
    return NUM_OK;
}

const char *num_status_str(enum num_status st)
{
    switch (st) {
    case NUM_OK:
        return "is a number";
    case NUM_EMPTY:
        return "has no digits";
    case NUM_NEGATIVE:
        return "is negative";
    case NUM_BAD_DIGIT:
        return "is not a decimal or 0x hex number";
    case NUM_BAD_SUFFIX:
        return "has a bad size suffix (use K, M, G or T)";
    case NUM_NO_SUFFIX:
        return "has a size suffix, which only sizes and addresses take";
    case NUM_OVERFLOW:
        return "does not fit in 64 bits";
    }
    return "is not a number";
}

void num_format_size(char buf[24], uint64_t v)
{
    static const char units[] = { 'T', 'G', 'M', 'K' };

    for (unsigned i = 0; i < sizeof(units); i++) {
        unsigned shift = 40 - 10 * i;
        uint64_t unit = (uint64_t)1 << shift;

        if (v >= unit && !(v & (unit - 1))) {
            snprintf(buf, 24, "%" PRIu64 "%c", v >> shift, units[i]);
            return;
        }
    }
    snprintf(buf, 24, "%s%" PRIx64, v ? "0x" : "", v);
}

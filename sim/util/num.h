/*
 * Num -- the numbers of scenario files: decimal or 0x hex, optionally with a binary size
 * suffix K, M, G, T (powers of 1024), never negative, always checked for 64-bit overflow.
 */
#ifndef SIM_UTIL_NUM_H
#define SIM_UTIL_NUM_H

#include <stdbool.h>
#include <stdint.h>

enum num_status {
    NUM_OK,
    NUM_EMPTY,      /* no digits at all */
    NUM_NEGATIVE,   /* a leading '-' */
    NUM_BAD_DIGIT,  /* a character that is neither a digit nor a suffix */
    NUM_BAD_SUFFIX, /* trailing letters that are not one of K M G T */
    NUM_NO_SUFFIX,  /* a size suffix where the value is not a size or an address */
    NUM_OVERFLOW,   /* the value does not fit in 64 bits */
};

/*
 * num_parse_u64() - parse s into *out.
 * @allow_suffix: whether K/M/G/T are accepted (sizes and addresses; not widths or ids).
 * Returns NUM_OK or the reason s is not a number; *out is written only on NUM_OK.
 */
enum num_status num_parse_u64(uint64_t *out, const char *s, bool allow_suffix);

/* num_status_str() - the reason as a phrase: "does not fit in 64 bits". */
const char *num_status_str(enum num_status st);

/* num_is_pow2() - whether v is a non-zero power of two. */
static inline bool num_is_pow2(uint64_t v)
{
    return v && !(v & (v - 1));
}

/* num_format_size() - write a size as the shortest exact form: "16K", "2G", "0x180". */
void num_format_size(char buf[24], uint64_t v);

#endif

/*
 * Strmap -- an open-addressing hash map from NUL-terminated strings to uint32_t values.
 *
 * Keys are borrowed: the caller keeps them alive (they usually live in an arena). The map is
 * used for lookups only; nothing ever iterates it, so its order cannot reach any output.
 */
#ifndef SIM_UTIL_STRMAP_H
#define SIM_UTIL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
    const char *key; /* NULL for an empty slot */
    uint32_t hash;   /* full hash of key */
    uint32_t value;  /* the mapped value */
};

struct strmap {
    struct strmap_slot *slots; /* power-of-two sized table */
    size_t mask;               /* slots - 1 */
    size_t n;                  /* keys stored */
};

void strmap_init(struct strmap *m);
void strmap_fini(struct strmap *m);

/*
 * strmap_put() - map key to value unless key is present.
 * Returns 0 when inserted, 1 when key was already there (then *old gets its value, if old
 * is not NULL, and nothing changes), or SIM_ENOMEM.
 */
int strmap_put(struct strmap *m, const char *key, uint32_t value, uint32_t *old);

/* strmap_get() - 0 and *out = the value of key, or SIM_ENOTFOUND. */
int strmap_get(const struct strmap *m, const char *key, uint32_t *out);

#endif

/* Strmap -- string-keyed open addressing with linear probing (FNV-1a hashes). */
#include "sim/util/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "sim/util/err.h"

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;

    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

void strmap_init(struct strmap *m)
{
    m->slots = NULL;
    m->mask = 0;
    m->n = 0;
}

void strmap_fini(struct strmap *m)
{
    free(m->slots);
    strmap_init(m);
}

static struct strmap_slot *probe(struct strmap_slot *slots, size_t mask, const char *key,
                                 uint32_t h)
{
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct strmap_slot *s = &slots[i];

        if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
            return s;
    }
}

static int grow(struct strmap *m)
{
    size_t nslots = m->slots ? (m->mask + 1) * 2 : 64;
    struct strmap_slot *slots = calloc(nslots, sizeof(*slots));

    if (!slots)
        return SIM_ENOMEM;
    if (m->slots) {
        for (size_t i = 0; i <= m->mask; i++)
            if (m->slots[i].key)
                *probe(slots, nslots - 1, m->slots[i].key, m->slots[i].hash) = m->slots[i];
        free(m->slots);
    }
    m->slots = slots;
    m->mask = nslots - 1;
    return SIM_OK;
}

int strmap_put(struct strmap *m, const char *key, uint32_t value, uint32_t *old)
{
    uint32_t h = hash_str(key);
    struct strmap_slot *s;

    if ((!m->slots || (m->n + 1) * 4 > (m->mask + 1) * 3) && grow(m) < 0)
        return SIM_ENOMEM;
    s = probe(m->slots, m->mask, key, h);
    if (s->key) {
        if (old)
            *old = s->value;
        return 1;
    }
    *s = (struct strmap_slot){ key, h, value };
    m->n++;
    return 0;
}

int strmap_get(const struct strmap *m, const char *key, uint32_t *out)
{
    const struct strmap_slot *s;

    if (!m->slots)
        return SIM_ENOTFOUND;
    s = probe(m->slots, m->mask, key, hash_str(key));
    if (!s->key)
        return SIM_ENOTFOUND;
    *out = s->value;
    return 0;
}

/* Arena -- bump allocation in chunks, released all at once. */
#include "sim/util/arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK_MIN ((size_t)64 * 1024)

struct arena_chunk {
    struct arena_chunk *next; /* older chunk */
    alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *a)
{
    a->head = NULL;
    a->used = 0;
    a->size = 0;
}

void arena_fini(struct arena *a)
{
    struct arena_chunk *c = a->head;

    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    arena_init(a);
}

#ifdef SIM_DEBUG_ARENA
void *arena_alloc(struct arena *a, size_t n)
{
    struct arena_chunk *c = calloc(1, sizeof(*c) + (n ? n : 1));

    if (!c)
        return NULL;
    c->next = a->head;
    a->head = c;
    return c->data;
}
#else
void *arena_alloc(struct arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    size_t need = (n + align - 1) & ~(align - 1);

    if (!a->head || a->size - a->used < need) {
        size_t size = need > ARENA_CHUNK_MIN ? need : ARENA_CHUNK_MIN;
        struct arena_chunk *c = malloc(sizeof(*c) + size);

        if (!c)
            return NULL;
        c->next = a->head;
        a->head = c;
        a->used = 0;
        a->size = size;
    }
    void *p = a->head->data + a->used;
    a->used += need;
    memset(p, 0, n);
    return p;
}
#endif

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);

    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

/*
 * Arena -- a bump allocator that owns every object of one model.
 *
 * Objects are never freed one by one: arena_fini() releases them all. Pointers into the
 * arena stay valid until then. With SIM_DEBUG_ARENA defined, every allocation is a
 * separate malloc so that ASan and valgrind see individual objects.
 */
#ifndef SIM_UTIL_ARENA_H
#define SIM_UTIL_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
    struct arena_chunk *head; /* newest chunk; older ones are linked behind it */
    size_t used;              /* bytes used in head */
    size_t size;              /* usable bytes in head */
};

void arena_init(struct arena *a);
void arena_fini(struct arena *a);

/* arena_alloc() - n zeroed bytes aligned for any type, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t n);

/* arena_strndup() - a NUL-terminated copy of s[0..n), or NULL when out of memory. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);

#endif

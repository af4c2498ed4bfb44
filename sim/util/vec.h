/*
 * Vec -- typed growable arrays.
 *
 *     VEC(uint32_t) ids = { 0 };
 *     if (vec_push(&ids, 7) < 0) ...;   // SIM_ENOMEM
 *     vec_free(&ids);
 *
 * Elements are reached as ids.v[i] for i < ids.n. A push may move the storage, so pointers
 * to elements are valid only until the next push.
 */
#ifndef SIM_UTIL_VEC_H
#define SIM_UTIL_VEC_H

#include <stddef.h>
#include <stdlib.h>

#include "sim/util/err.h"

#define VEC(T)                               \
    struct {                                 \
        T *v;       /* elements */           \
        size_t n;   /* elements in use */    \
        size_t cap; /* elements allocated */ \
    }

/* vec_grow_() - make room for need elements of elem bytes in *pptr (a T **); 0 or SIM_ENOMEM. */
int vec_grow_(void *pptr, size_t *cap, size_t need, size_t elem);

#define vec_reserve(vec, extra) \
    vec_grow_(&(vec)->v, &(vec)->cap, (vec)->n + (extra), sizeof(*(vec)->v))
#define vec_push(vec, val) \
    (vec_reserve((vec), 1) < 0 ? SIM_ENOMEM : ((vec)->v[(vec)->n++] = (val), SIM_OK))
#define vec_free(vec)              \
    do {                           \
        free((vec)->v);            \
        (vec)->v = NULL;           \
        (vec)->n = (vec)->cap = 0; \
    } while (0)

#endif

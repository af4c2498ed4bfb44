/* Vec -- the one growth routine behind every VEC(T). */
#include "sim/util/vec.h"

#include <stdint.h>
#include <string.h>

int vec_grow_(void *pptr, size_t *cap, size_t need, size_t elem)
{
    void *p;
    size_t ncap;

    if (need <= *cap)
        return SIM_OK;
    ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return SIM_ENOMEM;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / elem)
        return SIM_ENOMEM;
    memcpy(&p, pptr, sizeof(p));
    p = realloc(p, ncap * elem);
    if (!p)
        return SIM_ENOMEM;
    memcpy(pptr, &p, sizeof(p));
    *cap = ncap;
    return SIM_OK;
}

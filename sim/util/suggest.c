/* Suggest -- edit distance (with swaps) over short words. */
#include "sim/util/suggest.h"

#include <stdint.h>
#include <string.h>

#define SUGGEST_MAX_LEN 64

/* Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
 * neighbouring letters ("shwo" -> "show") each cost 1. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t rows[3][SUGGEST_MAX_LEN + 1];
    size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

    if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
        return SIZE_MAX;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t *t;

        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);

            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
        t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

const char *suggest_closest(const char *word, const char *const *candidates, size_t n)
{
    size_t limit = strlen(word) / 3;
    const char *best = NULL;
    size_t best_d = SIZE_MAX;

    if (limit < 1)
        limit = 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, candidates[i]);

        if (d <= limit && d < best_d) {
            best = candidates[i];
            best_d = d;
        }
    }
    return best;
}

/*
 * Suggest -- "did you mean" for misspelt keys and names.
 */
#ifndef SIM_UTIL_SUGGEST_H
#define SIM_UTIL_SUGGEST_H

#include <stddef.h>

/*
 * suggest_closest() - the candidate nearest to word by edit distance, or NULL when none is
 * close enough to be a plausible typo (distance at most max(1, strlen(word) / 3), ties
 * resolved by the candidates' order).
 */
const char *suggest_closest(const char *word, const char *const *candidates, size_t n);

#endif

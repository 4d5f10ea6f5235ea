/* suggest.h: "did you mean" for misspelt names (option keys, converters, columns). */
#ifndef SLUICE_SUGGEST_H
#define SLUICE_SUGGEST_H

#include <stddef.h>

/* The candidate closest to word by edit distance, if close enough to be a likely typo (1 edit
 * for words up to 3 characters, 2 up to 8, else 3); NULL otherwise. Borrowed from cands. */
const char *sl_did_you_mean(const char *word, const char *const *cands, size_t n);

#endif

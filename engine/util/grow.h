/* grow.h: the one way an array grows here: capacity doubles, sizes are checked for overflow,
 * and a failure leaves the array as it was, for the caller to report. */
#ifndef SLUICE_GROW_H
#define SLUICE_GROW_H

#include <stddef.h>

/* Returns items reallocated so that need elements of size bytes fit, *cap updated (at least
 * min_cap); or NULL when memory runs out or the size overflows, items and *cap untouched and
 * still the caller's. Never shrinks. */
void *sl_grow(void *items, size_t *cap, size_t need, size_t size, size_t min_cap);

#endif

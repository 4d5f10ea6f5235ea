/* jpath.h: a JSON path subset compiled once into steps and evaluated per record without
 * allocation. Grammar: an optional leading "$", then keys separated by "." (bare keys are
 * [A-Za-z0-9_-] and non-ASCII UTF-8; any other key is double-quoted, with \" and \\ escapes),
 * array indexes "[N]" and wildcards "[*]", at most SL_JPATH_MAX_STEPS steps. Examples: a.b.c,
 * a[0].b, items[*], "odd key".x. */
#ifndef SLUICE_JPATH_H
#define SLUICE_JPATH_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "error.h"

typedef struct sl_jpath sl_jpath;

enum { SL_JPATH_MAX_STEPS = 32 }; /* a longer path is refused (walks and tries stay shallow) */

/* Compiles text into an owned path, or returns NULL with "col N: reason" in err (N 1-based
 * within text; SL_ERR_CONFIG, or SL_ERR_INTERNAL when out of memory). err may be NULL. */
sl_jpath *sl_jpath_compile(const char *text, sl_error *err);
/* Frees a path; NULL is fine. */
void sl_jpath_free(sl_jpath *path);
/* The path as written (borrowed). */
const char *sl_jpath_text(const sl_jpath *path);
/* True when the path has a "[*]" step (use sl_jpath_each, not sl_jpath_get). */
bool sl_jpath_is_multi(const sl_jpath *path);
/* The value at path in root (borrowed), or NULL when missing or when path is multi. */
const json_t *sl_jpath_get(const sl_jpath *path, const json_t *root);

/* Visitor for sl_jpath_each: non-zero stops the walk and becomes its result. */
typedef int (*sl_jpath_fn)(const json_t *item, void *ctx);
/* Calls fn on every value path reaches in root, in document order (a path without "[*]"
 * visits at most one value; missing parts visit none). Returns 0 or fn's first non-zero. */
int sl_jpath_each(const sl_jpath *path, const json_t *root, sl_jpath_fn fn, void *ctx);
/* How many values sl_jpath_each would visit. */
size_t sl_jpath_count(const sl_jpath *path, const json_t *root);

/* The kinds of a path's steps, for walking a path without a document (sl_jpath_step). */
typedef enum sl_jpath_kind { SL_JPATH_KEY, SL_JPATH_INDEX, SL_JPATH_ALL } sl_jpath_kind;
/* How many steps path has ("$" has none). */
size_t sl_jpath_n_steps(const sl_jpath *path);
/* The kind of step i (< sl_jpath_n_steps); a key step sets *key (borrowed, NUL-terminated). */
sl_jpath_kind sl_jpath_step(const sl_jpath *path, size_t i, const char **key);
/* The index of step i when it is an index step ("[N]"), else 0. */
size_t sl_jpath_step_index(const sl_jpath *path, size_t i);
/* The object or array holding the value a single-valued path reaches in root (borrowed), or
 * NULL when a step before the last is missing, or path is multi or "$": for a caller that
 * replaces that value in a document it owns. */
const json_t *sl_jpath_holder(const sl_jpath *path, const json_t *root);

#endif

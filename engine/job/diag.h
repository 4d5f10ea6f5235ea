/* diag.h: diagnostics of one job file. Collects errors and warnings with their 1-based
 * positions and prints them compiler-style: "file:line:col: error: message", the source line,
 * a caret under the column, and a final "N errors". Messages must never carry secret values. */
#ifndef SLUICE_DIAG_H
#define SLUICE_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "plan.h"

typedef struct sl_diag sl_diag;

/* Returns an empty collector for the file `file` (the path as given; copied); owned. */
sl_diag *sl_diag_new(const char *file);
/* Frees the collector and its messages; NULL is fine. */
void sl_diag_free(sl_diag *diag);
/* Gives the collector a copy of the file's text, so printing can show source lines. */
void sl_diag_set_source(sl_diag *diag, const char *text, size_t len);

/* Records an error at pos (line 0 = about the whole file). */
void sl_diag_error(sl_diag *diag, sl_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records a warning at pos. Warnings never make validation fail. */
void sl_diag_warning(sl_diag *diag, sl_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Rewrites every message recorded so far in place with fn(ctx, buf, cap), buf holding the
 * message in cap bytes (the compiler masks secrets this way; diag knows no plan). */
void sl_diag_rewrite(sl_diag *diag, void (*fn)(const void *ctx, char *buf, size_t cap),
                     const void *ctx);

/* Copies every message of `from` (another file's) into diag at pos, each starting with its
 * own "file:line:col: " (an included file's problems, shown where it is named). */
void sl_diag_absorb(sl_diag *diag, const sl_diag *from, sl_pos at);
/* Number of errors recorded so far. */
size_t sl_diag_errors(const sl_diag *diag);
/* Number of messages (errors and warnings) recorded so far. */
size_t sl_diag_count(const sl_diag *diag);

/* Prints every diagnostic sorted by position (stable), each with its source line and caret,
 * then "N errors" / "1 error" when there were errors. */
void sl_diag_print(const sl_diag *diag, FILE *out);

#endif

/* expr.h: the conditions of error rules, compiled once and evaluated per reply.
 *   cond := or;  or := and ("||" and)*;  and := unary ("&&" unary)*;  unary := "!" unary | cmp
 *   cmp  := operand (("==" | "!=" | "<" | "<=" | ">" | ">=") operand | ("=~" | "!~") string)?
 *   operand := JSON path (jpath.h, bare keys) | @status | @header.NAME | number | "string"
 *            | true | false | null | ( cond )
 * @status is the reply's HTTP status (a number); a condition that names it is also tried on
 * replies other than 200 (reply.c), where the body is the decoded JSON, or the text as a string.
 * @header.NAME is the value of the reply's first header NAME (any case) as a string (so it
 * compares with a number when it holds one), missing when the reply has none.
 * A path missing from the reply compares unequal to everything (== false, != true, =~ false,
 * !~ true, orderings false). A number compares with a JSON number, or with a string holding a
 * number. =~ matches the value's text (strings as is, numbers printed) against a PCRE2 pattern
 * (UTF mode); a match that gives up at the pattern's limits (regex.h) makes both =~ and !~
 * false. In "strings", \" and \\ are escapes; any other backslash is kept as written,
 * so regex escapes like \d need no doubling. A lone operand is true when present and not
 * null, false, 0 or "". */
#ifndef SLUICE_EXPR_H
#define SLUICE_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "error.h"

typedef struct sl_expr sl_expr;

/* A longer, deeper or bigger condition is refused at compile time. */
enum {
    SL_EXPR_MAX_TEXT = 4096,  /* bytes */
    SL_EXPR_MAX_DEPTH = 64,   /* nested parentheses and ! */
    SL_EXPR_MAX_NODES = 256,  /* operands and operators */
};
typedef struct sl_jpath sl_jpath; /* jpath.h */
typedef struct sl_headers sl_headers; /* headers.h */

/* Compiles text into an owned condition, or returns NULL with the reason in err (SL_ERR_CONFIG,
 * or SL_ERR_INTERNAL when out of memory; err may be NULL) and the 1-based column of the
 * problem within text in *err_col (may be NULL). */
sl_expr *sl_expr_compile(const char *text, sl_error *err, int *err_col);
/* True when the condition holds for doc (a reply). Uses the patterns' match data (regex.h):
 * one thread at a time per condition. */
bool sl_expr_eval(const sl_expr *e, const json_t *doc);
/* sl_expr_eval for a reply of HTTP status (what @status reads). */
bool sl_expr_eval_reply(const sl_expr *e, const json_t *doc, long status);
/* sl_expr_eval_reply with the reply's headers too (what @header.NAME reads; NULL: none). */
bool sl_expr_eval_http(const sl_expr *e, const json_t *doc, long status, const sl_headers *h);
/* True when the condition reads @status. */
bool sl_expr_uses_status(const sl_expr *e);
/* From now on, two strings that both read as plain decimal numbers compare as numbers, exactly
 * (for conditions on converted cells, where every value is text). Numbers always compare
 * exactly, as decimals, never through a double when both sides read as one. */
void sl_expr_set_numeric_text(sl_expr *e);
/* The condition as written (borrowed). */
const char *sl_expr_text(const sl_expr *e);
/* Frees a condition; NULL is fine. */
void sl_expr_free(sl_expr *e);
/* Calls fn(path, ctx) on every JSON path the condition reads (borrowed), in text order. */
void sl_expr_paths(const sl_expr *e, void (*fn)(const sl_jpath *path, void *ctx), void *ctx);

#endif

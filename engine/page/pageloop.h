/* pageloop.h: what the token pagers (cursor.c, link.c) share: the bound on a token's length
 * and the guard against an API whose tokens repeat (paging in a loop). The guard is Brent's
 * cycle finding: it keeps one saved token, replaced at pages 1, 2, 4, 8, ..., and a token
 * equal to it is a loop; so a cycle of any length is found within about twice its length plus
 * the pages before it, in fixed memory. A token sequence that depends only on the token sent
 * (an API's cursor) repeats forever once any token repeats, so nothing is missed by not
 * keeping every token. */
#ifndef SLUICE_PAGELOOP_H
#define SLUICE_PAGELOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "kind.h"
#include "pager.h"

enum { SL_PAGE_TOKEN_MAX = 4096 }; /* bytes of a cursor or a next URL, NUL included */

typedef struct sl_page_loop {
    int64_t power, lam; /* Brent: the saved token is replaced when lam reaches power */
    bool saved_any;
    char saved[SL_PAGE_TOKEN_MAX];
} sl_page_loop;

/* Forgets every token (a window's first page). */
void sl_page_loop_start(sl_page_loop *l);
/* True when tok (a token just received) repeats the saved one: the API pages in a loop. */
bool sl_page_loop_repeats(sl_page_loop *l, const char *tok);

/* The option table row values and names of `holds` (what an API's cursor or next link holds:
 * the last record's sort key, or a position), shared by cursor.c and link.c. */
typedef enum sl_page_holds { SL_HOLDS_POSITION, SL_HOLDS_KEY } sl_page_holds;
extern const char *const sl_page_holds_names[];
/* Warns (`sluice validate`) that a token pager whose token holds a position cannot promise
 * no missed records; kind names the pager. */
void sl_page_holds_warn(sl_kind_ctx *c, const char *kind, const sl_optval *holds);

#endif

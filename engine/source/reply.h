/* reply.h: what one reply means for the window that asked (reply.c). */
#ifndef SLUICE_REPLY_H
#define SLUICE_REPLY_H

#include <stddef.h>
#include <stdint.h>

#include "reading.h"

/* Handles one reply to w's request: HTTP status, decoding, error rules, then the pager. */
void sl_source_reply(sl_source *src, sl_window *w, long status, const char *body, size_t len,
                     int64_t retry_after_s);
/* A request of w failed transiently (what says how): retry after a backoff, or fail. */
void sl_source_transient(sl_source *src, sl_window *w, const char *what);

#endif

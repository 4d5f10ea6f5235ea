/* refresh.h: the end of a full refresh (a job without source.window; docs/sink.md, "Full
 * refresh"): the guard that refuses a read which would wipe or gut the table, then the swap of
 * the shadow tables, or their drop when the run failed or the guard refused. */
#ifndef SLUICE_REFRESH_H
#define SLUICE_REFRESH_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "plan.h"

typedef struct sl_sink sl_sink;

/* Why a read is refused, or NULL: read rows against the live table's (both -1: unknown, as in
 * a dry-run, so nothing is refused). Writes the reason into why (n bytes). */
const char *sl_refresh_refusal(const sl_refresh_plan *g, int64_t live, int64_t read, char *why,
                               size_t n);
/* Ends the refresh begun on sink: with st SL_OK counts the rows (*live, *read), asks the guard
 * (unless force) and swaps the shadows in; otherwise, or when refused, drops them. Returns st,
 * SL_ERR_REFUSED (the reason in err) or the sink's failure. */
sl_status sl_refresh_end(const sl_plan *plan, sl_sink *sink, sl_status st, bool force,
                         int64_t *live, int64_t *read, sl_error *err);

#endif

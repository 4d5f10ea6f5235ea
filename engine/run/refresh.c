/* refresh.c: see refresh.h. */
#include "refresh.h"

#include <inttypes.h>
#include <stdio.h>

#include "sink.h"

const char *sl_refresh_refusal(const sl_refresh_plan *g, int64_t live, int64_t read, char *why,
                               size_t n)
{
    if (live < 0 || read < 0)
        return NULL;
    if (read == 0 && !g->allow_empty) {
        snprintf(why, n, "the read holds no records (the table holds %" PRId64 "; an empty "
                 "read is refused unless target.refresh.allow_empty)", live);
        return why;
    }
    /* read < live x (100 - max_drop) / 100, in integers */
    if (read > 0 && read * 100 < live * (100 - g->max_drop_percent)) {
        snprintf(why, n, "the read holds %" PRId64 " rows, %" PRId64 "%% fewer than the "
                 "table's %" PRId64 " (target.refresh.max_drop_percent is %" PRId64 ")",
                 read, (live - read) * 100 / live, live, g->max_drop_percent);
        return why;
    }
    return NULL;
}

sl_status sl_refresh_end(const sl_plan *plan, sl_sink *sink, sl_status st, bool force,
                         int64_t *live, int64_t *read, sl_error *err)
{
    *live = *read = -1;
    if (st == SL_OK)
        st = sl_sink_refresh_count(sink, live, read, err);
    char why[300];
    const char *no = st == SL_OK && !force
                         ? sl_refresh_refusal(&plan->target.refresh, *live, *read, why, sizeof why)
                         : NULL;
    if (no)
        st = sl_error_set(err, SL_ERR_REFUSED,
                          "full refresh of %s refused: %s; the table is unchanged (run "
                          "--force-refresh to accept the read)", plan->table.name, no);
    if (st == SL_OK)
        return sl_sink_refresh(sink, SL_REFRESH_SWAP, err);
    sl_error ignored = {0}; /* the run's own failure is the one to report */
    sl_sink_refresh(sink, SL_REFRESH_ABORT, &ignored);
    return st;
}

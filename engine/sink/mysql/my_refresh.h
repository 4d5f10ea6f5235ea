/* my_refresh.h: a full refresh in the MySQL sink (my_refresh.c): the statements of each step,
 * also printed by a dry-run, and the sink's refresh operations. Private to engine/sink/mysql/. */
#ifndef SLUICE_MY_REFRESH_H
#define SLUICE_MY_REFRESH_H

#include "my_conn.h"

/* The statements of step on sh's tables, in order, each passed to emit (the kind's
 * refresh_sql): BEGIN drops any leftover shadow and old table and creates each shadow LIKE its
 * live table; SWAP renames every live table to its old name and every shadow to the live name
 * in one RENAME TABLE, then drops the old ones; ABORT drops the shadows. */
sl_status sl_sql_refresh(const sl_shadow *sh, sl_refresh_step step, sl_sql_emit_fn emit,
                         void *ctx, sl_error *err);
/* The sink's refresh and refresh_count operations (sink.h). */
sl_status sl_my_refresh(sl_sink *sink, sl_refresh_step step, sl_error *err);
sl_status sl_my_refresh_count(sl_sink *sink, int64_t *live, int64_t *read, sl_error *err);

#endif

/* my_state.h: the MySQL sink's job state and verify counts (my_state.c). */
#ifndef SLUICE_MY_STATE_H
#define SLUICE_MY_STATE_H

#include "my_conn.h"

/* The sink operations of sink_int.h: sl_sink_state_get, sl_sink_state_set / _reset (NULL
 * watermark) and sl_sink_count_keys (sink.h). */
sl_status sl_my_state_get(sl_sink *sink, const char *job, int64_t *watermark, bool *found,
                          sl_error *err);
sl_status sl_my_state_set(sl_sink *sink, const char *job, const int64_t *watermark,
                          sl_error *err);
sl_status sl_my_count_keys(sl_sink *sink, const sl_table *table, int column, const char *from,
                           const char *to, int64_t *count, sl_error *err);

#endif

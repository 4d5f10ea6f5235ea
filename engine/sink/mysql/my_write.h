/* my_write.h: the MySQL sink's batch write (my_write.c). */
#ifndef SLUICE_MY_WRITE_H
#define SLUICE_MY_WRITE_H

#include "my_conn.h"

/* The sink operation sl_sink_write (sink.h): one transaction, replayed after transient
 * errors. */
sl_status sl_my_write(sl_sink *sink, const sl_batch *batch, const char *job,
                      const int64_t *watermark, sl_error *err);

/* The statements of one batch inside a transaction the caller opened and commits (no retry):
 * for an operation that writes a batch together with other statements (reject replay). */
sl_status sl_my_write_body(mysql_sink *s, const sl_batch *batch, const char *job,
                           const int64_t *watermark, sl_error *err);

#endif

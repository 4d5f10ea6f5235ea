/* my_volume.h: the MySQL sink's counts for the volume baseline (my_volume.c). */
#ifndef SLUICE_MY_VOLUME_H
#define SLUICE_MY_VOLUME_H

#include "my_conn.h"

/* The sink operation sl_sink_volume_read (sink.h). */
sl_status sl_my_volume_read(sl_sink *sink, const sl_volume_query *q, sl_volume_fn fn,
                            void *ctx, sl_error *err);

#endif

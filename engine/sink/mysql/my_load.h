/* my_load.h: the MySQL sink's LOAD DATA path (target.load: load_data), my_load.c. */
#ifndef SLUICE_MY_LOAD_H
#define SLUICE_MY_LOAD_H

#include "batch.h"
#include "my_conn.h"

/* Empties the TSV buffer with its cap; call once at open (the sink frees s->tsv). */
void sl_my_load_init(mysql_sink *s);
/* The batch's live parent and child rows by LOAD DATA LOCAL INFILE, in the open transaction.
 * SL_ERR_SINK when the server refuses LOCAL INFILE or reports any warning. */
sl_status sl_my_load_all(mysql_sink *s, const sl_batch *batch, sl_error *err);

#endif

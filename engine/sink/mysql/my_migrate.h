/* my_migrate.h: the MySQL sink's migrate (my_migrate.c). */
#ifndef SLUICE_MY_MIGRATE_H
#define SLUICE_MY_MIGRATE_H

#include "my_conn.h"

/* The sink operation sl_sink_migrate (sink.h). */
sl_status sl_my_migrate(sl_sink *sink, bool dry_run, FILE *out, sl_error *err);

#endif

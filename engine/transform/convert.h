/* convert.h: the converters that turn one JSON value into SQL-ready text (convert.def lists
 * them). Compiled once from the job's column options; applied per field without allocation,
 * writing straight into a row set's arena. */
#ifndef SLUICE_CONVERT_H
#define SLUICE_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "batch.h"
#include "convert_spec.h"
#include "error.h"
#include "ltype.h"
#include "plan.h"
#include "timeutil.h"

/* Compiles spec into an owned converter, or returns NULL with the message in err (SL_ERR_CONFIG,
 * with a did-you-mean for misspelt type/from names; SL_ERR_INTERNAL when out of memory) and in
 * *bad_field the spec field at fault ("type", "from", "timezone", "on_overflow", "map", "join",
 * "pattern", "group"). */
sl_conv *sl_conv_compile(const sl_conv_spec *spec, sl_error *err, const char **bad_field);
/* Frees a converter; NULL is fine. */
void sl_conv_free(sl_conv *conv);
/* The converter's name from convert.def ("decimal", ...). */
const char *sl_conv_name(const sl_conv *conv);
/* The type's name in the converter's messages and in `sluice plan`: "DECIMAL(19,4)",
 * "VARCHAR(64)", "DATETIME", "BIGINT", "INT", "TINYINT(1)", "TEXT", "LONGTEXT" (borrowed).
 * Sinks create columns from sl_conv_type, in their own dialect. */
const char *sl_conv_sql_type(const sl_conv *conv);
/* The logical type of the converter's output (what the sink's dialect writes as SQL). */
sl_ltype sl_conv_type(const sl_conv *conv);
/* Converts a YAML default (scalar, as JSON; null gives *out = NULL) at compile time into owned
 * SQL-ready text in *out. Returns SL_OK, SL_ERR_CONFIG with the reason in err when the value
 * does not convert, or SL_ERR_INTERNAL when out of memory. */
sl_status sl_conv_default_text(const sl_conv *conv, const json_t *value, char **out,
                               sl_error *err);
/* Prints the converter on one line, e.g. "datetime from=epoch_ms timezone=+08:00". */
void sl_conv_dump(const sl_conv *conv, FILE *out);

/* Converts v into cell (row, col) of rs. NULL / JSON null / a value the converter maps to
 * NULL ("" for non-string types, zero dates) leave the cell NULL: the caller checks the cell
 * and applies defaults and `required`. Returns SL_OK; SL_ERR_DATA with the reason in err when
 * v can't be converted (the record is rejected); SL_ERR_INTERNAL when out of memory. One
 * thread at a time per converter (regex converters own their match data, see regex.h);
 * compiled converters are otherwise read-only. */
sl_status sl_conv_apply(const sl_conv *conv, const json_t *v, sl_rowset *rs, size_t row,
                        size_t col, sl_error *err);

/* The zone (seconds east of UTC) a datetime column's values are written in, for a job whose
 * windows are in window_tz; window_tz for other converters. */
int sl_conv_zone(const sl_conv *conv, int window_tz);

/* One range of a window column's values, as SQL-ready text compared by the database. */
typedef struct sl_conv_range {
    char lo[SL_TIME_FMT_MAX], hi[SL_TIME_FMT_MAX];
} sl_conv_range;
/* For `sluice verify`: the values a column of this converter holds for the instants of the
 * window [from, to] (epoch seconds, both ends included) of wp, so the database can count them:
 * a datetime as DATETIME text in the zone its values are written in, an int/bigint/decimal as
 * epoch seconds and as epoch milliseconds (two disjoint ranges: whichever unit the column
 * holds), text as the window's own format writes a bound. Returns the count of ranges in
 * out (1 or 2), or -1 when a bound does not fit. */
int sl_conv_window_ranges(const sl_conv *conv, const sl_window_plan *wp, int64_t from,
                          int64_t to, sl_conv_range out[2]);

#endif

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
#include "plan.h"

/* Which optional sl_conv_spec fields a converter accepts (convert.def "options"). */
enum {
    SL_OPT_FROM = 1 << 0,
    SL_OPT_TZ = 1 << 1,
    SL_OPT_OVERFLOW = 1 << 2,
    SL_OPT_MAP = 1 << 3,
    SL_OPT_JOIN = 1 << 4,
    SL_OPT_PATTERN = 1 << 5,
    SL_OPT_GROUP = 1 << 6,
};

/* A column's conversion options as written in the job; NULL / false = not given. All borrowed
 * (the compiled converter copies what it keeps). Zero-initialise, then fill. */
typedef struct sl_conv_spec {
    const char *type;        /* "int", "bigint", "decimal(19,4)", "varchar(64)", "text",
                                "datetime", "bool", "enum", "join", "join(255)", "regex",
                                "regex(64)", "json" (join/regex: VARCHAR(n) if given, else TEXT) */
    const char *from;        /* datetime: string | epoch_ms | epoch_s | auto (default auto) */
    const char *timezone;    /* datetime: zone of the output, "+08:00" (default +00:00) */
    const char *on_overflow; /* varchar/text/join/regex: error (default) | truncate */
    const json_t *map;       /* enum: object, input text -> output (string, number, bool, null) */
    const char *join;        /* join: separator (default ",") */
    const char *pattern;     /* regex: PCRE2 pattern (required) */
    bool has_group;          /* regex: group given? default 1 if the pattern has groups, else 0 */
    int group;
} sl_conv_spec;

/* Compiles spec into an owned converter, or returns NULL with a message in err (with a
 * did-you-mean for misspelt type/from names) and in *bad_field the spec field at fault
 * ("type", "from", "timezone", "on_overflow", "map", "join", "pattern", "group"). */
sl_conv *sl_conv_compile(const sl_conv_spec *spec, char *err, size_t errlen,
                         const char **bad_field);
/* Frees a converter; NULL is fine. */
void sl_conv_free(sl_conv *conv);
/* The converter's name from convert.def ("decimal", ...). */
const char *sl_conv_name(const sl_conv *conv);
/* The MySQL column type: "DECIMAL(19,4)", "VARCHAR(64)", "DATETIME", "BIGINT", "INT",
 * "TINYINT(1)", "TEXT", "LONGTEXT" (borrowed). */
const char *sl_conv_sql_type(const sl_conv *conv);
/* Converts a YAML default (scalar, as JSON; null gives *out = NULL) at compile time into owned
 * SQL-ready text in *out. Returns 0, or -1 with the reason in err. */
int sl_conv_default_text(const sl_conv *conv, const json_t *value, char **out, char *err,
                         size_t errlen);
/* Prints the converter on one line, e.g. "datetime from=epoch_ms timezone=+08:00". */
void sl_conv_dump(const sl_conv *conv, FILE *out);

/* Converts v into cell (row, col) of rs. NULL / JSON null / a value the converter maps to
 * NULL ("" for non-string types, zero dates) leave the cell NULL: the caller checks the cell
 * and applies defaults and `required`. Returns 0; -1 with the reason in err when v can't be
 * converted; -2 when out of memory. One thread at a time per converter (regex converters own
 * their match data, see regex.h); compiled converters are otherwise read-only. */
int sl_conv_apply(const sl_conv *conv, const json_t *v, sl_rowset *rs, size_t row, size_t col,
                  char *err, size_t errlen);

#endif

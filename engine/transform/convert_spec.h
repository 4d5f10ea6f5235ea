/* convert_spec.h: a column's conversion options as the job writes them, the input of
 * sl_conv_compile (convert.h). Apart so that the converter files (convert_int.h) share it
 * without depending on the registry that calls them. */
#ifndef SLUICE_CONVERT_SPEC_H
#define SLUICE_CONVERT_SPEC_H

#include <stdbool.h>

#include <jansson.h>

typedef struct sl_conv sl_conv; /* a compiled converter (convert.h) */

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
    const char *type;        /* "int", "bigint", "decimal(19,4)", "minor(19,2)", "varchar(64)",
                                "text", "datetime", "bool", "enum", "join", "join(255)", "regex",
                                "regex(64)", "json" (join/regex: VARCHAR(n) if given, else TEXT) */
    const char *from;        /* datetime: string | epoch_ms | epoch_s | auto (default auto) */
    const char *timezone;    /* datetime: zone of the output, "+08:00" (default +00:00) */
    const char *job_timezone; /* datetime: the job's zone (window.timezone): where ISO-8601
                                 values with an offset go when timezone is not given */
    const char *on_overflow; /* varchar/text/join/regex: error (default) | truncate */
    const json_t *map;       /* enum: object, input text -> output (string, number, bool, null) */
    const char *join;        /* join: separator (default ",") */
    const char *pattern;     /* regex: PCRE2 pattern (required) */
    bool has_group;          /* regex: group given? default 1 if the pattern has groups, else 0 */
    int group;
} sl_conv_spec;

#endif

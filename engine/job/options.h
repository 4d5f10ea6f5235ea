/* options.h: one option table per job component (Fluent Bit's flb_config_map style). Each row
 * says key, type, default, bounds, the field it fills (offsetof) and a doc string; one generic
 * loader checks a YAML map against a table and fills the component's struct, and the same
 * tables print the JSON Schema (schemas/job.schema.json) and the format reference
 * (docs/job-format.md). A component without a table accepts no keys. */
#ifndef SLUICE_OPTIONS_H
#define SLUICE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "suggest.h"
#include "yaml_load.h"

typedef enum sl_opt_type {
    SL_T_STRING,   /* any text; may be a ${env:}/${file:} reference */
    SL_T_SECRET,   /* text expected as a ${env:NAME} / ${file:PATH} reference */
    SL_T_INT,      /* integer within [min, max] */
    SL_T_DURATION, /* "90s", "5m", "1h", "2d", "500ms" -> ms, within [min, max] ms */
    SL_T_RANGE,    /* "500ms..30s": two durations, lo <= hi, each within [min, max] ms */
    SL_T_BOOL,     /* true | false */
    SL_T_ENUM,     /* one of names -> index */
    SL_T_SIZE,     /* bytes: 1048576, "512K", "64M", "1G", within [min, max] */
    SL_T_DATETIME, /* "YYYY-MM-DD HH:MM:SS" (zone given elsewhere) */
    SL_T_TIMEZONE, /* "+08:00", "-05:30", "Z", "UTC" -> seconds east of UTC */
    SL_T_JPATH,    /* JSON path (jpath.h), checked by the compiler */
    SL_T_EXPR,     /* error-rule condition (expr.h), checked by the compiler */
    SL_T_REGEX,    /* PCRE2 pattern, checked by the compiler */
    SL_T_IDENT,    /* SQL identifier: letter or _, then letters, digits, _; at most 64 */
    SL_T_LIST,     /* a string or a list of strings (each one of names, when names is set) */
    SL_T_ANY,      /* any scalar (a column default) */
    SL_T_OBJECT,   /* a free-form map (static params, an enum map) */
    SL_T_SECTION,  /* a nested component: a map checked against `sub` by the compiler */
    SL_T_MAPOF,    /* a map of name -> `sub` component (columns) */
    SL_T_SEQOF,    /* a list of `sub` components (error rules, child tables) */
    SL_T_KIND,     /* a map whose `type` picks a kind of `kinds` (kind.h; `def` names the kind
                    * used when `type` is absent); its other keys are the kind's own */
} sl_opt_type;

enum { SL_OF_REQUIRED = 1 << 0 };

/* Counts that bound the work and memory of a job (the rows of `columns`, `children` and
 * `errors` carry them as their bounds; the loader reports the first entry past the maximum,
 * and the compiler lowers no list that is over it). */
enum {
    SL_MAX_COLUMNS = 1017, /* InnoDB's limit of columns in a table */
    SL_MAX_JOB_COLUMNS = 4096, /* columns of all the job's tables together */
    SL_MAX_CHILDREN = 64,
    SL_MAX_RULES = 100,
    SL_MAX_REF_BYTES = 1 << 20, /* read through ${env:}/${file:} references, in all */
};

typedef struct sl_opt_table sl_opt_table;
typedef struct sl_kind_family sl_kind_family;

typedef struct sl_opt {
    const char *key;
    sl_opt_type type;
    unsigned flags;           /* SL_OF_* */
    const char *def;          /* default, written as in YAML; NULL = none */
    int64_t min, max;         /* bounds of int/duration/range/size (min > max: unbounded) */
    size_t offset;            /* offsetof the sl_optval field in the component's struct */
    const char *const *names; /* enum, list: NULL-terminated names; index = value */
    const sl_opt_table *sub;  /* section/mapof/seqof: the nested component's table; kind:
                               * &family.section of the sl_kind_family `type` chooses from */
    const char *doc;
} sl_opt;

struct sl_opt_table {
    const char *name; /* used in messages: "unknown key 'x' in window" */
    const char *doc;
    const sl_opt *rows;
    size_t n_rows;
};

/* One loaded value. node is where it was written (NULL = the default applied). */
typedef struct sl_optval {
    const sl_ynode *node;
    bool set;      /* written in the file or given a default */
    int64_t i, i2; /* int, duration/size (ms/bytes), range lo/hi, bool, enum index, tz offset */
    const char *s; /* the text of scalar types (borrowed from the document or the table) */
} sl_optval;

typedef struct sl_o_job {
    sl_optval version, name, source, target, columns, children, alerts;
} sl_o_job;

typedef struct sl_o_source {
    sl_optval endpoint, method, signer, params, window, paging, records, errors, limits, retry,
        max_body, allow_insecure_http;
} sl_o_source;

typedef struct sl_o_window {
    sl_optval from_param, to_param, format, timezone, start, max_span, min_span, overlap, lag,
        max_records;
} sl_o_window;

typedef struct sl_o_rule {
    sl_optval when, then, message, wait, hint, lower_concurrency;
} sl_o_rule;

typedef struct sl_o_wait {
    sl_optval path, pattern;
} sl_o_wait;

typedef struct sl_o_limits {
    sl_optval calls_per_minute, concurrency, max_wait;
} sl_o_limits;

typedef struct sl_o_retry {
    sl_optval attempts, backoff, timeout, connect_timeout;
} sl_o_retry;

typedef struct sl_o_target {
    sl_optval dsn, table, key, write, load, batch_rows, max_rejects, state_table, reject_table,
        db_retry_budget, window_column;
} sl_o_target;

typedef struct sl_o_column {
    sl_optval path, type, from, timezone, on_overflow, map, join, pattern, group, required,
        default_, rename_from, from_parent, comment;
} sl_o_column;

typedef struct sl_o_child {
    sl_optval table, each, key, columns;
} sl_o_child;

typedef struct sl_o_alerts {
    sl_optval webhook, format, on, timeout, allow_insecure_http;
} sl_o_alerts;

extern const sl_opt_table sl_opts_job, sl_opts_source, sl_opts_window,
    sl_opts_rule, sl_opts_wait, sl_opts_limits, sl_opts_retry, sl_opts_target,
    sl_opts_column, sl_opts_child, sl_opts_alerts;

/* Checks map (NULL = the component is absent; `where` then locates messages) against table
 * and fills out (a struct of sl_optval as the table's offsets say): unknown keys, types,
 * bounds, required keys, defaults. label names the component in messages ("column 'id'");
 * NULL = the table's name. Reports every problem into diag; returns how many. */
size_t sl_options_load(const sl_opt_table *table, const char *label, const sl_ynode *map,
                       sl_pos where, void *out, sl_diag *diag);

/* The row of table called key, or NULL. */
const sl_opt *sl_options_row(const sl_opt_table *table, const char *key);
/* Loads a typed section (map, NULL = absent: `where` locates messages) for the SL_T_KIND
 * row: `type` picks the kind (row->def when absent; "unknown type" with a did-you-mean), the
 * other keys are checked against the kind's table (a key of another kind of the family "is
 * not used by", a required one missing "needs") into *opts, an owned struct of opts_size
 * (free() it; NULL when no kind was chosen). Returns the kind, or NULL when reported. */
const sl_kind *sl_options_load_kind(const sl_opt *row, const sl_ynode *map, sl_pos where,
                                    void **opts, sl_diag *diag);
/* True when s is a valid SQL identifier for sluice (see SL_T_IDENT). */
bool sl_ident_valid(const char *s);
/* Writes ms as the shortest exact duration text ("30s", "500ms", "1d") into buf. */
void sl_duration_format(int64_t ms, char *buf, size_t len);

/* Prints the JSON Schema of a job file, generated from the tables. Returns 0 or -1. */
int sl_options_schema(FILE *out);
/* Prints the job format reference (Markdown), generated from the tables. */
void sl_options_reference(FILE *out);

#endif

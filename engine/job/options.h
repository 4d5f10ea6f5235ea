/* options.h: one option table per job component (Fluent Bit's flb_config_map style). Each row
 * says key, type, default, bounds, the field it fills (offsetof) and a doc string; one generic
 * loader checks a YAML map against a table and fills the component's struct, and the same
 * tables print the JSON Schema and the format reference (reference.h). The job's own tables
 * are in job_options.h; a kind's are in its file. A component without a table accepts no
 * keys. */
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
    SL_MAX_CHILDREN = 64,   /* child tables of a job, at every depth together */
    SL_MAX_CHILD_DEPTH = 8, /* a child of the top table is at depth 1 */
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


/* ---- kinds (kind.h says how they plug in) ---- */

typedef struct sl_kind_ctx sl_kind_ctx; /* kind.h */

struct sl_kind {
    const char *family; /* "signer": the section's name in messages */
    const char *name;   /* "qimen-wdt": the value of `type` */
    const char *doc;    /* one sentence for the reference */
    const sl_opt_table *opts; /* the kind's own keys besides type (rows may be SL_OF_REQUIRED) */
    size_t opts_size;         /* sizeof the struct of sl_optval that opts fills */
    /* Returns the kind's owned config from the loaded options (opts), reporting problems
     * through c; NULL only when out of memory. Called only when every section loaded. */
    void *(*compile)(sl_kind_ctx *c, const void *opts);
    /* Prints the kind's lines of `sluice plan`, each indented by two spaces (as a line of the
     * `source` section), fields through sl_plan_put_field so secrets print as their origin. */
    void (*dump)(const void *cfg, const sl_plan *plan, FILE *out);
    void (*free)(void *cfg); /* frees what compile returned; NULL is fine */
    const void *ops;         /* the family's runtime vtable, e.g. sl_signer_ops (sign.h) */
};

/* A family: its kinds, in the order the reference and messages list them. */
typedef struct sl_kind_family {
    sl_opt_table section; /* first: an SL_T_KIND row's sub; its name ("signer") and doc */
    const sl_kind *const *kinds;
    size_t n_kinds;
} sl_kind_family;

/* The family of an SL_T_KIND row. */
static inline const sl_kind_family *sl_kind_family_of(const sl_opt *row)
{
    return (const sl_kind_family *)row->sub;
}

/* The kind of family f called name, or NULL. */
const sl_kind *sl_kind_find(const sl_kind_family *f, const char *name);

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

/* ---- for the generated reference (reference.c) ---- */

enum { SL_MAX_KINDS = 32 }; /* of one family (its names are listed on the stack) */

/* True when the row's min and max bound its value (min > max: unbounded). */
bool sl_opt_bounded(const sl_opt *row);
/* Writes bound v of row as its option would be written ("30s" for a duration) into buf. */
void sl_opt_bound_text(const sl_opt *row, int64_t v, char *buf, size_t len);
/* Writes NULL-terminated names as "a, b, c" into buf. */
void sl_names_text(const char *const *names, char *buf, size_t len);
/* Fills names (SL_MAX_KINDS + 1 entries) with the family's kind names, NULL-terminated. */
void sl_kind_names(const sl_kind_family *f, const char **names);

#endif

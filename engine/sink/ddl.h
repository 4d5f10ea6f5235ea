/* ddl.h: the tables a SQL sink creates, described from the plan in logical types (ltype.h):
 * the job's table, its child tables, and the engine's own state, runs and reject tables. A
 * sink's dialect turns a description into its CREATE / ALTER statements. */
#ifndef SLUICE_DDL_H
#define SLUICE_DDL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "ltype.h"
#include "plan.h"

/* A value the database fills in itself (engine tables only). */
typedef enum sl_ddl_fill {
    SL_FILL_NONE,
    SL_FILL_SERIAL,        /* the next number of the table's own sequence */
    SL_FILL_NOW,           /* the time the row was inserted */
    SL_FILL_NOW_ON_UPDATE, /* the time the row was inserted or last changed */
} sl_ddl_fill;

/* One column of a table sluice creates. */
typedef struct sl_ddl_col {
    const char *name;
    const char *rename_from;   /* or NULL */
    sl_ltype type;
    bool not_null;
    const char *default_value; /* a value, quoted on output; or NULL */
    sl_ddl_fill fill;
    const char *comment;       /* or NULL */
    bool comment_secret;       /* read through a reference: printed as '***' (sl_sqlbuf.shown) */
} sl_ddl_col;

/* One table sluice creates: the job's tables and the engine's own. */
typedef struct sl_ddl_table {
    const char *name;
    const char *role;       /* "table", "child table", "state table", ... (for messages) */
    sl_ddl_col *cols;
    size_t n_cols;
    const char **pkey;      /* primary key column names */
    size_t n_pkey;
    const char **index;     /* one secondary index (child tables: the parent link), or NULL */
    size_t n_index;
    const char *index_name;
} sl_ddl_table;

typedef struct sl_ddl sl_ddl;

/* True for names sluice will put in SQL: [A-Za-z_][A-Za-z0-9_]*, at most 64 bytes. */
bool sl_sql_ident_ok(const char *name);
/* Name of the runs table: state_table with a trailing "_state" replaced by "_runs", else with
 * "_runs" appended (default: sluice_runs). Writes into out. */
void sl_sql_runs_table(const char *state_table, char *out, size_t outlen);
/* Name of the data-quality counts table, made from state_table as the runs table's name is
 * (default: sluice_quality); created only for a job with `quality` rules. */
void sl_sql_quality_table(const char *state_table, char *out, size_t outlen);
/* True when column c of t is part of its key. */
bool sl_ddl_is_key(const sl_table *t, size_t c);

/* Describes every table of plan, in creation order (parent, children, state, runs, rejects,
 * and for a job with quality rules the quality table).
 * Returns an owned description, or NULL with SL_ERR_CONFIG (a name that is not a plain
 * identifier) or SL_ERR_INTERNAL (out of memory) in err. */
sl_ddl *sl_ddl_new(const sl_plan *plan, sl_error *err);
/* Frees a description; NULL is fine. The plan must outlive it (names are borrowed). */
void sl_ddl_free(sl_ddl *ddl);
/* Number of tables and table i (borrowed). */
size_t sl_ddl_count(const sl_ddl *ddl);
const sl_ddl_table *sl_ddl_table_at(const sl_ddl *ddl, size_t i);

#endif

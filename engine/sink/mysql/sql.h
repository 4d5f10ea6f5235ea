/* sql.h: SQL text shared by the MySQL sink and the printing sink: identifier checks and
 * quoting, value escaping, DDL derived from the plan, and the statements of one batch write.
 * Values are always escaped by sl_sql_escape (standard MySQL escaping; the MySQL sink runs its
 * session without NO_BACKSLASH_ESCAPES and in utf8mb4, where this equals
 * mysql_real_escape_string), so a dry-run prints exactly what a run sends. */
#ifndef SLUICE_SQL_H
#define SLUICE_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "batch.h"
#include "error.h"
#include "plan.h"

/* Default cap of one statement's text; the MySQL sink lowers it below max_allowed_packet. */
#define SL_SQL_STMT_MAX ((size_t)4 << 20)

/* A growable text buffer with a hard cap (max); data is always NUL-terminated. */
typedef struct sl_sqlbuf {
    char *data;
    size_t len;
    size_t cap;
    size_t max;
    bool shown; /* text to print, not to run: values read through references show as '***' */
} sl_sqlbuf;

/* Makes b empty with the given cap, for running (shown = false); no allocation until the
 * first append. */
void sl_sqlbuf_init(sl_sqlbuf *b, size_t max);
/* Frees b's text and empties it (same cap and shown); b can be reused. */
void sl_sqlbuf_free(sl_sqlbuf *b);
/* Appends n bytes. Returns 0, or -1 when the cap would be exceeded or memory runs out. */
int sl_sqlbuf_add(sl_sqlbuf *b, const char *s, size_t n);
/* Appends a NUL-terminated string; 0 or -1 as sl_sqlbuf_add. */
int sl_sqlbuf_str(sl_sqlbuf *b, const char *s);
/* Appends `name` in backticks, a backtick inside doubled (names sluice writes have passed
 * sl_sql_ident_ok; the quoting holds for any name all the same). */
int sl_sqlbuf_ident(sl_sqlbuf *b, const char *name);
/* Appends a value as a quoted, escaped string literal, or NULL when len < 0. */
int sl_sqlbuf_value(sl_sqlbuf *b, const char *s, int32_t len);

/* True for names sluice will put in SQL: [A-Za-z_][A-Za-z0-9_]*, at most 64 bytes. */
bool sl_sql_ident_ok(const char *name);
/* Escapes len bytes of src into dst (room for 2*len+1 bytes) as MySQL does for \0 ' " \ \n \r
 * and \x1a; returns the escaped length (dst is NUL-terminated). */
size_t sl_sql_escape(char *dst, const char *src, size_t len);
/* Writes text for a `--` comment line of printed SQL into out (n bytes, cut on a character
 * boundary): control characters and invalid bytes escaped (sl_text_escape), so text from the
 * database or the job cannot end the comment and start a statement of its own. */
void sl_sql_comment_text(char *out, size_t n, const char *text);
/* As sl_sql_comment_text, for an identifier: backquoted, backquotes inside doubled. */
void sl_sql_comment_ident(char *out, size_t n, const char *name);
/* True when a declared type (plan) and an information_schema COLUMN_TYPE mean the same:
 * case-insensitive, integer display widths ignored ("INT" == "int(11)"). */
bool sl_sql_type_same(const char *declared, const char *column_type);

/* One column of a table sluice creates. */
typedef struct sl_ddl_col {
    const char *name;
    const char *rename_from; /* or NULL */
    const char *type;        /* SQL type, e.g. "DECIMAL(19,4)" */
    bool not_null;
    const char *default_value; /* a value, quoted on output; or NULL */
    const char *extra;         /* raw SQL after the type (engine tables only), or NULL */
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

/* Describes every table of plan, in creation order (parent, children, state, runs, rejects).
 * Returns an owned description, or NULL with SL_ERR_CONFIG (a name that is not a plain
 * identifier) or SL_ERR_INTERNAL (out of memory) in err. */
sl_ddl *sl_ddl_new(const sl_plan *plan, sl_error *err);
/* Frees a description; NULL is fine. The plan must outlive it (names are borrowed). */
void sl_ddl_free(sl_ddl *ddl);
/* Number of tables and table i (borrowed). */
size_t sl_ddl_count(const sl_ddl *ddl);
const sl_ddl_table *sl_ddl_table_at(const sl_ddl *ddl, size_t i);
/* Name of the runs table: state_table with a trailing "_state" replaced by "_runs", else with
 * "_runs" appended (default: sluice_runs). Writes into out. */
void sl_sql_runs_table(const char *state_table, char *out, size_t outlen);

/* Statement texts (no trailing ';'). Return 0, or -1 when the buffer's cap is exceeded. */
int sl_sql_create_table(sl_sqlbuf *b, const sl_ddl_table *t);
/* `name` TYPE [NOT NULL] [extra] [DEFAULT 'v'] [COMMENT 'c'] */
int sl_sql_column_def(sl_sqlbuf *b, const sl_ddl_col *c);
/* ALTER TABLE t ADD COLUMN <def> AFTER `after` (FIRST when after is NULL). */
int sl_sql_add_column(sl_sqlbuf *b, const sl_ddl_table *t, const sl_ddl_col *c,
                      const char *after);
/* ALTER TABLE t CHANGE COLUMN `rename_from` <def>: renames and keeps the data. */
int sl_sql_rename_column(sl_sqlbuf *b, const sl_ddl_table *t, const sl_ddl_col *c);
/* Prints "-- migrate: create <role> `name`" and the CREATE statement of every table of ddl
 * (shown form), as `migrate --dry-run` does against an empty database. Returns 0, or -1 (out
 * of memory). */
int sl_sql_print_ddl(const sl_ddl *ddl, FILE *out);

/* One statement of a batch write. Multi-row statements hold one tuple per line: the text is
 * sql[0, head_len) (ending in '\n'), n_tuples lines separated by ",\n", then
 * sql[len - tail_len, len); the printing sink abbreviates long statements from this. */
typedef struct sl_sql_stmt {
    const char *sql;
    size_t len;
    size_t head_len;
    size_t tail_len;
    size_t n_tuples;
} sl_sql_stmt;

/* Receives each statement in order; returns SL_OK or a status that stops the write. */
typedef sl_status (*sl_sql_emit_fn)(void *ctx, const sl_sql_stmt *stmt, sl_error *err);

/* Generates the statements of one batch write, in order: parent rows (REPLACE, or INSERT ..
 * ON DUPLICATE KEY UPDATE in upsert mode), per child table the DELETE of the live parents'
 * child rows then their REPLACE, the rejects, and the state row when watermark != NULL
 * (text form in the window's zone). Dead rows are skipped; statements are split so none
 * exceeds max_stmt bytes. flags: SL_SQL_SKIP_ROWS leaves out the parent and child row
 * statements (a caller that sends those by bulk binding or LOAD DATA); SL_SQL_SKIP_DELETES
 * leaves out the child DELETEs (a caller that knows every parent of the batch was new, so no
 * child row of theirs can exist). The caller frames them in a transaction. Returns SL_OK or
 * the first failure (emit's, or SL_ERR_SINK for a row larger than max_stmt). */
enum { SL_SQL_SKIP_ROWS = 1, SL_SQL_SKIP_DELETES = 2 };
sl_status sl_sql_batch(const sl_plan *plan, const sl_batch *batch, const char *job,
                       const int64_t *watermark, size_t max_stmt, int flags,
                       sl_sql_emit_fn emit, void *ctx, sl_error *err);
/* The text to prepare for bulk-binding the rows of t: "REPLACE INTO `t` (..) VALUES (?,..)",
 * or the INSERT .. ON DUPLICATE KEY UPDATE form when upsert. 0, or -1 past the cap. */
int sl_sql_insert_prepared(sl_sqlbuf *b, const sl_table *t, bool upsert);

/* The LOAD DATA statement for the rows of t, read from the client as TSV (sl_sql_tsv_row):
 * "LOAD DATA LOCAL INFILE 'sluice-rows' REPLACE INTO TABLE `t` CHARACTER SET utf8mb4 FIELDS
 * TERMINATED BY '\t' ESCAPED BY '\\' LINES TERMINATED BY '\n' (`a`,..)". 0, or -1 past the cap. */
int sl_sql_load_data(sl_sqlbuf *b, const sl_table *t);
/* Appends row `row` of rs as one LOAD DATA line: cells separated by a tab, ended by a newline,
 * NULL as \N, and tab, newline, carriage return, backslash and NUL escaped with a backslash, so
 * every value reads back byte for byte. Returns 0, or -1 (past the cap or out of memory) with
 * b as it was before the call. */
int sl_sql_tsv_row(sl_sqlbuf *b, const sl_rowset *rs, size_t row);

#endif

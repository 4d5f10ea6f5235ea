/* sql.h: the MySQL dialect: identifier quoting, value escaping, SQL types of the logical
 * types, DDL of the tables ddl.h describes, and the statements of one batch write, sent by the
 * MySQL sink and printed by the printing sink on its behalf.
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
#include "ddl.h"
#include "error.h"
#include "plan.h"
#include "sqlbuf.h"

/* What a dry-run prints first: a client's default character set (utf8mb3 or latin1) would
 * refuse or garble the 4-byte characters (emoji) the values may hold. */
#define SL_SQL_PREAMBLE "SET NAMES utf8mb4;\n\n"

/* Appends `name` in backticks, a backtick inside doubled (names sluice writes have passed
 * sl_sql_ident_ok; the quoting holds for any name all the same). */
int sl_sqlbuf_ident(sl_sqlbuf *b, const char *name);
/* Appends a value as a quoted, escaped string literal, or NULL when len < 0. */
int sl_sqlbuf_value(sl_sqlbuf *b, const char *s, int32_t len);

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

/* Writes the MySQL type of t into out: INT, BIGINT, DECIMAL(p,s), TINYINT(1), DATETIME[(n)],
 * TIMESTAMP[(n)], VARCHAR(n), TEXT, LONGTEXT. */
void sl_sql_type_name(sl_ltype t, char *out, size_t n);

/* Statement texts (no trailing ';'). Return 0, or -1 when the buffer's cap is exceeded. */
int sl_sql_create_table(sl_sqlbuf *b, const sl_ddl_table *t);
/* `name` TYPE [NOT NULL] [AUTO_INCREMENT | DEFAULT CURRENT_TIMESTAMP..] [DEFAULT 'v']
 * [COMMENT 'c'] */
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

/* Generates the statements of one batch write, in order: parent rows (REPLACE, or INSERT ..
 * ON DUPLICATE KEY UPDATE in upsert mode), per child of the top table the DELETEs of the live
 * parents' rows in its subtree, deepest first (sl_sql_delete_head), then the subtree's REPLACEs, the rejects, and the state row when watermark != NULL
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
/* The head of the DELETE of child table t's rows under given top rows, up to " IN (\n": by
 * t's copies of the top key for a child of the top table ("DELETE FROM `t` WHERE `k` IN ("),
 * deeper joined up through its ancestors' links ("DELETE `t` FROM `t` JOIN `p` ON `t`.`a` =
 * `p`.`b` .. WHERE `c`.`k` IN ("), so it must run before its ancestors' DELETEs. The top
 * columns whose values make the tuples go to top_cols (room for the widest table's column
 * count), their
 * number to *n (0: t has no link, nothing to delete). 0, or -1 past the cap. */
int sl_sql_delete_head(sl_sqlbuf *b, const sl_plan *plan, const sl_table *t, size_t *top_cols,
                       size_t *n);
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

/* sqlbuf.h: statement text as every SQL sink builds it: a capped, growable buffer, and one
 * statement of a batch write as the sink sends it and a dry-run prints it. The quoting and
 * escaping of names and values are the dialect's (engine/sink/<sink>/). */
#ifndef SLUICE_SQLBUF_H
#define SLUICE_SQLBUF_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

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
/* Makes room for n more bytes plus the NUL. Returns 0, or -1 when the cap would be exceeded
 * or memory runs out. */
int sl_sqlbuf_reserve(sl_sqlbuf *b, size_t n);
/* Appends n bytes. Returns 0, or -1 when the cap would be exceeded or memory runs out. */
int sl_sqlbuf_add(sl_sqlbuf *b, const char *s, size_t n);
/* Appends a NUL-terminated string; 0 or -1 as sl_sqlbuf_add. */
int sl_sqlbuf_str(sl_sqlbuf *b, const char *s);

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

#endif

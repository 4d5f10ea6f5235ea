/* batch.h: converted rows on their way to the database. A batch holds the parent rows, the
 * rows of each child table and the rejects of a run of records, as SQL-ready text cells in one
 * arena per row set. A parent key seen again in the same batch replaces the earlier row and
 * its child rows (the later record is the newer one), so a batch never carries two versions. */
#ifndef SLUICE_BATCH_H
#define SLUICE_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan.h"

/* One value: len < 0 is SQL NULL; otherwise len bytes at text + off (not NUL-terminated). */
typedef struct sl_cell {
    uint32_t off;
    int32_t len;
} sl_cell;

typedef struct sl_rowset {
    size_t n_cols;
    size_t n_rows;
    size_t cap_rows;
    sl_cell *cells;      /* n_rows * n_cols, row-major */
    uint32_t *parent;    /* child row sets: index of the parent row each row belongs to */
    bool *dead;          /* rows replaced by a later version in the same batch; sinks skip them */
    char *text;          /* the arena */
    size_t text_len;
    size_t text_cap;
} sl_rowset;

/* Columns of the reject row set, in this order. */
enum { SL_REJ_KEY, SL_REJ_COLUMN, SL_REJ_REASON, SL_REJ_RAW, SL_REJ_NCOLS };
/* Widths in characters of the reject table's columns (ddl.c's reject_cols): a reject row is cut
 * to them, so its INSERT can never fail on a long value. */
enum { SL_REJ_KEY_CHARS = 255, SL_REJ_COLUMN_CHARS = 64, SL_REJ_REASON_CHARS = 1024 };
/* Bytes of a rejected record kept in `raw`: escaped, it must fit one statement (SL_SQL_STMT_MAX)
 * next to the rest of its row, whatever size the record was. */
enum { SL_REJ_RAW_BYTES = 64 * 1024 };

typedef struct sl_batch sl_batch;

/* Returns an empty batch shaped for plan (parent, one row set per child, rejects); owned. */
sl_batch *sl_batch_new(const sl_plan *plan);
void sl_batch_free(sl_batch *batch);
/* Empties the batch, keeping its memory for reuse. */
void sl_batch_clear(sl_batch *batch);

/* Borrowed row sets: parent, child i (0-based, plan order), rejects. */
sl_rowset *sl_batch_parent(sl_batch *batch);
sl_rowset *sl_batch_child(sl_batch *batch, size_t i);
sl_rowset *sl_batch_rejects(sl_batch *batch);
/* Live (not dead) parent rows plus rejects: what batch_rows counts. */
size_t sl_batch_live_rows(const sl_batch *batch);

/* Starts a new row (all cells NULL, live) in rs and returns its index, or SIZE_MAX when out
 * of memory. */
size_t sl_rowset_add_row(sl_rowset *rs);
/* Sets cell (row, col) to a copy of len bytes of s. Returns 0, or -1 when out of memory. */
int sl_rowset_set(sl_rowset *rs, size_t row, size_t col, const char *s, size_t len);
/* Returns room for n bytes at the end of rs's arena (valid until the next change to rs), or
 * NULL when out of memory; sl_rowset_commit then makes its first len bytes cell (row, col). */
char *sl_rowset_reserve(sl_rowset *rs, size_t n);
void sl_rowset_commit(sl_rowset *rs, size_t row, size_t col, size_t len);
/* Removes the last row (used when a record is rejected half-way). */
void sl_rowset_pop_row(sl_rowset *rs);
/* Drops every row from n_rows on and the arena from text_len on (undo of a partial record). */
void sl_rowset_truncate(sl_rowset *rs, size_t n_rows, size_t text_len);
/* Borrowed view of a cell's bytes; *len < 0 means NULL. */
const char *sl_rowset_get(const sl_rowset *rs, size_t row, size_t col, int32_t *len);

/* Remembers the end of the parent and child row sets (not the rejects); sl_batch_rollback
 * cuts them back there, undoing a record that was half converted. */
void sl_batch_savepoint(sl_batch *batch);
void sl_batch_rollback(sl_batch *batch);

/* Called after the parent row `row` and its child rows are complete: if an earlier live row
 * of the batch has the same key (plan->table.key), marks it and its rows at every depth dead. */
void sl_batch_commit_record(sl_batch *batch, size_t row);

#endif

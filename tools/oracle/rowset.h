/* rowset.h: the expected rows of one table, packed one allocation a row and hashed by key, so
 * the table can be streamed past them once. */
#ifndef ORC_ROWSET_H
#define ORC_ROWSET_H

#include <stddef.h>
#include <stdint.h>

#include "convert.h"

typedef struct orc_row {
    int64_t key;
    int64_t parent_key;    /* child rows: the parent's key */
    unsigned char in_window, seen;
    uint32_t head;         /* where the cell bytes start, from the row's address */
    uint64_t nulls[2];     /* bit i % 64 of word i / 64: column i is NULL (ORC_MAX_COLS = 128) */
    uint32_t off[];        /* ncols+1 offsets into the bytes that follow */
} orc_row;

typedef struct orc_rowset orc_rowset;

/* A new, empty set of rows of ncols (<= 64) columns; NULL when out of memory. */
orc_rowset *orc_rowset_new(int ncols);
/* Frees rs and its rows; NULL is fine. */
void orc_rowset_free(orc_rowset *rs);
/* Copies cells[0..ncols-1] as the row of key (replacing an earlier one, counted in *dups);
 * 0 or -1 when out of memory. */
int orc_rowset_put(orc_rowset *rs, int64_t key, int64_t parent_key, int in_window,
                   const orc_cell *cells, size_t *dups);
/* The row of key, or NULL (borrowed). */
orc_row *orc_rowset_get(const orc_rowset *rs, int64_t key);
/* Number of rows, and the i-th in insertion order (borrowed). */
size_t orc_rowset_count(const orc_rowset *rs);
orc_row *orc_rowset_at(const orc_rowset *rs, size_t i);
/* Column col of row: its text (borrowed, NUL-terminated) and length, or NULL for SQL NULL. */
const char *orc_row_cell(const orc_row *row, int col, size_t *len);

#endif

/* rowset.c: packed rows in insertion order plus an open-addressing index by key. */
#include "rowset.h"
#include "rules.h"

#include <stdlib.h>
#include <string.h>

struct orc_rowset {
    int ncols;
    orc_row **rows;
    size_t n, cap;
    size_t *slots; /* index+1 into rows, 0 = empty; power-of-two size */
    size_t nslots;
};

orc_rowset *orc_rowset_new(int ncols)
{
    orc_rowset *rs;
    if (ncols <= 0 || ncols > ORC_MAX_COLS)
        return NULL;
    rs = calloc(1, sizeof *rs);
    if (rs)
        rs->ncols = ncols;
    return rs;
}

void orc_rowset_free(orc_rowset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n; i++)
        free(rs->rows[i]);
    free(rs->rows);
    free(rs->slots);
    free(rs);
}

static size_t hash_key(int64_t key)
{
    uint64_t x = (uint64_t)key * 0x9E3779B97F4A7C15ULL;
    return (size_t)(x ^ (x >> 29));
}

static size_t *find_slot(const orc_rowset *rs, int64_t key)
{
    size_t mask = rs->nslots - 1;
    for (size_t h = hash_key(key) & mask;; h = (h + 1) & mask)
        if (rs->slots[h] == 0 || rs->rows[rs->slots[h] - 1]->key == key)
            return &rs->slots[h];
}

static int grow_index(orc_rowset *rs)
{
    size_t n = rs->nslots ? rs->nslots * 2 : 1024;
    size_t *old = rs->slots, oldn = rs->nslots;
    rs->slots = calloc(n, sizeof *rs->slots);
    if (!rs->slots) {
        rs->slots = old;
        return -1;
    }
    rs->nslots = n;
    for (size_t i = 0; i < oldn; i++)
        if (old[i])
            *find_slot(rs, rs->rows[old[i] - 1]->key) = old[i];
    free(old);
    return 0;
}

static orc_row *pack(int ncols, int64_t key, int64_t parent_key, int in_window,
                     const orc_cell *cells)
{
    size_t bytes = 0, head = sizeof(orc_row) + (size_t)(ncols + 1) * sizeof(uint32_t);
    orc_row *row;
    char *data;
    for (int i = 0; i < ncols; i++)
        bytes += cells[i].is_null ? 1 : cells[i].len + 1;
    row = malloc(head + bytes);
    if (!row)
        return NULL;
    row->key = key;
    row->parent_key = parent_key;
    row->in_window = (unsigned char)in_window;
    row->seen = 0;
    row->nulls[0] = row->nulls[1] = 0;
    row->head = (uint32_t)head;
    data = (char *)row + head;
    row->off[0] = 0;
    for (int i = 0; i < ncols; i++) {
        size_t len = cells[i].is_null ? 0 : cells[i].len;
        if (cells[i].is_null)
            row->nulls[i / 64] |= 1ULL << (i % 64);
        memcpy(data + row->off[i], cells[i].text, len);
        data[row->off[i] + len] = '\0';
        row->off[i + 1] = row->off[i] + (uint32_t)len + 1;
    }
    return row;
}

int orc_rowset_put(orc_rowset *rs, int64_t key, int64_t parent_key, int in_window,
                   const orc_cell *cells, size_t *dups)
{
    orc_row *row;
    size_t *slot;
    if ((rs->n + 1) * 2 > rs->nslots && grow_index(rs) < 0)
        return -1;
    row = pack(rs->ncols, key, parent_key, in_window, cells);
    if (!row)
        return -1;
    slot = find_slot(rs, key);
    if (*slot) {
        free(rs->rows[*slot - 1]);
        rs->rows[*slot - 1] = row;
        (*dups)++;
        return 0;
    }
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 1024;
        orc_row **r = realloc(rs->rows, cap * sizeof *r);
        if (!r) {
            free(row);
            return -1;
        }
        rs->rows = r;
        rs->cap = cap;
    }
    rs->rows[rs->n++] = row;
    *slot = rs->n;
    return 0;
}

orc_row *orc_rowset_get(const orc_rowset *rs, int64_t key)
{
    size_t *slot;
    if (rs->nslots == 0)
        return NULL;
    slot = find_slot(rs, key);
    return *slot ? rs->rows[*slot - 1] : NULL;
}

size_t orc_rowset_count(const orc_rowset *rs) { return rs->n; }

orc_row *orc_rowset_at(const orc_rowset *rs, size_t i) { return rs->rows[i]; }

const char *orc_row_cell(const orc_row *row, int col, size_t *len)
{
    if (row->nulls[col / 64] & (1ULL << (col % 64)))
        return NULL;
    *len = row->off[col + 1] - row->off[col] - 1;
    return (const char *)row + row->head + row->off[col];
}

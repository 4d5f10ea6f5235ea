/* batch.c: row sets (cells over one text arena) and the batch that groups the parent, child
 * and reject row sets, with a key -> row hash map so a key seen twice keeps only the newer. */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"

/* The rows of one table in the batch by key, so a later row with the same key supersedes the
 * earlier one (as REPLACE would) and the counts say what the database ends up holding. */
typedef struct keyidx {
    const sl_table *table;
    sl_rowset *rs;
    uint32_t *slots; /* open addressing: row + 1, 0 = empty */
    size_t n_slots;  /* power of two */
    size_t n_used;
    size_t next;     /* rows before this one are indexed */
} keyidx;

struct sl_batch {
    const sl_plan *plan;
    sl_rowset parent;
    sl_rowset *children;
    size_t n_children;
    sl_rowset rejects;
    size_t live_parents;
    size_t *saved; /* savepoint: n_rows, text_len of the parent, then of each child */
    keyidx *idx;   /* the rows' keys: the parent's, then each child's */
};

static void rowset_init(sl_rowset *rs, size_t n_cols)
{
    memset(rs, 0, sizeof *rs);
    rs->n_cols = n_cols;
}

static void rowset_done(sl_rowset *rs)
{
    free(rs->cells);
    free(rs->parent);
    free(rs->dead);
    free(rs->text);
}

/* The three per-row arrays grow in step, each from a copy of the one capacity. */
static int rowset_grow(sl_rowset *rs)
{
    size_t need = rs->n_rows + 1, cap_a = rs->cap_rows, cap_b = rs->cap_rows;
    size_t cap_c = rs->cap_rows, row_size = (rs->n_cols ? rs->n_cols : 1) * sizeof(sl_cell);
    sl_cell *cells = sl_grow(rs->cells, &cap_a, need, row_size, 64);
    if (!cells)
        return -1;
    rs->cells = cells;
    uint32_t *parent = sl_grow(rs->parent, &cap_b, need, sizeof *parent, 64);
    if (!parent)
        return -1;
    rs->parent = parent;
    bool *dead = sl_grow(rs->dead, &cap_c, need, sizeof *dead, 64);
    if (!dead)
        return -1;
    rs->dead = dead;
    rs->cap_rows = cap_a;
    return 0;
}

size_t sl_rowset_add_row(sl_rowset *rs)
{
    if (rs->n_rows == rs->cap_rows && rowset_grow(rs))
        return SIZE_MAX;
    size_t row = rs->n_rows++;
    sl_cell *c = rs->cells + row * rs->n_cols;
    for (size_t i = 0; i < rs->n_cols; i++) {
        c[i].off = 0;
        c[i].len = -1;
    }
    rs->parent[row] = 0;
    rs->dead[row] = false;
    return row;
}

char *sl_rowset_reserve(sl_rowset *rs, size_t n)
{
    if (n > UINT32_MAX - rs->text_len)
        return NULL; /* offsets are 32-bit: a batch's text stays under 4 GiB */
    size_t need = rs->text_len + n;
    /* at least one byte: a rowset without text would return NULL, read as out of memory */
    char *t = sl_grow(rs->text, &rs->text_cap, need ? need : 1, 1, 4096);
    if (!t)
        return NULL;
    rs->text = t;
    return rs->text + rs->text_len;
}

void sl_rowset_commit(sl_rowset *rs, size_t row, size_t col, size_t len)
{
    sl_cell *c = &rs->cells[row * rs->n_cols + col];
    c->off = (uint32_t)rs->text_len;
    c->len = (int32_t)len;
    rs->text_len += len;
}

int sl_rowset_set(sl_rowset *rs, size_t row, size_t col, const char *s, size_t len)
{
    if (len > INT32_MAX)
        return -1;
    char *dst = sl_rowset_reserve(rs, len);
    if (!dst)
        return -1;
    if (len)
        memcpy(dst, s, len);
    sl_rowset_commit(rs, row, col, len);
    return 0;
}

void sl_rowset_pop_row(sl_rowset *rs)
{
    if (rs->n_rows)
        rs->n_rows--;
}

void sl_rowset_truncate(sl_rowset *rs, size_t n_rows, size_t text_len)
{
    if (n_rows < rs->n_rows)
        rs->n_rows = n_rows;
    if (text_len < rs->text_len)
        rs->text_len = text_len;
}

const char *sl_rowset_get(const sl_rowset *rs, size_t row, size_t col, int32_t *len)
{
    const sl_cell *c = &rs->cells[row * rs->n_cols + col];
    *len = c->len;
    return c->len < 0 ? NULL : c->len == 0 ? "" : rs->text + c->off;
}

sl_batch *sl_batch_new(const sl_plan *plan)
{
    sl_batch *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->plan = plan;
    rowset_init(&b->parent, plan->table.n_cols);
    rowset_init(&b->rejects, SL_REJ_NCOLS);
    if (plan->n_children && !(b->children = calloc(plan->n_children, sizeof *b->children))) {
        free(b);
        return NULL;
    }
    b->n_children = plan->n_children;
    if (!(b->saved = calloc(2 * (b->n_children + 1), sizeof *b->saved))) {
        free(b->children);
        free(b);
        return NULL;
    }
    if (!(b->idx = calloc(b->n_children + 1, sizeof *b->idx))) {
        free(b->saved);
        free(b->children);
        free(b);
        return NULL;
    }
    b->idx[0] = (keyidx){.table = &plan->table, .rs = &b->parent};
    for (size_t i = 0; i < b->n_children; i++) {
        rowset_init(&b->children[i], plan->children[i].n_cols);
        b->idx[i + 1] = (keyidx){.table = &plan->children[i], .rs = &b->children[i]};
    }
    return b;
}

void sl_batch_free(sl_batch *batch)
{
    if (!batch)
        return;
    rowset_done(&batch->parent);
    rowset_done(&batch->rejects);
    for (size_t i = 0; i < batch->n_children; i++)
        rowset_done(&batch->children[i]);
    free(batch->children);
    for (size_t i = 0; i <= batch->n_children; i++)
        free(batch->idx[i].slots);
    free(batch->idx);
    free(batch->saved);
    free(batch);
}

void sl_batch_clear(sl_batch *batch)
{
    sl_rowset_truncate(&batch->parent, 0, 0);
    sl_rowset_truncate(&batch->rejects, 0, 0);
    for (size_t i = 0; i < batch->n_children; i++)
        sl_rowset_truncate(&batch->children[i], 0, 0);
    for (size_t i = 0; i <= batch->n_children; i++) {
        keyidx *x = &batch->idx[i];
        if (x->slots)
            memset(x->slots, 0, x->n_slots * sizeof *x->slots);
        x->n_used = x->next = 0;
    }
    batch->live_parents = 0;
}

sl_rowset *sl_batch_parent(sl_batch *batch)
{
    return &batch->parent;
}

sl_rowset *sl_batch_child(sl_batch *batch, size_t i)
{
    return i < batch->n_children ? &batch->children[i] : NULL;
}

sl_rowset *sl_batch_rejects(sl_batch *batch)
{
    return &batch->rejects;
}

size_t sl_batch_live_rows(const sl_batch *batch)
{
    return batch->live_parents + batch->rejects.n_rows;
}

void sl_batch_savepoint(sl_batch *batch)
{
    batch->saved[0] = batch->parent.n_rows;
    batch->saved[1] = batch->parent.text_len;
    for (size_t i = 0; i < batch->n_children; i++) {
        batch->saved[2 * i + 2] = batch->children[i].n_rows;
        batch->saved[2 * i + 3] = batch->children[i].text_len;
    }
}

void sl_batch_rollback(sl_batch *batch)
{
    sl_rowset_truncate(&batch->parent, batch->saved[0], batch->saved[1]);
    for (size_t i = 0; i < batch->n_children; i++)
        sl_rowset_truncate(&batch->children[i], batch->saved[2 * i + 2],
                           batch->saved[2 * i + 3]);
}

/* FNV-1a over the key cells, each prefixed by its length (NULL = -1). */
static uint64_t key_hash(const keyidx *x, size_t row)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t k = 0; k < x->table->n_key; k++) {
        int32_t len;
        const char *s = sl_rowset_get(x->rs, row, x->table->key[k], &len);
        for (int i = 0; i < 4; i++)
            h = (h ^ (uint8_t)((uint32_t)len >> (8 * i))) * 1099511628211ull;
        for (int32_t i = 0; i < len; i++)
            h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
    }
    return h;
}

static bool key_equal(const keyidx *x, size_t r1, size_t r2)
{
    for (size_t k = 0; k < x->table->n_key; k++) {
        int32_t l1, l2;
        size_t col = x->table->key[k];
        const char *s1 = sl_rowset_get(x->rs, r1, col, &l1);
        const char *s2 = sl_rowset_get(x->rs, r2, col, &l2);
        if (l1 != l2 || (l1 > 0 && memcmp(s1, s2, (size_t)l1) != 0))
            return false;
    }
    return true;
}

/* Finds the slot of row's key: the one holding an equal key, or the empty one to use. */
static uint32_t *find_slot(keyidx *x, size_t row)
{
    size_t mask = x->n_slots - 1;
    for (size_t i = (size_t)key_hash(x, row) & mask;; i = (i + 1) & mask) {
        uint32_t *s = &x->slots[i];
        if (*s == 0 || key_equal(x, *s - 1, row))
            return s;
    }
}

static int rehash(keyidx *x)
{
    size_t n = x->n_slots ? x->n_slots * 2 : 1024;
    uint32_t *old = x->slots;
    size_t n_old = x->n_slots;
    if (!(x->slots = calloc(n, sizeof *x->slots))) {
        x->slots = old;
        return -1;
    }
    x->n_slots = n;
    for (size_t i = 0; i < n_old; i++)
        if (old[i])
            *find_slot(x, old[i] - 1) = old[i];
    free(old);
    return 0;
}

/* Enters row under its key; returns the row it supersedes (+ 1), or 0. Out of memory for a
 * bigger table, the old one is used while it has room, then rows go unindexed. */
static uint32_t index_row(keyidx *x, size_t row)
{
    if (!x->table->n_key)
        return 0;
    if ((x->n_used + 1) * 4 > x->n_slots * 3 && rehash(x) && x->n_used + 1 >= x->n_slots)
        return 0;
    uint32_t *slot = find_slot(x, row), old = *slot;
    if (!old)
        x->n_used++;
    *slot = (uint32_t)row + 1;
    return old;
}

/* Rows are added in the order of their parent rows (transform.c): the rows whose parent is in
 * [plo, phi) are one run, found by binary search; marks them dead and returns it in *lo, *hi. */
static void kill_range(sl_rowset *rs, uint32_t plo, uint32_t phi, size_t *lo, size_t *hi)
{
    size_t a = 0, b = rs->n_rows;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (rs->parent[mid] < plo)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    for (; a < rs->n_rows && rs->parent[a] < phi; a++)
        rs->dead[a] = true;
    *hi = a;
}

/* Marks dead the rows of every table below table `up` (0 the top, 1 + i child i) that hang
 * from its rows [plo, phi): a superseded record takes its items' items with it. */
static void kill_below(sl_batch *batch, size_t up, size_t plo, size_t phi)
{
    const sl_plan *plan = batch->plan;
    for (size_t i = up, end = sl_plan_kids_end(plan, up); i < end; i++) {
        size_t lo, hi;
        if (plan->children[i].up != up)
            continue;
        kill_range(&batch->children[i], (uint32_t)plo, (uint32_t)phi, &lo, &hi);
        if (lo < hi)
            kill_below(batch, 1 + i, lo, hi);
    }
}

void sl_batch_commit_record(sl_batch *batch, size_t row)
{
    batch->live_parents++;
    uint32_t old = index_row(&batch->idx[0], row);
    if (old) {
        batch->parent.dead[old - 1] = true;
        batch->live_parents--;
        kill_below(batch, 0, old - 1, old);
    }
    /* A child row whose key an earlier row of the batch holds (a key that doesn't tell the
     * items apart) replaces it in the database: count only the last. */
    for (size_t i = 0; i < batch->n_children; i++) {
        keyidx *x = &batch->idx[i + 1];
        for (; x->next < x->rs->n_rows; x->next++)
            if ((old = index_row(x, x->next)) != 0)
                x->rs->dead[old - 1] = true;
    }
}

/* test_batch.c: row sets (cells, NULLs, arena growth, truncate) and key de-duplication of
 * parent rows with their child rows. */
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "check.h"

static char cellbuf[256];

static const char *cell(const sl_rowset *rs, size_t row, size_t col)
{
    int32_t len;
    const char *s = sl_rowset_get(rs, row, col, &len);
    if (len < 0)
        return "NULL";
    snprintf(cellbuf, sizeof cellbuf, "%.*s", (int)len, s);
    return cellbuf;
}

static void test_rowset(void)
{
    sl_rowset rs = {.n_cols = 3};
    char big[1000];
    memset(big, 'z', sizeof big);
    for (size_t i = 0; i < 500; i++) { /* grows rows and arena several times */
        size_t row = sl_rowset_add_row(&rs);
        CHECK(row == i);
        char num[16];
        int n = snprintf(num, sizeof num, "%zu", i);
        CHECK(sl_rowset_set(&rs, row, 0, num, (size_t)n) == 0);
        CHECK(sl_rowset_set(&rs, row, 2, big, i % 7 == 0 ? sizeof big : 0) == 0);
    }
    CHECK_STR(cell(&rs, 0, 0), "0");
    CHECK_STR(cell(&rs, 499, 0), "499");
    CHECK_STR(cell(&rs, 42, 1), "NULL");
    CHECK_STR(cell(&rs, 43, 2), "");
    int32_t len;
    CHECK(sl_rowset_get(&rs, 49, 2, &len) && len == 1000);
    size_t text = rs.text_len;
    sl_rowset_pop_row(&rs);
    CHECK(rs.n_rows == 499);
    char *dst = sl_rowset_reserve(&rs, 5);
    CHECK(dst != NULL);
    memcpy(dst, "hello", 5);
    sl_rowset_commit(&rs, 498, 1, 4);
    CHECK_STR(cell(&rs, 498, 1), "hell");
    CHECK(rs.text_len == text + 4);
    sl_rowset_truncate(&rs, 10, text);
    CHECK(rs.n_rows == 10 && rs.text_len == text);
    free(rs.cells);
    free(rs.parent);
    free(rs.dead);
    free(rs.text);
}

/* A plan by hand: parent (id, v) keyed by id; one child (cid, pid) keyed by both. */
static sl_column pcols[2] = {{.name = "id", .from_parent = -1}, {.name = "v", .from_parent = -1}};
static sl_column ccols[2] = {{.name = "cid", .from_parent = -1}, {.name = "pid", .from_parent = 0}};
static size_t pkey[1] = {0}, ckey[2] = {0, 1};

static size_t add_record(sl_batch *b, const char *id, const char *v, int n_children)
{
    sl_rowset *p = sl_batch_parent(b), *c = sl_batch_child(b, 0);
    size_t row = sl_rowset_add_row(p);
    sl_rowset_set(p, row, 0, id, strlen(id));
    sl_rowset_set(p, row, 1, v, strlen(v));
    for (int i = 0; i < n_children; i++) {
        size_t cr = sl_rowset_add_row(c);
        c->parent[cr] = (uint32_t)row;
        sl_rowset_set(c, cr, 0, v, strlen(v));
        sl_rowset_set(c, cr, 1, id, strlen(id));
    }
    sl_batch_commit_record(b, row);
    return row;
}

static void test_dedupe(void)
{
    sl_table child = {.name = "c", .cols = ccols, .n_cols = 2, .key = ckey, .n_key = 2};
    sl_plan plan = {.table = {.name = "p", .cols = pcols, .n_cols = 2, .key = pkey, .n_key = 1},
                    .children = &child, .n_children = 1};
    sl_batch *b = sl_batch_new(&plan);
    sl_rowset *p = sl_batch_parent(b), *c = sl_batch_child(b, 0);
    CHECK(b && sl_batch_child(b, 1) == NULL && sl_batch_rejects(b)->n_cols == SL_REJ_NCOLS);

    add_record(b, "1", "old", 2);
    add_record(b, "2", "two", 1);
    add_record(b, "1", "new", 1);
    add_record(b, "12", "twelve", 0); /* not confused with "1" + "2" */
    CHECK(p->n_rows == 4 && sl_batch_live_rows(b) == 3);
    CHECK(p->dead[0] && !p->dead[1] && !p->dead[2] && !p->dead[3]);
    CHECK(c->n_rows == 4);
    CHECK(c->dead[0] && c->dead[1] && !c->dead[2] && !c->dead[3]);
    CHECK_STR(cell(c, 3, 0), "new");

    /* many keys: the hash map grows; every key seen twice keeps only its last row */
    for (int i = 0; i < 5000; i++) {
        char id[16];
        snprintf(id, sizeof id, "k%d", i % 2500);
        add_record(b, id, i < 2500 ? "a" : "b", 1);
    }
    size_t live = 0, live_children = 0;
    for (size_t r = 0; r < p->n_rows; r++)
        if (!p->dead[r]) {
            live++;
            CHECK(r < 4 || strcmp(cell(p, r, 1), "b") == 0);
        }
    for (size_t r = 0; r < c->n_rows; r++)
        live_children += !c->dead[r];
    CHECK(live == 2503 && sl_batch_live_rows(b) == 2503 && live_children == 2502);

    sl_rowset_add_row(sl_batch_rejects(b));
    CHECK(sl_batch_live_rows(b) == 2504);

    /* savepoint / rollback cut parent and children, not rejects */
    sl_batch_savepoint(b);
    size_t pr = p->n_rows, cr = c->n_rows;
    sl_rowset_add_row(p);
    sl_rowset_add_row(c);
    sl_batch_rollback(b);
    CHECK(p->n_rows == pr && c->n_rows == cr && sl_batch_rejects(b)->n_rows == 1);

    sl_batch_clear(b);
    CHECK(p->n_rows == 0 && c->n_rows == 0 && sl_batch_live_rows(b) == 0);
    add_record(b, "1", "again", 0); /* the map was cleared: not a duplicate */
    CHECK(!p->dead[0] && sl_batch_live_rows(b) == 1);
    sl_batch_free(b);
}

/* Child rows whose key another row of the batch holds end as one row in the database (REPLACE
 * keeps the last): only the last stays live, so the summary counts what was written. Before,
 * every row counted: 6,795 child rows reported, 4,911 in the table. */
static void test_child_key_collapse(void)
{
    sl_table child = {.name = "c", .cols = ccols, .n_cols = 2, .key = ckey, .n_key = 1};
    sl_plan plan = {.table = {.name = "p", .cols = pcols, .n_cols = 2, .key = pkey, .n_key = 1},
                    .children = &child, .n_children = 1};
    sl_batch *b = sl_batch_new(&plan);
    sl_rowset *c = sl_batch_child(b, 0);
    add_record(b, "1", "x", 2); /* two items with the same key in one record */
    add_record(b, "2", "x", 1); /* and in another record of the batch */
    add_record(b, "3", "y", 1);
    CHECK(c->n_rows == 4);
    CHECK(c->dead[0] && c->dead[1] && !c->dead[2] && !c->dead[3]);
    CHECK(sl_batch_live_rows(b) == 3);
    sl_batch_clear(b);
    add_record(b, "4", "x", 1); /* a new batch: nothing to collapse */
    CHECK(c->n_rows == 1 && !c->dead[0]);
    sl_batch_free(b);
}

int main(void)
{
    test_rowset();
    test_dedupe();
    test_child_key_collapse();
    return check_done();
}

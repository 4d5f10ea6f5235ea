/* Children at depth 2 and 3 (tests/cases/map-nested-children/job.yml: orders -> lines ->
 * discounts -> tags, payments beside lines): the compiled tree (pre-order, parents, depths, a
 * copy of a copy typed by the column that reads the value), the rows a record makes at every
 * depth with their parent rows and copied cells, a reject deep down undoing every table, a key
 * seen twice in a batch killing the earlier record's rows at every depth, and the statements'
 * order (deepest DELETE first). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "batch.h"
#include "check.h"
#include "compile.h"
#include "convert.h"
#include "diag.h"
#include "sql.h"
#include "transform.h"

#define JOB "tests/cases/map-nested-children/job.yml"

/* Row `row` of rs as "a|b|NULL". */
static const char *row_text(const sl_rowset *rs, size_t row)
{
    static char buf[512];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < rs->n_cols && n < sizeof buf - 8; c++) {
        int32_t len;
        const char *s = sl_rowset_get(rs, row, c, &len);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%.*s", c ? "|" : "",
                              len < 0 ? 4 : (int)len, len < 0 ? "NULL" : s);
    }
    return buf;
}

static size_t live(const sl_rowset *rs)
{
    size_t n = 0;
    for (size_t r = 0; r < rs->n_rows; r++)
        n += !rs->dead[r];
    return n;
}

static void test_tree(const sl_plan *p)
{
    static const char *const names[] = {"t_line", "t_disc", "t_disc_tag", "t_pay"};
    static const size_t up[] = {0, 1, 2, 0}, depth[] = {1, 2, 3, 1};
    CHECK(p->n_children == 4);
    for (size_t i = 0; i < 4 && i < p->n_children; i++) {
        CHECK_STR(p->children[i].name, names[i]);
        CHECK(p->children[i].up == up[i] && p->children[i].depth == depth[i]);
    }
    CHECK(sl_plan_subtree_end(p, 0) == 3 && sl_plan_subtree_end(p, 2) == 3);
    CHECK(sl_plan_subtree_end(p, 3) == 4 && sl_plan_kids_end(p, 0) == 4);
    CHECK(sl_plan_parent_table(p, &p->children[2]) == &p->children[1]);
    CHECK(sl_plan_parent_table(p, &p->table) == NULL);
    /* t_disc_tag.order_id copies t_disc.order_id, which copies t_line.order_id, which copies
     * t.id (int); t_line.order_status copies a column outside t's key: data, not a link */
    const sl_table *tag = &p->children[2], *line = &p->children[0];
    CHECK(tag->cols[1].from_parent == 0 && tag->cols[1].conv);
    CHECK_STR(tag->cols[1].conv ? sl_conv_sql_type(tag->cols[1].conv) : NULL, "INT");
    CHECK(sl_plan_is_link(p, tag, 1) && sl_plan_is_link(p, tag, 3) && !sl_plan_is_link(p, tag, 0));
    CHECK(sl_plan_is_link(p, line, 0) && !sl_plan_is_link(p, line, 2));
}

static json_t *order(int id, const char *status, const char *code, int tag)
{
    json_t *r = json_pack("{s:i,s:s,s:[{s:i,s:s,s:[{s:s,s:s,s:[{s:i,s:s}]},{s:s,s:s}]},"
                          "{s:i,s:s}],s:[{s:i,s:s}]}",
                          "id", id, "status", status, "lines", "no", 1, "sku", "A", "discounts",
                          "code", code, "amount", "1.5", "tags", "id", tag, "name", "x", "code",
                          "B", "amount", "2", "no", 2, "sku", "C", "payments", "id", id * 10,
                          "amount", "9");
    if (!r)
        fprintf(stderr, "json_pack failed\n");
    return r;
}

static void test_rows(const sl_plan *p, sl_batch *b)
{
    sl_error err = {0};
    json_t *r = order(7, "paid", "VIP", 71);
    CHECK(r && sl_transform_record(p, r, b, &err) == 0);
    const sl_rowset *line = sl_batch_child(b, 0), *disc = sl_batch_child(b, 1);
    const sl_rowset *tag = sl_batch_child(b, 2), *pay = sl_batch_child(b, 3);
    CHECK(line->n_rows == 2 && disc->n_rows == 2 && tag->n_rows == 1 && pay->n_rows == 1);
    CHECK_STR(row_text(line, 1), "7|2|paid|C");
    CHECK_STR(row_text(disc, 0), "7|1|VIP|1.50");
    CHECK_STR(row_text(disc, 1), "7|1|B|2.00");
    CHECK_STR(row_text(tag, 0), "71|7|1|VIP|x");
    CHECK(disc->parent[1] == 0 && tag->parent[0] == 0 && pay->parent[0] == 0);
    json_decref(r);

    /* a tag without its required id: the record is a reject naming the deepest table, and
     * no table keeps a row of it */
    r = order(8, "new", "VIP", 81);
    json_object_del(json_array_get(json_object_get(json_array_get(json_object_get(json_array_get(
                                                       json_object_get(r, "lines"), 0),
                                                                          "discounts"),
                                                                  0),
                                                   "tags"),
                                   0),
                    "id");
    CHECK(sl_transform_record(p, r, b, &err) == 1);
    CHECK(line->n_rows == 2 && disc->n_rows == 2 && tag->n_rows == 1 && pay->n_rows == 1);
    const sl_rowset *rj = sl_batch_rejects(b);
    CHECK(rj->n_rows == 1);
    int32_t len;
    const char *col = rj->n_rows ? sl_rowset_get(rj, 0, SL_REJ_COLUMN, &len) : "";
    CHECK(len == 17 && !strncmp(col, "t_disc_tag.tag_id", 17));
    json_decref(r);

    /* order 9, then order 7 again: the first 7's rows die at every depth, 9's live on */
    json_t *r9 = order(9, "paid", "X", 91), *r7 = order(7, "shipped", "Y", 72);
    CHECK(sl_transform_record(p, r9, b, &err) == 0 && sl_transform_record(p, r7, b, &err) == 0);
    CHECK(live(sl_batch_parent(b)) == 2 && live(line) == 4 && live(disc) == 4);
    CHECK(live(tag) == 2 && live(pay) == 2);
    CHECK(tag->dead[0] && !tag->dead[1] && !tag->dead[2] && disc->dead[0] && disc->dead[1]);
    CHECK_STR(row_text(tag, 2), "72|7|1|Y|x");
    json_decref(r9);
    json_decref(r7);
}

typedef struct stmts {
    char heads[16][48];
    size_t n;
} stmts;

static sl_status keep_head(void *ctx, const sl_sql_stmt *stmt, sl_error *err)
{
    stmts *s = ctx;
    (void)err;
    if (s->n < 16)
        snprintf(s->heads[s->n++], sizeof s->heads[0], "%.40s", stmt->sql);
    return SL_OK;
}

/* Per child of the top table: its subtree's DELETEs deepest first, then its rows. */
static void test_statement_order(const sl_plan *p, sl_batch *b)
{
    stmts s = {0};
    sl_error err = {0};
    CHECK(sl_sql_batch(p, b, "j", NULL, 1 << 20, 0, keep_head, &s, &err) == SL_OK);
    static const char *const want[] = {
        "REPLACE INTO `t` ",         "DELETE `t_disc_tag` FROM `t_disc_tag` JO",
        "DELETE `t_disc` FROM `t_disc` JOIN `t_li", "DELETE FROM `t_line` WHERE `order_id` I",
        "REPLACE INTO `t_line` ",    "REPLACE INTO `t_disc` ",
        "REPLACE INTO `t_disc_tag` ", "DELETE FROM `t_pay` WHERE `order_id` IN",
        "REPLACE INTO `t_pay` ",     "INSERT INTO `sluice_rejects` "};
    CHECK(s.n == 10);
    for (size_t i = 0; i < 10 && i < s.n; i++)
        CHECK(!strncmp(s.heads[i], want[i], strlen(want[i])));
}

int main(void)
{
    sl_diag *diag = sl_diag_new(JOB);
    const sl_compile_options opts = {.resolve_secrets = false};
    sl_plan *p = sl_compile_file_opts(JOB, &opts, diag);
    if (!p)
        sl_diag_print(diag, stderr);
    CHECK(p != NULL);
    if (p) {
        test_tree(p);
        sl_batch *b = sl_batch_new(p);
        CHECK(b != NULL);
        if (b && p->n_children == 4) {
            test_rows(p, b);
            test_statement_order(p, b);
        }
        sl_batch_free(b);
    }
    sl_plan_free(p);
    sl_diag_free(diag);
    return check_done();
}

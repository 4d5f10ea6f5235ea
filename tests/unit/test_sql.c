/* test_sql.c: the SQL text the sinks send: identifier checks, escaping, type comparison, the
 * DDL of a hand-built plan, the dry-run text of a batch (abbreviation, dead rows skipped,
 * children, rejects, watermark, upsert), statement splitting at the size cap, and the LOAD
 * DATA statement and TSV lines (escapes, NULL, the cap leaving the buffer as it was). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sink.h"
#include "sink_fixture.h"
#include "sql.h"

static void test_idents(void)
{
    char long64[65], long65[66];
    memset(long64, 'a', 64);
    long64[64] = '\0';
    memset(long65, 'a', 65);
    long65[65] = '\0';
    CHECK(sl_sql_ident_ok("refund_id"));
    CHECK(sl_sql_ident_ok("_x9"));
    CHECK(sl_sql_ident_ok(long64));
    CHECK(!sl_sql_ident_ok(long65));
    CHECK(!sl_sql_ident_ok(""));
    CHECK(!sl_sql_ident_ok(NULL));
    CHECK(!sl_sql_ident_ok("9lives"));
    CHECK(!sl_sql_ident_ok("a-b"));
    CHECK(!sl_sql_ident_ok("a`b"));
    CHECK(!sl_sql_ident_ok("a b"));
    CHECK(!sl_sql_ident_ok("名字"));
    sl_sqlbuf b;
    sl_sqlbuf_init(&b, 100);
    CHECK(sl_sqlbuf_ident(&b, "t_1") == 0);
    CHECK_STR(b.data, "`t_1`");
    b.len = 0;
    CHECK(sl_sqlbuf_ident(&b, "a`b``") == 0);
    CHECK_STR(b.data, "`a``b`````");
    sl_sqlbuf_free(&b);
}

/* Names and text printed inside `--` comments (migrate's lines) cannot end the comment: a
 * column named "x\nDROP TABLE victim;" stays on the comment's line (issue 9, item 11). */
static void test_comment_text(void)
{
    char out[128];
    sl_sql_comment_ident(out, sizeof out, "x\nDROP TABLE victim;");
    CHECK_STR(out, "`x\\nDROP TABLE victim;`");
    sl_sql_comment_ident(out, sizeof out, "a`\x1b[31m\r\xff");
    CHECK_STR(out, "`a``\\x1b[31m\\r\\xff`");
    sl_sql_comment_ident(out, sizeof out, "名字");
    CHECK_STR(out, "`名字`");
    sl_sql_comment_text(out, sizeof out, "enum('a\nb','c')");
    CHECK_STR(out, "enum('a\\nb','c')");
    sl_sql_comment_ident(out, 8, "abcdefghij"); /* cut to fit, still NUL-terminated */
    CHECK(strlen(out) < 8 && strchr(out, '\n') == NULL);
}

static void test_escape(void)
{
    static const char in[] = "a'b\"c\\d\ne\rf\0g\032h 名";
    char out[2 * sizeof in + 1];
    size_t n = sl_sql_escape(out, in, sizeof in - 1);
    CHECK_STR(out, "a\\'b\\\"c\\\\d\\ne\\rf\\0g\\Zh 名");
    CHECK(n == strlen(out));

    /* Every other byte passes through (the server round trip is in test_sink_mysql.c). */
    for (int i = 0; i < 256; i++) {
        char c = (char)i, e[3];
        size_t k = sl_sql_escape(e, &c, 1);
        CHECK(k == (strchr("'\"\\\n\r\032", c) && c ? 2u : i == 0 ? 2u : 1u));
    }
    sl_sqlbuf b;
    sl_sqlbuf_init(&b, 64);
    CHECK(sl_sqlbuf_value(&b, "it's", 4) == 0);
    CHECK(sl_sqlbuf_value(&b, NULL, -1) == 0);
    CHECK_STR(b.data, "'it\\'s'NULL");
    /* The cap holds: 30 quotes need 62 bytes escaped and quoted, over what is left. */
    CHECK(sl_sqlbuf_value(&b, "''''''''''''''''''''''''''''''", 30) == -1);
    CHECK_STR(b.data, "'it\\'s'NULL");
    sl_sqlbuf_free(&b);
}

static void test_types(void)
{
    CHECK(sl_sql_type_same("INT", "int(11)"));
    CHECK(sl_sql_type_same("BIGINT", "bigint(20)"));
    CHECK(sl_sql_type_same("BIGINT", "bigint"));
    CHECK(sl_sql_type_same("TINYINT(1)", "tinyint(1)"));
    CHECK(sl_sql_type_same("DECIMAL(19,4)", "decimal(19,4)"));
    CHECK(sl_sql_type_same("VARCHAR(64)", "varchar(64)"));
    CHECK(sl_sql_type_same("DATETIME", "datetime"));
    CHECK(!sl_sql_type_same("DECIMAL(19,4)", "decimal(10,2)"));
    CHECK(!sl_sql_type_same("INT", "bigint(20)"));
    CHECK(!sl_sql_type_same("VARCHAR(64)", "varchar(32)"));
    CHECK(!sl_sql_type_same("TINYINT(1)", "tinyint(4)"));
    char runs[80];
    sl_sql_runs_table("sluice_state", runs, sizeof runs);
    CHECK_STR(runs, "sluice_runs");
    sl_sql_runs_table("etl", runs, sizeof runs);
    CHECK_STR(runs, "etl_runs");
}

/* Runs fn's output into a string (caller frees). */
static char *capture_ddl(const sl_plan *plan, sl_status *st)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    sl_error err = {0};
    *st = sl_sink_ddl(plan, f, &err);
    fclose(f);
    return text;
}

static const char want_ddl[] =
    "-- migrate: create table `t_order_x`\n"
    "CREATE TABLE IF NOT EXISTS `t_order_x` (\n"
    "  `id` BIGINT NOT NULL,\n"
    "  `name` VARCHAR(32) COMMENT 'the customer\\'s name',\n"
    "  `amount` DECIMAL(10,2) DEFAULT '0.00',\n"
    "  `modified` DATETIME,\n"
    "  `note` TEXT,\n"
    "  PRIMARY KEY (`id`)\n"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n"
    "\n"
    "-- migrate: create child table `t_line_x`\n"
    "CREATE TABLE IF NOT EXISTS `t_line_x` (\n"
    "  `line_id` BIGINT NOT NULL,\n"
    "  `id` BIGINT,\n"
    "  `sku` VARCHAR(16),\n"
    "  PRIMARY KEY (`line_id`),\n"
    "  KEY `sluice_parent` (`id`)\n"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n"
    "\n"
    "-- migrate: create state table `sl_x_state`\n";

static void test_ddl(void)
{
    fixture f;
    fixture_init(&f, "_x", "");
    sl_status st;
    char *text = capture_ddl(&f.plan, &st);
    CHECK(st == SL_OK);
    CHECK(text && strncmp(text, want_ddl, strlen(want_ddl)) == 0);
    if (text && strncmp(text, want_ddl, strlen(want_ddl)) != 0)
        fprintf(stderr, "got:\n%s", text);
    CHECK(text && strstr(text, "CREATE TABLE IF NOT EXISTS `sl_x_runs` (\n"));
    CHECK(text && strstr(text, "CREATE TABLE IF NOT EXISTS `sl_x_rejects` (\n"));
    free(text);

    /* A comment read through a reference prints as '***'; the statement run keeps it. */
    char *secrets[] = {(char *)"CUSTOMER'S"};
    f.plan.secrets = secrets;
    f.plan.n_secrets = 1;
    text = capture_ddl(&f.plan, &st);
    CHECK(text && strstr(text, "  `name` VARCHAR(32) COMMENT '***',\n"));
    CHECK(text && !strstr(text, "customer"));
    free(text);
    sl_error derr = {0};
    sl_ddl *ddl = sl_ddl_new(&f.plan, &derr);
    sl_sqlbuf b;
    sl_sqlbuf_init(&b, 4096);
    CHECK(ddl && sl_sql_create_table(&b, sl_ddl_table_at(ddl, 0)) == 0);
    CHECK(b.data && strstr(b.data, "COMMENT 'the customer\\'s name'"));
    sl_sqlbuf_free(&b);
    sl_ddl_free(ddl);
    f.plan.secrets = NULL;
    f.plan.n_secrets = 0;

    f.pcols[1].name = (char *)"bad name";
    sl_error err = {0};
    CHECK(sl_sink_ddl(&f.plan, stdout, &err) == SL_ERR_CONFIG);
    CHECK_STR(err.msg, "column name 'bad name' of t_order_x is not a plain identifier");
    fixture_free(&f);
}

/* Orders 1..7 (order 3 sent twice: the first version is dead), one reject, watermark. */
static sl_batch *sample_batch(const sl_plan *plan)
{
    static const char *const l1[] = {"101"}, *const l2[] = {"201", "202"}, *const l3[] = {"301"},
                             *const l3b[] = {"302"};
    sl_batch *b = sl_batch_new(plan);
    add_order(b, "1", "Ann", "1.50", "2024-01-01 08:00:00", NULL, l1, 1);
    add_order(b, "2", "O'Brien", NULL, "2024-01-01 09:00:00", "line1\nline2 \\ \"q\"", l2, 2);
    add_order(b, "3", "old", "3.00", "2024-01-01 10:00:00", NULL, l3, 1);
    add_order(b, "4", "Dee", "4.00", "2024-01-01 11:00:00", NULL, NULL, 0);
    add_order(b, "3", "new", "3.30", "2024-01-02 10:00:00", NULL, l3b, 1);
    add_order(b, "5", "Eve", "5.00", "2024-01-01 12:00:00", NULL, NULL, 0);
    add_order(b, "6", "Fay", "6.00", "2024-01-01 13:00:00", NULL, NULL, 0);
    add_order(b, "7", "Gus", "7.00", "2024-01-01 14:00:00", NULL, NULL, 0);
    add_reject(b, "8", "modified", "required value missing", "{\"id\":8,\"x\":\"it's\"}");
    return b;
}

static char *capture_write(const sl_plan *plan, const sl_batch *b, const int64_t *wm,
                           sl_status *st)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    sl_sink *sink = sl_sink_print_new(plan, f);
    sl_error err = {0};
    *st = sl_sink_write(sink, b, plan->name, wm, &err);
    sl_sink_free(sink);
    fclose(f);
    return text;
}

static const char want_write[] =
    "START TRANSACTION;\n"
    "REPLACE INTO `t_order_x` (`id`,`name`,`amount`,`modified`,`note`) VALUES\n"
    "('1','Ann','1.50','2024-01-01 08:00:00',NULL),\n"
    "('2','O\\'Brien',NULL,'2024-01-01 09:00:00','line1\\nline2 \\\\ \\\"q\\\"'),\n"
    "('4','Dee','4.00','2024-01-01 11:00:00',NULL),\n"
    "-- ... 3 more rows ...\n"
    "('7','Gus','7.00','2024-01-01 14:00:00',NULL);\n"
    "DELETE FROM `t_line_x` WHERE `id` IN (\n"
    "'1',\n"
    "'2',\n"
    "'4',\n"
    "-- ... 3 more rows ...\n"
    "'7'\n"
    ");\n"
    "REPLACE INTO `t_line_x` (`line_id`,`id`,`sku`) VALUES\n"
    "('101','1','sku-101'),\n"
    "('201','2','sku-201'),\n"
    "('202','2','sku-202'),\n"
    "('302','3','sku-302');\n"
    "INSERT INTO `sl_x_rejects` (`job`,`record_key`,`column_name`,`reason`,`raw`) VALUES\n"
    "('orders','8','modified','required value missing','{\\\"id\\\":8,\\\"x\\\":\\\"it\\'s\\\"}');\n"
    "INSERT INTO `sl_x_state` (`job`,`watermark`,`watermark_text`) VALUES\n"
    "('orders','1704067200','2024-01-01 08:00:00')\n"
    "ON DUPLICATE KEY UPDATE `watermark`=VALUES(`watermark`),`watermark_text`=VALUES(`watermark_text`);\n"
    "COMMIT;\n"
    "\n";

static void test_print_write(void)
{
    fixture f;
    fixture_init(&f, "_x", "");
    sl_batch *b = sample_batch(&f.plan);
    int64_t wm = 1704067200; /* 2024-01-01 00:00:00 UTC = 08:00:00 +08:00 */
    sl_status st;
    char *text = capture_write(&f.plan, b, &wm, &st);
    CHECK(st == SL_OK);
    CHECK_STR(text, want_write);
    free(text);

    f.plan.target.write = SL_WRITE_UPSERT;
    text = capture_write(&f.plan, b, NULL, &st);
    CHECK(text && strstr(text, "('7','Gus','7.00','2024-01-01 14:00:00',NULL)\n"
                               "ON DUPLICATE KEY UPDATE `name`=VALUES(`name`),`amount`=VALUES("
                               "`amount`),`modified`=VALUES(`modified`),`note`=VALUES(`note`);\n"));
    CHECK(text && strstr(text, "INSERT INTO `t_order_x` (`id`,"));
    CHECK(text && strstr(text, "REPLACE INTO `t_line_x`")); /* children: always replaced */
    CHECK(text && !strstr(text, "sl_x_state"));
    free(text);
    sl_batch_free(b);
    fixture_free(&f);
}

typedef struct split_tally {
    size_t max_len;
    size_t parent_tuples, delete_tuples, child_tuples, stmts;
} split_tally;

static sl_status tally(void *ctx, const sl_sql_stmt *s, sl_error *err)
{
    split_tally *t = ctx;
    t->stmts++;
    if (s->len > t->max_len)
        t->max_len = s->len;
    if (strncmp(s->sql, "REPLACE INTO `t_order_x`", 24) == 0)
        t->parent_tuples += s->n_tuples;
    else if (strncmp(s->sql, "DELETE FROM `t_line_x`", 22) == 0)
        t->delete_tuples += s->n_tuples;
    else if (strncmp(s->sql, "REPLACE INTO `t_line_x`", 23) == 0)
        t->child_tuples += s->n_tuples;
    /* every statement stays well-formed: head, tuples, tail */
    if (s->sql[s->head_len - 1] != '\n' || s->head_len + s->tail_len > s->len)
        return sl_error_set(err, SL_ERR_INTERNAL, "malformed statement");
    return SL_OK;
}

static void test_split(void)
{
    fixture f;
    fixture_init(&f, "_x", "");
    sl_batch *b = sample_batch(&f.plan);
    split_tally t = {0};
    sl_error err = {0};
    CHECK(sl_sql_batch(&f.plan, b, "orders", NULL, 200, 0, tally, &t, &err) == SL_OK);
    CHECK(t.max_len <= 200);
    CHECK(t.parent_tuples == 7);
    CHECK(t.delete_tuples == 7);
    CHECK(t.child_tuples == 4);
    CHECK(t.stmts > 4); /* it did split */

    split_tally t2 = {0};
    CHECK(sl_sql_batch(&f.plan, b, "orders", NULL, 100, 0, tally, &t2, &err) == SL_ERR_SINK);
    CHECK(strstr(err.msg, "more than the 100 a statement may have") != NULL);
    sl_batch_free(b);
    fixture_free(&f);
}

static void test_load_data(void)
{
    fixture f;
    fixture_init(&f, "_x", "");
    sl_sqlbuf b;
    sl_sqlbuf_init(&b, 1000);
    CHECK(sl_sql_load_data(&b, &f.child) == 0);
    CHECK_STR(b.data, "LOAD DATA LOCAL INFILE 'sluice-rows' REPLACE INTO TABLE `t_line_x` CHARACTER"
                      " SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES"
                      " TERMINATED BY '\\n' (`line_id`,`id`,`sku`)");

    static const char tricky[] = "a\tb\nc\rd\\e\0f\\N 名🙂";
    sl_batch *batch = sl_batch_new(&f.plan);
    sl_rowset *p = sl_batch_parent(batch);
    size_t row = sl_rowset_add_row(p);
    sl_rowset_set(p, row, 0, "7", 1);
    sl_rowset_set(p, row, 1, "", 0);
    sl_rowset_set(p, row, 4, tricky, sizeof tricky - 1); /* amount, modified stay NULL */
    b.len = 0;
    CHECK(sl_sql_tsv_row(&b, p, row) == 0);
    static const char want[] = "7\t\t\\N\t\\N\ta\\tb\\nc\\rd\\\\e\\0f\\\\N 名🙂\n";
    CHECK(b.len == sizeof want - 1 && memcmp(b.data, want, b.len) == 0);

    sl_sqlbuf small;
    sl_sqlbuf_init(&small, sizeof want + 5); /* room for one line, not two */
    CHECK(sl_sql_tsv_row(&small, p, row) == 0);
    CHECK(sl_sql_tsv_row(&small, p, row) == -1);
    CHECK(small.len == sizeof want - 1 && memcmp(small.data, want, small.len) == 0);
    sl_sqlbuf_free(&small);
    sl_sqlbuf_free(&b);
    sl_batch_free(batch);
    fixture_free(&f);
}

int main(void)
{
    test_idents();
    test_comment_text();
    test_escape();
    test_types();
    test_ddl();
    test_print_write();
    test_split();
    test_load_data();
    return check_done();
}

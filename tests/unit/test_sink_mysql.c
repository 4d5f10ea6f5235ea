/* test_sink_mysql.c: the MySQL sink against a real server named by SLUICE_TEST_DB (a mysql://
 * URL; prints "skipped" without it): migrate, a batch with children, a re-write with a changed
 * child set, rejects, watermark, escaping round trip, upsert, run records, verify counts,
 * add/rename-column migrations keeping data, the run lock between two sinks, and a connection
 * killed mid-run (KILL CONNECTION from a second connection) and a deadlock, both recovered
 * by rollback and replay;
 * all of it three times: rows as multi-row statements, by bulk binding, and by LOAD DATA LOCAL
 * INFILE fed from memory (where upsert is refused and warnings fail the batch).
 * Tables carry a per-run suffix, so runs never collide. Always runs: the retry budget against
 * a closed port. */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mysql.h>

#include "check.h"
#include "dsn.h"
#include "sink.h"
#include "sink_fixture.h"

static MYSQL *chk; /* the checker's own connection */
static char sfx[48], job[80];
static fixture fx;

static void chk_connect(const char *url)
{
    sl_dsn d;
    sl_error err = {0};
    if (sl_dsn_parse(url, &d, &err) != SL_OK) {
        fprintf(stderr, "SLUICE_TEST_DB: %s\n", err.msg);
        exit(1);
    }
    chk = mysql_init(NULL);
    if (!mysql_real_connect(chk, d.socket ? "localhost" : d.host, d.user, d.password, d.database,
                            d.port, d.socket, 0)) {
        fprintf(stderr, "checker connect: %s\n", mysql_error(chk));
        exit(1);
    }
    mysql_set_character_set(chk, "utf8mb4");
    sl_dsn_clear(&d);
}

/* First column of the first row of sql as text ("" for none, "NULL" for NULL); static. */
static const char *q(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *q(const char *fmt, ...)
{
    static char out[4096];
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    out[0] = '\0';
    if (mysql_query(chk, sql) != 0) {
        snprintf(out, sizeof out, "ERROR %s", mysql_error(chk));
        return out;
    }
    MYSQL_RES *res = mysql_store_result(chk);
    if (!res)
        return out;
    MYSQL_ROW row = mysql_fetch_row(res);
    if (row)
        snprintf(out, sizeof out, "%s", row[0] ? row[0] : "NULL");
    mysql_free_result(res);
    return out;
}

/* Runs fn's migrate into a string (caller frees). */
static char *migrate_text(sl_sink *s, bool dry, sl_status *st)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    sl_error err = {0};
    *st = sl_sink_migrate(s, dry, f, &err);
    fclose(f);
    if (*st != SL_OK)
        fprintf(stderr, "migrate: %s\n", err.msg);
    return text;
}

static void test_migrate(sl_sink *a)
{
    sl_status st;
    char *out = migrate_text(a, false, &st);
    CHECK(st == SL_OK);
    CHECK(strstr(out, "-- migrate: create table `t_order") != NULL);
    CHECK(strstr(out, "-- migrate: create reject table `sl") != NULL);
    free(out);
    CHECK_STR(q("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA=DATABASE()"
                " AND TABLE_NAME IN ('t_order%s','t_line%s','sl%s_state','sl%s_runs','sl%s_rejects')",
                sfx, sfx, sfx, sfx, sfx),
              "5");
    CHECK_STR(q("SELECT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA=DATABASE()"
                " AND TABLE_NAME='t_line%s' AND COLUMN_NAME='id'", sfx),
              "sluice_parent");
    out = migrate_text(a, false, &st);
    CHECK(st == SL_OK && !strstr(out, "create") && strstr(out, "is up to date"));
    free(out);
}

static void test_lock(sl_sink *a, sl_sink *b)
{
    sl_error err = {0};
    CHECK(sl_sink_lock(a, job, &err) == SL_OK);
    CHECK(sl_sink_lock(b, job, &err) == SL_ERR_LOCKED);
    char want[200];
    snprintf(want, sizeof want, "another run of job '%s' is in progress (lock held by connection %s)",
             job, q("SELECT IS_USED_LOCK(CONCAT('sluice.', DATABASE(), '.%s'))", job));
    CHECK_STR(err.msg, want);
}

static sl_batch *first_batch(void)
{
    static const char *const l1[] = {"101"}, *const l2[] = {"201", "202"}, *const l3[] = {"301"},
                             *const l3b[] = {"302"};
    sl_batch *b = sl_batch_new(&fx.plan);
    add_order(b, "1", "Ann", "1.50", "2024-01-01 08:00:00", NULL, l1, 1);
    add_order(b, "2", "O'Brien", NULL, "2024-01-01 09:00:00", "a\\b", l2, 2);
    add_order(b, "3", "old", "3.00", "2024-01-01 10:00:00", NULL, l3, 1);
    add_order(b, "3", "new", "3.30", "2024-01-02 10:00:00", NULL, l3b, 1);
    add_reject(b, "8", "modified", "required value missing", "{\"id\":8,\"x\":\"it's\"}");
    return b;
}

static void test_write(sl_sink *a)
{
    sl_error err = {0};
    sl_batch *b = first_batch();
    int64_t wm = 1704067200;
    CHECK(sl_sink_write(a, b, job, &wm, &err) == SL_OK);
    CHECK_STR(q("SELECT GROUP_CONCAT(id,':',name,':',IFNULL(amount,'-') ORDER BY id) FROM t_order%s",
                sfx),
              "1:Ann:1.50,2:O'Brien:-,3:new:3.30");
    CHECK_STR(q("SELECT note FROM t_order%s WHERE id=2", sfx), "a\\b");
    CHECK_STR(q("SELECT GROUP_CONCAT(line_id,'/',id ORDER BY line_id) FROM t_line%s", sfx),
              "101/1,201/2,202/2,302/3");
    CHECK_STR(q("SELECT CONCAT(record_key,'|',column_name,'|',reason,'|',raw) FROM sl%s_rejects"
                " WHERE job='%s'", sfx, job),
              "8|modified|required value missing|{\"id\":8,\"x\":\"it's\"}");
    CHECK_STR(q("SELECT CONCAT(watermark,' ',watermark_text) FROM sl%s_state WHERE job='%s'", sfx,
                job),
              "1704067200 2024-01-01 08:00:00");
    int64_t got = 0;
    bool found = false;
    CHECK(sl_sink_state_get(a, job, &got, &found, &err) == SL_OK && found && got == wm);
    sl_batch_free(b);

    /* Order 2 loses line 202, order 1 loses all its lines: both disappear; 302 stays. */
    static const char *const l2[] = {"201"};
    b = sl_batch_new(&fx.plan);
    add_order(b, "1", "Ann", "1.50", "2024-01-01 08:00:00", NULL, NULL, 0);
    add_order(b, "2", "O'Brien", "2.00", "2024-01-01 09:00:00", NULL, l2, 1);
    wm += 3600;
    CHECK(sl_sink_write(a, b, job, &wm, &err) == SL_OK);
    CHECK_STR(q("SELECT GROUP_CONCAT(line_id ORDER BY line_id) FROM t_line%s", sfx), "201,302");
    CHECK_STR(q("SELECT amount FROM t_order%s WHERE id=2", sfx), "2.00");
    CHECK_STR(q("SELECT watermark FROM sl%s_state WHERE job='%s'", sfx, job), "1704070800");
    sl_batch_free(b);
}

/* Every byte MySQL or LOAD DATA escapes, text that looks like an escape or a NULL, and
 * multibyte text come back unchanged; NULL stays NULL and the empty string empty. */
static void test_roundtrip(sl_sink *a)
{
    static const char v[] = "q'd\"b\\n\nr\rz\0x\032\tt\\N\\\t名字 🙂\\";
    sl_batch *b = sl_batch_new(&fx.plan);
    sl_rowset *p = sl_batch_parent(b);
    size_t row = sl_rowset_add_row(p);
    sl_rowset_set(p, row, 0, "9", 1);
    sl_rowset_set(p, row, 4, v, sizeof v - 1);
    sl_batch_commit_record(b, row);
    sl_error err = {0};
    CHECK(sl_sink_write(a, b, job, NULL, &err) == SL_OK);
    char hex[256];
    for (size_t i = 0; i < sizeof v - 1; i++)
        snprintf(hex + 2 * i, 3, "%02X", (unsigned char)v[i]);
    CHECK_STR(q("SELECT HEX(note) FROM t_order%s WHERE id=9", sfx), hex);
    sl_batch_free(b);

    static const char *const notes[] = {"", NULL, "\\N", "NULL", "\\", "a\t", "\n"};
    b = sl_batch_new(&fx.plan);
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
        char id[8];
        snprintf(id, sizeof id, "%zu", 11 + i);
        add_order(b, id, "", NULL, NULL, notes[i], NULL, 0);
    }
    CHECK(sl_sink_write(a, b, job, NULL, &err) == SL_OK);
    CHECK_STR(q("SELECT GROUP_CONCAT(id,':',IFNULL(HEX(note),'null'),':',IFNULL(HEX(name),'null')"
                " ORDER BY id) FROM t_order%s WHERE id BETWEEN 11 AND 17", sfx),
              "11::,12:null:,13:5C4E:,14:4E554C4C:,15:5C:,16:6109:,17:0A:");
    CHECK_STR(q("SELECT COUNT(*) FROM t_order%s WHERE id BETWEEN 11 AND 17 AND amount IS NULL",
                sfx), "7");
    sl_batch_free(b);

    fx.plan.target.write = SL_WRITE_UPSERT;
    b = sl_batch_new(&fx.plan);
    add_order(b, "9", "Ivy", NULL, NULL, "plain", NULL, 0);
    if (fx.plan.target.load == SL_LOAD_DATA) { /* compile.c rejects it; the sink too */
        CHECK(sl_sink_write(a, b, job, NULL, &err) == SL_ERR_CONFIG);
        CHECK_STR(q("SELECT HEX(note) FROM t_order%s WHERE id=9", sfx), hex);
    } else {
        CHECK(sl_sink_write(a, b, job, NULL, &err) == SL_OK);
        CHECK_STR(q("SELECT CONCAT(name,'/',note) FROM t_order%s WHERE id=9", sfx), "Ivy/plain");
    }
    fx.plan.target.write = SL_WRITE_REPLACE;
    sl_batch_free(b);
}

/* A batch with one row the table cannot take exactly: nothing of it may be written. */
static sl_status write_bad(const char *name, const char *amount, sl_error *err, sl_sink *a)
{
    static const char *const l[] = {"2001"};
    sl_batch *b = sl_batch_new(&fx.plan);
    add_order(b, "20", "fine", "1.00", NULL, NULL, l, 1);
    add_order(b, "21", name, amount, NULL, NULL, NULL, 0);
    sl_status st = sl_sink_write(a, b, job, NULL, err);
    sl_batch_free(b);
    return st;
}

/* A value the column cannot hold fails the whole batch in every mode (strict mode). LOAD DATA
 * fails on any warning or note too: a decimal the column rounds (a note elsewhere, and what
 * MySQL's LOAD DATA LOCAL reports instead of strict-mode errors). */
static void test_bad_value(sl_sink *a)
{
    sl_error err = {0};
    CHECK(write_bad("a name far longer than thirty-two characters", "1.00", &err, a) == SL_ERR_SINK);
    CHECK(strstr(err.msg, "Data too long for column 'name'") != NULL);
    CHECK_STR(q("SELECT COUNT(*) FROM t_order%s WHERE id IN (20,21)", sfx), "0");
    CHECK_STR(q("SELECT COUNT(*) FROM t_line%s WHERE line_id=2001", sfx), "0");
    if (fx.plan.target.load != SL_LOAD_DATA)
        return;
    err = (sl_error){0};
    CHECK(write_bad("Joe", "1.005", &err, a) == SL_ERR_SINK);
    CHECK(strstr(err.msg, "LOAD DATA into t_order") && strstr(err.msg, "1 warning(s), treated as"
          " errors: Note 1265: Data truncated for column 'amount' at row 2"));
    CHECK_STR(q("SELECT COUNT(*) FROM t_order%s WHERE id IN (20,21)", sfx), "0");
    CHECK_STR(q("SELECT COUNT(*) FROM t_line%s WHERE line_id=2001", sfx), "0");
}

static void test_state_runs_verify(sl_sink *a)
{
    sl_error err = {0};
    int64_t wm = 0, count = -1;
    bool found = true;
    CHECK(sl_sink_state_set(a, job, 100, &err) == SL_OK);
    CHECK(sl_sink_state_get(a, job, &wm, &found, &err) == SL_OK && found && wm == 100);
    CHECK(sl_sink_state_reset(a, job, &err) == SL_OK);
    CHECK(sl_sink_state_get(a, job, &wm, &found, &err) == SL_OK && !found);

    int64_t from = 5;
    sl_run_stats stats = {.windows = 2, .pages = 3, .rows_written = 4, .rejects = 1};
    CHECK(sl_sink_run_begin(a, job, &from, &err) == SL_OK);
    CHECK_STR(q("SELECT status FROM sl%s_runs WHERE job='%s'", sfx, job), "running");
    CHECK(sl_sink_run_end(a, SL_ERR_SOURCE, "api said no", &stats, NULL, &err) == SL_OK);
    CHECK_STR(q("SELECT CONCAT(status,'|',message,'|',windows,pages,rows_written,rejects,'|',"
                "watermark_from,'|',ended_at IS NOT NULL) FROM sl%s_runs WHERE job='%s'", sfx, job),
              "source|api said no|2341|5|1");

    CHECK(sl_sink_count_keys(a, &fx.plan.table, 3, "2024-01-01 00:00:00", "2024-01-01 23:59:59",
                             &count, &err) == SL_OK);
    CHECK(count == 2); /* orders 1 and 2; 3 moved to the 2nd, 9 has no time */
}

typedef struct writer_arg {
    sl_sink *sink;
    sl_batch *batch;
    sl_status st;
    sl_error err;
} writer_arg;

static void *writer(void *p)
{
    writer_arg *w = p;
    w->st = sl_sink_write(w->sink, w->batch, job, NULL, &w->err);
    return NULL;
}

/* A deadlock with the sink as InnoDB's victim: the checker holds order 2 and many undo rows,
 * the sink's batch locks order 1 then waits for 2, the checker then asks for 1. The sink must
 * roll back and replay, and succeed once the checker lets go. */
static void test_deadlock(sl_sink *a, const char *url)
{
    MYSQL *saved = chk, *probe;
    chk_connect(url);
    probe = chk;
    chk = saved;
    q("CREATE TABLE IF NOT EXISTS t_scratch%s (n INT PRIMARY KEY)", sfx);
    q("INSERT INTO t_scratch%s VALUES (0)", sfx); /* not empty: row-by-row undo follows */
    q("START TRANSACTION");
    CHECK_STR(q("INSERT INTO t_scratch%s WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1"
                " FROM s WHERE n < 900) SELECT n FROM s", sfx),
              ""); /* max_recursive_iterations is 1000 by default */
    CHECK_STR(q("SELECT id FROM t_order%s WHERE id=2 FOR UPDATE", sfx), "2");
    writer_arg w = {.sink = a, .batch = sl_batch_new(&fx.plan)};
    add_order(w.batch, "1", "Ann-d", "1.50", "2024-01-01 08:00:00", NULL, NULL, 0);
    add_order(w.batch, "2", "Bob-d", "2.00", "2024-01-01 09:00:00", NULL, NULL, 0);
    int64_t retries = sl_sink_db_retries(a);
    pthread_t th;
    pthread_create(&th, NULL, writer, &w);
    /* Wait until the sink holds order 1 (a NOWAIT share lock from a third connection fails). */
    MYSQL *c = chk;
    chk = probe;
    time_t deadline = time(NULL) + 30;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT id FROM t_order%s WHERE id=1 LOCK IN SHARE MODE NOWAIT", sfx);
    while (strncmp(q("%s", sql), "ERROR", 5) != 0 && time(NULL) < deadline)
        usleep(5000);
    chk = c;
    const char *got = q("SELECT id FROM t_order%s WHERE id=1 FOR UPDATE", sfx); /* deadlock */
    CHECK_STR(got, "1"); /* the checker survived: the sink was the victim */
    q("ROLLBACK");
    pthread_join(th, NULL);
    CHECK(w.st == SL_OK);
    CHECK(sl_sink_db_retries(a) == retries + 1);
    CHECK_STR(q("SELECT GROUP_CONCAT(name ORDER BY id) FROM t_order%s WHERE id IN (1,2)", sfx),
              "Ann-d,Bob-d");
    q("DROP TABLE IF EXISTS t_scratch%s", sfx);
    sl_batch_free(w.batch);
    mysql_close(probe);
}

/* Kills the lock holder's connection from outside; the next write reconnects, re-takes the
 * lock and replays. Then, with the lock stolen while disconnected, the write fails LOCKED. */
static void test_kill(sl_sink *a, sl_sink *b)
{
    sl_error err = {0};
    char before[32];
    snprintf(before, sizeof before, "%s", q("SELECT IS_USED_LOCK(CONCAT('sluice.', DATABASE(), '.%s'))", job));
    CHECK(strcmp(before, "NULL") != 0);
    q("KILL CONNECTION %s", before);
    sl_batch *batch = sl_batch_new(&fx.plan);
    static const char *const l[] = {"1001", "1002"};
    add_order(batch, "10", "Kim", "10.00", "2024-01-03 00:00:00", NULL, l, 2);
    int64_t wm = 1704240000, retries = sl_sink_db_retries(a);
    CHECK(sl_sink_write(a, batch, job, &wm, &err) == SL_OK);
    CHECK(sl_sink_db_retries(a) == retries + 1);
    CHECK_STR(q("SELECT COUNT(*) FROM t_line%s WHERE id=10", sfx), "2");
    CHECK_STR(q("SELECT watermark FROM sl%s_state WHERE job='%s'", sfx, job), "1704240000");
    const char *after = q("SELECT IS_USED_LOCK(CONCAT('sluice.', DATABASE(), '.%s'))", job);
    CHECK(strcmp(after, "NULL") != 0 && strcmp(after, before) != 0);

    snprintf(before, sizeof before, "%s", after);
    q("KILL CONNECTION %s", before);
    time_t deadline = time(NULL) + 30;
    while (strcmp(q("SELECT IFNULL(IS_USED_LOCK(CONCAT('sluice.', DATABASE(), '.%s')),'free')", job), "free") != 0 &&
           time(NULL) < deadline)
        usleep(10000);
    CHECK(sl_sink_lock(b, job, &err) == SL_OK);
    CHECK(sl_sink_write(a, batch, job, &wm, &err) == SL_ERR_LOCKED);
    CHECK(strstr(err.msg, "another run of job") != NULL);
    sl_batch_free(batch);
}

/* The job gains a column and renames one: data kept; a changed type is only warned about. */
static void test_schema_change(void)
{
    fixture f2;
    fixture_init(&f2, sfx, fx.plan.target.dsn);
    sl_column cols[6];
    memcpy(cols, f2.pcols, sizeof f2.pcols);
    cols[1].name = (char *)"customer";
    cols[1].rename_from = (char *)"name";
    fixture_col(&cols[5], "channel", "varchar(8)");
    sl_conv *old_amount = cols[2].conv;
    cols[2].conv = fixture_conv("decimal(12,2)");
    f2.plan.table.cols = cols;
    f2.plan.table.n_cols = 6;
    sl_error err = {0};
    sl_sink *s = sl_sink_mysql_open(&f2.plan, &err);
    CHECK(s != NULL);
    if (!s)
        return;
    sl_status st;
    char *out = migrate_text(s, true, &st);
    CHECK(st == SL_OK);
    CHECK(strstr(out, "-- migrate: rename column `name` to `customer` in `t_order") != NULL);
    CHECK(strstr(out, "CHANGE COLUMN `name` `customer` VARCHAR(32) COMMENT") != NULL);
    CHECK(strstr(out, "ADD COLUMN `channel` VARCHAR(8) AFTER `note`;") != NULL);
    CHECK(strstr(out, "is decimal(10,2) in the database but DECIMAL(12,2) in the job") != NULL);
    free(out);
    CHECK_STR(q("SELECT name FROM t_order%s WHERE id=3", sfx), "new"); /* dry: unchanged */
    out = migrate_text(s, false, &st);
    CHECK(st == SL_OK);
    free(out);
    CHECK_STR(q("SELECT CONCAT(customer,'/',IFNULL(channel,'-')) FROM t_order%s WHERE id=3", sfx),
              "new/-");
    CHECK_STR(q("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=DATABASE()"
                " AND TABLE_NAME='t_order%s' AND COLUMN_NAME='amount'", sfx),
              "decimal(10,2)");
    out = migrate_text(s, false, &st); /* renamed already: nothing left to do but the warning */
    CHECK(st == SL_OK && !strstr(out, "rename") && !strstr(out, "ADD COLUMN"));
    free(out);
    /* A column the job no longer declares is kept, with a warning. */
    sl_sink_free(s);
    f2.plan.table.n_cols = 5;
    s = sl_sink_mysql_open(&f2.plan, &err);
    CHECK(s != NULL);
    if (!s)
        return;
    out = migrate_text(s, true, &st);
    CHECK(st == SL_OK && strstr(out, "warning: column `t_order") &&
          strstr(out, "`.`channel` is not in the job; kept"));
    free(out);
    sl_sink_free(s);
    sl_conv_free(cols[2].conv);
    sl_conv_free(cols[5].conv);
    f2.pcols[2].conv = old_amount;
    fixture_free(&f2);
}

/* Nothing listens on port 1: the sink gives up after its budget, without the password. */
static void test_budget(void)
{
    fixture f;
    fixture_init(&f, "_b", "mysql://u:SeCrEt@127.0.0.1:1/db");
    f.plan.target.db_retry_budget_ms = 300;
    sl_error err = {0};
    sl_sink *s = sl_sink_mysql_open(&f.plan, &err);
    CHECK(s == NULL);
    CHECK(err.code == SL_ERR_SINK);
    CHECK(strstr(err.msg, "gave up after the database retry budget (300 ms)") != NULL);
    CHECK(strstr(err.msg, "u@127.0.0.1:1/db") != NULL);
    CHECK(strstr(err.msg, "SeCrEt") == NULL);
    fixture_free(&f);
}

static void drop_tables(void)
{
    const char *names[] = {"t_order", "t_line", "sl%s_state", "sl%s_runs", "sl%s_rejects"};
    for (size_t i = 0; i < 5; i++) {
        char t[128];
        if (i < 2)
            snprintf(t, sizeof t, "%s%s", names[i], sfx);
        else
            snprintf(t, sizeof t, names[i], sfx);
        q("DROP TABLE IF EXISTS `%s`", t); /* may lack the privilege: then they stay */
    }
}

/* The whole sequence, with rows sent the `load` way. */
static void run_all(const char *url, sl_load_mode load)
{
    snprintf(sfx, sizeof sfx, "_%ld_%ld%c", (long)getpid(), (long)time(NULL) % 100000,
             "bdm"[load]);
    snprintf(job, sizeof job, "orders%s", sfx);
    fixture_init(&fx, sfx, url);
    fx.plan.target.load = load;
    sl_error err = {0};
    sl_sink *a = sl_sink_mysql_open(&fx.plan, &err);
    sl_sink *b = a ? sl_sink_mysql_open(&fx.plan, &err) : NULL;
    CHECK(a && b);
    if (!a || !b) {
        fprintf(stderr, "open: %s\n", err.msg);
        exit(check_done());
    }
    test_migrate(a);
    test_lock(a, b);
    test_write(a);
    test_roundtrip(a);
    test_bad_value(a);
    test_state_runs_verify(a);
    test_deadlock(a, url);
    test_kill(a, b);
    sl_sink_free(a);
    sl_sink_free(b);
    test_schema_change();
    drop_tables();
    fixture_free(&fx);
}

int main(void)
{
    test_budget();
    const char *url = getenv("SLUICE_TEST_DB");
    if (!url || !url[0]) {
        printf("skipped: SLUICE_TEST_DB is not set\n");
        return check_done();
    }
    chk_connect(url);
    run_all(url, SL_LOAD_STATEMENTS);
    run_all(url, SL_LOAD_BULK);
    run_all(url, SL_LOAD_DATA);
    mysql_close(chk);
    return check_done();
}

/* sink_bench.c: how fast the MySQL sink writes, per write path. Compiles a job (default
 * mappings/wdt_refund.yml, secrets not read), fills batches of batch_rows synthetic parent rows
 * (values shaped by each column's SQL type) with CHILDREN child rows each, and writes N parent
 * rows through sl_sink_write into fresh tables, once per combination of target.load (multi-row
 * statements / bulk array binding / LOAD DATA LOCAL INFILE) and write mode (replace / upsert;
 * load_data only replaces), then once more over the rows already there. Prints rows/s (parent +
 * child rows, the sink's time only) and, with SINK_BENCH_DB_PID set to the server's PID (same
 * machine), the CPU seconds the server spent. Not a test.
 *
 *   sink_bench URL [N=200000] [JOB.yml] [LOAD]    URL: mysql://user:pass@host:port/db
 *                                                 LOAD: only this target.load (bulk, ...)
 *
 * Figures: docs/performance.md, "The LOAD DATA write path".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "compile.h"
#include "convert.h"
#include "diag.h"
#include "sink.h"

#define CHILDREN 2

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A plausible value for a column of SQL type `type`, varied by n. */
static int fake(const char *type, long n, char *out, size_t outlen)
{
    if (strncmp(type, "BIGINT", 6) == 0)
        return snprintf(out, outlen, "%ld", 1000000000L + n);
    if (strncmp(type, "INT", 3) == 0)
        return snprintf(out, outlen, "%ld", n % 97);
    if (strncmp(type, "TINYINT", 7) == 0)
        return snprintf(out, outlen, "%ld", n % 2);
    if (strncmp(type, "DECIMAL", 7) == 0)
        return snprintf(out, outlen, "%ld.%04ld", n % 10000, n % 9999);
    if (strncmp(type, "DATETIME", 8) == 0)
        return snprintf(out, outlen, "2024-%02ld-%02ld %02ld:%02ld:%02ld", 1 + n % 12, 1 + n % 28,
                        n % 24, n % 60, (n * 7) % 60);
    return snprintf(out, outlen, "v%ld-some-text-%ld", n, n * 31 % 1000); /* strings */
}

static const char *col_type(const sl_plan *p, const sl_column *c)
{
    return sl_conv_sql_type(c->conv ? c->conv : p->table.cols[c->from_parent].conv);
}

/* Fills b with parents [first, first + n) and CHILDREN rows each per child table. */
static void fill(const sl_plan *p, sl_batch *b, long first, long n, long salt)
{
    char v[128];
    sl_batch_clear(b);
    sl_rowset *pr = sl_batch_parent(b);
    for (long i = first; i < first + n; i++) {
        size_t row = sl_rowset_add_row(pr);
        for (size_t c = 0; c < p->table.n_cols; c++) {
            int len = fake(col_type(p, &p->table.cols[c]), c == p->table.key[0] ? i : i + salt, v,
                           sizeof v);
            sl_rowset_set(pr, row, c, v, (size_t)len);
        }
        for (size_t k = 0; k < p->n_children; k++) {
            const sl_table *t = &p->children[k];
            sl_rowset *cr = sl_batch_child(b, k);
            for (long j = 0; j < CHILDREN; j++) {
                size_t r = sl_rowset_add_row(cr);
                cr->parent[r] = (uint32_t)row;
                for (size_t c = 0; c < t->n_cols; c++) {
                    const sl_column *col = &t->cols[c];
                    int32_t len;
                    const char *s;
                    if (col->from_parent >= 0) {
                        s = sl_rowset_get(pr, row, (size_t)col->from_parent, &len);
                        if (len >= 0)
                            sl_rowset_set(cr, r, c, s, (size_t)len);
                        continue;
                    }
                    long x = c == t->key[0] ? i * CHILDREN + j : i + j + salt;
                    len = fake(col_type(p, col), x, v, sizeof v);
                    sl_rowset_set(cr, r, c, v, (size_t)len);
                }
            }
        }
        sl_batch_commit_record(b, row);
    }
}

/* CPU seconds the process SINK_BENCH_DB_PID has used (utime + stime), or -1 without it. */
static double db_cpu_s(void)
{
    const char *pid = getenv("SINK_BENCH_DB_PID");
    char path[64], buf[1024];
    if (!pid)
        return -1;
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* fields 3.. follow the command name */
    for (int field = 2; p && field < 14; field++)
        p = strchr(p + 1, ' ');
    if (!p)
        return -1;
    char *end;
    double ticks = (double)strtoull(p + 1, &end, 10);
    ticks += (double)strtoull(end, NULL, 10);
    return ticks / (double)sysconf(_SC_CLK_TCK);
}

/* Writes n parent rows in batches; returns rows/s (parent + child) or -1, and in *db the
 * server's CPU seconds meanwhile (-1 when unknown). */
static double run(sl_sink *s, const sl_plan *p, long n, long salt, double *db)
{
    double c0 = db_cpu_s();
    sl_batch *b = sl_batch_new(p);
    long per = p->target.batch_rows > 0 ? (long)p->target.batch_rows : 1000;
    double gen = 0, t0 = now_s();
    for (long first = 0; first < n; first += per) {
        long k = first + per <= n ? per : n - first;
        double g0 = now_s();
        fill(p, b, first, k, salt);
        gen += now_s() - g0;
        sl_error err = {0};
        int64_t wm = first;
        if (sl_sink_write(s, b, p->name, &wm, &err) != SL_OK) {
            fprintf(stderr, "sink_bench: %s\n", err.msg);
            sl_batch_free(b);
            return -1;
        }
    }
    double secs = now_s() - t0 - gen; /* the sink's time only */
    *db = c0 < 0 ? -1 : db_cpu_s() - c0;
    sl_batch_free(b);
    return (double)n * (1 + CHILDREN * (double)p->n_children) / secs;
}

/* Renames the job's tables with a suffix so each case starts empty. */
static void suffix_tables(sl_plan *p, char names[][80], char **orig, const char *sfx)
{
    snprintf(names[0], 80, "%.50s_%.12s", orig[0], sfx);
    p->table.name = names[0];
    for (size_t i = 0; i < p->n_children; i++) {
        snprintf(names[1 + i], 80, "%.50s_%.12s", orig[1 + i], sfx);
        p->children[i].name = names[1 + i];
    }
}

static const char *const load_names[] = {"bulk", "load_data", "statements"};
static const sl_load_mode loads[] = {SL_LOAD_STATEMENTS, SL_LOAD_BULK, SL_LOAD_DATA};

/* Writes n rows into fresh copies of p's tables (renamed through names/orig) twice, by load
 * and replace or upsert, and prints the rates; 0 when both passes ran. */
static int measure(sl_plan *p, char names[16][80], char *orig[16], sl_load_mode load, int upsert,
                   long n)
{
    char sfx[32];
    snprintf(sfx, sizeof sfx, "b%ld_%d%d", (long)time(NULL) % 100000, (int)load, upsert);
    suffix_tables(p, names, orig, sfx);
    p->target.write = upsert ? SL_WRITE_UPSERT : SL_WRITE_REPLACE;
    p->target.load = load;
    sl_error err = {0};
    sl_sink *s = sl_sink_mysql_open(p, &err);
    if (!s || sl_sink_migrate(s, false, NULL, &err) != SL_OK) {
        fprintf(stderr, "sink_bench: %s\n", err.msg);
        sl_sink_free(s);
        return 1;
    }
    double db1 = -1, db2 = -1, first = run(s, p, n, 0, &db1);
    double again = first < 0 ? -1 : run(s, p, n, 7, &db2);
    printf("%-10s %-8s %13.0f %9.1f %13.0f %9.1f\n", load_names[load],
           upsert ? "upsert" : "replace", first, db1, again, db2);
    fflush(stdout);
    sl_sink_free(s);
    return first < 0 || again < 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: sink_bench URL [N=200000] [JOB.yml] [LOAD]\n");
        return 2;
    }
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 200000;
    const char *job = argc > 3 ? argv[3] : "mappings/wdt_refund.yml";
    const char *only = argc > 4 ? argv[4] : NULL;
    sl_diag *diag = sl_diag_new(job);
    sl_compile_options opts = {.resolve_secrets = false};
    sl_plan *p = sl_compile_file_opts(job, &opts, diag);
    if (!p) {
        sl_diag_print(diag, stderr);
        return 3;
    }
    char *dsn = p->target.dsn, *orig[16], names[16][80];
    p->target.dsn = argv[1];
    orig[0] = p->table.name;
    for (size_t i = 0; i < p->n_children && i < 15; i++)
        orig[1 + i] = p->children[i].name;
    printf("%ld parent rows (+%d child rows each per child table), batches of %lld\n", n, CHILDREN,
           (long long)p->target.batch_rows);
    printf("%-10s %-8s %13s %9s %13s %9s\n", "load", "write", "empty rows/s", "db CPU s",
           "again rows/s", "db CPU s");
    int rc = 0;
    for (int li = 0; li < 3 && rc == 0; li++) {
        for (int upsert = 0; upsert < 2 && rc == 0; upsert++) {
            if ((loads[li] == SL_LOAD_DATA && upsert) || /* LOAD DATA only replaces */
                (only && strcmp(only, load_names[loads[li]]) != 0))
                continue;
            rc = measure(p, names, orig, loads[li], upsert, n);
        }
    }
    p->table.name = orig[0];
    for (size_t i = 0; i < p->n_children && i < 15; i++)
        p->children[i].name = orig[1 + i];
    p->target.dsn = dsn;
    sl_plan_free(p);
    sl_diag_free(diag);
    return rc;
}

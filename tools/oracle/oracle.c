/* oracle.c: sluice-oracle, the end-to-end tests' judge. It compares the target tables with the
 * mock's ground truth under its own rules file, independent of the engine's code, and exits
 * 0 (identical), 1 (differences) or 2 (usage, truth or connection error). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "rowset.h"
#include "rules.h"
#include "truth.h"

#define EXIT_DIFF 1
#define EXIT_USAGE 2

typedef struct options {
    const char *truth, *db, *rules, *from, *to;
    long max_print;
    int load, ddl;
} options;

static const char usage_text[] =
    "usage: sluice-oracle --truth URL --db mysql://USER:PASS@HOST:PORT/DB [options]\n"
    "       sluice-oracle --ddl [--rules FILE]\n"
    "Compares the target tables with the mock's ground truth (GET URL/_truth, or file:PATH).\n"
    "  --rules FILE     column rules (default $SLUICE_SRC/tools/oracle/wdt_refund.rules,\n"
    "                   else tools/oracle/wdt_refund.rules)\n"
    "  --from, --to \"YYYY-MM-DD HH:MM:SS\"\n"
    "                   only truth records whose window column lies in [from, to]; table rows\n"
    "                   of truth records outside it are ignored, rows of no record are extra\n"
    "  --max-print N    print at most N example differences (default 20)\n"
    "  --load           insert the expected rows into the (existing) tables instead (tests)\n"
    "  --ddl            print CREATE TABLE statements for the rules' tables\n"
    "Exit: 0 no difference, 1 differences, 2 usage, truth or connection error.\n";

static int usage(const char *msg)
{
    if (msg)
        fprintf(stderr, "sluice-oracle: error: %s\n", msg);
    fputs(usage_text, stderr);
    return EXIT_USAGE;
}

static int parse_args(int argc, char **argv, options *o)
{
    static char rules_path[4096];
    const char *src = getenv("SLUICE_SRC");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], **slot = NULL;
        if (strcmp(a, "--load") == 0)
            o->load = 1;
        else if (strcmp(a, "--ddl") == 0)
            o->ddl = 1;
        else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return -1;
        else if (i + 1 >= argc)
            return -1;
        else if (strcmp(a, "--truth") == 0)
            slot = &o->truth;
        else if (strcmp(a, "--db") == 0)
            slot = &o->db;
        else if (strcmp(a, "--rules") == 0)
            slot = &o->rules;
        else if (strcmp(a, "--from") == 0)
            slot = &o->from;
        else if (strcmp(a, "--to") == 0)
            slot = &o->to;
        else if (strcmp(a, "--max-print") == 0) {
            char *end;
            o->max_print = strtol(argv[++i], &end, 10);
            if (*end || o->max_print < 0 || o->max_print > 100000)
                return -1;
        } else
            return -1;
        if (slot)
            *slot = argv[++i];
    }
    if (!o->rules) {
        snprintf(rules_path, sizeof rules_path, "%s%stools/oracle/wdt_refund.rules",
                 src ? src : "", src ? "/" : "");
        o->rules = rules_path;
    }
    if ((o->from && strlen(o->from) != 19) || (o->to && strlen(o->to) != 19))
        return -1;
    return o->ddl || (o->truth && o->db) ? 0 : -1;
}

static void print_report(const orc_table *t, const orc_report *rep)
{
    printf("%s: expected %zu, found %zu, missing %zu, extra %zu, differing %zu (cells %zu), "
           "ignored %zu\n",
           t->name, rep->expected, rep->found, rep->missing, rep->extra, rep->differing,
           rep->cells, rep->ignored);
}

/* Compares (or loads) every table; returns the exit code. */
static int judge(const options *o, const orc_rules *r, orc_rowset **sets, MYSQL *db)
{
    char err[1024];
    orc_report rep[ORC_MAX_TABLES];
    orc_examples ex = {calloc((size_t)o->max_print + 1, sizeof(char *)), 0, (size_t)o->max_print};
    size_t bad = 0;
    int rc = EXIT_USAGE;
    if (!ex.line)
        return EXIT_USAGE;
    for (int i = 0; i < r->ntables; i++) {
        int fail = o->load ? orc_db_load(db, &r->tables[i], sets[i], err, sizeof err)
                           : orc_db_compare(db, r, i, sets, &rep[i], &ex, err, sizeof err);
        if (fail) {
            fprintf(stderr, "sluice-oracle: error: %s\n", err);
            goto out;
        }
    }
    rc = 0;
    if (o->load) {
        printf("loaded the expected rows of %d tables\n", r->ntables);
        goto out;
    }
    for (int i = 0; i < r->ntables; i++) {
        print_report(&r->tables[i], &rep[i]);
        bad += rep[i].missing + rep[i].extra + rep[i].differing;
    }
    for (size_t i = 0; i < ex.n; i++)
        printf("  %s\n", ex.line[i]);
    printf("oracle: %s (%zu rows wrong)\n", bad ? "DIFFERENCES" : "OK", bad);
    rc = bad ? EXIT_DIFF : 0;
out:
    for (size_t i = 0; i < ex.n; i++)
        free(ex.line[i]);
    free(ex.line);
    return rc;
}

static void print_truth(const orc_rules *r, const orc_truth_stats *st, orc_rowset **sets)
{
    size_t dups = 0;
    for (int i = 0; i < r->ntables; i++)
        dups += st->dups[i];
    printf("truth: %zu records, %zu %s rows", st->records, orc_rowset_count(sets[0]),
           r->tables[0].name);
    for (int i = 1; i < r->ntables; i++)
        printf(", %zu %s rows", orc_rowset_count(sets[i]), r->tables[i].name);
    printf("; %zu duplicate keys, %zu unconvertible cells\n", dups, st->unconvertible);
}

int main(int argc, char **argv)
{
    options o = {.max_print = 20};
    orc_rules *r = calloc(1, sizeof *r);
    orc_rowset *sets[ORC_MAX_TABLES] = {0};
    orc_truth_stats st;
    char err[1024];
    MYSQL *db = NULL;
    int rc = EXIT_USAGE;
    if (!r)
        return EXIT_USAGE;
    if (parse_args(argc, argv, &o) < 0) {
        rc = usage(argc > 1 && strcmp(argv[1], "--help") == 0 ? NULL : "bad arguments");
        goto out;
    }
    if (orc_rules_load(o.rules, r, err, sizeof err) < 0) {
        fprintf(stderr, "sluice-oracle: error: %s\n", err);
        goto out;
    }
    if (o.ddl) {
        orc_rules_print_ddl(r);
        rc = 0;
        goto out;
    }
    for (int i = 0; i < r->ntables; i++)
        if (!(sets[i] = orc_rowset_new(r->tables[i].ncols)))
            goto out;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (orc_truth_load(o.truth, r, o.from, o.to, sets, &st, err, sizeof err) < 0) {
        fprintf(stderr, "sluice-oracle: error: %s\n", err);
        goto out;
    }
    print_truth(r, &st, sets);
    if (!(db = orc_db_connect(o.db, err, sizeof err))) {
        fprintf(stderr, "sluice-oracle: error: %s\n", err);
        goto out;
    }
    rc = judge(&o, r, sets, db);
out:
    if (db)
        mysql_close(db);
    for (int i = 0; i < ORC_MAX_TABLES; i++)
        orc_rowset_free(sets[i]);
    free(r);
    curl_global_cleanup();
    return rc;
}

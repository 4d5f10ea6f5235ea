/* cli_rejects.c: `sluice rejects list|show|replay JOB.yml [ID...]`, the review of stored
 * rejects (docs/quality.md). list and show only read; replay converts each selected record
 * again with the current mapping, a chunk of target.batch_rows records per transaction: the
 * rows of those that pass are written and their rejects deleted in that one transaction
 * (sl_sink_rejects_settle), those that still fail keep their id with the new reason. A replay
 * stopped at any point has settled whole chunks only. */
#include "cli_rejects.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "compile.h"
#include "diag.h"
#include "grow.h"
#include "quality.h"
#include "sink.h"
#include "stop.h"
#include "text.h"
#include "transform.h"

enum { MAX_IDS = 1000 }; /* ids on one command line */

typedef struct rj_cmd {
    const cli_opts *o;
    const char *action;
    sl_plan *plan;
    sl_sink *sink;
    sl_error err;
    int64_t ids[MAX_IDS];
    sl_reject_filter f;
} rj_cmd;

/* The operands after the job file: reject ids. */
static int parse_ids(rj_cmd *c)
{
    const cli_opts *o = c->o;
    if (o->n_args - 2 > MAX_IDS)
        return sl_cli_usage_error("rejects", "at most %d ids at once", MAX_IDS);
    for (int i = 2; i < o->n_args; i++) {
        char *end;
        long long v = strtoll(o->args[i], &end, 10);
        if (*end || end == o->args[i] || v <= 0)
            return sl_cli_usage_error("rejects", "'%s' is not a reject id", o->args[i]);
        c->ids[c->f.n_ids++] = v;
    }
    c->f.ids = c->f.n_ids ? c->ids : NULL;
    c->f.rule = o->rule;
    c->f.reason = o->reason;
    if (!strcmp(c->action, "show") && c->f.n_ids != 1)
        return sl_cli_usage_error("rejects", "show wants one reject id");
    return 0;
}

/* Compiles the job (secrets read: the database is needed), opens its sink. */
static sl_status open_job(rj_cmd *c)
{
    sl_diag *diag = sl_diag_new(c->o->args[1]);
    if (!diag)
        return SL_ERR_INTERNAL;
    sl_compile_options copts = {.resolve_secrets = true};
    c->plan = sl_compile_file_opts(c->o->args[1], &copts, diag);
    if (!c->plan || sl_diag_errors(diag) > 0)
        sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    if (!c->plan)
        return SL_ERR_CONFIG;
    if (!(c->sink = sl_sink_open(c->plan, &c->err)))
        return c->err.code ? c->err.code : SL_ERR_SINK;
    return SL_OK;
}

/* "NAME" of a reason "rule NAME: ...", else "-". */
static const char *rule_of(const char *reason, char *buf, size_t n)
{
    const char *colon = strncmp(reason, "rule ", 5) ? NULL : strchr(reason + 5, ':');
    if (!colon || (size_t)(colon - reason - 5) >= n || colon == reason + 5)
        return "-";
    memcpy(buf, reason + 5, (size_t)(colon - reason - 5));
    buf[colon - reason - 5] = '\0';
    return buf;
}

/* One line of text made safe for a TSV cell (controls escaped). */
static const char *cell(const char *s, char *buf, size_t n)
{
    if (!s)
        return "";
    sl_text_escape(buf, n, s, strlen(s));
    return buf;
}

static int list_row(const sl_reject_row *r, void *ctx)
{
    size_t *count = ctx;
    char rule[80], key[1100], reason[4200];
    printf("%" PRId64 "\t%s\t%s\t%s\t%s\n", r->id, r->created_at ? r->created_at : "",
           rule_of(r->reason, rule, sizeof rule), cell(r->key, key, sizeof key),
           cell(r->reason, reason, sizeof reason));
    (*count)++;
    return 0;
}

static sl_status do_list(rj_cmd *c)
{
    size_t count = 0;
    puts("id\tcreated_at\trule\tkey\treason");
    sl_status st = sl_sink_rejects_read(c->sink, c->plan->name, &c->f, list_row, &count, &c->err);
    if (st == SL_OK)
        fprintf(stderr, "sluice rejects list %s: %zu reject%s\n", c->plan->name, count,
                count == 1 ? "" : "s");
    return st;
}

static int show_row(const sl_reject_row *r, void *ctx)
{
    size_t *count = ctx;
    char rule[80], buf[4200];
    printf("id          %" PRId64 "\ncreated_at  %s (UTC)\nkey         %s\n", r->id,
           r->created_at ? r->created_at : "", cell(r->key, buf, sizeof buf));
    printf("column      %s\n", cell(r->column, buf, sizeof buf));
    printf("rule        %s\n", rule_of(r->reason, rule, sizeof rule));
    printf("reason      %s\nrecord\n", cell(r->reason, buf, sizeof buf));
    json_t *rec = r->raw ? json_loadb(r->raw, r->raw_len, JSON_DECODE_ANY, NULL) : NULL;
    char *pretty = rec ? json_dumps(rec, JSON_INDENT(2) | JSON_ENCODE_ANY) : NULL;
    if (pretty)
        printf("%s\n", pretty);
    else
        printf("%.*s\n(not JSON: stored as the decoder saw it, or cut)\n", (int)r->raw_len,
               r->raw ? r->raw : "");
    free(pretty);
    json_decref(rec);
    (*count)++;
    return 0;
}

static sl_status do_show(rj_cmd *c)
{
    size_t count = 0;
    sl_status st = sl_sink_rejects_read(c->sink, c->plan->name, &c->f, show_row, &count, &c->err);
    if (st == SL_OK && count == 0)
        return sl_error_set(&c->err, SL_ERR_FOUND, "job %s has no reject %" PRId64,
                            c->plan->name, c->ids[0]);
    return st;
}

/* ---- replay ---- */

/* One chunk of stored rejects read for a replay (copies: the rows are borrowed). */
typedef struct stored {
    int64_t id;
    char *raw; /* or NULL */
    size_t raw_len;
} stored;

typedef struct chunk {
    stored *items;
    size_t n, cap;
} chunk;

static void chunk_clear(chunk *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->items[i].raw);
    k->n = 0;
}

static int chunk_add(const sl_reject_row *r, void *ctx)
{
    chunk *k = ctx;
    stored *items = sl_grow(k->items, &k->cap, k->n + 1, sizeof *items, 64);
    if (!items)
        return -1;
    k->items = items;
    stored *it = &items[k->n];
    *it = (stored){r->id, r->raw ? strndup(r->raw, r->raw_len) : NULL, r->raw_len};
    if (r->raw && !it->raw)
        return -1;
    k->n++;
    return 0;
}

/* What a replay did, and its working state. */
typedef struct replay {
    rj_cmd *c;
    sl_batch *batch;
    sl_quality *quality;
    chunk k;
    int64_t *done;
    sl_reject_kept *kept;
    char (*reasons)[512];
    char (*columns)[80];
    size_t n_done, n_kept;
    uint64_t written, failing, unreadable;
} replay;

/* Record i of the chunk through the current mapping: written (its id into done), still
 * failing (into kept with the new reason), or not JSON (left alone). -1: out of memory. */
static int replay_one(replay *r, size_t i)
{
    const sl_plan *plan = r->c->plan;
    const stored *it = &r->k.items[i];
    json_t *rec = it->raw ? json_loadb(it->raw, it->raw_len, 0, NULL) : NULL;
    if (!json_is_object(rec)) {
        json_decref(rec);
        r->unreadable++;
        if (r->c->o->dry_run)
            printf("%" PRId64 "\tcan't be replayed: the stored record is not a JSON object\n",
                   r->k.items[i].id);
        return 0;
    }
    sl_error terr = {0};
    int rc = sl_transform_stored(plan, rec, r->batch, r->quality, &terr);
    json_decref(rec);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        r->done[r->n_done++] = r->k.items[i].id;
        if (r->c->o->dry_run)
            printf("%" PRId64 "\twould be written\n", r->k.items[i].id);
        return 0;
    }
    sl_rowset *rj = sl_batch_rejects(r->batch);
    int32_t len;
    const char *s = sl_rowset_get(rj, rj->n_rows - 1, SL_REJ_REASON, &len);
    size_t n = r->n_kept++;
    snprintf(r->reasons[n], sizeof r->reasons[n], "%.*s", len > 0 ? len : 0, s);
    s = sl_rowset_get(rj, rj->n_rows - 1, SL_REJ_COLUMN, &len);
    snprintf(r->columns[n], sizeof r->columns[n], "%.*s", len > 0 ? len : 0, s);
    r->kept[n] = (sl_reject_kept){r->k.items[i].id, len >= 0 ? r->columns[n] : NULL, r->reasons[n]};
    sl_rowset_pop_row(rj); /* the reject stays in place with its new reason, no new row */
    if (r->c->o->dry_run)
        printf("%" PRId64 "\tstill fails: %s\n", r->k.items[i].id, r->reasons[n]);
    return 0;
}

/* One chunk: convert every record, then settle them in one transaction. */
static sl_status replay_chunk(replay *r)
{
    rj_cmd *c = r->c;
    r->n_done = r->n_kept = 0;
    sl_batch_clear(r->batch);
    for (size_t i = 0; i < r->k.n; i++)
        if (replay_one(r, i) != 0)
            return sl_error_set(&c->err, SL_ERR_INTERNAL, "out of memory");
    sl_status st = SL_OK;
    if (!c->o->dry_run && (r->n_done || r->n_kept))
        st = sl_sink_rejects_settle(c->sink, r->batch, c->plan->name, r->done, r->n_done,
                                    r->kept, r->n_kept, &c->err);
    if (st == SL_OK) {
        r->written += r->n_done;
        r->failing += r->n_kept;
    }
    return st;
}

static sl_status replay_loop(replay *r)
{
    rj_cmd *c = r->c;
    c->f.limit = (size_t)c->plan->target.batch_rows;
    for (;;) {
        if (sl_stop_requested())
            return sl_error_set(&c->err, SL_ERR_INTERRUPTED,
                                "interrupted; every replayed chunk is settled, the rest stay");
        chunk_clear(&r->k);
        sl_status st = sl_sink_rejects_read(c->sink, c->plan->name, &c->f, chunk_add, &r->k,
                                            &c->err);
        if (st != SL_OK || r->k.n == 0)
            return st;
        c->f.after_id = r->k.items[r->k.n - 1].id;
        if ((st = replay_chunk(r)) != SL_OK)
            return st;
    }
}

static sl_status do_replay(rj_cmd *c)
{
    size_t n = (size_t)c->plan->target.batch_rows;
    replay r = {.c = c, .batch = sl_batch_new(c->plan), .quality = sl_quality_new(c->plan),
                .done = calloc(n, sizeof *r.done), .kept = calloc(n, sizeof *r.kept),
                .reasons = calloc(n, sizeof *r.reasons), .columns = calloc(n, sizeof *r.columns)};
    sl_status st = SL_OK;
    if (!r.batch || !r.quality || !r.done || !r.kept || !r.reasons || !r.columns)
        st = sl_error_set(&c->err, SL_ERR_INTERNAL, "out of memory");
    if (st == SL_OK && !c->o->dry_run)
        st = sl_sink_lock(c->sink, c->plan->name, &c->err);
    if (st == SL_OK && !c->o->dry_run)
        st = sl_sink_migrate(c->sink, false, c->o->quiet ? NULL : stderr, &c->err);
    if (st == SL_OK)
        st = replay_loop(&r);
    printf("sluice rejects replay %s%s: %" PRIu64 " %s, %" PRIu64 " still failing, %" PRIu64
           " not replayable\n",
           c->plan->name, c->o->dry_run ? " (dry run: nothing changed)" : "", r.written,
           c->o->dry_run ? "would be written" : "written", r.failing, r.unreadable);
    if (st == SL_OK && (r.failing || r.unreadable))
        st = SL_ERR_FOUND;
    chunk_clear(&r.k);
    free(r.k.items);
    free(r.done);
    free(r.kept);
    free(r.reasons);
    free(r.columns);
    sl_quality_free(r.quality);
    sl_batch_free(r.batch);
    return st;
}

int sl_cmd_rejects(const cli_opts *o)
{
    rj_cmd c = {.o = o, .action = o->args[0]};
    if (strcmp(c.action, "list") && strcmp(c.action, "show") && strcmp(c.action, "replay"))
        return sl_cli_usage_error("rejects", "wants list, show or replay, not '%s'", c.action);
    if (o->dry_run && strcmp(c.action, "replay"))
        return sl_cli_usage_error("rejects", "--dry-run goes with replay, not %s", c.action);
    int rc = parse_ids(&c);
    if (rc)
        return rc;
    sl_stop_install();
    sl_status st = open_job(&c);
    if (st == SL_OK && c.plan->n_accounts && !strcmp(c.action, "replay"))
        st = sl_error_set(&c.err, SL_ERR_USAGE, "rejects replay: job %s has accounts, and the "
                          "reject table keeps no account to replay a record as (docs/accounts.md)",
                          c.plan->name);
    else if (st == SL_OK)
        st = !strcmp(c.action, "list")   ? do_list(&c)
             : !strcmp(c.action, "show") ? do_show(&c)
                                         : do_replay(&c);
    if (st != SL_OK && st != SL_ERR_FOUND && c.plan) {
        char msg[sizeof c.err.msg];
        snprintf(msg, sizeof msg, "%s", c.err.msg[0] ? c.err.msg : sl_status_name(st));
        sl_plan_redact(c.plan, msg, sizeof msg);
        fprintf(stderr, "sluice: error: %s\n", msg);
    } else if (st == SL_ERR_FOUND && c.err.msg[0]) {
        fprintf(stderr, "sluice: %s\n", c.err.msg);
    }
    sl_sink_free(c.sink);
    sl_plan_free(c.plan);
    return st;
}

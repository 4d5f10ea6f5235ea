/* runner.c: see runner.h. The pipeline of a run: the source (engine/source/source.h) reads the
 * windows and hands over each good page's records; here they become rows (transform), fill
 * batches that go to the writer thread in window order, the watermark riding with each
 * window's last batch; and the loop that drives both, with the progress line. */
#include "runner.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "grow.h"
#include "refresh.h"
#include "sink.h"
#include "source.h"
#include "stop.h"
#include "timeutil.h"
#include "transform.h"
#include "window.h"
#include "writer.h"

enum { WRITER_QUEUE = 4 };

/* The pipeline's state of one window (sl_window.rows). */
typedef struct win_rows {
    sl_batch *cur;    /* rows being filled */
    sl_batch **held;  /* full batches waiting for the windows before this one */
    size_t n_held;
    size_t cap_held;
} win_rows;

typedef struct runner {
    const sl_plan *plan;
    const sl_run_opts *opts;
    sl_run_summary *stats;
    sl_runlog rl;
    sl_source *src;
    sl_writer *writer;
    sl_seen *seen;    /* which column paths found a value in this run */
    sl_quality *quality; /* the data-quality rules' state of this run */
    bool write_watermark;
    bool writer_down; /* the writer failed; its error is the run's */
    uint64_t rejects;
    int64_t progress_at;
} runner;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* sl_seen_report's callback: one event line. */
static void log_warning(const char *msg, void *ctx)
{
    sl_runlog_event(ctx, "%s", msg);
}

/* The writer thread failed: its error (sl_writer_finish) says why, so record none here. */
static void writer_down(runner *r)
{
    if (r->rl.status != SL_OK)
        return;
    r->rl.status = SL_ERR_SINK;
    r->writer_down = true;
}

static win_rows *rows_of(const sl_window *w)
{
    return w->rows;
}

/* ---- handing rows to the writer, in window order ---- */

static int on_opened(sl_window *w, void *ctx)
{
    runner *r = ctx;
    win_rows *wr = calloc(1, sizeof *wr);
    if (!wr || !(wr->cur = sl_writer_batch(r->writer))) {
        free(wr);
        return -1;
    }
    w->rows = wr;
    return 0;
}

static void window_release(runner *r, sl_window *w)
{
    win_rows *wr = rows_of(w);
    if (!wr)
        return;
    if (wr->cur)
        sl_writer_recycle(r->writer, wr->cur);
    for (size_t i = 0; i < wr->n_held; i++)
        sl_writer_recycle(r->writer, wr->held[i]);
    free(wr->held);
    free(wr);
    w->rows = NULL;
}

static int push(runner *r, sl_batch *b, const int64_t *watermark)
{
    if (sl_writer_push(r->writer, b, watermark) != 0)
        return writer_down(r), -1;
    return 0;
}

static int hold(win_rows *wr, sl_batch *b)
{
    sl_batch **items = sl_grow(wr->held, &wr->cap_held, wr->n_held + 1, sizeof *items, 4);
    if (!items)
        return -1;
    wr->held = items;
    wr->held[wr->n_held++] = b;
    return 0;
}

/* The head window streams its batches; the others hold them until they become the head. */
static int ship_full(runner *r, sl_window *w)
{
    win_rows *wr = rows_of(w);
    sl_batch *b = wr->cur;
    wr->cur = sl_writer_batch(r->writer);
    if (!wr->cur)
        return sl_runlog_fail(&r->rl, SL_ERR_INTERNAL, "out of memory"), -1;
    if (w == sl_source_windows(r->src)->head)
        return push(r, b, NULL);
    if (hold(wr, b) != 0)
        return sl_runlog_fail(&r->rl, SL_ERR_INTERNAL, "out of memory"), -1;
    return 0;
}

static int ship_held(runner *r, win_rows *wr)
{
    for (size_t i = 0; i < wr->n_held; i++) {
        if (push(r, wr->held[i], NULL) != 0) {
            for (size_t j = i + 1; j < wr->n_held; j++)
                sl_writer_recycle(r->writer, wr->held[j]);
            wr->n_held = 0;
            return -1;
        }
    }
    wr->n_held = 0;
    return 0;
}

/* Each finished window popped off the head, in order: its rows go, with the watermark. */
static void on_popped(sl_window *w, void *ctx)
{
    runner *r = ctx;
    win_rows *wr = rows_of(w);
    r->stats->windows++;
    if (r->rl.status == SL_OK && ship_held(r, wr) == 0) {
        sl_batch *b = wr->cur;
        wr->cur = NULL;
        int64_t wm = w->to;
        push(r, b, r->write_watermark ? &wm : NULL);
    }
    window_release(r, w);
}

/* The new head streams from now on: send what it held. */
static void on_finished(void *ctx)
{
    runner *r = ctx;
    const sl_window *head = sl_source_windows(r->src)->head;
    if (head && rows_of(head) && r->rl.status == SL_OK)
        ship_held(r, rows_of(head));
}

/* ---- consuming records ---- */

/* A record the decoder could not represent: a reject with the decoder's reason and text. */
static int reject_bad(const sl_plan *plan, const json_t *rec, const json_t *bad, sl_batch *b,
                      sl_error *err)
{
    const json_t *raw = json_object_get(bad, "raw");
    return sl_transform_reject(plan, rec, json_string_value(json_object_get(bad, "reason")),
                               json_string_value(raw), json_string_length(raw), b, err);
}

/* Too many rejects: keep them for diagnosis, but never move the watermark past them. */
static int too_many_rejects(runner *r, win_rows *wr)
{
    const sl_target_plan *t = &r->plan->target;
    sl_batch *b = wr->cur;
    wr->cur = sl_writer_batch(r->writer);
    push(r, b, NULL);
    return sl_runlog_fail(&r->rl, SL_ERR_DATA,
                          "%" PRIu64 " records rejected, more than max_rejects (%" PRId64
                          "); see the reject table %s",
                          r->rejects, t->max_rejects, t->reject_table),
           -1;
}

/* The source's records hook: every record of a page into rows of w's current batch. */
static int on_records(sl_window *w, const json_t *records, const json_t *notes, void *ctx)
{
    runner *r = ctx;
    win_rows *wr = rows_of(w);
    const sl_plan *plan = r->plan;
    size_t i, next_bad = 0;
    const json_t *rec;
    json_array_foreach(records, i, rec)
    {
        r->stats->records++;
        sl_error terr = {0};
        const json_t *bad = json_array_get(notes, next_bad);
        int rc = bad && json_integer_value(json_object_get(bad, "index")) == (json_int_t)i
                     ? (next_bad++, reject_bad(plan, rec, bad, wr->cur, &terr))
                     : sl_transform_record_checked(plan, rec, wr->cur, r->seen, r->quality,
                                                   &terr);
        if (rc < 0)
            return sl_runlog_fail(&r->rl, SL_ERR_INTERNAL, "%s", terr.msg), -1;
        if (rc == 1 && ++r->rejects > (uint64_t)plan->target.max_rejects)
            return too_many_rejects(r, wr);
        if (sl_batch_live_rows(wr->cur) >= (size_t)plan->target.batch_rows &&
            ship_full(r, w) != 0)
            return -1;
    }
    return 0;
}

/* ---- the loop ---- */

static void progress(runner *r, bool last)
{
    if (!r->opts->progress)
        return;
    int64_t t = now_ms();
    if (!last && t - r->progress_at < 250)
        return;
    r->progress_at = t;
    const sl_source_stats *ss = sl_source_stats_get(r->src);
    int64_t watermark = sl_source_windows(r->src)->watermark;
    char wm[20] = "-";
    if (watermark != INT64_MIN)
        sl_time_format(watermark, r->plan->source.window.tz_offset_s, wm);
    fprintf(r->opts->progress,
            "\r\033[Kwindows %" PRIu64 " done, %d open | pages %" PRIu64 " | records %" PRIu64
            " | retries %" PRIu64 " | throttles %" PRIu64 " | up to %s",
            r->stats->windows, sl_source_open(r->src), ss->pages, r->stats->records,
            ss->retries, ss->throttles, wm);
    if (last)
        fputc('\n', r->opts->progress);
    fflush(r->opts->progress);
}

static void run_loop(runner *r)
{
    for (;;) {
        sl_source_cut(r->src);
        if (r->rl.status != SL_OK)
            break;
        if (!sl_source_windows(r->src)->head || sl_stop_requested()) {
            if (sl_stop_requested())
                sl_runlog_fail(&r->rl, SL_ERR_INTERRUPTED,
                               "interrupted; the watermark is consistent");
            break;
        }
        int64_t wait = sl_source_dispatch(r->src);
        if (r->rl.status != SL_OK)
            break;
        sl_source_poll(r->src, wait);
        if (r->rl.status == SL_OK && sl_writer_failed(r->writer))
            writer_down(r);
        progress(r, false);
    }
    progress(r, true);
}

/* Where the run starts and ends: the range given, else from the watermark (less the overlap)
 * to now - lag. */
static sl_status plan_range(runner *r, sl_sink *sink)
{
    const sl_window_plan *wp = &r->plan->source.window;
    const sl_run_opts *o = r->opts;
    if (r->plan->target.refresh.on) { /* one window standing for everything; no watermark */
        r->stats->range_from = r->stats->range_to = 0; /* fixed: --record/--replay names */
        return SL_OK;
    }
    int64_t wm = INT64_MIN;
    bool found = false;
    sl_status st = sl_sink_state_get(sink, r->plan->name, &wm, &found, r->rl.err);
    if (st != SL_OK)
        return r->rl.status = st;
    r->stats->watermark_before = found ? wm : INT64_MIN;
    if (o->has_range) {
        r->stats->range_from = o->range_from;
        r->stats->range_to = o->range_to;
        r->write_watermark = false;
    } else {
        int64_t start = found && wm - wp->overlap_s > wp->start ? wm - wp->overlap_s : wp->start;
        r->stats->range_from = start;
        r->stats->range_to = o->now - wp->lag_s;
        r->write_watermark = true;
    }
    return SL_OK;
}

/* The source's counters into the summary. */
static void source_stats(runner *r)
{
    const sl_source_stats *ss = sl_source_stats_get(r->src);
    r->stats->splits = ss->splits;
    r->stats->rereads = ss->rereads;
    r->stats->requests = ss->requests;
    r->stats->pages = ss->pages;
    r->stats->retries = ss->retries;
    r->stats->throttles = ss->throttles;
    memcpy(r->stats->latency, ss->latency, sizeof r->stats->latency);
    r->stats->latency_sum_s = ss->latency_sum_s;
}

/* Stops the source, frees every window and waits for the writer to commit what it has. */
static void finish(runner *r, sl_sink *sink, int64_t db_retries0)
{
    if (r->src) {
        source_stats(r);
        for (sl_window *w = sl_source_windows(r->src)->head; w; w = w->next)
            window_release(r, w);
    }
    sl_source_free(r->src); /* aborts requests in flight */
    if (!r->writer)
        return;
    sl_writer_stats ws;
    sl_status wst = sl_writer_finish(r->writer, 0, &ws, r->rl.err);
    if (r->rl.status == SL_OK || (r->writer_down && wst != SL_OK))
        r->rl.status = wst;
    r->stats->batches = ws.batches;
    r->stats->rows = ws.rows;
    r->stats->child_rows = ws.child_rows;
    r->stats->rejects = ws.rejects;
    r->stats->watermark_after = ws.watermark != INT64_MIN ? ws.watermark
                                                          : r->stats->watermark_before;
    /* The writer thread has ended: its sink's count is settled. */
    r->stats->db_retries = (uint64_t)(sl_sink_db_retries(sink) - db_retries0);
}

/* The rules' counts into the summary, and a line for each rule that failed. */
static void quality_report(runner *r)
{
    const sl_plan *plan = r->plan;
    sl_quality_finish(r->quality);
    r->stats->n_quality = plan->n_quality;
    r->stats->quality_failed = sl_quality_failed(r->quality);
    for (size_t i = 0; i < plan->n_quality; i++) {
        const sl_dq_rule *q = &plan->quality[i];
        const sl_dq_count *c = sl_quality_count(r->quality, i);
        r->stats->quality[i] = *c;
        if (q->kind == SL_DQ_NOT_NULL && c->run_failed)
            sl_runlog_event(&r->rl,
                            "warning: quality rule %s: %" PRIu64 " of %" PRIu64 " rows have %s, "
                            "under %" PRId64 ".%02" PRId64 "%%",
                            q->name, c->checked - c->failed, c->checked,
                            plan->table.cols[q->column].name, q->share_bp / 100,
                            q->share_bp % 100);
        else if (q->kind != SL_DQ_NOT_NULL && c->failed)
            sl_runlog_event(&r->rl, "%s: quality rule %s %s %" PRIu64 " of %" PRIu64 " rows, first %s",
                            q->action == SL_DQ_WARN ? "warning" : "note", q->name,
                            q->action == SL_DQ_WARN ? "warned on" : "rejected", c->failed,
                            c->checked, c->example);
        if (c->overflow)
            sl_runlog_event(&r->rl,
                            "warning: quality rule %s: more than %d distinct values; the rest "
                            "of the run was not checked",
                            q->name, SL_DQ_UNIQUE_MAX);
    }
}

/* The volume baseline on the buckets this run completed: those ending after the previous
 * watermark (or the range's start) and by the new one (or the range's end). */
static void volume_report(runner *r, sl_sink *sink)
{
    const sl_run_summary *s = r->stats;
    int64_t from = s->range_from, to = s->range_to;
    if (r->write_watermark) {
        from = s->watermark_before > from ? s->watermark_before : from;
        to = s->watermark_after;
    }
    sl_error e = {0};
    sl_volume_result *v = &r->stats->volume;
    if (to == INT64_MIN) {
        snprintf(v->skipped, sizeof v->skipped, "not judged: nothing was synced");
    } else if (sl_volume_check(r->plan, sink, from, to, v, &e) != SL_OK) {
        snprintf(v->skipped, sizeof v->skipped, "not judged: %.80s", e.msg);
        if (e.code != SL_ERR_CONFIG)
            sl_runlog_event(&r->rl, "warning: volume not judged: %s", e.msg);
    }
    for (size_t i = 0; i < v->n_out; i++) {
        char text[400];
        sl_volume_verdict_text(r->plan, &v->out[i], text, sizeof text);
        sl_runlog_event(&r->rl, "warning: volume out of band: %s", text);
    }
}

sl_status sl_run(const sl_plan *plan, sl_sink *sink, const sl_run_opts *opts,
                 sl_run_summary *stats, sl_error *err)
{
    int64_t t0 = now_ms();
    runner r = {.plan = plan, .opts = opts, .stats = stats,
                .rl = {.plan = plan, .log = opts->log, .err = err}};
    memset(stats, 0, sizeof *stats);
    /* "none" until planned: a run that fails reading its state has no range or watermark */
    stats->range_from = stats->range_to = INT64_MIN;
    stats->watermark_before = stats->watermark_after = INT64_MIN;
    int64_t db_retries0 = sl_sink_db_retries(sink);
    stats->refresh_live = stats->refresh_read = -1;
    if (plan_range(&r, sink) != SL_OK)
        return r.rl.status;
    bool refresh = plan->target.refresh.on;
    if (refresh)
        r.rl.status = sl_sink_refresh(sink, SL_REFRESH_BEGIN, err);
    sl_source_opts so = {.range_from = stats->range_from, .range_to = stats->range_to,
                         .max_windows = opts->max_windows, .record_dir = opts->record_dir,
                         .replay_dir = opts->replay_dir, .on_total = opts->on_total,
                         .on_total_ctx = opts->on_total_ctx};
    sl_source_hooks hooks = {.opened = on_opened, .records = on_records, .popped = on_popped,
                             .finished = on_finished, .ctx = &r};
    r.src = sl_source_new(plan, &so, &hooks, &r.rl);
    r.seen = sl_seen_new(plan);
    r.quality = sl_quality_new(plan);
    r.writer = sl_writer_start(sink, plan, WRITER_QUEUE);
    if (!r.writer || !r.seen || !r.quality)
        sl_runlog_fail(&r.rl, SL_ERR_INTERNAL, "can't start the writer thread");
    if (r.rl.status == SL_OK)
        run_loop(&r);
    finish(&r, sink, db_retries0);
    if (refresh)
        r.rl.status = sl_refresh_end(plan, sink, r.rl.status, opts->force_refresh,
                                     &stats->refresh_live, &stats->refresh_read, err);
    if (r.seen)
        sl_seen_report(r.seen, plan, log_warning, &r.rl);
    sl_seen_free(r.seen);
    if (r.quality)
        quality_report(&r);
    sl_quality_free(r.quality);
    if (plan->volume.on && r.rl.status == SL_OK && !opts->on_total)
        volume_report(&r, sink);
    else if (plan->volume.on)
        snprintf(stats->volume.skipped, sizeof stats->volume.skipped, "not judged: %s",
                 opts->on_total ? "verify reads totals only" : "the run did not finish");
    stats->elapsed_s = (double)(now_ms() - t0) / 1000.0;
    return r.rl.status;
}

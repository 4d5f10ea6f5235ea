/* volume.c: see volume.h. The counts of the judged buckets and of their history come in one
 * query, into an array indexed by bucket; a bucket's history is the same bucket k days
 * earlier, k = 1..history, for each such bucket that starts inside the synced range (from
 * window.start on): a bucket without rows there is a zero, one before the range is no
 * history at all. */
#include "volume.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "sink.h"
#include "timeutil.h"

enum { DAY_S = 86400, MAX_HISTORY = 90 };

static int dec_cmp_qsort(const void *a, const void *b)
{
    return sl_dec_cmp(a, b);
}

bool sl_volume_median2(sl_dec *v, size_t n, sl_dec *twice)
{
    qsort(v, n, sizeof *v, dec_cmp_qsort);
    if (n % 2)
        return sl_dec_mul_int(twice, &v[n / 2], 2);
    return sl_dec_add(twice, &v[n / 2 - 1], &v[n / 2]);
}

sl_volume_side sl_volume_band(const sl_dec *value, const sl_dec *twice, int64_t min_bp,
                              int64_t max_bp)
{
    sl_dec lhs, rhs; /* value x 2 x 100% against share x twice the median */
    if (!sl_dec_mul_int(&lhs, value, 20000))
        return SL_VOL_IN;
    if (min_bp > 0 && sl_dec_mul_int(&rhs, twice, (uint32_t)min_bp) && sl_dec_cmp(&lhs, &rhs) < 0)
        return SL_VOL_LOW;
    if (max_bp > 0 && sl_dec_mul_int(&rhs, twice, (uint32_t)max_bp) && sl_dec_cmp(&lhs, &rhs) > 0)
        return SL_VOL_HIGH;
    return SL_VOL_IN;
}

/* ---- the counts ---- */

typedef struct cell {
    int64_t rows;
    sl_dec sum; /* zero when the bucket has no rows or no sum column */
} cell;

typedef struct counts {
    int64_t q0, by; /* cells[i] is the bucket starting q0 + i x by */
    size_t n;
    cell *cells;
} counts;

static int on_bucket(const char *bucket, int64_t rows, const char *sum, void *ctx)
{
    counts *c = ctx;
    int64_t t;
    if (!sl_time_parse(bucket, strlen(bucket), 0, &t) || t < c->q0 || (t - c->q0) % c->by)
        return 0;
    size_t i = (size_t)((t - c->q0) / c->by);
    if (i >= c->n)
        return 0;
    c->cells[i].rows = rows;
    if (sum[0] && !sl_dec_from_text(&c->cells[i].sum, sum, strlen(sum)))
        sl_dec_from_int(&c->cells[i].sum, 0);
    return 0;
}

static int64_t floor_to(int64_t t, int64_t by)
{
    int64_t q = t / by;
    return (t % by < 0 ? q - 1 : q) * by;
}

/* ---- judging ---- */

static void dec_text(const sl_dec *d, char *buf, size_t n)
{
    if (sl_dec_plain(d, buf, n) < 0)
        snprintf(buf, n, "(too long)");
}

/* The median (given twice) as text. */
static void median_text(const sl_dec *twice, char *buf, size_t n)
{
    sl_dec half;
    if (twice->n == 0 || !sl_dec_mul_int(&half, twice, 5)) {
        snprintf(buf, n, "0");
        return;
    }
    half.exp -= 1;
    dec_text(&half, buf, n);
}

typedef struct judge {
    const sl_plan *plan;
    const counts *c;
    int64_t start_c; /* the synced range's first second, civil */
    sl_volume_result *out;
} judge;

/* The bucket at b and its history (nh previous days) in rows and sums. */
static size_t history(const judge *j, int64_t b, sl_dec *rows, sl_dec *sums)
{
    size_t nh = 0;
    for (int64_t k = 1; k <= j->plan->volume.history_days && nh < MAX_HISTORY; k++) {
        int64_t s = b - k * DAY_S;
        if (s < j->start_c || s < j->c->q0)
            break;
        const cell *x = &j->c->cells[(s - j->c->q0) / j->c->by];
        sl_dec_from_int(&rows[nh], x->rows);
        sums[nh++] = x->sum;
    }
    return nh;
}

static void keep(sl_volume_result *out, const sl_volume_verdict *v)
{
    out->judged++;
    out->latest = *v;
    out->has_latest = true;
    if (v->rows_side == SL_VOL_IN && v->sum_side == SL_VOL_IN)
        return;
    out->out_of_band++;
    if (out->n_out < SL_VOLUME_KEEP)
        out->out[out->n_out++] = *v;
}

static void judge_bucket(const judge *j, int64_t b)
{
    const sl_volume_plan *vp = &j->plan->volume;
    sl_dec rows[MAX_HISTORY], sums[MAX_HISTORY], m2, value;
    size_t nh = history(j, b, rows, sums);
    if (nh < (size_t)vp->min_history) {
        j->out->short_history++;
        return;
    }
    if (!sl_volume_median2(rows, nh, &m2) || m2.n == 0) {
        j->out->zero_median++;
        return;
    }
    const cell *x = &j->c->cells[(b - j->c->q0) / j->c->by];
    sl_volume_verdict v = {.start = b, .n_history = (int)nh, .rows = x->rows};
    median_text(&m2, v.rows_median, sizeof v.rows_median);
    sl_dec_from_int(&value, x->rows);
    v.rows_side = sl_volume_band(&value, &m2, vp->min_share_bp, vp->max_share_bp);
    if (vp->sum_column >= 0) {
        dec_text(&x->sum, v.sum, sizeof v.sum);
        if (sl_volume_median2(sums, nh, &m2) && m2.n > 0 && !m2.neg) {
            median_text(&m2, v.sum_median, sizeof v.sum_median);
            v.sum_side = sl_volume_band(&x->sum, &m2, vp->min_share_bp, vp->max_share_bp);
        } else {
            snprintf(v.sum_median, sizeof v.sum_median, "0");
        }
    }
    keep(j->out, &v);
}

sl_status sl_volume_check(const sl_plan *plan, sl_sink *sink, int64_t from, int64_t to,
                          sl_volume_result *out, sl_error *err)
{
    const sl_volume_plan *vp = &plan->volume;
    memset(out, 0, sizeof *out);
    out->by_s = vp->by_s;
    if (!vp->on)
        return SL_OK;
    const sl_column *tc = &plan->table.cols[vp->time_column];
    int64_t zone = sl_conv_zone(tc->conv, plan->source.window.tz_offset_s);
    int64_t by = vp->by_s, span = vp->history_days * DAY_S;
    int64_t to_c = floor_to(to + zone, by);     /* the end of the last complete bucket */
    int64_t from_c = floor_to(from + zone, by); /* the first bucket ending after from */
    if (from_c < to_c - span)
        from_c = to_c - span; /* a long run judges its last history's worth */
    counts c = {.q0 = from_c - span, .by = by};
    c.n = from_c < to_c ? (size_t)((to_c - c.q0) / by) : 0;
    out->checked = true;
    if (c.n == 0)
        return SL_OK; /* no bucket completed */
    if (!(c.cells = calloc(c.n, sizeof *c.cells))) {
        snprintf(out->skipped, sizeof out->skipped, "out of memory");
        out->checked = false;
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    }
    char lo[20], hi[20];
    sl_time_format(c.q0, 0, lo);
    sl_time_format(to_c, 0, hi);
    sl_volume_query q = {&plan->table, vp->time_column, vp->sum_column, by == DAY_S, lo, hi};
    sl_status st = sl_sink_volume_read(sink, &q, on_bucket, &c, err);
    if (st != SL_OK) {
        out->checked = false; /* the caller says why in out->skipped */
    } else {
        judge j = {plan, &c, plan->source.window.start + zone, out};
        for (int64_t b = from_c; b < to_c; b += by)
            judge_bucket(&j, b);
    }
    free(c.cells);
    return st;
}

/* ---- text ---- */

static const char *side_text(sl_volume_side s)
{
    return s == SL_VOL_LOW ? "under" : s == SL_VOL_HIGH ? "over" : "within";
}

static void share_text(const sl_volume_plan *vp, sl_volume_side s, char *buf, size_t n)
{
    int64_t bp = s == SL_VOL_HIGH ? vp->max_share_bp : vp->min_share_bp;
    if (s == SL_VOL_IN)
        snprintf(buf, n, "the band");
    else
        snprintf(buf, n, "%" PRId64 ".%02" PRId64 "%%", bp / 100, bp % 100);
}

void sl_volume_verdict_text(const sl_plan *plan, const sl_volume_verdict *v, char *buf,
                            size_t n)
{
    const sl_volume_plan *vp = &plan->volume;
    char when[20], rs[32], ss[32];
    sl_time_format(v->start, 0, when);
    when[vp->by_s == DAY_S ? 10 : 16] = '\0';
    share_text(vp, v->rows_side, rs, sizeof rs);
    int w = snprintf(buf, n, "%s: %" PRId64 " rows, %s %s of the median %s (%d day%s)", when,
                     v->rows, side_text(v->rows_side), rs, v->rows_median, v->n_history,
                     v->n_history == 1 ? "" : "s");
    if (vp->sum_column < 0 || w < 0 || (size_t)w >= n)
        return;
    share_text(vp, v->sum_side, ss, sizeof ss);
    snprintf(buf + w, n - (size_t)w, "; sum of %s %s, %s %s of the median %s",
             plan->table.cols[vp->sum_column].name, v->sum, side_text(v->sum_side), ss,
             v->sum_median);
}

void sl_volume_summary_text(const sl_plan *plan, const sl_volume_result *r, char *buf,
                            size_t n)
{
    const char *unit = plan->volume.by_s == DAY_S ? "day" : "hour";
    if (!r->checked) {
        snprintf(buf, n, "%s", r->skipped);
        return;
    }
    int w = snprintf(buf, n, "%" PRIu32 " %s%s judged, %" PRIu32 " out of band", r->judged, unit,
                     r->judged == 1 ? "" : "s", r->out_of_band);
    if (r->short_history && w >= 0 && (size_t)w < n)
        w += snprintf(buf + w, n - (size_t)w, ", %" PRIu32 " not judged (history under %" PRId64
                      " day%s)", r->short_history, plan->volume.min_history,
                      plan->volume.min_history == 1 ? "" : "s");
    if (r->zero_median && w >= 0 && (size_t)w < n)
        snprintf(buf + w, n - (size_t)w, ", %" PRIu32 " not judged (median 0 rows)",
                 r->zero_median);
}

bool sl_volume_alarm(const sl_volume_result *r)
{
    return r->checked && r->out_of_band > 0;
}

void sl_volume_print(const sl_plan *plan, const sl_volume_result *r, FILE *out)
{
    char line[400];
    sl_volume_summary_text(plan, r, line, sizeof line);
    fprintf(out, "  volume      %s\n", line);
    for (size_t i = 0; i < r->n_out; i++) {
        sl_volume_verdict_text(plan, &r->out[i], line, sizeof line);
        fprintf(out, "              %s\n", line);
    }
    if (r->out_of_band > r->n_out)
        fprintf(out, "              (%" PRIu32 " more out of band)\n",
                r->out_of_band - (uint32_t)r->n_out);
}

void sl_volume_failures(const sl_plan *plan, const sl_volume_result *r, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->n_out && used + 1 < n; i++) {
        char one[400];
        sl_volume_verdict_text(plan, &r->out[i], one, sizeof one);
        int w = snprintf(buf + used, n - used, "%s%s", used ? "; " : "", one);
        used += w > 0 ? (size_t)w : 0;
    }
}

static json_t *verdict_json(const sl_plan *plan, const sl_volume_verdict *v)
{
    char when[20];
    sl_time_format(v->start, 0, when);
    json_t *o = json_pack("{s:s, s:I, s:s, s:s}", "start", when, "rows", (json_int_t)v->rows,
                          "rows_median", v->rows_median, "rows_side", side_text(v->rows_side));
    if (o && plan->volume.sum_column >= 0 &&
        (json_object_set_new(o, "sum", json_string(v->sum)) ||
         json_object_set_new(o, "sum_median", json_string(v->sum_median)) ||
         json_object_set_new(o, "sum_side", json_string(side_text(v->sum_side))))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *sl_volume_json(const sl_plan *plan, const sl_volume_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < r->n_out; i++)
        if (json_array_append_new(a, verdict_json(plan, &r->out[i])) != 0) {
            json_decref(a);
            a = NULL;
        }
    if (!a)
        return NULL;
    return json_pack("{s:b, s:I, s:I, s:I, s:o}", "checked", r->checked, "judged",
                     (json_int_t)r->judged, "out_of_band", (json_int_t)r->out_of_band,
                     "not_judged", (json_int_t)(r->short_history + r->zero_median), "buckets",
                     a);
}

char *sl_volume_metrics(const sl_volume_result *r, const char *labels)
{
    const struct {
        const char *name, *help;
        int64_t v;
    } g[] = {
        {"sluice_run_volume_checked", "1 when the last run judged the volume baseline.",
         r->checked},
        {"sluice_run_volume_judged_buckets",
         "Hours or days the last run compared with their history.", r->judged},
        {"sluice_run_volume_out_of_band_buckets",
         "Hours or days the last run found outside their volume band.", r->out_of_band},
        {"sluice_run_volume_unjudged_buckets",
         "Hours or days the last run completed but could not judge (too little history, or a "
         "median of 0).", (int64_t)r->short_history + r->zero_median},
    };
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    int rc = 0;
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++)
        rc |= fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n%s{%s} %" PRId64 "\n", g[i].name,
                      g[i].help, g[i].name, g[i].name, labels, g[i].v) < 0;
    if (fclose(f) != 0 || rc) {
        free(text);
        return NULL;
    }
    return text;
}

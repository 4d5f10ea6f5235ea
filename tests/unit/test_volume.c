/* test_volume.c: the volume baseline. The exact decimal sum and product it compares with; the
 * median of an odd and an even history, of zeros and of money; the band's edges (exactly at
 * min_share is in band, one row under is out; max_share likewise); and sl_volume_check over a
 * fake sink holding 10 days of hourly counts in a +08:00 column: a dropped hour and a dropped
 * sum are out of band, an hour with missing days (zeros) and the rest are in, hours with too
 * little history and hours with a median of 0 are not judged, an hour still open is never
 * judged, and the alert, JSON and metrics say so. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compile.h"
#include "decimal.h"
#include "report.h"
#include "sink_int.h"
#include "timeutil.h"
#include "volume.h"

static sl_dec dec(const char *s)
{
    sl_dec d;
    CHECK(sl_dec_from_text(&d, s, strlen(s)));
    return d;
}

static void check_dec(const sl_dec *d, const char *want)
{
    char buf[256];
    int n = sl_dec_plain(d, buf, sizeof buf);
    CHECK(n >= 0);
    buf[n < 0 ? 0 : n] = '\0';
    CHECK_STR(buf, want);
}

static void test_arithmetic(void)
{
    const struct {
        const char *a, *b, *sum;
    } add[] = {
        {"0.1", "0.2", "0.3"},           {"-5", "3", "-2"},     {"3", "-5", "-2"},
        {"999.99", "0.01", "1000"},      {"-0.5", "0.5", "0"},  {"0", "-7.25", "-7.25"},
        {"9007199254740993", "1", "9007199254740994"}, /* past a double's integers */
        {"123456789012345678901234567890.1234", "0.0001", "123456789012345678901234567890.1235"},
    };
    for (size_t i = 0; i < sizeof add / sizeof add[0]; i++) {
        sl_dec a = dec(add[i].a), b = dec(add[i].b), s;
        CHECK(sl_dec_add(&s, &a, &b));
        check_dec(&s, add[i].sum);
    }
    sl_dec a = dec("12345678901234567890.1234"), p;
    CHECK(sl_dec_mul_int(&p, &a, 20000));
    check_dec(&p, "246913578024691357802468");
    a = dec("-0.05");
    CHECK(sl_dec_mul_int(&p, &a, 3));
    check_dec(&p, "-0.15");
    CHECK(sl_dec_mul_int(&p, &a, 0));
    check_dec(&p, "0");
}

static void median_of(const char *const *v, size_t n, const char *twice)
{
    sl_dec d[16], m;
    for (size_t i = 0; i < n; i++)
        d[i] = dec(v[i]);
    CHECK(sl_volume_median2(d, n, &m));
    check_dec(&m, twice);
}

static void test_median(void)
{
    median_of((const char *[]){"3", "1", "2"}, 3, "4");          /* odd: twice 2 */
    median_of((const char *[]){"1", "4", "2", "3"}, 4, "5");     /* even: twice 2.5 */
    median_of((const char *[]){"0", "5", "0"}, 3, "0");          /* zeros */
    median_of((const char *[]){"100", "0", "0", "0", "100", "100", "100"}, 7, "200");
    median_of((const char *[]){"10.50", "3.25"}, 2, "13.75");    /* money, exact */
    median_of((const char *[]){"7"}, 1, "14");
}

static void test_band(void)
{
    sl_dec m2 = dec("100"), v; /* median 50 */
    v = dec("10");             /* exactly 20% */
    CHECK(sl_volume_band(&v, &m2, 2000, 0) == SL_VOL_IN);
    v = dec("9.99");
    CHECK(sl_volume_band(&v, &m2, 2000, 0) == SL_VOL_LOW);
    v = dec("250"); /* exactly 500% */
    CHECK(sl_volume_band(&v, &m2, 2000, 50000) == SL_VOL_IN);
    v = dec("250.01");
    CHECK(sl_volume_band(&v, &m2, 2000, 50000) == SL_VOL_HIGH);
    CHECK(sl_volume_band(&v, &m2, 2000, 0) == SL_VOL_IN); /* no upper bound */
    m2 = dec("185");                                     /* median 92.5 */
    v = dec("18");                                       /* 19.46% */
    CHECK(sl_volume_band(&v, &m2, 2000, 0) == SL_VOL_LOW);
    v = dec("19");
    CHECK(sl_volume_band(&v, &m2, 2000, 0) == SL_VOL_IN);
}

/* ---- sl_volume_check over a fake sink ---- */

typedef struct fake_sink {
    sl_sink base;
    char from[20], to[20]; /* what the check asked for */
    int calls;
} fake_sink;

/* Days 2024-01-01 .. 2024-01-10 (the column's civil time), 100 rows an hour of 1000.50 each
 * hour's sum, except: hour 14 of the 9th has 10 rows; hour 15 of the 9th sums 10.00; hour 03
 * of the 5th, 6th and 7th has no rows; hour 04 never has rows; hour 05 of the 9th has 600. */
static sl_status fake_read(sl_sink *sink, const sl_volume_query *q, sl_volume_fn fn, void *ctx,
                           sl_error *err)
{
    (void)err;
    fake_sink *f = (fake_sink *)sink;
    snprintf(f->from, sizeof f->from, "%s", q->from);
    snprintf(f->to, sizeof f->to, "%s", q->to);
    f->calls++;
    CHECK(!q->by_day && q->time_column == 1 && (q->sum_column == 2 || q->sum_column == -1));
    int64_t t0, from, to;
    sl_time_parse("2024-01-01 00:00:00", 19, 0, &t0);
    sl_time_parse(q->from, strlen(q->from), 0, &from);
    sl_time_parse(q->to, strlen(q->to), 0, &to);
    for (int64_t t = t0; t < t0 + 10 * 86400; t += 3600) {
        int day = (int)((t - t0) / 86400) + 1, hour = (int)((t - t0) % 86400 / 3600);
        int64_t rows = 100;
        const char *sum = "1000.50";
        if (t < from || t >= to || hour == 4 || (hour == 3 && day >= 5 && day <= 7))
            continue;
        if (day == 9 && hour == 14)
            rows = 10;
        if (day == 9 && hour == 15)
            sum = "10.00";
        if (day == 9 && hour == 5)
            rows = 600;
        char text[20];
        sl_time_format(t, 0, text);
        if (fn(text, rows, sum, ctx) != 0)
            break;
    }
    return SL_OK;
}

static const sl_sink_ops fake_ops = {.volume_read = fake_read};

static sl_plan *compile_volume(const char *volume, const char *alerts)
{
    char text[4096];
    snprintf(text, sizeof text,
             "version: 1\nname: v\nsource:\n  endpoint: http://127.0.0.1:9/x\n  method: m\n"
             "  signer: { type: none }\n"
             "  window: { from_param: f, to_param: t, start: \"2024-01-01 00:00:00\", "
             "timezone: \"+08:00\" }\n"
             "  paging: { page_param: p, size_param: s, total: total }\n  records: items\n"
             "target: { dsn: \"mysql://u@localhost/db\", table: t, key: [id], "
             "window_column: modified }\n"
             "columns:\n  id: { path: id, type: bigint }\n"
             "  modified: { path: m, type: datetime, from: epoch_ms, timezone: \"+08:00\" }\n"
             "  amount: { path: a, type: \"decimal(12,2)\" }\n"
             "%svolume:\n%s",
             alerts, volume);
    sl_diag *diag = sl_diag_new("job.yml");
    sl_compile_options opts = {.resolve_secrets = false};
    sl_plan *plan = sl_compile_text("job.yml", text, strlen(text), &opts, diag);
    if (sl_diag_errors(diag))
        sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    CHECK(plan != NULL);
    return plan;
}

/* Epoch seconds (UTC) of a +08:00 wall-clock time. */
static int64_t at(const char *civil)
{
    int64_t t = 0;
    CHECK(sl_time_parse(civil, strlen(civil), 8 * 3600, &t));
    return t;
}

static void test_check(void)
{
    sl_plan *plan = compile_volume("  sum: amount\n  max_share: 500%\n", "");
    if (!plan)
        return;
    fake_sink f = {.base = {&fake_ops, plan}};
    sl_volume_result r;
    sl_error err = {0};
    /* the 9th, and half an hour of the 10th: hour 00 of the 10th is still open */
    CHECK(sl_volume_check(plan, &f.base, at("2024-01-09 00:00:00"), at("2024-01-10 00:30:00"),
                          &r, &err) == SL_OK);
    CHECK_STR(f.from, "2024-01-02 00:00:00");
    CHECK_STR(f.to, "2024-01-10 00:00:00");
    CHECK(r.checked);
    CHECK(r.judged == 23 && r.zero_median == 1 && r.short_history == 0);
    CHECK(r.out_of_band == 3 && r.n_out == 3);
    char text[400];
    sl_volume_verdict_text(plan, &r.out[0], text, sizeof text);
    CHECK_STR(text, "2024-01-09 05:00: 600 rows, over 500.00% of the median 100 (7 days); "
                    "sum of amount 1000.5, within the band of the median 1000.5");
    sl_volume_verdict_text(plan, &r.out[1], text, sizeof text);
    CHECK_STR(text, "2024-01-09 14:00: 10 rows, under 20.00% of the median 100 (7 days); "
                    "sum of amount 1000.5, within the band of the median 1000.5");
    CHECK(r.out[2].rows_side == SL_VOL_IN && r.out[2].sum_side == SL_VOL_LOW);
    CHECK(r.has_latest && r.latest.start == r.out[2].start + 8 * 3600);
    sl_volume_summary_text(plan, &r, text, sizeof text);
    CHECK_STR(text, "23 hours judged, 3 out of band, 1 not judged (median 0 rows)");
    CHECK(sl_volume_alarm(&r));

    /* the 2nd and 3rd: one or two previous days, under min_history 3 */
    CHECK(sl_volume_check(plan, &f.base, at("2024-01-02 00:00:00"), at("2024-01-04 00:00:00"),
                          &r, &err) == SL_OK);
    CHECK(r.judged == 0 && r.short_history == 48 && r.zero_median == 0 && !sl_volume_alarm(&r));
    sl_volume_summary_text(plan, &r, text, sizeof text);
    CHECK_STR(text, "0 hours judged, 0 out of band, 48 not judged (history under 3 days)");

    /* the 5th, hour 03: its history is the 4th..1st (4 days, an even count), 100 rows each;
     * the 5th's hour 03 has no rows: 0 of a median of 100 is out of band */
    CHECK(sl_volume_check(plan, &f.base, at("2024-01-05 03:00:00"), at("2024-01-05 04:00:00"),
                          &r, &err) == SL_OK);
    CHECK(r.judged == 1 && r.out_of_band == 1 && r.out[0].n_history == 4 && r.out[0].rows == 0);
    CHECK_STR(r.out[0].rows_median, "100");

    /* the 9th, hour 03: three of its seven previous days had no rows (zeros, not missing):
     * median 100 of {0,0,0,100,100,100,100}, in band */
    CHECK(sl_volume_check(plan, &f.base, at("2024-01-09 03:00:00"), at("2024-01-09 04:00:00"),
                          &r, &err) == SL_OK);
    CHECK(r.judged == 1 && r.out_of_band == 0 && r.latest.n_history == 7);
    CHECK_STR(r.latest.rows_median, "100");

    /* a range that completes no hour judges nothing and reads nothing */
    int calls = f.calls;
    CHECK(sl_volume_check(plan, &f.base, at("2024-01-09 03:10:00"), at("2024-01-09 03:50:00"),
                          &r, &err) == SL_OK);
    CHECK(r.checked && r.judged == 0 && f.calls == calls);
    sl_plan_free(plan);
}

/* A run of 9 days judges only its last 7 (history: 7d): one query of 14 days. */
static void test_long_run(void)
{
    sl_plan *plan = compile_volume("  sum: amount\n", "");
    if (!plan)
        return;
    fake_sink f = {.base = {&fake_ops, plan}};
    sl_volume_result r;
    CHECK(sl_volume_check(plan, &f.base, at("2024-01-01 00:00:00"), at("2024-01-10 00:00:00"),
                          &r, &(sl_error){0}) == SL_OK);
    CHECK_STR(f.from, "2023-12-27 00:00:00");
    CHECK_STR(f.to, "2024-01-10 00:00:00");
    CHECK(r.judged + r.short_history + r.zero_median == 7 * 24);
    sl_plan_free(plan);
}

/* alerts.on: [volume] is wanted only when a bucket was out of band; the JSON body carries the
 * buckets, the markdown a line naming them; the metrics name the counts. */
static void test_alert(void)
{
    sl_plan *plan =
        compile_volume("  by: hour\n", "alerts:\n  webhook: http://127.0.0.1:9/hook\n"
                                       "  on: [volume]\n");
    if (!plan)
        return;
    fake_sink f = {.base = {&fake_ops, plan}};
    sl_run_summary sum = {0};
    sl_report rep = {.command = "run", .status = SL_OK, .sum = &sum, .host = "host"};
    CHECK(sl_volume_check(plan, &f.base, at("2024-01-09 03:00:00"), at("2024-01-09 04:00:00"),
                          &sum.volume, &(sl_error){0}) == SL_OK);
    CHECK(!sl_alert_wanted(plan, &rep));
    CHECK(sl_volume_check(plan, &f.base, at("2024-01-09 14:00:00"), at("2024-01-09 15:00:00"),
                          &sum.volume, &(sl_error){0}) == SL_OK);
    CHECK(sl_alert_wanted(plan, &rep));
    char *body = sl_alert_body(plan, &rep);
    CHECK(body && strstr(body, "\"volume\":{\"checked\":true,\"judged\":1,\"out_of_band\":1,"
                               "\"not_judged\":0,\"buckets\":[{\"start\":\"2024-01-09 14:00:00\","
                               "\"rows\":10,\"rows_median\":\"100\",\"rows_side\":\"under\"}]}"));
    if (body && !strstr(body, "\"volume\":{\"checked\""))
        fprintf(stderr, "body: %s\n", body);
    free(body);
    sl_alert_plan *a = (sl_alert_plan *)plan->alerts;
    a->format = SL_ALERT_WECOM; /* the markdown names the hour */
    body = sl_alert_body(plan, &rep);
    CHECK(body && strstr(body, "> volume out of band: 2024-01-09 14:00: 10 rows, under 20.00% of "
                               "the median 100 (7 days)"));
    free(body);
    char *m = sl_metrics_text(plan, &rep, NULL);
    CHECK(m && strstr(m, "sluice_run_volume_out_of_band_buckets{job=\"v\",command=\"run\"} 1\n"));
    CHECK(m && strstr(m, "sluice_run_volume_judged_buckets{job=\"v\",command=\"run\"} 1\n"));
    free(m);
    sl_plan_free(plan);
}

int main(void)
{
    test_arithmetic();
    test_median();
    test_band();
    test_check();
    test_long_run();
    test_alert();
    return check_done();
}

/* report.c: the alert webhook and the Prometheus metrics file (see report.h). The alert goes
 * through its own libcurl easy handle (the runner's multi handle is gone by then), TLS checked,
 * redirects not followed; its failure is logged and otherwise ignored. The metrics file keeps
 * the last success time and the watermark of the previous file when this run has none, so
 * one file per job and command is the expected setup. */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "grow.h"
#include "quality_report.h"
#include "text.h"
#include "timeutil.h"
#include "volume.h"

enum {
    TEXT_MAX = 64 * 1024,  /* an alert body or a metrics file is far smaller */
    REPLY_MAX = 4096,      /* what is kept of the webhook's reply */
    CONTENT_MAX = 3800,    /* WeCom takes at most 4096 bytes of markdown */
    HOST_MAX = 256,
};

/* ---- a capped text buffer -------------------------------------------------------------- */

typedef struct rbuf {
    char *s;
    size_t len, cap;
    bool failed; /* out of memory or over TEXT_MAX: the text is unusable */
} rbuf;

static void rb_fmt(rbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void rb_fmt(rbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->failed || n < 0 || b->len + (size_t)n + 1 > TEXT_MAX) {
        b->failed = true;
        return;
    }
    char *p = sl_grow(b->s, &b->cap, b->len + (size_t)n + 1, 1, 512);
    if (!p) {
        b->failed = true;
        return;
    }
    b->s = p;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Returns the text (owned), or NULL when it failed. */
static char *rb_take(rbuf *b)
{
    if (b->failed || !b->s) {
        free(b->s);
        return NULL;
    }
    return b->s;
}

/* ---- what happened --------------------------------------------------------------------- */

static const sl_run_summary zero_summary = {.range_from = INT64_MIN, .range_to = INT64_MIN,
                                            .watermark_before = INT64_MIN,
                                            .watermark_after = INT64_MIN,
                                            .refresh_live = -1, .refresh_read = -1};

static const sl_run_summary *summary_of(const sl_report *r)
{
    return r->sum ? r->sum : &zero_summary;
}

static bool is_gaps(const sl_report *r)
{
    return r->status == SL_ERR_FOUND && !strcmp(r->command, "verify");
}

bool sl_alert_wanted(const sl_plan *plan, const sl_report *r)
{
    const sl_alert_plan *a = plan->alerts;
    if (!a)
        return false;
    if (r->status != SL_OK && (a->on & SL_ALERT_ON_FAILURE))
        return true;
    if (r->status == SL_OK && (a->on & SL_ALERT_ON_SUCCESS))
        return true;
    if (summary_of(r)->quality_failed && (a->on & SL_ALERT_ON_QUALITY))
        return true;
    if (sl_volume_alarm(&summary_of(r)->volume) && (a->on & SL_ALERT_ON_VOLUME))
        return true;
    return summary_of(r)->rejects > 0 && (a->on & SL_ALERT_ON_REJECTS);
}

/* "ok", "ok, 3 rejects", "gaps found (exit 1)" or "failed: source (exit 4)". */
static void outcome(const sl_report *r, char *buf, size_t n)
{
    uint64_t rejects = summary_of(r)->rejects;
    if (r->event)
        snprintf(buf, n, "%s", r->event);
    else if (r->status == SL_OK && rejects)
        snprintf(buf, n, "ok, %" PRIu64 " rejects", rejects);
    else if (r->status == SL_OK)
        snprintf(buf, n, "ok");
    else if (is_gaps(r))
        snprintf(buf, n, "gaps found (exit %d)", (int)r->status);
    else
        snprintf(buf, n, "failed: %s (exit %d)", sl_status_name(r->status), (int)r->status);
}

/* The error text with the plan's secrets masked, as one line of valid UTF-8 (it may quote the
 * API, and json_string() refuses invalid UTF-8); "" when there is none. */
static void message_of(const sl_plan *plan, const sl_report *r, char *buf, size_t n)
{
    char raw[sizeof((sl_error *)0)->msg];
    if (r->message && r->message[0])
        snprintf(raw, sizeof raw, "%s", r->message);
    else if (is_gaps(r))
        snprintf(raw, sizeof raw, "some windows hold fewer keys in the table than the API's total");
    else
        raw[0] = '\0';
    sl_plan_redact(plan, raw, sizeof raw);
    sl_text_escape(buf, n, raw, strlen(raw));
}

static void fmt_time(const sl_plan *plan, int64_t t, char out[20])
{
    if (t == INT64_MIN)
        snprintf(out, 20, "(none)");
    else
        sl_time_format(t, plan->source.window.tz_offset_s, out);
}

static const char *host_of(const sl_report *r, char buf[HOST_MAX])
{
    if (r->host)
        return r->host;
    if (gethostname(buf, HOST_MAX) != 0)
        snprintf(buf, HOST_MAX, "unknown");
    buf[HOST_MAX - 1] = '\0';
    return buf;
}

/* ---- alert bodies ---------------------------------------------------------------------- */

/* The markdown lines of the alert; sep ends a line (DingTalk needs a blank line between). */
static void markdown(const sl_plan *plan, const sl_report *r, const char *sep, rbuf *b)
{
    const sl_run_summary *s = summary_of(r);
    char what[64], msg[sizeof((sl_error *)0)->msg], host[HOST_MAX];
    char a[20], z[20], wb[20], wa[20];
    outcome(r, what, sizeof what);
    message_of(plan, r, msg, sizeof msg);
    rb_fmt(b, "**sluice %s %s%s%s: %s**%s", r->command, plan->name,
           plan->account ? " account " : "", plan->account ? plan->account : "", what, sep);
    if (msg[0])
        rb_fmt(b, "> error: %s%s", msg, sep);
    if (r->event) {
        rb_fmt(b, "> the service's event, not a run%s", sep);
    } else if (!r->sum) {
        rb_fmt(b, "> the run did not start%s", sep);
    } else {
        fmt_time(plan, s->range_from, a);
        fmt_time(plan, s->range_to, z);
        fmt_time(plan, s->watermark_before, wb);
        fmt_time(plan, s->watermark_after, wa);
        rb_fmt(b, "> range: %s .. %s%s", a, z, sep);
        rb_fmt(b,
               "> windows %" PRIu64 ", pages %" PRIu64 ", requests %" PRIu64 ", retries %" PRIu64
               ", throttled %" PRIu64 "%s",
               s->windows, s->pages, s->requests, s->retries, s->throttles, sep);
        rb_fmt(b, "> rows %" PRIu64 ", child rows %" PRIu64 ", rejects %" PRIu64 "%s", s->rows,
               s->child_rows, s->rejects, sep);
        rb_fmt(b, "> watermark: %s -> %s%s", wb, wa, sep);
        char dq[1024];
        sl_quality_failures(plan, s, dq, sizeof dq);
        if (dq[0])
            rb_fmt(b, "> quality: %s%s", dq, sep);
        sl_volume_failures(plan, &s->volume, dq, sizeof dq);
        if (dq[0])
            rb_fmt(b, "> volume out of band: %s%s", dq, sep);
    }
    if (r->event)
        rb_fmt(b, "> on %s", host_of(r, host));
    else
        rb_fmt(b, "> elapsed %.1f s on %s", s->elapsed_s, host_of(r, host));
}

static json_t *time_or_null(const sl_plan *plan, int64_t t)
{
    char buf[20];
    if (t == INT64_MIN)
        return json_null();
    sl_time_format(t, plan->source.window.tz_offset_s, buf);
    return json_string(buf);
}

static json_t *flat_object(const sl_plan *plan, const sl_report *r)
{
    const sl_run_summary *s = summary_of(r);
    char msg[sizeof((sl_error *)0)->msg], host[HOST_MAX];
    message_of(plan, r, msg, sizeof msg);
    json_t *o = json_object();
    const struct {
        const char *key;
        json_t *v;
    } f[] = {
        {"job", json_string(plan->name)},
        {"command", json_string(r->command)},
        {"status", json_string(r->event ? r->event : sl_status_name(r->status))},
        {"exit_code", r->event ? json_null() : json_integer(r->status)},
        {"message", json_string(msg)},
        {"started", json_boolean(r->sum != NULL)},
        {"range_from", time_or_null(plan, s->range_from)},
        {"range_to", time_or_null(plan, s->range_to)},
        {"windows", json_integer((json_int_t)s->windows)},
        {"requests", json_integer((json_int_t)s->requests)},
        {"pages", json_integer((json_int_t)s->pages)},
        {"records", json_integer((json_int_t)s->records)},
        {"rows", json_integer((json_int_t)s->rows)},
        {"child_rows", json_integer((json_int_t)s->child_rows)},
        {"rejects", json_integer((json_int_t)s->rejects)},
        {"retries", json_integer((json_int_t)s->retries)},
        {"throttles", json_integer((json_int_t)s->throttles)},
        {"watermark_before", time_or_null(plan, s->watermark_before)},
        {"watermark_after", time_or_null(plan, s->watermark_after)},
        {"elapsed_s", json_real(s->elapsed_s)},
        {"host", json_string(host_of(r, host))},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (!o)
            json_decref(f[i].v);
        else if (json_object_set_new(o, f[i].key, f[i].v) != 0) { /* took f[i].v anyway */
            json_decref(o);
            o = NULL;
        }
    }
    if (o && plan->account && json_object_set_new(o, "account", json_string(plan->account))) {
        json_decref(o);
        o = NULL;
    }
    if (o && plan->n_quality && json_object_set_new(o, "quality", sl_quality_json(plan, s))) {
        json_decref(o);
        o = NULL;
    }
    if (o && plan->volume.on &&
        json_object_set_new(o, "volume", sl_volume_json(plan, &s->volume))) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

static json_t *robot_object(const sl_plan *plan, const sl_report *r)
{
    bool ding = plan->alerts->format == SL_ALERT_DINGTALK;
    rbuf b = {0};
    markdown(plan, r, ding ? "\n\n" : "\n", &b);
    char *text = rb_take(&b);
    if (!text)
        return NULL;
    sl_text_cut(text, CONTENT_MAX);
    char title[128], what[64];
    outcome(r, what, sizeof what);
    snprintf(title, sizeof title, "sluice %s %s%s%s: %s", r->command, plan->name,
             plan->account ? " account " : "", plan->account ? plan->account : "", what);
    json_t *o = ding ? json_pack("{s:s,s:{s:s,s:s}}", "msgtype", "markdown", "markdown", "title",
                                 title, "text", text)
                     : json_pack("{s:s,s:{s:s}}", "msgtype", "markdown", "markdown", "content",
                                 text);
    free(text);
    return o;
}

char *sl_alert_body(const sl_plan *plan, const sl_report *r)
{
    if (!plan->alerts)
        return NULL;
    json_t *o = plan->alerts->format == SL_ALERT_JSON ? flat_object(plan, r)
                                                      : robot_object(plan, r);
    char *body = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))
                   : NULL;
    json_decref(o);
    return body;
}

/* ---- sending --------------------------------------------------------------------------- */

typedef struct reply {
    char text[REPLY_MAX];
    size_t len;
} reply;

static size_t on_reply(char *data, size_t size, size_t n, void *ctx)
{
    reply *rp = ctx;
    size_t len = size * n, room = sizeof rp->text - 1 - rp->len;
    memcpy(rp->text + rp->len, data, len < room ? len : room);
    rp->len += len < room ? len : room;
    rp->text[rp->len] = '\0';
    return len; /* the rest is read and dropped */
}

/* WeCom and DingTalk answer HTTP 200 with {"errcode": N, "errmsg": ...}; N != 0 is a failure. */
static bool robot_refused(const reply *rp, char *why, size_t n)
{
    json_t *o = json_loadb(rp->text, rp->len, 0, NULL);
    json_t *code = json_object_get(o, "errcode");
    bool refused = json_is_integer(code) && json_integer_value(code) != 0;
    if (refused) {
        const char *msg = json_string_value(json_object_get(o, "errmsg"));
        snprintf(why, n, "the webhook refused it: errcode %" JSON_INTEGER_FORMAT " (%s)",
                 json_integer_value(code), msg ? msg : "no errmsg");
    }
    json_decref(o);
    return refused;
}

/* POSTs body to the webhook; returns 0, or -1 with the reason in why (no URL in it). */
static int post(const sl_alert_plan *a, const char *body, char *why, size_t n)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    reply rp = {.len = 0};
    CURL *e = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json;charset=utf-8");
    int rc = -1;
    if (!e || !h) {
        snprintf(why, n, "out of memory");
        goto out;
    }
    curl_easy_setopt(e, CURLOPT_URL, a->webhook);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)a->timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "sluice/0.1");
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_reply);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &rp);
    CURLcode code = curl_easy_perform(e);
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    if (code != CURLE_OK)
        snprintf(why, n, "%s", errbuf[0] ? errbuf : curl_easy_strerror(code));
    else if (status < 200 || status > 299)
        snprintf(why, n, "the webhook answered HTTP %ld", status);
    else if (!robot_refused(&rp, why, n))
        rc = 0;
out:
    curl_slist_free_all(h);
    curl_easy_cleanup(e);
    return rc;
}

/* POSTs the alert of r; 0, or -1 after one line on log. */
static int send_body(const sl_plan *plan, const sl_report *r, FILE *log)
{
    char why[512];
    char *body = sl_alert_body(plan, r);
    int rc = body ? post(plan->alerts, body, why, sizeof why) : -1;
    if (!body)
        snprintf(why, sizeof why, "out of memory");
    free(body);
    if (rc != 0) {
        char line[sizeof why];
        sl_plan_redact(plan, why, sizeof why);
        sl_text_escape(line, sizeof line, why, strlen(why)); /* it may quote the webhook's reply */
        fprintf(log, "sluice: warning: alert not sent: %s\n", line);
    }
    return rc;
}

int sl_alert_send(const sl_plan *plan, const sl_report *r, FILE *log)
{
    return sl_alert_wanted(plan, r) ? send_body(plan, r, log) : 0;
}

int sl_alert_event(const sl_plan *plan, const sl_report *r, FILE *log)
{
    return plan->alerts ? send_body(plan, r, log) : 0;
}

/* ---- metrics --------------------------------------------------------------------------- */

/* The value of the first sample of metric name in a previous file's text, or INT64_MIN. */
static int64_t prev_value(const char *prev, const char *name)
{
    size_t n = strlen(name);
    for (const char *line = prev; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > n && !strncmp(line, name, n) && (line[n] == '{' || line[n] == ' ')) {
            const char *sp = line + len;
            while (sp > line && sp[-1] != ' ')
                sp--;
            char *stop;
            double v = strtod(sp, &stop);
            if (stop != sp && v > -9e18 && v < 9e18)
                return (int64_t)v;
        }
        line = end ? end + 1 : NULL;
    }
    return INT64_MIN;
}

static void metric(rbuf *b, const char *labels, const char *name, const char *help,
                   const char *value)
{
    rb_fmt(b, "# HELP %s %s\n# TYPE %s gauge\n%s{%s} %s\n", name, help, name, name, labels,
           value);
}

static void metric_int(rbuf *b, const char *labels, const char *name, const char *help,
                       int64_t v)
{
    char text[32];
    snprintf(text, sizeof text, "%" PRId64, v);
    metric(b, labels, name, help, text);
}

static void counters(rbuf *b, const char *labels, const sl_run_summary *s)
{
    const struct {
        const char *name, *help;
        uint64_t v;
    } c[] = {
        {"sluice_run_rows", "Parent rows the last run committed.", s->rows},
        {"sluice_run_child_rows", "Child rows the last run committed.", s->child_rows},
        {"sluice_run_rejects", "Records the last run rejected.", s->rejects},
        {"sluice_run_requests", "API requests the last run sent.", s->requests},
        {"sluice_run_retries", "Transient API failures the last run retried.", s->retries},
        {"sluice_run_throttles", "Throttle replies the last run received.", s->throttles},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        metric_int(b, labels, c[i].name, c[i].help, (int64_t)c[i].v);
}

char *sl_metrics_text(const sl_plan *plan, const sl_report *r, const char *prev)
{
    const sl_run_summary *s = summary_of(r);
    rbuf b = {0};
    char labels[160], dur[32];
    snprintf(labels, sizeof labels, "job=\"%s\",%s%s%scommand=\"%s\"", plan->name,
             plan->account ? "account=\"" : "", plan->account ? plan->account : "",
             plan->account ? "\"," : "", r->command);
    int64_t success = r->status == SL_OK
                          ? r->now
                          : prev_value(prev, "sluice_run_last_success_timestamp_seconds");
    int64_t wm = s->watermark_after != INT64_MIN
                     ? s->watermark_after
                     : prev_value(prev, "sluice_watermark_timestamp_seconds");
    metric_int(&b, labels, "sluice_run_last_status",
               "Exit status of the last run (0 ok; see sluice --help).", (int64_t)r->status);
    if (success != INT64_MIN)
        metric_int(&b, labels, "sluice_run_last_success_timestamp_seconds",
                   "When the last successful run ended (the engine's clock).", success);
    snprintf(dur, sizeof dur, "%.3f", s->elapsed_s);
    metric(&b, labels, "sluice_run_duration_seconds", "How long the last run took.", dur);
    counters(&b, labels, s);
    char *dq = sl_quality_metrics(plan, s, labels);
    if (!dq)
        b.failed = true;
    else
        rb_fmt(&b, "%s", dq);
    free(dq);
    if (plan->volume.on && r->sum) {
        char *vol = sl_volume_metrics(&s->volume, labels);
        if (!vol)
            b.failed = true;
        else
            rb_fmt(&b, "%s", vol);
        free(vol);
    }
    if (wm != INT64_MIN) {
        metric_int(&b, labels, "sluice_watermark_timestamp_seconds",
                   "The job's watermark: everything modified before it is synced.", wm);
        metric_int(&b, labels, "sluice_watermark_lag_seconds",
                   "The engine's clock minus the watermark.", r->now - wm);
    }
    if (plan->target.refresh.on && s->refresh_read >= 0) {
        metric_int(&b, labels, "sluice_refresh_rows_read",
                   "A full refresh: the rows the last run read.", s->refresh_read);
        metric_int(&b, labels, "sluice_refresh_table_rows",
                   "A full refresh: the table's rows before the last run.", s->refresh_live);
    }
    return rb_take(&b);
}

/* Reads a previous metrics file (at most TEXT_MAX bytes); NULL when there is none. */
static char *read_prev(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = malloc(TEXT_MAX + 1);
    size_t n = text ? fread(text, 1, TEXT_MAX, f) : 0;
    if (text)
        text[n] = '\0';
    fclose(f);
    return text;
}

static int write_file(const char *tmp, const char *path, const char *text)
{
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    bool ok = fputs(text, f) >= 0 && fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (ok && rename(tmp, path) == 0)
        return 0;
    int saved = errno;
    remove(tmp);
    errno = saved;
    return -1;
}

int sl_metrics_write(const sl_plan *plan, const sl_report *r, const char *path, FILE *log)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
        fprintf(log, "sluice: warning: metrics not written: the path is too long\n");
        return -1;
    }
    char *prev = read_prev(path);
    char *text = sl_metrics_text(plan, r, prev);
    free(prev);
    errno = ENOMEM;
    int rc = text ? write_file(tmp, path, text) : -1;
    if (rc != 0)
        fprintf(log, "sluice: warning: metrics not written to %s: %s\n", path, strerror(errno));
    free(text);
    return rc;
}

void sl_report_after(const sl_plan *plan, const sl_report *r, const char *metrics_path)
{
    if (metrics_path)
        sl_metrics_write(plan, r, metrics_path, stderr);
    sl_alert_send(plan, r, stderr);
}

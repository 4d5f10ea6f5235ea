/* knobs.c: the mock's tunables as one table, read by the command line, by POST /_admin and by
 * --help, so the three never disagree. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock.h"

typedef struct knob_def {
    const char *name; /* flag spelling; "_" is accepted for "-" */
    bool real;        /* a rate in [0,1] rather than an integer */
    size_t off;
    double min, max, def;
    const char *doc;
} knob_def;

#define KI(n, f, lo, hi, d, doc) {n, false, offsetof(mock_knobs, f), lo, hi, d, doc}
#define KR(n, f, doc) {n, true, offsetof(mock_knobs, f), 0, 1, 0, doc}
static const knob_def KNOBS[] = {
    KI("latency-ms", latency_ms, 0, 600000, 0, "fixed delay before every reply"),
    KI("jitter-ms", jitter_ms, 0, 600000, 0, "extra random delay, uniform in [0, jitter]"),
    KI("calls-per-minute", calls_per_minute, 0, 1e9, 0,
       "WDT per-minute call limit (status 100 频率), 0 = none"),
    KI("concurrency", concurrency, 0, 100000, 0,
       "WDT requests in flight at most (status 100 并发), 0 = none"),
    KI("gateway-qps", gateway_qps, 0, 1e9, 0, "Qimen calls per second before code 7 and a ban"),
    KI("ban-seconds", ban_seconds, 1, 3600, 1, "length of a gateway ban (code 7)"),
    KI("ban-grace-ms", ban_grace_ms, 0, 60000, 5,
       "a request during a ban arriving this soon after the ban reply left is no violation"),
    KR("fail-500", fail_500, "rate of HTTP 500 replies"),
    KR("fail-502", fail_502, "rate of HTTP 502 replies"),
    KR("fail-503", fail_503, "rate of HTTP 503 replies"),
    KR("fail-throttle-gw", fail_throttle_gw, "rate of gateway code 7 replies (starts a ban)"),
    KR("fail-throttle-freq", fail_throttle_freq, "rate of status 100 频率 replies"),
    KR("fail-throttle-conc", fail_throttle_conc, "rate of status 100 并发 replies"),
    KR("fail-truncate", fail_truncate, "rate of 200 replies cut in half"),
    KR("fail-stall", fail_stall, "rate of replies delayed by stall-ms"),
    KI("stall-ms", stall_ms, 0, 3600000, 30000, "delay of a stalled reply"),
    KI("mutate", mutate, 0, 100000, 0, "random records of the window moved to now after each page"),
    KR("mutate-share", mutate_share,
       "share of the window's records (on top of --mutate) moved to now after each page"),
    KI("mutate-insert", mutate_insert, 0, 100000, 0, "new records (modified now) after each page"),
    KI("classic-errors", classic_errors, 0, 1, 0,
       "1: gateway errors as TOP's {\"error_response\": ...} instead of Qimen's form"),
    KI("max-page-size", max_page_size, 1, 100000, 1000, "larger page_size is refused"),
    KI("default-page-size", default_page_size, 1, 100000, 40, "page_size when not given"),
    KI("total-cap", total_cap, 0, 1e9, 0,
       "a reply's total_count says at most this, whatever the pages hold (0 = the true count)"),
    KI("retry-after", retry_after, 0, 1e9, 0,
       "N > 0: every API call answers HTTP 429 with Retry-After: N (0 = off)"),
    KI("bad-literals", bad_literals, 0, 1000000, 0,
       "N: of records with refund_id % N = 0, unread fields hold a 30-digit integer, 1e400, "
       "\\u0000, invalid UTF-8 and a lone surrogate; = 1, trade_id has 28 digits; = 2, remark "
       "starts with byte 0xff (those two are left out of /_truth); 0 = none"),
};
#define N_KNOBS (sizeof KNOBS / sizeof KNOBS[0])

static const knob_def *knob_find(const char *name)
{
    for (size_t i = 0; i < N_KNOBS; i++) {
        const char *a = KNOBS[i].name, *b = name;
        while (*a && (*a == *b || (*a == '-' && *b == '_'))) {
            a++;
            b++;
        }
        if (!*a && !*b)
            return &KNOBS[i];
    }
    return NULL;
}

static bool knob_store(mock_knobs *k, const knob_def *d, double v, char *err, size_t n)
{
    if (!(v >= d->min && v <= d->max) || (!d->real && v != floor(v))) {
        snprintf(err, n, "%s must be %s between %g and %g", d->name,
                 d->real ? "a number" : "an integer", d->min, d->max);
        return false;
    }
    if (d->real)
        *(double *)((char *)k + d->off) = v;
    else
        *(int64_t *)((char *)k + d->off) = (int64_t)v;
    return true;
}

bool mock_knob_set(mock_knobs *k, const char *name, const char *text, char *err, size_t n)
{
    const knob_def *d = knob_find(name);
    if (!d) {
        snprintf(err, n, "unknown knob '%s' (see --help)", name);
        return false;
    }
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end) {
        snprintf(err, n, "%s: '%s' is not a number", d->name, text);
        return false;
    }
    return knob_store(k, d, v, err, n);
}

bool mock_knob_set_json(mock_knobs *k, const char *name, const json_t *v, char *err, size_t n)
{
    const knob_def *d = knob_find(name);
    if (!d) {
        snprintf(err, n, "unknown knob '%s'", name);
        return false;
    }
    if (!json_is_number(v)) {
        snprintf(err, n, "%s: a number is required", d->name);
        return false;
    }
    return knob_store(k, d, json_number_value(v), err, n);
}

json_t *mock_knobs_json(const mock_knobs *k)
{
    json_t *o = json_object();
    for (size_t i = 0; i < N_KNOBS; i++) {
        const char *p = (const char *)k + KNOBS[i].off;
        json_object_set_new(o, KNOBS[i].name, KNOBS[i].real ? json_real(*(const double *)p)
                                                            : json_integer(*(const int64_t *)p));
    }
    return o;
}

void mock_knobs_default(mock_knobs *k)
{
    char err[160];
    memset(k, 0, sizeof *k);
    for (size_t i = 0; i < N_KNOBS; i++)
        knob_store(k, &KNOBS[i], KNOBS[i].def, err, sizeof err);
}

void mock_knobs_help(FILE *out)
{
    for (size_t i = 0; i < N_KNOBS; i++)
        fprintf(out, "  --%-20s %s (default %g)\n", KNOBS[i].name, KNOBS[i].doc, KNOBS[i].def);
}

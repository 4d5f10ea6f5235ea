/* knobs.c: wdt-mock's tunables as one table (tools/mockkit reads it for the command line,
 * POST /_admin and --help, so the three never disagree). */
#include <stddef.h>

#include "mock.h"

#define KI(n, f, lo, hi, d, doc) {n, MK_INT, offsetof(mock_knobs, f), lo, hi, d, doc, NULL}
#define KR(n, f, doc) {n, MK_RATE, offsetof(mock_knobs, f), 0, 1, 0, doc, NULL}
static const mk_knob_def KNOBS[] = {
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
const mk_knob_table mock_knob_table = {KNOBS, sizeof KNOBS / sizeof KNOBS[0]};

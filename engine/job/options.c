/* options.c: the generic option loader, the job's option tables, and the JSON Schema and
 * Markdown reference printed from them. See options.h. */
#include "options.h"
#include "suggest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "convert.h"
#include "expr.h"
#include "jpath.h"
#include "kind.h"
#include "regex.h"
#include "timeutil.h"
#include "yaml_load.h"

#define N_ROWS(a) (sizeof(a) / sizeof((a)[0]))
#define UNBOUNDED 1, 0
#define DAY_MS INT64_C(86400000)

/* ---- the tables ------------------------------------------------------------------------ */

static const char *const overflow_names[] = {"error", "truncate", NULL};
static const char *const from_names[] = {"auto", "string", "epoch_ms", "epoch_s", NULL};

#define F(st, f) offsetof(st, f)

static const sl_opt window_rows[] = {
    {"from_param", SL_T_STRING, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_window, from_param), NULL,
     NULL, "request parameter carrying the window's start"},
    {"to_param", SL_T_STRING, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_window, to_param), NULL,
     NULL, "request parameter carrying the window's end"},
    {"format", SL_T_STRING, 0, "%Y-%m-%d %H:%M:%S", UNBOUNDED, F(sl_o_window, format), NULL,
     NULL, "how both bounds are written: iso8601 (2024-03-03T15:23:32+08:00), epoch (seconds), "
     "epoch_ms, or a strftime format in `timezone` (%z is its offset, %s epoch seconds; "
     "%Z and the locale's conversions are refused); at most 63 bytes of text"},
    {"timezone", SL_T_TIMEZONE, 0, "+00:00", UNBOUNDED, F(sl_o_window, timezone), NULL, NULL,
     "zone the API reads the bounds in (and the zone of `start`)"},
    {"start", SL_T_DATETIME, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_window, start), NULL, NULL,
     "first instant to sync, \"YYYY-MM-DD HH:MM:SS\" in `timezone`"},
    {"max_span", SL_T_DURATION, 0, "1d", 1000, INT64_MAX, F(sl_o_window, max_span), NULL, NULL,
     "longest window (the API's own cap, e.g. 30d, is the job's business)"},
    {"min_span", SL_T_DURATION, 0, "1s", 1000, INT64_MAX, F(sl_o_window, min_span), NULL, NULL,
     "shortest window a split may produce; a fuller one fails the run"},
    {"overlap", SL_T_DURATION, 0, "0s", 0, INT64_MAX, F(sl_o_window, overlap), NULL, NULL,
     "consecutive windows share this much (less than max_span)"},
    {"lag", SL_T_DURATION, 0, "0s", 0, INT64_MAX, F(sl_o_window, lag), NULL, NULL,
     "the last window ends at now - lag"},
    {"max_records", SL_T_INT, 0, "10000", 1, 1000000000, F(sl_o_window, max_records), NULL, NULL,
     "a window reporting more records is split in halves"},
};

static const sl_opt wait_rows[] = {
    {"path", SL_T_JPATH, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_wait, path), NULL, NULL,
     "JSON path of the text that says how long the ban lasts"},
    {"pattern", SL_T_REGEX, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_wait, pattern), NULL, NULL,
     "PCRE2 pattern whose group 1 is the number of seconds to wait"},
};

static const sl_opt rule_rows[] = {
    {"when", SL_T_EXPR, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_rule, when), NULL, NULL,
     "condition on the reply, e.g. response.flag == \"failure\" && response.code == 7, or "
     "@status == 422 && error == \"range_too_wide\"; operators == != =~ !~ < <= > >= && || ! "
     "and parentheses"},
    {"then", SL_T_ENUM, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_rule, then), sl_action_names, NULL,
     "throttle (slow down, retry), retry (transient, with backoff), fail (stop the run) or "
     "split (the window is too wide for the API: halve it)"},
    {"message", SL_T_JPATH, 0, NULL, UNBOUNDED, F(sl_o_rule, message), NULL, NULL,
     "JSON path of the reply's own message, quoted in the error"},
    {"wait", SL_T_SECTION, 0, NULL, UNBOUNDED, F(sl_o_rule, wait), NULL, &sl_opts_wait,
     "throttle: where the reply says how long to wait"},
    {"hint", SL_T_STRING, 0, NULL, UNBOUNDED, F(sl_o_rule, hint), NULL, NULL,
     "what to check, printed with a fail"},
    {"lower_concurrency", SL_T_BOOL, 0, "false", UNBOUNDED, F(sl_o_rule, lower_concurrency),
     NULL, NULL,
     "throttle: the API refused for too many requests in flight: also lower the cap on "
     "requests in flight by one (it climbs back on success)"},
};

static const sl_opt limits_rows[] = {
    {"calls_per_minute", SL_T_INT, 0, "60", 1, 100000, F(sl_o_limits, calls_per_minute), NULL,
     NULL, "requests per minute at most (shared by all windows in flight)"},
    {"concurrency", SL_T_INT, 0, "1", 1, 64, F(sl_o_limits, concurrency), NULL, NULL,
     "requests in flight at most"},
    {"max_wait", SL_T_DURATION, 0, "5m", 1000, DAY_MS, F(sl_o_limits, max_wait), NULL, NULL,
     "longest wait a throttle reply (Retry-After, a rule's `wait`) is obeyed for; a longer "
     "demand fails the request as transient (it counts against retry.attempts)"},
};

static const sl_opt retry_rows[] = {
    {"attempts", SL_T_INT, 0, "5", 1, 100, F(sl_o_retry, attempts), NULL, NULL,
     "attempts per request before the run fails"},
    {"backoff", SL_T_RANGE, 0, "500ms..30s", 1, DAY_MS, F(sl_o_retry, backoff), NULL, NULL,
     "first..longest wait between attempts (doubling, with jitter)"},
    {"timeout", SL_T_DURATION, 0, "30s", 1000, 3600000, F(sl_o_retry, timeout), NULL, NULL,
     "whole-request timeout"},
    {"connect_timeout", SL_T_DURATION, 0, "10s", 100, 300000, F(sl_o_retry, connect_timeout), NULL,
     NULL, "connection timeout"},
};

const sl_opt_table sl_opts_window = {"window", "the time windows swept through the API",
                                     window_rows, N_ROWS(window_rows)};
const sl_opt_table sl_opts_rule = {
    "errors", "how to read failure out of a reply; rules are tried in order and the first "
              "match wins; a rule whose condition names @status is tried on every reply, the "
              "others on HTTP 200 replies only",
    rule_rows, N_ROWS(rule_rows)};
const sl_opt_table sl_opts_limits = {"limits", "request rate limits", limits_rows,
                                     N_ROWS(limits_rows)};
const sl_opt_table sl_opts_retry = {"retry", "retries of failed requests", retry_rows,
                                    N_ROWS(retry_rows)};

static const sl_opt source_rows[] = {
    {"endpoint", SL_T_STRING, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_source, endpoint), NULL,
     NULL, "the API URL (treated as a secret when it comes from a reference)"},
    {"method", SL_T_STRING, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_source, method), NULL, NULL,
     "the API method, e.g. wdt.aftersales.refund.refund.search"},
    {"signer", SL_T_KIND, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_source, signer), NULL,
     &sl_kinds_signer.section, "how requests are signed"},
    {"params", SL_T_OBJECT, 0, NULL, UNBOUNDED, F(sl_o_source, params), NULL, NULL,
     "static business parameters sent with every request"},
    {"window", SL_T_SECTION, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_source, window), NULL,
     &sl_opts_window, "the time windows"},
    {"paging", SL_T_KIND, SL_OF_REQUIRED, "page-number", UNBOUNDED, F(sl_o_source, paging), NULL,
     &sl_kinds_pager.section, "how a window's records are paged"},
    {"records", SL_T_JPATH, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_source, records), NULL, NULL,
     "JSON path of the list of records in a reply"},
    {"errors", SL_T_SEQOF, 0, NULL, 0, SL_MAX_RULES, F(sl_o_source, errors), NULL, &sl_opts_rule,
     "rules reading failure out of replies (of any HTTP status with @status)"},
    {"limits", SL_T_SECTION, 0, NULL, UNBOUNDED, F(sl_o_source, limits), NULL, &sl_opts_limits,
     "rate limits"},
    {"retry", SL_T_SECTION, 0, NULL, UNBOUNDED, F(sl_o_source, retry), NULL, &sl_opts_retry,
     "retries"},
    {"max_body", SL_T_SIZE, 0, "64M", 1024, INT64_C(1) << 30, F(sl_o_source, max_body), NULL,
     NULL, "a larger reply is an error; its decoded tree may take twice this, a larger one is "
           "refused"},
    {"allow_insecure_http", SL_T_BOOL, 0, "false", UNBOUNDED, F(sl_o_source, allow_insecure_http),
     NULL, NULL,
     "allow a plain http:// endpoint on another machine (requests, keys and replies then travel "
     "unencrypted); http to localhost, 127.0.0.0/8 and ::1 is always allowed"},
};

const sl_opt_table sl_opts_source = {"source", "the API to read", source_rows,
                                     N_ROWS(source_rows)};
const sl_opt_table sl_opts_wait = {"wait", "throttle rules: how long the API asks to wait",
                                   wait_rows, N_ROWS(wait_rows)};

static const sl_opt target_rows[] = {
    {"dsn", SL_T_SECRET, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_target, dsn), NULL, NULL,
     "mysql://user:password@host:port/database or mysql://user@localhost/database?socket=PATH"},
    {"table", SL_T_IDENT, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_target, table), NULL, NULL,
     "the parent table"},
    {"key", SL_T_LIST, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_target, key), NULL, NULL,
     "primary key column(s), in order"},
    {"write", SL_T_ENUM, 0, "replace", UNBOUNDED, F(sl_o_target, write), sl_write_mode_names, NULL,
     "replace (REPLACE INTO) or upsert (INSERT ... ON DUPLICATE KEY UPDATE)"},
    {"load", SL_T_ENUM, 0, "bulk", UNBOUNDED, F(sl_o_target, load), sl_load_mode_names, NULL,
     "how rows travel: bulk (prepared statements, MariaDB bulk array binding; multi-row "
     "statements on other servers), load_data (LOAD DATA LOCAL INFILE fed from memory; needs "
     "local_infile=ON on the server; not with write: upsert) or statements (multi-row "
     "statements)"},
    {"batch_rows", SL_T_INT, 0, "1000", 1, 100000, F(sl_o_target, batch_rows), NULL, NULL,
     "rows per statement and transaction"},
    {"max_rejects", SL_T_INT, 0, "0", 0, INT64_MAX, F(sl_o_target, max_rejects), NULL, NULL,
     "rejected records tolerated before the run fails"},
    {"state_table", SL_T_IDENT, 0, "sluice_state", UNBOUNDED, F(sl_o_target, state_table), NULL,
     NULL, "table of watermarks and run records"},
    {"reject_table", SL_T_IDENT, 0, "sluice_rejects", UNBOUNDED, F(sl_o_target, reject_table),
     NULL, NULL, "table of rejected records"},
    {"db_retry_budget", SL_T_DURATION, 0, "5m", 0, DAY_MS, F(sl_o_target, db_retry_budget), NULL,
     NULL, "how long to keep reconnecting to the database before the run fails"},
    {"window_column", SL_T_IDENT, 0, NULL, UNBOUNDED, F(sl_o_target, window_column), NULL, NULL,
     "parent column holding the windowed field (e.g. modified); `sluice verify` counts by it"},
};

const sl_opt_table sl_opts_target = {"target", "the MySQL/MariaDB database and parent table",
                                     target_rows, N_ROWS(target_rows)};

static const sl_opt column_rows[] = {
    {"path", SL_T_JPATH, 0, NULL, UNBOUNDED, F(sl_o_column, path), NULL, NULL,
     "JSON path of the value in the record (child tables: in the item); required unless "
     "from_parent"},
    {"type", SL_T_STRING, 0, NULL, UNBOUNDED, F(sl_o_column, type), NULL, NULL,
     "converter and SQL type: int, bigint, decimal(p,s), minor(p,s), varchar(n), text, "
     "datetime, bool, enum, join, join(n), regex, regex(n), json; required unless from_parent"},
    {"from", SL_T_ENUM, 0, NULL, UNBOUNDED, F(sl_o_column, from), from_names, NULL,
     "datetime: what the value is (auto: an epoch, \"YYYY-MM-DD HH:MM:SS\" or ISO-8601 with "
     "T or space, fractions, Z or an offset; string \"YYYY-MM-DD HH:MM:SS\"; epoch_ms; "
     "epoch_s)"},
    {"timezone", SL_T_TIMEZONE, 0, NULL, UNBOUNDED, F(sl_o_column, timezone), NULL, NULL,
     "datetime: zone the DATETIME is written in (epoch values and ISO-8601 values with an "
     "offset are converted to it; without it, ISO-8601 offsets go to window.timezone)"},
    {"on_overflow", SL_T_ENUM, 0, NULL, UNBOUNDED, F(sl_o_column, on_overflow), overflow_names,
     NULL, "text types: a longer value rejects the record (error) or is cut (truncate)"},
    {"map", SL_T_OBJECT, 0, NULL, UNBOUNDED, F(sl_o_column, map), NULL, NULL,
     "enum: input value -> stored value"},
    {"join", SL_T_STRING, 0, NULL, UNBOUNDED, F(sl_o_column, join), NULL, NULL,
     "join: separator (default \",\")"},
    {"pattern", SL_T_REGEX, 0, NULL, UNBOUNDED, F(sl_o_column, pattern), NULL, NULL,
     "regex: PCRE2 pattern"},
    {"group", SL_T_INT, 0, NULL, 0, 99, F(sl_o_column, group), NULL, NULL,
     "regex: capture group stored (default 1 if the pattern has groups, else 0)"},
    {"required", SL_T_BOOL, 0, "false", UNBOUNDED, F(sl_o_column, required), NULL, NULL,
     "a missing or null value rejects the record"},
    {"default", SL_T_ANY, 0, NULL, UNBOUNDED, F(sl_o_column, default_), NULL, NULL,
     "value used when the field is missing or null (converted at compile time)"},
    {"rename_from", SL_T_IDENT, 0, NULL, UNBOUNDED, F(sl_o_column, rename_from), NULL, NULL,
     "the column's old name: migrate renames it, keeping its data"},
    {"from_parent", SL_T_IDENT, 0, NULL, UNBOUNDED, F(sl_o_column, from_parent), NULL, NULL,
     "child tables: copy this parent column (type and value)"},
    {"comment", SL_T_STRING, 0, NULL, UNBOUNDED, F(sl_o_column, comment), NULL, NULL,
     "column COMMENT"},
};

const sl_opt_table sl_opts_column = {"column", "one target column, keyed by its name",
                                     column_rows, N_ROWS(column_rows)};

static const sl_opt child_rows[] = {
    {"table", SL_T_IDENT, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_child, table), NULL, NULL,
     "the child table"},
    {"each", SL_T_JPATH, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_child, each), NULL, NULL,
     "JSON path of the items inside a parent record, e.g. items[*]; one [*] only (a list "
     "inside each item, a child of a child, is not supported)"},
    {"key", SL_T_LIST, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_child, key), NULL, NULL,
     "primary key column(s), in order"},
    {"columns", SL_T_MAPOF, SL_OF_REQUIRED, NULL, 1, SL_MAX_COLUMNS, F(sl_o_child, columns), NULL,
     &sl_opts_column, "the child table's columns"},
};

const sl_opt_table sl_opts_child = {
    "child", "a table of items inside each record, replaced together with its parent row",
    child_rows, N_ROWS(child_rows)};

static const sl_opt alerts_rows[] = {
    {"webhook", SL_T_SECRET, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_alerts, webhook), NULL, NULL,
     "the http(s) URL to POST the alert to (a group robot's URL carries its key: a secret)"},
    {"format", SL_T_ENUM, 0, "json", UNBOUNDED, F(sl_o_alerts, format), sl_alert_format_names, NULL,
     "wecom (WeCom group robot markdown), dingtalk (DingTalk group robot markdown) or json (a "
     "flat object of the run's summary)"},
    {"on", SL_T_LIST, 0, "failure", UNBOUNDED, F(sl_o_alerts, on), sl_alert_on_names, NULL,
     "outcomes that send an alert: failure (exit status not 0, verify gaps included), rejects "
     "(any rejected record), success (exit status 0)"},
    {"timeout", SL_T_DURATION, 0, "10s", 1000, 300000, F(sl_o_alerts, timeout), NULL, NULL,
     "whole-request timeout of the webhook POST"},
    {"allow_insecure_http", SL_T_BOOL, 0, "false", UNBOUNDED, F(sl_o_alerts, allow_insecure_http),
     NULL, NULL,
     "allow a plain http:// webhook on another machine (the URL's key and the alert then travel "
     "unencrypted); http to localhost, 127.0.0.0/8 and ::1 is always allowed"},
};

const sl_opt_table sl_opts_alerts = {
    "alerts", "a webhook told about the outcome of `sluice run` and `sluice verify`", alerts_rows,
    N_ROWS(alerts_rows)};

static const sl_opt job_rows[] = {
    {"version", SL_T_INT, SL_OF_REQUIRED, NULL, 1, 1, F(sl_o_job, version), NULL, NULL,
     "job format version; must be 1"},
    {"name", SL_T_IDENT, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_job, name), NULL, NULL,
     "the job's name: key of its watermark and run lock"},
    {"source", SL_T_SECTION, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_job, source), NULL,
     &sl_opts_source, "the API to read"},
    {"target", SL_T_SECTION, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_job, target), NULL,
     &sl_opts_target, "the database to write"},
    {"columns", SL_T_MAPOF, SL_OF_REQUIRED, NULL, 1, SL_MAX_COLUMNS, F(sl_o_job, columns), NULL,
     &sl_opts_column, "the parent table's columns, in table order"},
    {"children", SL_T_SEQOF, 0, NULL, 0, SL_MAX_CHILDREN, F(sl_o_job, children), NULL,
     &sl_opts_child,
     "child tables"},
    {"alerts", SL_T_SECTION, 0, NULL, UNBOUNDED, F(sl_o_job, alerts), NULL, &sl_opts_alerts,
     "an alert webhook (see README, Monitoring and alerts)"},
};

const sl_opt_table sl_opts_job = {"job", "a sluice job file", job_rows, N_ROWS(job_rows)};

/* ---- small helpers --------------------------------------------------------------------- */



bool sl_ident_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    }
    return true;
}

void sl_duration_format(int64_t ms, char *buf, size_t len)
{
    static const struct {
        int64_t scale;
        const char *unit;
    } units[] = {{DAY_MS, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}};
    for (size_t i = 0; i < N_ROWS(units); i++)
        if (ms != 0 && ms % units[i].scale == 0) {
            snprintf(buf, len, "%" PRId64 "%s", ms / units[i].scale, units[i].unit);
            return;
        }
    snprintf(buf, len, "%" PRId64 "%s", ms, ms == 0 ? "s" : "ms");
}

static bool bounded(const sl_opt *row)
{
    return row->min <= row->max;
}

/* ---- the loader ------------------------------------------------------------------------ */

static const sl_opt_table no_keys = {"", "", NULL, 0}; /* a kind without keys of its own */

typedef struct load_ctx {
    const sl_opt_table *table;
    const char *label; /* the component in messages */
    sl_diag *diag;
    size_t errors;
    const sl_kind *kind; /* a typed section: the kind chosen by its `type`, or NULL */
} load_ctx;

static void err_at(load_ctx *c, const sl_ynode *node, sl_pos where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void err_at(load_ctx *c, const sl_ynode *node, sl_pos where, const char *fmt, ...)
{
    char buf[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sl_diag_error(c->diag, node ? node->pos : where, "%s", buf);
    c->errors++;
}

static bool parse_int(const char *s, int64_t *v)
{
    if (!*s || (*s != '-' && *s != '+' && (*s < '0' || *s > '9')))
        return false;
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (errno || *end)
        return false;
    *v = x;
    return true;
}

static bool parse_size(const char *s, int64_t *v)
{
    int64_t n = 0;
    size_t i = 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++) {
        if (n > INT64_MAX / 10 - 10)
            return false;
        n = n * 10 + (s[i] - '0');
    }
    if (i == 0)
        return false;
    int shift = 0;
    const char *u = s + i;
    if (!strcmp(u, "K") || !strcmp(u, "KiB"))
        shift = 10;
    else if (!strcmp(u, "M") || !strcmp(u, "MiB"))
        shift = 20;
    else if (!strcmp(u, "G") || !strcmp(u, "GiB"))
        shift = 30;
    else if (*u)
        return false;
    if (n > (INT64_MAX >> shift))
        return false;
    *v = n << shift;
    return true;
}

static void bound_text(const sl_opt *row, int64_t v, char *buf, size_t len)
{
    if (row->type == SL_T_DURATION || row->type == SL_T_RANGE)
        sl_duration_format(v, buf, len);
    else
        snprintf(buf, len, "%" PRId64, v);
}

static bool in_bounds(load_ctx *c, const sl_opt *row, const sl_ynode *node, sl_pos where,
                      int64_t v)
{
    if (!bounded(row) || (v >= row->min && v <= row->max))
        return true;
    char lo[32], hi[32];
    bound_text(row, row->min, lo, sizeof lo);
    bound_text(row, row->max, hi, sizeof hi);
    if (row->max == INT64_MAX)
        err_at(c, node, where, "'%s' must be at least %s", row->key, lo);
    else if (row->min == row->max)
        err_at(c, node, where, "'%s' must be %s", row->key, lo);
    else
        err_at(c, node, where, "'%s' must be between %s and %s", row->key, lo, hi);
    return false;
}

static bool parse_range(const char *s, int64_t *lo, int64_t *hi)
{
    const char *dots = strstr(s, "..");
    if (!dots || (size_t)(dots - s) >= 32)
        return false;
    char first[32];
    memcpy(first, s, (size_t)(dots - s));
    first[dots - s] = '\0';
    return sl_duration_parse(first, lo) && sl_duration_parse(dots + 2, hi);
}

static bool is_bool_text(const char *s, int64_t *v)
{
    if (!strcmp(s, "true")) {
        *v = 1;
        return true;
    }
    if (!strcmp(s, "false")) {
        *v = 0;
        return true;
    }
    return false;
}

static void enum_list(const char *const *names, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; names[i] && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", names[i]);
}

static size_t count_names(const char *const *names)
{
    size_t n = 0;
    while (names[n])
        n++;
    return n;
}

static void load_enum(load_ctx *c, const sl_opt *row, const sl_ynode *node, sl_pos where,
                      const char *s, sl_optval *v)
{
    for (size_t i = 0; row->names[i]; i++)
        if (!strcmp(s, row->names[i])) {
            v->i = (int64_t)i;
            return;
        }
    char list[256];
    enum_list(row->names, list, sizeof list);
    const char *guess = sl_did_you_mean(s, row->names, count_names(row->names));
    if (guess)
        err_at(c, node, where, "unknown %s '%s' (did you mean '%s'?); expected one of: %s",
               row->key, s, guess, list);
    else
        err_at(c, node, where, "unknown %s '%s'; expected one of: %s", row->key, s, list);
}

/* A list of names from row->names: sets bit (1 << index) of v->i for the name s. */
static void load_list_name(load_ctx *c, const sl_opt *row, const sl_ynode *node, sl_pos where,
                           const char *s, sl_optval *v)
{
    sl_optval one = {.i = -1};
    load_enum(c, row, node, where, s, &one);
    if (one.i >= 0)
        v->i |= INT64_C(1) << one.i;
}

/* Scalar types: converts s (from node, or the default when node is NULL) into v. */
static void load_scalar(load_ctx *c, const sl_opt *row, const sl_ynode *node, sl_pos where,
                        sl_optval *v)
{
    const char *s = v->s;
    bool quoted = node && node->quoted;
    switch (row->type) {
    case SL_T_INT:
        if (quoted || !parse_int(s, &v->i))
            err_at(c, node, where, "'%s' must be an integer%s", row->key,
                   quoted ? " (written without quotes)" : "");
        else
            in_bounds(c, row, node, where, v->i);
        break;
    case SL_T_DURATION:
        if (!sl_duration_parse(s, &v->i))
            err_at(c, node, where,
                   "'%s' must be a duration: a whole number and a unit ms, s, m, h or d "
                   "(e.g. 500ms, 90s, 5m, 1h, 1d)",
                   row->key);
        else
            in_bounds(c, row, node, where, v->i);
        break;
    case SL_T_RANGE:
        if (!parse_range(s, &v->i, &v->i2))
            err_at(c, node, where, "'%s' must be a range of two durations, e.g. 500ms..30s",
                   row->key);
        else if (in_bounds(c, row, node, where, v->i) && in_bounds(c, row, node, where, v->i2) &&
                 v->i > v->i2)
            err_at(c, node, where, "'%s': the first duration must not exceed the second",
                   row->key);
        break;
    case SL_T_SIZE:
        if (!parse_size(s, &v->i))
            err_at(c, node, where, "'%s' must be a size in bytes, e.g. 1048576, 512K, 64M, 1G",
                   row->key);
        else
            in_bounds(c, row, node, where, v->i);
        break;
    case SL_T_BOOL:
        if (quoted || !is_bool_text(s, &v->i))
            err_at(c, node, where, "'%s' must be true or false", row->key);
        break;
    case SL_T_ENUM: load_enum(c, row, node, where, s, v); break;
    case SL_T_LIST: /* only a default reaches here */
        if (row->names)
            load_list_name(c, row, node, where, s, v);
        break;
    case SL_T_DATETIME:
        if (!sl_time_parse(s, strlen(s), 0, &v->i))
            err_at(c, node, where, "'%s' must be a date and time \"YYYY-MM-DD HH:MM:SS\"",
                   row->key);
        break;
    case SL_T_TIMEZONE: {
        int off;
        if (!sl_tz_parse(s, &off))
            err_at(c, node, where,
                   "'%s' must be a UTC offset such as \"+08:00\" or \"-05:30\", or \"UTC\"",
                   row->key);
        v->i = off;
        break;
    }
    case SL_T_IDENT:
        if (!sl_ident_valid(s))
            err_at(c, node, where,
                   "'%s' is not a valid SQL name (letters, digits and _, not starting with a "
                   "digit, at most 64)",
                   s);
        break;
    default: break;
    }
}

static bool is_scalar_type(sl_opt_type t)
{
    return t != SL_T_LIST && t != SL_T_ANY && t != SL_T_OBJECT && t != SL_T_SECTION &&
           t != SL_T_MAPOF && t != SL_T_SEQOF && t != SL_T_KIND;
}

static const char *type_text(sl_opt_type t)
{
    switch (t) {
    case SL_T_INT: return "an integer";
    case SL_T_BOOL: return "true or false";
    case SL_T_LIST: return "a name or a list of names";
    case SL_T_ANY: return "a single value";
    case SL_T_OBJECT:
    case SL_T_SECTION:
    case SL_T_KIND:
    case SL_T_MAPOF: return "a map";
    case SL_T_SEQOF: return "a list";
    default: return "a single value";
    }
}

/* Checks a node's shape against the row's type before any conversion. */
static bool shape_ok(load_ctx *c, const sl_opt *row, const sl_ynode *node)
{
    sl_ynode_kind want = SL_Y_SCALAR;
    if (row->type == SL_T_OBJECT || row->type == SL_T_SECTION || row->type == SL_T_MAPOF ||
        row->type == SL_T_KIND)
        want = SL_Y_MAP;
    else if (row->type == SL_T_SEQOF)
        want = SL_Y_SEQ;
    bool ok = node->kind == want || (row->type == SL_T_LIST && node->kind == SL_Y_SEQ);
    if (ok && node->kind == SL_Y_SCALAR && sl_ynode_is_null(node) && row->type != SL_T_ANY)
        ok = false;
    if (!ok) {
        const char *got = sl_ynode_is_null(node) ? "nothing" : sl_ynode_kind_name(node);
        err_at(c, node, node->pos, "'%s' must be %s, not %s", row->key, type_text(row->type),
               got);
    }
    return ok;
}

static void load_list(load_ctx *c, const sl_opt *row, const sl_ynode *node, sl_optval *v)
{
    if (node->kind != SL_Y_SEQ) {
        if (row->names)
            load_list_name(c, row, node, node->pos, node->str, v);
        return;
    }
    if (node->n == 0)
        err_at(c, node, node->pos, "'%s' must not be empty", row->key);
    for (size_t i = 0; i < node->n; i++) {
        const sl_ynode *it = node->items[i];
        if (it->kind != SL_Y_SCALAR || sl_ynode_is_null(it))
            err_at(c, it, it->pos, "'%s' must list names, not %s", row->key,
                   sl_ynode_kind_name(it));
        else if (row->names)
            load_list_name(c, row, it, it->pos, it->str, v);
    }
}

/* A map or list of sections longer than its row's maximum: reported at the first entry past
 * it. (Its minimum is the compiler's to word, e.g. "a table needs at least one column".) */
static void check_count(load_ctx *c, const sl_opt *row, const sl_ynode *node)
{
    if ((row->type != SL_T_MAPOF && row->type != SL_T_SEQOF) || !bounded(row) ||
        node->n <= (size_t)row->max)
        return;
    const sl_ynode *at = node->kind == SL_Y_MAP ? node->keys[row->max] : node->items[row->max];
    err_at(c, at, at->pos, "'%s' holds at most %" PRId64 " %s", row->key, row->max,
           node->kind == SL_Y_MAP ? "entries" : "items");
}

static void load_present(load_ctx *c, const sl_opt *row, const sl_ynode *node, sl_optval *v)
{
    v->node = node;
    v->set = true;
    if (!shape_ok(c, row, node))
        return;
    check_count(c, row, node);
    if (node->ref && row->type != SL_T_STRING && row->type != SL_T_SECRET) {
        err_at(c, node, node->pos, "'%s' can't come from a reference; only text values can",
               row->key);
        return;
    }
    if (node->kind == SL_Y_SCALAR)
        v->s = node->str;
    if (row->type == SL_T_LIST)
        load_list(c, row, node, v);
    else if (is_scalar_type(row->type) && !node->unresolved)
        load_scalar(c, row, node, node->pos, v);
    if (row->type == SL_T_SECRET && !node->ref)
        sl_diag_warning(c->diag, node->pos,
                        "'%s' is written into the job file; use ${env:NAME} or ${file:PATH}",
                        row->key);
}

static const sl_opt *find_row(const sl_opt_table *t, const char *key)
{
    for (size_t i = 0; i < t->n_rows; i++)
        if (!strcmp(t->rows[i].key, key))
            return &t->rows[i];
    return NULL;
}

enum { MAX_KEYS = 64 }; /* listed in an "unknown key" message */

static void unknown_key_of(load_ctx *c, const sl_ynode *key, const char *const *names, size_t n)
{
    char list[512];
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < n && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
    const char *guess = sl_did_you_mean(key->str, names, n);
    if (guess)
        err_at(c, key, key->pos, "unknown key '%s' in %s (did you mean '%s'?); allowed: %s",
               key->str, c->label, guess, list);
    else
        err_at(c, key, key->pos, "unknown key '%s' in %s; allowed: %s", key->str, c->label, list);
}

/* Adds the keys of t not yet in names (n of them, at most MAX_KEYS). */
static size_t add_keys(const sl_opt_table *t, const char **names, size_t n)
{
    for (size_t i = 0; t && i < t->n_rows && n < MAX_KEYS; i++) {
        size_t j = 0;
        while (j < n && strcmp(names[j], t->rows[i].key))
            j++;
        if (j == n)
            names[n++] = t->rows[i].key;
    }
    return n;
}

static void unknown_key(load_ctx *c, const sl_ynode *key)
{
    const char *names[MAX_KEYS];
    size_t n = 0;
    if (c->kind) /* a typed section's `type` is allowed too */
        names[n++] = "type";
    unknown_key_of(c, key, names, add_keys(c->table, names, n));
}

/* The keys of a typed section whose kind is unknown: those of no kind of the family. */
static void check_family_keys(load_ctx *c, const sl_kind_family *f, const sl_ynode *map)
{
    const char *names[MAX_KEYS] = {"type"};
    size_t n = 1;
    for (size_t i = 0; i < f->n_kinds; i++)
        n = add_keys(f->kinds[i]->opts, names, n);
    for (size_t i = 0; map && i < map->n; i++) {
        size_t j = 0;
        while (j < n && strcmp(names[j], map->keys[i]->str))
            j++;
        if (j == n)
            unknown_key_of(c, map->keys[i], names, n);
    }
}

/* A key of another kind of the family in a typed section: reported at its value. */
static bool other_kinds_key(load_ctx *c, const sl_kind_family *f, const char *key,
                            const sl_ynode *value)
{
    for (size_t i = 0; f && i < f->n_kinds; i++)
        if (f->kinds[i] != c->kind && f->kinds[i]->opts && find_row(f->kinds[i]->opts, key)) {
            err_at(c, value, value->pos, "'%s' is not used by %s", key, c->label);
            return true;
        }
    return false;
}

static void load_keys(load_ctx *c, const sl_ynode *map, const sl_kind_family *f, void *out)
{
    for (size_t i = 0; i < map->n; i++) {
        const char *key = map->keys[i]->str;
        const sl_opt *row = find_row(c->table, key);
        if (row)
            load_present(c, row, map->items[i], (sl_optval *)((char *)out + row->offset));
        else if (c->kind && !strcmp(key, "type"))
            continue; /* it chose the kind */
        else if (!other_kinds_key(c, f, key, map->items[i]))
            unknown_key(c, map->keys[i]);
    }
}

/* Required keys missing and defaults of the keys not written. */
static void load_defaults(load_ctx *c, sl_pos where, void *out)
{
    for (size_t i = 0; i < c->table->n_rows; i++) {
        const sl_opt *row = &c->table->rows[i];
        sl_optval *v = (sl_optval *)((char *)out + row->offset);
        if (v->set)
            continue;
        if ((row->flags & SL_OF_REQUIRED) && c->kind) {
            err_at(c, NULL, where, "%s needs '%s'", c->label, row->key);
        } else if (row->flags & SL_OF_REQUIRED) {
            err_at(c, NULL, where, "missing required key '%s' in %s", row->key, c->label);
        } else if (row->def) {
            v->set = true;
            v->s = row->def;
            load_scalar(c, row, NULL, where, v);
        }
    }
}

size_t sl_options_load(const sl_opt_table *table, const char *label, const sl_ynode *map,
                       sl_pos where, void *out, sl_diag *diag)
{
    load_ctx c = {table, label ? label : table->name, diag, 0, NULL};
    if (map && map->kind != SL_Y_MAP) {
        err_at(&c, map, where, "%s must be a map of keys, not %s", c.label,
               sl_ynode_is_null(map) ? "nothing" : sl_ynode_kind_name(map));
        return c.errors;
    }
    if (map) {
        where = map->pos;
        load_keys(&c, map, NULL, out);
    }
    load_defaults(&c, where, out);
    return c.errors;
}

const sl_opt *sl_options_row(const sl_opt_table *table, const char *key)
{
    return find_row(table, key);
}

enum { MAX_KINDS = 32 }; /* of one family; the names of a `type` row are built on the stack */

/* The family's kind names as an enum's names (NULL-terminated; MAX_KINDS + 1 entries). */
static void kind_names(const sl_kind_family *f, const char **names)
{
    size_t n = f->n_kinds < MAX_KINDS ? f->n_kinds : MAX_KINDS;
    for (size_t i = 0; i < n; i++)
        names[i] = f->kinds[i]->name;
    names[n] = NULL;
}

/* The kind a typed section's `type` names (or the row's default when absent); NULL when
 * reported. */
static const sl_kind *choose_kind(load_ctx *c, const sl_opt *row, const sl_ynode *map,
                                  sl_pos where)
{
    const sl_kind_family *f = sl_kind_family_of(row);
    const char *names[MAX_KINDS + 1];
    kind_names(f, names);
    const sl_ynode *type = map ? sl_ynode_get(map, "type") : NULL;
    if (!type && row->def)
        return sl_kind_find(f, row->def);
    if (!type) {
        err_at(c, NULL, where, "missing required key 'type' in %s", c->label);
        return NULL;
    }
    sl_opt type_row = {.key = "type", .type = SL_T_ENUM, .min = 1, .names = names};
    sl_optval v = {.i = -1};
    size_t before = c->errors;
    load_present(c, &type_row, type, &v);
    return c->errors == before && v.i >= 0 ? f->kinds[v.i] : NULL;
}

const sl_kind *sl_options_load_kind(const sl_opt *row, const sl_ynode *map, sl_pos where,
                                    void **opts, sl_diag *diag)
{
    load_ctx c = {&no_keys, sl_kind_family_of(row)->section.name, diag, 0, NULL};
    *opts = NULL;
    if (map)
        where = map->pos;
    const sl_kind *k = choose_kind(&c, row, map, where);
    if (!k) {
        check_family_keys(&c, sl_kind_family_of(row), map);
        return NULL;
    }
    char label[128];
    snprintf(label, sizeof label, "%s '%s'", sl_kind_family_of(row)->section.name, k->name);
    c = (load_ctx){k->opts ? k->opts : &no_keys, label, diag, 0, k};
    if (!(*opts = calloc(1, k->opts_size ? k->opts_size : 1))) {
        sl_diag_error(diag, where, "out of memory");
        return NULL;
    }
    if (map)
        load_keys(&c, map, sl_kind_family_of(row), *opts);
    load_defaults(&c, where, *opts);
    return k;
}

/* ---- JSON Schema ----------------------------------------------------------------------- */

static json_t *schema_of_table(const sl_opt_table *t);
static json_t *schema_of_kinds(const sl_opt *row);

static json_t *schema_string(const char *pattern)
{
    json_t *s = json_pack("{s:s}", "type", "string");
    if (pattern)
        json_object_set_new(s, "pattern", json_string(pattern));
    return s;
}

static json_t *schema_scalar(const sl_opt *row)
{
    static const char dur[] = "[0-9]+(ms|s|m|h|d)";
    switch (row->type) {
    case SL_T_INT: {
        json_t *s = json_pack("{s:s}", "type", "integer");
        if (bounded(row)) {
            json_object_set_new(s, "minimum", json_integer(row->min));
            if (row->max != INT64_MAX)
                json_object_set_new(s, "maximum", json_integer(row->max));
        }
        return s;
    }
    case SL_T_DURATION: return schema_string("^[0-9]+(ms|s|m|h|d)$");
    case SL_T_RANGE: {
        char pat[128];
        snprintf(pat, sizeof pat, "^%s\\.\\.%s$", dur, dur);
        return schema_string(pat);
    }
    case SL_T_BOOL: return json_pack("{s:s}", "type", "boolean");
    case SL_T_ENUM: {
        json_t *e = json_array();
        for (size_t i = 0; row->names[i]; i++)
            json_array_append_new(e, json_string(row->names[i]));
        return json_pack("{s:s,s:o}", "type", "string", "enum", e);
    }
    case SL_T_SIZE:
        return json_pack("{s:[{s:s,s:i},o]}", "oneOf", "type", "integer", "minimum", 0,
                         schema_string("^[0-9]+(K|M|G|KiB|MiB|GiB)?$"));
    case SL_T_DATETIME:
        return schema_string("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$");
    case SL_T_TIMEZONE: return schema_string("^([+-][0-9]{2}:[0-9]{2}|Z|UTC)$");
    case SL_T_IDENT: return schema_string("^[A-Za-z_][A-Za-z0-9_]{0,63}$");
    default: return schema_string(NULL);
    }
}

/* One branch of a typed section's oneOf: the kind's keys and its `type` value (required
 * unless the kind is the row's default). */
static json_t *schema_of_kind(const sl_opt *row, const sl_kind *k)
{
    json_t *b = schema_of_table(k->opts ? k->opts : &no_keys);
    json_object_set_new(b, "description", json_string(k->doc));
    json_object_set_new(json_object_get(b, "properties"), "type",
                        json_pack("{s:s}", "const", k->name));
    if (row->def && !strcmp(row->def, k->name))
        return b;
    json_t *req = json_object_get(b, "required");
    if (!req)
        json_object_set_new(b, "required", req = json_array());
    json_array_insert_new(req, 0, json_string("type"));
    return b;
}

/* A typed section: `type` names a kind, and the keys are those of exactly one kind. */
static json_t *schema_of_kinds(const sl_opt *row)
{
    const sl_kind_family *f = sl_kind_family_of(row);
    json_t *names = json_array(), *branches = json_array();
    for (size_t i = 0; i < f->n_kinds; i++) {
        json_array_append_new(names, json_string(f->kinds[i]->name));
        json_array_append_new(branches, schema_of_kind(row, f->kinds[i]));
    }
    json_t *type = json_pack("{s:s,s:o,s:s}", "type", "string", "enum", names, "description",
                             "the kind; the other keys are the kind's own");
    if (row->def)
        json_object_set_new(type, "default", json_string(row->def));
    return json_pack("{s:s,s:{s:o},s:o}", "type", "object", "properties", "type", type, "oneOf",
                     branches);
}

static json_t *schema_of_row(const sl_opt *row)
{
    json_t *s;
    switch (row->type) {
    case SL_T_LIST: {
        json_t *item = row->names ? schema_scalar(&(sl_opt){.type = SL_T_ENUM, .names = row->names})
                                  : json_pack("{s:s}", "type", "string");
        s = json_pack("{s:[O,{s:s,s:o,s:i}]}", "oneOf", item, "type", "array", "items", item,
                      "minItems", 1);
        break;
    }
    case SL_T_ANY:
        s = json_pack("{s:[s,s,s,s]}", "type", "string", "number", "boolean", "null");
        break;
    case SL_T_OBJECT: s = json_pack("{s:s}", "type", "object"); break;
    case SL_T_SECTION: s = schema_of_table(row->sub); break;
    case SL_T_KIND: s = schema_of_kinds(row); break;
    case SL_T_MAPOF:
        s = json_pack("{s:s,s:{s:s},s:o}", "type", "object", "propertyNames", "pattern",
                      "^[A-Za-z_][A-Za-z0-9_]{0,63}$", "additionalProperties",
                      schema_of_table(row->sub));
        break;
    case SL_T_SEQOF:
        s = json_pack("{s:s,s:o}", "type", "array", "items", schema_of_table(row->sub));
        break;
    default: s = schema_scalar(row); break;
    }
    if ((row->type == SL_T_MAPOF || row->type == SL_T_SEQOF) && bounded(row))
        json_object_set_new(s, row->type == SL_T_MAPOF ? "maxProperties" : "maxItems",
                            json_integer(row->max));
    json_object_set_new(s, "description", json_string(row->doc));
    if (row->def && row->type != SL_T_KIND) {
        int64_t v;
        if (row->type == SL_T_INT && parse_int(row->def, &v))
            json_object_set_new(s, "default", json_integer(v));
        else if (row->type == SL_T_BOOL)
            json_object_set_new(s, "default", json_boolean(!strcmp(row->def, "true")));
        else
            json_object_set_new(s, "default", json_string(row->def));
    }
    return s;
}

static json_t *schema_of_table(const sl_opt_table *t)
{
    json_t *props = json_object(), *req = json_array();
    for (size_t i = 0; i < t->n_rows; i++) {
        json_object_set_new(props, t->rows[i].key, schema_of_row(&t->rows[i]));
        if (t->rows[i].flags & SL_OF_REQUIRED)
            json_array_append_new(req, json_string(t->rows[i].key));
    }
    json_t *s = json_pack("{s:s,s:s,s:o,s:b}", "type", "object", "description", t->doc,
                          "properties", props, "additionalProperties", 0);
    if (json_array_size(req))
        json_object_set_new(s, "required", req);
    else
        json_decref(req);
    return s;
}

int sl_options_schema(FILE *out)
{
    json_t *body = schema_of_table(&sl_opts_job);
    json_t *s = json_pack("{s:s,s:s,s:s}", "$schema",
                          "https://json-schema.org/draft/2020-12/schema", "$id",
                          "https://sluice.local/schemas/job.schema.json", "title",
                          "sluice job file");
    if (!body || !s || json_object_update(s, body) != 0) {
        json_decref(body);
        json_decref(s);
        return -1;
    }
    json_decref(body);
    int rc = json_dumpf(s, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(s);
    return rc == 0 ? 0 : -1;
}

/* ---- Markdown reference ---------------------------------------------------------------- */

static const char *type_name(const sl_opt *row)
{
    static const char *const names[] = {
        [SL_T_STRING] = "string",     [SL_T_SECRET] = "secret",     [SL_T_INT] = "integer",
        [SL_T_DURATION] = "duration", [SL_T_RANGE] = "duration range", [SL_T_BOOL] = "bool",
        [SL_T_ENUM] = "enum",         [SL_T_SIZE] = "size",         [SL_T_DATETIME] = "datetime",
        [SL_T_TIMEZONE] = "timezone", [SL_T_JPATH] = "JSON path",   [SL_T_EXPR] = "condition",
        [SL_T_REGEX] = "regex",       [SL_T_IDENT] = "SQL name",    [SL_T_LIST] = "list of names",
        [SL_T_ANY] = "scalar",        [SL_T_OBJECT] = "map",        [SL_T_SECTION] = "section",
        [SL_T_MAPOF] = "map of sections", [SL_T_SEQOF] = "list of sections",
        [SL_T_KIND] = "typed section",
    };
    return names[row->type];
}

static void kind_list(const sl_kind_family *f, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < f->n_kinds && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
                                 f->kinds[i]->name);
}

static void ref_row(const sl_opt *row, FILE *out)
{
    char lo[32], hi[32], bounds[96] = "";
    if (row->type == SL_T_KIND)
        kind_list(sl_kind_family_of(row), bounds, sizeof bounds);
    else if (row->names)
        enum_list(row->names, bounds, sizeof bounds);
    else if (bounded(row) && row->type != SL_T_RANGE) {
        bound_text(row, row->min, lo, sizeof lo);
        bound_text(row, row->max, hi, sizeof hi);
        if (row->max == INT64_MAX)
            snprintf(bounds, sizeof bounds, ">= %s", lo);
        else
            snprintf(bounds, sizeof bounds, "%s .. %s", lo, hi);
    }
    const char *sub = row->sub ? row->sub->name : NULL;
    fprintf(out, "| `%s` | %s%s%s%s | %s | %s | ", row->key, type_name(row),
            sub ? " (" : "", sub ? sub : "", sub ? ")" : "",
            row->flags & SL_OF_REQUIRED ? "**required**" : row->def ? row->def : "-",
            bounds[0] ? bounds : "-");
    for (const char *p = row->doc; *p; p++) {
        if (*p == '|')
            fputc('\\', out); /* a bare | would end the Markdown table cell */
        fputc(*p, out);
    }
    fputs(" |\n", out);
}

static void ref_table(const sl_opt_table *t, const char *where, FILE *out)
{
    fprintf(out, "\n## `%s`\n\n%s (%s).\n\n", t->name, t->doc, where);
    fputs("| key | type | default | bounds | meaning |\n|---|---|---|---|---|\n", out);
    for (size_t i = 0; i < t->n_rows; i++)
        ref_row(&t->rows[i], out);
}

/* A typed section: its `type`, then each kind's own keys. */
static void ref_kinds(const sl_opt *row, const char *where, FILE *out)
{
    const sl_kind_family *f = sl_kind_family_of(row);
    const char *names[MAX_KINDS + 1];
    kind_names(f, names);
    sl_opt type = {.key = "type", .type = SL_T_ENUM, .flags = row->def ? 0 : SL_OF_REQUIRED,
                   .def = row->def, .min = 1, .names = names,
                   .doc = "the kind; the other keys are the kind's own (below)"};
    fprintf(out, "\n## `%s`\n\n%s (%s).\n\n", f->section.name, f->section.doc, where);
    fputs("| key | type | default | bounds | meaning |\n|---|---|---|---|---|\n", out);
    ref_row(&type, out);
    for (size_t i = 0; i < f->n_kinds; i++) {
        const sl_kind *k = f->kinds[i];
        fprintf(out, "\n## `%s` type `%s`\n\n%s\n", f->section.name, k->name, k->doc);
        if (!k->opts || !k->opts->n_rows) {
            fputs("\nNo other keys.\n", out);
            continue;
        }
        fputs("\n| key | type | default | bounds | meaning |\n|---|---|---|---|---|\n", out);
        for (size_t r = 0; r < k->opts->n_rows; r++)
            ref_row(&k->opts->rows[r], out);
    }
}

/* The option keys a converter accepts, from its convert.def bits. */
static void conv_options(unsigned options, char *buf, size_t len)
{
    static const struct {
        unsigned bit;
        const char *keys;
    } opts[] = {{SL_OPT_FROM, "`from`"},       {SL_OPT_TZ, "`timezone`"},
                {SL_OPT_MAP, "`map`"},         {SL_OPT_JOIN, "`join`"},
                {SL_OPT_PATTERN, "`pattern`"}, {SL_OPT_GROUP, "`group`"},
                {SL_OPT_OVERFLOW, "`on_overflow`"}};
    size_t used = 0;
    snprintf(buf, len, "-");
    for (size_t i = 0; i < N_ROWS(opts) && used < len; i++)
        if (options & opts[i].bit)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                                     opts[i].keys);
}

/* Column types, from the converter list (convert.def) so the reference never drifts. */
static void ref_types(FILE *out)
{
    fputs("\n## Column types\n\n`type` names a converter; it also decides the MySQL column type.\n\n"
          "| type | arguments | options | meaning |\n|---|---|---|---|\n",
          out);
    char opts[160];
#define SL_CONV(id, name, min_args, max_args, options, doc)                                   \
    conv_options(options, opts, sizeof opts);                                                \
    fprintf(out, "| `%s` | %s | %s | %s |\n", name,                                           \
            max_args == 0   ? "-"                                                           \
            : min_args == 2 ? "`(p,s)`"                                                     \
            : min_args == 1 ? "`(n)`"                                                       \
                            : "`(n)` optional",                                             \
            opts, doc);
#include "convert.def"
#undef SL_CONV
}

/* Examples of every time form and of minor units: each value was checked by hand (and by
 * the unit tests test_timeutil and test_convert). */
static const char times_notes[] =
    "\n## Times and money\n\n"
    "**Window bounds** (`source.window.format`), for the window 2024-03-03 00:00:00 .. "
    "23:59:59 in `timezone: \"+08:00\"`:\n\n"
    "| `format` | `from_param` | `to_param` |\n|---|---|---|\n"
    "| `\"%Y-%m-%d %H:%M:%S\"` (default) | `2024-03-03 00:00:00` | `2024-03-03 23:59:59` |\n"
    "| `iso8601` | `2024-03-03T00:00:00+08:00` | `2024-03-03T23:59:59+08:00` |\n"
    "| `epoch` | `1709395200` | `1709481599` |\n"
    "| `epoch_ms` | `1709395200000` | `1709481599000` |\n"
    "| `\"%Y-%m-%dT%H:%M:%SZ\"` with `timezone: UTC` | `2024-03-02T16:00:00Z` | "
    "`2024-03-03T15:59:59Z` |\n\n"
    "Both ends are inclusive whole seconds (`epoch_ms` sends the second's first millisecond); "
    "consecutive windows share their boundary second (docs/sync-rules.md).\n\n"
    "**Record times** (`type: datetime`, `from: auto`, the default) in a job whose "
    "`window.timezone` is `+08:00`:\n\n"
    "| value | column `timezone` | stored |\n|---|---|---|\n"
    "| `\"2024-03-03 15:23:32\"` | any | `2024-03-03 15:23:32` (as written) |\n"
    "| `\"2024-03-03T15:23:32\"` | any | `2024-03-03 15:23:32` (no offset: as written) |\n"
    "| `\"2024-03-03T15:23:32+08:00\"` | - | `2024-03-03 15:23:32` (the job's zone) |\n"
    "| `\"2024-03-03T07:23:32.250Z\"` | - | `2024-03-03 15:23:32` (fractions dropped) |\n"
    "| `\"2024-03-02 18:23:32-0500\"` | `UTC` | `2024-03-02 23:23:32` (the column's zone) |\n"
    "| `1709450612000` | `\"+08:00\"` | `2024-03-03 15:23:32` (epoch ms) |\n"
    "| `1709450612` | - | `2024-03-03 07:23:32` (epochs: `+00:00` unless `timezone`) |\n\n"
    "ISO-8601 takes `T` or a space, an optional fraction, and `Z`, `+hh:mm`, `+hhmm` or "
    "`+hh`. `from: string` accepts only `YYYY-MM-DD HH:MM:SS`.\n\n"
    "**Money in minor units** (`type: \"minor(19,2)\"`: cents, fen): `1999` or `\"1999\"` is "
    "`19.99`, `-250` is `-2.50`, `\"9223372036854775807\"` is `92233720368547758.07`, exact at "
    "any size; `\"19.99\"` is rejected (not a whole number of minor units), and so is a value "
    "with more integer digits than the column holds.\n\n"
    "**`sluice verify`** counts the rows of each window by `target.window_column`: a "
    "`datetime` in the zone its values are written in, an `int` or `bigint` holding epoch "
    "seconds or milliseconds (both are counted), or text holding the bounds as "
    "`window.format` writes them.\n";

static const char reference_notes[] =
    "\n## Conditions (`errors[].when`)\n\n"
    "Operands are JSON paths into the reply (`response.code`, `response.data.list[0].x`), "
    "`@status` (the reply's HTTP status), numbers, `\"strings\"`, `true`, `false`, `null` and "
    "parenthesised conditions. Comparisons: `==`, `!=`, `<`, `<=`, `>`, `>=`; `=~` and `!~` "
    "match a PCRE2 pattern (UTF mode) given as a string. Combine with `&&`, `||`, `!` (`&&` binds tighter). A path "
    "missing from the reply is unequal to everything: `==` is false, `!=` is true. A number "
    "also equals a string holding that number (`\"7\" == 7`). In strings only `\\\"` and "
    "`\\\\` are escapes, so regex escapes like `\\d` are written once.\n\n"
    "A rule whose condition names `@status` is tried on every reply, before the status's own "
    "handling, with the body decoded as JSON (or, when it is not JSON, its text as a string); "
    "the other rules see HTTP 200 replies only. Without a matching rule, a 429 and a 503 with "
    "`Retry-After` (seconds or an HTTP date) wait as asked (up to `source.limits.max_wait`), "
    "other 5xx and 408 are retried with backoff, and any other status fails the run. For "
    "example, to split on a 422 and fail on a 401 with the API's own message:\n\n"
    "```yaml\nerrors:\n"
    "  - { when: '@status == 422 && error == \"range_too_wide\"', then: split }\n"
    "  - { when: '@status == 401', then: fail, message: message, hint: check the token }\n"
    "```\n"
    "\n## References and secrets\n\n"
    "A value written exactly `${env:NAME}` or `${file:PATH}` is read from the environment or "
    "from a file (relative paths start at the job file's folder; one trailing newline is "
    "dropped). Only text values may be references. Every value read this way is a secret, "
    "whichever option holds it (a `method` or a `hint` too): it never appears in messages, "
    "logs, alerts or `sluice plan`, which prints `<secret from env:NAME>` in its place. Any "
    "other text that would show it, or a part of it, or the DSN's password, shows `***` "
    "instead, whatever its length and letter case: so keep settings that are no secret in the "
    "file. `sluice validate` checks references without reading them, so it runs where "
    "secrets are absent; `sluice validate --strict`, `plan --strict`, `run` and `dry-run` "
    "read them, and an unset variable or unreadable file is an error at its position.\n"
    "\n## YAML notes\n\n"
    "Inside `{ }` and `[ ]`, a comma ends a value and braces are syntax: quote values that "
    "hold them, e.g. `{ type: \"decimal(19,4)\", dsn: \"${env:SLUICE_DB}\" }`. (An unquoted "
    "`decimal(19,4)` there is accepted with a warning.) Anchors, aliases, tags, duplicate "
    "keys, tabs in indentation and several documents in one file are errors. Numbers and "
    "booleans are written without quotes; `\"1000\"` is text.\n"
    "\n## Diagnostics\n\n"
    "Every problem is reported as `file:line:col: error: message` (1-based; the file as "
    "given), followed by the source line and a caret, and a final `N errors`. The compiler "
    "works in stages (YAML, references, option tables, cross-checks) and reports everything "
    "a stage finds before stopping. `sluice validate` exits 0 when every file is valid "
    "(warnings allowed), 3 when one is not, 2 on a bad command line. Golden examples of "
    "every message live in tests/cases/.\n";

/* The limits that keep `validate` (and every command) within tens of MiB and about a second,
 * whatever the file holds. */
static void ref_limits(FILE *out)
{
    fprintf(out,
            "\n## Limits\n\n"
            "A job file past one of these is refused with an error at the first place past it, "
            "so `sluice validate` (a pre-commit hook) stays within tens of MiB and about a "
            "second on any input:\n\n"
            "| what | at most |\n|---|---|\n"
            "| file size | %d bytes (1 MiB) |\n"
            "| nesting of maps and lists | %d levels |\n"
            "| keys of one map, items of one list | %d |\n"
            "| values in one file (scalars, maps, lists, keys) | %d |\n"
            "| steps of a JSON path (`a.b[0]` has 3) | %d |\n"
            "| columns of one table / of all the job's tables | %d / %d |\n"
            "| child tables / error rules | %d / %d |\n"
            "| a condition: bytes / nesting / operands and operators | %d / %d / %d |\n"
            "| text of a window bound (`window.format`) | %d bytes |\n"
            "| values read through `${env:}`/`${file:}` references, in all | %d bytes |\n\n"
            "A PCRE2 match (a `regex` column, `=~`, a wait pattern) gives up after %d internal "
            "steps or a backtracking depth of %d: in a column that rejects the record with "
            "the reason; in a condition neither `=~` nor `!~` holds.\n",
            SL_YAML_MAX_BYTES, SL_YAML_MAX_DEPTH, SL_YAML_MAX_ENTRIES, SL_YAML_MAX_NODES,
            SL_JPATH_MAX_STEPS, SL_MAX_COLUMNS, SL_MAX_JOB_COLUMNS, SL_MAX_CHILDREN,
            SL_MAX_RULES, SL_EXPR_MAX_TEXT, SL_EXPR_MAX_DEPTH, SL_EXPR_MAX_NODES,
            SL_TIME_FMT_MAX - 1, SL_MAX_REF_BYTES, SL_REGEX_MATCH_LIMIT, SL_REGEX_DEPTH_LIMIT);
}

void sl_options_reference(FILE *out)
{
    fputs("# Job file reference\n\n"
          "Generated by `sluice validate --print-reference` from the engine's option tables "
          "(engine/job/options.c); do not edit by hand. The JSON Schema in "
          "schemas/job.schema.json comes from the same tables.\n\n"
          "Types: a *duration* is a whole number and a unit (`500ms`, `90s`, `5m`, `1h`, "
          "`1d`); a *size* is bytes with an optional `K`, `M` or `G`; a *SQL name* is letters, "
          "digits and `_`, not starting with a digit, at most 64; a *secret* is expected as a "
          "reference `${env:NAME}` (an environment variable) or `${file:PATH}` (a file's "
          "contents without the trailing newline; relative to the job file's folder). Any "
          "text value may be such a reference; values read through references never appear "
          "in any output. Unknown keys are errors.\n",
          out);
    ref_table(&sl_opts_job, "top level", out);
    ref_table(&sl_opts_source, "`source`", out);
    ref_kinds(sl_options_row(&sl_opts_source, "signer"), "`source.signer`", out);
    ref_table(&sl_opts_window, "`source.window`", out);
    ref_kinds(sl_options_row(&sl_opts_source, "paging"), "`source.paging`", out);
    ref_table(&sl_opts_rule, "each item of `source.errors`", out);
    ref_table(&sl_opts_wait, "`source.errors[].wait`", out);
    ref_table(&sl_opts_limits, "`source.limits`", out);
    ref_table(&sl_opts_retry, "`source.retry`", out);
    ref_table(&sl_opts_target, "`target`", out);
    ref_table(&sl_opts_column, "each entry of `columns` and `children[].columns`", out);
    ref_table(&sl_opts_child, "each item of `children`", out);
    ref_table(&sl_opts_alerts, "`alerts`", out);
    ref_types(out);
    fputs(times_notes, out);
    fputs(reference_notes, out);
    ref_limits(out);
}

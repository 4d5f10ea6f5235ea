/* job_options.c: the job file's option tables, one per component (see options.h for the row
 * format and the loader). A typed section's row names its kind family (kind.h); the kinds'
 * own rows live in their files. */
#include "job_options.h"

#include "kind.h"
#include "plan.h"

#define N_ROWS(a) (sizeof(a) / sizeof((a)[0]))
#define UNBOUNDED 1, 0
#define DAY_MS INT64_C(86400000)

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

static const sl_opt request_rows[] = {
    {"method", SL_T_ENUM, 0, "POST", UNBOUNDED, F(sl_o_request, method), sl_http_method_names,
     NULL, "POST (the signed parameters as a form body) or GET (the same parameters in the "
           "query string, no body)"},
    {"headers", SL_T_OBJECT, 0, NULL, UNBOUNDED, F(sl_o_request, headers), NULL, NULL,
     "HTTP headers sent with every request, e.g. {Authorization: \"${env:API_AUTH}\"}; a value "
     "that is a reference is a secret (`sluice plan` shows the reference)"},
    {"body", SL_T_ENUM, 0, "form", UNBOUNDED, F(sl_o_request, body), sl_body_names, NULL,
     "form (the parameters as a form body) or json (a JSON body: `json` places them; POST "
     "only; signers none and recipe)"},
    {"json", SL_T_OBJECT, 0, NULL, UNBOUNDED, F(sl_o_request, json), NULL, NULL,
     "the JSON body's template: a string \"{name}\" is replaced by the parameter name (the "
     "window bounds, the page, its size, `source.params`...) with its type, and dropped when "
     "the request has no such parameter; parameters it does not place go at the top level"},
};

const sl_opt_table sl_opts_request = {"request", "how a request travels over HTTP",
                                      request_rows, N_ROWS(request_rows)};
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
     "the API method, e.g. wdt.aftersales.refund.refund.search; \"\" for an API without one "
     "(signer none then sends no `method` parameter)"},
    {"signer", SL_T_KIND, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_source, signer), NULL,
     &sl_kinds_signer.section, "how requests are signed"},
    {"auth", SL_T_KIND, 0, "none", UNBOUNDED, F(sl_o_source, auth), NULL, &sl_kinds_auth.section,
     "how requests prove who sends them: a bearer token, an API key, basic, OAuth2"},
    {"params", SL_T_OBJECT, 0, NULL, UNBOUNDED, F(sl_o_source, params), NULL, NULL,
     "static business parameters sent with every request"},
    {"request", SL_T_SECTION, 0, NULL, UNBOUNDED, F(sl_o_source, request), NULL, &sl_opts_request,
     "the HTTP method and headers"},
    {"window", SL_T_SECTION, 0, NULL, UNBOUNDED, F(sl_o_source, window), NULL,
     &sl_opts_window, "the time windows; without it the job is a full refresh (`target.refresh`)"},
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

static const sl_opt refresh_rows[] = {
    {"max_drop_percent", SL_T_INT, 0, "50", 0, 100, F(sl_o_refresh, max_drop_percent), NULL,
     NULL, "refuse a read with more than this share (percent) fewer rows than the table holds; "
           "100: never refuse for a drop"},
    {"allow_empty", SL_T_BOOL, 0, "false", UNBOUNDED, F(sl_o_refresh, allow_empty), NULL, NULL,
     "accept a read of no records (it empties the table); otherwise it is refused"},
};

const sl_opt_table sl_opts_refresh = {
    "refresh", "a full refresh (a job without `source.window`): every run reads everything into "
               "shadow tables and swaps them in at once; the guard below refuses a read that "
               "would wipe the table (exit 9, the table unchanged; `run --force-refresh` accepts "
               "it)",
    refresh_rows, N_ROWS(refresh_rows)};

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
    {"refresh", SL_T_SECTION, 0, NULL, UNBOUNDED, F(sl_o_target, refresh), NULL, &sl_opts_refresh,
     "a full refresh's guard; only for a job without `source.window`"},
    {"account_column", SL_T_IDENT, 0, "account", UNBOUNDED, F(sl_o_target, account_column),
     NULL, NULL,
     "a job with `accounts`: the column holding the account's id, in every table and first "
     "in every key (docs/accounts.md)"},
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
     "child tables: copy this column of the parent table (type and value); the copies of the "
     "parent's key columns are the link a child's rows are replaced by, a copy of another "
     "column is data only"},
    {"comment", SL_T_STRING, 0, NULL, UNBOUNDED, F(sl_o_column, comment), NULL, NULL,
     "column COMMENT"},
    {"personal", SL_T_ENUM, 0, NULL, UNBOUNDED, F(sl_o_column, personal), sl_personal_names,
     NULL,
     "personal data (docs/personal-data.md): clear (stored as is, deliberately), mask (the "
     "middle characters become *, see personal.keep_first/keep_last), hash (HMAC-SHA256 with "
     "personal.hash_key, 64 hex digits: equal values stay equal, so joins still work) or drop "
     "(never read nor stored: the column stays NULL)"},
};

const sl_opt_table sl_opts_column = {"column", "one target column, keyed by its name",
                                     column_rows, N_ROWS(column_rows)};

static const sl_opt child_rows[] = {
    {"table", SL_T_IDENT, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_child, table), NULL, NULL,
     "the child table"},
    {"each", SL_T_JPATH, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_child, each), NULL, NULL,
     "JSON path of the items inside a parent record (or, for a child of a child, inside the "
     "parent's item), e.g. items[*]; one [*] only: a list inside each item is a child table of "
     "this one (its `children`)"},
    {"key", SL_T_LIST, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_child, key), NULL, NULL,
     "primary key column(s), in order"},
    {"columns", SL_T_MAPOF, SL_OF_REQUIRED, NULL, 1, SL_MAX_COLUMNS, F(sl_o_child, columns), NULL,
     &sl_opts_column,
     "the child table's columns; every key column of its parent must be copied into one with "
     "from_parent (the link its rows are found and replaced by)"},
    {"children", SL_T_SEQOF, 0, NULL, 0, SL_MAX_CHILDREN, F(sl_o_child, children), NULL,
     &sl_opts_child,
     "child tables of this one: a list inside each of its items (line item -> discounts), "
     "keyed by this table's key and replaced together with the top record"},
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
     "(any rejected record), success (exit status 0), quality (a data-quality rule failed, "
     "warn rules included), volume (an hour or day out of its volume band, docs/volume.md)"},
    {"timeout", SL_T_DURATION, 0, "10s", 1000, 300000, F(sl_o_alerts, timeout), NULL, NULL,
     "whole-request timeout of the webhook POST"},
    {"allow_insecure_http", SL_T_BOOL, 0, "false", UNBOUNDED, F(sl_o_alerts, allow_insecure_http),
     NULL, NULL,
     "allow a plain http:// webhook on another machine (the URL's key and the alert then travel "
     "unencrypted); http to localhost, 127.0.0.0/8 and ::1 is always allowed"},
    {"max_lag", SL_T_DURATION, 0, NULL, 1000, 30 * DAY_MS, F(sl_o_alerts, max_lag), NULL, NULL,
     "sluice serve: an alert (status \"late\") when the job's watermark lags more than this "
     "behind now, e.g. because its runs stopped or keep failing; once, until it catches up "
     "(docs/serve.md)"},
};

const sl_opt_table sl_opts_alerts = {
    "alerts", "a webhook told about the outcome of `sluice run` and `sluice verify`", alerts_rows,
    N_ROWS(alerts_rows)};

static const sl_opt schedule_rows[] = {
    {"every", SL_T_DURATION, 0, NULL, 1000, 7 * DAY_MS, F(sl_o_schedule, every), NULL, NULL,
     "a run every this long, counted from the start of the last run (a run still going when "
     "the next is due delays it; missed runs are not made up)"},
    {"cron", SL_T_STRING, 0, NULL, UNBOUNDED, F(sl_o_schedule, cron), NULL, NULL,
     "instead of every: a five-field cron expression, minute hour day-of-month month "
     "day-of-week, e.g. \"*/5 * * * *\" or \"30 2 * * 1-5\" (items *, N, N-M, each with /STEP, "
     "joined by commas; day of week 0-7, 0 and 7 Sunday)"},
    {"timezone", SL_T_TIMEZONE, 0, "+00:00", UNBOUNDED, F(sl_o_schedule, timezone), NULL, NULL,
     "the zone the cron fields are read in (a fixed offset such as \"+08:00\", or UTC)"},
};

const sl_opt_table sl_opts_schedule = {
    "schedule", "when `sluice serve` runs the job: every or cron (docs/serve.md)",
    schedule_rows, N_ROWS(schedule_rows)};

static const sl_opt quality_rows[] = {
    {"name", SL_T_IDENT, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_quality, name), NULL, NULL,
     "the rule's name: in reject reasons (\"rule NAME: ...\"), run records, metrics, alerts"},
    {"column", SL_T_IDENT, 0, NULL, UNBOUNDED, F(sl_o_quality, column), NULL, NULL,
     "the parent table's column it checks (its converted value); every kind but check"},
    {"min", SL_T_ANY, 0, NULL, UNBOUNDED, F(sl_o_quality, min), NULL, NULL,
     "range: the smallest value allowed (a number for int, bigint, decimal and minor columns, "
     "compared exactly; \"YYYY-MM-DD HH:MM:SS\" for datetime columns)"},
    {"max", SL_T_ANY, 0, NULL, UNBOUNDED, F(sl_o_quality, max), NULL, NULL,
     "range: the largest value allowed (as min)"},
    {"pattern", SL_T_REGEX, 0, NULL, UNBOUNDED, F(sl_o_quality, pattern), NULL, NULL,
     "the value's text must match this PCRE2 pattern (anchor it with ^...$ for a whole match)"},
    {"values", SL_T_LIST, 0, NULL, UNBOUNDED, F(sl_o_quality, values), NULL, NULL,
     "the allowed values (numbers compared as numbers on numeric columns)"},
    {"not_null", SL_T_STRING, 0, NULL, UNBOUNDED, F(sl_o_quality, not_null), NULL, NULL,
     "over the whole run: at least this share of the rows written have a value, e.g. \"95%\" "
     "(a run-level check: action warn only)"},
    {"unique", SL_T_BOOL, 0, NULL, UNBOUNDED, F(sl_o_quality, unique), NULL, NULL,
     "true: no two records of one run with different keys share the value (for a column "
     "outside the key)"},
    {"check", SL_T_EXPR, 0, NULL, UNBOUNDED, F(sl_o_quality, check), NULL, NULL,
     "a condition on the row's columns by name, as in source.errors, e.g. paid <= billed; "
     "numbers compare exactly; a row where it is false fails"},
    {"action", SL_T_ENUM, 0, "reject", UNBOUNDED, F(sl_o_quality, action), sl_dq_action_names,
     NULL, "reject (the record goes to the reject table with the rule's name and reason) or warn "
           "(counted and logged; the row is written)"},
};

const sl_opt_table sl_opts_quality = {
    "quality", "a data-quality rule on the parent table's rows: one of min/max, pattern, "
               "values, not_null, unique or check, and its action (docs/quality.md)",
    quality_rows, N_ROWS(quality_rows)};

static const sl_opt account_rows[] = {
    {"id", SL_T_STRING, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_account, id), NULL, NULL,
     "the account's id: letters, digits, _ . - (at most 40), unique in the job; the value of "
     "the account column, the key of its watermark and run lock"},
    {"params", SL_T_OBJECT, 0, NULL, UNBOUNDED, F(sl_o_account, params), NULL, NULL,
     "parameters merged over source.params for this account's requests (the account's win)"},
    {"values", SL_T_OBJECT, 0, NULL, UNBOUNDED, F(sl_o_account, values), NULL, NULL,
     "plain texts the job reads as ${account:NAME}"},
    {"secrets", SL_T_OBJECT, 0, NULL, UNBOUNDED, F(sl_o_account, secrets), NULL, NULL,
     "${env:NAME} / ${file:PATH} references the job reads as ${account:NAME} (secrets: "
     "masked everywhere, read only when the account runs)"},
};

const sl_opt_table sl_opts_account = {
    "account", "one account of the job: its id, its parameters and the values and secrets the "
               "job reads as ${account:NAME} (docs/accounts.md)",
    account_rows, N_ROWS(account_rows)};

static const sl_opt personal_rows[] = {
    {"hash_key", SL_T_SECRET, 0, NULL, UNBOUNDED, F(sl_o_personal, hash_key), NULL, NULL,
     "the HMAC-SHA256 key of `personal: hash` columns, as hex (32 to 128 digits); a reference "
     "such as ${env:SLUICE_PERSONAL_KEY}; the same key gives the same hashes in every job"},
    {"keep_first", SL_T_INT, 0, "1", 0, 16, F(sl_o_personal, keep_first), NULL, NULL,
     "`personal: mask`: characters kept at the start (at most half a value's characters are "
     "kept: a short value keeps fewer, the last ones first)"},
    {"keep_last", SL_T_INT, 0, "1", 0, 16, F(sl_o_personal, keep_last), NULL, NULL,
     "`personal: mask`: characters kept at the end"},
};

const sl_opt_table sl_opts_personal = {
    "personal", "how `personal: mask` and `personal: hash` columns are protected",
    personal_rows, N_ROWS(personal_rows)};

static const sl_opt volume_rows[] = {
    {"by", SL_T_ENUM, 0, "hour", UNBOUNDED, F(sl_o_volume, by), sl_volume_by_names, NULL,
     "hour or day: the buckets counted and judged, in the time column's zone"},
    {"time_column", SL_T_IDENT, 0, NULL, UNBOUNDED, F(sl_o_volume, time_column), NULL, NULL,
     "the parent table's datetime column that places a row in its hour or day (default: "
     "target.window_column)"},
    {"sum", SL_T_IDENT, 0, NULL, UNBOUNDED, F(sl_o_volume, sum), NULL, NULL,
     "a numeric column (e.g. a money amount) whose sum per bucket is judged too, exactly"},
    {"min_share", SL_T_STRING, 0, "20%", UNBOUNDED, F(sl_o_volume, min_share), NULL, NULL,
     "a bucket under this share of its history's median is out of band, e.g. \"20%\""},
    {"max_share", SL_T_STRING, 0, NULL, UNBOUNDED, F(sl_o_volume, max_share), NULL, NULL,
     "a bucket over this share of its history's median is out of band, e.g. \"500%\" (default: "
     "no upper bound)"},
    {"history", SL_T_DURATION, 0, "7d", DAY_MS, 90 * DAY_MS, F(sl_o_volume, history), NULL, NULL,
     "the history: the same hour (or day) of this many previous days, whole days"},
    {"min_history", SL_T_INT, 0, "3", 1, 90, F(sl_o_volume, min_history), NULL, NULL,
     "a bucket with fewer previous days inside the synced range (from window.start on) is "
     "not judged"},
};

const sl_opt_table sl_opts_volume = {
    "volume", "the volume baseline: each hour or day a run completes, compared with the same "
              "hour or day of the previous days (docs/volume.md)",
    volume_rows, N_ROWS(volume_rows)};

static const sl_opt job_rows[] = {
    {"version", SL_T_INT, SL_OF_REQUIRED, NULL, 1, 1, F(sl_o_job, version), NULL, NULL,
     "job format version; must be 1"},
    {"name", SL_T_IDENT, SL_OF_REQUIRED, NULL, UNBOUNDED, F(sl_o_job, name), NULL, NULL,
     "the job's name: key of its watermark and run lock"},
    {"accounts", SL_T_SEQOF, 0, NULL, 1, SL_MAX_ACCOUNTS, F(sl_o_job, accounts), NULL,
     &sl_opts_account,
     "the accounts the job runs for, each with its own watermark, lock and run records "
     "(docs/accounts.md)"},
    {"accounts_file", SL_T_STRING, 0, NULL, UNBOUNDED, F(sl_o_job, accounts_file), NULL, NULL,
     "a YAML or JSON file holding the `accounts` list (relative to the job file's folder)"},
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
    {"quality", SL_T_SEQOF, 0, NULL, 0, SL_MAX_QUALITY, F(sl_o_job, quality), NULL,
     &sl_opts_quality, "data-quality rules (docs/quality.md)"},
    {"schedule", SL_T_SECTION, 0, NULL, UNBOUNDED, F(sl_o_job, schedule), NULL,
     &sl_opts_schedule, "when `sluice serve` runs the job (docs/serve.md); `sluice run` ignores it"},
    {"personal", SL_T_SECTION, 0, NULL, UNBOUNDED, F(sl_o_job, personal), NULL, &sl_opts_personal,
     "how personal data is masked and hashed (docs/personal-data.md)"},
    {"volume", SL_T_SECTION, 0, NULL, UNBOUNDED, F(sl_o_job, volume), NULL, &sl_opts_volume,
     "the volume baseline: a warning and an alert when an hour or day holds far fewer (or more) "
     "rows than usual (docs/volume.md)"},
};

const sl_opt_table sl_opts_job = {"job", "a sluice job file", job_rows, N_ROWS(job_rows)};

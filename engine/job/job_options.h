/* job_options.h: the job file's components as loaded by the option tables (options.h): one
 * struct of sl_optval per component, filled by sl_options_load from its table. */
#ifndef SLUICE_JOB_OPTIONS_H
#define SLUICE_JOB_OPTIONS_H

#include "options.h"

typedef struct sl_o_job {
    sl_optval version, name, accounts, accounts_file, source, target, columns, children, alerts,
        quality, schedule, personal, volume;
} sl_o_job;

typedef struct sl_o_account {
    sl_optval id, params, values, secrets;
} sl_o_account;

typedef struct sl_o_source {
    sl_optval endpoint, method, signer, auth, params, request, window, paging, records, errors, limits,
        retry, max_body, allow_insecure_http;
} sl_o_source;

typedef struct sl_o_request {
    sl_optval method, headers, body, json;
} sl_o_request;

typedef struct sl_o_window {
    sl_optval from_param, to_param, format, timezone, start, max_span, min_span, overlap, lag,
        max_records;
} sl_o_window;

typedef struct sl_o_rule {
    sl_optval when, then, message, wait, hint, lower_concurrency;
} sl_o_rule;

typedef struct sl_o_wait {
    sl_optval path, pattern;
} sl_o_wait;

typedef struct sl_o_limits {
    sl_optval calls_per_minute, concurrency, max_wait;
} sl_o_limits;

typedef struct sl_o_retry {
    sl_optval attempts, backoff, timeout, connect_timeout;
} sl_o_retry;

typedef struct sl_o_target {
    sl_optval dsn, table, key, write, load, batch_rows, max_rejects, state_table, reject_table,
        db_retry_budget, window_column, refresh, account_column;
} sl_o_target;

typedef struct sl_o_refresh {
    sl_optval max_drop_percent, allow_empty;
} sl_o_refresh;

typedef struct sl_o_column {
    sl_optval path, type, from, timezone, on_overflow, map, join, pattern, group, required,
        default_, rename_from, from_parent, comment, personal;
} sl_o_column;

typedef struct sl_o_personal {
    sl_optval hash_key, keep_first, keep_last;
} sl_o_personal;

typedef struct sl_o_child {
    sl_optval table, each, key, columns, children;
} sl_o_child;

typedef struct sl_o_alerts {
    sl_optval webhook, format, on, timeout, allow_insecure_http, max_lag;
} sl_o_alerts;

typedef struct sl_o_schedule {
    sl_optval every, cron, timezone;
} sl_o_schedule;

typedef struct sl_o_quality {
    sl_optval name, column, min, max, pattern, values, not_null, unique, check, action;
} sl_o_quality;

typedef struct sl_o_volume {
    sl_optval by, time_column, sum, min_share, max_share, history, min_history;
} sl_o_volume;

extern const sl_opt_table sl_opts_quality, sl_opts_account, sl_opts_volume;
extern const sl_opt_table sl_opts_job, sl_opts_source, sl_opts_window,
    sl_opts_rule, sl_opts_wait, sl_opts_limits, sl_opts_retry, sl_opts_request, sl_opts_target,
    sl_opts_column, sl_opts_child, sl_opts_alerts, sl_opts_refresh, sl_opts_schedule,
    sl_opts_personal;

#endif

/* plan.h: the compiled job. compile.c builds it from the YAML document; source, transform and
 * the sinks only read it. Every element keeps the position of the YAML node it came from, so
 * later stages can still report "file:line:col". Everything here is owned by the plan. */
#ifndef SLUICE_PLAN_H
#define SLUICE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "cron.h"
#include "decimal.h"

typedef struct sl_jpath sl_jpath; /* compiled JSON path (jpath.h) */
typedef struct sl_conv sl_conv;   /* compiled converter (convert.h) */
typedef struct sl_expr sl_expr;   /* compiled error-rule condition (expr.h) */
typedef struct sl_regex sl_regex; /* compiled PCRE2 pattern (convert.h) */

/* A position in the job file, 1-based; line 0 means "not from the file". */
typedef struct sl_pos {
    int line;
    int col;
} sl_pos;

/* A pluggable kind chosen by a job file section (kind.h) and its own compiled config. */
typedef struct sl_kind sl_kind;
typedef struct sl_kind_ref {
    const sl_kind *kind; /* NULL: the section is absent */
    void *cfg;           /* owned through kind->free */
} sl_kind_ref;

typedef struct sl_window_plan {
    char *from_param;    /* e.g. modified_from */
    char *to_param;      /* e.g. modified_to */
    char *format;        /* strftime format of both bounds, e.g. "%Y-%m-%d %H:%M:%S" */
    int tz_offset_s;     /* zone the API reads the bounds in, seconds east of UTC */
    int64_t start;       /* first instant to sync, epoch seconds (UTC) */
    int64_t max_span_s;  /* longest window */
    int64_t min_span_s;  /* shortest window a split may produce (1 s) */
    int64_t overlap_s;   /* consecutive windows share this much */
    int64_t lag_s;       /* the last window ends at now - lag */
    int64_t max_records; /* a window reporting more is split in halves */
} sl_window_plan;

typedef enum sl_action {
    SL_ACT_THROTTLE, /* slow the shared limiter down, then retry the request */
    SL_ACT_RETRY,    /* transient: retry with backoff */
    SL_ACT_FAIL,     /* permanent: stop the run, print the message and the hint */
    SL_ACT_SPLIT,    /* the window is too wide for the API: split it in halves */
} sl_action;

typedef enum sl_http_method { SL_HTTP_POST, SL_HTTP_GET } sl_http_method;

/* Names of the enums above and below, indexed by them (the option tables and the plan dump
 * share them, so a name and its value are written once). */
extern const char *const sl_action_names[],
    *const sl_write_mode_names[], *const sl_load_mode_names[], *const sl_alert_format_names[],
    *const sl_alert_on_names[], *const sl_http_method_names[], *const sl_body_names[];

/* One "how to read failure out of a 200 reply" rule, tried in order; first match wins. */
typedef struct sl_error_rule {
    sl_pos pos;
    sl_expr *when;
    sl_action then;
    sl_jpath *message;    /* where the reply's own message is, for the error text; may be NULL */
    sl_jpath *wait_path;  /* throttle: text holding the ban length; may be NULL */
    sl_regex *wait_regex; /* group 1 of this pattern on wait_path's text = seconds to wait */
    char *hint;           /* what to check, printed with a fail; may be NULL */
    bool lower_concurrency; /* throttle: too many requests in flight: lower the cap too */
} sl_error_rule;

typedef struct sl_source_plan {
    char *endpoint; /* URL; may embed a secret, so never printed */
    char *method;
    sl_kind_ref signer; /* how requests are signed (engine/sign/signers.def) */
    sl_kind_ref auth;   /* the credential every request carries (engine/auth/auths.def) */
    json_t *params; /* static business filters (a JSON object), merged with the window bounds */
    bool http_get;  /* GET with the parameters in the query string, else a POST */
    json_t *json_body; /* a JSON body's template (an object; sign.h, sl_page_req.json_body);
                        * NULL: the parameters go in a form body (or a GET's query) */
    char **header_names; /* n_headers sent with every request; values may be secrets */
    char **header_values;
    size_t n_headers;
    sl_window_plan window;
    sl_kind_ref paging; /* how a window is paged (engine/page/pagers.def) */
    /* The reply's paths outside the records that the kinds read (a pager's total), borrowed
     * from their configs: the decoder keeps what they reach. */
    const sl_jpath **reply_paths;
    size_t n_reply_paths;
    size_t cap_reply_paths;
    sl_jpath *records; /* where the reply carries the list of records */
    sl_error_rule *rules;
    size_t n_rules;
    int64_t calls_per_minute;
    int64_t concurrency;      /* requests in flight at most */
    int64_t max_wait_ms;      /* a throttle asking to wait longer is a transient failure */
    int64_t retry_attempts;   /* attempts per request before the run fails */
    int64_t backoff_min_ms;
    int64_t backoff_max_ms;
    int64_t timeout_ms;       /* whole-request timeout */
    int64_t connect_timeout_ms;
    int64_t max_body_bytes;   /* a larger reply is an error */
} sl_source_plan;

/* What happens to a column holding personal data (its `personal` key; docs/personal-data.md):
 * stored as converted (not written, or `clear`), masked, replaced by an HMAC, or never stored. */
typedef enum sl_personal {
    SL_PERSONAL_NONE,  /* no `personal` key: stored as converted (validate may warn) */
    SL_PERSONAL_CLEAR, /* stored as converted, deliberately */
    SL_PERSONAL_MASK,  /* the middle characters become '*' (plan->personal.keep_*) */
    SL_PERSONAL_HASH,  /* HMAC-SHA256 of the converted text, 64 lowercase hex digits */
    SL_PERSONAL_DROP,  /* never read nor stored: the column stays NULL */
} sl_personal;

/* "clear", "mask", "hash", "drop" for SL_PERSONAL_CLEAR.. (index - 1); NULL-terminated. */
extern const char *const sl_personal_names[];

enum { SL_PERSONAL_KEY_MAX = 64 }; /* bytes of the HMAC key */

/* The job's `personal` section: how mask and hash work for its columns. */
typedef struct sl_personal_plan {
    int64_t keep_first, keep_last; /* mask: characters kept at each end */
    char *hash_key;                /* the key as written (a secret; shown by its origin) */
    unsigned char key[SL_PERSONAL_KEY_MAX]; /* hash: the HMAC key (a secret) */
    size_t key_len;                /* 0: no key (no hash column, or validated unread) */
    bool any;                      /* some column is masked, hashed or dropped */
} sl_personal_plan;

/* One target column. */
typedef struct sl_column {
    sl_pos pos;
    char *name;
    char *rename_from;  /* old name to migrate from, or NULL */
    sl_jpath *path;     /* where the value is in the record (child: in the item); NULL = from_parent */
    int from_parent;    /* child tables: index of the parent column copied here, or -1 */
    sl_conv *conv;      /* conversion and SQL type */
    bool required;      /* a missing/null value rejects the record */
    char *default_text; /* value (already converted, SQL-ready text) used when missing, or NULL */
    char *comment;      /* column COMMENT, or NULL */
    sl_personal personal; /* personal data: how it is stored */
} sl_column;

typedef struct sl_table {
    sl_pos pos;
    char *name;
    sl_column *cols;
    size_t n_cols;
    size_t *key; /* indexes into cols, primary key order */
    size_t n_key;
    sl_jpath *each; /* child tables: the array of items inside the parent record; NULL for the parent */
    size_t up;      /* child tables: the table whose items hold this one's, as a table index:
                     * 0 the top table, 1 + i plan->children[i] */
    size_t depth;   /* child tables: 1 under the top table, 2 under one of those... */
} sl_table;

typedef enum sl_write_mode {
    SL_WRITE_REPLACE, /* REPLACE INTO */
    SL_WRITE_UPSERT,  /* INSERT ... ON DUPLICATE KEY UPDATE */
} sl_write_mode;

/* How the MySQL sink sends parent and child rows (target.load). */
typedef enum sl_load_mode {
    SL_LOAD_BULK,       /* prepared statements with MariaDB bulk array binding (the default) */
    SL_LOAD_DATA,       /* LOAD DATA LOCAL INFILE fed from memory (replace only) */
    SL_LOAD_STATEMENTS, /* multi-row REPLACE / INSERT statements */
} sl_load_mode;

/* A full refresh (a job without source.window; target.refresh): every run reads everything
 * into shadow tables and swaps them in at once; the guard refuses a read that would wipe or
 * gut the table (docs/sink.md, "Full refresh"). */
typedef struct sl_refresh_plan {
    bool on;
    int64_t max_drop_percent; /* refuse a read with this much (percent) fewer rows than the table */
    bool allow_empty;         /* accept a read of no records */
} sl_refresh_plan;

typedef struct sl_target_plan {
    char *dsn; /* secret: mysql://user:password@host:port/db or mysql://user@localhost/db?socket=... */
    sl_write_mode write;
    sl_load_mode load;
    int64_t batch_rows;
    char *state_table;  /* watermarks and run records; default sluice_state */
    char *reject_table; /* rejected records; default sluice_rejects */
    int64_t max_rejects;
    int64_t db_retry_budget_ms; /* how long to keep reconnecting before the run fails */
    int window_column;          /* parent column holding the window field (verify), or -1 */
    sl_refresh_plan refresh;
} sl_target_plan;

typedef enum sl_alert_format {
    SL_ALERT_WECOM,    /* WeCom group robot: {"msgtype":"markdown","markdown":{"content":..}} */
    SL_ALERT_DINGTALK, /* DingTalk group robot: {"msgtype":"markdown","markdown":{title,text}} */
    SL_ALERT_JSON,     /* a flat object of the summary's fields */
} sl_alert_format;

/* alerts.on: bit (1 << n) for the n-th name of sl_alert_on_names. */
enum { SL_ALERT_ON_FAILURE = 1 << 0, SL_ALERT_ON_REJECTS = 1 << 1, SL_ALERT_ON_SUCCESS = 1 << 2,
       SL_ALERT_ON_QUALITY = 1 << 3, SL_ALERT_ON_VOLUME = 1 << 4 };

/* Where and when to report a run's outcome (engine/run/report.h). */
typedef struct sl_alert_plan {
    char *webhook; /* secret: a robot's URL carries its key; never printed */
    sl_alert_format format;
    unsigned on;   /* SL_ALERT_ON_* bits */
    int64_t timeout_ms;
    int64_t max_lag_ms; /* sluice serve: alert when the watermark lags more (0: never) */
} sl_alert_plan;

/* What a data-quality rule checks (the job's `quality` list; docs/quality.md). Every kind
 * reads the parent row's converted cells, after the record converted without a reject. */
typedef enum sl_dq_kind {
    SL_DQ_RANGE,    /* min <= value <= max: numbers exactly as decimals, datetimes as text */
    SL_DQ_PATTERN,  /* the value's text matches a PCRE2 pattern */
    SL_DQ_VALUES,   /* the value is one of a list (numbers compared as numbers) */
    SL_DQ_NOT_NULL, /* over the run: at least a share of the rows have a value */
    SL_DQ_UNIQUE,   /* no two records of a run with different keys share the value */
    SL_DQ_CHECK,    /* a condition on the row's columns (expr.h), e.g. refund <= total */
} sl_dq_kind;

typedef enum sl_dq_action {
    SL_DQ_REJECT, /* the record goes to the reject table, reason "rule NAME: ..." */
    SL_DQ_WARN,   /* counted and logged; the row is written */
} sl_dq_action;

extern const char *const sl_dq_kind_names[], *const sl_dq_action_names[],
    *const sl_volume_by_names[];

enum { SL_MAX_QUALITY = 100 }; /* data-quality rules of a job */

/* One data-quality rule. NULL cells pass every kind but not_null (which counts them). */
typedef struct sl_dq_rule {
    sl_pos pos;
    char *name;
    sl_dq_kind kind;
    sl_dq_action action;
    int column;           /* index into plan->table.cols; -1 for a check */
    bool numeric;         /* the column holds numbers: range and values compare as decimals */
    char *min, *max;      /* range: the bounds as written (NULL = open), for messages and text */
    sl_dec min_dec, max_dec; /* range on a numeric column: the bounds */
    sl_regex *pattern;    /* pattern */
    char **values;        /* values: the allowed texts */
    sl_dec *values_dec;   /* values on a numeric column: the same as decimals */
    size_t n_values;
    int64_t share_bp;     /* not_null: the share of rows that must have a value, 1/100 of % */
    sl_expr *check;       /* check: on an object of the row's columns (name -> text or null) */
    size_t *check_cols;   /* check: the columns it reads */
    size_t n_check_cols;
} sl_dq_rule;

/* When `sluice serve` runs the job (the job's `schedule` section; docs/serve.md). */
typedef struct sl_schedule_plan {
    bool on;             /* the section is present */
    int64_t every_ms;    /* > 0: a run every this long, counted from the last run's start */
    char *cron_text;     /* else a cron expression as written (NULL with every) */
    sl_cron cron;        /* ... parsed */
    int tz_offset_s;     /* the zone the cron fields are read in, seconds east of UTC */
} sl_schedule_plan;
/* One account of a job's `accounts` (docs/accounts.md): its id and where it was written. */
typedef struct sl_account {
    sl_pos pos;
    char *id;
} sl_account;

enum { SL_MAX_ACCOUNTS = 10000, SL_MAX_ACCOUNT_ID = 40 };

/* The volume baseline (the job's `volume` section; docs/volume.md): each hour or day a run
 * completes is compared with the same hour or day of the previous days in the table. */
typedef struct sl_volume_plan {
    bool on;              /* the section is present */
    int64_t by_s;         /* 3600 (by: hour) or 86400 (by: day) */
    int time_column;      /* parent column whose datetime places a row in its hour or day */
    int sum_column;       /* parent column whose sum is judged too, or -1 */
    int64_t min_share_bp; /* out of band below this share of the median, 1/100 of % */
    int64_t max_share_bp; /* ... or above this one; 0: no upper bound */
    int64_t history_days; /* the same hour or day of this many previous days */
    int64_t min_history;  /* fewer previous days inside the synced range: not judged */
} sl_volume_plan;

typedef struct sl_plan {
    char *file; /* job file path as given */
    char *name; /* job name: key of the watermark and the run lock */
    /* A job with accounts: every account of the list, in order (n_accounts > 0), the name of
     * the account column (the last column of every table, the first of every key), and the
     * account this plan is compiled for (its ${account:} values read, its params merged, its
     * id the account column's value), or NULL for the plan of the whole job (validate, plan,
     * migrate). A job without accounts: all NULL/0. */
    sl_account *accounts;
    size_t n_accounts;
    char *account_column;
    char *account;
    sl_source_plan source;
    sl_target_plan target;
    sl_table table;     /* the parent table */
    sl_table *children; /* child tables at every depth, each table before its own children
                         * (pre-order, so a table's descendants follow it contiguously); all of
                         * them replaced together with their top record */
    size_t n_children;
    sl_alert_plan *alerts; /* the job's alerts section, or NULL */
    sl_schedule_plan schedule;
    sl_personal_plan personal; /* mask and hash settings (columns say which applies) */
    sl_dq_rule *quality;   /* data-quality rules, in the job file's order */
    size_t n_quality;
    sl_volume_plan volume;
    char **secrets; /* every resolved secret value, so outputs can redact them */
    size_t n_secrets;
} sl_plan;

/* The table whose items hold t's (borrowed): the top table or a child; NULL for the top
 * table itself. */
const sl_table *sl_plan_parent_table(const sl_plan *plan, const sl_table *t);
/* True when column col of the child table t copies a key column of its parent (from_parent):
 * a link, by which the rows of a parent's items are found. A copy of another parent column is
 * data only. */
bool sl_plan_is_link(const sl_plan *plan, const sl_table *t, size_t col);
/* The index in plan->children just past child i's descendants: [i, end) is child i and every
 * table below it. */
size_t sl_plan_subtree_end(const sl_plan *plan, size_t i);

/* The child tables of table `up` (0 the top table, 1 + i child i) are those of
 * plan->children[up .. sl_plan_kids_end(plan, up)) whose `up` is up. */
size_t sl_plan_kids_end(const sl_plan *plan, size_t up);

/* Frees a plan and everything it owns; NULL is fine. */
void sl_plan_free(sl_plan *plan);
/* Replaces, in place, every stretch of the NUL-terminated text (capacity cap) covered by
 * occurrences of the plan's secret values with one "***", so no message can carry one or a
 * part of one: secrets of any length, inside or overlapping each other, or holding the mask
 * itself. A result longer than cap is cut; it ends when the text does. */
void sl_plan_redact(const sl_plan *plan, char *text, size_t cap);
/* sl_plan_redact with the n secrets given instead of a plan's (a NULL or empty one masks
 * nothing): for a kind masking values it holds itself, e.g. a token it fetched. */
void sl_secrets_redact(const char *const *secrets, size_t n, char *text, size_t cap);
/* True when sl_plan_redact would mask something in text. */
bool sl_plan_holds_secret(const sl_plan *plan, const char *text);
/* Prints "label: value\n" for a string field of the plan (or of a kind's config): the value,
 * "(none)", or where a secret or a value read through a reference came from. */
void sl_plan_put_field(const sl_plan *plan, FILE *out, const char *label, char *const *field);
/* The text sl_plan_put_field prints for field (the value, "(none)" or its origin), in buf when
 * it is made up; borrowed. */
const char *sl_plan_shown(const sl_plan *plan, char *const *field, char *buf, size_t n);
/* Calls fn with each secret value the source section holds (its signer's, auth's and secret
 * headers' values: the credentials its requests are made with), in the file's order; none
 * when the plan was compiled without reading references. value is borrowed. */
void sl_plan_each_credential(const sl_plan *plan, void (*fn)(const char *value, void *ctx),
                             void *ctx);

#endif

/* Unit tests of the compiler: the shipped refund job lowers to the plan it describes; secrets
 * are read (strict) or only checked (validate), recorded in plan->secrets, and never printed. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "compile.h"
#include "convert.h"
#include "expr.h"
#include "jpath.h"
#include "kind.h"
#include "page_number.h"
#include "wdt_creds.h"

static const char *const env[][2] = {
    {"WDT_ENDPOINT", "http://127.0.0.1:9/router/qm"}, {"QIMEN_APP_KEY", "qk-1"},
    {"QIMEN_APP_SECRET", "Qimen-Secret-Value"},       {"QIMEN_TARGET_APP_KEY", "tk-1"},
    {"WDT_SID", "sid-1"},                             {"WDT_APPKEY", "wk-1"},
    {"WDT_APPSECRET", "Wdt-Secret:Wdt-Salt"},          {"SLUICE_DB", "mysql://u:Db-Pass@h:3306/d"},
};
enum { N_ENV = sizeof env / sizeof env[0] };

static sl_plan *compile(const char *path, bool strict, size_t *n_errors)
{
    sl_diag *diag = sl_diag_new(path);
    sl_compile_options opts = {.resolve_secrets = strict};
    sl_plan *plan = sl_compile_file_opts(path, &opts, diag);
    *n_errors = sl_diag_errors(diag);
    if (*n_errors)
        sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    return plan;
}

static size_t find_col(const sl_table *t, const char *name)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (!strcmp(t->cols[i].name, name))
            return i;
    return (size_t)-1;
}

static void refund_job_shape(const sl_plan *p)
{
    CHECK_STR(p->name, "wdt_refund");
    CHECK(p->source.signer.kind == sl_kind_find(&sl_kinds_signer, "qimen-wdt"));
    CHECK(p->source.window.tz_offset_s == 8 * 3600);
    CHECK(p->source.window.start == 1704038400); /* 2024-01-01 00:00:00 +08:00 */
    CHECK(p->source.window.max_span_s == 86400 && p->source.window.overlap_s == 300);
    const sl_page_number *pg = p->source.paging.cfg;
    CHECK(p->source.paging.kind == sl_kind_find(&sl_kinds_pager, "page-number"));
    CHECK(pg->size == 50 && pg->first_page == 0);
    CHECK(pg->backward);
    CHECK_STR(sl_jpath_text(p->source.records), "response.data.order");
    CHECK(p->source.n_rules == 8);
    CHECK(p->source.rules[0].then == SL_ACT_THROTTLE && p->source.rules[0].wait_regex);
    CHECK(!p->source.rules[0].lower_concurrency);
    CHECK(p->source.rules[3].then == SL_ACT_THROTTLE && p->source.rules[3].lower_concurrency);
    CHECK(p->source.rules[4].then == SL_ACT_THROTTLE && !p->source.rules[4].lower_concurrency);
    CHECK(p->source.rules[5].then == SL_ACT_SPLIT);
    CHECK(p->source.rules[7].then == SL_ACT_FAIL && p->source.rules[7].message);
    CHECK(p->source.max_wait_ms == 300000); /* limits.max_wait's default, 5m */
    CHECK(pg->check_total && pg->max_rereads == 3);
    CHECK(p->target.window_column >= 0 &&
          !strcmp(p->table.cols[p->target.window_column].name, "modified"));
    CHECK(p->source.backoff_min_ms == 500 && p->source.backoff_max_ms == 30000);
    CHECK(p->target.batch_rows == 1000 && p->target.write == SL_WRITE_REPLACE);
    CHECK_STR(p->table.name, "aftersales_refund_refund_search");
    CHECK(p->table.n_cols == 39);
    CHECK(p->table.n_key == 1 && p->table.key[0] == find_col(&p->table, "refund_id"));
    size_t amount = find_col(&p->table, "actual_refund_amount");
    CHECK(amount < p->table.n_cols);
    if (amount < p->table.n_cols) {
        CHECK_STR(sl_conv_sql_type(p->table.cols[amount].conv), "DECIMAL(19,4)");
        CHECK(p->table.cols[amount].default_text != NULL);
    }
    CHECK(p->n_children == 1);
    if (p->n_children == 1) {
        const sl_table *c = &p->children[0];
        size_t rid = find_col(c, "refund_id");
        CHECK(c->n_cols == 19 && c->each && sl_jpath_is_multi(c->each));
        CHECK(rid < c->n_cols && c->cols[rid].from_parent == (int)find_col(&p->table, "refund_id"));
        CHECK(rid < c->n_cols && c->cols[rid].path == NULL && c->cols[rid].conv != NULL);
    }
}

static bool has_secret(const sl_plan *p, const char *v)
{
    for (size_t i = 0; i < p->n_secrets; i++)
        if (!strcmp(p->secrets[i], v))
            return true;
    return false;
}

static char *dump(const sl_plan *p)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    sl_plan_dump(p, f);
    fclose(f);
    return text;
}

static void strict_mode(void)
{
    for (size_t i = 0; i < N_ENV; i++)
        setenv(env[i][0], env[i][1], 1);
    size_t n;
    sl_plan *p = compile("mappings/wdt_refund.yml", true, &n);
    CHECK(p != NULL && n == 0);
    if (!p)
        return;
    refund_job_shape(p);
    const sl_wdt_creds *creds = p->source.signer.cfg;
    CHECK_STR(creds->app_secret, "Qimen-Secret-Value");
    CHECK_STR(creds->wdt_secret, "Wdt-Secret");
    CHECK_STR(creds->wdt_salt, "Wdt-Salt");
    CHECK_STR(p->target.dsn, "mysql://u:Db-Pass@h:3306/d");
    CHECK(has_secret(p, "Qimen-Secret-Value") && has_secret(p, "Wdt-Secret") &&
          has_secret(p, "Wdt-Salt") && has_secret(p, "mysql://u:Db-Pass@h:3306/d"));
    char *text = dump(p);
    for (size_t i = 0; i < p->n_secrets; i++)
        CHECK(strstr(text, p->secrets[i]) == NULL);
    CHECK(strstr(text, "<secret from env:QIMEN_APP_SECRET>") != NULL);
    free(text);
    sl_plan_free(p);
    unsetenv("QIMEN_APP_SECRET");
    p = compile("mappings/wdt_refund.yml", true, &n);
    CHECK(p == NULL && n == 1);
    sl_plan_free(p);
    for (size_t i = 0; i < N_ENV; i++)
        unsetenv(env[i][0]);
}

static void validate_mode(void)
{
    size_t n;
    sl_plan *p = compile("mappings/wdt_refund.yml", false, &n);
    CHECK(p != NULL && n == 0);
    if (!p)
        return;
    refund_job_shape(p);
    CHECK(p->n_secrets == 0);
    CHECK_STR(((const sl_wdt_creds *)p->source.signer.cfg)->app_secret, "");
    char *text = dump(p);
    CHECK(strstr(text, "<secret from env:SLUICE_DB, not read>") != NULL);
    free(text);
    sl_plan_free(p);
}

/* ${file:} paths are relative to the job file's folder; one trailing newline is dropped. */
static void file_reference(void)
{
    char dir[] = "/tmp/sluice-compile-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char job[128], secret[128];
    snprintf(job, sizeof job, "%s/job.yml", dir);
    snprintf(secret, sizeof secret, "%s/dsn.txt", dir);
    FILE *f = fopen(secret, "w");
    fputs("mysql://u:File-Pass@h/d\n", f);
    fclose(f);
    f = fopen(job, "w");
    fputs("version: 1\nname: t\nsource:\n  endpoint: https://x\n  method: m\n"
          "  signer: { type: none }\n  window: { from_param: a, to_param: b, "
          "start: \"2024-01-01 00:00:00\" }\n  paging: { page_param: p, size_param: s, "
          "total: total }\n  records: items\ntarget:\n  dsn: ${file:dsn.txt}\n  table: t\n"
          "  key: id\ncolumns:\n  id: { path: id, type: int, default: 5 }\n",
          f);
    fclose(f);
    size_t n;
    sl_plan *p = compile(job, true, &n);
    CHECK(p != NULL && n == 0);
    if (p) {
        CHECK_STR(p->target.dsn, "mysql://u:File-Pass@h/d");
        CHECK(has_secret(p, "mysql://u:File-Pass@h/d"));
        CHECK_STR(p->source.endpoint, "https://x");
        CHECK_STR(p->table.cols[0].default_text, "5");
        CHECK(p->source.n_rules == 0 && p->n_children == 0);
        char *text = dump(p);
        CHECK(strstr(text, "File-Pass") == NULL);
        CHECK(strstr(text, "endpoint: https://x") != NULL); /* a literal URL is no secret */
        free(text);
    }
    sl_plan_free(p);
    unlink(secret);
    unlink(job);
    rmdir(dir);
}

int main(void)
{
    strict_mode();
    validate_mode();
    file_reference();
    return check_done();
}

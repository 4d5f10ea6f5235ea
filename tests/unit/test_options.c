/* Unit tests of the option loader (defaults, units, bounds, unknown keys), its helpers, and
 * the JSON Schema generated from the tables. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "job_options.h"
#include "reference.h"

/* Loads text's root map against table into out; returns the error count (-1: YAML failed). */
static long load(const sl_opt_table *table, const char *text, void *out, sl_ydoc **doc,
                 sl_diag **diag)
{
    *diag = sl_diag_new("t.yml");
    *doc = sl_yaml_load_text(text, strlen(text), *diag);
    if (!*doc)
        return -1;
    return (long)sl_options_load(table, NULL, sl_ydoc_root(*doc), (sl_pos){1, 1}, out, *diag);
}

static void window_defaults(void)
{
    sl_o_window w = {0};
    sl_ydoc *doc;
    sl_diag *diag;
    long n = load(&sl_opts_window, "from_param: a\nto_param: b\nstart: \"2024-01-01 00:00:00\"\n"
                                   "timezone: \"+08:00\"\nlag: 2m\n",
                  &w, &doc, &diag);
    CHECK(n == 0);
    CHECK_STR(w.from_param.s, "a");
    CHECK(w.from_param.node && w.from_param.node->pos.line == 1);
    CHECK_STR(w.format.s, "%Y-%m-%d %H:%M:%S"); /* default */
    CHECK(w.format.set && w.format.node == NULL);
    CHECK(w.max_span.i == 86400000);
    CHECK(w.lag.i == 120000);
    CHECK(w.timezone.i == 8 * 3600);
    CHECK(w.max_records.i == 10000);
    sl_ydoc_free(doc);
    sl_diag_free(diag);
}

static long errors(const sl_opt_table *table, const char *text)
{
    char out[1024] = {0}; /* larger than any component struct */
    sl_ydoc *doc;
    sl_diag *diag;
    long n = load(table, text, out, &doc, &diag);
    sl_ydoc_free(doc);
    sl_diag_free(diag);
    return n;
}

static void bad_values(void)
{
    CHECK(errors(&sl_opts_target, "dsn: x\ntable: t\nkey: id\nbatch_rows: 0\n") == 1);
    CHECK(errors(&sl_opts_target, "dsn: x\ntable: t\nkey: id\nbatch_rows: 100000\n") == 0);
    CHECK(errors(&sl_opts_target, "dsn: x\ntable: t\nkey: id\nbatch_rows: \"5\"\n") == 1);
    CHECK(errors(&sl_opts_target, "dsn: x\ntable: t\nkey: [a, b]\nwrite: upsert\n") == 0);
    CHECK(errors(&sl_opts_target, "dsn: x\ntable: t\nkey: []\n") == 1);
    CHECK(errors(&sl_opts_target, "dsn: x\ntable: 1t\nkey: id\nwrite: merge\n") == 2);
    CHECK(errors(&sl_opts_target, "table: t\n") == 2); /* dsn and key missing */
    CHECK(errors(&sl_opts_retry, "backoff: 1s..2s\ntimeout: 5m\n") == 0);
    CHECK(errors(&sl_opts_retry, "backoff: 2s..1s\n") == 1);
    CHECK(errors(&sl_opts_retry, "backoff: 2s\n") == 1);
    CHECK(errors(&sl_opts_retry, "attempts: 3\nattempt: 4\ntimeout: 10x\n") == 2);
    /* 5 required keys (no window: a full refresh) + bound */
    CHECK(errors(&sl_opts_source, "max_body: 2G\n") == 6);
    CHECK(errors(&sl_opts_column, "required: True\n") == 1);
    CHECK(errors(&sl_opts_column, "default: ~\nmap: {a: 1}\n") == 0);
    CHECK(errors(&sl_opts_column, "map: [1]\n") == 1);
    CHECK(errors(&sl_opts_limits, "- 1\n") == 1);
}

static void helpers(void)
{
    const char *keys[] = {"max_span", "min_span", "overlap", "lag"};
    CHECK_STR(sl_did_you_mean("max_spam", keys, 4), "max_span");
    CHECK_STR(sl_did_you_mean("overlp", keys, 4), "overlap");
    CHECK(sl_did_you_mean("zzz", keys, 4) == NULL);
    CHECK(sl_ident_valid("refund_id") && sl_ident_valid("_x1"));
    CHECK(!sl_ident_valid("1x") && !sl_ident_valid("a-b") && !sl_ident_valid(""));
    char long_name[70];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    CHECK(!sl_ident_valid(long_name));
    long_name[64] = '\0';
    CHECK(sl_ident_valid(long_name));
    char buf[32];
    sl_duration_format(30000, buf, sizeof buf);
    CHECK_STR(buf, "30s");
    sl_duration_format(1500, buf, sizeof buf);
    CHECK_STR(buf, "1500ms");
    sl_duration_format(86400000, buf, sizeof buf);
    CHECK_STR(buf, "1d");
    sl_duration_format(0, buf, sizeof buf);
    CHECK_STR(buf, "0s");
}

static void schema(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    CHECK(sl_options_schema(f) == 0);
    fclose(f);
    json_t *s = json_loads(text, 0, NULL);
    CHECK(s != NULL);
    json_t *batch = json_object_get(
        json_object_get(json_object_get(json_object_get(s, "properties"), "target"),
                        "properties"),
        "batch_rows");
    CHECK(json_integer_value(json_object_get(batch, "maximum")) == 100000);
    CHECK(json_integer_value(json_object_get(batch, "default")) == 1000);
    CHECK(json_is_false(json_object_get(s, "additionalProperties")));
    json_decref(s);
    free(text);
}

int main(void)
{
    window_defaults();
    bad_values();
    helpers();
    schema();
    return check_done();
}

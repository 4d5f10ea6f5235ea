/* test_quality.c: data-quality rules through the compiler and the transform: each kind's
 * verdict on hand-made records (bounds exact to the cent, past what a double tells apart), a
 * unique value seen again under the same key is no duplicate, a not_null share exactly at
 * its floor passes and one row under fails, warn rules count without rejecting; and exact
 * decimal comparison in conditions and sl_dec_cmp. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "check.h"
#include "compile.h"
#include "decimal.h"
#include "expr.h"
#include "quality.h"
#include "report.h"
#include "transform.h"

static sl_plan *compile_rules_alerts(const char *rules, const char *alerts)
{
    char text[4096];
    snprintf(text, sizeof text,
             "version: 1\nname: q\nsource:\n  endpoint: http://127.0.0.1:9/x\n  method: m\n"
             "  signer: { type: none }\n"
             "  window: { from_param: f, to_param: t, start: \"2024-06-01 00:00:00\" }\n"
             "  paging: { page_param: p, size_param: s, total: total }\n  records: items\n"
             "target: { dsn: \"mysql://u@localhost/db\", table: t, key: [id] }\n"
             "columns:\n  id: { path: id, type: bigint }\n"
             "  amt: { path: amt, type: \"decimal(20,2)\" }\n"
             "  big: { path: big, type: bigint }\n"
             "  at: { path: at, type: datetime, from: string }\n"
             "  code: { path: code, type: varchar(16) }\n"
             "%s"
             "quality:\n%s",
             alerts, rules);
    sl_diag *diag = sl_diag_new("job.yml");
    sl_compile_options opts = {.resolve_secrets = false};
    sl_plan *plan = sl_compile_text("job.yml", text, strlen(text), &opts, diag);
    if (sl_diag_errors(diag))
        sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    CHECK(plan != NULL);
    return plan;
}

static sl_plan *compile_rules(const char *rules)
{
    return compile_rules_alerts(rules, "");
}

/* Transforms record (JSON text): 0 written, 1 rejected; the reject's reason into why. */
static int verdict(const sl_plan *plan, sl_quality *q, const char *record, char *why, size_t n)
{
    sl_batch *b = sl_batch_new(plan);
    json_t *rec = json_loads(record, 0, NULL);
    CHECK(b && rec);
    int rc = sl_transform_record_checked(plan, rec, b, NULL, q, &(sl_error){0});
    why[0] = '\0';
    if (rc == 1) {
        int32_t len;
        const char *s = sl_rowset_get(sl_batch_rejects(b), 0, SL_REJ_REASON, &len);
        snprintf(why, n, "%.*s", len, s);
    }
    json_decref(rec);
    sl_batch_free(b);
    return rc;
}

static void test_range(void)
{
    sl_plan *plan =
        compile_rules("  - { name: r, column: amt, min: 0, max: \"90071992547409.93\" }\n"
                      "  - { name: b, column: big, max: 9007199254740993 }\n"
                      "  - { name: d, column: at, max: \"2024-06-30 23:59:59\" }\n");
    sl_quality *q = sl_quality_new(plan);
    char why[600];
    CHECK(verdict(plan, q, "{\"id\":1,\"amt\":\"90071992547409.93\"}", why, sizeof why) == 0);
    CHECK(verdict(plan, q, "{\"id\":2,\"amt\":\"90071992547409.94\"}", why, sizeof why) == 1);
    CHECK_STR(why, "rule r: '90071992547409.94' is above max 90071992547409.93");
    CHECK(verdict(plan, q, "{\"id\":3,\"amt\":\"-0.01\"}", why, sizeof why) == 1);
    CHECK_STR(why, "rule r: '-0.01' is below min 0");
    /* 2^53 + 2 and 2^53 + 1 are the same double: only an exact comparison tells them apart */
    CHECK(verdict(plan, q, "{\"id\":4,\"big\":9007199254740993}", why, sizeof why) == 0);
    CHECK(verdict(plan, q, "{\"id\":5,\"big\":9007199254740994}", why, sizeof why) == 1);
    CHECK(verdict(plan, q, "{\"id\":6,\"at\":\"2024-06-30 23:59:59\"}", why, sizeof why) == 0);
    CHECK(verdict(plan, q, "{\"id\":7,\"at\":\"2024-07-01 00:00:00\"}", why, sizeof why) == 1);
    CHECK(verdict(plan, q, "{\"id\":8}", why, sizeof why) == 0); /* NULL passes */
    CHECK(sl_quality_count(q, 0)->failed == 2 && sl_quality_count(q, 1)->failed == 1);
    sl_quality_free(q);
    sl_plan_free(plan);
}

static void test_pattern_values_check(void)
{
    sl_plan *plan = compile_rules("  - { name: p, column: code, pattern: '^[A-Z]{2}-\\d+$' }\n"
                                  "  - { name: v, column: amt, values: [1.5, 2] }\n"
                                  "  - { name: c, check: amt <= big }\n");
    sl_quality *q = sl_quality_new(plan);
    char why[600];
    CHECK(verdict(plan, q, "{\"id\":1,\"code\":\"AB-1\",\"amt\":\"1.50\",\"big\":2}", why,
                  sizeof why) == 0);
    CHECK(verdict(plan, q, "{\"id\":2,\"code\":\"ab-1\"}", why, sizeof why) == 1);
    CHECK_STR(why, "rule p: 'ab-1' does not match the pattern");
    CHECK(verdict(plan, q, "{\"id\":3,\"amt\":\"2.000\",\"big\":2}", why, sizeof why) == 0);
    CHECK(verdict(plan, q, "{\"id\":4,\"amt\":\"2.01\",\"big\":3}", why, sizeof why) == 1);
    CHECK_STR(why, "rule v: '2.01' is not one of the allowed values");
    /* 10.00 <= 9 compares as numbers, not as text ("10.00" < "9") */
    CHECK(verdict(plan, q, "{\"id\":5,\"amt\":\"2\",\"big\":1}", why, sizeof why) == 1);
    CHECK_STR(why, "rule c: amt <= big is false (amt '2.00', big '1')");
    CHECK(verdict(plan, q, "{\"id\":6,\"amt\":\"1.5\",\"big\":10}", why, sizeof why) == 0);
    sl_quality_free(q);
    sl_plan_free(plan);
}

static void test_unique_and_warn(void)
{
    sl_plan *plan = compile_rules("  - { name: u, column: code, unique: true }\n"
                                  "  - { name: w, column: amt, max: 5, action: warn }\n");
    sl_quality *q = sl_quality_new(plan);
    char why[600];
    CHECK(verdict(plan, q, "{\"id\":1,\"code\":\"X\"}", why, sizeof why) == 0);
    CHECK(verdict(plan, q, "{\"id\":1,\"code\":\"X\"}", why, sizeof why) == 0); /* same key */
    CHECK(verdict(plan, q, "{\"id\":2,\"code\":\"X\"}", why, sizeof why) == 1);
    CHECK_STR(why, "rule u: 'X' is also the value of record 1");
    CHECK(verdict(plan, q, "{\"id\":3,\"code\":\"Y\",\"amt\":9}", why, sizeof why) == 0);
    CHECK(sl_quality_count(q, 1)->failed == 1 && sl_quality_failed(q));
    CHECK(strstr(sl_quality_count(q, 1)->example, "record 3: '9.00' is above max 5") != NULL);
    sl_quality_free(q);
    sl_plan_free(plan);
}

/* 19 of 20 rows with a value is exactly 95%: passes; 18 of 20 fails. */
static void test_not_null_share(void)
{
    sl_plan *plan = compile_rules("  - { name: n, column: code, not_null: 95% }\n");
    for (int missing = 1; missing <= 2; missing++) {
        sl_quality *q = sl_quality_new(plan);
        char why[600], rec[64];
        for (int i = 0; i < 20; i++) {
            snprintf(rec, sizeof rec,
                     i < missing ? "{\"id\":%d}" : "{\"id\":%d,\"code\":\"c\"}", i);
            CHECK(verdict(plan, q, rec, why, sizeof why) == 0);
        }
        sl_quality_finish(q);
        CHECK(sl_quality_count(q, 0)->run_failed == (missing == 2));
        CHECK(sl_quality_count(q, 0)->checked == 20);
        sl_quality_free(q);
    }
    sl_plan_free(plan);
    plan = compile_rules("  - { name: n, column: code, not_null: 99.5% }\n");
    CHECK(plan && plan->quality[0].share_bp == 9950 && plan->quality[0].action == SL_DQ_WARN);
    sl_plan_free(plan);
}

/* alerts.on quality: wanted when a rule failed (a warn-level share included), not otherwise;
 * the JSON body carries the rule's counts and the markdown names it. */
static void test_alert(void)
{
    const char *rules = "  - { name: n, column: code, not_null: 95% }\n";
    sl_plan *plan =
        compile_rules_alerts(rules, "alerts: { webhook: \"${env:HOOK}\", on: [quality] }\n");
    sl_plan *wecom = compile_rules_alerts(
        rules, "alerts: { webhook: \"${env:HOOK}\", format: wecom, on: [quality] }\n");
    static sl_run_summary sum;
    sum.n_quality = 1;
    sum.quality[0] = (sl_dq_count){.checked = 20, .failed = 2, .run_failed = true};
    sl_report r = {.command = "run", .status = SL_OK, .sum = &sum, .now = 0, .host = "h"};
    CHECK(plan && wecom && !sl_alert_wanted(plan, &r));
    sum.quality_failed = true;
    CHECK(sl_alert_wanted(plan, &r));
    char *body = sl_alert_body(plan, &r);
    CHECK(body && strstr(body, "\"quality\":[{\"rule\":\"n\",\"kind\":\"not_null\","
                               "\"action\":\"warn\",\"checked\":20,\"failed\":2,"
                               "\"run_failed\":true}]}"));
    free(body);
    body = sl_alert_body(wecom, &r);
    CHECK(body && strstr(body, "quality: n 90.00% of 20 rows have a value, under 95.00%"));
    free(body);
    sl_plan_free(plan);
    sl_plan_free(wecom);
}

static void test_exact_compare(void)
{
    sl_dec a, b;
    CHECK(sl_dec_from_text(&a, "1.50", 4) && sl_dec_from_text(&b, "1.5", 3));
    CHECK(sl_dec_cmp(&a, &b) == 0);
    CHECK(sl_dec_from_text(&b, "-1.5", 4) && sl_dec_cmp(&a, &b) == 1 && sl_dec_cmp(&b, &a) == -1);
    CHECK(sl_dec_from_text(&a, "0.1", 3) && sl_dec_from_text(&b, "0.09", 4));
    CHECK(sl_dec_cmp(&a, &b) == 1);
    CHECK(sl_dec_from_text(&a, "0", 1) && sl_dec_from_text(&b, "-0.00", 5));
    CHECK(sl_dec_cmp(&a, &b) == 0);
    /* conditions: JSON numbers beyond a double's precision compare exactly */
    json_t *doc = json_loads("{\"a\":9007199254740993,\"b\":9007199254740992}", 0, NULL);
    sl_expr *e = sl_expr_compile("a > b", NULL, NULL);
    CHECK(e && doc && sl_expr_eval(e, doc));
    sl_expr_free(e);
    e = sl_expr_compile("a == 9007199254740992", NULL, NULL);
    CHECK(e && !sl_expr_eval(e, doc));
    sl_expr_free(e);
    json_decref(doc);
}

int main(void)
{
    test_range();
    test_pattern_values_check();
    test_unique_and_warn();
    test_not_null_share();
    test_exact_compare();
    test_alert();
    return check_done();
}

/* Unit tests of report.c: the exact alert bodies (WeCom, DingTalk, JSON) for a fixed summary,
 * when an alert is wanted, secrets masked, and the metrics text (the last success time and the
 * watermark kept from the previous file); and the plan dump of the alerts section. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compile.h"
#include "plan_int.h"
#include "report.h"
#include "timeutil.h"

static const char job[] = "version: 1\n"
                          "name: demo\n"
                          "source:\n"
                          "  endpoint: https://api.example/x\n"
                          "  method: demo.search\n"
                          "  signer: { type: none }\n"
                          "  window:\n"
                          "    from_param: from\n"
                          "    to_param: to\n"
                          "    timezone: \"+08:00\"\n"
                          "    start: \"2024-01-01 00:00:00\"\n"
                          "  paging: { page_param: page, size_param: size, total: data.total }\n"
                          "  records: data.items\n"
                          "target:\n"
                          "  dsn: ${env:DB}\n"
                          "  table: items\n"
                          "  key: [id]\n"
                          "columns:\n"
                          "  id: { path: id, type: bigint }\n"
                          "alerts:\n"
                          "  webhook: ${env:HOOK}\n"
                          "  format: %s\n"
                          "  on: %s\n";

/* The test job with alerts format and on; secret "Tok-3141" is one of its secrets. */
static sl_plan *plan_with(const char *format, const char *on)
{
    char text[sizeof job + 64];
    snprintf(text, sizeof text, job, format, on);
    sl_diag *diag = sl_diag_new("job.yml");
    sl_compile_options opts = {.resolve_secrets = false};
    sl_plan *plan = sl_compile_text("job.yml", text, strlen(text), &opts, diag);
    if (!plan)
        sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    if (plan)
        sl_plan_add_secret(plan, "Tok-3141");
    return plan;
}

static int64_t at(const char *t)
{
    int64_t v = 0;
    sl_time_parse(t, strlen(t), 8 * 3600, &v);
    return v;
}

static sl_run_summary fixed_summary(void)
{
    return (sl_run_summary){.windows = 3, .splits = 1, .requests = 12, .pages = 10,
                            .records = 480, .retries = 2, .throttles = 1, .rows = 470,
                            .child_rows = 1200, .rejects = 0, .batches = 3,
                            .range_from = at("2024-01-01 00:00:00"),
                            .range_to = at("2024-01-03 23:58:00"),
                            .watermark_before = INT64_MIN,
                            .watermark_after = at("2024-01-03 23:58:00"), .elapsed_s = 12.25};
}

static void test_json(void)
{
    sl_plan *plan = plan_with("json", "[failure, success]");
    CHECK(plan != NULL);
    if (!plan)
        return;
    sl_run_summary s = fixed_summary();
    sl_report r = {"run", SL_OK, "", &s, at("2024-01-04 00:00:00"), "etl-1", NULL};
    char *body = sl_alert_body(plan, &r);
    CHECK_STR(body,
              "{\"job\":\"demo\",\"command\":\"run\",\"status\":\"ok\",\"exit_code\":0,"
              "\"message\":\"\",\"started\":true,\"range_from\":\"2024-01-01 00:00:00\","
              "\"range_to\":\"2024-01-03 23:58:00\",\"windows\":3,\"requests\":12,\"pages\":10,"
              "\"records\":480,\"rows\":470,\"child_rows\":1200,\"rejects\":0,\"retries\":2,"
              "\"throttles\":1,\"watermark_before\":null,"
              "\"watermark_after\":\"2024-01-03 23:58:00\",\"elapsed_s\":12.25,"
              "\"host\":\"etl-1\"}");
    free(body);
    /* never started: no range, zero counters, the error with its secret masked */
    sl_report f = {"run", SL_ERR_SINK, "cannot connect to mysql://u:Tok-3141@db/x", NULL, 0, "h",
                   NULL};
    body = sl_alert_body(plan, &f);
    CHECK_STR(body,
              "{\"job\":\"demo\",\"command\":\"run\",\"status\":\"sink\",\"exit_code\":5,"
              "\"message\":\"cannot connect to mysql://u:***@db/x\",\"started\":false,"
              "\"range_from\":null,\"range_to\":null,\"windows\":0,\"requests\":0,\"pages\":0,"
              "\"records\":0,\"rows\":0,\"child_rows\":0,\"rejects\":0,\"retries\":0,"
              "\"throttles\":0,\"watermark_before\":null,\"watermark_after\":null,"
              "\"elapsed_s\":0.0,\"host\":\"h\"}");
    free(body);
    sl_plan_free(plan);
}

static void test_wecom(void)
{
    sl_plan *plan = plan_with("wecom", "failure");
    CHECK(plan != NULL);
    if (!plan)
        return;
    sl_run_summary s = fixed_summary();
    sl_report r = {"run", SL_ERR_SOURCE, "bad signature for key Tok-3141", &s, 0, "etl-1", NULL};
    char *body = sl_alert_body(plan, &r);
    CHECK_STR(body, "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":"
                    "\"**sluice run demo: failed: source (exit 4)**\\n"
                    "> error: bad signature for key ***\\n"
                    "> range: 2024-01-01 00:00:00 .. 2024-01-03 23:58:00\\n"
                    "> windows 3, pages 10, requests 12, retries 2, throttled 1\\n"
                    "> rows 470, child rows 1200, rejects 0\\n"
                    "> watermark: (none) -> 2024-01-03 23:58:00\\n"
                    "> elapsed 12.2 s on etl-1\"}}");
    free(body);
    sl_plan_free(plan);
}

/* A service event names itself instead of an exit status and describes no run. */
static void test_event(void)
{
    sl_plan *plan = plan_with("wecom", "success");
    CHECK(plan != NULL);
    if (!plan)
        return;
    sl_report r = {"serve", SL_ERR_SOURCE, "the watermark lags 700 s behind (Tok-3141)", NULL, 0,
                   "etl-1", "late"};
    char *body = sl_alert_body(plan, &r);
    CHECK_STR(body, "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":"
                    "\"**sluice serve demo: late**\\n"
                    "> error: the watermark lags 700 s behind (***)\\n"
                    "> the service's event, not a run\\n"
                    "> on etl-1\"}}");
    free(body);
    CHECK(!sl_alert_wanted(plan, &r)); /* on: success; an event is sent whatever on says */
    sl_plan_free(plan);
}

static void test_dingtalk(void)
{
    sl_plan *plan = plan_with("dingtalk", "[rejects]");
    CHECK(plan != NULL);
    if (!plan)
        return;
    sl_run_summary s = fixed_summary();
    s.rejects = 2;
    sl_report r = {"run", SL_OK, NULL, &s, 0, "etl-1", NULL};
    char *body = sl_alert_body(plan, &r);
    CHECK_STR(body, "{\"msgtype\":\"markdown\",\"markdown\":{"
                    "\"title\":\"sluice run demo: ok, 2 rejects\",\"text\":"
                    "\"**sluice run demo: ok, 2 rejects**\\n\\n"
                    "> range: 2024-01-01 00:00:00 .. 2024-01-03 23:58:00\\n\\n"
                    "> windows 3, pages 10, requests 12, retries 2, throttled 1\\n\\n"
                    "> rows 470, child rows 1200, rejects 2\\n\\n"
                    "> watermark: (none) -> 2024-01-03 23:58:00\\n\\n"
                    "> elapsed 12.2 s on etl-1\"}}");
    free(body);
    sl_plan_free(plan);
}

static void test_wanted(void)
{
    sl_plan *fail = plan_with("json", "failure"), *rej = plan_with("json", "rejects"),
            *ok = plan_with("json", "[success]");
    CHECK(fail && rej && ok);
    if (!fail || !rej || !ok)
        return;
    sl_run_summary s = fixed_summary();
    sl_report good = {"run", SL_OK, NULL, &s, 0, "h", NULL};
    sl_report bad = {"run", SL_ERR_DATA, NULL, &s, 0, "h", NULL};
    sl_report gaps = {"verify", SL_ERR_FOUND, NULL, &s, 0, "h", NULL};
    CHECK(!sl_alert_wanted(fail, &good) && sl_alert_wanted(fail, &bad));
    CHECK(sl_alert_wanted(fail, &gaps));
    CHECK(sl_alert_wanted(ok, &good) && !sl_alert_wanted(ok, &bad));
    CHECK(!sl_alert_wanted(rej, &good));
    s.rejects = 1;
    CHECK(sl_alert_wanted(rej, &good) && sl_alert_wanted(rej, &bad));
    char *body = sl_alert_body(fail, &gaps);
    CHECK(body && strstr(body, "\"status\":\"found\",\"exit_code\":1,\"message\":\"some windows"));
    free(body);
    sl_plan_free(fail);
    sl_plan_free(rej);
    sl_plan_free(ok);
}

static void test_metrics(void)
{
    sl_plan *plan = plan_with("json", "failure");
    CHECK(plan != NULL);
    if (!plan)
        return;
    sl_run_summary s = fixed_summary();
    int64_t now = at("2024-01-04 00:00:00");
    sl_report r = {"run", SL_OK, NULL, &s, now, "h", NULL};
    char *ok = sl_metrics_text(plan, &r, NULL);
    CHECK(ok && strstr(ok, "# TYPE sluice_run_last_status gauge\n"
                           "sluice_run_last_status{job=\"demo\",command=\"run\"} 0\n"));
    CHECK(ok && strstr(ok, "sluice_run_rows{job=\"demo\",command=\"run\"} 470\n"));
    CHECK(ok && strstr(ok, "sluice_run_duration_seconds{job=\"demo\",command=\"run\"} 12.250\n"));
    CHECK(ok && strstr(ok, "sluice_watermark_lag_seconds{job=\"demo\",command=\"run\"} 120\n"));
    char want[128];
    snprintf(want, sizeof want, "sluice_run_last_success_timestamp_seconds{job=\"demo\","
                                "command=\"run\"} %lld\n", (long long)now);
    CHECK(ok && strstr(ok, want));
    /* a run that never started keeps the previous success time and watermark */
    sl_report f = {"run", SL_ERR_SINK, "down", NULL, now + 600, "h", NULL};
    char *bad = sl_metrics_text(plan, &f, ok);
    CHECK(bad && strstr(bad, "sluice_run_last_status{job=\"demo\",command=\"run\"} 5\n"));
    CHECK(bad && strstr(bad, want));
    CHECK(bad && strstr(bad, "sluice_run_rows{job=\"demo\",command=\"run\"} 0\n"));
    CHECK(bad && strstr(bad, "sluice_watermark_lag_seconds{job=\"demo\",command=\"run\"} 720\n"));
    /* no previous file: no success time at all */
    char *first = sl_metrics_text(plan, &f, NULL);
    CHECK(first && !strstr(first, "last_success_timestamp_seconds{"));
    CHECK(first && !strstr(first, "sluice_watermark_timestamp_seconds{"));
    free(ok);
    free(bad);
    free(first);
    sl_plan_free(plan);
}

static void test_dump(void)
{
    sl_plan *plan = plan_with("dingtalk", "[success, failure]");
    CHECK(plan != NULL);
    if (!plan)
        return;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    sl_plan_dump(plan, out);
    fclose(out);
    CHECK(text && strstr(text, "alerts: dingtalk on failure, success, timeout 10s\n"
                               "  webhook: <secret from env:HOOK, not read>\n"));
    free(text);
    sl_plan_free(plan);
}

/* A message from outside (issue 9 items 3 and 12): invalid UTF-8 once made json_string() fail
 * and the alert "not sent: out of memory"; controls reached the robot raw. The body escapes
 * them and keeps a 4-byte emoji. */
static void test_outside_message(void)
{
    sl_plan *plan = plan_with("wecom", "failure");
    CHECK(plan != NULL);
    if (!plan)
        return;
    sl_report r = {"run", SL_ERR_SOURCE, "API: \xe9\x94\x99\x1b[31m\r\n> forged \xf0\x9f\x98\x80 \xe5\x8d",
                   NULL, 0, "h", NULL};
    char *body = sl_alert_body(plan, &r);
    CHECK_STR(body, "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":"
                    "\"**sluice run demo: failed: source (exit 4)**\\n"
                    "> error: API: \xe9\x94\x99\\\\x1b[31m\\\\r\\\\n> forged \xf0\x9f\x98\x80 "
                    "\\\\xe5\\\\x8d\\n"
                    "> the run did not start\\n"
                    "> elapsed 0.0 s on h\"}}");
    free(body);
    sl_plan_free(plan);
}

int main(void)
{
    test_outside_message();
    test_json();
    test_wecom();
    test_event();
    test_dingtalk();
    test_wanted();
    test_metrics();
    test_dump();
    return check_done();
}

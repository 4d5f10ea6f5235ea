#!/usr/bin/env bash
# serve: `sluice serve` against a wdt-mock and the real MariaDB, on the wall clock.
#  1. the schedule fires: a job with `every: 2s` runs again and again (no more than one run
#     per 2 s, at least two in 10 s), each run by the same engine as `sluice run` (run records),
#     and records the mock adds later reach the table: the oracle finds 0 differences; a second
#     job with a cron schedule that is not due is listed and never run;
#  2. /metrics passes `promtool check metrics` with no lint, its counters agree with the run
#     records, and the request latency histogram counts the requests; /healthz says ok; a
#     third job's data-quality rule that warned in its last run shows in /metrics and on the
#     status page;
#  3. the status page, rendered in headless chromium, lists every job with its plan drawn as
#     a diagram (source -> windows -> pages -> records -> columns -> tables) and logs no console
#     message (a planted page with a script error shows the check fails);
#  4. SIGHUP with a broken job file keeps the old plan: an error in the log, an alert on the
#     webhook, sluice_serve_job_file_ok 0, and the runs go on; fixed again, it is 1;
#  4b. a run's process killed with SIGKILL is counted as crashed and the service goes on;
#  5. SIGTERM in the middle of a slow run (the state reset, half-hour windows, 1 s a reply), to
#     the service and its run at once as systemd sends it: the run is interrupted (not killed by
#     the second signal), the service exits 0, the interrupted run leaves a watermark up to which everything is
#     committed (oracle), and a plain `sluice run` after it leaves 0 differences.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve/common.sh"

cn_time() { TZ=Asia/Shanghai date -d "$1" '+%Y-%m-%d %H:%M:%S'; }
START=$(cn_time '-6 hours')
mock_start --seed 11 --records 300 --from "$(cn_time '-5 hours')" --to "$(cn_time '-10 minutes')"
db_create
export SLUICE_ALERT_WEBHOOK="$MOCK_URL/_webhook"

# A job every 2 s from START with no lag (the mock's clock is the wall clock), alerts as JSON.
JOB=$(job_copy wdt_refund 's/^name: wdt_refund/name: serve_refund/' \
    "s/^    start: .*/    start: \"$START\"/" 's/^    lag: 2m/    lag: 0s/' \
    's/^    max_span: 1d/    max_span: 30m/')
mv "$JOB" "$WORK/serve.yml"
JOB=$WORK/serve.yml
printf 'schedule:\n  every: 2s\nalerts:\n  webhook: ${env:SLUICE_ALERT_WEBHOOK}\n  format: json\n' >>"$JOB"
GOOD=$WORK/good.yml
cp "$JOB" "$GOOD"
# A second job on a cron schedule that is not due during the test (1 January only).
IDLE=$(job_copy wdt_refund 's/^name: wdt_refund/name: serve_idle/')
mv "$IDLE" "$WORK/idle.yml"
IDLE=$WORK/idle.yml
printf 'schedule:\n  cron: "0 0 1 1 *"\n  timezone: "+08:00"\n' >>"$IDLE"
# A third job, hourly (so its first run, at start, stays its last), into tables of its own,
# with a data-quality rule that warns on every refund with goods returned.
QUAL=$(job_copy wdt_refund 's/^name: wdt_refund/name: serve_quality/' \
    "s/^    start: .*/    start: \"$START\"/" 's/aftersales_refund_refund_search/q_refund/')
mv "$QUAL" "$WORK/quality.yml"
QUAL=$WORK/quality.yml
printf 'schedule:\n  every: 1h\nquality:\n  - { name: no_goods_back, column: return_goods_count, max: 0, action: warn }\n' >>"$QUAL"
"$SLUICE" validate "$JOB" "$IDLE" "$QUAL" || fail "the test's job files do not validate"


ok_runs_at_least() { [ "$(metric sluice_serve_runs_total 'job="serve_refund",outcome="ok"')" -ge "$1" ]; }
runs_recorded() { db_sql "SELECT COUNT(*) FROM sluice_runs WHERE job = 'serve_refund' AND status = 'ok'"; }

note "start the service"
serve_start "$JOB" "$IDLE" "$QUAL" --max-runs 2

note "1. the schedule fires every 2 s; the runs are sluice run's (run records, oracle)"
wait_until 60 "three ok runs" ok_runs_at_least 3
oracle_ok
[ "$(runs_recorded)" -ge 3 ] || fail "fewer than 3 run records of serve_refund"
# The interval holds: over 10 s the service starts no more than one run per 2 s (runs not held
# back by the schedule would follow each other every few milliseconds), and at least two.
t0=$(date +%s%N)
r0=$(metric sluice_serve_runs_total 'job="serve_refund",outcome="ok"')
sleep 10
r1=$(metric sluice_serve_runs_total 'job="serve_refund",outcome="ok"')
t1=$(date +%s%N)
echo "$((r1 - r0)) runs in $(((t1 - t0) / 1000000)) ms"
[ $((r1 - r0)) -le $(((t1 - t0) / 2000000000 + 1)) ] || fail "$((r1 - r0)) runs in 10 s: more than one per 2 s"
[ $((r1 - r0)) -ge 2 ] || fail "only $((r1 - r0)) runs in 10 s"
mock_admin /_admin -X POST -d '{"add_records": 25}' >/dev/null
before=$(metric sluice_serve_runs_total 'job="serve_refund",outcome="ok"')
wait_until 30 "two more runs" ok_runs_at_least $((before + 2))
oracle_ok
[ "$(metric sluice_serve_runs_total 'job="serve_idle",outcome="ok"')" = 0 ] ||
    fail "the idle job ran"
[ "$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE job = 'serve_idle'")" = 0 ] ||
    fail "the idle job has run records"

note "2. /metrics is promtool-clean and agrees with the run records; /healthz"
curl -sS --fail "$SERVE_URL/metrics" >"$WORK/metrics.prom"
promtool_clean "$WORK/metrics.prom"
grep -E '^sluice_serve_(runs_total|rows_total|request_duration_seconds_count)\{job="serve_refund"' "$WORK/metrics.prom"
rows=$(awk '$1 == "sluice_serve_rows_total{job=\"serve_refund\"}" { print $2 }' "$WORK/metrics.prom")
rows_db=$(db_sql "SELECT COALESCE(SUM(rows_written), 0) FROM sluice_runs WHERE job = 'serve_refund'")
[ "$rows" = "$rows_db" ] || fail "sluice_serve_rows_total says $rows, the run records $rows_db"
reqs=$(awk '$1 == "sluice_serve_requests_total{job=\"serve_refund\"}" { print $2 }' "$WORK/metrics.prom")
hist=$(awk '$1 == "sluice_serve_request_duration_seconds_count{job=\"serve_refund\"}" { print $2 }' "$WORK/metrics.prom")
[ "$reqs" -gt 0 ] && [ "$hist" = "$reqs" ] || fail "the latency histogram counts $hist requests of $reqs"
[ "$(curl -sS "$SERVE_URL/healthz")" = ok ] || fail "/healthz is not ok"
quality_ran() { [ "$(metric sluice_serve_runs_total 'job="serve_quality",outcome="ok"')" = 1 ]; }
wait_until 60 "the quality job's run" quality_ran
[ "$(metric sluice_serve_last_run_quality_failed 'job="serve_quality"')" = 1 ] ||
    fail "the quality job's failed rule is not in /metrics"
checked=$(metric sluice_serve_quality_checked_rows_total 'job="serve_quality",rule="no_goods_back",action="warn"')
failed=$(metric sluice_serve_quality_failed_rows_total 'job="serve_quality",rule="no_goods_back",action="warn"')
rows_q=$(metric sluice_serve_rows_total 'job="serve_quality"')
echo "no_goods_back: $failed of $checked rows failed ($rows_q rows written)"
[ "$checked" = "$rows_q" ] && [ "$failed" -gt 0 ] && [ "$failed" -lt "$checked" ] ||
    fail "the rule's counters: $failed failed of $checked checked, $rows_q rows"
[ "$(db_sql "SELECT COUNT(*) FROM q_refund WHERE return_goods_count > 0")" = "$failed" ] ||
    fail "the rule failed $failed rows, the table holds $(db_sql "SELECT COUNT(*) FROM q_refund WHERE return_goods_count > 0") with goods back"
[ "$(metric sluice_serve_last_run_quality_failed 'job="serve_idle"')" = "" ] ||
    fail "a job that never ran has a last run's quality"
# (Whole bodies into files before grep -q: a grep that stops early fails the pipe's curl.)
curl -sS "$SERVE_URL/" >"$WORK/page.html"
grep -q 'class="bad">quality: no_goods_back warned on [1-9][0-9]* of [1-9]' "$WORK/page.html" ||
    { grep -o 'class="bad">[^<]*' "$WORK/page.html" >&2; fail "the status page does not show the quality rule's verdict"; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "$SERVE_URL/nope")" = 404 ] || fail "/nope is not a 404"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$SERVE_URL/metrics")" = 405 ] ||
    fail "a POST is not a 405"

note "3. the status page in headless chromium: every job listed, no console message"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || SKIP_PAGE=1 # the rest runs; the test ends as skipped (77)
# render URL OUT: the DOM chromium builds from URL into OUT.dom, its console into OUT.console;
# fails when chromium logs any console message (a script error, a blocked asset, ...).
render() {
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --user-data-dir="$WORK/chromium" \
        --enable-logging=stderr --v=0 --dump-dom "$1" >"$2.dom" 2>"$2.log" || true
    grep 'CONSOLE' "$2.log" >"$2.console" || true
    [ -s "$2.dom" ] || { cat "$2.log" >&2; fail "chromium rendered nothing of $1"; }
    [ ! -s "$2.console" ] || { cat "$2.console" >&2; return 1; }
}
if [ -z "${SKIP_PAGE:-}" ]; then
    printf '<!DOCTYPE html><p>x</p><script>undefinedFn()</script>' >"$WORK/planted.html"
    render "file://$WORK/planted.html" "$WORK/planted" && fail "the console check missed a script error"
    render "$SERVE_URL/" "$WORK/page" || fail "the status page logs console messages"
    for job in serve_refund serve_idle serve_quality; do
        grep -q "<td>$job<br>" "$WORK/page.dom" || fail "the status page does not list $job"
    done
    grep -q "every 2s" "$WORK/page.dom" || fail "the page does not show the schedule"
    # Each job's plan as a diagram: source -> windows -> pages -> records -> columns and tables,
    # in that order down the page, from plan_diagram's graph.
    python3 - "$WORK/page.dom" <<'PY' || fail "the status page's diagrams are not as expected"
import re, sys
dom = open(sys.argv[1]).read()
sections = re.findall(r'<section class="job"><h2>(\w+)</h2>(.*?)</section>', dom, re.S)
assert [n for n, _ in sections] == ["serve_refund", "serve_idle", "serve_quality"], sections
for name, body in sections[:2]:
    steps = ["<b>source: POST", "<b>windows: modified_from .. modified_to", "each window",
             "<b>paging: page_no", "each page", "<b>records at response.data.order", "each record",
             "<b>table aftersales_refund_refund_search, key (refund_id)",
             "refund_id &lt;- refund_id: bigint -&gt; BIGINT",
             "<b>child table aftersales_refund_refund_search_detail",
             "<b>target: &lt;secret from env:SLUICE_DB"]
    at = 0
    for step in steps:
        found = body.find(step, at)
        assert found >= 0, (name, step, body[at:at + 300])
        at = found
    assert 'class="remark"' in body, name  # the error rules, limits, rejects as notes
PY
    for secret in "$QIMEN_APP_SECRET" "$WDT_APPSECRET" "$MOCK_URL"; do
        grep -qF "$secret" "$WORK/page.dom" && fail "the status page shows a secret ($secret)"
    done
fi

note "4. SIGHUP with a broken job file keeps the old plan, logs, alerts"
printf 'bogus_key: 1\n' >>"$JOB"
kill -HUP "$SERVE_PID"
reload_logged() { grep -q "serve_refund: error: the job file no longer compiles" "$WORK/serve.log"; }
wait_until 20 "reload error" reload_logged
grep -q "unknown key 'bogus_key'" "$WORK/serve.log" || fail "the log does not say what is wrong"
alerted() {
    mock_admin /_webhook >"$WORK/hooks.json"
    grep -q '"status":"job file no longer compiles, previous plan kept"' "$WORK/hooks.json"
}
wait_until 20 "reload alert" alerted
grep '"command":"serve"' "$WORK/hooks.json" | grep -q '"job":"serve_refund"' ||
    fail "the reload alert does not name the job"
[ "$(metric sluice_serve_job_file_ok 'job="serve_refund"')" = 0 ] || fail "job_file_ok is not 0"
before=$(metric sluice_serve_runs_total 'job="serve_refund",outcome="ok"')
wait_until 30 "runs by the old plan" ok_runs_at_least $((before + 2))
cp "$GOOD" "$JOB"
kill -HUP "$SERVE_PID"
file_ok() { [ "$(metric sluice_serve_job_file_ok 'job="serve_refund"')" = 1 ]; }
wait_until 20 "job_file_ok 1" file_ok

note "4b. a run's process killed (-9) costs that run only: counted as crashed, the runs go on"
mock_admin /_admin -X POST -d '{"latency-ms": 1500}' >/dev/null
running() { [ "$(metric sluice_serve_running 'job="serve_refund"')" = 1 ]; }
wait_until 30 "a run going" running
child=$(pgrep -P "$SERVE_PID" | head -n 1)
[ -n "$child" ] || fail "no child process of the service"
kill -KILL "$child"
crashed() { [ "$(metric sluice_serve_runs_total 'job="serve_refund",outcome="crashed"')" = 1 ]; }
wait_until 20 "the crash counted" crashed
grep -q "serve_refund: run ended: crashed, .*died of signal 9" "$WORK/serve.log" || fail "the log does not say the run crashed"
mock_admin /_admin -X POST -d '{"latency-ms": 0}' >/dev/null
before=$(metric sluice_serve_runs_total 'job="serve_refund",outcome="ok"')
wait_until 30 "runs after the crash" ok_runs_at_least $((before + 1))

note "5. SIGTERM during a slow run: exit 0, the watermark consistent"
# Right after a run ends (the next is 2 s away) the state and the tables are emptied and the
# API slowed down, so the next run reads the 12 half-hour windows from START again, a second
# a page.
before=$(metric sluice_serve_runs_total 'job="serve_refund",outcome="ok"')
wait_until 30 "a run to end" ok_runs_at_least $((before + 1))
"$SLUICE" state reset "$JOB" >/dev/null
db_sql "DELETE FROM aftersales_refund_refund_search_detail"
db_sql "DELETE FROM aftersales_refund_refund_search"
mock_admin /_admin -X POST -d '{"latency-ms": 1000}' >/dev/null
wait_until 30 "a run going" running
committed() { [ -n "$(db_sql "SELECT watermark_text FROM sluice_state WHERE job = 'serve_refund'")" ]; }
wait_until 30 "a first window committed" committed
running || fail "the run ended before SIGTERM (too fast for this test)"
# As systemd stops a unit (KillMode=control-group): SIGTERM to every process at once, so the
# run gets it twice (directly and passed on by the service) and must still stop cleanly.
child=$(pgrep -P "$SERVE_PID" | head -n 1)
[ -n "$child" ] || fail "no child process of the service"
kill -TERM "$SERVE_PID" "$child"
deadline=$((SECONDS + 30))
while kill -0 "$SERVE_PID" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { cat "$WORK/serve.log" >&2; fail "SIGTERM did not stop the service within 30 s"; }
    sleep 0.1
done
rc=0
wait "$SERVE_PID" || rc=$?
tail -n 5 "$WORK/serve.log"
[ $rc -eq 0 ] || fail "the service exited $rc after SIGTERM, want 0"
grep -q "sluice serve: stopped" "$WORK/serve.log" || fail "no 'stopped' line"
grep -q "serve_refund: run ended: interrupted" "$WORK/serve.log" || fail "the run was not interrupted"
[ "$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE status = 'running'")" = 0 ] ||
    fail "a run record was left running"
wm=$(db_sql "SELECT watermark_text FROM sluice_state WHERE job = 'serve_refund'")
[ -n "$wm" ] || fail "the interrupted run committed no window (no watermark): nothing to check"
note "watermark left at $wm: everything up to it is committed"
oracle_ok --from "$START" --to "$wm"
mock_admin /_admin -X POST -d '{"latency-ms": 0}' >/dev/null
sluice_run "$JOB"
oracle_ok
if [ -n "${SKIP_PAGE:-}" ]; then
    echo "SKIP: chromium is missing (tools/deps.sh installs it): the status page was not rendered"
    exit 77
fi
echo "serve: ok"

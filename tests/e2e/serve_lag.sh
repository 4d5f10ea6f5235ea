#!/usr/bin/env bash
# serve_lag: alerts.max_lag in `sluice serve`. A job every 2 s with max_lag 12s runs healthy for
# 24 s, twice the limit, and no "late" alert comes (the negative control: the lag stays near 0
# while runs succeed); then the mock refuses every call, the runs fail, the watermark stands
# still, and exactly one "late" alert comes once the lag passes 12 s, naming the job, the lag
# and the failing runs, with the status page marking it late; once the mock answers again the
# runs catch up (the oracle finds 0 differences) and the alert is re-armed: a second outage
# sends a second alert. A second job with `cron: "* * * * *"` is due on whole minutes and runs
# at the start of one.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve/common.sh"

cn_time() { TZ=Asia/Shanghai date -d "$1" '+%Y-%m-%d %H:%M:%S'; }
START=$(cn_time '-3 hours')
mock_start --seed 12 --records 120 --from "$(cn_time '-150 minutes')" --to "$(cn_time '-10 minutes')"
db_create
export SLUICE_ALERT_WEBHOOK="$MOCK_URL/_webhook"
JOB=$(job_copy wdt_refund 's/^name: wdt_refund/name: serve_lag/' \
    "s/^    start: .*/    start: \"$START\"/" 's/^    lag: 2m/    lag: 0s/')
mv "$JOB" "$WORK/lag.yml"
JOB=$WORK/lag.yml
printf 'schedule:\n  every: 2s\nalerts:\n  webhook: ${env:SLUICE_ALERT_WEBHOOK}\n  format: json\n  on: [success]\n  max_lag: 12s\n' >>"$JOB"
"$SLUICE" plan "$JOB" | grep -q "max_lag 12s" || fail "sluice plan does not show max_lag"
# Beside it, a job on a cron schedule firing every minute, into tables of its own.
CRON=$(job_copy wdt_refund 's/^name: wdt_refund/name: serve_cron/' \
    "s/^    start: .*/    start: \"$START\"/" 's/aftersales_refund_refund_search/c_refund/')
mv "$CRON" "$WORK/cron.yml"
CRON=$WORK/cron.yml
printf 'schedule:\n  cron: "* * * * *"\n  timezone: "+08:00"\n' >>"$CRON"

serve_start "$JOB" "$CRON"

late_alerts() { mock_admin /_webhook | grep -c '"status":"late"' || true; }
ok_runs() { metric sluice_serve_runs_total 'job="serve_lag",outcome="ok"'; }
ok_runs_at_least() { [ "$(ok_runs)" -ge "$1" ]; }

note "healthy runs for 24 s (twice max_lag): no late alert"
wait_until 30 "a first run" ok_runs_at_least 1
first=$(ok_runs)
sleep 24
[ "$(ok_runs)" -ge $((first + 4)) ] || fail "the runs did not go on every 2 s"
[ "$(late_alerts)" = 0 ] || fail "a late alert came while the runs succeeded"
lag=$(metric sluice_serve_watermark_lag_seconds 'job="serve_lag"')
echo "lag while healthy: $lag s"
[ "$lag" -le 12 ] || fail "the lag is $lag s while the runs succeed"
oracle_ok

note "the mock refuses every call: one late alert once the lag passes 12 s"
refused_at=$SECONDS
mock_admin /_admin -X POST -d '{"refuse": {"status": 403, "message": "maintenance"}}' >/dev/null
one_late() { [ "$(late_alerts)" -ge 1 ]; }
wait_until 40 "late alert" one_late
echo "late alert $((SECONDS - refused_at)) s after the outage began"
mock_admin /_webhook | grep '"status":"late"' | tee "$WORK/late.json"
python3 - "$WORK/late.json" <<'PY' || fail "the late alert is not as expected"
import json, re, sys
a = json.loads(open(sys.argv[1]).read().splitlines()[0])
assert a["job"] == "serve_lag" and a["command"] == "serve", a
m = re.match(r"the watermark lags (\d+) s behind now, more than alerts.max_lag 12s; the last run: (\w+)", a["message"])
assert m and int(m.group(1)) > 12 and m.group(2) != "ok", a["message"]
PY
grep -q "serve_lag: late: the watermark lags" "$WORK/serve.log" || fail "the log has no late line"
curl -sS "$SERVE_URL/" >"$WORK/page.html" # whole, before grep -q (which may stop early)
grep -q 'class="bad">[0-9]* s (late)' "$WORK/page.html" || fail "the status page does not mark the job late"
sleep 6
[ "$(late_alerts)" = 1 ] || fail "want exactly one late alert while still late, got $(late_alerts)"

note "the mock answers again: the runs catch up, the alert is re-armed"
mock_admin /_admin -X POST -d '{"refuse": null}' >/dev/null
caught_up() { [ "$(metric sluice_serve_watermark_lag_seconds 'job="serve_lag"')" -le 4 ]; }
wait_until 40 "catching up" caught_up
oracle_ok
mock_admin /_admin -X POST -d '{"refuse": {"status": 403, "message": "maintenance"}}' >/dev/null
two_late() { [ "$(late_alerts)" -ge 2 ]; }
wait_until 40 "a second late alert" two_late
mock_admin /_admin -X POST -d '{"refuse": null}' >/dev/null

note "the cron job: due on whole minutes, and it fired (within the minute the test has run)"
next=$(metric sluice_serve_next_run_timestamp_seconds 'job="serve_cron"')
[ $((next % 60)) = 0 ] || fail "the cron job's next run $next is not on a whole minute"
cron_ran() { [ "$(metric sluice_serve_runs_total 'job="serve_cron",outcome="ok"')" -ge 1 ]; }
wait_until 70 "the cron job's run" cron_ran
sec=$(db_sql "SELECT SECOND(MIN(started_at)) FROM sluice_runs WHERE job = 'serve_cron'")
echo "the cron job's first run record started at second $sec of its minute"
[ "$sec" -lt 20 ] || fail "the cron job's run started at second $sec of a minute, not at its start"
kill -TERM "$SERVE_PID"
rc=0
wait "$SERVE_PID" || rc=$?
[ $rc -eq 0 ] || fail "the service exited $rc after SIGTERM"
echo "serve_lag: ok"

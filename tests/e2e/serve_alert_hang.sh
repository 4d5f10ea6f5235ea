#!/usr/bin/env bash
# serve_alert_hang: the service's own alerts ("job file no longer compiles", "late") never hold
# up its loop. The webhook is a listener that takes the connection and never answers, with
# alerts.timeout 60s; after a SIGHUP with a broken job file the alert hangs there, and all the
# while /healthz answers at once and the job (its previous plan kept) runs on its 2 s schedule.
# (When the alert was sent inside the loop, /healthz went unanswered for the whole 60 s.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve/common.sh"

cn_time() { TZ=Asia/Shanghai date -d "$1" '+%Y-%m-%d %H:%M:%S'; }
START=$(cn_time '-3 hours')
mock_start --seed 14 --records 60 --from "$(cn_time '-150 minutes')" --to "$(cn_time '-10 minutes')"
db_create

# The webhook: accepts connections (the kernel's backlog) and never reads or answers.
python3 - "$WORK/hang.port" <<'PY' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
while True:
    c, _ = s.accept()
    held.append(c)
PY
E2E_PIDS+=("$!")
for _ in $(seq 1 100); do [ -s "$WORK/hang.port" ] && break; sleep 0.05; done
[ -s "$WORK/hang.port" ] || fail "the hanging webhook did not start"
export SLUICE_ALERT_WEBHOOK="http://127.0.0.1:$(cat "$WORK/hang.port")/hook"

JOB=$(job_copy wdt_refund 's/^name: wdt_refund/name: serve_hang/' \
    "s/^    start: .*/    start: \"$START\"/" 's/^    lag: 2m/    lag: 0s/')
mv "$JOB" "$WORK/hang.yml"
JOB=$WORK/hang.yml
printf 'schedule:\n  every: 2s\nalerts:\n  webhook: ${env:SLUICE_ALERT_WEBHOOK}\n  format: json\n  timeout: 60s\n' >>"$JOB"

METRIC_TIMEOUT=3 # /metrics must answer while the alert hangs
serve_start "$JOB"
ok_runs() { metric sluice_serve_runs_total 'job="serve_hang",outcome="ok"'; }
ok_runs_at_least() { [ "$(ok_runs)" -ge "$1" ]; }
wait_until 30 "a first run" ok_runs_at_least 1

note "a broken job file and SIGHUP: the alert hangs at the webhook; the service goes on"
printf 'broken: [\n' >>"$JOB"
kill -HUP "$SERVE_PID"
reloaded() { grep -q "the job file no longer compiles" "$WORK/serve.log"; }
wait_until 10 "the reload's error" reloaded
sleep 1 # the alert is now connected to the webhook, waiting for an answer that never comes
first=$(ok_runs) || fail "/metrics went unanswered while the alert hangs"
for i in $(seq 1 10); do
    t0=$(date +%s%N)
    code=$(curl -sS --max-time 3 -o /dev/null -w '%{http_code}' "$SERVE_URL/healthz" || true)
    ms=$((($(date +%s%N) - t0) / 1000000))
    [ "$code" = 200 ] || { cat "$WORK/serve.log" >&2; fail "/healthz answered '$code' (after $ms ms) while the alert hangs"; }
    sleep 0.8
done
now=$(ok_runs) || fail "/metrics went unanswered while the alert hangs"
echo "ok runs while the alert hangs: $first -> $now"
[ "$now" -ge $((first + 2)) ] || fail "the runs stopped while the alert hangs ($first -> $now)"
grep -q "alert not sent" "$WORK/serve.log" && fail "the alert ended while it should still hang"
kill -TERM "$SERVE_PID"
rc=0
wait "$SERVE_PID" || rc=$?
[ $rc -eq 0 ] || fail "the service exited $rc after SIGTERM"
echo "serve_alert_hang: ok"

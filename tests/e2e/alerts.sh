#!/usr/bin/env bash
# alerts: the job's alert webhook and --metrics, against the mock's /_webhook receiver.
# A run failing on a wrong QIMEN_APP_SECRET posts exactly one WeCom markdown alert naming the
# job and the signature failure, with no secret value in it; a good run with on: [failure]
# posts nothing; on: [success] with format: json posts the counters of the run's own summary;
# an unreachable webhook is one warning line (no URL) and never the run's exit status. The
# metrics file parses as Prometheus text, `promtool check metrics` finds nothing to lint in it
# (a planted `_total` gauge shows the check can fail), its rows equal the summary's, and a
# failed run keeps the last success time of the previous file. verify alerts and writes metrics
# the same way.
source "$(dirname "$0")/lib.sh"

mock_start --seed 5 --records 400 --from "2024-01-01 00:00:00" --to "2024-01-03 23:59:59" \
    --now "2024-01-04 00:05:00"
db_create
export SLUICE_ALERT_WEBHOOK="$MOCK_URL/_webhook?key=Hook-Key-Secret-1"
METRICS=$WORK/sluice.prom

# job_with_alerts FORMAT ON: the refund job with an alerts section; prints its path. Its own
# job name: the run lock is per name on the shared server, and other tests run wdt_refund.
job_with_alerts() {
    local job
    job=$(job_copy wdt_refund 's/^name: wdt_refund/name: alerts_refund/')
    mv "$job" "$WORK/$1.yml"
    printf 'alerts:\n  webhook: ${env:SLUICE_ALERT_WEBHOOK}\n  format: %s\n  on: %s\n' \
        "$1" "$2" >>"$WORK/$1.yml"
    echo "$WORK/$1.yml"
}

# webhook_count: how many bodies the mock's webhook received so far.
webhook_count() { mock_admin /_webhook | grep -c . || true; }

# metrics_value NAME: the value of metric NAME in $METRICS.
metrics_value() { awk -v k="$1" 'index($1, k "{") == 1 { print $2; exit }' "$METRICS"; }

# metrics_parse: every line of $METRICS is "# HELP|TYPE ..." or "name{labels} value".
metrics_parse() {
    python3 - "$METRICS" <<'EOF' || fail "the metrics file does not parse"
import re, sys
sample = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*",?)*\} -?[0-9]+(\.[0-9]+)?$')
lines = open(sys.argv[1]).read().splitlines()
assert lines, "empty"
for l in lines:
    ok = re.match(r'^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$', l) or sample.match(l)
    assert ok, "bad line: " + l
EOF
    promtool_clean "$METRICS"
}

note "the promtool check can fail: a per-run gauge named _total is linted"
printf '# HELP sluice_run_rows_total x\n# TYPE sluice_run_rows_total gauge\nsluice_run_rows_total{job="j"} 1\n' \
    >"$WORK/linted.prom"
(promtool_clean "$WORK/linted.prom") 2>/dev/null && fail "promtool_clean passed a _total gauge"

WECOM=$(job_with_alerts wecom "[failure]")

note "a run failing on a wrong QIMEN_APP_SECRET posts one WeCom alert"
rc=0
QIMEN_APP_SECRET=Wrong-Qimen-Secret-2 "$SLUICE" run "$WECOM" --now "2024-01-04 00:10:00" --quiet \
    --metrics "$METRICS" >"$WORK/run.out" 2>&1 || rc=$?
cat "$WORK/run.out"
[ $rc -eq 4 ] || fail "the run exited $rc, want 4"
[ "$(webhook_count)" -eq 1 ] || fail "want exactly 1 alert, got $(webhook_count)"
mock_admin /_webhook >"$WORK/alert1.json"
cat "$WORK/alert1.json"
python3 - "$WORK/alert1.json" <<'EOF' || fail "the WeCom alert is not as expected"
import json, sys
m = json.loads(open(sys.argv[1]).read())
assert m["msgtype"] == "markdown" and set(m) == {"msgtype", "markdown"}, m
c = m["markdown"]["content"]
assert "sluice run alerts_refund: failed: source (exit 4)" in c, c
assert "signature" in c and "QIMEN_APP_SECRET" in c, c
EOF
for secret in Wrong-Qimen-Secret-2 Hook-Key-Secret-1 "$QIMEN_APP_KEY" "$WDT_APPKEY" testsecret testsalt; do
    grep -qF "$secret" "$WORK/alert1.json" "$WORK/run.out" && fail "a secret ($secret) leaked"
done
metrics_parse
[ "$(metrics_value sluice_run_last_status)" = 4 ] || fail "last_status should be 4"
[ -z "$(metrics_value sluice_run_last_success_timestamp_seconds)" ] ||
    fail "no run has succeeded yet, yet there is a last success time"

note "a good run with on: [failure] posts nothing; its metrics match its summary"
sluice_run "$WECOM" --now "2024-01-04 00:10:00" --metrics "$METRICS"
cat "$WORK/run.out" "$METRICS"
[ "$(webhook_count)" -eq 1 ] || fail "a good run with on: [failure] posted an alert"
metrics_parse
rows=$(awk '$1 == "written" { print $2 }' "$WORK/run.out")
[ "$rows" -ge 400 ] || fail "the run wrote $rows rows, want the 400 seeded"
[ "$(metrics_value sluice_run_rows)" = "$rows" ] || fail "sluice_run_rows is not the summary's $rows"
[ "$(metrics_value sluice_run_last_status)" = 0 ] || fail "last_status should be 0"
success=$(metrics_value sluice_run_last_success_timestamp_seconds)
want=$(TZ=Asia/Shanghai date -d "2024-01-04 00:10:00" +%s)
[ "$success" = "$want" ] || fail "last success $success, want the run's clock $want"
wm=$(TZ=Asia/Shanghai date -d "2024-01-04 00:08:00" +%s)
[ "$(metrics_value sluice_watermark_timestamp_seconds)" = "$wm" ] || fail "watermark metric"
[ "$(metrics_value sluice_watermark_lag_seconds)" = 120 ] || fail "watermark lag should be 120"
[ ! -e "$METRICS.tmp" ] || fail "the metrics temporary file was left behind"

note "a failed run keeps the previous file's last success time"
QIMEN_APP_SECRET=Wrong-Qimen-Secret-2 "$SLUICE" run "$WECOM" --now "2024-01-04 00:20:00" --quiet \
    --metrics "$METRICS" >"$WORK/run.out" 2>&1 && fail "the run should fail"
metrics_parse
[ "$(metrics_value sluice_run_last_status)" = 4 ] || fail "last_status should be 4"
[ "$(metrics_value sluice_run_last_success_timestamp_seconds)" = "$success" ] ||
    fail "the failed run lost the last success time"
[ "$(webhook_count)" -eq 2 ] || fail "the second failure should have posted a second alert"

note "on: [success] with format: json posts the summary's counters"
JSON=$(job_with_alerts json "[success]")
mock_admin /_admin -X POST -d '{"now":"2024-01-05 09:00:00","add_records":50,"modify_records":80}' >/dev/null
sluice_run "$JSON" --now "2024-01-05 09:10:00"
cat "$WORK/run.out"
[ "$(webhook_count)" -eq 3 ] || fail "the successful run should have posted one alert"
mock_admin /_webhook | tail -n 1 >"$WORK/alert3.json"
cat "$WORK/alert3.json"
python3 - "$WORK/alert3.json" "$WORK/run.out" <<'EOF' || fail "the JSON alert does not match the summary"
import json, re, sys
m = json.loads(open(sys.argv[1]).read())
out = open(sys.argv[2]).read()
def num(pattern):
    return int(re.search(pattern, out).group(1))
want = {
    "windows": num(r"windows\s+(\d+) \("),
    "requests": num(r"requests\s+(\d+) \("),
    "pages": num(r"\((\d+) pages"),
    "retries": num(r"(\d+) retries"),
    "throttles": num(r"(\d+) throttled"),
    "records": num(r"records\s+(\d+) received"),
    "rows": num(r"written\s+(\d+) rows"),
    "child_rows": num(r"(\d+) child rows"),
    "rejects": num(r"(\d+) rejects"),
}
got = {k: m[k] for k in want}
assert got == want, (got, want)
assert m["job"] == "alerts_refund" and m["command"] == "run" and m["status"] == "ok", m
assert m["exit_code"] == 0 and m["message"] == "", m
rng = re.search(r"range\s+(\S+ \S+) \.\. (\S+ \S+)", out)
assert (m["range_from"], m["range_to"]) == rng.groups(), m
wm = re.search(r"watermark\s+(\S+ \S+) -> (\S+ \S+)", out)
assert (m["watermark_before"], m["watermark_after"]) == wm.groups(), m
assert m["rows"] > 0 and m["host"], m
EOF

note "verify alerts and writes metrics as run does"
"$SLUICE" verify "$JSON" --from "2024-01-01 00:00:00" --to "2024-01-05 09:00:00" \
    --now "2024-01-05 09:10:00" --metrics "$WORK/verify.prom" >"$WORK/verify.out" 2>&1 ||
    { cat "$WORK/verify.out" >&2; fail "verify found gaps or failed"; }
cat "$WORK/verify.out"
[ "$(webhook_count)" -eq 4 ] || fail "the successful verify should have posted one alert"
mock_admin /_webhook | tail -n 1 | grep -q '"command":"verify","status":"ok"' ||
    fail "the last alert is not verify's"
METRICS=$WORK/verify.prom metrics_parse
grep -qx 'sluice_run_last_status{job="alerts_refund",command="verify"} 0' "$WORK/verify.prom" ||
    fail "verify's metrics lack its status"

note "an unreachable or refusing webhook is a warning line, never the run's exit status"
export SLUICE_ALERT_WEBHOOK="http://127.0.0.1:1/send?key=Hook-Key-Secret-1"
sluice_run "$JSON" --now "2024-01-05 09:20:00"
cat "$WORK/run.out"
[ "$(grep -c "alert not sent" "$WORK/run.out")" -eq 1 ] || fail "want one 'alert not sent' line"
grep -qF "Hook-Key-Secret-1" "$WORK/run.out" && fail "the webhook URL was printed"
export SLUICE_ALERT_WEBHOOK="$MOCK_URL/_no_such_hook?key=Hook-Key-Secret-1"
sluice_run "$JSON" --now "2024-01-05 09:30:00"
grep "alert not sent" "$WORK/run.out"
grep -q "alert not sent: the webhook answered HTTP 404" "$WORK/run.out" || fail "want the 404 named"
grep -qF "Hook-Key-Secret-1" "$WORK/run.out" && fail "the webhook URL was printed"
echo "alerts: ok"

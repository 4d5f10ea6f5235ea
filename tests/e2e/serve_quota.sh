#!/usr/bin/env bash
# serve_quota: jobs of one `sluice serve` that use the same credentials share one rate limiter
# (docs/deploy.md, "Dividing an API quota"). Two jobs (the shipped refund job into two sets of
# tables) with the same fixture app key and limits.calls_per_minute 600 (10 a second) run at
# once (--max-runs 2); wdt-mock bans the key on a 13th call in one calendar second (gateway
# code 7; gateway-qps 12: the job's 10 plus room for requests arriving a few ms apart).
#   1. one app key: the mock throttles nothing and counts at most 10.5 calls a second over the
#      two runs, which overlap in time (the runs table says so); the first job's tables hold
#      exactly the mock's truth (oracle), the second's as many rows;
#   2. negative control: each job sends a header of its own read through ${env:} (a secret, so
#      other credentials and a limiter each): the same two runs exceed 12 a second and the mock
#      throttles them.
source "$(dirname "$0")/lib.sh"

cn_time() { TZ=Asia/Shanghai date -d "$1" '+%Y-%m-%d %H:%M:%S'; }
START=$(cn_time '-6 hours')
mock_start --seed 13 --records 900 --from "$(cn_time '-5 hours')" --to "$(cn_time '-10 minutes')" \
    --gateway-qps 12 --latency-ms 20
db_create

# job NAME TABLE_PREFIX [header line]: hourly (one run at start), 10 calls a second, pages of
# 20 over half-hour windows (about 60 requests).
job() {
    local out=$WORK/$1.yml
    sed -e "s/^name: wdt_refund/name: $1/" -e "s/^    start: .*/    start: \"$START\"/" \
        -e 's/^    lag: 2m/    lag: 0s/' -e 's/^    max_span: 1d/    max_span: 30m/' \
        -e 's/^    size: 50$/    size: 20/' -e "s/aftersales_refund_refund_search/$2/" \
        -e "s/^  records: response.data.order\$/&${3:-}/" \
        "$SLUICE_SRC/mappings/wdt_refund.yml" >"$out"
    printf 'schedule:\n  every: 1h\n' >>"$out"
    grep -q 'calls_per_minute: 600$' "$out" && grep -q '^    size: 20$' "$out" || fail "the job edit did not apply"
    echo "$out"
}
stat() { mock_admin /_stats | jq -r "$1"; }

# serve_both JOB1 JOB2: serves both until each has recorded a finished run; sets SECS (the
# wall time from start to the second run's end, by the runs table) and CALLS.
serve_both() {
    mock_admin /_admin -X POST -d '{"reset_stats": true, "ban_clear": true}' >/dev/null
    "$SLUICE" serve "$1" "$2" --listen 127.0.0.1:0 --max-runs 2 >"$WORK/serve.out" 2>"$WORK/serve.log" &
    local pid=$! deadline=$((SECONDS + 120))
    E2E_PIDS+=("$pid")
    until [ "$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE ended_at IS NOT NULL" 2>/dev/null || echo 0)" -ge 2 ]; do
        kill -0 $pid 2>/dev/null || { cat "$WORK/serve.log" >&2; fail "sluice serve exited"; }
        [ $SECONDS -lt $deadline ] || { cat "$WORK/serve.log" >&2; fail "no two finished runs in 120 s"; }
        sleep 0.2
    done
    kill -TERM $pid
    wait $pid || fail "sluice serve exited $? after SIGTERM"
    CALLS=$(stat .calls)
    SECS=$(db_sql "SELECT TIMESTAMPDIFF(MICROSECOND, MIN(started_at), MAX(ended_at)) / 1e6 FROM sluice_runs")
    db_sql "SELECT job, status, pages, throttles FROM sluice_runs" | sed 's/^/  run: /'
}

note "1. two jobs, one app key: one limiter"
J1=$(job q_one aftersales_refund_refund_search)
J2=$(job q_two q2_refund)
"$SLUICE" validate "$J1" "$J2" >/dev/null
serve_both "$J1" "$J2"
gw=$(stat .throttles.gateway)
echo "shared: $CALLS calls in ${SECS}s, gateway throttles $gw"
[ "$gw" = 0 ] || fail "the mock throttled the shared key $gw times"
[ "$CALLS" -gt 80 ] || fail "too few calls ($CALLS) to say anything about the rate"
awk -v c="$CALLS" -v s="$SECS" 'BEGIN { exit !(c / s <= 10.5) }' || fail "$CALLS calls in ${SECS}s: faster than 10 a second"
[ "$(db_sql "SELECT COUNT(*) FROM sluice_runs r1 JOIN sluice_runs r2 ON r1.job < r2.job
             AND r1.started_at < r2.ended_at AND r2.started_at < r1.ended_at")" = 1 ] || fail "the two runs did not overlap"
[ "$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE status = 'ok'")" = 2 ] || fail "a run failed"
oracle_ok
[ "$(db_sql "SELECT COUNT(*) FROM q2_refund")" = "$(db_sql "SELECT COUNT(*) FROM aftersales_refund_refund_search")" ] ||
    fail "the second job's table differs in size from the first's"

note "2. negative control: a secret header of its own per job, two limiters"
db_sql "DELETE FROM sluice_runs; DELETE FROM sluice_state"
export TAG_ONE=one TAG_TWO=two
J1=$(job q_one aftersales_refund_refund_search '\n  request: { headers: { X-Job: "${env:TAG_ONE}" } }')
J2=$(job q_two q2_refund '\n  request: { headers: { X-Job: "${env:TAG_TWO}" } }')
serve_both "$J1" "$J2"
gw=$(stat .throttles.gateway)
echo "own limiters: $CALLS calls in ${SECS}s, gateway throttles $gw"
[ "$gw" -gt 0 ] || fail "two limiters of 10 a second did not exceed 12 a second: the check can't fail"
echo "serve_quota: ok"

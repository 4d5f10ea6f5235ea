#!/usr/bin/env bash
# serve_rules_reload: a SIGHUP that changes a job's data-quality rules while a run is going on
# does not fold that run's per-rule counts into the new rules. The job has rules
# [no_goods_back (fails on refunds with goods returned), never (max 1e9: never fails)]; during
# its first, slow run the file swaps them to [never, no_goods_back] and the service reloads.
# The run (forked with the old rules) ends with no_goods_back warning, yet /metrics shows no
# failed rows for `never`: before the fix the run's counts went in by position, and `never`
# got no_goods_back's failures (the test failed).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve/common.sh"

cn_time() { TZ=Asia/Shanghai date -d "$1" '+%Y-%m-%d %H:%M:%S'; }
START=$(cn_time '-6 hours')
mock_start --seed 16 --records 300 --from "$(cn_time '-5 hours')" --to "$(cn_time '-10 minutes')" \
    --latency-ms 1000
db_create
JOB=$(job_copy wdt_refund 's/^name: wdt_refund/name: serve_rules/' \
    "s/^    start: .*/    start: \"$START\"/" 's/^    lag: 2m/    lag: 0s/' \
    's/^    max_span: 1d/    max_span: 30m/')
mv "$JOB" "$WORK/rules.yml"
JOB=$WORK/rules.yml
cp "$JOB" "$WORK/base.yml"
rules() {
    cp "$WORK/base.yml" "$JOB"
    printf 'schedule:\n  every: 1h\nquality:\n' >>"$JOB"
    for r in "$@"; do
        case $r in
        bad) echo '  - { name: no_goods_back, column: return_goods_count, max: 0, action: warn }' ;;
        never) echo '  - { name: never, column: return_goods_count, max: 1000000000, action: warn }' ;;
        esac >>"$JOB"
    done
}
rules bad never
"$SLUICE" validate "$JOB" || fail "the test's job file does not validate"

serve_start "$JOB"
ended() { grep -q "run ended" "$WORK/serve.log"; }
sleep 1
ended && fail "the first run ended before the reload (too fast for this test)"

note "the rules swapped and reloaded while the first run goes on"
rules never bad
kill -HUP "$SERVE_PID"
reloaded() { grep -q "SIGHUP: reading" "$WORK/serve.log"; }
wait_until 10 "the reload" reloaded
ended && fail "the first run ended before the reload (too fast for this test)"
wait_until 120 "the first run's end" ended
grep "run ended" "$WORK/serve.log"
grep -q "run ended: ok" "$WORK/serve.log" || fail "the run did not end ok"
# the negative control: the run itself did find failures of no_goods_back
[ "$(metric sluice_serve_last_run_quality_failed 'job="serve_rules"')" = 1 ] ||
    fail "the run found no quality failure: the test proves nothing"
never=$(metric sluice_serve_quality_failed_rows_total 'job="serve_rules",rule="never",action="warn"')
bad=$(metric sluice_serve_quality_failed_rows_total 'job="serve_rules",rule="no_goods_back",action="warn"')
echo "after the run: failed rows of never '$never', of no_goods_back '$bad'"
[ "${never:-0}" = 0 ] || fail "the run's no_goods_back failures ($never) were counted for 'never'"
[ "${bad:-0}" = 0 ] || fail "a run under the old rules was counted for the new ones ($bad)"
kill -TERM "$SERVE_PID"
rc=0
wait "$SERVE_PID" || rc=$?
[ $rc -eq 0 ] || fail "the service exited $rc after SIGTERM"
echo "serve_rules_reload: ok"

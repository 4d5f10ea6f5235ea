#!/usr/bin/env bash
# serve_accounts: `sluice serve` of a job with accounts (docs/accounts.md) against rest-mock
# with one bearer token per shop: each account is served as a job of its own (its plan, its
# schedule, its run lock, run records and watermark), the three accounts' rows hold exactly
# their shops' truth (oracle), /metrics labels every series with the account and passes
# promtool, the status page lists every account and draws the job's plan once; SIGTERM exits 0.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve/common.sh"
source "$(dirname "$0")/accounts/common.sh"

rest_start --seed 43 --orders 300 --shops 3 --auth bearer --shop-tokens 1
export REST_ORDERS_URL=$REST_URL/v1/offset/orders
db_create
JOB=$(job 3)
sed -i 's/^    max_span: 1d$/    max_span: 30d/' "$JOB" # the wall clock is years past the data
grep -q "max_span: 30d" "$JOB" || fail "the max_span edit did not apply"
printf 'schedule:\n  every: 2s\n' >>"$JOB"
"$SLUICE" validate "$JOB" || fail "the job does not validate"

serve_start "$JOB" --max-runs 2
grep -q "sluice serve: 3 jobs" "$WORK/serve.log" || fail "the three accounts are not three jobs"
all_ran_twice() {
    local a
    for a in 1 2 3; do
        [ "$(metric sluice_serve_runs_total "job=\"rest_orders\",account=\"$a\",outcome=\"ok\"")" -ge 2 ] || return 1
    done
}

note "every account runs on the schedule, each with its own run records and watermark"
wait_until 120 "two ok runs of every account" all_ran_twice
oracle 1,2,3
[ "$(db_sql "SELECT COUNT(DISTINCT account) FROM sluice_runs WHERE job = 'rest_orders' AND status = 'ok'")" = 3 ] ||
    fail "run records: $(db_sql "SELECT account, status FROM sluice_runs")"
[ "$(db_sql "SELECT COUNT(*) FROM sluice_state WHERE job = 'rest_orders'")" = 3 ] || fail "want 3 state rows"
grep -q "rest_orders account 2: run ended: ok" "$WORK/serve.log" || fail "the log does not name the account"

note "/metrics: every series of the job names its account; promtool finds nothing"
curl -sS --fail "$SERVE_URL/metrics" >"$WORK/metrics.prom"
promtool_clean "$WORK/metrics.prom"
grep -q '^sluice_serve_rows_total{job="rest_orders",account="3"} [1-9]' "$WORK/metrics.prom" ||
    fail "no rows counted for account 3"
grep '^sluice_serve_' "$WORK/metrics.prom" | grep -v '^sluice_serve_start_time_seconds ' |
    grep -v 'account="[123]"' && fail "a series without its account"

note "the status page lists every account and draws the job once"
curl -sS --fail "$SERVE_URL/" >"$WORK/page.html"
for a in 1 2 3; do
    grep -q "<td>rest_orders account $a<br>" "$WORK/page.html" || fail "the page does not list account $a"
done
[ "$(grep -c '<section class="job">' "$WORK/page.html")" = 1 ] || fail "want one diagram for the job"
grep -q "test-token" "$WORK/page.html" && fail "the page shows a token"

kill -TERM "$SERVE_PID"
rc=0
wait "$SERVE_PID" || rc=$?
[ $rc -eq 0 ] || fail "the service exited $rc after SIGTERM"
echo "serve_accounts: ok"

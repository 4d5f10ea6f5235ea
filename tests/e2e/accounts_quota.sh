#!/usr/bin/env bash
# accounts_quota: accounts run at once (`run --jobs 3`) and the shared quota (docs/serve.md,
# "Shared quotas"). The shipped refund job with three accounts that all use the same app key
# (the same signer secrets) and limits.calls_per_minute 600 (10 a second); wdt-mock bans the key
# (gateway code 7) on a 13th call in one second (gateway-qps 12: the job's 10 plus room for
# requests that leave on time and arrive a few milliseconds apart) and on the 601st call in a
# sliding minute (status 100 频率).
#   1. --jobs 3, one app key: the three accounts share one limiter: the mock never throttles
#      the key (0 code 7, 0 频率), the runs overlap in time (the runs table says so), and each
#      account's rows are exactly the mock's truth (the oracle on a copy of each account's rows);
#   2. negative control, the same but each account sends a header of its own read through a
#      secret (so its credentials differ and it gets a limiter of its own): 30 calls a second
#      reach the mock and it throttles the key;
#   3. --jobs: 0 and 65 are usage errors, run --help names it; SIGTERM to `run --jobs 3` stops
#      every running account once (exit 8, each says it was interrupted) and no worker outlives it.
source "$(dirname "$0")/lib.sh"

mock_start --seed 7 --records 1200 --from "2024-01-01 00:00:00" --to "2024-01-04 23:59:59" \
    --now "2024-01-05 00:05:00" --gateway-qps 12 --calls-per-minute 600 --latency-ms 20
db_create

# job NAME [extra header line]: wdt_refund with accounts a, b, c (the same fixture secrets),
# 10 calls a second, pages of 20 (about 20 requests per account and day).
job() {
    local out=$WORK/$1.yml
    {
        sed -n '/^version: 1$/,/^name: wdt_refund$/p' "$SLUICE_SRC/mappings/wdt_refund.yml"
        echo "accounts:"
        for a in a b c; do
            echo "  - { id: $a, secrets: { tag: \"\${env:TAG_$a}\" } }"
        done
        sed -n '/^source:$/,$p' "$SLUICE_SRC/mappings/wdt_refund.yml" |
            sed -e 's/^    size: 50$/    size: 20/' -e 's/^    max_span: 1d$/    max_span: 12h/' \
                -e "s/^  records: response.data.order\$/&${2:-}/"
    } >"$out"
    grep -q '^    size: 20$' "$out" && grep -q 'calls_per_minute: 600$' "$out" || fail "the job edit did not apply"
    echo "$out"
}
export TAG_a=same TAG_b=same TAG_c=same
SHARED=$(job shared)
OWN=$(job own '\n  request: { headers: { X-Account: "${account:tag}" } }')
"$SLUICE" validate "$SHARED" "$OWN" >/dev/null

# run_jobs JOB: `run --jobs 3` into $WORK/run.out; sets RC.
run_jobs() {
    RC=0
    "$SLUICE" run "$1" --jobs 3 --now "2024-01-05 00:10:00" --quiet >"$WORK/run.out" 2>&1 || RC=$?
}
stat() { mock_admin /_stats | jq -r "$1"; }
# oracle_account A: the rows of account A (a copy without the account column) are the truth.
oracle_account() {
    local t db2=${DB_NAME}_$1
    bash "$SLUICE_SRC/tools/mariadb.sh" createdb "$SLUICE_DB_DIR" "$db2" >"$WORK/db2.dsn"
    for t in aftersales_refund_refund_search aftersales_refund_refund_search_detail; do
        db_sql "CREATE TABLE $db2.$t AS SELECT * FROM $t WHERE account = '$1'"
        db_sql "ALTER TABLE $db2.$t DROP COLUMN account"
    done
    "$ORACLE" --truth "$MOCK_URL" --db "$(cat "$WORK/db2.dsn")" >"$WORK/oracle.out" 2>&1 ||
        { cat "$WORK/oracle.out" >&2; fail "account $1: the oracle found differences"; }
    echo "account $1: $(tail -n 1 "$WORK/oracle.out")"
}

note "1. three accounts at once, one app key: one limiter"
mock_admin /_admin -X POST -d '{"reset_stats": true}' >/dev/null
start=$(date +%s.%N)
run_jobs "$SHARED"
secs=$(echo "$(date +%s.%N) - $start" | bc)
grep -E '^sluice run' "$WORK/run.out"
[ $RC -eq 0 ] || { cat "$WORK/run.out" >&2; fail "run --jobs 3 exited $RC"; }
grep -q '^sluice run wdt_refund: 3 accounts, 3 ok, 0 failed$' "$WORK/run.out" || fail "no closing line"
calls=$(stat .calls) gw=$(stat .throttles.gateway) freq=$(stat .throttles.freq)
echo "shared: $calls calls in ${secs}s, gateway throttles $gw, 频率 $freq"
[ "$gw" = 0 ] && [ "$freq" = 0 ] || fail "the mock throttled the shared key ($gw code 7, $freq 频率)"
[ "$calls" -gt 150 ] || fail "too few calls ($calls) to say anything about the rate"
awk -v c="$calls" -v s="$secs" 'BEGIN { exit !(c / s <= 10.5) }' ||
    fail "$calls calls in ${secs}s: faster than the job's 10 a second"
overlap=$(db_sql "SELECT COUNT(*) FROM sluice_runs r1 JOIN sluice_runs r2 ON r1.account < r2.account
                  AND r1.started_at < r2.ended_at AND r2.started_at < r1.ended_at")
[ "$overlap" -ge 2 ] || fail "the accounts' runs did not overlap ($overlap pairs)"
for a in a b c; do oracle_account $a; done

note "2. negative control: a header of its own per account, three limiters"
export TAG_a=one TAG_b=two TAG_c=three
db_sql "DROP TABLE aftersales_refund_refund_search, aftersales_refund_refund_search_detail, sluice_state"
mock_admin /_admin -X POST -d '{"reset_stats": true, "ban_clear": true}' >/dev/null
run_jobs "$OWN"
grep -E '^sluice run' "$WORK/run.out" || true
gw=$(stat .throttles.gateway) freq=$(stat .throttles.freq)
echo "own limiters: $(stat .calls) calls, gateway throttles $gw, 频率 $freq"
[ "$gw" -gt 0 ] || fail "three limiters of 10 a second did not exceed 12 a second: the check can't fail"
[ $RC -eq 0 ] || { cat "$WORK/run.out" >&2; fail "run exited $RC (throttles are retried)"; }

note "3. --jobs bounds and an interrupt"
for n in 0 65; do
    rc=0
    "$SLUICE" run "$SHARED" --jobs $n >"$WORK/usage.out" 2>&1 || rc=$?
    [ $rc -eq 2 ] && grep -q -- '--jobs wants 1 to 64' "$WORK/usage.out" || fail "--jobs $n: exit $rc"
done
"$SLUICE" run --help | grep -q -- '--jobs N' || fail "run --help lacks --jobs"
db_sql "DROP TABLE aftersales_refund_refund_search, aftersales_refund_refund_search_detail, sluice_state"
export TAG_a=same TAG_b=same TAG_c=same
"$SLUICE" run "$SHARED" --jobs 3 --now "2024-01-05 00:10:00" --quiet >"$WORK/run.out" 2>&1 &
pid=$!
for _ in $(seq 1 200); do
    [ "$(stat .calls)" -gt 40 ] && break
    sleep 0.05
done
kill -TERM $pid
rc=0
wait $pid || rc=$?
grep -E '^sluice' "$WORK/run.out" || true
[ $rc -eq 8 ] || fail "an interrupted run --jobs 3 exited $rc, want 8"
grep -q '^sluice run wdt_refund: 3 accounts, 0 ok, 3 failed' "$WORK/run.out" || fail "closing line after the interrupt"
[ -z "$(pgrep -P $pid || true)" ] || fail "workers outlived the run"
echo "accounts_quota: ok"

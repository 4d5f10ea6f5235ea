#!/usr/bin/env bash
# nmo_lock_verify: one run at a time, and `sluice verify` (issue 4). While a run holds the run
# lock, a second run of the same job exits 7 with a clear message; the first
# completes. After the full sync `sluice verify` finds no gap (exit 0); after rows of one day
# are deleted from the table it exits 1 and lists that day's window with the missing count.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"

RECORDS=${NMO_RECORDS:-2000}
mock_start --seed 9 --records "$RECORDS" --from "2024-01-01 00:00:00" --to "2024-01-10 23:59:59" \
    --now "2024-01-11 01:00:00" --latency-ms 150 --jitter-ms 50
db_fresh l
JOB=$(nmo_job)
t0=$(date +%s)

note "two runs of the same job at once"
"$SLUICE" run "$JOB" --now "2024-01-11 00:10:00" --quiet >"$WORK/first.out" 2>&1 &
first=$!
# rows_in: the rows the first run has committed so far (it takes the lock before anything).
rows_in() { db_sql "SELECT COUNT(*) FROM aftersales_refund_refund_search" 2>/dev/null || echo 0; }
for i in $(seq 1 400); do # until the first run has committed rows (deadline 20 s)
    [ "$(rows_in)" -gt 0 ] && break
    kill -0 $first 2>/dev/null || break
    sleep 0.05
done
[ "$(rows_in)" -gt 0 ] || { cat "$WORK/first.out" >&2; fail "the first run wrote nothing"; }
run_rc "$JOB" --now "2024-01-11 00:10:00"
cat "$WORK/run.out"
kill -0 $first 2>/dev/null || fail "the first run ended before the second one was checked"
[ $RUN_RC -eq 7 ] || fail "the second run exited $RUN_RC, want 7"
grep -q "another run of job 'wdt_refund_$$' is in progress" "$WORK/run.out" ||
    fail "the second run's message does not say another run holds the job"
rc=0; wait $first || rc=$?
[ $rc -eq 0 ] || { cat "$WORK/first.out" >&2; fail "the first run exited $rc"; }
oracle_count
[ $ORACLE_RC -eq 0 ] || { cat "$WORK/oracle.out" >&2; fail "differences after the first run"; }

note "verify after a full sync"
V=(--from "2024-01-01 00:00:00" --to "2024-01-11 00:00:00" --now "2024-01-11 00:10:00")
rc=0; "$SLUICE" verify "$JOB" "${V[@]}" >"$WORK/verify.out" 2>&1 || rc=$?
cat "$WORK/verify.out"
[ $rc -eq 0 ] || fail "verify exited $rc after a full sync, want 0"

note "verify after deleting 7 rows of 2024-01-05"
db_sql "DELETE FROM aftersales_refund_refund_search
        WHERE modified BETWEEN '2024-01-05 01:00:00' AND '2024-01-05 22:00:00' LIMIT 7"
rc=0; "$SLUICE" verify "$JOB" "${V[@]}" >"$WORK/verify.out" 2>&1 || rc=$?
cat "$WORK/verify.out"
[ $rc -eq 1 ] || fail "verify exited $rc with 7 rows missing, want 1"
grep -Eq "^2024-01-0[45] [0-9:]+ +2024-01-0[56] [0-9:]+ +[0-9]+ +[0-9]+ +7$" "$WORK/verify.out" ||
    fail "verify does not list the window of 2024-01-05 with 7 missing"
grep -q "1 with gaps" "$WORK/verify.out" || fail "verify should find exactly one window with gaps"
echo "figures: scenario=lock_verify runs=2 second_run_exit=7 verify_clean=0 verify_gap=1" \
     "elapsed=$(($(date +%s) - t0))s"
echo "nmo_lock_verify: ok"

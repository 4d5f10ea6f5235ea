#!/usr/bin/env bash
# sink_db_faults: database faults under real runs, on a MariaDB of this test's own (restarting
# the shared one would disturb other tests).
#  1. While a run is going, a second run of the same job exits 7 naming the lock; then the
#     server restarts twice mid-run: the run completes (the sink reconnects, re-takes its lock
#     and replays), its summary counts the replays, and the oracle finds 0 differences.
#  2. The server stops mid-run and stays down past the job's db_retry_budget (3s): the run
#     exits 5 with a message naming the database error and not the password; the watermark it
#     left is not ahead of the committed data; once the server is back, the next run completes
#     with 0 differences.
source "$(dirname "$0")/lib.sh"

SLUICE_DB_DIR=$WORK/db # lib.sh's db_create / db_sql follow it
MDB="$SLUICE_SRC/tools/mariadb.sh"
own_cleanup() {
    bash "$MDB" stop "$SLUICE_DB_DIR" >/dev/null 2>&1 || true
    e2e_cleanup
}
trap own_cleanup EXIT
bash "$MDB" start "$SLUICE_DB_DIR" >/dev/null

P=aftersales_refund_refund_search

# parent_rows: rows in the refund table so far (0 before it exists or while the server is down).
parent_rows() { db_sql "SELECT COUNT(*) FROM $P" 2>/dev/null || echo 0; }

# wait_rows N PID: waits until the table holds N rows; fails if the run PID ends first.
wait_rows() {
    local deadline=$((SECONDS + 120))
    while [ "$(parent_rows)" -lt "$1" ]; do
        kill -0 "$2" 2>/dev/null || fail "the run ended before $1 rows were written"
        [ $SECONDS -lt $deadline ] || fail "no $1 rows within 120 s"
        sleep 0.1
    done
}

# start_run JOB: `sluice run` in the background; sets RUN_PID, output in $WORK/run.out.
start_run() {
    "$SLUICE" run "$1" --now "2024-01-21 00:10:00" --quiet >"$WORK/run.out" 2>&1 &
    RUN_PID=$!
    E2E_PIDS+=("$RUN_PID")
}

# finish_run: waits for the background run; its exit code in RUN_RC.
finish_run() {
    RUN_RC=0
    wait "$RUN_PID" || RUN_RC=$?
}

mock_start --seed 5 --records 10000 --from "2024-01-01 00:00:00" --to "2024-01-20 23:59:59" \
    --now "2024-01-21 00:05:00" --latency-ms 30

note "1. lock conflict, then two restarts mid-run"
E2E_NAME=sink_db_faults_restart db_create
JOB=$(job_copy wdt_refund)
start_run "$JOB"
wait_rows 1000 "$RUN_PID"
rc=0
"$SLUICE" run "$JOB" --now "2024-01-21 00:10:00" --quiet >"$WORK/second.out" 2>&1 || rc=$?
cat "$WORK/second.out"
[ "$rc" -eq 7 ] || fail "a second run of the job exited $rc, want 7"
grep -q "another run of job 'wdt_refund' is in progress (lock held by connection [0-9]*)" \
    "$WORK/second.out" || fail "the second run did not name the lock"
bash "$MDB" restart "$SLUICE_DB_DIR" >/dev/null
wait_rows 4000 "$RUN_PID"
bash "$MDB" restart "$SLUICE_DB_DIR" >/dev/null
finish_run
cat "$WORK/run.out"
[ "$RUN_RC" -eq 0 ] || fail "the run exited $RUN_RC across two database restarts"
# Each restart broke the connection under a write at least once: the summary counts them.
grep -q "^  database    [1-9][0-9]* batches replayed after faults$" "$WORK/run.out" ||
    fail "the summary does not count the batches replayed after the restarts"
oracle_ok
[ "$(db_sql "SELECT status FROM sluice_runs ORDER BY id DESC LIMIT 1")" = ok ] ||
    fail "the run record does not say ok"

note "2. the database stays down past the retry budget"
E2E_NAME=sink_db_faults_down db_create
JOB=$(job_copy wdt_refund 's/^  max_rejects: 0$/  max_rejects: 0\n  db_retry_budget: 3s/')
grep -q "db_retry_budget: 3s" "$JOB" || fail "could not set db_retry_budget in the job copy"
start_run "$JOB"
wait_rows 1500 "$RUN_PID"
bash "$MDB" stop "$SLUICE_DB_DIR" >/dev/null
finish_run
cat "$WORK/run.out"
[ "$RUN_RC" -eq 5 ] || fail "the run exited $RUN_RC with the database down, want 5"
grep -q "gave up after the database retry budget (3000 ms)" "$WORK/run.out" ||
    fail "the failure does not name the retry budget"
grep -q "error 20[01][0-9]" "$WORK/run.out" || fail "the failure does not name the database error"
if grep -qF "$(cat "$SLUICE_DB_DIR/engine.pass")" "$WORK/run.out"; then
    fail "the password appears in the output"
fi
bash "$MDB" start "$SLUICE_DB_DIR" >/dev/null
wm=$(db_sql "SELECT watermark_text FROM sluice_state WHERE job='wdt_refund'")
if [ -n "$wm" ]; then
    note "watermark left at $wm: everything up to it must be committed"
    oracle_ok --from "2024-01-01 00:00:00" --to "$wm"
fi
sluice_run "$JOB" --now "2024-01-21 00:10:00"
oracle_ok
echo "sink_db_faults: ok"

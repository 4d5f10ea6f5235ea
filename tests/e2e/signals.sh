#!/usr/bin/env bash
# signals: SIGTERM and SIGINT stop a run promptly at any phase, with exit 8 and the watermark
# consistent (issue 9, item 9: SIGTERM during the database retry budget used to be ignored
# until the database was back, up to the 5-minute budget, and before the run started it killed
# with 143). Each scenario waits for the run to reach its phase (a line in its output), sends
# the signal, and waits for the exit with a deadline far below the wait the run was in:
#  1. the database stops mid-run: the writer is in its retry budget (5m) when SIGTERM comes;
#     the summary counts the database retries; the watermark is not ahead of the data and the
#     next run, with the database back, leaves 0 differences;
#  2. the API bans for an hour (the job allows waits that long): SIGINT during the ban;
#  3. the database is down at startup: SIGTERM while connecting;
#  4. the same for `migrate` and `state show`, which wait for the database too.
# On a MariaDB of its own (stopping the shared one would disturb other tests).
source "$(dirname "$0")/lib.sh"

SLUICE_DB_DIR=$WORK/db # lib.sh's db_create / db_sql follow it
MDB="$SLUICE_SRC/tools/mariadb.sh"
own_cleanup() {
    bash "$MDB" stop "$SLUICE_DB_DIR" >/dev/null 2>&1 || true
    e2e_cleanup
}
trap own_cleanup EXIT
bash "$MDB" start "$SLUICE_DB_DIR" >/dev/null
START="2024-01-01 00:00:00"

# start_run JOB: `sluice run` in the background, its log and summary in $WORK/run.out.
start_run() { start_cmd run "$1" --now "2024-01-21 00:10:00"; }

# start_cmd ARGS...: `sluice ARGS` in the background, its output in $WORK/run.out.
start_cmd() {
    : >"$WORK/run.out" # empty now: wait_for must not match the previous command's lines
    "$SLUICE" "$@" >>"$WORK/run.out" 2>&1 &
    RUN_PID=$!
    E2E_PIDS+=("$RUN_PID")
}

# wait_for PATTERN: waits until the run's output matches PATTERN (deadline 60 s).
wait_for() {
    local deadline=$((SECONDS + 60))
    until grep -q "$1" "$WORK/run.out"; do
        kill -0 "$RUN_PID" 2>/dev/null || { cat "$WORK/run.out" >&2; fail "the run ended before '$1'"; }
        [ $SECONDS -lt $deadline ] || fail "no '$1' within 60 s"
        sleep 0.1
    done
}

# stopped_by SIGNAL WHAT: sends SIGNAL and waits (deadline 20 s, far below the wait the run is
# in) for the run to exit 8 saying WHAT.
stopped_by() {
    kill -s "$1" "$RUN_PID"
    local deadline=$((SECONDS + 20))
    while kill -0 "$RUN_PID" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || { cat "$WORK/run.out" >&2; fail "SIG$1 did not stop the run within 20 s"; }
        sleep 0.1
    done
    local rc=0
    wait "$RUN_PID" || rc=$?
    cat "$WORK/run.out"
    [ $rc -eq 8 ] || fail "SIG$1: the run exited $rc, want 8"
    grep -q "sluice: error: $2" "$WORK/run.out" || fail "SIG$1: the error does not say '$2'"
}

watermark() { db_sql "SELECT watermark_text FROM sluice_state WHERE job='wdt_refund'" 2>/dev/null; }

mock_start --seed 5 --records 10000 --from "$START" --to "2024-01-20 23:59:59" \
    --now "2024-01-21 00:05:00" --latency-ms 200 # slow enough to stop the database mid-run

note "1. SIGTERM while the writer waits out a database outage (budget 5m)"
db_create
JOB=$(job_copy wdt_refund)
start_run "$JOB"
deadline=$((SECONDS + 60))
until [ "$(db_sql "SELECT COUNT(*) FROM aftersales_refund_refund_search" 2>/dev/null || echo 0)" -gt 0 ]; do
    kill -0 "$RUN_PID" 2>/dev/null || { cat "$WORK/run.out" >&2; fail "the run ended before writing"; }
    [ $SECONDS -lt $deadline ] || fail "no rows written within 60 s"
    sleep 0.1
done
bash "$MDB" stop "$SLUICE_DB_DIR" >/dev/null
wait_for "sluice: database: write failed .*; retrying in"
# The runner's loop or the writer's retry loop, whichever sees the signal first, says so.
stopped_by TERM "interrupted\(; the watermark is consistent\| while write waited for the database\)"
grep -q "^  database    [1-9][0-9]* batches replayed after faults" "$WORK/run.out" ||
    fail "the summary does not count the database retries"
bash "$MDB" start "$SLUICE_DB_DIR" >/dev/null
wm=$(watermark)
if [ -n "$wm" ]; then
    note "watermark left at $wm: everything up to it must be committed"
    oracle_ok --from "$START" --to "$wm"
fi
sluice_run "$JOB" --now "2024-01-21 00:10:00"
oracle_ok

note "2. SIGINT during an hour-long ban the job allows"
mock_admin /_admin -X POST -d '{"fail-throttle-gw": 1, "ban-seconds": 3600}' >/dev/null
E2E_NAME=signals_ban db_create
JOB=$(job_copy wdt_refund 's/^    concurrency: 4$/    concurrency: 4\n    max_wait: 1h/')
grep -q "max_wait: 1h" "$JOB" || fail "could not set max_wait in the job copy"
start_run "$JOB"
wait_for "throttled (error rule); waiting 3600000 ms"
stopped_by INT "interrupted; the watermark is consistent"
[ -z "$(watermark)" ] || fail "a watermark was written during the ban"

note "3. SIGTERM while connecting to a database that is down"
bash "$MDB" stop "$SLUICE_DB_DIR" >/dev/null
start_run "$JOB"
wait_for "sluice: database: connect failed .*; retrying in"
stopped_by TERM "interrupted while connect waited for the database"

note "4. SIGTERM to migrate and to state show while the database is down"
start_cmd migrate "$JOB"
wait_for "sluice: database: connect failed .*; retrying in"
stopped_by TERM "interrupted while connect waited for the database"
start_cmd state show "$JOB"
wait_for "sluice: database: connect failed .*; retrying in"
stopped_by TERM "interrupted while connect waited for the database"
echo "signals: ok"

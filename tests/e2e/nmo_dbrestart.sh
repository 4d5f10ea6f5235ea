#!/usr/bin/env bash
# nmo_dbrestart: database faults (issue 4), on a private MariaDB of its own (restarting the
# shared one would hurt the other tests). 1) The server restarts while a run writes: the run
# completes (it reconnects and replays the batch) or fails cleanly with exit 5; the watermark
# is never ahead of the data; after the next run the oracle finds 0 differences. 2) The server
# stays down longer than target.db_retry_budget: the run fails with exit 5 naming the database,
# the watermark is not ahead of the data, and the next run leaves 0 differences.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"

SLUICE_DB_DIR=$WORK/db
MARIADB=(bash "$SLUICE_SRC/tools/mariadb.sh")
trap '"${MARIADB[@]}" stop "$SLUICE_DB_DIR" >/dev/null 2>&1 || true; e2e_cleanup' EXIT
"${MARIADB[@]}" start "$SLUICE_DB_DIR" >/dev/null
RECORDS=${NMO_RECORDS:-2000}
START="2024-01-01 00:00:00"
mock_start --seed 5 --records "$RECORDS" --from "$START" --to "2024-01-10 23:59:59" \
    --now "2024-01-11 01:00:00" --latency-ms 50 --jitter-ms 50
JOB=$(nmo_job 's/batch_rows: 1000/batch_rows: 100/' \
    's/window_column: modified/window_column: modified\n  db_retry_budget: 4s/')
t0=$(date +%s)

watermark() {
    "$SLUICE" state show "$JOB" | sed -n 's/^job [^:]*: watermark \([0-9-]* [0-9:]*\)$/\1/p'
}

# rows_committed: polls (deadline 30 s) until the run has committed some rows.
rows_committed() {
    local i n
    for i in $(seq 1 600); do
        n=$(db_sql "SELECT COUNT(*) FROM aftersales_refund_refund_search" 2>/dev/null || echo 0)
        [ "${n:-0}" -gt 0 ] && return 0
        kill -0 "$RUN_PID" 2>/dev/null || return 0
        sleep 0.05
    done
    fail "no rows were committed within 30 s"
}

# scenario NAME OUTAGE...: a run, the outage commands once it writes, then a clean run.
scenario() {
    local name=$1
    shift
    db_fresh "$name"
    "$SLUICE" run "$JOB" --now "2024-01-11 00:10:00" --quiet >"$WORK/run.out" 2>&1 &
    RUN_PID=$!
    rows_committed
    kill -0 "$RUN_PID" 2>/dev/null || fail "$name: the run ended before the outage; slow the mock"
    "$@"
    local rc=0
    wait "$RUN_PID" || rc=$?
    echo "$name: the run during the outage exited $rc"
    [ $rc -eq 0 ] || [ $rc -eq 5 ] || { cat "$WORK/run.out" >&2; fail "$name: exit $rc, want 0 or 5"; }
    if [ $rc -eq 5 ]; then
        grep "error" "$WORK/run.out"
        grep -qi "database" "$WORK/run.out" || { cat "$WORK/run.out" >&2; fail "$name: no cause named"; }
        grep -q "password\|$(cat "$SLUICE_DB_DIR/engine.pass")" "$WORK/run.out" &&
            fail "$name: the message shows the password"
    fi
    OUTCOMES="$OUTCOMES $name=$rc"
    local wm
    wm=$(watermark)
    if [ -n "$wm" ]; then
        oracle_count --from "$START" --to "$wm"
        [ $ORACLE_RC -eq 0 ] || { cat "$WORK/oracle.out" >&2; fail "$name: watermark $wm ahead of the data"; }
    fi
    sluice_run "$JOB" --now "2024-01-11 00:20:00"
    oracle_count
    [ $ORACLE_RC -eq 0 ] || { cat "$WORK/oracle.out" >&2; fail "$name: differences after the next run"; }
    MISSED=$((MISSED + ORACLE_MISSING))
}

# long_outage: down for longer than the 4 s budget, then back.
long_outage() {
    "${MARIADB[@]}" stop "$SLUICE_DB_DIR" >/dev/null
    local i
    for i in $(seq 1 300); do # until the run has given up (deadline 30 s)
        kill -0 "$RUN_PID" 2>/dev/null || break
        sleep 0.1
    done
    "${MARIADB[@]}" start "$SLUICE_DB_DIR" >/dev/null
}

OUTCOMES=""; MISSED=0
scenario restart "${MARIADB[@]}" restart "$SLUICE_DB_DIR"
scenario outage long_outage
case "$OUTCOMES" in *outage=5*) ;; *) fail "a 30 s outage with a 4 s budget did not fail the run" ;; esac
echo "figures: scenario=dbrestart runs=4 outcomes=${OUTCOMES# } missed=$MISSED" \
     "elapsed=$(($(date +%s) - t0))s"
echo "nmo_dbrestart: ok"

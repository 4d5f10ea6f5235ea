#!/usr/bin/env bash
# runs_abandoned: a run killed after committing batches is recorded as `abandoned` with the rows
# it committed (issue 9 item 15: it showed rows_written 0). Each batch adds its rows and rejects
# to the run's record in the batch's own transaction. The run is killed (SIGKILL) once its first
# batches are in the table (a condition waited for with a deadline, not a sleep); the next run
# marks it abandoned, and its rows_written equals the rows in the table at the kill (one window
# of distinct records into an empty table, so each committed row was written exactly once).
# A run that completes records the same total it printed.
source "$(dirname "$0")/lib.sh"

# 300 records in one window, pages of 50 a second apart: the run lasts about 6 s
mock_start --seed 21 --records 300 --from "2024-01-01 00:00:00" --to "2024-01-01 20:00:00" \
    --now "2024-01-02 00:05:00" --latency-ms 1000
db_create
JOB=$(job_copy wdt_refund 's/^name: wdt_refund/name: runs_abandoned/' 's/batch_rows: [0-9]*/batch_rows: 20/' \
    's/concurrency: 4/concurrency: 1/')
PARENT=aftersales_refund_refund_search

"$SLUICE" run "$JOB" --now "2024-01-02 00:10:00" --quiet >"$WORK/run1.out" 2>&1 &
pid=$!
E2E_PIDS+=("$pid")
committed=0
for _ in $(seq 1 600); do # up to 60 s
    committed=$(db_sql "SELECT COUNT(*) FROM $PARENT" 2>/dev/null || echo 0)
    [ "${committed:-0}" -ge 20 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
kill -9 "$pid" 2>/dev/null || true
rc=0; wait "$pid" 2>/dev/null || rc=$?
[ $rc -eq 137 ] || { cat "$WORK/run1.out"; fail "the first run was not killed mid-way (exit $rc)"; }
committed=$(db_sql "SELECT COUNT(*) FROM $PARENT")
[ "$committed" -ge 20 ] && [ "$committed" -lt 300 ] || fail "$committed rows at the kill, want 20..299"
echo "killed with $committed rows committed"

mock_admin /_admin -X POST -d '{"latency_ms": 0}' >/dev/null
sluice_run "$JOB" --now "2024-01-02 00:10:00"
db_sql "SELECT status, rows_written FROM sluice_runs ORDER BY id" >"$WORK/runs.tsv"
cat "$WORK/runs.tsv"
[ "$(sed -n 1p "$WORK/runs.tsv")" = "$(printf 'abandoned\t%s' "$committed")" ] ||
    fail "the killed run's record is not abandoned with its $committed committed rows"
written=$(awk '$1 == "written" { print $2 }' "$WORK/run.out")
[ "$(sed -n 2p "$WORK/runs.tsv")" = "$(printf 'ok\t%s' "$written")" ] ||
    fail "the completed run's record does not hold the $written rows it printed"
echo "runs_abandoned: ok"

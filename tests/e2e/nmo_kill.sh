#!/usr/bin/env bash
# nmo_kill: crash safety (issue 4). `sluice run` is killed with SIGKILL at random moments,
# again and again. After every kill the watermark must not be ahead of committed data: every
# truth record modified between window.start and the watermark is in the table (the oracle
# with --to WATERMARK finds nothing missing or different). Between kills the source changes.
# When a run completes, the tables are emptied and the state reset, so the next kills hit
# fresh runs again. After a final clean run the oracle finds 0 differences.
# NMO_KILLS and NMO_RECORDS size it (tools/fault-matrix.sh: 100 kills).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"

KILLS=${NMO_KILLS:-5}
RECORDS=${NMO_RECORDS:-2000}
SEED=${NMO_SEED:-7}
START="2024-01-01 00:00:00"
RUN_NOW="2024-01-11 00:10:00"
# ten one-day windows; a little latency so that a run lasts long enough to be hit anywhere
mock_start --seed "$SEED" --records "$RECORDS" --from "$START" --to "2024-01-10 23:59:59" \
    --now "2024-01-11 01:00:00" --latency-ms 5 --jitter-ms 20
db_fresh k
JOB=$(nmo_job 's/batch_rows: 1000/batch_rows: 100/')
t0=$(date +%s)
RANDOM=$SEED

# How long a whole run takes here: the kills fall anywhere in [0, 1.2 x that].
s0=$(date +%s%N)
sluice_run "$JOB" --now "$RUN_NOW"
span_ms=$(( ($(date +%s%N) - s0) / 1000000 * 12 / 10 + 50 ))
db_sql "DELETE FROM aftersales_refund_refund_search_detail; DELETE FROM aftersales_refund_refund_search"
"$SLUICE" state reset "$JOB" >/dev/null

# watermark: prints the job's watermark, or nothing when there is none.
watermark() {
    "$SLUICE" state show "$JOB" | sed -n 's/^job [^:]*: watermark \([0-9-]* [0-9:]*\)$/\1/p'
}

kills=0; runs=1; completed=0; checks=0; locked=0
while [ $kills -lt "$KILLS" ]; do
    "$SLUICE" run "$JOB" --now "$RUN_NOW" --quiet >"$WORK/run.out" 2>&1 &
    pid=$!
    delay_ms=$(( (RANDOM * 32768 + RANDOM) % span_ms ))
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))" # the moment to strike
    runs=$((runs + 1))
    kill -9 "$pid" 2>/dev/null || true
    rc=0; wait "$pid" 2>/dev/null || rc=$?
    case $rc in
    137) kills=$((kills + 1)) ;;          # killed by SIGKILL
    0) completed=$((completed + 1)) ;;    # it finished before the blow
    7) locked=$((locked + 1)) ;;          # the killed run's lock was not yet released: retry
    *) cat "$WORK/run.out" >&2; fail "a run exited $rc" ;;
    esac
    [ $runs -le $((KILLS * 4 + 10)) ] || fail "only $kills kills in $runs runs: the runs are too quick"
    wm=$(watermark)
    if [ -n "$wm" ]; then
        oracle_count --from "$START" --to "$wm"
        checks=$((checks + 1))
        [ $ORACLE_RC -eq 0 ] || { cat "$WORK/oracle.out" >&2;
            fail "after kill $kills at ${delay_ms} ms the watermark $wm is ahead of the data"; }
    fi
    if [ "$wm" = "2024-01-11 00:08:00" ]; then # that run got to the end: start over
        db_sql "DELETE FROM aftersales_refund_refund_search_detail; DELETE FROM aftersales_refund_refund_search"
        "$SLUICE" state reset "$JOB" >/dev/null
    fi
    mock_admin /_admin -X POST -d '{"modify_records": 10, "add_records": 2}' >/dev/null
done

note "final clean run"
sluice_run "$JOB" --now "2024-01-11 02:00:00"
runs=$((runs + 1))
oracle_count
[ $ORACLE_RC -eq 0 ] || { cat "$WORK/oracle.out" >&2; fail "differences after the final run"; }
# The run history tells the killed runs apart: none is left "running", each kill is "abandoned".
[ "$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE status = 'running'")" = 0 ] ||
    fail "runs left marked running after the final run"
abandoned=$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE status = 'abandoned'")
[ "$abandoned" -ge 1 ] && [ "$abandoned" -le "$kills" ] ||
    fail "$abandoned runs marked abandoned for $kills kills"
echo "figures: scenario=kill seeds=1 runs=$runs kills=$kills completed=$completed" \
     "watermark_checks=$checks locked=$locked missed=$ORACLE_MISSING elapsed=$(($(date +%s) - t0))s"
echo "nmo_kill: ok"

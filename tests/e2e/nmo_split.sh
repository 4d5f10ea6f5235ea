#!/usr/bin/env bash
# nmo_split: windows over max_records (issue 4). 1) A day holding four times max_records, with
# a burst of records in one second inside it, is split in halves until each part fits, and
# synced completely (the summary counts the splits; the oracle finds 0 differences). 2) More
# than max_records in one single second can't be split: the run fails loudly (exit 4, the
# message names the window) and the watermark does not pass that second (`sluice state
# show`); the data before it is complete. NMO_RECORDS sizes it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"

RECORDS=${NMO_RECORDS:-2000}
CAP=$((RECORDS / 4))
mock_start --seed 3 --records "$RECORDS" --from "2024-01-01 00:00:00" --to "2024-01-01 23:59:59" \
    --now "2024-01-02 00:30:00"
db_fresh s
JOB=$(nmo_job "s/max_records: 5000/max_records: $CAP/")
t0=$(date +%s)

# burst T N: N new records modified in the one second T; the data clock goes back afterwards.
burst() {
    local back
    back=$(mock_admin /_admin | python3 -c 'import json, sys; print(json.load(sys.stdin)["now"])')
    mock_admin /_admin -X POST -d "{\"now\": \"$1\", \"add_records\": $2}" >/dev/null
    mock_admin /_admin -X POST -d "{\"now\": \"$back\"}" >/dev/null
}

watermark() {
    "$SLUICE" state show "$JOB" | sed -n 's/^job [^:]*: watermark \([0-9-]* [0-9:]*\)$/\1/p'
}

note "a day of $RECORDS records and a burst of $((CAP / 2)) in one second, max_records $CAP"
burst "2024-01-01 12:00:00" $((CAP / 2))
sluice_run "$JOB" --now "2024-01-02 00:10:00"
cat "$WORK/run.out"
splits=$(run_figure splits)
[ "$splits" -ge 3 ] || fail "a window of $RECORDS records with max_records $CAP split only $splits times"
oracle_count
[ $ORACLE_RC -eq 0 ] || { cat "$WORK/oracle.out" >&2; fail "differences after the split run"; }
wm0=$(watermark)
[ "$wm0" = "2024-01-02 00:08:00" ] || fail "watermark $wm0 after the first run"

note "$((CAP + 1)) records in the one second 2024-01-02 06:00:00"
burst "2024-01-02 06:00:00" $((CAP + 1))
run_rc "$JOB" --now "2024-01-02 12:00:00"
cat "$WORK/run.out"
[ $RUN_RC -eq 4 ] || fail "a one-second window over max_records: exit $RUN_RC, want 4"
grep -q "window \[2024-01-02 0[56]:[0-9:]*, 2024-01-02 06:00:0[0-9]\] can.t be split" "$WORK/run.out" ||
    fail "the message does not name the one-second window"
wm1=$(watermark)
[[ "$wm1" < "2024-01-02 06:00:00" ]] && [[ ! "$wm1" < "$wm0" ]] ||
    fail "the watermark moved from $wm0 to $wm1, past the window that failed"
note "again: the run fails the same way and the watermark stays before that second"
run_rc "$JOB" --now "2024-01-02 12:00:00"
[ $RUN_RC -eq 4 ] || fail "the second try exited $RUN_RC, want 4"
wm2=$(watermark)
[[ "$wm2" < "2024-01-02 06:00:00" ]] && [[ ! "$wm2" < "$wm1" ]] ||
    fail "the watermark moved from $wm1 to $wm2"
oracle_count --from "2024-01-01 00:00:00" --to "$wm1"
[ $ORACLE_RC -eq 0 ] || { cat "$WORK/oracle.out" >&2; fail "the data before the watermark is incomplete"; }
echo "figures: scenario=split runs=3 splits=$splits missed=0 failed_window_exit=$RUN_RC" \
     "watermark=$wm0..$wm1 elapsed=$(($(date +%s) - t0))s"
echo "nmo_split: ok"

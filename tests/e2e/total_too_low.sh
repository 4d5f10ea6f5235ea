#!/usr/bin/env bash
# total_too_low: an API whose total_count is lower than the records its pages hold (issue 9,
# item 6: 120 records, total 50, used to exit 0 having skipped 70 and moved the watermark past
# them). The pages contradict the total: the window is read again, then the run fails with exit
# 4 naming the window and the counts, and the watermark stays where it was. Two shapes: a total
# that is a whole number of pages (50: only the page after the last shows the extra records)
# and one that is not (45: the last page holds more than the total leaves for it). Once the
# API tells the truth again, the next run loses nothing (oracle).
source "$(dirname "$0")/lib.sh"

# About 120 records a day: each one-day window holds more than either total below.
mock_start --seed 7 --records 480 --from "2024-01-01 00:00:00" --to "2024-01-04 23:59:59" \
    --now "2024-01-05 00:05:00"
db_create
# One window in flight: with several, another window may use up its re-reads first, and the
# message would name that one.
JOB=$(job_copy wdt_refund 's/^    concurrency: 4$/    concurrency: 1/')
grep -q "^    concurrency: 1$" "$JOB" || fail "could not set concurrency 1 in the job copy"

watermark() { db_sql "SELECT watermark_text FROM sluice_state WHERE job='wdt_refund'"; }

note "a first run up to 2024-01-02 00:08 with the true totals"
sluice_run "$JOB" --now "2024-01-02 00:10:00"
WM=$(watermark)
[ "$WM" = "2024-01-02 00:08:00" ] || fail "watermark after the first run is '$WM'"
# The next run's first window: from the watermark less the 5-minute overlap, one day long.
WIN="window \[2024-01-02 00:03:00, 2024-01-03 00:03:00\]"

# too_low CAP PAGE HOLDS ALLOWS: with total_count capped at CAP, the run fails on the first
# window's page PAGE holding HOLDS records where the total allows ALLOWS.
too_low() {
    mock_admin /_admin -X POST -d "{\"total-cap\": $1}" >/dev/null
    local rc=0
    "$SLUICE" run "$JOB" --now "2024-01-05 00:10:00" --quiet >"$WORK/run.out" 2>&1 || rc=$?
    cat "$WORK/run.out"
    [ $rc -eq 4 ] || fail "total $1: the run exited $rc, want 4"
    grep -q "$WIN: page $2 holds $3 records, more than the total $1 leaves for it ($4)" \
        "$WORK/run.out" || fail "total $1: the message does not name the window and the counts"
    grep -q "after 3 re-reads; the watermark stays before it" "$WORK/run.out" ||
        fail "total $1: the window was not read again before failing"
    [ "$(run_rereads)" -eq 3 ] || fail "total $1: $(run_rereads) re-reads in the summary, want 3"
    [ "$(watermark)" = "$WM" ] || fail "total $1: the watermark moved to $(watermark)"
    [ "$(db_sql "SELECT status FROM sluice_runs ORDER BY id DESC LIMIT 1")" = source ] ||
        fail "total $1: the run record does not say source"
}
# run_rereads: the re-reads of the last run's summary ("windows N (S split, R re-read)").
run_rereads() { awk '$1 == "windows" { gsub(/[(,]/, ""); print $5 }' "$WORK/run.out"; }

note "total 50 (a whole page): the page after the last is not empty"
too_low 50 1 50 0
note "total 45: the last page holds more than 45"
too_low 45 0 50 45

note "the API tells the truth again: nothing was lost"
mock_admin /_admin -X POST -d '{"total-cap": 0}' >/dev/null
sluice_run "$JOB" --now "2024-01-05 00:10:00"
oracle_ok
echo "total_too_low: ok"

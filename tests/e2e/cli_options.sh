#!/usr/bin/env bash
# cli_options: the options of run, state and verify that need the database and the API, each
# for what it does (tests/cli checks every command's parser offline): run --no-migrate creates
# no table, --max-windows stops after that many windows, --record saves the replies and
# --replay runs from them with the API gone, state reset --to sets the watermark, verify
# --quiet keeps stderr empty.
source "$(dirname "$0")/lib.sh"

mock_start --seed 4 --records 300 --from "2024-01-01 00:00:00" --to "2024-01-03 23:59:59" \
    --now "2024-01-04 01:00:00"
db_create
JOB=$(job_copy wdt_refund)
NOW="2024-01-04 00:10:00"
tables() { db_sql "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()
                   AND table_name LIKE 'aftersales%'"; }
rows() { db_sql "SELECT COUNT(*) FROM aftersales_refund_refund_search"; }
watermark() { "$SLUICE" state show "$JOB" | sed -n 's/^job [^:]*: watermark //p'; }

note "run --no-migrate on an empty database touches no table definition"
rc=0; "$SLUICE" run "$JOB" --now "$NOW" --no-migrate --quiet >"$WORK/nm.out" 2>&1 || rc=$?
cat "$WORK/nm.out"
[ $rc -eq 5 ] || fail "run --no-migrate without its tables exited $rc, want 5"
[ "$(tables)" -eq 0 ] || fail "run --no-migrate created tables"
# The run failed before it planned its range: the summary says so rather than inventing 1970.
grep -q "^  range       (none) .. (none)$" "$WORK/nm.out" || fail "the summary's range is not (none)"
grep -q "1970" "$WORK/nm.out" && fail "the summary shows a 1970 time"

note "run --max-windows 1 --record DIR: one window, its replies saved"
"$SLUICE" migrate "$JOB" >/dev/null
mkdir "$WORK/rec"
sluice_run "$JOB" --now "$NOW" --no-migrate --max-windows 1 --record "$WORK/rec"
cat "$WORK/run.out"
[ "$(summary_field windows)" -eq 1 ] || fail "--max-windows 1 ran $(summary_field windows) windows"
first_rows=$(rows)
[ "$first_rows" -gt 0 ] || fail "the first window wrote no rows"
[ -n "$(ls "$WORK/rec")" ] || fail "--record saved no reply"
[ "$(watermark)" = "2024-01-02 00:00:00" ] || fail "watermark after one window: $(watermark)"

note "state reset --to T sets the watermark"
"$SLUICE" state reset "$JOB" --to "2024-01-01 12:00:00" >"$WORK/state.out"
grep -q "watermark 2024-01-01 12:00:00$" "$WORK/state.out" || fail "state reset --to: $(cat "$WORK/state.out")"
[ "$(watermark)" = "2024-01-01 12:00:00" ] || fail "state show after reset --to: $(watermark)"

note "verify --quiet: the report on stdout, nothing on stderr"
rc=0; "$SLUICE" verify "$JOB" --from "2024-01-01 00:00:00" --to "2024-01-01 23:59:59" --now "$NOW" \
    --quiet >"$WORK/verify.out" 2>"$WORK/verify.err" || rc=$?
cat "$WORK/verify.out" "$WORK/verify.err"
[ $rc -eq 0 ] || fail "verify of the synced window exited $rc"
[ ! -s "$WORK/verify.err" ] || fail "verify --quiet wrote to stderr"
grep -q "^verify .*: 1 windows, 0 with gaps" "$WORK/verify.out" || fail "no verify report"

note "run --replay DIR into emptied tables, the API gone: the same rows"
kill "$MOCK_PID"
wait "$MOCK_PID" 2>/dev/null || true
db_sql "DELETE FROM aftersales_refund_refund_search_detail"
db_sql "DELETE FROM aftersales_refund_refund_search"
"$SLUICE" state reset "$JOB" >/dev/null
sluice_run "$JOB" --now "$NOW" --max-windows 1 --replay "$WORK/rec"
[ "$(rows)" -eq "$first_rows" ] || fail "--replay wrote $(rows) rows, the live run $first_rows"
echo "cli_options: ok"

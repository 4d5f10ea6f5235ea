#!/usr/bin/env bash
# guess_wdt: `sluice guess` on replies recorded from wdt-mock, end to end. The shipped job
# records four windows (overlapping by 5 minutes, one of three pages) from a seeded mock; guess
# turns the recording into a job, which must validate, and a run of it over the recording
# (`run --replay`) must land every record in the real MariaDB. The oracle then checks every
# column the guessed job kept in the parent table and the child tables it can key (one bigint),
# against the mock's ground truth, under rules restated from the guessed job's types.
source "$(dirname "$0")/lib.sh"

FROM="2024-06-01 00:00:00" TO="2024-06-03 23:59:59"
mock_start --seed 5 --records 300 --from "$FROM" --to "$TO" --now "2024-06-04 00:05:00"
db_create
JOB=$(job_copy wdt_refund)
mkdir "$WORK/rec"
"$SLUICE" dry-run "$JOB" --record "$WORK/rec" --from "$FROM" --to "$TO" --max-windows 10 \
    --quiet >/dev/null 2>"$WORK/record.err" || { cat "$WORK/record.err" >&2; fail "recording failed"; }
[ "$(ls "$WORK/rec" | wc -l)" -ge 6 ] || fail "the recording holds too few replies"

note "guess"
(cd "$WORK" && env -i PATH="$PATH" "$SLUICE" guess --replay rec) >"$WORK/guessed.yml" 2>"$WORK/guess.err" ||
    { cat "$WORK/guess.err" >&2; fail "sluice guess failed"; }
sed -n '1,/^columns:/p' "$WORK/guessed.yml" | grep -v '^    # ' 
env -i PATH="$PATH" "$SLUICE" validate "$WORK/guessed.yml" || fail "the guessed job does not validate"
grep -q '^  records: response.data.order ' "$WORK/guessed.yml" || fail "records path not found"
grep -q '^    total: response.data.total_count ' "$WORK/guessed.yml" || fail "total not found"
grep -q '^    size: 50 ' "$WORK/guessed.yml" || fail "page size not 50"
grep -q '^    overlap: 5m$' "$WORK/guessed.yml" || fail "overlap not 5m"
grep -q '^  key: \[refund_id\]' "$WORK/guessed.yml" || fail "key not refund_id"

note "run the guessed job over the recording"
cmd=$(sed -n 's/^#   sluice dry-run JOB.yml --replay rec //p' "$WORK/guessed.yml")
[ "$cmd" = "--from \"$FROM\" --to \"$TO\" --max-windows 4" ] || fail "header command: $cmd"
ORDER_ENDPOINT=http://127.0.0.1:1/unused sluice_run "$WORK/guessed.yml" --replay "$WORK/rec" \
    --from "$FROM" --to "$TO"
cat "$WORK/run.out"
grep -q "0 rejects" "$WORK/run.out" || fail "the guessed job rejected records"
rows=$(db_sql 'SELECT COUNT(*) FROM `order`')
truth=$(mock_admin /_truth | wc -l)
[ "$rows" -eq "$truth" ] || fail "$rows rows in the table, $truth records in the truth"

note "the oracle, on every column the guessed job kept"
python3 "$(dirname "$0")/guess_rules.py" "$WORK/guessed.yml" >"$WORK/guessed.rules"
cat "$WORK/guessed.rules"
kept=$(grep -c '^col ' "$WORK/guessed.rules")
[ "$kept" -ge 100 ] || fail "only $kept columns restated for the oracle"
oracle_ok --rules "$WORK/guessed.rules"
echo "guess_wdt: ok ($kept columns checked)"

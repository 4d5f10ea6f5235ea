#!/usr/bin/env bash
# guess_rest: `sluice guess` on replies recorded from the second fixture API (tools/rest-mock:
# ISO-8601 times in several zones, money as strings, ids past 2^53 as strings, nested objects,
# line items). A hand-written job records a week of orders; guess turns the recording into a
# job, which must validate, and a run of it over the recording must land every order. The
# oracle then checks every column the guessed job kept that it can restate (guess_rules.py)
# against the mock's truth.
source "$(dirname "$0")/lib.sh"

rest_start --seed 11 --orders 240 --auth none --strict-params 0 --window-format iso
db_create
cat >"$WORK/record.yml" <<YML
version: 1
name: rest_record
source:
  endpoint: $REST_URL/v1/page/orders
  method: orders
  signer: { type: none }
  window: { from_param: updated_from, to_param: updated_to, format: iso8601,
            timezone: "+08:00", start: "2024-03-01 00:00:00", max_span: 1d }
  paging: { page_param: page, size_param: per_page, first_page: 1, size: 20, total: total }
  records: data
target: { dsn: "\${env:SLUICE_DB}", table: rest_record, key: [id] }
columns:
  id: { path: id, type: bigint, required: true }
YML
FROM="2024-03-01 00:00:00" TO="2024-03-08 00:00:00"
mkdir "$WORK/rec"
"$SLUICE" dry-run "$WORK/record.yml" --record "$WORK/rec" --from "$FROM" --to "$TO" \
    --max-windows 20 --quiet >/dev/null 2>"$WORK/record.err" ||
    { cat "$WORK/record.err" >&2; fail "recording failed"; }

note "guess"
(cd "$WORK" && env -i PATH="$PATH" "$SLUICE" guess --replay rec) >"$WORK/guessed.yml" 2>"$WORK/guess.err" ||
    { cat "$WORK/guess.err" >&2; fail "sluice guess failed"; }
grep -v '^    # ' "$WORK/guessed.yml"
env -i PATH="$PATH" "$SLUICE" validate "$WORK/guessed.yml" || fail "the guessed job does not validate"
grep -q '^  records: data ' "$WORK/guessed.yml" || fail "records path not found"
grep -q '^    total: total ' "$WORK/guessed.yml" || fail "total not found"
grep -q '^    size: 20 ' "$WORK/guessed.yml" || fail "page size not 20"
grep -q '^    first_page: 1$' "$WORK/guessed.yml" || fail "first page not 1"
grep -q '^  key: \[id\]' "$WORK/guessed.yml" || fail "key not id"

note "run the guessed job over the recording"
args=$(sed -n 's/^#   sluice dry-run JOB.yml --replay rec //p' "$WORK/guessed.yml")
eval "set -- $args"
DATA_ENDPOINT=http://127.0.0.1:1/unused sluice_run "$WORK/guessed.yml" --replay "$WORK/rec" "$@"
cat "$WORK/run.out"
grep -q "0 rejects" "$WORK/run.out" || fail "the guessed job rejected records"
[ "$(db_sql 'SELECT COUNT(*) FROM `data`')" -eq 240 ] || fail "not every order landed"

note "the oracle, on every column the guessed job kept"
python3 "$(dirname "$0")/guess_rules.py" "$WORK/guessed.yml" >"$WORK/guessed.rules"
cat "$WORK/guessed.rules"
kept=$(grep -c '^col ' "$WORK/guessed.rules")
[ "$kept" -ge 20 ] || fail "only $kept columns restated for the oracle"
"$ORACLE" --truth "$REST_URL/_truth?resource=orders" --db "$SLUICE_DB" \
    --rules "$WORK/guessed.rules" >"$WORK/oracle.out" 2>&1 ||
    { cat "$WORK/oracle.out" >&2; fail "the oracle found differences"; }
tail -n 4 "$WORK/oracle.out"
echo "guess_rest: ok ($kept columns checked)"

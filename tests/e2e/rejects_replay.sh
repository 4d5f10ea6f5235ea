#!/usr/bin/env bash
# rejects_replay: issue 12 item 6 against tools/rest-mock and MariaDB. A too-strict pattern and
# a wrong converter reject records; `sluice rejects list` and `show` print them; after the
# mapping is fixed, `rejects replay --dry-run` changes nothing, `rejects replay` writes their
# rows (the oracle finds 0 rows wrong) and empties the reject table. A replay under a mapping
# that still rejects some keeps them, same ids, with their new reason (exit 1). A replay killed
# while blocked inside a chunk's transaction loses nothing: every record is a row or a reject,
# never both or neither, and the next replay finishes the job.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"
source "$(dirname "$0")/quality/common.sh"

rest_start --seed 11 --orders 240 --auth none --strict-params 0
n_rejects() { db_sql "SELECT COUNT(*) FROM sluice_rejects"; }
n_rows() { db_sql "SELECT COUNT(*) FROM rest_orders"; }
# replay JOB [args...]: `sluice rejects replay`, its exit status into $rc, output in $WORK/replay.out.
replay() {
    rc=0
    "$SLUICE" rejects replay "$@" --quiet >"$WORK/replay.out" 2>&1 || rc=$?
    cat "$WORK/replay.out"
}

note "a too-strict pattern rejects the orders past SO-0000xxxx"
db_fresh pattern
STRICT="quality:
  - { name: number_format, column: number, pattern: '^SO-0000\\d{4}\$' }"
JOB=$(orders_job rejects_replay "$STRICT")
sluice_run "$JOB" "${NOW[@]}"
want=$(rest_admin "/_truth?resource=orders" | jq -r .number | grep -cv '^SO-0000')
[ "$want" -gt 100 ] || fail "only $want orders fail the strict pattern"
[ "$(n_rejects)" = "$want" ] || fail "$(n_rejects) rejects, want $want"
[ "$(n_rows)" = $((240 - want)) ] || fail "$(n_rows) rows, want $((240 - want))"

note "rejects list and show"
"$SLUICE" rejects list "$JOB" >"$WORK/list.tsv" 2>"$WORK/list.err"
[ "$(head -1 "$WORK/list.tsv")" = $'id\tcreated_at\trule\tkey\treason' ] || fail "list header"
[ "$(tail -n +2 "$WORK/list.tsv" | cut -f3 | sort -u)" = number_format ] || fail "list: rules"
[ "$(tail -n +2 "$WORK/list.tsv" | wc -l)" = "$want" ] || fail "list: count"
grep -q "rejects_replay: $want rejects" "$WORK/list.err" || fail "list: the count line"
[ "$("$SLUICE" rejects list "$JOB" --rule nope 2>/dev/null | wc -l)" = 1 ] || fail "--rule selects"
id=$(sed -n 2p "$WORK/list.tsv" | cut -f1)
key=$(sed -n 2p "$WORK/list.tsv" | cut -f4)
"$SLUICE" rejects show "$JOB" "$id" >"$WORK/show.out"
grep -q "^rule        number_format$" "$WORK/show.out" || fail "show: rule"
grep -q "^key         $key$" "$WORK/show.out" || fail "show: key"
grep -q "\"id\": \"$key\"" "$WORK/show.out" || fail "show: the record"
rc=0
"$SLUICE" rejects show "$JOB" 999999 >/dev/null 2>&1 || rc=$?
[ $rc -eq 1 ] || fail "show of a missing id exited $rc, want 1"
rc=0
"$SLUICE" rejects list "$JOB" 12x >/dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || fail "a bad id exited $rc, want 2"

note "the mapping fixed: --dry-run changes nothing, replay writes every row and empties the table"
JOB=$(orders_job rejects_replay "quality:
  - { name: number_format, column: number, pattern: '^SO-\\d{8}\$' }")
replay "$JOB" --dry-run
[ $rc -eq 0 ] || fail "dry run exited $rc"
[ "$(grep -c $'\twould be written$' "$WORK/replay.out")" = "$want" ] || fail "dry run verdicts"
grep -q "(dry run: nothing changed): $want would be written, 0 still failing" "$WORK/replay.out" ||
    fail "dry run summary"
[ "$(n_rejects)" = "$want" ] && [ "$(n_rows)" = $((240 - want)) ] || fail "the dry run changed something"
replay "$JOB"
[ $rc -eq 0 ] || fail "replay exited $rc, want 0"
grep -q "$want written, 0 still failing" "$WORK/replay.out" || fail "replay summary"
[ "$(n_rejects)" = 0 ] || fail "$(n_rejects) rejects left after the replay"
orders_oracle_ok

note "a wrong converter (paid_at read as text), fixed; a rule that still rejects some"
db_fresh converter
sed 's/paid_at, type: datetime, from: epoch_s/paid_at, type: datetime, from: string/' \
    "$(orders_job rejects_replay "")" >"$WORK/wrong.yml"
sluice_run "$WORK/wrong.yml" "${NOW[@]}"
want=$(rest_admin "/_truth?resource=orders" | jq -r 'select(.paid_at != null) | .id' | wc -l)
[ "$(n_rejects)" = "$want" ] || fail "$(n_rejects) converter rejects, want $want"
db_sql "SELECT id FROM sluice_rejects" | sort >"$WORK/ids.before"
STILL="quality:
  - { name: not_refunded, column: status, values: [pending, paid, shipped, completed, cancelled] }"
JOB=$(orders_job rejects_replay "$STILL")
replay "$JOB"
[ $rc -eq 1 ] || fail "a replay leaving rejects exited $rc, want 1"
refunded=$(rest_admin "/_truth?resource=orders" | jq -r 'select(.paid_at != null and .status == "refunded") | .id' | wc -l)
[ "$refunded" -gt 0 ] || fail "no paid refunded order: the test proves nothing"
[ "$(n_rejects)" = "$refunded" ] || fail "$(n_rejects) rejects kept, want $refunded"
[ "$(db_sql "SELECT COUNT(*) FROM sluice_rejects WHERE reason = 'rule not_refunded: ''refunded'' is not one of the allowed values' AND column_name = 'status'")" = "$refunded" ] ||
    fail "the kept rejects do not hold their new reason"
db_sql "SELECT id FROM sluice_rejects" | sort | comm -13 "$WORK/ids.before" - | grep -q . &&
    fail "a kept reject got a new id"
[ $(( $(n_rows) + refunded )) = 240 ] || fail "rows $(n_rows) + kept $refunded != 240"

note "a replay killed inside a chunk's transaction loses nothing"
db_fresh kill
sluice_run "$(orders_job rejects_replay "$STRICT")" "${NOW[@]}"
total=$(n_rejects)
sed 's/max_rejects: 1000/max_rejects: 1000\n  batch_rows: 10/' "$(orders_job rejects_replay "quality:
  - { name: number_format, column: number, pattern: '^SO-\\d{8}\$' }")" >"$WORK/fixed10.yml"
# another session holds the 35th reject's row: the replay settles 3 chunks of 10, then waits
# in the 4th chunk's DELETE until it is killed
lock_id=$(db_sql "SELECT id FROM sluice_rejects ORDER BY id LIMIT 34, 1")
db_sql "START TRANSACTION; SELECT id FROM sluice_rejects WHERE id = $lock_id FOR UPDATE; SELECT SLEEP(120);" \
    >/dev/null 2>&1 &
locker=$!
E2E_PIDS+=("$locker")
for _ in $(seq 1 200); do
    [ "$(db_sql "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(120)%'")" = 1 ] && break
    sleep 0.05
done
"$SLUICE" rejects replay "$WORK/fixed10.yml" --quiet >"$WORK/killed.out" 2>&1 &
victim=$!
E2E_PIDS+=("$victim")
for _ in $(seq 1 400); do
    [ "$(db_sql "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'")" = 1 ] && break
    sleep 0.05
done
[ "$(n_rejects)" = $((total - 30)) ] || fail "before the kill: $(n_rejects) rejects, want $((total - 30))"
kill -9 "$victim"
wait "$victim" 2>/dev/null || true
locker_id=$(db_sql "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(120)%'")
db_sql "KILL $locker_id"
wait "$locker" 2>/dev/null || true
rows=$(n_rows)
[ $((rows + $(n_rejects))) = 240 ] || fail "after the kill: $rows rows + $(n_rejects) rejects != 240"
[ "$(db_sql "SELECT COUNT(*) FROM rest_orders o JOIN sluice_rejects r ON r.record_key = o.id")" = 0 ] ||
    fail "a record is both a row and a reject"
replay "$WORK/fixed10.yml"
[ $rc -eq 0 ] || fail "the replay after the kill exited $rc"
[ "$(n_rejects)" = 0 ] || fail "$(n_rejects) rejects left"
orders_oracle_ok
echo "rejects_replay: ok"

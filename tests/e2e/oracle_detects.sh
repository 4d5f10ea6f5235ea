#!/usr/bin/env bash
# oracle_detects: proves the oracle can fail. Loads the truth into fresh tables with the oracle's
# own loader, pins a few conversions against hand-computed values, checks a clean comparison
# exits 0 and a window restriction ignores the rows outside it, then deletes a row, changes a
# value, adds an extra row and removes a goods line, and checks each is reported (exit 1, counts).
# Runs on the hand-written truth file, and against the wdt-mock's /_truth when it is built.
. "$(dirname "$0")/lib.sh"

P=aftersales_refund_refund_search
C=aftersales_refund_refund_search_detail

# counts TABLE: "missing M extra E differing D" from the oracle's report in $WORK/out.
counts() { sed -n "s/^$1: .*missing \([0-9]*\), extra \([0-9]*\), differing \([0-9]*\) .*/missing \1 extra \2 differing \3/p" "$WORK/out"; }

# judge WANT_RC [oracle args...]: runs the oracle into $WORK/out and checks its exit code.
judge() {
    local want=$1 rc=0
    shift
    "$ORACLE" --truth "$TRUTH" --db "$SLUICE_DB" "$@" >"$WORK/out" 2>&1 || rc=$?
    cat "$WORK/out"
    [ "$rc" -eq "$want" ] || fail "oracle exited $rc, want $want"
}

expect_counts() {
    local got
    got=$(counts "$1")
    [ "$got" = "$2" ] || fail "$1: got '$got', want '$2'"
}

# fresh_tables SUFFIX: a new database (named after the test and SUFFIX) with the rules' tables,
# loaded with the truth.
fresh_tables() {
    E2E_NAME=oracle_detects_$1 db_create
    db_sql "$("$ORACLE" --ddl)"
    "$ORACLE" --truth "$TRUTH" --db "$SLUICE_DB" --load >/dev/null
}

# mutate_and_check PARENT_KEY_A PARENT_KEY_B CHILD_KEY: the four kinds of damage, each reported.
mutate_and_check() {
    local a=$1 b=$2 child=$3
    note "damage: delete $P $a, change $P $b, add $P 999999999, delete $C $child"
    db_sql "DELETE FROM $P WHERE refund_id=$a"
    db_sql "UPDATE $P SET remark='tampered' WHERE refund_id=$b"
    db_sql "INSERT INTO $P (refund_id, modified) VALUES (999999999, '2024-01-02 00:00:00')"
    db_sql "DELETE FROM $C WHERE rec_id=$child"
    judge 1 --max-print 50
    expect_counts "$P" "missing 1 extra 1 differing 1"
    expect_counts "$C" "missing 1 extra 0 differing 0"
    grep -q "differ  $P refund_id=$b remark: want .* got \"tampered\"" "$WORK/out" || fail "no example of the changed cell"
    grep -q "missing $P refund_id=$a" "$WORK/out" || fail "no example of the missing row"
    grep -q "extra   $P refund_id=999999999" "$WORK/out" || fail "no example of the extra row"
    grep -q "missing $C rec_id=$child" "$WORK/out" || fail "no example of the missing goods line"
    note "damage: a decimal off by 0.0001 and a NULL where a value belongs"
    db_sql "UPDATE $C SET refund_amount = refund_amount + 0.0001 WHERE refund_id=$b"
    db_sql "UPDATE $P SET shop_no=NULL WHERE refund_id=$b"
    judge 1
    expect_counts "$C" "missing 1 extra 0 differing $(db_sql "SELECT COUNT(*) FROM $C WHERE refund_id=$b")"
    grep -q "differ  $P refund_id=$b shop_no: want \".*\" got NULL" "$WORK/out" || fail "NULL not reported"
}

note "hand-written truth"
TRUTH=file:$SLUICE_SRC/tools/oracle/sample_truth.jsonl
fresh_tables file
# conversions pinned by hand (epoch ms 1704038400123 is 2024-01-01 00:00:00.123 at +08:00)
[ "$(db_sql "SELECT modified, created FROM $P WHERE refund_id=1000")" = "$(printf '2024-01-01 00:00:00\t2023-12-31 23:00:00')" ] || fail "epoch_ms conversion"
[ "$(db_sql "SELECT CHAR_LENGTH(remark), settle_time IS NULL, fenxiao_nick_name FROM $P WHERE refund_id=1001")" = "$(printf '1024\t1\t')" ] || fail "truncate / empty time / default"
[ "$(db_sql "SELECT return_goods_count, created IS NULL, return_goods_amount, fenxiao_nick_name FROM $P WHERE refund_id=1004")" = "$(printf '0.0000\t1\t119.8000\t')" ] || fail "absent field default"
[ "$(db_sql "SELECT return_goods_amount, actual_refund_amount, fenxiao_nick_name FROM $P WHERE refund_id=1000")" = "$(printf '119.8000\t119.8000\t分销商0')" ] || fail "decimal / text"
[ "$(db_sql "SELECT refund_id, is_guarantee, CHAR_LENGTH(goods_name), price FROM $C WHERE rec_id=10051")" = "$(printf '1005\t1\t3\t6.4900')" ] || fail "child row"
[ "$(db_sql "SELECT CHAR_LENGTH(goods_name) FROM $C WHERE rec_id=10050")" = 255 ] || fail "goods_name truncate"
[ "$(db_sql "SELECT COUNT(*) FROM $P")/$(db_sql "SELECT COUNT(*) FROM $C")" = 12/30 ] || fail "row counts"
judge 0
expect_counts "$P" "missing 0 extra 0 differing 0"
note "window: only records modified in [2024-01-04, 2024-01-10 00:00:00]"
judge 0 --from "2024-01-04 00:00:00" --to "2024-01-10 00:00:00"
grep -q "^$P: expected 3, found 12, missing 0, extra 0, differing 0 (cells 0), ignored 9" "$WORK/out" || fail "window counts"
mutate_and_check 1003 1005 10072

if [ -x "$WDT_MOCK" ]; then
    note "wdt-mock truth"
    mock_start --seed 11 --records 500 --from "2024-01-01 00:00:00" --to "2024-01-31 23:59:59"
    TRUTH=$MOCK_URL
    fresh_tables mock
    judge 0
    a=$(db_sql "SELECT refund_id FROM $P ORDER BY refund_id LIMIT 1")
    b=$(db_sql "SELECT refund_id FROM $P ORDER BY refund_id DESC LIMIT 1")
    child=$(db_sql "SELECT rec_id FROM $C WHERE refund_id <> $a ORDER BY rec_id LIMIT 1")
    mutate_and_check "$a" "$b" "$child"
else
    note "no wdt-mock built: skipped the mock part"
fi
note "ok"

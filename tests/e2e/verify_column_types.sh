#!/usr/bin/env bash
# verify_column_types: `sluice verify` counts a window's rows whatever the type of
# target.window_column (issue 11 item 5): a BIGINT of epoch milliseconds, a VARCHAR of the
# API's own "YYYY-MM-DD HH:MM:SS" text, and the DATETIME of the shipped job. After a full sync
# each finds no gap (exit 0); after 5 rows of 2024-01-02 are deleted it exits 1 and lists that
# day's window with 5 missing. (Before, the BIGINT column was compared with DATETIME text and
# every window showed all its records missing.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"

mock_start --seed 9 --records 300 --from "2024-01-01 00:00:00" --to "2024-01-03 23:59:59" \
    --now "2024-01-04 01:00:00"
V=(--from "2024-01-01 00:00:00" --to "2024-01-04 00:00:00" --now "2024-01-04 00:10:00")
T=aftersales_refund_refund_search

# check_type SUFFIX COLUMN_LINE DELETE_WHERE: syncs with the parent's `modified` column written
# as COLUMN_LINE, verifies, deletes 5 rows matching DELETE_WHERE, verifies again.
check_type() {
    note "window column $2"
    db_fresh "$1"
    local job rc
    job=$(nmo_job "s/^  modified: .*\$/  modified: $2/")
    sluice_run "$job" --now "2024-01-04 00:10:00"
    rc=0; "$SLUICE" verify "$job" "${V[@]}" >"$WORK/verify.out" 2>&1 || rc=$?
    cat "$WORK/verify.out"
    [ $rc -eq 0 ] || fail "$1: verify exited $rc after a full sync, want 0"
    db_sql "DELETE FROM $T WHERE $3 LIMIT 5"
    rc=0; "$SLUICE" verify "$job" "${V[@]}" >"$WORK/verify.out" 2>&1 || rc=$?
    cat "$WORK/verify.out"
    [ $rc -eq 1 ] || fail "$1: verify exited $rc with 5 rows missing, want 1"
    grep -Eq "^2024-01-0[12] [0-9:]+ +2024-01-0[23] [0-9:]+ +[0-9]+ +[0-9]+ +5$" \
        "$WORK/verify.out" || fail "$1: verify does not list the window of 2024-01-02 with 5 missing"
    grep -q "1 with gaps" "$WORK/verify.out" || fail "$1: verify should find one window with gaps"
}

# 2024-01-02 01:00 .. 22:00 +08:00 as epoch ms: 1704128400000 .. 1704204000000.
check_type ms "{ path: modified, type: bigint, required: true }" \
    "modified BETWEEN 1704128400000 AND 1704204000000"
check_type text "{ path: modified_date, type: \"varchar(19)\", required: true }" \
    "modified BETWEEN '2024-01-02 01:00:00' AND '2024-01-02 22:00:00'"
check_type datetime "{ path: modified, type: datetime, from: epoch_ms, timezone: \"+08:00\", required: true }" \
    "modified BETWEEN '2024-01-02 01:00:00' AND '2024-01-02 22:00:00'"
echo "verify_column_types: ok"

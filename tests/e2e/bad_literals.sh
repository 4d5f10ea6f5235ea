#!/usr/bin/env bash
# bad_literals: values jansson cannot represent (a 30-digit integer, 1e400, \u0000, invalid
# UTF-8, a lone surrogate) stop nothing (issue 9 item 7). wdt-mock --bad-literals 10 puts them
# in unread fields of every 10th record (those land as usual), a 28-digit trade_id in the next
# and a remark starting with byte 0xff in the one after (those two become rejects with their
# raw text and reason). The run exits 0; the oracle (whose truth leaves the rejected records
# out) finds the tables exact; each rejected record is in sluice_rejects once.
source "$(dirname "$0")/lib.sh"

mock_start --seed 11 --records 400 --from "2024-03-01 00:00:00" --to "2024-03-03 23:59:59" \
    --now "2024-03-04 00:05:00" --bad-literals 10
db_create
JOB=$(job_copy wdt_refund 's/max_rejects: 0/max_rejects: 1000/')
sluice_run "$JOB" --now "2024-03-04 00:10:00"
cat "$WORK/run.out"
[ "$(summary_field records)" -ge 400 ] || fail "fewer records received than seeded"

# The mock's ids start at 1130000: ids ending in 1 carry the long trade_id, in 2 the bad remark.
n_trade=$(db_sql "SELECT COUNT(*) FROM sluice_rejects WHERE record_key LIKE '%1' AND reason LIKE 'value cannot be represented: an integer out of range (%' AND raw LIKE '%\"trade_id\":%000000000000000000000,%'")
n_remark=$(db_sql "SELECT COUNT(*) FROM sluice_rejects WHERE record_key LIKE '%2' AND reason LIKE 'value cannot be represented: invalid UTF-8 (%' AND raw LIKE CONCAT('%\"remark\":\"', _utf8mb4 X'EFBFBD', '%')")
n_all=$(db_sql "SELECT COUNT(*) FROM sluice_rejects")
n_distinct=$(db_sql "SELECT COUNT(DISTINCT record_key) FROM sluice_rejects")
echo "rejects: $n_all ($n_trade trade_id, $n_remark remark, $n_distinct distinct keys)"
[ "$n_trade" -ge 30 ] || fail "expected about 40 trade_id rejects, found $n_trade"
[ "$n_remark" -ge 30 ] || fail "expected about 40 remark rejects, found $n_remark"
[ "$n_all" -eq $((n_trade + n_remark)) ] || fail "other rejects: $n_all in all"
[ "$n_distinct" -eq "$n_all" ] || fail "a record rejected twice"
[ "$(summary_field written)" -gt 0 ] || fail "nothing written"
# Records with bad literals in unread fields landed: ids ending in 0 are in the table.
n_unread=$(db_sql "SELECT COUNT(*) FROM aftersales_refund_refund_search WHERE refund_id % 10 = 0")
[ "$n_unread" -ge 30 ] || fail "records with bad unread fields missing: $n_unread"
oracle_ok
echo "bad_literals: ok"

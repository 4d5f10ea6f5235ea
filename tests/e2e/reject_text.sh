#!/usr/bin/env bash
# reject_text: a bad value that quotes outside text is a reject that lands, never a stopped job
# (issue 9 items 2 and 12). The mock serves real records with three hostile values: 18 Chinese
# characters in an int column (the reason's 40-byte excerpt once ended mid-character, the reject
# INSERT failed with 1366, the batch rolled back, exit 5 on every rerun), terminal escapes, CR
# and LF in an int column, and 15 Chinese characters in a bool column of a child table whose
# name makes "table.column" longer than column_name's 64 characters. Each reject row holds the
# exact reason (cut on a character, "..." after a cut, controls escaped), the run exits 0 and
# writes every other record. With max_rejects: 0 the run exits 6 and the reject table it points
# to holds the reject.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"

mock_start --seed 11 --records 40 --from "2024-01-01 00:00:00" --to "2024-01-01 20:00:00" \
    --now "2024-01-02 00:05:00"
LONG_CHILD=refund_goods_lines_with_a_long_name_kept_from_the_old_system_x # 62 characters
HAN18=一二三四五六七八九十一二三四五六七八
SHI15=是是是是是是是是是是是是是是是

# set_field N FIELD JSON: record N of the mock (in modified order) gets FIELD = JSON.
set_field() {
    mock_admin /_admin -X POST -d "{\"set_field\": {\"record\": $1, \"field\": \"$2\", \"value\": $3}}" \
        >/dev/null
}
set_field 3 stockin_status "\"$HAN18\""
set_field 7 type '"1\u001b]0;pwned\u0007\r\nFORGED"'
# record 11's first goods line gets a Chinese is_guarantee (the child's bool column)
lines=$(mock_admin /_truth | sed -n 12p | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
r["detail_list"][0]["is_guarantee"] = sys.argv[1]
print(json.dumps(r["detail_list"], ensure_ascii=False))' "$SHI15")
set_field 11 detail_list "$lines"
ids=$(mock_admin /_truth | sed -n '4p;8p;12p' | python3 -c '
import json, sys
print(" ".join(str(json.loads(l)["refund_id"]) for l in sys.stdin))')
read -r ID3 ID7 ID11 <<<"$ids"

note "max_rejects: 5 and a long child table name: three rejects land, the rest is written"
db_fresh five
JOB=$(job_copy wdt_refund 's/max_rejects: 0/max_rejects: 5/' 's/^name: wdt_refund/name: reject_text/' \
    "s/- table: aftersales_refund_refund_search_detail/- table: $LONG_CHILD/")
rc=0
"$SLUICE" run "$JOB" --now "2024-01-02 00:10:00" --quiet >"$WORK/run.out" 2>&1 || rc=$?
cat "$WORK/run.out"
[ $rc -eq 0 ] || fail "the run exited $rc, want 0 (three rejects, max_rejects 5)"
db_sql "SELECT record_key, column_name, reason FROM sluice_rejects ORDER BY record_key" >"$WORK/rejects.tsv"
cat "$WORK/rejects.tsv"
python3 - "$WORK/rejects.tsv" "$ID3" "$ID7" "$ID11" "$LONG_CHILD" <<'PY' || fail "the reject rows are not as expected"
import sys
rows = open(sys.argv[1], encoding="utf-8").read().splitlines()
id3, id7, id11, child = sys.argv[2:6]
# mariadb's batch output escapes a backslash as \\; the stored reasons hold single backslashes
want = {
    id3: ("stockin_status", 'not an integer: "一二三四五六七八九十一二三..."'),
    id7: ("type", r'not an integer: "1\\x1b]0;pwned\\x07\\r\\nFORGED"'),
    id11: ("is_guarantee", "table " + child + ': not a boolean: "是是是是是是是是是是是是是..."'),
}
got = {}
for line in rows:
    key, col, reason = line.split("\t")
    got[key] = (col, reason)
assert got == want, (got, want)
PY
want_rows=37
rows=$(db_sql "SELECT COUNT(*) FROM aftersales_refund_refund_search")
[ "$rows" = $want_rows ] || fail "$rows parent rows written, want $want_rows (40 records, 3 rejected)"
[ "$(db_sql "SELECT status, rejects FROM sluice_runs")" = "$(printf 'ok\t3')" ] ||
    fail "the run record is not ok with 3 rejects"
grep -q $'[\x1b\r]' "$WORK/run.out" && fail "a control character reached the output raw"

note "max_rejects: 0: exit 6, and the reject table it points to holds the reject"
db_fresh zero
JOB0=$(job_copy wdt_refund 's/^name: wdt_refund/name: reject_text0/')
rc=0
"$SLUICE" run "$JOB0" --now "2024-01-02 00:10:00" --quiet >"$WORK/run0.out" 2>&1 || rc=$?
cat "$WORK/run0.out"
[ $rc -eq 6 ] || fail "the run exited $rc, want 6"
grep -q "see the reject table sluice_rejects" "$WORK/run0.out" || fail "no pointer to the reject table"
n=$(db_sql "SELECT COUNT(*) FROM sluice_rejects")
[ "$n" -ge 1 ] || fail "the reject table is empty although the run says to see it"
db_sql "SELECT column_name, reason FROM sluice_rejects" | grep -qF 'not an integer' ||
    fail "the landed reject has no reason"
echo "reject_text: ok"

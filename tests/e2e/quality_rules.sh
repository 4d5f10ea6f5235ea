#!/usr/bin/env bash
# quality_rules: issue 12 item 5 against tools/rest-mock and MariaDB. A job declares one rule
# of each kind (range on money, a pattern, allowed values, uniqueness, a cross-field check, a
# datetime range, a not_null share), reject and warn. The verdicts are computed here from the
# mock's /_truth with Python's Decimal (rules in order, reject rules before warn rules, unique
# counted per value): the reject table holds exactly the records rejected, each with its rule's
# name; the quality table, the --metrics file (promtool-clean) and the summary carry each
# rule's counts; the written rows are exact (the oracle's only difference is the rejected
# records, missing); a database synced before the job had rules gets the quality table on its
# next run (an upgrade). (The alert of alerts.on quality: tests/unit/test_quality.c.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"
source "$(dirname "$0")/quality/common.sh"

rest_start --seed 11 --orders 240 --auth none --strict-params 0
db_fresh rules
JOB=$(orders_job quality_rules "quality:
  - { name: total_cap, column: total, max: \"5000.00\" }
  - { name: number_format, column: number, pattern: '^SO-00[01]\\d{5}\$' }
  - { name: status_known, column: status, values: [pending, paid, shipped, completed, cancelled] }
  - { name: whole_unique, column: total_whole, unique: true }
  - { name: free_shipping_over_300, check: total < 300 || shipping <= 5, action: warn }
  - { name: paid_recent, column: paid_at, min: \"2024-03-01 00:00:00\", action: warn }
  - { name: note_filled, column: note, not_null: 90% }")
"$SLUICE" validate "$JOB" >/dev/null
cp "$JOB" "$WORK/with_rules.yml"

rc=0
"$SLUICE" run "$JOB" "${NOW[@]}" --metrics "$WORK/metrics.prom" >"$WORK/run.out" 2>"$WORK/run.err" || rc=$?
cat "$WORK/run.out"
[ $rc -eq 0 ] || { cat "$WORK/run.err"; fail "the run exited $rc"; }
grep -q "warning: quality rule note_filled: .* rows have note, under 90.00%" "$WORK/run.err" ||
    fail "no warning for the not_null share"

note "the verdicts, computed from the truth"
rest_admin "/_truth?resource=orders" >"$WORK/truth.jsonl"
python3 - "$WORK/truth.jsonl" >"$WORK/want.txt" <<'PY'
import json, re, sys, datetime
from decimal import Decimal, ROUND_HALF_UP
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
tz8 = datetime.timezone(datetime.timedelta(hours=8))
def paid(r):
    return None if r["paid_at"] is None else datetime.datetime.fromtimestamp(r["paid_at"], tz8).strftime("%Y-%m-%d %H:%M:%S")
allowed = {"pending", "paid", "shipped", "completed", "cancelled"}
rejects = {}            # id -> rule
counts = {n: [0, 0] for n in ["total_cap", "number_format", "status_known"]}
kept = []
for r in recs:
    total = Decimal(r["total"]).quantize(Decimal("0.01"))
    tests = [("total_cap", total <= Decimal("5000.00")),
             ("number_format", re.match(r"^SO-00[01]\d{5}$", r["number"]) is not None),
             ("status_known", r["status"] in allowed)]
    bad = None
    for name, ok in tests:
        counts[name][0] += 1
        if not ok:
            counts[name][1] += 1
            bad = name
            break
    if bad:
        rejects[r["id"]] = bad
        continue
    kept.append(r)
# unique: each value's records beyond its first fail, whichever is read first (only the count
# is known here; the warn rules are checked against the rows written)
by_value = {}
for r in kept:
    whole = Decimal(r["total"]).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    by_value.setdefault(whole, []).append(r)
counts["whole_unique"] = [len(kept), sum(len(rs) - 1 for rs in by_value.values())]
n_dup = counts["whole_unique"][1]
for name in ("total_cap", "number_format", "status_known", "whole_unique"):
    print(name, *counts[name])
print("rejected", len(rejects) + n_dup)
print("first3", len(rejects))
for i, rule in sorted(rejects.items()):
    print("reject", i, rule)
PY
cat "$WORK/want.txt" | grep -v '^reject '
got_q() { db_sql "SELECT CONCAT(checked, ' ', failed) FROM sluice_quality WHERE rule='$1'"; }
for rule in total_cap number_format status_known whole_unique; do
    want=$(awk -v r=$rule '$1 == r { print $2, $3 }' "$WORK/want.txt")
    [ "$(got_q $rule)" = "$want" ] || fail "rule $rule: the quality table says '$(got_q $rule)', want '$want'"
    n=${want#* }
    [ "$n" -gt 0 ] || fail "rule $rule rejected nothing: the test proves nothing"
done
# the warn rules and not_null, on the rows written (computed from the table itself)
written=$(db_sql "SELECT COUNT(*) FROM rest_orders")
w_ship=$(db_sql "SELECT COUNT(*) FROM rest_orders WHERE NOT (total < 300 OR shipping <= 5)")
w_paid=$(db_sql "SELECT COUNT(*) FROM rest_orders WHERE paid_at < '2024-03-01 00:00:00'")
w_note=$(db_sql "SELECT COUNT(*) FROM rest_orders WHERE note IS NULL")
[ "$(got_q free_shipping_over_300)" = "$written $w_ship" ] || fail "free_shipping_over_300: $(got_q free_shipping_over_300), want $written $w_ship"
[ "$(got_q paid_recent)" = "$written $w_paid" ] || fail "paid_recent: $(got_q paid_recent), want $written $w_paid"
[ "$(got_q note_filled)" = "$written $w_note" ] || fail "note_filled: $(got_q note_filled), want $written $w_note"
[ "$w_ship" -gt 0 ] && [ "$w_paid" -gt 0 ] || fail "a warn rule warned on nothing: the test proves nothing"
[ "$(db_sql "SELECT run_failed FROM sluice_quality WHERE rule='note_filled'")" = 1 ] ||
    fail "note_filled: the run-level failure is not recorded"
[ $((w_note * 10)) -gt "$written" ] || fail "the notes are 90% filled: the share test proves nothing"

note "the reject table: the first three rules' records exactly, and the duplicates"
db_sql "SELECT record_key, SUBSTRING_INDEX(SUBSTRING_INDEX(reason, ':', 1), ' ', -1) FROM sluice_rejects
        WHERE reason NOT LIKE 'rule whole_unique:%' ORDER BY record_key" | tr '\t' ' ' >"$WORK/got_rejects"
grep '^reject ' "$WORK/want.txt" | cut -d' ' -f2- | sort >"$WORK/want_rejects"
sort "$WORK/got_rejects" | diff "$WORK/want_rejects" - || fail "the rejected records differ"
n_uniq=$(db_sql "SELECT COUNT(*) FROM sluice_rejects WHERE reason LIKE 'rule whole_unique: % is also the value of record %'")
[ "$n_uniq" = "$(awk '$1 == "whole_unique" { print $3 }' "$WORK/want.txt")" ] || fail "unique rejects: $n_uniq"
rejected=$(awk '$1 == "rejected" { print $2 }' "$WORK/want.txt")
[ "$(db_sql "SELECT CONCAT(status, ' ', rows_written, ' ', rejects) FROM sluice_runs")" = "ok $written $rejected" ] ||
    fail "the run record: $(db_sql "SELECT status, rows_written, rejects FROM sluice_runs")"
[ $((written + rejected)) -eq 240 ] || fail "$written written + $rejected rejected != 240"

note "the rows written are exact: the oracle's only difference is the rejected records"
rc=0
"$ORACLE" --truth "$REST_URL/_truth?resource=orders" --db "$SLUICE_DB" --rules "$WORK/orders.rules" \
    >"$WORK/oracle.out" 2>&1 || rc=$?
grep "^rest_orders:" "$WORK/oracle.out"
grep -q "^rest_orders: expected 240, found $written, missing $rejected, extra 0, differing 0 " "$WORK/oracle.out" ||
    { cat "$WORK/oracle.out"; fail "the oracle found more than the rejected records missing"; }

note "the metrics file: every rule's counts, and promtool finds nothing to lint"
for rule in total_cap whole_unique note_filled; do
    grep -q "^sluice_run_quality_failed_rows{job=\"quality_rules\",command=\"run\",rule=\"$rule\",action=\"[a-z]*\"} $(got_q $rule | cut -d' ' -f2)\$" \
        "$WORK/metrics.prom" || fail "metrics: no count for $rule"
done
grep -q '^sluice_run_quality_run_failed{.*rule="note_filled",action="warn"} 1$' "$WORK/metrics.prom" ||
    fail "metrics: the not_null failure"
promtool_clean "$WORK/metrics.prom"
grep -q "^  quality     total_cap rejected" "$WORK/run.out" || fail "the summary has no quality lines"

note "an upgrade: a database synced before the job had rules gets the quality table on its next run"
db_fresh upgrade
sluice_run "$(orders_job quality_rules "")" "${NOW[@]}"
[ "$(db_sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'sluice_quality'")" = 0 ] ||
    fail "a job without rules created the quality table"
sluice_run "$WORK/with_rules.yml" --now "2024-03-08 03:00:00"
[ "$(db_sql "SELECT COUNT(*) FROM sluice_quality q JOIN sluice_runs r ON r.id = q.run_id WHERE r.status = 'ok'")" = 7 ] ||
    fail "the upgraded database holds no quality rows for the second run"
echo "quality_rules: ok"

#!/usr/bin/env bash
# schema_evolution: a column added and a column renamed in the YAML. `migrate --dry-run` shows
# the ALTERs and changes nothing; `migrate` applies them with no data lost (the renamed column
# keeps its values); a backfill run fills the new column, checked against the mock's truth.
source "$(dirname "$0")/lib.sh"

mock_start --seed 3 --records 2000 --from "2024-01-01 00:00:00" --to "2024-01-10 23:59:59" \
    --now "2024-01-11 00:05:00"
db_create
JOB=$(job_copy wdt_refund)
sluice_run "$JOB" --now "2024-01-11 00:10:00"
oracle_ok
before=$(db_sql "SELECT COUNT(*), SUM(flag_name IS NOT NULL), MD5(GROUP_CONCAT(flag_name ORDER BY refund_id)) FROM aftersales_refund_refund_search")

note "edit the job: add refund_time, rename flag_name -> flag"
sed -i -e 's/^  flag_name: *{ path: flag_name, type: varchar(64) }/  flag:                    { path: flag_name, type: varchar(64), rename_from: flag_name }/' \
    -e 's/^  provider_refund_no: .*/&\n  refund_time:             { path: refund_time, type: datetime, from: string }/' "$JOB"
grep -q "rename_from: flag_name" "$JOB" && grep -q "^  refund_time:" "$JOB" || fail "the edit did not apply"
"$SLUICE" validate "$JOB"

"$SLUICE" migrate "$JOB" --dry-run >"$WORK/dry.sql"
cat "$WORK/dry.sql"
grep -q "CHANGE COLUMN \`flag_name\` \`flag\`" "$WORK/dry.sql" || fail "dry-run shows no rename"
grep -q "ADD COLUMN \`refund_time\`" "$WORK/dry.sql" || fail "dry-run shows no new column"
[ "$(db_sql "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'aftersales_refund_refund_search' AND COLUMN_NAME IN ('flag', 'refund_time')")" = 0 ] ||
    fail "migrate --dry-run changed the table"

"$SLUICE" migrate "$JOB"
after=$(db_sql "SELECT COUNT(*), SUM(flag IS NOT NULL), MD5(GROUP_CONCAT(flag ORDER BY refund_id)) FROM aftersales_refund_refund_search")
[ "$before" = "$after" ] || fail "the renamed column lost data: before [$before] after [$after]"
[ "$(db_sql "SELECT COUNT(*) FROM aftersales_refund_refund_search WHERE refund_time IS NOT NULL")" = 0 ] ||
    fail "the new column should start empty"

note "backfill fills the new column"
sluice_run "$JOB" --now "2024-01-11 00:10:00" --from "2024-01-01 00:00:00" --to "2024-01-11 00:08:00"
want=$(mock_admin /_truth | python3 -c '
import json, sys
print(sum(1 for l in sys.stdin if json.loads(l).get("refund_time", "") != ""))')
got=$(db_sql "SELECT COUNT(*) FROM aftersales_refund_refund_search WHERE refund_time IS NOT NULL")
[ "$want" -gt 0 ] && [ "$got" = "$want" ] || fail "refund_time filled in $got rows, truth has $want"
sample=$(mock_admin /_truth | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
r = next(r for r in rows if r.get("refund_time"))
print(r["refund_id"], r["refund_time"])')
id=${sample%% *}
[ "$(db_sql "SELECT refund_time FROM aftersales_refund_refund_search WHERE refund_id = $id")" = "${sample#* }" ] ||
    fail "refund_time of $id is not the truth's ${sample#* }"
echo "schema_evolution: ok"

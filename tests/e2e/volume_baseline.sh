#!/usr/bin/env bash
# volume_baseline: the job's `volume` section against wdt-mock and MariaDB (docs/volume.md).
# The mock holds 10 days of refunds, about 100 an hour, less 95% of those modified in the hour
# 2024-01-09 14:00 (--volume-drop-*: gone from the API and from /_truth alike). Three runs:
# up to the 9th (the 2nd and 3rd have too little history: not judged; the 4th..8th are quiet,
# no alert), the 9th (the dropped hour, and only it, is out of band on rows and on the summed
# amount: one line in the summary, one warning, one JSON alert naming it with the table's own
# count, and the metric; hour 00 of the 10th is still open and not judged), and the 10th, a
# normal day whose history holds the dip (quiet: no alert). The oracle finds 0 wrong rows and
# the metrics file is promtool-clean.
source "$(dirname "$0")/lib.sh"

mock_start --seed 11 --records 24000 --from "2024-01-01 00:00:00" --to "2024-01-10 23:59:59" \
    --now "2024-01-11 00:10:00" --volume-drop-from "2024-01-09 14:00:00" \
    --volume-drop-to "2024-01-09 15:00:00" --volume-drop-share 0.95
db_create
export SLUICE_ALERT_WEBHOOK="$MOCK_URL/_webhook?key=Volume-Hook-Key-3"
METRICS=$WORK/volume.prom

JOB=$(job_copy wdt_refund 's/^name: wdt_refund/name: volume_refund/' 's/^    size: 50$/    size: 500/')
cat >>"$JOB" <<'EOF'
volume:
  by: hour
  sum: guarantee_refund_amount
  min_share: 20%
  max_share: 500%
  history: 7d
  min_history: 3
alerts:
  webhook: ${env:SLUICE_ALERT_WEBHOOK}
  format: json
  on: [volume]
EOF

webhook_count() { mock_admin /_webhook | grep -c . || true; }
volume_line() { awk '$1 == "volume" { sub(/^ *volume +/, ""); print; exit }' "$WORK/run.out"; }

note "the mock's truth holds the drop: the hour 2024-01-09 14:00 has about a twentieth of its neighbours"
mock_admin /_truth >"$WORK/truth.ndjson"
read -r dropped before <<<"$(python3 - "$WORK/truth.ndjson" <<'EOF'
import json, sys, datetime
tz = datetime.timezone(datetime.timedelta(hours=8))
hours = {}
for line in open(sys.argv[1]):
    m = json.loads(line)["modified"] // 1000
    h = datetime.datetime.fromtimestamp(m, tz).strftime("%Y-%m-%d %H")
    hours[h] = hours.get(h, 0) + 1
print(hours.get("2024-01-09 14", 0), hours.get("2024-01-09 13", 0))
EOF
)"
echo "truth: $dropped records in the dropped hour, $before in the hour before"
[ "$dropped" -gt 0 ] && [ $((dropped * 4)) -lt "$before" ] || fail "the drop is not in the truth"

note "run 1, up to the 9th: the 4th..8th are judged and quiet, the 2nd and 3rd have too little history"
sluice_run "$JOB" --now "2024-01-09 00:10:00" --metrics "$METRICS"
cat "$WORK/run.out"
[ "$(volume_line)" = "120 hours judged, 0 out of band, 48 not judged (history under 3 days)" ] ||
    fail "run 1's volume line: $(volume_line)"
[ "$(webhook_count)" -eq 0 ] || fail "a quiet run sent a volume alert"
promtool_clean "$METRICS"
grep -qx 'sluice_run_volume_out_of_band_buckets{job="volume_refund",command="run"} 0' "$METRICS" ||
    fail "the out-of-band metric of a quiet run is not 0"

note "run 2, the 9th: the dropped hour is out of band, on rows and on the summed amount"
"$SLUICE" run "$JOB" --now "2024-01-10 00:10:00" --metrics "$METRICS" >"$WORK/run.out" \
    2>"$WORK/run.err" || fail "run 2 failed: $(cat "$WORK/run.out" "$WORK/run.err")"
cat "$WORK/run.out" "$WORK/run.err"
[ "$(volume_line)" = "24 hours judged, 1 out of band" ] || fail "run 2's volume line: $(volume_line)"
grep -q "^              2024-01-09 14:00: $dropped rows, under 20.00% of the median " "$WORK/run.out" ||
    fail "the summary does not name the dropped hour with its $dropped rows"
grep -q "sum of guarantee_refund_amount .*, under 20.00% of the median" "$WORK/run.out" ||
    fail "the summed amount of the dropped hour is not out of band"
[ "$(grep -c 'warning: volume out of band: 2024-01-09 14:00' "$WORK/run.err")" -eq 1 ] ||
    fail "want one warning line for the dropped hour"
[ "$(webhook_count)" -eq 1 ] || fail "want exactly one volume alert, got $(webhook_count)"
mock_admin /_webhook | tail -n 1 >"$WORK/alert.json"
cat "$WORK/alert.json"
table_rows=$(db_sql "SELECT COUNT(*) FROM aftersales_refund_refund_search
                     WHERE modified >= '2024-01-09 14:00:00' AND modified < '2024-01-09 15:00:00'")
table_sum=$(db_sql "SELECT SUM(guarantee_refund_amount) FROM aftersales_refund_refund_search
                    WHERE modified >= '2024-01-09 14:00:00' AND modified < '2024-01-09 15:00:00'")
python3 - "$WORK/alert.json" "$table_rows" "$table_sum" <<'EOF' || fail "the JSON alert is not as expected"
import json, sys
from decimal import Decimal
a = json.loads(open(sys.argv[1]).read())
v = a["volume"]
assert v["checked"] and v["judged"] == 24 and v["out_of_band"] == 1, v
b, = v["buckets"]
assert b["start"] == "2024-01-09 14:00:00", b
assert b["rows"] == int(sys.argv[2]) and b["rows_side"] == "under", b
assert Decimal(b["sum"]) == Decimal(sys.argv[3]) and b["sum_side"] == "under", b
assert Decimal(b["rows"]) * 5 < Decimal(b["rows_median"]), b
assert a["job"] == "volume_refund" and a["status"] == "ok", a
EOF
grep -qF "Volume-Hook-Key-3" "$WORK/alert.json" "$WORK/run.out" "$WORK/run.err" && fail "the webhook key leaked"
promtool_clean "$METRICS"
grep -qx 'sluice_run_volume_out_of_band_buckets{job="volume_refund",command="run"} 1' "$METRICS" ||
    fail "the out-of-band metric is not 1"
grep -qx 'sluice_run_volume_judged_buckets{job="volume_refund",command="run"} 24' "$METRICS" ||
    fail "the judged metric is not 24"

note "run 3, the 10th: a normal day (its history holds the dip) stays quiet"
sluice_run "$JOB" --now "2024-01-11 00:10:00" --metrics "$METRICS"
cat "$WORK/run.out"
[ "$(volume_line)" = "24 hours judged, 0 out of band" ] || fail "run 3's volume line: $(volume_line)"
[ "$(webhook_count)" -eq 1 ] || fail "a normal day sent a volume alert"

note "the tables match the mock's truth"
oracle_ok

#!/usr/bin/env bash
# volume_accounts: the volume baseline of a job with accounts is per account (docs/volume.md,
# docs/accounts.md). The refund job with two accounts, shop01 and shop02 (each reading its own
# shop through source.params shop_nos), by day. wdt-mock holds 10 days of refunds over 8 shops
# and removes 90% of shop02's records modified on 2024-01-09 (--volume-drop-shop): the run that
# completes the 9th alerts once, for shop02 (the JSON alert names the account, its metrics
# file says 1 out of band), and shop01, whose 9th is normal, stays quiet (its file says 0).
# The runs before (up to the 9th) and after (the 10th, a normal day) are quiet for both. The oracle finds 0 wrong rows for both
# shops, every row under its own shop's account.
source "$(dirname "$0")/lib.sh"

mock_start --seed 12 --records 19200 --from "2024-01-01 00:00:00" --to "2024-01-10 23:59:59" \
    --now "2024-01-11 00:10:00" --volume-drop-from "2024-01-09 00:00:00" \
    --volume-drop-to "2024-01-10 00:00:00" --volume-drop-share 0.9 --volume-drop-shop shop02
db_create
export SLUICE_ALERT_WEBHOOK="$MOCK_URL/_webhook"
METRICS=$WORK/volume.prom

JOB=$(job_copy wdt_refund 's/^name: wdt_refund/name: volume_accounts/' 's/^    size: 50$/    size: 500/')
cat >>"$JOB" <<'EOF'
accounts:
  - { id: shop01, params: { shop_nos: shop01 } }
  - { id: shop02, params: { shop_nos: shop02 } }
volume:
  by: day
  sum: guarantee_refund_amount
  history: 7d
  min_history: 3
alerts:
  webhook: ${env:SLUICE_ALERT_WEBHOOK}
  format: json
  on: [volume]
EOF

webhook_count() { mock_admin /_webhook | grep -c . || true; }
# volume_of ACCOUNT: the volume line of that account's summary in $WORK/run.out.
volume_of() {
    awk -v a="$1" '/^sluice run / { cur = ($0 ~ "account " a ":") }
                   cur && $1 == "volume" { sub(/^ *volume +/, ""); print; exit }' "$WORK/run.out"
}
metric_of() { # ACCOUNT NAME: the value in that account's metrics file
    awk -v k="$2{" 'index($1, k) == 1 { print $2; exit }' "$WORK/volume.$1.prom"
}

note "run 1, up to the 9th: both accounts quiet"
sluice_run "$JOB" --now "2024-01-09 00:10:00" --metrics "$METRICS"
cat "$WORK/run.out"
for a in shop01 shop02; do
    [ "$(volume_of $a)" = "5 days judged, 0 out of band, 2 not judged (history under 3 days)" ] ||
        fail "run 1, $a: $(volume_of $a)"
done
[ "$(webhook_count)" -eq 0 ] || fail "a quiet run sent a volume alert"

note "run 2, the 9th: shop02's day is out of band, shop01's is not"
sluice_run "$JOB" --now "2024-01-10 00:10:00" --metrics "$METRICS"
cat "$WORK/run.out"
[ "$(volume_of shop01)" = "1 day judged, 0 out of band" ] || fail "shop01: $(volume_of shop01)"
[ "$(volume_of shop02)" = "1 day judged, 1 out of band" ] || fail "shop02: $(volume_of shop02)"
[ "$(webhook_count)" -eq 1 ] || fail "want one volume alert, got $(webhook_count)"
shop02_rows=$(db_sql "SELECT COUNT(*) FROM aftersales_refund_refund_search WHERE account='shop02'
                      AND modified >= '2024-01-09 00:00:00' AND modified < '2024-01-10 00:00:00'")
mock_admin /_webhook | tail -n 1 >"$WORK/alert.json"
python3 - "$WORK/alert.json" "$shop02_rows" <<'EOF' || fail "the alert is not shop02's"
import json, sys
a = json.loads(open(sys.argv[1]).read())
assert a["account"] == "shop02", a
b, = a["volume"]["buckets"]
assert b["start"] == "2024-01-09 00:00:00" and b["rows"] == int(sys.argv[2]), b
assert b["rows_side"] == "under" and b["sum_side"] == "under", b
EOF
for a in shop01 shop02; do promtool_clean "$WORK/volume.$a.prom"; done
[ "$(metric_of shop01 sluice_run_volume_out_of_band_buckets)" = 0 ] || fail "shop01's metric"
[ "$(metric_of shop02 sluice_run_volume_out_of_band_buckets)" = 1 ] || fail "shop02's metric"
grep -q 'sluice_run_volume_out_of_band_buckets{job="volume_accounts",account="shop02",command="run"} 1' \
    "$WORK/volume.shop02.prom" || fail "shop02's metric is not labelled with its account"

note "run 3, the 10th: a normal day for both (shop02's history holds the dip): quiet"
sluice_run "$JOB" --now "2024-01-11 00:10:00" --metrics "$METRICS"
for a in shop01 shop02; do
    [ "$(volume_of $a)" = "1 day judged, 0 out of band" ] || fail "run 3, $a: $(volume_of $a)"
done
[ "$(webhook_count)" -eq 1 ] || fail "a normal day sent a volume alert"

note "the tables hold exactly the two shops' truth, each row under its shop's account"
mock_admin /_truth | jq -c 'select(.shop_no == "shop01" or .shop_no == "shop02")' >"$WORK/truth.jsonl"
sed -e 's/^table aftersales_refund_refund_search refund_id window=modified$/&\ncol account varchar(64) shop_no/' \
    -e 's/^child aftersales_refund_refund_search_detail .*$/&\ncol account parent account/' \
    "$SLUICE_SRC/tools/oracle/wdt_refund.rules" >"$WORK/accounts.rules"
[ "$(grep -c '^col account' "$WORK/accounts.rules")" = 2 ] || fail "the rules edit did not apply"
"$ORACLE" --truth "file:$WORK/truth.jsonl" --db "$SLUICE_DB" --rules "$WORK/accounts.rules" \
    >"$WORK/oracle.out" 2>&1 || { cat "$WORK/oracle.out" >&2; fail "the oracle found differences"; }
grep -q "oracle: OK (0 rows wrong)" "$WORK/oracle.out" || fail "oracle: $(tail -n 2 "$WORK/oracle.out")"
tail -n 1 "$WORK/oracle.out"

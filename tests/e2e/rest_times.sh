#!/usr/bin/env bash
# rest_times: issue 11 item 5 against tools/rest-mock, judged by sluice-oracle. The API demands
# its window bounds as ISO-8601 (then as epoch milliseconds): any other form is a 400. Its
# records carry ISO-8601 times in several zones and styles (Z, fractions, +08:00), epoch
# seconds, and money as integer cents. The job names no zone on its ISO columns, so offsets go
# to window.timezone (+08:00); cents land as DECIMAL(12,2) through `minor`. The oracle (its own
# conversions) finds 0 rows wrong, and `sluice verify` finds no gap.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"

# The tables rest_orders.rules describes, less the discounts (a child of a child, issue 11
# item 8, is another helper's work): the oracle judges what this job writes.
sed '/^child rest_order_item_discounts/,$d' "$SLUICE_SRC/tools/oracle/rest_orders.rules" \
    >"$WORK/orders.rules"

# job FORMAT: a job reading /v1/page/orders (a form POST today; page paging, total in the body)
# with window.format FORMAT.
job() {
    cat >"$WORK/job.yml" <<YML
version: 1
name: rest_times_$$
source:
  endpoint: $REST_URL/v1/page/orders
  method: orders
  signer: { type: none }
  window:
    from_param: updated_from
    to_param: updated_to
    format: $1
    timezone: "+08:00"
    start: "2024-03-01 00:00:00"
    max_span: 1d
  paging:
    page_param: page
    size_param: per_page
    first_page: 1
    size: 50
    total: total
  records: data
target:
  dsn: \${env:SLUICE_DB}
  table: rest_orders
  key: [id]
  window_column: updated_at
columns:
  id:             { path: id, type: bigint, required: true }
  number:         { path: number, type: "varchar(32)" }
  shop_id:        { path: shop_id, type: int }
  status:         { path: status, type: "varchar(16)" }
  version:        { path: version, type: int }
  created_at:     { path: created_at, type: datetime }
  updated_at:     { path: updated_at, type: datetime, required: true }
  paid_at:        { path: paid_at, type: datetime, from: epoch_s, timezone: "+08:00" }
  currency:       { path: currency, type: "varchar(3)" }
  total:          { path: total, type: "decimal(12,2)" }
  shipping:       { path: shipping_cents, type: "minor(12,2)" }
  customer_name:  { path: customer.name, type: "varchar(64)" }
  customer_email: { path: customer.email, type: "varchar(64)" }
  city:           { path: customer.address.city, type: "varchar(64)" }
  zip:            { path: customer.address.zip, type: "varchar(16)" }
  note:           { path: note, type: "varchar(255)" }
children:
  - table: rest_order_items
    each: items[*]
    key: [id]
    columns:
      id:       { path: id, type: bigint, required: true }
      order_id: { from_parent: id }
      sku:      { path: sku, type: "varchar(16)" }
      qty:      { path: qty, type: int }
      price:    { path: price_cents, type: "minor(12,2)" }
YML
    echo "$WORK/job.yml"
}

NOW=(--now "2024-03-08 02:00:00")
for form in iso8601:iso epoch_ms:epoch-ms; do
    note "window.format ${form%%:*} against window-format ${form#*:}"
    rest_start --seed 11 --orders 240 --auth none --strict-params 0 --window-format "${form#*:}"
    db_fresh "${form%%:*}"
    J=$(job "${form%%:*}")
    sluice_run "$J" "${NOW[@]}"
    cat "$WORK/run.out"
    grep -q "records     240 received" "$WORK/run.out" || fail "${form%%:*}: not every order read"
    "$ORACLE" --truth "$REST_URL/_truth?resource=orders" --db "$SLUICE_DB" \
        --rules "$WORK/orders.rules" >"$WORK/oracle.out" 2>&1 ||
        { cat "$WORK/oracle.out" >&2; fail "${form%%:*}: the oracle found differences"; }
    tail -n 3 "$WORK/oracle.out"
    grep -q "oracle: OK (0 rows wrong)" "$WORK/oracle.out" || fail "${form%%:*}: oracle not OK"
    rc=0; "$SLUICE" verify "$J" --from "2024-03-01 00:00:00" --to "2024-03-08 00:00:00" \
        "${NOW[@]}" >"$WORK/verify.out" 2>&1 || rc=$?
    cat "$WORK/verify.out"
    [ $rc -eq 0 ] || fail "${form%%:*}: verify exited $rc, want 0"
    kill "$REST_PID"; wait "$REST_PID" 2>/dev/null || true
done
echo "rest_times: ok"

#!/usr/bin/env bash
# rest_full_refresh_children: a full refresh of a parent table with a child table against the
# real MariaDB (docs/sink.md, "Full refresh"): tools/rest-mock's orders and their items, read
# whole (no source.window) by offset paging. Rows that are not at the source (an order and an
# item planted in the tables, as a deleted one would be) are gone after the next run, in both
# tables; orders changed and added at the source land (that run by `load: load_data`); the
# oracle finds 0 rows wrong in rest_orders and rest_order_items each time, and no shadow table
# is left.
source "$(dirname "$0")/lib.sh"

db_create
for host in 127.0.0.1 localhost; do db_sql "GRANT DROP ON \`$DB_NAME\`.* TO 'sluice'@'$host'"; done
rest_start --seed 14 --orders 300 --strict-params 1
# The discounts (a child of a child) are not in this job.
sed '/^child rest_order_item_discounts/,$d' "$SLUICE_SRC/tools/oracle/rest_orders.rules" \
    >"$WORK/orders.rules"

cat >"$WORK/job.yml" <<YML
version: 1
name: rest_orders_refresh
source:
  endpoint: $REST_URL/v1/offset/orders
  method: ""
  signer: { type: none }
  auth: { type: bearer, token: "\${env:REST_TOKEN}" }
  request: { method: GET }
  paging: { type: offset, offset_param: offset, limit_param: limit, limit: 40, total: total }
  records: data
  limits: { calls_per_minute: 60000 }
target:
  dsn: \${env:SLUICE_DB}
  table: rest_orders
  key: [id]
  batch_rows: 100
columns:
  id:             { path: id, type: bigint, required: true }
  number:         { path: number, type: "varchar(32)" }
  shop_id:        { path: shop_id, type: int }
  status:         { path: status, type: "varchar(16)" }
  version:        { path: version, type: int }
  created_at:     { path: created_at, type: datetime, timezone: "+08:00" }
  updated_at:     { path: updated_at, type: datetime, timezone: "+08:00", required: true }
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

# oracle: both tables equal the truth (0 wrong, 0 missing, 0 extra), no shadow left.
oracle() {
    "$ORACLE" --truth "$REST_URL/_truth" --db "$SLUICE_DB" --rules "$WORK/orders.rules" \
        >"$WORK/oracle.out" 2>&1 || { cat "$WORK/oracle.out" >&2; fail "the oracle found differences"; }
    tail -n 3 "$WORK/oracle.out"
    [ "$(db_sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
                 AND TABLE_NAME LIKE '%\\_\\_sluice\\_%'")" = 0 ] || fail "shadow tables left"
}

note "first sync: every order and item"
sluice_run "$WORK/job.yml"
oracle
items=$(rest_admin /_truth | jq -s 'map(.items | length) | add')
[ "$(db_sql "SELECT COUNT(*) FROM rest_order_items")" = "$items" ] || fail "items: want $items"

note "rows not at the source disappear from both tables; changes and new orders land"
db_sql "INSERT INTO rest_orders (id, updated_at) VALUES (1, '2024-03-01 00:00:00')"
db_sql "INSERT INTO rest_order_items (id, order_id, qty) VALUES (999999, 1, 1), (998877, 
        (SELECT MIN(id) FROM rest_orders WHERE id > 1), 5)"
rest_admin /_admin -X POST -d '{"mutate": {"update": 40, "insert": 10}}' >/dev/null
# This run's rows travel by LOAD DATA (into the shadow tables like any other write).
sed 's/^  batch_rows: 100$/  batch_rows: 100\n  load: load_data/' "$WORK/job.yml" >"$WORK/load.yml"
grep -q "load: load_data" "$WORK/load.yml" || fail "the load_data job"
sluice_run "$WORK/load.yml"
oracle
[ "$(db_sql "SELECT COUNT(*) FROM rest_order_items WHERE id IN (999999, 998877)")" = 0 ] ||
    fail "planted items survived the refresh"
[ "$(db_sql "SELECT COUNT(*) FROM rest_orders")" = 310 ] || fail "want 310 orders"

echo "rest_full_refresh_children: ok"

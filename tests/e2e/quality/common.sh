# quality/common.sh: a job syncing tools/rest-mock's orders (the parent table of
# tools/oracle/rest_orders.rules, plus total_whole: the total in whole units, which some orders
# share, for a unique rule; the oracle reads only its own columns) for the data-quality and reject-review tests, and the rules
# file the oracle judges it by (orders only). Source after lib.sh.
sed '/^child /,$d' "$SLUICE_SRC/tools/oracle/rest_orders.rules" >"$WORK/orders.rules"

# orders_job NAME [QUALITY_YAML]: writes $WORK/NAME.yml reading /v1/page/orders into
# rest_orders, with QUALITY_YAML (the `quality:` section, or "") at its end; prints its path.
orders_job() {
    cat >"$WORK/$1.yml" <<YML
version: 1
name: $1
source:
  endpoint: $REST_URL/v1/page/orders
  method: orders
  signer: { type: none }
  window:
    from_param: updated_from
    to_param: updated_to
    format: iso8601
    timezone: "+08:00"
    start: "2024-02-28 00:00:00"
    max_span: 2d
  paging:
    page_param: page
    size_param: per_page
    first_page: 1
    size: 50
    total: total
  records: data
  limits: { calls_per_minute: 60000 }
target:
  dsn: \${env:SLUICE_DB}
  table: rest_orders
  key: [id]
  max_rejects: 1000
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
  total_whole:    { path: total, type: "decimal(12,0)" }
${2:-}
YML
    echo "$WORK/$1.yml"
}

NOW=(--now "2024-03-08 02:00:00")

# orders_oracle_ok: rest_orders matches the mock's truth exactly (0 rows wrong).
orders_oracle_ok() {
    "$ORACLE" --truth "$REST_URL/_truth?resource=orders" --db "$SLUICE_DB" \
        --rules "$WORK/orders.rules" >"$WORK/oracle.out" 2>&1 || {
        cat "$WORK/oracle.out" >&2
        fail "the oracle found differences from the rest-mock's orders"
    }
    tail -n 1 "$WORK/oracle.out"
}

#!/usr/bin/env bash
# rest_pagers: every pager against tools/rest-mock under faults (HTTP 500, 429 with
# Retry-After, truncated bodies): cursor with the next cursor in the body and in a header, link
# with the next URL in the body and in the Link header, page-number and offset with the total in
# the X-Total-Count header and with no total at all (stop on a short page). Each syncs every
# order and item: the oracle finds 0 rows wrong, and the mock saw the requests the pager should
# send (the first cursor request without a cursor; link requests on the next URL). The job files
# of mappings/examples/ (one per pager) sync the same way.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"

sed '/^child rest_order_item_discounts/,$d' "$SLUICE_SRC/tools/oracle/rest_orders.rules" \
    >"$WORK/orders.rules"

# job PATH PAGING_YAML: the orders job (GET) reading $REST_URL/v1/PATH with that paging.
job() {
    cat >"$WORK/job.yml" <<YML
version: 1
name: rest_pagers_$$
source:
  endpoint: $REST_URL/v1/$1
  method: ""
  signer: { type: none }
  auth: { type: bearer, token: "\${env:REST_TOKEN}" }
  request: { method: GET }
  window: { from_param: updated_from, to_param: updated_to, format: iso8601,
            timezone: "+08:00", start: "2024-03-01 00:00:00", max_span: 2d }
  paging: $2
  records: data
  limits: { calls_per_minute: 60000, max_wait: 5s }
  retry: { attempts: 12, backoff: 10ms..50ms }
target:
  dsn: \${env:SLUICE_DB}
  table: rest_orders
  key: [id]
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
}

# check NAME PATH PAGING_YAML [mock flags...]: a fresh mock (faults on) and database, one run,
# the oracle's verdict; the mock's request log is left in $WORK/requests. PAGING_YAML
# "example:FILE" runs mappings/examples/FILE as it is instead.
check() {
    local name=$1 path=$2 paging=$3 file=$WORK/job.yml
    shift 3
    note "$name: $paging"
    rest_start --seed 17 --orders 150 --strict-params 1 --fail-500 0.05 --fail-429 0.05 \
        --fail-truncate 0.03 --retry-after 1 "$@"
    db_fresh "${name//-/_}"
    if [ "${paging#example:}" != "$paging" ]; then
        file=$SLUICE_SRC/mappings/examples/${paging#example:}
        export REST_ORDERS_URL=$REST_URL/v1/$path
        # the examples' quota is a real API's; the mock is local
        sed 's/calls_per_minute: [0-9]*/calls_per_minute: 60000/' "$file" >"$WORK/example.yml"
        file=$WORK/example.yml
    else
        job "$path" "$paging"
    fi
    sluice_run "$file" --now "2024-03-08 02:00:00"
    "$ORACLE" --truth "$REST_URL/_truth?resource=orders" --db "$SLUICE_DB" \
        --rules "$WORK/orders.rules" >"$WORK/oracle.out" 2>&1 ||
        { cat "$WORK/oracle.out" >&2; fail "$name: the oracle found differences"; }
    grep -q "oracle: OK (0 rows wrong)" "$WORK/oracle.out" || fail "$name: oracle not OK"
    rest_admin /_requests >"$WORK/requests"
    local faults
    faults=$(rest_admin /_stats | jq '[.faults[]] | add')
    [ "$faults" -gt 0 ] || fail "$name: no fault was injected"
    echo "$name: 0 rows wrong; $faults faults; $(grep -m1 '^  requests' "$WORK/run.out")"
    kill "$REST_PID"; wait "$REST_PID" 2>/dev/null || true
}

# first_pages: how many 200 requests carried no cursor (a window's first page each).
requests_where() { jq -c "select(.status == 200) | select($1)" "$WORK/requests" | wc -l; }

check cursor-body cursor/orders \
    '{ type: cursor, cursor_param: cursor, limit_param: limit, limit: 20, next: next_cursor, holds: key }' \
    --cursor-in body
[ "$(requests_where '.params | has("cursor") | not')" = 4 ] || fail "cursor: want 4 first pages"
[ "$(requests_where '.params | has("cursor")')" -gt 4 ] || fail "cursor: no cursor sent back"

check cursor-header cursor/orders \
    '{ type: cursor, cursor_param: cursor, limit_param: limit, limit: 20, next_header: X-Next-Cursor, holds: key }' \
    --cursor-in header
[ "$(requests_where '.params | has("cursor")')" -gt 4 ] || fail "cursor header: no cursor sent back"

check link-body link/orders \
    '{ type: link, next: links.next, limit_param: limit, limit: 20, holds: key }' --link-in body
[ "$(requests_where '.params | has("cursor")')" -gt 4 ] || fail "link: no next URL followed"

check link-header link/orders \
    '{ type: link, limit_param: limit, limit: 20, holds: key }' --link-in header
[ "$(requests_where '.params | has("cursor")')" -gt 4 ] || fail "link header: no next URL followed"

check page-header-total page/orders \
    '{ page_param: page, size_param: per_page, first_page: 1, size: 20, total_from: header, total_header: X-Total-Count }' \
    --total header
check page-no-total page/orders \
    '{ page_param: page, size_param: per_page, first_page: 1, size: 20, total_from: none }' \
    --total none
check offset-header-total offset/orders \
    '{ type: offset, offset_param: offset, limit_param: limit, limit: 20, total_from: header }' \
    --total header
check offset-no-total offset/orders \
    '{ type: offset, offset_param: offset, limit_param: limit, limit: 20, total_from: none }' \
    --total none

note "an error rule reads a reply header: 503 with Retry-After fails with the rule's hint"
rest_start --seed 17 --orders 20 --fail-503 1 --retry-after 1
job page/orders '{ page_param: page, size_param: per_page, first_page: 1, size: 20, total: total }'
sed -i "s/^  records: data$/  records: data\n  errors: [ { when: '@status == 503 \&\& @header.RETRY-AFTER == 1', then: fail, hint: the header rule matched } ]/" "$WORK/job.yml"
grep -q "@header.RETRY-AFTER" "$WORK/job.yml" || fail "the rule was not added"
db_fresh header_rule
rc=0
"$SLUICE" run "$WORK/job.yml" --now "2024-03-08 02:00:00" --quiet >"$WORK/rule.out" 2>&1 || rc=$?
[ $rc -eq 4 ] || { cat "$WORK/rule.out" >&2; fail "header rule: exit $rc, want 4"; }
grep -q "the header rule matched" "$WORK/rule.out" || { cat "$WORK/rule.out" >&2; fail "header rule: no hint"; }
kill "$REST_PID"; wait "$REST_PID" 2>/dev/null || true

note "sluice plan names each example's pager, where its next page or total comes from"
for want in "page:paging: page (first 1), per_page 50, total from X-Total-Count, backward" \
    "offset:paging: offset offset, limit limit 50, total at total, backward" \
    "cursor:paging: cursor cursor, next from body at next_cursor, limit limit 50, holds key" \
    "link:paging: link, next from the Link header, limit limit 50, holds key"; do
    REST_ORDERS_URL=http://127.0.0.1:9/v1/orders REST_TOKEN=tok-plan-secret \
        SLUICE_DB=mysql://u@127.0.0.1/d "$SLUICE" plan \
        "$SLUICE_SRC/mappings/examples/rest_orders_${want%%:*}.yml" --strict >"$WORK/plan.out" 2>&1 ||
        { cat "$WORK/plan.out" >&2; fail "plan ${want%%:*} failed"; }
    grep -qxF "  ${want#*:}" "$WORK/plan.out" ||
        { grep paging "$WORK/plan.out" >&2; fail "plan ${want%%:*}: want '${want#*:}'"; }
done

for ex in page:--total=header offset:--total=body cursor:--cursor-in=body link:--link-in=header; do
    check "example-${ex%%:*}" "${ex%%:*}/orders" "example:rest_orders_${ex%%:*}.yml" "${ex#*:}"
done
echo "rest_pagers: ok"

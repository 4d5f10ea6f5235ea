#!/usr/bin/env bash
# rest_json_body: source.request.body: json against tools/rest-mock, judged by sluice-oracle.
#   - page numbers in a JSON body placed by the job's template ({"filter": {"updated_from":
#     ...}, "paging": {"page": ..., "per_page": ...}}), the window as epoch seconds (numbers in
#     JSON), signed by a recipe over the exact body bytes (body_param) with the signature in the
#     query, then in a header; the mock (--sign hmac-sha256-body) recomputes it from the bytes it
#     received; under 5xx, 429 and truncation: 0 rows wrong;
#   - a cursor pager in a JSON body: "{cursor}" is dropped from a window's first request;
#   - a wrong secret: the mock's refusal quoted, exit 4;
#   - the example job rest_orders_oauth2_json.yml (OAuth2, tokens expiring mid-run) under faults;
#   - negative control: the same recipe with a form body is refused by validate (a form body
#     holds the signature itself), and a JSON body with a WDT signer or a GET is refused.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"

sed '/^child rest_order_item_discounts/,$d' "$SLUICE_SRC/tools/oracle/rest_orders.rules" \
    >"$WORK/orders.rules"
oracle_ok() {
    "$ORACLE" --truth "$REST_URL/_truth?resource=orders" --db "$SLUICE_DB" \
        --rules "$WORK/orders.rules" >"$WORK/oracle.out" 2>&1 ||
        { cat "$WORK/oracle.out" >&2; fail "the oracle found differences"; }
    grep -q "oracle: OK (0 rows wrong)" "$WORK/oracle.out" || fail "oracle not OK"
}

# job SIGNER_YAML PAGING_YAML TEMPLATE_YAML [BODY]: the orders job with a JSON body.
job() {
    cat >"$WORK/job.yml" <<YML
version: 1
name: rest_json_body_$$
source:
  endpoint: \${env:REST_ORDERS}
  method: ""
  signer: $1
  request:
    method: POST
    body: ${4:-json}
    json: $3
  window: { from_param: updated_from, to_param: updated_to, format: epoch,
            timezone: "+08:00", start: "2024-03-01 00:00:00", max_span: 2d }
  paging: $2
  records: data
  limits: { calls_per_minute: 60000, concurrency: 2, max_wait: 5s }
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

NOW=(--now "2024-03-08 02:00:00")
PAGES='{ page_param: page, size_param: per_page, first_page: 1, size: 20, total: total }'
TEMPLATE='{ filter: { updated_from: "{updated_from}", updated_to: "{updated_to}" }, paging: { page: "{page}", per_page: "{per_page}" } }'
# recipe WHERE: HMAC-SHA256 over the query's pairs and body=<the exact body>, sent as WHERE.
recipe() {
    echo "{ type: recipe, secret: \"\${env:REST_SIGN_SECRET}\", body_param: body, pair: \"{key}={value}\", join: \"&\", hash: hmac-sha256, $1 }"
}
export REST_SIGN_SECRET=rest-sign-secret

for where in "sign_param: sign" "sign_header: X-Sign"; do
    note "page numbers in a JSON body, signed over its bytes ($where), under faults"
    rest_start --seed 17 --orders 150 --auth none --sign hmac-sha256-body --window-format epoch-s \
        --fail-500 0.05 --fail-429 0.05 --fail-truncate 0.03 --retry-after 1
    export REST_ORDERS=$REST_URL/v1/page/orders
    db_fresh "$RANDOM"
    job "$(recipe "$where")" "$PAGES" "$TEMPLATE"
    SLUICE_DB=mysql://u@127.0.0.1/d "$SLUICE" plan "$WORK/job.yml" --strict >"$WORK/plan.out" 2>&1 ||
        { cat "$WORK/plan.out" >&2; fail "plan failed"; }
    grep -qF '  body: json {"filter":{"updated_from":"{updated_from}","updated_to":"{updated_to}"},"paging":{"page":"{page}","per_page":"{per_page}"}}' \
        "$WORK/plan.out" || { cat "$WORK/plan.out" >&2; fail "the plan does not show the template"; }
    sluice_run "$WORK/job.yml" "${NOW[@]}"
    oracle_ok
    rest_admin /_requests >"$WORK/requests"
    jq -e -s 'map(select(.status == 200)) | length > 5' "$WORK/requests" >/dev/null || fail "too few pages"
    # Every body is the template filled in: numbers where the parameters are numbers.
    jq -e -s 'all(.[]; .method == "POST" and (.body | fromjson |
        (keys == ["filter", "paging"]) and (.filter.updated_from | type == "number") and
        (.filter.updated_to | type == "number") and (.paging.page | type == "number") and
        (.paging.per_page == 20)))' "$WORK/requests" >/dev/null ||
        { head -3 "$WORK/requests" >&2; fail "a body is not the template filled in"; }
    [ "$(jq -r .status "$WORK/requests" | grep -c 401)" = 0 ] || fail "a signature was refused"
    echo "$where: 0 rows wrong; $(jq -s length "$WORK/requests") requests, first body $(jq -r -s '.[0].body' "$WORK/requests")"

    note "a wrong secret ($where): refused by the mock, quoted"
    rc=0
    REST_SIGN_SECRET=not-the-secret "$SLUICE" run "$WORK/job.yml" "${NOW[@]}" --quiet \
        >"$WORK/wrong.out" 2>&1 || rc=$?
    [ $rc -eq 4 ] || { cat "$WORK/wrong.out" >&2; fail "wrong secret: exit $rc, want 4"; }
    grep -qF 'the API answered HTTP 401: {"error":"invalid_signature","message":"the signature does not match the request"}' \
        "$WORK/wrong.out" || { cat "$WORK/wrong.out" >&2; fail "the refusal is not quoted"; }
    kill "$REST_PID"; wait "$REST_PID" 2>/dev/null || true
done

note "a cursor in a JSON body: not sent on a window's first request"
rest_start --seed 18 --orders 120 --auth none --window-format epoch-s --fail-500 0.05
export REST_ORDERS=$REST_URL/v1/cursor/orders
db_fresh "$RANDOM"
job "{ type: none }" '{ type: cursor, cursor_param: cursor, limit_param: limit, limit: 25, next: next_cursor, holds: key }' \
    '{ window: { updated_from: "{updated_from}", updated_to: "{updated_to}" }, cursor: "{cursor}", sort: updated_at }'
sluice_run "$WORK/job.yml" "${NOW[@]}"
oracle_ok
rest_admin /_requests >"$WORK/requests"
first=$(jq -s '[.[] | select(.status == 200) | .body | fromjson | select(has("cursor") | not)] | length' "$WORK/requests")
later=$(jq -s '[.[] | select(.status == 200) | .body | fromjson | select(.cursor | type == "string")] | length' "$WORK/requests")
[ "$first" -ge 1 ] && [ "$later" -ge 1 ] || fail "cursor: $first first pages without one, $later with one"
jq -e -s 'all(.[]; .body | fromjson | .sort == "updated_at" and (.limit == 25))' "$WORK/requests" >/dev/null ||
    fail "the template's literal or the unplaced limit is missing"
echo "cursor: 0 rows wrong; $first first pages without a cursor, $later with one"
kill "$REST_PID"; wait "$REST_PID" 2>/dev/null || true

note "the example job mappings/examples/rest_orders_oauth2_json.yml: OAuth2 and a JSON body"
rest_start --seed 19 --orders 200 --auth oauth2 --client-id app-ex --client-secret cs-ex-5 \
    --token-uses 3 --fail-500 0.05 --fail-429 0.05 --fail-truncate 0.03 --retry-after 1
export REST_ORDERS_URL=$REST_URL/v1/page/orders REST_TOKEN_URL=$REST_URL/oauth/token
export REST_CLIENT_ID=app-ex REST_CLIENT_SECRET=cs-ex-5
db_fresh "$RANDOM"
sed -e 's/calls_per_minute: 600/calls_per_minute: 60000/' \
    "$SLUICE_SRC/mappings/examples/rest_orders_oauth2_json.yml" >"$WORK/example.yml"
sluice_run "$WORK/example.yml" "${NOW[@]}"
oracle_ok
rest_admin /_requests >"$WORK/requests"
jq -e -s 'all(.[]; .credentials == "bearer" and (.body | fromjson | .paging.per_page == 50))' \
    "$WORK/requests" >/dev/null || fail "the example's requests are not JSON bodies with a token"
echo "example: 0 rows wrong; $(rest_admin /_stats | jq .tokens) tokens, $(jq -s 'map(select(.status == 401)) | length' "$WORK/requests") 401s sent again"
kill "$REST_PID"; wait "$REST_PID" 2>/dev/null || true

note "negative controls: what a JSON body can't be"
export WSID=shop-sid-1 WKEY=app-key-1
export REST_ORDERS=http://127.0.0.1:9/v1/page/orders
job "$(recipe "sign_param: sign")" "$PAGES" "$TEMPLATE" form
sed -i '/^    json: /d' "$WORK/job.yml"
rc=0; "$SLUICE" validate "$WORK/job.yml" >"$WORK/v.out" 2>&1 || rc=$?
[ $rc -eq 3 ] && grep -q "error: body_param signs the request body: that needs a JSON body" "$WORK/v.out" ||
    { cat "$WORK/v.out" >&2; fail "a signed form body was not refused (exit $rc)"; }
job "{ type: wdt-direct, sid: \"\${env:WSID}\", wdt_appkey: \"\${env:WKEY}\", wdt_appsecret: \"\${env:REST_SIGN_SECRET}\" }" "$PAGES" "$TEMPLATE"
rc=0; "$SLUICE" validate "$WORK/job.yml" >"$WORK/v.out" 2>&1 || rc=$?
[ $rc -eq 3 ] && grep -q "signer 'wdt-direct' sends a form of its own: a JSON body needs one of: none, recipe" "$WORK/v.out" ||
    { cat "$WORK/v.out" >&2; fail "a WDT signer with a JSON body was not refused (exit $rc)"; }
job "{ type: none }" "$PAGES" "$TEMPLATE"
sed -i 's/^    method: POST/    method: GET/' "$WORK/job.yml"
rc=0; "$SLUICE" validate "$WORK/job.yml" >"$WORK/v.out" 2>&1 || rc=$?
[ $rc -eq 3 ] && grep -q "a JSON body needs 'method: POST'" "$WORK/v.out" ||
    { cat "$WORK/v.out" >&2; fail "a GET with a JSON body was not refused (exit $rc)"; }
echo "rest_json_body: ok"

#!/usr/bin/env bash
# rest_auth: every auth method of source.auth (engine/auth/) against tools/rest-mock demanding
# that credential, under 5xx, 429 (Retry-After) and truncated replies: the sync lands every
# order and item and the oracle finds 0 rows wrong; `sluice plan` names the method but never
# the secret; a wrong credential is refused by the API with a 401, the run exits 4, and no
# secret (right or wrong) reaches the output; the error quotes the API's own message.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"

sed '/^child rest_order_item_discounts/,$d' "$SLUICE_SRC/tools/oracle/rest_orders.rules" \
    >"$WORK/orders.rules"

# job AUTH_YAML: the orders job with `auth: AUTH_YAML` (request method $REQUEST_METHOD, POST).
job() {
    cat >"$WORK/job.yml" <<YML
version: 1
name: rest_auth_$$
source:
  endpoint: $REST_URL/v1/page/orders
  method: orders
  signer: { type: none }
  auth: $1
  request: { method: ${REQUEST_METHOD:-POST} }
  window: { from_param: updated_from, to_param: updated_to, format: iso8601,
            timezone: "+08:00", start: "2024-03-01 00:00:00", max_span: 1d }
  paging: { page_param: page, size_param: per_page, first_page: 1, size: 20, total: total }
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

NOW=(--now "2024-03-08 02:00:00")
# check MOCK_AUTH SECRET_VAR WANT_CREDENTIALS REFUSAL AUTH_YAML [mock flags...]: REFUSAL is
# the mock's own 401 body for the wrong credential, which sluice's error must quote.
check() {
    local mock=$1 var=$2 want=$3 refusal=$4 yaml=$5
    shift 5
    note "auth $yaml against rest-mock --auth $mock"
    rest_start --seed 13 --orders 120 --auth "$mock" --strict-params 0 --fail-500 0.05 \
        --fail-429 0.05 --fail-truncate 0.03 --retry-after 1 "$@"
    [ -z "${BASIC_USER:-}" ] || export REST_BASIC_USER=$BASIC_USER
    [ -z "${CLIENT_SECRET:-}" ] || export REST_CLIENT_SECRET=$CLIENT_SECRET REST_CLIENT_ID=$CLIENT_ID
    export REST_TOKEN_URL=$REST_URL/oauth/token
    db_fresh "${mock//-/_}_$RANDOM"
    job "$yaml"
    local secret=${!var}
    SLUICE_DB=mysql://u@127.0.0.1/d "$SLUICE" plan "$WORK/job.yml" --strict >"$WORK/plan.out" 2>&1 ||
        { cat "$WORK/plan.out" >&2; fail "$mock: plan failed"; }
    grep -q "^  auth: " "$WORK/plan.out" || [ "$mock" = none ] || fail "$mock: plan does not name the auth"
    grep -qF -- "$secret" "$WORK/plan.out" && fail "$mock: plan shows the secret"
    sluice_run "$WORK/job.yml" "${NOW[@]}"
    grep -qF -- "$secret" "$WORK/run.out" && fail "$mock: the run's output shows the secret"
    grep -qE 'at-[0-9]+-[0-9a-f]{16}' "$WORK/plan.out" "$WORK/run.out" &&
        fail "$mock: an access token was printed"
    "$ORACLE" --truth "$REST_URL/_truth?resource=orders" --db "$SLUICE_DB" \
        --rules "$WORK/orders.rules" >"$WORK/oracle.out" 2>&1 ||
        { cat "$WORK/oracle.out" >&2; fail "$mock: the oracle found differences"; }
    grep -q "oracle: OK (0 rows wrong)" "$WORK/oracle.out" || fail "$mock: oracle not OK"
    local seen
    seen=$(rest_admin /_requests | jq -r .credentials | sort -u | xargs)
    [ "$seen" = "$want" ] || fail "$mock: requests carried credentials '$seen', want '$want'"
    echo "$mock: 0 rows wrong; credentials '$seen'; $(grep -m1 '^  requests' "$WORK/run.out")"

    # The wrong credential: refused by the API (401), exit 4, nothing secret printed.
    local rc=0
    env "$var=wrong-$RANDOM-secret" "$SLUICE" run "$WORK/job.yml" "${NOW[@]}" --quiet \
        >"$WORK/wrong.out" 2>&1 || rc=$?
    [ $rc -eq 4 ] || { cat "$WORK/wrong.out" >&2; fail "$mock: wrong credential: exit $rc, want 4"; }
    grep -q "401" "$WORK/wrong.out" || { cat "$WORK/wrong.out" >&2; fail "$mock: no 401 named"; }
    grep -qF "answered HTTP 401: $refusal" "$WORK/wrong.out" ||
        { cat "$WORK/wrong.out" >&2; fail "$mock: the API's message not quoted"; }
    grep -qF -- "-secret" "$WORK/wrong.out" && fail "$mock: the wrong secret was printed"
    kill "$REST_PID"; wait "$REST_PID" 2>/dev/null || true
}

check bearer REST_TOKEN bearer '{"error":"unauthorized","message":"invalid bearer token"}' \
    '{ type: bearer, token: "${env:REST_TOKEN}" }'
check api-key REST_API_KEY api-key '{"error":"unauthorized","message":"invalid API key"}' \
    '{ type: api-key, key: "${env:REST_API_KEY}" }'
# The key as a parameter: in the query string of a GET (where rest-mock reads it).
REQUEST_METHOD=GET check api-key REST_API_KEY api-key '{"error":"unauthorized","message":"invalid API key"}' \
    '{ type: api-key, key: "${env:REST_API_KEY}", param: api_key }' --api-key-header X-Other
# Credentials that are no word of the mock's messages ("user", "client", "secret"): a value read
# through a reference is masked wherever it appears.
BASIC_USER=reader-7 check basic REST_BASIC_PASSWORD basic \
    '{"error":"unauthorized","message":"missing or invalid user name and password"}' \
    '{ type: basic, username: "${env:REST_BASIC_USER}", password: "${env:REST_BASIC_PASSWORD}" }' \
    --basic-user reader-7
# OAuth2 client credentials: tokens that expire mid-run (each authorises 5 requests, then a 401
# as if expired: fetched again, the request sent again) from a token endpoint that draws the
# same faults; a wrong client secret is refused by the token endpoint, quoted.
CLIENT_ID=app-42 CLIENT_SECRET=cs-7f3a9 check oauth2 REST_CLIENT_SECRET bearer \
    '{"error":"invalid_client","message":"unknown client or wrong client secret"}' \
    '{ type: oauth2, token_url: "${env:REST_TOKEN_URL}", client_id: "${env:REST_CLIENT_ID}",
       client_secret: "${env:REST_CLIENT_SECRET}", scope: "orders:read" }' \
    --token-uses 5 --token-faults 1 --client-id app-42 --client-secret cs-7f3a9
echo "rest_auth: ok"

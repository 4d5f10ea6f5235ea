#!/usr/bin/env bash
# rest_oauth2: the auth method oauth2 (engine/auth/oauth2.c, client credentials) against
# tools/rest-mock --auth oauth2, judged by sluice-oracle:
#   - tokens expiring mid-run by use (--token-uses: the API answers 401 invalid_token, as for an
#     expired token): each 401 is followed by one new token and the same request sent again,
#     under 5xx, 429 and truncation on the API and on the token endpoint, 3 requests in flight;
#     0 rows wrong; every 401 has its event line;
#   - tokens expiring by time (--token-ttl 1 over a run of several seconds): renewed before
#     expires_in runs out, 0 rows wrong;
#   - a wrong client secret: refused by the token endpoint, exit 4, its own message quoted, not
#     one API request sent;
#   - an API that refuses every token: one new token and one resend, then exit 4 quoting the
#     API's 401 (the retry is bounded);
#   - no token nor the client secret in `sluice plan`, `sluice dry-run`, the run's event log or
#     its errors.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"

# The example job writes orders and items, not the items' discounts.
sed '/^child rest_order_item_discounts/,$d' "$SLUICE_SRC/tools/oracle/rest_orders.rules" \
    >"$WORK/orders.rules"
oracle_ok() {
    "$ORACLE" --truth "$REST_URL/_truth?resource=orders" --db "$SLUICE_DB" \
        --rules "$WORK/orders.rules" >"$WORK/oracle.out" 2>&1 ||
        { cat "$WORK/oracle.out" >&2; fail "the oracle found differences"; }
    grep -q "oracle: OK (0 rows wrong)" "$WORK/oracle.out" || fail "oracle not OK"
}

TOKEN_RE='at-[0-9]+-[0-9a-f]{16}' # rest-mock's access tokens
export REST_CLIENT_ID=app-9 REST_CLIENT_SECRET=cs-e2e-31 # no words of the mock's messages

# job CONCURRENCY: the shipped offset example with oauth2 instead of its bearer token.
job() {
    sed -e 's|^  auth: .*|  auth:\n    type: oauth2\n    token_url: ${env:REST_TOKEN_URL}\n    client_id: ${env:REST_CLIENT_ID}\n    client_secret: ${env:REST_CLIENT_SECRET}\n    scope: "orders:read"|' \
        -e "s|^  limits: .*|  limits: { calls_per_minute: 60000, concurrency: $1, max_wait: 5s }\n  retry: { attempts: 12, backoff: 10ms..50ms }|" \
        -e 's|^    limit: 50|    limit: 20|' -e "s|^name: .*|name: rest_oauth2_$$|" \
        "$SLUICE_SRC/mappings/examples/rest_orders_offset.yml" >"$WORK/job.yml"
    grep -q "type: oauth2" "$WORK/job.yml" || fail "the job was not made"
}

# start FLAGS...: rest-mock with oauth2 and this test's client; a fresh database.
start() {
    rest_start --seed 21 --orders 300 --auth oauth2 --client-id app-9 --client-secret cs-e2e-31 "$@"
    export REST_CLIENT_ID=app-9 REST_CLIENT_SECRET=cs-e2e-31
    export REST_ORDERS_URL=$REST_URL/v1/offset/orders REST_TOKEN_URL=$REST_URL/oauth/token
    db_fresh "$RANDOM"
}

# run_events: sluice run with its event log (stderr) in run.out; fails unless exit 0.
run_events() {
    local rc=0
    "$SLUICE" run "$WORK/job.yml" --now "2024-03-08 02:00:00" >"$WORK/run.out" 2>&1 || rc=$?
    [ $rc -eq 0 ] || { cat "$WORK/run.out" >&2; fail "sluice run exited $rc"; }
    ! grep -qE "$TOKEN_RE|cs-e2e-31" "$WORK/run.out" || fail "a token or the secret in the run's output"
}

stopmock() { kill "$REST_PID"; wait "$REST_PID" 2>/dev/null || true; }

note "tokens expire by use (4 requests each), faults on the API and the token endpoint"
start --token-uses 4 --token-faults 1 --fail-500 0.05 --fail-429 0.05 --fail-truncate 0.03 \
    --retry-after 1
job 3
SLUICE_DB=mysql://u@127.0.0.1/d "$SLUICE" plan "$WORK/job.yml" --strict >"$WORK/plan.out" 2>&1 ||
    { cat "$WORK/plan.out" >&2; fail "plan failed"; }
grep -q "^  auth: header Authorization: Bearer <an access token, fetched>" "$WORK/plan.out" ||
    { cat "$WORK/plan.out" >&2; fail "the plan does not show the auth"; }
grep -q '^    client_secret: <secret from env:REST_CLIENT_SECRET>' "$WORK/plan.out" || fail "plan: client_secret"
! grep -qE "$TOKEN_RE|cs-e2e-31" "$WORK/plan.out" || fail "the plan shows a secret"
"$SLUICE" dry-run "$WORK/job.yml" --now "2024-03-08 02:00:00" --max-windows 2 >"$WORK/dry.out" 2>&1 ||
    { cat "$WORK/dry.out" >&2; fail "dry-run failed"; }
grep -q "^INSERT\|^REPLACE\|rest_orders" "$WORK/dry.out" || fail "dry-run printed no SQL"
! grep -qE "$TOKEN_RE|cs-e2e-31" "$WORK/dry.out" || fail "a token or the secret in the dry-run's output"
rest_admin /_admin -d '{"clear_requests": true}' >/dev/null
before=$(rest_admin /_stats | jq .tokens)
run_events
oracle_ok
refused=$(rest_admin /_requests | jq -s '[.[] | select(.status == 401)] | length')
resent=$(grep -c "HTTP 401 to credential [0-9]*; sending the request again with a new one" "$WORK/run.out" || true)
tokens=$(( $(rest_admin /_stats | jq .tokens) - before )) # issued during the run
used=$(grep -o "source.auth: credential [0-9]* fetched" "$WORK/run.out" | tail -1 | grep -o "[0-9]*")
ok200=$(rest_admin /_requests | jq -s '[.[] | select(.status == 200)] | length')
[ "$refused" -ge 1 ] || fail "no token expired mid-run"
[ "$resent" = "$refused" ] || fail "$refused 401s but $resent requests sent again"
# Each token serves 4 requests; a token reply cut short is issued but never used.
[ "${used:-0}" -ge $((ok200 / 4)) ] || fail "${used:-0} tokens used for $ok200 replies of 4 uses each"
[ "$used" -le "$tokens" ] || fail "$used tokens used, $tokens issued"
echo "by use: 0 rows wrong; $ok200 replies 200, $refused 401s each sent again, $used tokens used of $tokens issued, $(grep -c "the token endpoint" "$WORK/run.out" || true) token endpoint failures retried; $(grep -m1 '^  requests' "$WORK/run.out")"
stopmock

note "tokens good for one request each, 3 requests at once: a request whose new token another spent first is sent again"
start --token-uses 1
job 3
run_events
oracle_ok
refused=$(rest_admin /_requests | jq -s '[.[] | select(.status == 401)] | length')
resent=$(grep -c "HTTP 401 to credential [0-9]*; sending the request again with a new one" "$WORK/run.out" || true)
[ "$resent" = "$refused" ] || fail "$refused 401s but $resent requests sent again"
echo "one use each: 0 rows wrong; $refused 401s each sent again; $(grep -m1 '^  requests' "$WORK/run.out")"
stopmock

note "tokens expire by time (1 s), renewed before expires_in runs out"
start --token-ttl 1 --latency-ms 120
job 1
run_events
oracle_ok
tokens=$(rest_admin /_stats | jq .tokens)
refused=$(rest_admin /_requests | jq -s '[.[] | select(.status == 401)] | length')
[ "$tokens" -ge 2 ] || fail "one token for a run longer than its life"
echo "by time: 0 rows wrong; $tokens tokens, $refused 401s; $(grep -m1 '^  elapsed' "$WORK/run.out")"
stopmock

note "a wrong client secret: refused by the token endpoint, quoted; no API request"
start
job 3
rc=0
REST_CLIENT_SECRET=cs-wrong-77 "$SLUICE" run "$WORK/job.yml" --now "2024-03-08 02:00:00" \
    >"$WORK/wrong.out" 2>&1 || rc=$?
cat "$WORK/wrong.out" | grep "error"
[ $rc -eq 4 ] || { cat "$WORK/wrong.out" >&2; fail "wrong secret: exit $rc, want 4"; }
grep -qF 'sluice: error: the token endpoint answered HTTP 401: {"error":"invalid_client","message":"unknown client or wrong client secret"}' \
    "$WORK/wrong.out" || fail "the token endpoint's message is not quoted"
! grep -q "cs-wrong-77" "$WORK/wrong.out" || fail "the wrong secret was printed"
[ "$(rest_admin /_requests | jq -s length)" = 0 ] || fail "API requests without a token"
[ "$(rest_admin /_stats | jq .auth_failures)" = 1 ] || fail "more than one token request refused"
stopmock

note "an API that refuses every token: one new token, one resend, then the API's 401"
start
rest_admin /_admin -d '{"auth": "bearer"}' >/dev/null # wants its fixed token, not ours
job 3
rc=0
"$SLUICE" run "$WORK/job.yml" --now "2024-03-08 02:00:00" >"$WORK/refused.out" 2>&1 || rc=$?
grep "error" "$WORK/refused.out"
[ $rc -eq 4 ] || { cat "$WORK/refused.out" >&2; fail "refused tokens: exit $rc, want 4"; }
grep -qF 'the API answered HTTP 401: {"error":"unauthorized","message":"invalid bearer token"}' \
    "$WORK/refused.out" || fail "the API's 401 is not quoted"
[ "$(rest_admin /_requests | jq -s length)" = 2 ] || fail "want 2 API requests: $(rest_admin /_requests | jq -c .status)"
[ "$(rest_admin /_stats | jq .tokens)" = 2 ] || fail "want 2 tokens: $(rest_admin /_stats)"
! grep -qE "$TOKEN_RE" "$WORK/refused.out" || fail "a token was printed"
stopmock
echo "rest_oauth2: ok"

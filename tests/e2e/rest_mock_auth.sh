# rest_mock_auth: each auth kind of tools/rest-mock accepts its credentials and refuses a missing
# or wrong one with a 401, a JSON error body and WWW-Authenticate; OAuth2 tokens come from
# POST /oauth/token (form or basic client credentials), expire (by time or by uses: token-uses),
# and are refused once expired; with token-faults the token endpoint draws the API's faults.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rest/walk.sh"

rest_start --seed 3 --orders 40 --token s3cret --api-key k3y --basic-user ann --basic-password 'p:w d' \
    --client-id cid --client-secret csecret --api-key-header X-Key --api-key-param key
URL=$REST_URL/v1/orders

# expect CODE ERROR [curl args...]: one request's status (and its JSON error code, for a 401).
expect() {
    local code=$1 err=$2
    shift 2
    AUTH=("$@")
    rest_get "$URL"
    [ "$CODE" = "$code" ] || fail "$*: HTTP $CODE, want $code: $(cat "$WORK/b")"
    [ "$code" = 200 ] || [ "$(jq -r .error "$WORK/b")" = "$err" ] || fail "$*: $(cat "$WORK/b")"
    [ "$code" != 401 ] || [ -n "$(header WWW-Authenticate)" ] || fail "$*: no WWW-Authenticate"
}

note "bearer (the default)"
expect 401 unauthorized
expect 401 unauthorized -H "Authorization: Bearer wrong"
expect 401 unauthorized -H "Authorization: Basic czNjcmV0"
expect 200 "" -H "Authorization: Bearer s3cret"
expect 200 "" -H "authorization: bearer s3cret"

note "api-key: in its header or its parameter"
rest_admin /_admin -d '{"auth": "api-key"}' >/dev/null
expect 401 unauthorized -H "Authorization: Bearer s3cret"
expect 401 unauthorized -H "X-Key: nope"
expect 200 "" -H "X-Key: k3y"
URL="$REST_URL/v1/orders?key=k3y" expect 200 ""
URL="$REST_URL/v1/orders?key=k3" expect 401 unauthorized

note "basic"
rest_admin /_admin -d '{"auth": "basic"}' >/dev/null
expect 200 "" -u 'ann:p:w d'
expect 401 unauthorized -u 'ann:p:w'
expect 401 unauthorized -H "Authorization: Basic !!!"

note "oauth2 client credentials"
rest_admin /_admin -d '{"auth": "oauth2", "token-ttl": 600}' >/dev/null
token() { curl -sS -w '\n%{http_code}' "$@" "$REST_URL/oauth/token"; }
out=$(token -d grant_type=client_credentials -d client_id=cid -d client_secret=csecret)
[ "$(tail -1 <<<"$out")" = 200 ] || fail "token (form): $out"
t1=$(head -1 <<<"$out" | jq -r .access_token)
[ "$(head -1 <<<"$out" | jq -r '.token_type + " " + (.expires_in | tostring)')" = "Bearer 600" ] || fail "$out"
out=$(token -u cid:csecret -d grant_type=client_credentials)
[ "$(tail -1 <<<"$out")" = 200 ] || fail "token (basic): $out"
t2=$(head -1 <<<"$out" | jq -r .access_token)
[ "$t1" != "$t2" ] || fail "two tokens alike"
[ "$(tail -1 <<<"$(token -d grant_type=client_credentials -d client_id=cid -d client_secret=bad)")" = 401 ] ||
    fail "a wrong client secret"
[ "$(tail -1 <<<"$(token -u cid:csecret -d grant_type=password)")" = 400 ] || fail "another grant"
expect 401 invalid_token
expect 401 invalid_token -H "Authorization: Bearer s3cret"
expect 200 "" -H "Authorization: Bearer $t1"
expect 200 "" -H "Authorization: Bearer $t2"
rest_admin /_admin -d '{"expire_tokens": true}' >/dev/null
expect 401 invalid_token -H "Authorization: Bearer $t1"
t3=$(token -u cid:csecret -d grant_type=client_credentials | head -1 | jq -r .access_token)
expect 200 "" -H "Authorization: Bearer $t3"

note "/_requests tells which credentials came, never their values"
rest_admin /_requests >"$WORK/log"
! grep -qE 's3cret|k3y|csecret|p:w d|cDp3IGQ|YW5uOnA6dyBk|at-[0-9]' "$WORK/log" || fail "a secret in the request log"
[ "$(jq -r .credentials "$WORK/log" | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }')" = \
    "api-key=4 basic=4 bearer=9 none=2 " ] || fail "credentials: $(jq -c '[.credentials, .status]' "$WORK/log" | tr '\n' ' ')"
jq -e -s 'all(.[]; .path == "/v1/orders" and (.at_ms | type == "number") and (.status | IN(200, 401)))' "$WORK/log" >/dev/null ||
    fail "request log entries"
[ "$(jq -c 'select(.credentials == "api-key" and .status == 200) | .params' "$WORK/log" | sed -n 2p)" = '{"key":"<redacted>"}' ] ||
    fail "the parameters of a request"

note "none; the counts"
rest_admin /_admin -d '{"auth": "none"}' >/dev/null
expect 200 ""
[ "$(rest_admin /_stats | jq .auth_failures)" = 12 ] || fail "auth_failures: $(rest_admin /_stats)"
[ "$(rest_admin /_stats | jq .tokens)" = 3 ] || fail "tokens: $(rest_admin /_stats)"

note "token-uses: a token authorises that many requests, then is refused as expired"
rest_admin /_admin -d '{"auth": "oauth2", "token-uses": 2}' >/dev/null
t4=$(token -u cid:csecret -d grant_type=client_credentials | head -1 | jq -r .access_token)
expect 200 "" -H "Authorization: Bearer $t4"
expect 200 "" -H "Authorization: Bearer $t4"
expect 401 invalid_token -H "Authorization: Bearer $t4"
[ "$(jq -r .message "$WORK/b")" = "the access token is unknown or expired" ] || fail "$(cat "$WORK/b")"

note "token-faults: the token endpoint draws the API's faults too"
rest_admin /_admin -d '{"token-faults": 1, "fail-503": 1}' >/dev/null
[ "$(tail -1 <<<"$(token -u cid:csecret -d grant_type=client_credentials)")" = 503 ] ||
    fail "token-faults: the token endpoint did not fail"
rest_admin /_admin -d '{"token-faults": 0}' >/dev/null
[ "$(tail -1 <<<"$(token -u cid:csecret -d grant_type=client_credentials)")" = 200 ] ||
    fail "token-faults 0: the token endpoint failed"
note "ok"

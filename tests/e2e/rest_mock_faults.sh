# rest_mock_faults: tools/rest-mock's faults appear as configured: fail_next with a chosen
# status (429 and 503 with Retry-After), 5xx and 429 at a rate, truncated 200 bodies, a 422
# range_too_wide for a window wider than max-window; drawn from the seed (the same run meets
# the same faults); a silent empty page (fail-empty, fail_next 200); and a reader that retries
# the loud ones still gets every record exactly once.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rest/walk.sh"

rest_start --seed 5 --orders 300 --retry-after 7
rest_admin /_truth >"$WORK/truth"
URL=$REST_URL/v1/orders

# one STATUS: a single request without retries; its status.
one() { curl -sS -D "$WORK/h" -o "$WORK/b" -w '%{http_code}' "${AUTH[@]}" "$URL${1:-}"; }

note "fail_next: the chosen status, Retry-After on 429 and 503, before auth"
rest_admin /_admin -d '{"fail_next": {"status": 429, "count": 2}}' >/dev/null
[ "$(one)" = 429 ] && [ "$(header Retry-After)" = 7 ] && [ "$(jq -r .error "$WORK/b")" = rate_limited ] ||
    fail "429: $(cat "$WORK/h" "$WORK/b")"
[ "$(curl -sS -o /dev/null -w '%{http_code}' "$URL")" = 429 ] || fail "the second 429 (no credentials)"
[ "$(one)" = 200 ] || fail "after fail_next"
[ "$(rest_admin /_stats | jq .early)" = 2 ] || fail "two requests came within Retry-After: $(rest_admin /_stats)"
rest_admin /_admin -d '{"fail_next": {"status": 429, "count": 1}, "retry-after": 1, "reset_stats": true}' >/dev/null
[ "$(one)" = 429 ] && [ "$(header Retry-After)" = 1 ] || fail "429 with Retry-After: 1"
sleep 1.1 # the client's side of Retry-After, as a client honouring it does
[ "$(one)" = 200 ] && [ "$(rest_admin /_stats | jq .early)" = 0 ] || fail "an honoured Retry-After counted early"
rest_admin /_admin -d '{"retry-after": 7}' >/dev/null
rest_admin /_admin -d '{"fail_next": {"status": 503, "count": 1}}' >/dev/null
[ "$(one)" = 503 ] && [ "$(header Retry-After)" = 7 ] || fail "503"
rest_admin /_admin -d '{"fail_next": {"status": 503, "count": 1}, "retry-after-form": "date"}' >/dev/null
[ "$(one)" = 503 ] || fail "503 (date)"
when=$(date -u -d "$(header Retry-After)" +%s) || fail "Retry-After is no date: $(header Retry-After)"
ahead=$((when - $(date -u +%s)))
[ "$ahead" -ge 0 ] && [ "$ahead" -le 7 ] || fail "Retry-After: $(header Retry-After) is not 7 s ahead"
grep -qE '^Retry-After: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT' "$WORK/h" ||
    fail "not an IMF-fixdate: $(header Retry-After)"
rest_admin /_admin -d '{"retry-after-form": "seconds"}' >/dev/null
rest_admin /_admin -d '{"fail_next": {"status": 400, "count": 1}}' >/dev/null
[ "$(one)" = 400 ] && [ -z "$(header Retry-After)" ] && jq -e .error "$WORK/b" >/dev/null || fail "400"
curl -sS -o /dev/null -w '%{http_code}' -d '{"fail_next": {"status": 302, "count": 1}}' "$REST_URL/_admin" |
    grep -qx 400 || fail "fail_next 302 accepted"
rest_admin /_admin -d '{"fail_next": {"status": 200, "count": 1}}' >/dev/null
[ "$(one '?_total=both')" = 200 ] && [ "$(jq -c '[.data, .total]' "$WORK/b")" = '[[],0]' ] &&
    [ "$(header X-Total-Count)" = 0 ] || fail "fail_next 200 is not an empty page: $(cat "$WORK/b")"
[ "$(one '?_total=both')" = 200 ] && [ "$(jq '.data | length' "$WORK/b")" = 50 ] || fail "after the empty page"

note "rates: every request fails so at rate 1"
for f in 500 502 503 429; do
    rest_admin /_admin -d "{\"fail-$f\": 1}" >/dev/null
    [ "$(one)" = $f ] || fail "fail-$f"
    [ $f != 502 ] || grep -qi 'content-type: text/html' "$WORK/h" || fail "502 is not an HTML page"
    rest_admin /_admin -d "{\"fail-$f\": 0}" >/dev/null
done
full=$(curl -sS "${AUTH[@]}" "$URL?limit=20&_total=none" | wc -c)
rest_admin /_admin -d '{"fail-truncate": 1}' >/dev/null
[ "$(one '?limit=20')" = 200 ] || fail "truncate status"
! jq -e . "$WORK/b" >/dev/null 2>&1 || fail "a truncated body parses"
one '?limit=20&_total=none' >/dev/null
[ "$(wc -c <"$WORK/b")" -eq $((full / 2)) ] || fail "not cut in half: $(wc -c <"$WORK/b") of $full bytes"
rest_admin /_admin -d '{"fail-truncate": 0, "fail-empty": 1}' >/dev/null
[ "$(one '?limit=20')" = 200 ] && [ "$(jq -c '[.data, .total]' "$WORK/b")" = '[[],0]' ] || fail "fail-empty"
rest_admin /_admin -d '{"fail-empty": 0}' >/dev/null
stats=$(rest_admin /_stats)
[ "$(jq -c .faults <<<"$stats")" = '{"http_500":1,"http_502":1,"http_503":1,"http_429":1,"truncate":2,"empty":1}' ] ||
    fail "fault counts: $stats"

note "range_too_wide: a window wider than max-window, or open, is a 422 with the limit"
rest_admin /_admin -d '{"max-window": 86400}' >/dev/null
[ "$(one '?updated_from=2024-03-01T00:00:00Z&updated_to=2024-03-02T00:00:01Z')" = 422 ] || fail "wide"
[ "$(jq -c '[.error, .max_seconds]' "$WORK/b")" = '["range_too_wide",86400]' ] || fail "422 body: $(cat "$WORK/b")"
[ "$(one '?updated_from=2024-03-01T00:00:00Z')" = 422 ] || fail "open end"
[ "$(one '?updated_from=2024-03-01T00:00:00Z&updated_to=2024-03-02T00:00:00Z')" = 200 ] || fail "exactly max"
[ "$(one '?updated_from=2024-03-01T00:00:00Z&updated_to=2024-03-02T00:00:00Z' >/dev/null; URL=$REST_URL/v1/shops one)" = 200 ] ||
    fail "shops have no window limit"
rest_admin /_admin -d '{"max-window": 0}' >/dev/null

note "a reader retrying faults at rates sees every record once; the same seed, the same faults"
# faulty OUT: a fresh mock with faults at rates, walked with retries; its fault counts to OUT.
faulty() {
    rest_start --seed 5 --orders 300 --fail-500 0.1 --fail-502 0.05 --fail-503 0.1 --fail-429 0.1 \
        --fail-truncate 0.1 --paging cursor
    RETRIES=0
    SIZE=10 walk cursor /v1/orders "$WORK/faulty"
    same_records faulty "$WORK/faulty" "$WORK/truth"
    rest_admin /_stats | jq -c .faults >"$1"
}
faulty "$WORK/faults1"
[ "$RETRIES" -ge 5 ] || fail "only $RETRIES faults in 30 pages at these rates"
[ "$(jq 'add' "$WORK/faults1")" = "$RETRIES" ] || fail "$RETRIES retries, faults $(cat "$WORK/faults1")"
faulty "$WORK/faults2"
cmp -s "$WORK/faults1" "$WORK/faults2" || fail "another run met other faults"
note "faults met: $(cat "$WORK/faults1") ($RETRIES retries); ok"

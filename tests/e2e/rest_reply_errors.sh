#!/usr/bin/env bash
# rest_reply_errors: error rules that read @status see every reply, not only 200s. Against
# rest-mock (orders wider than a day are a 422 range_too_wide; 20% of requests a 429 and 10%
# a 503, with Retry-After as an HTTP date; every request signed, else a 401 invalid_signature):
#   - the 422 rule splits the 2-day windows: every order is read, no request refused for good;
#   - the 429s' and 503s' Retry-After dates are honoured (/_stats early == 0);
#   - a wrong secret: the 401 rule fails the run (exit 4) with the API's own message and the
#     rule's hint, the secret nowhere in the output.
source "$(dirname "$0")/lib.sh"

rest_start --seed 5 --orders 40 --auth none --sign hmac-sha256 --strict-params 0 \
    --max-window 86400 --fail-429 0.2 --fail-503 0.1 \
    --retry-after 1 --retry-after-form date
export REST_ORDERS=$REST_URL/v1/page/orders
cat >"$WORK/job.yml" <<'YML'
version: 1
name: rest_reply_errors
source:
  endpoint: ${env:REST_ORDERS}
  method: orders
  signer:
    type: recipe
    secret: ${env:REST_SIGN_SECRET}
    pair: "{key}={value}"
    join: "&"
    hash: hmac-sha256
    sign_param: sign
  window:
    from_param: updated_from
    to_param: updated_to
    format: "%s"
    timezone: "+08:00"
    start: "2024-03-01 00:00:00"
    max_span: 2d
    min_span: 1h
  paging: { page_param: page, size_param: per_page, first_page: 1, size: 10, total: total }
  records: data
  errors:
    - when: '@status == 422 && error == "range_too_wide"'
      then: split
    - when: '@status == 401'
      then: fail
      message: message
      hint: check REST_SIGN_SECRET
  retry: { attempts: 20, backoff: 10ms..50ms }
  limits: { calls_per_minute: 6000 }
target:
  dsn: ${env:SLUICE_DB}
  table: rest_orders
  key: [id]
columns:
  id: { path: id, type: "varchar(32)", required: true }
YML

# dry_run LABEL SECRET: all windows with REST_SIGN_SECRET=SECRET; sets RC, output in run.out.
dry_run() {
    RC=0
    rest_admin /_admin -X POST -d '{"clear_requests": true, "reset_stats": true}' >/dev/null
    REST_SIGN_SECRET=$2 "$SLUICE" dry-run "$WORK/job.yml" --now "2024-03-08 02:00:00" \
        --max-windows 0 >"$WORK/run.out" 2>&1 || RC=$?
    echo "$1 secret: exit $RC; statuses: $(rest_admin /_requests | jq -r .status | sort | uniq -c | xargs)"
    grep -qF "$2" "$WORK/run.out" && fail "$1 secret: the output shows the secret"
    return 0
}

truth=$(rest_admin /_truth | jq -s length)
dry_run right rest-sign-secret
[ $RC -eq 0 ] || { cat "$WORK/run.out" >&2; fail "right secret: exit $RC, want 0"; }
statuses=$(rest_admin /_requests | jq -r .status | sort -u | xargs)
case " $statuses " in *" 422 "*) ;; *) fail "no 422 served (statuses: $statuses): the split went untested" ;; esac
for s in 429 503; do
    case " $statuses " in *" $s "*) ;; *) fail "no $s served (statuses: $statuses): its Retry-After went untested" ;; esac
done
grep -q "split in halves" "$WORK/run.out" || fail "the 422 rule did not split a window"
read_n=$(awk '$1 == "records" { print $2; exit }' "$WORK/run.out")
[ "$read_n" = "$truth" ] || fail "read $read_n records, the mock holds $truth"
early=$(rest_admin /_stats | jq .early)
[ "$early" = 0 ] || fail "$early requests came before their Retry-After had passed"

dry_run wrong not-the-sign-secret
[ $RC -eq 4 ] || { cat "$WORK/run.out" >&2; fail "wrong secret: exit $RC, want 4"; }
grep -q "the signature does not match the request; check REST_SIGN_SECRET" "$WORK/run.out" ||
    { cat "$WORK/run.out" >&2; fail "wrong secret: the error lacks the API's message and the hint"; }
echo "rest_reply_errors: ok ($truth records read; statuses $statuses; early $early)"

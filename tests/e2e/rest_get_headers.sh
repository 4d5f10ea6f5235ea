#!/usr/bin/env bash
# rest_get_headers: source.request against rest-mock's defaults (bearer auth, unknown query
# parameters refused): a GET with the window and page in the query string, the token in an
# Authorization header read from ${env:}, and no `method` parameter (source.method is empty).
# Every request is accepted and every order read; `sluice plan` shows the header's reference,
# never the token; a wrong token is refused with a 401 (exit 4) and never printed.
source "$(dirname "$0")/lib.sh"

rest_start --seed 9 --orders 40
export REST_ORDERS=$REST_URL/v1/page/orders
cat >"$WORK/job.yml" <<'YML'
version: 1
name: rest_get
source:
  endpoint: ${env:REST_ORDERS}
  method: ""
  signer: { type: none }
  request:
    method: GET
    headers: { Authorization: "${env:REST_AUTH}", Accept: application/json }
  window:
    from_param: updated_from
    to_param: updated_to
    format: "%s"
    timezone: "+08:00"
    start: "2024-03-01 00:00:00"
    max_span: 2d
  paging: { page_param: page, size_param: per_page, first_page: 1, size: 10, total: total }
  records: data
  limits: { calls_per_minute: 6000 }
target:
  dsn: ${env:SLUICE_DB}
  table: rest_orders
  key: [id]
columns:
  id: { path: id, type: "varchar(32)", required: true }
YML

# dry_run LABEL TOKEN: all windows with that bearer token; sets RC, output in run.out.
dry_run() {
    RC=0
    rest_admin /_admin -X POST -d '{"clear_requests": true}' >/dev/null
    REST_AUTH="Bearer $2" "$SLUICE" dry-run "$WORK/job.yml" --now "2024-03-08 02:00:00" \
        --max-windows 0 --quiet >"$WORK/run.out" 2>&1 || RC=$?
    echo "$1 token: exit $RC; statuses: $(rest_admin /_requests | jq -r .status | sort | uniq -c | xargs)"
    grep -qF "$2" "$WORK/run.out" && fail "$1 token: the output shows the token"
    return 0
}

SLUICE_DB=mysql://u@127.0.0.1/d REST_AUTH="Bearer $REST_TOKEN" "$SLUICE" plan "$WORK/job.yml" --strict >"$WORK/plan.out" 2>&1 ||
    { cat "$WORK/plan.out" >&2; fail "plan failed"; }
grep -qF "header Authorization: <secret from env:REST_AUTH>" "$WORK/plan.out" ||
    { cat "$WORK/plan.out" >&2; fail "plan does not show the header's reference"; }
grep -qF "$REST_TOKEN" "$WORK/plan.out" && fail "plan shows the token"

truth=$(rest_admin /_truth | jq -s length)
dry_run right "$REST_TOKEN"
[ $RC -eq 0 ] || { cat "$WORK/run.out" >&2; fail "right token: exit $RC, want 0"; }
rest_admin /_requests | jq -e 'select(.status != 200)' >/dev/null && fail "a request was refused"
rest_admin /_requests | jq -e 'select(.method != "GET" or .body != "" or (.params | has("method")))' \
    >/dev/null && fail "a request was not a plain GET"
rest_admin /_requests | jq -e 'select(.credentials != "bearer" or (.params | has("updated_from") and has("page") | not))' \
    >/dev/null && fail "a request lacks the bearer header or the query parameters"
read_n=$(awk '$1 == "records" { print $2; exit }' "$WORK/run.out")
[ "$read_n" = "$truth" ] || fail "read $read_n records, the mock holds $truth"

dry_run wrong not-the-token
[ $RC -eq 4 ] || { cat "$WORK/run.out" >&2; fail "wrong token: exit $RC, want 4"; }
[ "$(rest_admin /_requests | jq -r .status | sort -u)" = 401 ] || fail "wrong token: not refused with 401"
echo "rest_get_headers: ok ($truth records read, every request a GET with a bearer header)"

#!/usr/bin/env bash
# recipe_signature: a signature written in the job file (signer type recipe, docs/signing.md)
# is what the API checks. The recipe here is the Qimen gateway's TOP sign, sent to wdt-mock's
# Qimen route by `sluice dry-run`. With a wrong secret the gateway refuses the signature and
# the run fails (exit 4) with the API's own message, "Invalid signature"; with the right one
# the gateway accepts it and the next gate answers instead (the WDT layer's wdt_sign, which
# this single recipe does not make: "验证失败"). Neither run shows the secret.
source "$(dirname "$0")/lib.sh"

mock_start --seed 3 --records 20 --from "2024-01-01 00:00:00" --to "2024-01-01 23:59:59" \
    --now "2024-01-02 00:30:00"
cat >"$WORK/job.yml" <<'YML'
version: 1
name: recipe_top
source:
  endpoint: ${env:WDT_ENDPOINT}
  method: wdt.aftersales.refund.refund.search
  signer:
    type: recipe
    secret: ${env:QIMEN_APP_SECRET}
    add:
      app_key: ${env:QIMEN_APP_KEY}
      target_app_key: ${env:QIMEN_TARGET_APP_KEY}
      wdt3_customer_id: ${env:WDT_SID}
      wdt_appkey: ${env:WDT_APPKEY}
      format: json
      v: "2.0"
      sign_method: md5
    timestamp: "%Y-%m-%d %H:%M:%S"
    timestamp_zone: "+08:00"
    timestamp_param: timestamp
    skip_empty: true
    before: "{secret}"
    after: "{secret}"
    hash: md5
    encoding: hex-upper
    sign_param: sign
  window:
    from_param: modified_from
    to_param: modified_to
    timezone: "+08:00"
    start: "2024-01-01 00:00:00"
  paging: { page_param: page_no, size_param: page_size, total: response.data.total_count }
  records: response.data.order
  errors:
    - when: response.flag == "failure"
      then: fail
      message: response.message
    - when: response.status != 0
      then: fail
      message: response.message
target:
  dsn: ${env:SLUICE_DB}
  table: refunds
  key: [refund_id]
columns:
  refund_id: { path: refund_id, type: bigint, required: true }
YML

# dry_run LABEL SECRET: runs the job with QIMEN_APP_SECRET=SECRET; sets RC, output in
# $WORK/run.out.
dry_run() {
    RC=0
    QIMEN_APP_SECRET=$2 "$SLUICE" dry-run "$WORK/job.yml" --now "2024-01-02 00:10:00" --quiet \
        >"$WORK/run.out" 2>&1 || RC=$?
    echo "$1 secret: exit $RC: $(grep -m1 error "$WORK/run.out")"
    grep -qF "$2" "$WORK/run.out" && fail "$1 secret: the output shows the secret"
    return 0
}

dry_run wrong not-the-qimen-secret
[ $RC -eq 4 ] || { cat "$WORK/run.out" >&2; fail "wrong secret: exit $RC, want 4"; }
grep -q "Invalid signature" "$WORK/run.out" || fail "wrong secret: the API's message is missing"

dry_run right "$QIMEN_APP_SECRET"
[ $RC -eq 4 ] || { cat "$WORK/run.out" >&2; fail "right secret: exit $RC, want 4 (at the WDT gate)"; }
grep -q "Invalid signature" "$WORK/run.out" && fail "right secret: the gateway refused the signature"
grep -q "验证失败" "$WORK/run.out" || fail "right secret: not stopped at the WDT layer's gate"
echo "recipe_signature: ok"

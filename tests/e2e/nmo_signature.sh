#!/usr/bin/env bash
# nmo_signature: permanent errors stop at once (issue 4). A wrong Qimen secret (the gateway's
# TOP signature) and, separately, a wrong WDT secret (wdt_sign) each fail the run with exit 4
# and a message naming the signature and what to check, after at most 2 requests reached the
# mock (its /_stats calls): no retry storm. The secrets never appear in the output.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"

mock_start --seed 2 --records 500 --from "2024-01-01 00:00:00" --to "2024-01-04 23:59:59" \
    --now "2024-01-05 00:30:00" --latency-ms 100 # a real API is not instant
db_fresh g
JOB=$(nmo_job)
t0=$(date +%s)
worst=0

# wrong VAR VALUE PATTERN: runs with VAR=VALUE; wants exit 4, PATTERN in the message, <= 2 calls.
wrong() {
    mock_admin /_admin -X POST -d '{"reset_stats": true}' >/dev/null
    local var=$1 value=$2 pattern=$3
    RUN_RC=0
    env "$var=$value" "$SLUICE" run "$JOB" --now "2024-01-05 00:10:00" --quiet >"$WORK/run.out" 2>&1 ||
        RUN_RC=$?
    local calls
    calls=$(mock_stat calls)
    echo "$var wrong: exit $RUN_RC after $calls calls: $(grep error "$WORK/run.out")"
    [ $RUN_RC -eq 4 ] || { cat "$WORK/run.out" >&2; fail "$var wrong: exit $RUN_RC, want 4"; }
    grep -Eqi "$pattern" "$WORK/run.out" || fail "$var wrong: the message does not name the signature"
    [ "$calls" -le 2 ] || fail "$var wrong: $calls requests reached the API, want at most 2"
    grep -qF "$value" "$WORK/run.out" && fail "$var wrong: the output shows the secret"
    [ "$calls" -le "$worst" ] || worst=$calls
}

wrong QIMEN_APP_SECRET not-the-qimen-secret "signature.*QIMEN_APP_SECRET"
wrong WDT_APPSECRET not-the-wdt-secret:salty "sign.*WDT_APPSECRET"
"$SLUICE" state show "$JOB" | grep -q "watermark (none)" || fail "a failed run moved the watermark"
echo "figures: scenario=signature runs=2 exit=4 max_calls=$worst elapsed=$(($(date +%s) - t0))s"
echo "nmo_signature: ok"

# common.sh: helpers of the `sluice serve` tests (serve*.sh), sourced after lib.sh.

# serve_start ARGS...: starts `sluice serve ARGS --listen 127.0.0.1:0` (stdout in serve.out, its
# log in serve.log), waits for its listening line; sets SERVE_PID and SERVE_URL.
serve_start() {
    "$SLUICE" serve "$@" --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.log" &
    SERVE_PID=$!
    E2E_PIDS+=("$SERVE_PID")
    wait_until 20 "listening line" grep -q "listening on port [0-9]" "$WORK/serve.log"
    SERVE_URL="http://127.0.0.1:$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$WORK/serve.log")"
}

# wait_until SECONDS WHAT CMD...: runs CMD until it succeeds; fails the test after SECONDS or
# when the service exits.
wait_until() {
    local limit=$1 what=$2 deadline=$((SECONDS + $1))
    shift 2
    until "$@"; do
        kill -0 "$SERVE_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; fail "sluice serve exited"; }
        [ $SECONDS -lt $deadline ] || { cat "$WORK/serve.log" >&2; fail "no $what within $limit s"; }
        sleep 0.2
    done
}

# metric NAME LABELS: the value of the /metrics sample NAME{LABELS}, or nothing; a request
# waits METRIC_TIMEOUT seconds at most (default 10).
metric() {
    curl -sS --max-time "${METRIC_TIMEOUT:-10}" "$SERVE_URL/metrics" |
        awk -v k="$1{$2}" '$1 == k { v = $2 } END { print v }'
}

#!/usr/bin/env bash
# throttle_wait_cap: a throttle asking for a wait longer than source.limits.max_wait (default
# 5m) is not obeyed (issue 9, item 8: `Retry-After: 99999` used to put the run to sleep for
# 27.8 hours holding the run lock). The request fails as a transient failure instead: it counts
# against retry.attempts, logs one line per attempt naming the demand and the cap, and once the
# attempts are spent the run exits 4 with the watermark untouched. Both kinds of demand: an
# error rule's wait (the gateway's "ban will last for 3600 more seconds") and HTTP 429's
# Retry-After. Each run has a deadline far below the demanded wait: a run that obeys it fails
# the test (exit 124) instead of sleeping.
source "$(dirname "$0")/lib.sh"

mock_start --seed 3 --records 200 --from "2024-01-01 00:00:00" --to "2024-01-02 23:59:59" \
    --now "2024-01-03 00:05:00" --fail-throttle-gw 1 --ban-seconds 3600
db_create
# One window at a time: each attempt is the same request's.
JOB=$(job_copy wdt_refund 's/attempts: 8/attempts: 3/' 's/backoff: 500ms..30s/backoff: 10ms..20ms/' \
    's/concurrency: 4/concurrency: 1/')
grep -q "attempts: 3" "$JOB" || fail "could not set retry.attempts in the job copy"

# refused WHAT SECONDS: the run gives up on the first request after 3 attempts, each refused
# because WHAT asks to wait SECONDS, more than the 300-second cap.
refused() {
    local rc=0 demand="$1 asks to wait $2 s, more than source.limits.max_wait (300 s)"
    timeout 60 "$SLUICE" run "$JOB" --now "2024-01-03 00:10:00" >"$WORK/run.out" 2>&1 || rc=$?
    cat "$WORK/run.out"
    [ $rc -ne 124 ] || fail "$1: the run obeyed a $2-second wait"
    [ $rc -eq 4 ] || fail "$1: the run exited $rc, want 4"
    grep -q "giving up after 3 attempts: $demand" "$WORK/run.out" ||
        fail "$1: the failure does not name the demand and the cap"
    [ "$(grep -c "$demand; retry [12] in [0-9]* ms" "$WORK/run.out")" -eq 2 ] ||
        fail "$1: want one log line per retried attempt"
    grep -q "requests    3 (0 pages, 3 retries, 0 throttled)" "$WORK/run.out" ||
        fail "$1: the summary does not count 3 retries"
    [ -z "$(db_sql "SELECT watermark_text FROM sluice_state WHERE job='wdt_refund'")" ] ||
        fail "$1: a watermark was written"
}

note "an error rule's wait: the gateway bans for 3600 s"
refused "error rule" 3600
note "HTTP 429 with Retry-After: 99999"
mock_admin /_admin -X POST -d '{"fail-throttle-gw": 0, "retry-after": 99999}' >/dev/null
refused "HTTP 429" 99999
echo "throttle_wait_cap: ok"

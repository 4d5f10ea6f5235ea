#!/usr/bin/env bash
# serve_takeover: two `sluice serve` services on one database (standing for two hosts) serve
# the same job with three accounts (docs/accounts.md, "The lease"; docs/serve.md):
#   1. while both run, no two runs of one account overlap in time (the overlap query is checked
#      on a planted pair first), and the second service is refused an account the first holds
#      (a run that ends "locked");
#   2. the first service is killed with SIGKILL, its run children with it (its whole process
#      group, as when its host dies), in the middle of an account's first run: the second takes
#      that account over within 30 s (the lock died with the killed run's connection), from the
#      committed watermark; the killed run is marked abandoned; nothing is lost (oracle: each
#      account's rows are exactly its shop's truth); SIGTERM then stops the second (exit 0).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/accounts/common.sh"

rest_start --seed 47 --orders 300 --shops 3 --auth bearer --shop-tokens 1 --latency-ms 250
export REST_ORDERS_URL=$REST_URL/v1/offset/orders
db_create
JOB=$(job 3)
sed -i 's/^    max_span: 1d$/    max_span: 30d/' "$JOB" # the wall clock is years past the data
grep -q "max_span: 30d" "$JOB" || fail "the max_span edit did not apply"
printf 'schedule:\n  every: 1s\n' >>"$JOB"
"$SLUICE" migrate "$JOB" >/dev/null || fail "migrate"

OVERLAP="SELECT COUNT(*) FROM sluice_runs a JOIN sluice_runs b ON a.job = b.job AND a.account = b.account
         AND a.id < b.id AND a.status <> 'abandoned' AND b.status <> 'abandoned'
         AND a.started_at < COALESCE(b.ended_at, NOW(3)) AND b.started_at < COALESCE(a.ended_at, NOW(3))"
db_sql "INSERT INTO sluice_runs (job, account, started_at, ended_at, status) VALUES
        ('planted', 'x', '2024-01-01 00:00:00', '2024-01-01 00:00:10', 'ok'),
        ('planted', 'x', '2024-01-01 00:00:05', '2024-01-01 00:00:20', 'ok')"
[ "$(db_sql "$OVERLAP")" = 1 ] || fail "the overlap query misses a planted overlap"
db_sql "DELETE FROM sluice_runs WHERE job='planted'"

# serve NAME: a service in a process group of its own (setsid: its pid is the group's id).
serve() {
    setsid "$SLUICE" serve "$JOB" --listen 127.0.0.1:0 --max-runs 3 >"$WORK/$1.out" 2>"$WORK/$1.log" &
    E2E_PIDS+=("$!")
    eval "$1=$!"
}
# wait_until SECONDS WHAT CMD...: runs CMD until it succeeds; fails the test after SECONDS.
wait_until() {
    local limit=$1 what=$2 deadline=$((SECONDS + $1))
    shift 2
    until "$@"; do
        [ $SECONDS -lt $deadline ] || { tail -n 20 "$WORK"/*.log >&2; fail "no $what within $limit s"; }
        sleep 0.1
    done
}
# committed_running: some account's run is in flight and has committed rows; prints the account.
committed_running() {
    local acc
    acc=$(db_sql "SELECT account FROM sluice_runs WHERE status='running' AND rows_written > 0 LIMIT 1" 2>/dev/null)
    [ -n "$acc" ] && echo "$acc" >"$WORK/victim"
}
a_runs_one() { pgrep -P "$A" >/dev/null; }
b_locked() { grep -q "run ended: locked" "$WORK/B.log"; }

note "1. two services, one database: each account's runs take turns"
serve A
wait_until 30 "committed run of the first service" committed_running
serve B
wait_until 30 "lock refusal in the second service" b_locked
a_runs_one || fail "the first service runs nothing: its runs ended before the kill"
X=$(cat "$WORK/victim")
[ "$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE account='$X' AND status='running'")" = 1 ] ||
    fail "account $X's first run ended before the kill: $(db_sql "SELECT account, status FROM sluice_runs")"

note "2. the first service dies with its runs (SIGKILL to its process group) mid-run of account $X"
kill -9 -- "-$A"
rc=0; wait "$A" 2>/dev/null || rc=$?
[ $rc -eq 137 ] || fail "the first service ended before the kill (exit $rc)"
t0=$(date +%s%N)
last=$(db_sql "SELECT MAX(id) FROM sluice_runs") # every run the killed service began is at most this
taken_over() {
    [ "$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE account='$X' AND status='ok' AND id > $last")" -ge 1 ]
}
wait_until 30 "ok run of account $X by the second service" taken_over
takeover_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
all_ok() {
    local acc
    for acc in 1 2 3; do
        [ "$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE account='$acc' AND status='ok'")" -ge 1 ] || return 1
    done
}
wait_until 60 "ok run of every account" all_ok
[ "$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE account='$X' AND status='abandoned'")" = 1 ] ||
    fail "the killed run is not marked abandoned: $(db_sql "SELECT account, status FROM sluice_runs")"
[ "$(db_sql "$OVERLAP")" = 0 ] ||
    fail "runs of one account overlapped: $(db_sql "SELECT id, account, status, started_at, ended_at FROM sluice_runs")"
oracle 1,2,3
kill -TERM "$B"
rc=0; wait "$B" || rc=$?
[ $rc -eq 0 ] || { tail -n 20 "$WORK/B.log" >&2; fail "the second service exited $rc after SIGTERM"; }
[ "$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE status='running'")" = 0 ] ||
    fail "a run record still says running: $(db_sql "SELECT account, status FROM sluice_runs")"
echo "figures: takeover_ms=$takeover_ms (account $X), B refused $(grep -c 'run ended: locked' "$WORK/B.log") runs while A held their account, runs: $(db_sql "SELECT GROUP_CONCAT(CONCAT(account, ':', status) ORDER BY id) FROM sluice_runs")"
echo "serve_takeover: ok"

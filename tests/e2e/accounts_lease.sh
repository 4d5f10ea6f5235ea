#!/usr/bin/env bash
# accounts_lease: the run lock as a lease (docs/accounts.md, "The lease"). Two `sluice run`
# processes on one database stand for two services on different hosts.
#   1. Both run the same three accounts at once (the second starts while the first is inside
#      account 1): every account is synced, the second is refused account 1 (exit 7 for it, the
#      lock message names the account) and runs the others meanwhile (the first may then be
#      refused one the second holds), and the runs table shows
#      no two runs of one account overlapping in time (the overlap query is checked on a planted
#      pair first) while runs of different accounts did overlap.
#   2. A run of account 1 is killed with SIGKILL mid-run: another process takes the account
#      over within 10 s (the lock died with the connection), continues from the committed
#      watermark, and nothing is lost (oracle: 0 rows wrong); the killed run is `abandoned`.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/accounts/common.sh"

rest_start --seed 43 --orders 450 --shops 3 --auth bearer --shop-tokens 1 --latency-ms 60
export REST_ORDERS_URL=$REST_URL/v1/offset/orders
db_create
J=$(job 3)
sed -i 's/limit: 50$/limit: 20/' "$J" # more pages: a run lasts a few seconds
NOW="2024-03-08 00:30:00"

# running ACCOUNT: the account has a run record still running (its run holds the lock).
running() {
    [ "$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE account='$1' AND status='running'" 2>/dev/null || echo 0)" -gt 0 ]
}
# wait_for CMD... : until CMD succeeds, 20 s at most.
wait_for() {
    local i
    for i in $(seq 1 400); do "$@" && return 0; sleep 0.05; done
    return 1
}
# Runs of one account overlapping in time; an abandoned run's end is unknown (it was killed, and
# its lock went with it: checked by the takeover below), so it is left out.
OVERLAP="SELECT COUNT(*) FROM sluice_runs a JOIN sluice_runs b ON a.job = b.job AND a.account = b.account
         AND a.id < b.id AND a.status <> 'abandoned' AND b.status <> 'abandoned' AND a.started_at < COALESCE(b.ended_at, NOW(3)) AND b.started_at < COALESCE(a.ended_at, NOW(3))"

note "1. two processes, one database, the same accounts"
"$SLUICE" migrate "$J" >/dev/null
db_sql "INSERT INTO sluice_runs (job, account, started_at, ended_at, status) VALUES
        ('planted', 'x', '2024-01-01 00:00:00', '2024-01-01 00:00:10', 'ok'),
        ('planted', 'x', '2024-01-01 00:00:05', '2024-01-01 00:00:20', 'ok')"
[ "$(db_sql "$OVERLAP")" = 1 ] || fail "the overlap query misses a planted overlap"
db_sql "DELETE FROM sluice_runs WHERE job='planted'"

"$SLUICE" run "$J" --now "$NOW" --quiet >"$WORK/a.out" 2>&1 &
a=$!
wait_for running 1 || { cat "$WORK/a.out" >&2; fail "the first process never started account 1"; }
rc_b=0; "$SLUICE" run "$J" --now "$NOW" --quiet >"$WORK/b.out" 2>&1 || rc_b=$?
rc_a=0; wait $a || rc_a=$?
grep -h '^sluice' "$WORK/a.out" "$WORK/b.out"
# each process exits 0, or 7 when another held one of its accounts (the other synced it)
[ $rc_a -eq 0 ] || [ $rc_a -eq 7 ] || { cat "$WORK/a.out" >&2; fail "the first process exited $rc_a"; }
[ $rc_b -eq 0 ] || [ $rc_b -eq 7 ] || { cat "$WORK/b.out" >&2; fail "the second process exited $rc_b"; }
grep -q "^sluice: error: account 1: another run of job 'rest_orders' account '1' is in progress" "$WORK/b.out" ||
    fail "the second process was not refused account 1"
[ "$(db_sql "$OVERLAP")" = 0 ] || fail "runs of one account overlapped: $(db_sql "SELECT id, account, started_at, ended_at FROM sluice_runs")"
across=$(db_sql "SELECT COUNT(*) FROM sluice_runs a JOIN sluice_runs b ON a.account < b.account
                 AND a.started_at < b.ended_at AND b.started_at < a.ended_at")
[ "$across" -gt 0 ] || fail "the two processes never ran at the same time (no overlap across accounts)"
for acc in 1 2 3; do
    [ "$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE account='$acc' AND status='ok'")" -ge 1 ] ||
        fail "account $acc was never synced"
done
oracle 1,2,3
echo "runs: $(db_sql "SELECT GROUP_CONCAT(CONCAT(account, ':', status) ORDER BY id) FROM sluice_runs")"

note "2. kill -9 mid-run: another process takes the account over"
rest_admin /_admin -X POST -d '{"now": "2024-03-08T01:00:00+08:00", "mutate": {"update": 90, "insert": 15}}' >/dev/null
"$SLUICE" state reset "$J" --account 1 >/dev/null # account 1 reads everything again: a long run
"$SLUICE" run "$J" --account 1 --now "2024-03-08 02:00:00" --quiet >"$WORK/k.out" 2>&1 &
k=$!
committed() { [ "$(db_sql "SELECT rows_written FROM sluice_runs WHERE account='1' AND status='running'" 2>/dev/null || echo 0)" -gt 0 ]; }
wait_for committed || { cat "$WORK/k.out" >&2; fail "the run to kill committed nothing"; }
kill -9 $k
rc=0; wait $k 2>/dev/null || rc=$?
[ $rc -eq 137 ] || fail "the run ended before the kill (exit $rc)"
t0=$(date +%s%N) rc=7 tries=0
while [ $rc -eq 7 ] && [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 10000 ]; do
    tries=$((tries + 1))
    rc=0; "$SLUICE" run "$J" --account 1 --now "2024-03-08 02:00:00" --quiet >"$WORK/run.out" 2>&1 || rc=$?
    [ $rc -eq 7 ] && sleep 0.2
done
takeover_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ $rc -eq 0 ] || { cat "$WORK/run.out" >&2; fail "the takeover run exited $rc after ${takeover_ms} ms"; }
[ "$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE account='1' AND status='abandoned'")" = 1 ] ||
    fail "the killed run is not marked abandoned: $(db_sql "SELECT account, status FROM sluice_runs")"
sluice_run "$J" --now "2024-03-08 02:00:00"
oracle 1,2,3
[ "$(db_sql "$OVERLAP")" = 0 ] || fail "runs of one account overlapped after the takeover"
echo "figures: takeover_ms=$takeover_ms takeover_tries=$tries exits=$rc_a,$rc_b"
echo "accounts_lease: ok"

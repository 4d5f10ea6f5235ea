#!/usr/bin/env bash
# rest_full_refresh: a full refresh (a job without source.window; docs/sink.md, "Full refresh")
# against tools/rest-mock's shops with mappings/examples/rest_shops.yml. The first sync lands
# every shop; shops deleted and added at the source, then a second run: the table equals the
# truth (the oracle finds 0 wrong). An empty read (`fail-empty`) is refused with exit 9 and the
# table stays as it was; the negative control, the same read with --force-refresh, empties it.
# A drop over max_drop_percent is refused too, and accepted with max_drop_percent: 100;
# allow_empty: true accepts an empty read. A reader polling count and checksum during a slow
# refresh of 3000 shops only ever sees the old or the new content. SIGTERM mid-refresh exits 8
# and drops the shadow; kill -9 leaves the old table whole, and the rerun gives the right table
# and leaves no shadow behind. Also plan, dry-run, state, verify, --from and --force-refresh on
# such a job (and on a windowed one), the missing DROP privilege, run records and metrics.
source "$(dirname "$0")/lib.sh"

db_create
rest_start --seed 11 --shops 40 --strict-params 1
export REST_SHOPS_URL=$REST_URL/v1/offset/shops
JOB=$SLUICE_SRC/mappings/examples/rest_shops.yml
TABLE_SUM="SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', id, name, region, active,
    opened_at, updated_at))), 0) FROM rest_shops"

# leftovers: the shadow or old tables a refresh left in the test's database.
leftovers() {
    db_sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
            AND TABLE_NAME LIKE 'rest\\_shops\\_\\_sluice\\_%'"
}

# run_status WANT [args...]: `sluice run` of $JOB exits WANT; output in $WORK/run.out.
run_status() {
    local want=$1 rc=0
    shift
    "$SLUICE" run "$JOB" --quiet "$@" >"$WORK/run.out" 2>&1 || rc=$?
    [ "$rc" = "$want" ] || { cat "$WORK/run.out" >&2; fail "sluice run $* exited $rc, want $want"; }
}

# job_with SED: a copy of the example job with the edit applied, in $WORK/edited.yml.
job_with() { sed "$1" "$JOB" >"$WORK/edited.yml"; }

note "dry-run: the rows go to the shadow table, then one RENAME swaps it in"
"$SLUICE" dry-run "$JOB" >"$WORK/dry.out" 2>"$WORK/dry.err" || { cat "$WORK/dry.err"; fail "dry-run"; }
for want in 'CREATE TABLE `rest_shops__sluice_new` LIKE `rest_shops`' \
    'REPLACE INTO `rest_shops__sluice_new`' \
    'RENAME TABLE `rest_shops` TO `rest_shops__sluice_old`, `rest_shops__sluice_new` TO `rest_shops`'; do
    grep -qF "$want" "$WORK/dry.out" || { cat "$WORK/dry.out"; fail "dry-run lacks: $want"; }
done

note "without the DROP privilege the run fails, naming it"
run_status 5
grep -q "a full refresh needs the DROP privilege" "$WORK/run.out" || { cat "$WORK/run.out"; fail "no hint"; }
for host in 127.0.0.1 localhost; do db_sql "GRANT DROP ON \`$DB_NAME\`.* TO 'sluice'@'$host'"; done

note "plan names the mode and the guard"
"$SLUICE" plan "$JOB" >"$WORK/plan.out" || fail "plan"
grep -q "^  window: none: a full refresh" "$WORK/plan.out" || { cat "$WORK/plan.out"; fail "plan: window"; }
grep -q "refused when empty or over 50% fewer rows" "$WORK/plan.out" || fail "plan: the guard"

note "first sync"
run_status 0 --metrics "$WORK/metrics"
rest_oracle_ok shops
grep -q "refresh     0 rows in the table, 40 read" "$WORK/run.out" || { cat "$WORK/run.out"; fail "summary"; }
grep -q '^sluice_refresh_rows_read{.*} 40$' "$WORK/metrics" || { cat "$WORK/metrics"; fail "metrics"; }
promtool_clean "$WORK/metrics"
[ "$(leftovers)" = 0 ] || fail "the first run left shadow tables"

note "shops deleted and added at the source disappear and appear"
rest_admin /_admin -X POST -d '{"delete_shops": [2, 9, 17, 33], "add_shops": 3}' >/dev/null
[ "$(rest_admin '/_truth?resource=shops' | wc -l)" = 39 ] || fail "the truth should hold 39 shops"
run_status 0
rest_oracle_ok shops
grep -q "refresh     40 rows in the table, 39 read" "$WORK/run.out" || { cat "$WORK/run.out"; fail "summary"; }
[ "$(db_sql "SELECT COUNT(*) FROM rest_shops WHERE id IN (2, 9, 17, 33)")" = 0 ] ||
    fail "deleted shops are still in the table"

note "an empty read (fail-empty) is refused: exit 9, the table as it was"
before=$(db_sql "$TABLE_SUM")
rest_admin /_admin -X POST -d '{"fail-empty": 1}' >/dev/null
run_status 9
grep -q "full refresh of rest_shops refused: the read holds no records (the table holds 39" \
    "$WORK/run.out" || { cat "$WORK/run.out"; fail "the refusal's message"; }
[ "$(db_sql "$TABLE_SUM")" = "$before" ] || fail "a refused refresh changed the table"
[ "$(leftovers)" = 0 ] || fail "a refused refresh left shadow tables"
[ "$(db_sql "SELECT status FROM sluice_runs ORDER BY id DESC LIMIT 1")" = refused ] ||
    fail "the run record should say refused"

note "negative control: the same empty read with --force-refresh empties the table"
run_status 0 --force-refresh
[ "$(db_sql "SELECT COUNT(*) FROM rest_shops")" = 0 ] || fail "--force-refresh did not take the empty read"

note "allow_empty: true accepts an empty read"
rest_admin /_admin -X POST -d '{"fail-empty": 0}' >/dev/null
run_status 0
rest_oracle_ok shops
job_with 's/allow_empty: false/allow_empty: true/'
rest_admin /_admin -X POST -d '{"fail-empty": 1}' >/dev/null
"$SLUICE" run "$WORK/edited.yml" --quiet >"$WORK/run.out" 2>&1 || { cat "$WORK/run.out"; fail "allow_empty run"; }
[ "$(db_sql "SELECT COUNT(*) FROM rest_shops")" = 0 ] || fail "allow_empty: the empty read was not taken"
rest_admin /_admin -X POST -d '{"fail-empty": 0}' >/dev/null
run_status 0
rest_oracle_ok shops

note "a drop over max_drop_percent (50) is refused; max_drop_percent: 100 accepts it"
ids=$(rest_admin '/_truth?resource=shops' | jq -r .id | head -n 25 | paste -sd,)
rest_admin /_admin -X POST -d "{\"delete_shops\": [$ids]}" >/dev/null
truth=$(rest_admin '/_truth?resource=shops' | wc -l)
before=$(db_sql "$TABLE_SUM")
run_status 9
grep -q "fewer than the table's 39 (target.refresh.max_drop_percent is 50)" "$WORK/run.out" ||
    { cat "$WORK/run.out"; fail "the drop refusal's message"; }
[ "$(db_sql "$TABLE_SUM")" = "$before" ] || fail "a refused drop changed the table"
job_with 's/max_drop_percent: 50/max_drop_percent: 100/'
"$SLUICE" run "$WORK/edited.yml" --quiet >"$WORK/run.out" 2>&1 || { cat "$WORK/run.out"; fail "max_drop 100"; }
[ "$(db_sql "SELECT COUNT(*) FROM rest_shops")" = "$truth" ] || fail "max_drop_percent: 100 refused the drop"
rest_oracle_ok shops

note "a retried request names the full read, not a window's bounds"
rest_admin /_admin -X POST -d '{"fail_next": {"status": 500, "count": 1}}' >/dev/null
"$SLUICE" run "$JOB" >"$WORK/run.out" 2>"$WORK/run.err" || { cat "$WORK/run.err"; fail "retried run"; }
grep -q "window (everything: a full refresh) page .*retry 1" "$WORK/run.err" ||
    { cat "$WORK/run.err"; fail "the retry's event line"; }
rest_oracle_ok shops

note "state, verify and --from on a full refresh"
"$SLUICE" state show "$JOB" >"$WORK/state.out" 2>&1 || fail "state show"
grep -q "no watermark (a full refresh reads everything each run)" "$WORK/state.out" || fail "state show"
rc=0; "$SLUICE" state reset "$JOB" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "state reset of a full refresh exited $rc, want 2"
rc=0; "$SLUICE" verify "$JOB" --from "2024-01-01 00:00:00" --to "2024-01-02 00:00:00" \
    >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "verify of a full refresh exited $rc, want 2"
rc=0; "$SLUICE" run "$JOB" --from "2024-01-01 00:00:00" --to "2024-01-02 00:00:00" \
    >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "run --from of a full refresh exited $rc, want 2"
sed -e 's/^  paging:/  window: { from_param: updated_from, to_param: updated_to, start: "2024-01-01 00:00:00" }\n  paging:/' \
    -e '/^  refresh:/,/allow_empty/d' "$JOB" >"$WORK/windowed.yml"
rc=0; "$SLUICE" run "$WORK/windowed.yml" --force-refresh >"$WORK/force.out" 2>&1 || rc=$?
[ "$rc" = 2 ] || { cat "$WORK/force.out"; fail "--force-refresh of a windowed job exited $rc, want 2"; }

# A slow source for the next two parts: 3000 shops, 60 pages of 50, 40 ms each.
rest_start --seed 12 --shops 3000 --latency-ms 40
export REST_SHOPS_URL=$REST_URL/v1/offset/shops
run_status 0
rest_oracle_ok shops

note "a reader polling during a refresh sees the old or the new table, never a mix"
old=$(db_sql "$TABLE_SUM")
rest_admin /_admin -X POST -d '{"delete_shops": [5, 500, 1500, 2999], "add_shops": 20}' >/dev/null
"$SLUICE" run "$JOB" --quiet >"$WORK/run.out" 2>&1 &
run_pid=$!
: >"$WORK/seen"
while kill -0 "$run_pid" 2>/dev/null; do db_sql "$TABLE_SUM" >>"$WORK/seen"; done
wait "$run_pid" || { cat "$WORK/run.out"; fail "the refresh under a reader failed"; }
rest_oracle_ok shops
new=$(db_sql "$TABLE_SUM")
[ "$old" != "$new" ] || fail "the refresh changed nothing: the reader proves nothing"
bad=$(grep -cvxF -e "$old" -e "$new" "$WORK/seen" || true)
note "the reader polled $(wc -l <"$WORK/seen") times: $(grep -cxF "$old" "$WORK/seen" || true) old," \
    "$(grep -cxF "$new" "$WORK/seen" || true) new, $bad other"
[ "$bad" = 0 ] || fail "the reader saw $bad half-refreshed states"

# start_and_catch: starts a refresh of $JOB in the background (RUN_PID) and waits until its
# shadow table holds rows (SHADOW: how many), so that it is caught mid-refresh.
start_and_catch() {
    "$SLUICE" run "$JOB" --quiet >"$WORK/run.out" 2>&1 &
    RUN_PID=$!
    SHADOW=0
    for _ in $(seq 1 600); do
        SHADOW=$(db_sql "SELECT COUNT(*) FROM rest_shops__sluice_new" 2>/dev/null || echo 0)
        [ "${SHADOW:-0}" -gt 0 ] && break
        sleep 0.02
    done
    [ "${SHADOW:-0}" -gt 0 ] || fail "the run was not caught mid-refresh"
}

note "SIGTERM mid-refresh: exit 8, the old table, the shadow dropped"
rest_admin /_admin -X POST -d '{"delete_shops": [10, 11], "add_shops": 1}' >/dev/null
old=$(db_sql "$TABLE_SUM")
start_and_catch
kill -TERM "$RUN_PID"
rc=0; wait "$RUN_PID" || rc=$?
[ "$rc" = 8 ] || { cat "$WORK/run.out"; fail "a refresh stopped by SIGTERM exited $rc, want 8"; }
[ "$(db_sql "$TABLE_SUM")" = "$old" ] || fail "SIGTERM mid-refresh changed the live table"
[ "$(leftovers)" = 0 ] || fail "a refresh stopped by SIGTERM left its shadow"

note "kill -9 mid-refresh leaves the old table; the rerun gives the right one"
rest_admin /_admin -X POST -d '{"delete_shops": [6, 7, 8], "add_shops": 5}' >/dev/null
old=$(db_sql "$TABLE_SUM")
start_and_catch
kill -9 "$RUN_PID"
wait "$RUN_PID" 2>/dev/null || true
[ "$(db_sql "$TABLE_SUM")" = "$old" ] || fail "kill -9 mid-refresh changed the live table"
[ "$(leftovers)" -ge 1 ] || fail "the killed refresh should have left its shadow"
run_status 0
rest_oracle_ok shops
[ "$(leftovers)" = 0 ] || fail "the rerun left shadow tables"
[ "$(db_sql "SELECT COUNT(*) FROM sluice_runs WHERE status = 'abandoned'")" = 1 ] ||
    fail "the killed run should be recorded as abandoned"

echo "rest_full_refresh: ok"

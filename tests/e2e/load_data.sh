#!/usr/bin/env bash
# load_data: the shipped refund job with `load: load_data` (rows by LOAD DATA LOCAL INFILE fed
# from memory). 3,000 seeded refunds, one run, oracle: no missing, extra or differing row in
# either table; then new and changed records (goods lines replaced) and a second run, oracle
# again. Then a server with local_infile=OFF (a private one, so other tests keep theirs): the
# run fails with exit code 5 and says how to fix it, and writes nothing.
source "$(dirname "$0")/lib.sh"

mock_start --seed 17 --records 3000 --from "2024-01-01 00:00:00" --to "2024-01-31 23:59:59" \
    --now "2024-02-01 00:05:00"
db_create
JOB=$(job_copy wdt_refund 's/^  write: replace.*/&\n  load: load_data/')
grep -q '^  load: load_data$' "$JOB" || fail "the job copy has no 'load: load_data'"
"$SLUICE" validate "$JOB" >/dev/null

note "first run"
sluice_run "$JOB" --now "2024-02-01 00:10:00"
[ "$(summary_field records)" -ge 3000 ] || fail "fewer records received than seeded"
oracle_ok

note "changes at the source, second run"
mock_admin /_admin -X POST -d '{"now":"2024-02-02 09:00:00","add_records":100,"modify_records":300}' >/dev/null
sluice_run "$JOB" --now "2024-02-02 09:10:00"
[ "$(summary_field records)" -ge 300 ] || fail "the second run should see the changed records"
oracle_ok

note "a server with local_infile=OFF"
OFF=$WORK/db_off
bash "$SLUICE_SRC/tools/mariadb.sh" start "$OFF" >/dev/null
E2E_OFF=$OFF
trap 'bash "$SLUICE_SRC/tools/mariadb.sh" stop "$E2E_OFF" >/dev/null 2>&1 || true; e2e_cleanup' EXIT
bash "$SLUICE_SRC/tools/mariadb.sh" sql "$OFF" mysql "SET GLOBAL local_infile=0"
url=$(bash "$SLUICE_SRC/tools/mariadb.sh" createdb "$OFF" off)
rc=0
SLUICE_DB=$url "$SLUICE" run "$JOB" --now "2024-02-01 00:10:00" --quiet >"$WORK/off.out" 2>&1 || rc=$?
cat "$WORK/off.out"
[ "$rc" -eq 5 ] || fail "the run should fail with exit code 5, not $rc"
grep -q "refuses LOAD DATA LOCAL INFILE.*set local_infile=ON on the server, or use 'load: bulk'" \
    "$WORK/off.out" || fail "the message should say how to fix it"
rows=$(bash "$SLUICE_SRC/tools/mariadb.sh" sql "$OFF" off \
    "SELECT COUNT(*) FROM aftersales_refund_refund_search")
[ "$rows" = 0 ] || fail "$rows rows written although LOAD DATA was refused"
echo "load_data: ok"

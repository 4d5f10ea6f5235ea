# nmo/common.sh: helpers shared by the "no missed orders" tests (tests/e2e/nmo_*.sh); source it
# after lib.sh. Each test sizes itself from NMO_* variables with small CI defaults;
# tools/fault-matrix.sh runs them with the heavy figures of issue 4 and collects their
# "figures:" lines.

# run_figure NAME: a figure from the last run's summary ($WORK/run.out): splits, rereads,
# requests, pages, retries, throttles, records. Prints 0 when the summary is absent.
run_figure() {
    awk -v k="$1" '
        $1 == "windows"  { gsub(/[(,]/, ""); f["splits"] = $3; f["rereads"] = $5 }
        $1 == "requests" { gsub(/[(,]/, ""); f["requests"] = $2; f["pages"] = $3
                           f["retries"] = $5; f["throttles"] = $7 }
        $1 == "records"  { f["records"] = $2 }
        END { print f[k] + 0 }' "$WORK/run.out"
}

# db_fresh SUFFIX: a new empty database for one scenario; exports SLUICE_DB, sets DB_NAME.
db_fresh() {
    DB_NAME="t_${E2E_NAME//[^A-Za-z0-9_]/_}_$$_$1"
    SLUICE_DB=$(bash "$SLUICE_SRC/tools/mariadb.sh" createdb "$SLUICE_DB_DIR" "$DB_NAME")
    export SLUICE_DB
}

# mock_stat NAME: a number from the running mock's GET /_stats; NAME may be dotted
# ("faults.stall"); a group ("faults", "throttles") prints the sum of its members.
mock_stat() {
    mock_admin /_stats | python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v[k]
print(sum(v.values()) if isinstance(v, dict) else v)' "$1"
}

# mock_stop: stops the mock of mock_start.
mock_stop() { kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; }

# oracle_count [args...]: runs the oracle; sets ORACLE_RC (0 same, 1 differences) and
# ORACLE_MISSING (missing parent rows); the report is in $WORK/oracle.out. Fails on rc 2.
oracle_count() {
    ORACLE_RC=0
    "$ORACLE" --truth "$MOCK_URL" --db "$SLUICE_DB" "$@" >"$WORK/oracle.out" 2>&1 || ORACLE_RC=$?
    [ $ORACLE_RC -le 1 ] || { cat "$WORK/oracle.out" >&2; fail "the oracle could not compare"; }
    ORACLE_MISSING=$(sed -n 's/^aftersales_refund_refund_search: .*missing \([0-9]*\),.*/\1/p' \
        "$WORK/oracle.out" | head -n 1)
    ORACLE_MISSING=${ORACLE_MISSING:-0}
}

# run_rc JOB [args...]: `sluice run` into $WORK/run.out; sets RUN_RC (no failure on non-zero).
run_rc() {
    RUN_RC=0
    "$SLUICE" run "$@" --quiet >"$WORK/run.out" 2>&1 || RUN_RC=$?
}

# nmo_job [sed expressions...]: job_copy of wdt_refund named wdt_refund_<pid>, so that messages
# and the run lock name this test's job.
nmo_job() { job_copy wdt_refund "s/^name: wdt_refund\$/name: wdt_refund_$$/" "$@"; }

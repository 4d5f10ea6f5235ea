# lib.sh: shared helpers for the end-to-end tests. Source it first; it sets `set -euo pipefail`,
# a scratch folder $WORK (removed on exit), and these binaries:
#   $SLUICE  $WDT_MOCK  $REST_MOCK  $ORACLE
# ctest passes SLUICE_SRC, SLUICE_BUILD, SLUICE_DB_DIR (the private MariaDB) and E2E_NAME.
set -euo pipefail
: "${SLUICE_SRC:?run under ctest}" "${SLUICE_BUILD:?}" "${SLUICE_DB_DIR:?}" "${E2E_NAME:=adhoc}"
SLUICE=$SLUICE_BUILD/engine/sluice
WDT_MOCK=$SLUICE_BUILD/tools/wdt-mock
REST_MOCK=$SLUICE_BUILD/tools/rest-mock
ORACLE=$SLUICE_BUILD/tools/sluice-oracle
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-e2e-$E2E_NAME.XXXXXX")
E2E_PIDS=()

e2e_cleanup() {
    local pid
    for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${E2E_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap e2e_cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "== $*"; }

# The fixture credentials of wdt-api.md section 6, exported for the shipped mappings.
export QIMEN_APP_KEY=12345678 QIMEN_APP_SECRET=qmsecret QIMEN_TARGET_APP_KEY=87654321
export WDT_SID=wdtapi3 WDT_APPKEY=testkey WDT_APPSECRET=testsecret:testsalt

# fixture_start VAR BINARY [flags...]: starts a fixture API on a free port and waits until it
# listens; sets ${VAR}_URL (base, no path) and ${VAR}_PID. Its log is $WORK/${VAR,,}.log.
fixture_start() {
    local var=$1 bin=$2
    shift 2
    local portfile=$WORK/$var.port.$RANDOM log=$WORK/${var,,}.log pid i
    "$bin" --port 0 --port-file "$portfile" "$@" >"$log" 2>&1 &
    pid=$!
    E2E_PIDS+=("$pid")
    for i in $(seq 1 200); do
        [ -s "$portfile" ] && break
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "${bin##*/} exited"; }
        sleep 0.05
    done
    [ -s "$portfile" ] || fail "${bin##*/} did not start"
    printf -v "${var}_PID" %s "$pid"
    printf -v "${var}_URL" %s "http://127.0.0.1:$(cat "$portfile")"
}

# mock_start [wdt-mock flags...]: starts a wdt-mock; sets MOCK_URL (base, no path), MOCK_PID,
# and exports WDT_ENDPOINT (the Qimen route) for the shipped mapping.
mock_start() {
    fixture_start MOCK "$WDT_MOCK" "$@"
    export WDT_ENDPOINT="$MOCK_URL/router/qm"
}

# rest_start [rest-mock flags...]: starts a rest-mock (tools/rest-mock/README.md); sets
# REST_URL and REST_PID, and exports REST_ENDPOINT (its base URL) and the default credentials
# as REST_TOKEN, REST_API_KEY, REST_BASIC_USER, REST_BASIC_PASSWORD, REST_CLIENT_ID,
# REST_CLIENT_SECRET (a test that passes other credentials sets these itself).
rest_start() {
    fixture_start REST "$REST_MOCK" "$@"
    export REST_ENDPOINT=$REST_URL REST_TOKEN=test-token REST_API_KEY=test-key
    export REST_BASIC_USER=user REST_BASIC_PASSWORD=pass REST_CLIENT_ID=client REST_CLIENT_SECRET=secret
}

# rest_admin PATH [curl args...]: calls an admin endpoint of the running rest-mock.
rest_admin() { local p=$1; shift; curl -sS --fail "$@" "$REST_URL$p"; }

# rest_oracle_ok orders|shops [args...]: the tables match the rest-mock's truth of that resource
# under tools/oracle/rest_RESOURCE.rules (0 wrong, 0 missing, 0 extra).
rest_oracle_ok() {
    local res=$1
    shift
    "$ORACLE" --truth "$REST_URL/_truth?resource=$res" --db "$SLUICE_DB" \
        --rules "$SLUICE_SRC/tools/oracle/rest_$res.rules" "$@" >"$WORK/oracle.out" 2>&1 || {
        cat "$WORK/oracle.out" >&2
        fail "the oracle found differences from the rest-mock's $res"
    }
    tail -n 3 "$WORK/oracle.out"
}

# mock_admin PATH [curl args...]: calls an admin endpoint of the running mock.
mock_admin() { local p=$1; shift; curl -sS --fail "$@" "$MOCK_URL$p"; }

# db_create: creates a fresh database for this test; exports SLUICE_DB (engine user) and sets
# DB_NAME. Uses tools/mariadb.sh, which knows the private server in $SLUICE_DB_DIR.
db_create() {
    DB_NAME="t_${E2E_NAME//[^A-Za-z0-9_]/_}_$$"
    SLUICE_DB=$(bash "$SLUICE_SRC/tools/mariadb.sh" createdb "$SLUICE_DB_DIR" "$DB_NAME")
    export SLUICE_DB
}

# db_sql SQL: runs SQL as the test's admin in the test's database; prints tab-separated rows.
db_sql() { bash "$SLUICE_SRC/tools/mariadb.sh" sql "$SLUICE_DB_DIR" "$DB_NAME" "$1"; }

# job_copy NAME [sed expressions...]: copies mappings/NAME.yml into $WORK with the edits applied
# and the API quota raised (the mock is local), and prints the copy's path.
job_copy() {
    local name=$1 out=$WORK/$1.yml
    shift
    local args=(-e 's/calls_per_minute: [0-9]*/calls_per_minute: 60000/')
    local e
    for e in "$@"; do args+=(-e "$e"); done
    sed "${args[@]}" "$SLUICE_SRC/mappings/$name.yml" >"$out"
    echo "$out"
}

# sluice_run JOB [args...]: runs `sluice run` quietly, its summary into $WORK/run.out; fails
# the test with the output when it fails.
sluice_run() {
    local rc=0
    "$SLUICE" run "$@" --quiet >"$WORK/run.out" 2>&1 || rc=$?
    if [ $rc -ne 0 ]; then
        cat "$WORK/run.out" >&2
        fail "sluice run exited $rc"
    fi
}

# summary_field NAME: a number from the last run's summary line NAME (e.g. "records").
summary_field() { awk -v k="$1" '$1 == k { print $2; exit }' "$WORK/run.out"; }

# promtool_clean FILE: `promtool check metrics` (Debian's prometheus package, tools/deps.sh)
# accepts FILE and prints no lint at all; fails the test, showing the lint, otherwise.
promtool_clean() {
    command -v promtool >/dev/null || fail "promtool is missing: tools/deps.sh installs prometheus"
    local rc=0
    promtool check metrics <"$1" >"$WORK/promtool.out" 2>&1 || rc=$?
    if [ $rc -ne 0 ] || [ -s "$WORK/promtool.out" ]; then
        cat "$WORK/promtool.out" >&2
        fail "promtool check metrics on $1 exited $rc"
    fi
}

# oracle_ok [args...]: the tables match the mock's truth exactly.
oracle_ok() {
    "$ORACLE" --truth "$MOCK_URL" --db "$SLUICE_DB" "$@" >"$WORK/oracle.out" 2>&1 || {
        cat "$WORK/oracle.out" >&2
        fail "the oracle found differences"
    }
    tail -n 3 "$WORK/oracle.out"
}

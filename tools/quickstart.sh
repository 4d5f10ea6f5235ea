#!/usr/bin/env bash
# quickstart.sh: the README's first command. On a fresh Debian 12 machine: installs what is
# missing, builds sluice, starts a private MariaDB (.run/mariadb) and the bundled mock of the
# WDT API (20,000 refunds over 2024-01-01 .. 2024-03-31), then runs the shipped refund job
# mappings/wdt_refund.yml exactly as a team would (validate, migrate, run), prints the run
# summary and a few rows, and checks the tables against the mock's ground truth.
# No credentials needed: the mock accepts the fixture credentials of wdt-api.md.
#   --keep     leave MariaDB and the mock running afterwards (to look around)
#   RECORDS=N  how many refunds the mock holds (default 20000)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source tools/deps.sh
KEEP=0
[ "${1:-}" = "--keep" ] && KEEP=1
RUN=$ROOT/.run
DB_DIR=$RUN/mariadb
RECORDS=${RECORDS:-20000}
MOCK_PID=

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

cleanup() {
    unset_policy
    [ $KEEP = 1 ] && return 0
    [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null && wait "$MOCK_PID" 2>/dev/null
    bash tools/mariadb.sh stop "$DB_DIR" >/dev/null 2>&1 || true
}
trap cleanup EXIT

say "packages"
install_packages

say "build (Release) into build/"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSLUICE_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)" 2>&1 | grep -E "error|warning|Built target (sluice|wdt-mock)$" || true
SLUICE=$ROOT/build/engine/sluice

say "private MariaDB in .run/mariadb (fresh: the demo starts from an empty database)"
mkdir -p "$RUN"
bash tools/mariadb.sh stop "$DB_DIR" >/dev/null 2>&1 || true
rm -rf "$DB_DIR"
bash tools/mariadb.sh start "$DB_DIR"
SLUICE_DB=$(bash tools/mariadb.sh createdb "$DB_DIR" sluice_demo)
export SLUICE_DB

say "mock WDT API with $RECORDS refunds (data clock 2024-04-01 00:05:00)"
rm -f "$RUN/mock.port"
build/tools/wdt-mock --port 0 --port-file "$RUN/mock.port" --seed 42 --records "$RECORDS" \
    --from "2024-01-01 00:00:00" --to "2024-03-31 23:59:59" --now "2024-04-01 00:05:00" \
    >"$RUN/mock.log" 2>&1 &
MOCK_PID=$!
for _ in $(seq 1 600); do
    [ -s "$RUN/mock.port" ] && break
    kill -0 "$MOCK_PID" 2>/dev/null || { cat "$RUN/mock.log"; exit 1; }
    sleep 0.1
done
MOCK_URL=http://127.0.0.1:$(cat "$RUN/mock.port")
echo "listening on $MOCK_URL"

# The fixture credentials of the mock; a real deployment sets these from its secret store.
export WDT_ENDPOINT=$MOCK_URL/router/qm
export QIMEN_APP_KEY=12345678 QIMEN_APP_SECRET=qmsecret QIMEN_TARGET_APP_KEY=87654321
export WDT_SID=wdtapi3 WDT_APPKEY=testkey WDT_APPSECRET=testsecret:testsalt

JOB=mappings/wdt_refund.yml
say "sluice validate $JOB"
"$SLUICE" validate "$JOB" && echo "valid"
say "sluice migrate $JOB"
"$SLUICE" migrate "$JOB" | grep -E "^-- migrate" || true
say "sluice run $JOB   (600 calls/min, 4 in flight: the job's own limits)"
"$SLUICE" run "$JOB" --now "2024-04-01 00:10:00" --no-migrate 2>"$RUN/run.log"

say "a few rows of aftersales_refund_refund_search"
bash tools/mariadb.sh sql "$DB_DIR" sluice_demo "
  SELECT refund_id, refund_no, shop_no, type, status, actual_refund_amount, modified, buyer_nick
  FROM aftersales_refund_refund_search ORDER BY modified DESC LIMIT 5" |
    { printf 'refund_id\trefund_no\tshop_no\ttype\tstatus\tactual_refund_amount\tmodified\tbuyer_nick\n'; cat; } |
    column -t -s $'\t'
bash tools/mariadb.sh sql "$DB_DIR" sluice_demo "
  SELECT (SELECT COUNT(*) FROM aftersales_refund_refund_search) AS refunds,
         (SELECT COUNT(*) FROM aftersales_refund_refund_search_detail) AS goods_lines" |
    awk -F'\t' '{ printf "refunds %s, goods lines %s\n", $1, $2 }'

say "checking every row against the mock's ground truth (sluice-oracle)"
build/tools/sluice-oracle --truth "$MOCK_URL" --db "$SLUICE_DB" | tail -n 3

if [ $KEEP = 1 ]; then
    say "still running (--keep)"
    echo "mock: $MOCK_URL (pid $MOCK_PID)   stop: kill $MOCK_PID"
    echo "sql:  bash tools/mariadb.sh sql $DB_DIR sluice_demo 'SELECT ...'"
    echo "stop: bash tools/mariadb.sh stop $DB_DIR"
fi

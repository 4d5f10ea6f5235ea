#!/usr/bin/env bash
# run.sh: the throughput benchmark of issue 5, in one go (a benchmark, not a test). Builds a
# Release tree if needed, starts its own MariaDB (tools/mariadb.sh) and wdt-mocks in a scratch
# folder, runs every scenario in the same run, checks each loaded database with sluice-oracle,
# stops everything and prints a table with ratios:
#   (a) latency-bound: mock 400 ms latency, 600 calls/min, concurrency 5; job with
#       calls_per_minute 600 and concurrency 5: records/s against the quota bound
#       (calls/s x page_size); once against wdt-mock --latency-ms, once through
#       latency_proxy.py (a thread per connection; see docs/performance.md);
#   (b) CPU-bound: CPU_RECORDS refunds, no latency or limits: `sluice run` live (recording the
#       replies), `sluice run --replay` of those files into fresh tables (once with the default
#       `load: bulk`, once with `load: load_data`), LOAD DATA INFILE of
#       the same rows as TSV into empty tables (the ceiling), python_baseline.py (pymysql);
#       end-to-end rows/s, parent + child rows;
#   (c) peak RSS of the live CPU_RECORDS run and of SMALL_RECORDS runs (same density; sparse).
# The replay and the ceiling run ROUNDS times, alternating; their medians make the ratio.
# CPU seconds of sluice and of the server are printed per (b) scenario. Takes about 9 minutes.
# Usage: tools/bench/run.sh [BUILD_DIR]      (default: build-bench in the repository)
# Env: LAT_RECORDS (40000: ~80 s at the quota), CPU_RECORDS (200000), SMALL_RECORDS (20000),
#      ROUNDS (3), MARIADB_BUFFER_POOL (1G; see below),
#      PYTHON (/usr/bin/python3, needs pymysql), KEEP=1 keeps the scratch folder.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$SRC/build-bench}
LAT_RECORDS=${LAT_RECORDS:-40000}
CPU_RECORDS=${CPU_RECORDS:-200000}
SMALL_RECORDS=${SMALL_RECORDS:-20000}
ROUNDS=${ROUNDS:-3}
PYTHON=${PYTHON:-/usr/bin/python3}
# The server's InnoDB buffer pool (tools/mariadb.sh; MariaDB's default is 128M). 200k refunds
# with their goods lines do not fit in 128M, so every scenario would pay random reads; a
# production server holds its working set. The ceiling, the Python script and sluice all load
# into the same server, so the ratios stay like for like. MARIADB_BUFFER_POOL=128M for defaults.
export MARIADB_BUFFER_POOL=${MARIADB_BUFFER_POOL:-1G}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench.XXXXXX")
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    bash "$SRC/tools/mariadb.sh" stop "$WORK/db" >/dev/null 2>&1 || true
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
die() { echo "run.sh: $*" >&2; exit 1; }
say() { echo "== $*" >&2; }

# The fixture credentials of wdt-api.md section 6 (the mock's), for the shipped mapping.
export QIMEN_APP_KEY=12345678 QIMEN_APP_SECRET=qmsecret QIMEN_TARGET_APP_KEY=87654321
export WDT_SID=wdtapi3 WDT_APPKEY=testkey WDT_APPSECRET=testsecret:testsalt

build() {
    if [ ! -f "$BUILD/CMakeCache.txt" ]; then
        cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
    fi
    grep -q '^CMAKE_BUILD_TYPE:STRING=Release' "$BUILD/CMakeCache.txt" ||
        die "$BUILD is not a Release build"
    cmake --build "$BUILD" -j2 --target sluice wdt-mock sluice-oracle >/dev/null
    SLUICE=$BUILD/engine/sluice MOCK=$BUILD/tools/wdt-mock ORACLE=$BUILD/tools/sluice-oracle
}

# mock_start NAME [wdt-mock flags...]: sets MOCK_URL.
mock_start() {
    local name=$1 i
    shift
    "$MOCK" --port 0 --port-file "$WORK/$name.port" "$@" >"$WORK/$name.mock.log" 2>&1 &
    PIDS+=($!)
    for i in $(seq 1 1200); do
        [ -s "$WORK/$name.port" ] && break
        kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$WORK/$name.mock.log" >&2; die "wdt-mock exited"; }
        sleep 0.05
    done
    [ -s "$WORK/$name.port" ] || die "wdt-mock did not start"
    MOCK_URL="http://127.0.0.1:$(cat "$WORK/$name.port")"
}

mock_stop() { kill "${PIDS[-1]}" && wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'; }

sql() { bash "$SRC/tools/mariadb.sh" sql "$WORK/db" "$1" "$2"; }

# db_new NAME: a fresh database; prints the engine user's URL.
db_new() { bash "$SRC/tools/mariadb.sh" createdb "$WORK/db" "$1"; }

# tables_like DB FROM_DB: empty copies of the two target tables.
tables_like() {
    local t
    for t in aftersales_refund_refund_search aftersales_refund_refund_search_detail; do
        sql "$1" "CREATE TABLE $t LIKE $2.$t"
    done
}

# job NAME CALLS_PER_MINUTE CONCURRENCY MAX_RECORDS: a copy of the reference job.
job() {
    sed -e "s/calls_per_minute: [0-9]*/calls_per_minute: $2/" \
        -e "s/^    concurrency: [0-9]*/    concurrency: $3/" \
        -e "s/max_records: [0-9]*/max_records: $4/" \
        "$SRC/mappings/wdt_refund.yml" >"$WORK/$1.yml"
    echo "$WORK/$1.yml"
}

# run NAME JOB DB_URL [sluice run args...]: runs sluice under /usr/bin/time -v; sets
# RECORDS ROWS CHILD ELAPSED (0.1 s) RATE (rows/s, the engine's own, unrounded) RSS_KB CPU_S.
run() {
    local name=$1 jobf=$2 url=$3
    shift 3
    SLUICE_DB=$url WDT_ENDPOINT=$MOCK_URL/router/qm /usr/bin/time -v -o "$WORK/$name.time" \
        "$SLUICE" run "$jobf" --quiet "$@" >"$WORK/$name.out" 2>&1 ||
        { cat "$WORK/$name.out" >&2; die "sluice run ($name) failed"; }
    RECORDS=$(awk '$1 == "records" { print $2 }' "$WORK/$name.out")
    ROWS=$(awk '$1 == "written" { print $2 }' "$WORK/$name.out")
    CHILD=$(awk '$1 == "written" { print $4 }' "$WORK/$name.out")
    ELAPSED=$(awk '$1 == "elapsed" { print $2 }' "$WORK/$name.out")
    RATE=$(awk '$1 == "elapsed" { gsub(/[(]/, "", $4); print $4 }' "$WORK/$name.out")
    RSS_KB=$(awk -F': ' '/Maximum resident/ { print $2 }' "$WORK/$name.time")
    CPU_S=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' \
        "$WORK/$name.time")
}

# oracle NAME DB_URL [oracle args...]: prints "0 wrong" or "N wrong" (never fails the run).
oracle() {
    local name=$1 url=$2
    shift 2
    "$ORACLE" --truth "$MOCK_URL" --db "$url" "$@" >"$WORK/$name.oracle" 2>&1 || true
    sed -n 's/^oracle: .*(\([0-9]*\) rows wrong).*/\1 wrong/p; s/^oracle: \(.*error.*\)/\1/p' \
        "$WORK/$name.oracle" | head -n 1 | grep . || echo "oracle failed"
}

# db_cpu: CPU seconds the MariaDB server has used so far (all its threads).
db_cpu() {
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' \
        "/proc/$(tr -dc '0-9' <"$WORK/db/mysqld.pid")/stat"
}
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
row() { printf '%-34s %12s %12s   %s\n' "$@"; }

build
"$PYTHON" -c 'import pymysql' 2>/dev/null || die "$PYTHON has no pymysql (apt install python3-pymysql)"
say "MariaDB in $WORK/db"
bash "$SRC/tools/mariadb.sh" start "$WORK/db" >/dev/null
RANGE_FROM="2024-01-01 00:00:00"

# ---- (a) latency-bound ----
# Five one-day windows of ~LAT_RECORDS/5 records each: with one request in flight per window,
# `concurrency` windows of equal length keep every slot busy to the end (see performance.md).
# lat NAME via: via = mock (wdt-mock --latency-ms) or proxy (latency_proxy.py in front of a
# mock without latency); sets A_<NAME> to the table row's fields.
lat() {
    local name=$1 via=$2 url
    if [ "$via" = mock ]; then
        mock_start "$name" --seed 3 --records "$LAT_RECORDS" --from "$RANGE_FROM" \
            --to "2024-01-05 23:59:59" --now "2024-01-06 00:05:00" --latency-ms 400 \
            --calls-per-minute 600 --concurrency 5
    else
        mock_start "$name" --seed 3 --records "$LAT_RECORDS" --from "$RANGE_FROM" \
            --to "2024-01-05 23:59:59" --now "2024-01-06 00:05:00" --calls-per-minute 600
        local truth=$MOCK_URL
        "$PYTHON" "$SRC/tools/bench/latency_proxy.py" --upstream "$MOCK_URL" --latency-ms 400 \
            --concurrency 5 --port-file "$WORK/$name.proxy.port" --stats "$WORK/$name.proxy" \
            >"$WORK/$name.proxy.log" 2>&1 &
        PIDS+=($!)
        local i
        for i in $(seq 1 200); do [ -s "$WORK/$name.proxy.port" ] && break; sleep 0.05; done
        MOCK_URL="http://127.0.0.1:$(cat "$WORK/$name.proxy.port")"
    fi
    url=$(db_new "$name")
    run "$name" "$(job "$name" 600 5 $((LAT_RECORDS / 3)))" "$url" --now "2024-01-06 00:10:00"
    local r req thr
    r=$(rate "$RECORDS" "$ELAPSED")
    req=$(awk '$1 == "requests" { print $2 }' "$WORK/$name.out")
    thr=$(awk '$1 == "requests" { gsub(/[(,]/, ""); print $7 }' "$WORK/$name.out")
    if [ "$via" = proxy ]; then
        MOCK_URL=$truth
        kill "${PIDS[-1]}" && wait "${PIDS[-1]}" 2>/dev/null || true
        unset 'PIDS[-1]'
        local px
        px=$(tr -d '{}"' <"$WORK/$name.proxy" 2>/dev/null || echo "no proxy stats")
        thr="$thr throttled, proxy $px"
    else
        thr="$thr throttled"
    fi
    printf -v "A_$name" '%s|%s|%s' "$r" "$(ratio "$r" 500)" \
        "$(oracle "$name" "$url"); $RECORDS records, $req requests, $thr, ${ELAPSED}s"
    mock_stop
}
say "(a) latency-bound: $LAT_RECORDS refunds, 400 ms, 600 calls/min, concurrency 5 (wdt-mock)"
lat a_mock mock
say "(a) the same through latency_proxy.py (a thread per connection)"
lat a_proxy proxy

# ---- (b) CPU-bound and (c) RSS at CPU_RECORDS ----
say "(b) CPU-bound: $CPU_RECORDS refunds, no latency or limits"
NOW_B="2024-04-01 00:10:00" TO_B="2024-04-01 00:08:00"
mock_start cpu --seed 5 --records "$CPU_RECORDS" --from "$RANGE_FROM" --to "2024-03-31 23:59:59" \
    --now "2024-04-01 00:05:00"
JOB_B=$(job b 100000 4 5000)
mkdir -p "$WORK/replies"
B_LIVE_DB=$(db_new b_live)
c0=$(db_cpu)
run b_live "$JOB_B" "$B_LIVE_DB" --now "$NOW_B" --record "$WORK/replies"
B_LIVE_N=$((ROWS + CHILD)) B_LIVE_S=$ELAPSED B_LIVE_R=$RATE B_BIG_RSS=$RSS_KB
B_LIVE_CPU="sluice ${CPU_S}s, db $(minus "$(db_cpu)" "$c0")s CPU"
B_LIVE_ORACLE=$(oracle b_live "$B_LIVE_DB")
# Replay and the ceiling, ROUNDS times alternating (so drift in the machine hits both alike);
# the table reports the median rate of each and the ratio of the medians.
replay_once() {
    local i=$1 url
    url=$(db_new "b_replay$i")
    c0=$(db_cpu)
    run "b_replay$i" "$JOB_B" "$url" --now "$NOW_B" --replay "$WORK/replies"
    local cpu="sluice ${CPU_S}s + db $(minus "$(db_cpu)" "$c0")s CPU"
    B_REP_RATES+=("$RATE")
    B_REP_N=$((ROWS + CHILD)) B_REP_RSS=$RSS_KB
    B_REP_NOTES+=("$(oracle "b_replay$i" "$url"), ${ELAPSED}s, $cpu")
    # Round 1's tables stay (the ceiling's input and table definitions); later rounds are
    # dropped so that every round meets a server holding the same data.
    [ "$i" = 1 ] || sql "b_replay$i" "DROP DATABASE b_replay$i"
}
load_once() {
    local i=$1 t0 t1 s
    db_new "b_load$i" >/dev/null
    tables_like "b_load$i" b_replay1
    c0=$(db_cpu)
    t0=$(date +%s.%N)
    sql "b_load$i" "LOAD DATA INFILE '$WORK/aftersales_refund_refund_search.tsv'
                      INTO TABLE aftersales_refund_refund_search;
                    LOAD DATA INFILE '$WORK/aftersales_refund_refund_search_detail.tsv'
                      INTO TABLE aftersales_refund_refund_search_detail"
    t1=$(date +%s.%N)
    local cpu="db $(minus "$(db_cpu)" "$c0")s CPU"
    s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    B_LOAD_N=$(sql "b_load$i" "SELECT (SELECT COUNT(*) FROM aftersales_refund_refund_search) +
                                  (SELECT COUNT(*) FROM aftersales_refund_refund_search_detail)")
    B_LOAD_RATES+=("$(rate "$B_LOAD_N" "$s")")
    B_LOAD_NOTES+=("$(oracle "b_load$i" "$(bash "$SRC/tools/mariadb.sh" url "$WORK/db" "b_load$i")"), ${s}s, $cpu")
    sql "b_load$i" "DROP DATABASE b_load$i"
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
B_REP_RATES=() B_REP_NOTES=() B_LOAD_RATES=() B_LOAD_NOTES=()
for i in $(seq 1 "$ROUNDS"); do
    say "(b) replay, round $i of $ROUNDS"
    replay_once "$i"
    if [ "$i" = 1 ]; then
        # The ceiling's input: the replayed rows as TSV (admin; SELECT ... INTO OUTFILE).
        for t in aftersales_refund_refund_search aftersales_refund_refund_search_detail; do
            sql b_replay1 "SELECT * FROM $t INTO OUTFILE '$WORK/$t.tsv'"
        done
    fi
    say "(b) LOAD DATA INFILE of the same rows, round $i of $ROUNDS"
    load_once "$i"
done
B_REP_R=$(median "${B_REP_RATES[@]}") B_LOAD_R=$(median "${B_LOAD_RATES[@]}")

say "(b) replay with load: load_data"
JOB_BL=$WORK/b_load_data.yml
sed 's/^  write: replace.*/&\n  load: load_data/' "$JOB_B" >"$JOB_BL"
grep -q '^  load: load_data$' "$JOB_BL" || die "found no 'write: replace' to add 'load: load_data' to"
B_LD_DB=$(db_new b_load_data)
c0=$(db_cpu)
run b_load_data "$JOB_BL" "$B_LD_DB" --now "$NOW_B" --replay "$WORK/replies"
B_LD_N=$((ROWS + CHILD)) B_LD_S=$ELAPSED B_LD_R=$RATE
B_LD_CPU="sluice ${CPU_S}s, db $(minus "$(db_cpu)" "$c0")s CPU"
B_LD_ORACLE=$(oracle b_load_data "$B_LD_DB")

say "(b) python_baseline.py (pymysql executemany, REPLACE INTO)"
B_PY_DB=$(db_new b_python)
tables_like b_python b_replay1
c0=$(db_cpu)
"$PYTHON" "$SRC/tools/bench/python_baseline.py" --endpoint "$MOCK_URL/router/qm" \
    --db "$B_PY_DB" --from "$RANGE_FROM" --to "$TO_B" >"$WORK/python.out" 2>&1 ||
    { cat "$WORK/python.out" >&2; die "python_baseline.py failed"; }
B_PY_CPU="db $(minus "$(db_cpu)" "$c0")s CPU"
B_PY_N=$(awk '{ print $2 + $4 }' "$WORK/python.out")
B_PY_S=$(awk '{ print $6 }' "$WORK/python.out")
B_PY_ORACLE=$(oracle b_python "$B_PY_DB")
mock_stop

# ---- (c) RSS at SMALL_RECORDS ----
# Memory is bounded by the job (batch_rows, the writer queue, the rows of windows waiting for the
# head window), so it depends on how many records a window holds. To vary only the number of
# rows, the small run has the big run's density: SMALL_RECORDS over a proportionally shorter range
# (the same one-day windows of ~2,200 records). The same records spread over the big run's 91 days
# (windows ten times sparser) are reported too.
small_rss() {
    local name=$1 to=$2 now=$3
    mock_start "$name" --seed 5 --records "$SMALL_RECORDS" --from "$RANGE_FROM" --to "$to" \
        --now "$now"
    local url
    url=$(db_new "$name")
    run "$name" "$JOB_B" "$url" --now "$(date -d "$now 5 min" '+%Y-%m-%d %H:%M:%S')"
    printf -v "C_$name" '%s|%s' "$RSS_KB" "$(oracle "$name" "$url"), $ROWS rows"
    mock_stop
}
say "(c) peak RSS: $SMALL_RECORDS refunds at the same density, then over 91 days"
days=$(awk -v s="$SMALL_RECORDS" -v b="$CPU_RECORDS" 'BEGIN { printf "%d", 91 * 86400 * s / b }')
SMALL_TO=$(date -d "$RANGE_FROM $days sec" '+%Y-%m-%d %H:%M:%S')
small_rss c_dense "$SMALL_TO" "$(date -d "$SMALL_TO 5 min" '+%Y-%m-%d %H:%M:%S')"
small_rss c_sparse "2024-03-31 23:59:59" "2024-04-01 00:05:00"

B_PY_R=$(rate "$B_PY_N" "$B_PY_S")
echo
echo "sluice throughput benchmark ($(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC'); $BUILD)"
row "scenario" "figure" "ratio" "oracle / notes"
arow() {
    local f
    IFS='|' read -r -a f <<<"$2"
    row "$1" "${f[0]}" "${f[1]}" "of quota bound 500/s (10 calls/s x 50, target 0.90); ${f[2]}"
}
arow "(a) latency wdt-mock records/s" "$A_a_mock"
arow "(a) latency proxy records/s" "$A_a_proxy"
row "(b) live from mock rows/s" "$B_LIVE_R" "$(ratio "$B_LIVE_R" "$B_LOAD_R")" \
    "of LOAD DATA; $B_LIVE_ORACLE; $B_LIVE_N rows in ${B_LIVE_S}s (recording replies); $B_LIVE_CPU"
row "(b) replay from files rows/s" "$B_REP_R" "$(ratio "$B_REP_R" "$B_LOAD_R")" \
    "of LOAD DATA (target 0.75); median of ${B_REP_RATES[*]}; $B_REP_N rows"
row "(b) replay, load: load_data rows/s" "$B_LD_R" "$(ratio "$B_LD_R" "$B_LOAD_R")" \
    "of LOAD DATA; $B_LD_ORACLE; $B_LD_N rows in ${B_LD_S}s; $B_LD_CPU"
row "(b) LOAD DATA INFILE rows/s" "$B_LOAD_R" "1.00" \
    "the ceiling; median of ${B_LOAD_RATES[*]}; $B_LOAD_N rows"
for i in $(seq 1 "$ROUNDS"); do
    row "    replay, round $i" "${B_REP_RATES[i - 1]}" "" "${B_REP_NOTES[i - 1]}"
    row "    LOAD DATA, round $i" "${B_LOAD_RATES[i - 1]}" "" "${B_LOAD_NOTES[i - 1]}"
done
row "(b) python_baseline.py rows/s" "$B_PY_R" "$(ratio "$B_PY_R" "$B_LOAD_R")" \
    "of LOAD DATA; $B_PY_ORACLE; $B_PY_N rows in ${B_PY_S}s; $B_PY_CPU"
row "(b) replay / python" "" "$(ratio "$B_REP_R" "$B_PY_R")" "target 5"
row "(b) live / python" "" "$(ratio "$B_LIVE_R" "$B_PY_R")" ""
crow() {
    local f
    IFS='|' read -r -a f <<<"$2"
    row "$1" "$(mib "${f[0]}")" "$(ratio "$B_BIG_RSS" "${f[0]}")" "200k/this (target <= 1.10); ${f[1]}"
}
row "(c) peak RSS $CPU_RECORDS refunds MiB" "$(mib "$B_BIG_RSS")" "" \
    "live run of (b), 91 days; target < 64 MiB (replay run: $(mib "$B_REP_RSS") MiB)"
crow "(c) peak RSS $SMALL_RECORDS same density MiB" "$C_c_dense"
crow "(c) peak RSS $SMALL_RECORDS over 91 days MiB" "$C_c_sparse"

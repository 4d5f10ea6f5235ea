#!/usr/bin/env bash
# compare.sh: the throughput of one revision against another, measured in the same run (a
# benchmark, not a test; docs/performance.md). Builds OLD_REV and NEW_REV as Release trees in a
# scratch folder (git archive; targets sluice, wdt-mock, sluice-oracle, decode_bench), starts one
# private MariaDB (tools/mariadb.sh, MARIADB_BUFFER_POOL=1G as run.sh) and one wdt-mock holding
# CPU_RECORDS refunds without latency or limits (run.sh's scenario (b)), then:
#   1. records the mock's replies once with NEW (`sluice run --record`), and checks that OLD
#      replays them (a few windows); if it does not, OLD records its own from the same mock;
#   2. replays them ROUNDS times, alternating (OLD NEW, then NEW OLD, ...), each into a fresh
#      database, each revision with its own mappings/wdt_refund.yml but the same batch_rows
#      (BATCH_ROWS, so the engine is compared, not the setting), each checked by sluice-oracle
#      (0 wrong required); rows/s is the engine's own (the summary's elapsed line, as run.sh);
#      CPU seconds of sluice (/usr/bin/time) and of the server (/proc);
#      a revision whose shipped batch_rows differs from BATCH_ROWS gets one more round at it;
#   3. runs each build's decode_bench on the same DECODE_PAGES recorded pages, alternating,
#      3 times each (thread CPU; jscan alone and jscan + transform);
#   4. prints medians, the NEW/OLD ratios and every round's figures.
# Usage: tools/bench/compare.sh OLD_REV NEW_REV     (say: tools/bench/compare.sh c8e4bf6 main)
# Env: CPU_RECORDS (200000), ROUNDS (3), BATCH_ROWS (1000), DECODE_PAGES (40), DECODE_SECS (0.5 s
#      per try, best of 3 tries), MARIADB_BUFFER_POOL (1G), SCRATCH (a folder to build in and
#      keep; builds there are reused when their revision matches; default a temp folder removed
#      at the end), KEEP=1 keeps the temp folder. Builds with -DSLUICE_WERROR=OFF (both alike):
#      a warning of another compiler must not stop a measurement.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
[ $# = 2 ] || { echo "usage: $0 OLD_REV NEW_REV" >&2; exit 2; }
CPU_RECORDS=${CPU_RECORDS:-200000}
ROUNDS=${ROUNDS:-3}
BATCH_ROWS=${BATCH_ROWS:-1000}
DECODE_PAGES=${DECODE_PAGES:-40}
DECODE_SECS=${DECODE_SECS:-0.5}
export MARIADB_BUFFER_POOL=${MARIADB_BUFFER_POOL:-1G}
die() { echo "compare.sh: $*" >&2; exit 1; }
say() { echo "== $(date -u +%T) $*" >&2; }
OLD_SHA=$(git -C "$SRC" rev-parse --verify "$1^{commit}") || die "no revision $1"
NEW_SHA=$(git -C "$SRC" rev-parse --verify "$2^{commit}") || die "no revision $2"
OLD_NAME="$1 (${OLD_SHA:0:7})" NEW_NAME="$2 (${NEW_SHA:0:7})"
if [ -n "${SCRATCH:-}" ]; then
    mkdir -p "$SCRATCH"
    TREES=$(cd "$SCRATCH" && pwd)
    WORK=$(mktemp -d "$TREES/run.XXXXXX")
else
    TREES=$(mktemp -d "${TMPDIR:-/tmp}/sluice-compare.XXXXXX")
    WORK=$TREES/run
    mkdir "$WORK"
fi
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    bash "$SRC/tools/mariadb.sh" stop "$WORK/db" >/dev/null 2>&1 || true
    if [ -n "${SCRATCH:-}" ] || [ "${KEEP:-0}" = 1 ]; then
        echo "kept $WORK" >&2
    else
        rm -rf "$TREES"
    fi
}
trap cleanup EXIT

# The fixture credentials of wdt-api.md section 6 (the mock's), for the shipped mapping.
export QIMEN_APP_KEY=12345678 QIMEN_APP_SECRET=qmsecret QIMEN_TARGET_APP_KEY=87654321
export WDT_SID=wdtapi3 WDT_APPKEY=testkey WDT_APPSECRET=testsecret:testsalt

# build NAME SHA: the revision's source in $TREES/NAME/src, its Release build in .../build.
build() {
    local t=$TREES/$1 sha=$2
    if [ "$(cat "$t/rev" 2>/dev/null)" != "$sha" ]; then
        rm -rf "$t"
        mkdir -p "$t/src"
        git -C "$SRC" archive "$sha" | tar -x -C "$t/src"
        echo "$sha" >"$t/rev"
    fi
    if [ ! -f "$t/build/CMakeCache.txt" ]; then
        cmake -S "$t/src" -B "$t/build" -DCMAKE_BUILD_TYPE=Release -DSLUICE_WERROR=OFF \
            >"$t/cmake.log" 2>&1 || { cat "$t/cmake.log" >&2; die "cmake of $1 failed"; }
    fi
    cmake --build "$t/build" -j2 --target sluice wdt-mock sluice-oracle decode_bench \
        >"$t/build.log" 2>&1 || { tail -n 30 "$t/build.log" >&2; die "build of $1 failed"; }
}

sql() { bash "$SRC/tools/mariadb.sh" sql "$WORK/db" "$1" "$2"; }
db_new() { bash "$SRC/tools/mariadb.sh" createdb "$WORK/db" "$1"; }
db_cpu() {
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' \
        "/proc/$(tr -dc '0-9' <"$WORK/db/mysqld.pid")/stat"
}
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
# median: the middle value; of an even count, the mean of the middle two.
median() {
    printf '%s\n' "$@" | sort -g |
        awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); print (NR % 2 ? v[m] : (v[m] + v[m + 1]) / 2) }'
}

# job NAME REV BATCH_ROWS: a copy of REV's reference job with run.sh's (b) limits.
job() {
    sed -e "s/calls_per_minute: [0-9]*/calls_per_minute: 100000/" \
        -e "s/^    concurrency: [0-9]*/    concurrency: 4/" \
        -e "s/max_records: [0-9]*/max_records: 5000/" \
        -e "s/^\(  batch_rows:\) *[0-9]*/\1 $3/" \
        "$TREES/$2/src/mappings/wdt_refund.yml" >"$WORK/$1.yml"
    grep -qE "^  batch_rows: $3( |$)" "$WORK/$1.yml" || die "found no batch_rows in $2's mapping"
    echo "$WORK/$1.yml"
}
shipped_batch_rows() {
    awk '$1 == "batch_rows:" { print $2; exit }' "$TREES/$1/src/mappings/wdt_refund.yml"
}

# run NAME REV JOB DB_URL [sluice run args...]: REV's sluice under /usr/bin/time; sets ROWS
# (parent + child), ELAPSED, RATE (the engine's rows/s), CPU_S.
run() {
    local name=$1 rev=$2 jobf=$3 url=$4
    shift 4
    SLUICE_DB=$url WDT_ENDPOINT=$MOCK_URL/router/qm /usr/bin/time -v -o "$WORK/$name.time" \
        "$TREES/$rev/build/engine/sluice" run "$jobf" --quiet --now "$NOW" "$@" \
        >"$WORK/$name.out" 2>&1 || return 1
    ROWS=$(awk '$1 == "written" { print $2 + $4 }' "$WORK/$name.out")
    ELAPSED=$(awk '$1 == "elapsed" { print $2 }' "$WORK/$name.out")
    RATE=$(awk '$1 == "elapsed" { gsub(/[(]/, "", $4); print $4 }' "$WORK/$name.out")
    CPU_S=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' \
        "$WORK/$name.time")
}

# oracle NAME DB_URL: prints "N wrong" or the oracle's error.
oracle() {
    "$TREES/new/build/tools/sluice-oracle" --truth "$MOCK_URL" --db "$2" >"$WORK/$1.oracle" 2>&1 || true
    sed -n 's/^oracle: .*(\([0-9]*\) rows wrong).*/\1 wrong/p; s/^oracle: \(.*error.*\)/\1/p' \
        "$WORK/$1.oracle" | head -n 1 | grep . || echo "oracle failed"
}

# replay NAME REV BATCH_ROWS: one replay of REV's recording into a fresh database, checked and
# dropped; appends "rate|cpu|note" to the array named by NAME's prefix (R_old, R_new, R_ship).
replay() {
    local name=$1 rev=$2 rows=$3 url c0 dbcpu verdict
    url=$(db_new "$name")
    c0=$(db_cpu)
    run "$name" "$rev" "$(job "$name" "$rev" "$rows")" "$url" --replay "${REPLIES[$rev]}" ||
        { cat "$WORK/$name.out" >&2; die "replay $name failed"; }
    dbcpu=$(minus "$(db_cpu)" "$c0")
    verdict=$(oracle "$name" "$url")
    [ "$verdict" = "0 wrong" ] || { cat "$WORK/$name.oracle" >&2; die "$name: oracle says $verdict"; }
    sql "$name" "DROP DATABASE $name"
    LAST="$RATE|$CPU_S|$verdict, $ROWS rows in ${ELAPSED}s, sluice ${CPU_S}s + db ${dbcpu}s CPU"
    say "  $name ($rev, batch_rows $rows): $RATE rows/s, ${ELAPSED}s, sluice ${CPU_S}s, db ${dbcpu}s, $verdict"
}

# decode REV: REV's decode_bench (from its own tree: it compiles that tree's mapping) on the
# pages; sets DEC_J (jscan alone) and DEC_JT (jscan + transform), records per CPU-second.
decode() {
    local out=$WORK/decode.$1.out
    (cd "$TREES/$1/src" && "$TREES/$1/build/tools/decode_bench" "$DECODE_SECS" "${PAGES[@]}") \
        >"$out" 2>&1 || { cat "$out" >&2; die "decode_bench of $1 failed"; }
    DEC_J=$(awk '$1 == "arena" && $2 == "jscan" && $3 != "+" { print $(NF - 2) }' "$out")
    DEC_JT=$(awk '$1 == "arena" && $2 == "jscan" && $3 == "+" { print $(NF - 2) }' "$out")
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "building $OLD_NAME and $NEW_NAME in $TREES"
build old "$OLD_SHA"
build new "$NEW_SHA"
MOCK=$TREES/new/build/tools/wdt-mock
say "MariaDB in $WORK/db (buffer pool $MARIADB_BUFFER_POOL)"
bash "$SRC/tools/mariadb.sh" start "$WORK/db" >/dev/null
"$MOCK" --port 0 --port-file "$WORK/mock.port" --seed 5 --records "$CPU_RECORDS" \
    --from "2024-01-01 00:00:00" --to "2024-03-31 23:59:59" --now "2024-04-01 00:05:00" \
    >"$WORK/mock.log" 2>&1 &
PIDS+=($!)
for i in $(seq 1 1200); do
    [ -s "$WORK/mock.port" ] && break
    kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$WORK/mock.log" >&2; die "wdt-mock exited"; }
    sleep 0.05
done
[ -s "$WORK/mock.port" ] || die "wdt-mock did not start"
MOCK_URL="http://127.0.0.1:$(cat "$WORK/mock.port")"
NOW="2024-04-01 00:10:00"
declare -A REPLIES

# record REV DIR: REV's live run against the mock, saving the replies into DIR.
record() {
    local url
    mkdir -p "$2"
    url=$(db_new "record_$1")
    run "record_$1" "$1" "$(job "record_$1" "$1" "$BATCH_ROWS")" "$url" --record "$2" ||
        { cat "$WORK/record_$1.out" >&2; die "recording with $1 failed"; }
    local verdict
    verdict=$(oracle "record_$1" "$url")
    [ "$verdict" = "0 wrong" ] || die "record_$1: oracle says $verdict"
    sql "record_$1" "DROP DATABASE record_$1"
    say "  recorded with $1: $ROWS rows in ${ELAPSED}s, $(ls "$2" | wc -l) replies, $verdict"
}
say "recording the replies of $CPU_RECORDS refunds with NEW"
record new "$WORK/replies"
REPLIES[new]=$WORK/replies
# Does OLD replay NEW's recording? Three windows into a scratch database.
url=$(db_new compat)
if run compat old "$(job compat old "$BATCH_ROWS")" "$url" --replay "$WORK/replies" --max-windows 3; then
    REPLIES[old]=$WORK/replies
    SHARED="one recording (NEW's), replayed by both"
    say "OLD replays NEW's recording ($ROWS rows in 3 windows)"
else
    say "OLD does not replay NEW's recording: $(tail -n 1 "$WORK/compat.out"); recording with OLD"
    record old "$WORK/replies_old"
    REPLIES[old]=$WORK/replies_old
    SHARED="two recordings of the same mock (OLD could not replay NEW's)"
fi
sql compat "DROP DATABASE compat"

R_old=() R_new=() R_ship=()
for i in $(seq 1 "$ROUNDS"); do
    if [ $((i % 2)) = 1 ]; then order="old new"; else order="new old"; fi
    say "replay round $i of $ROUNDS ($order)"
    for rev in $order; do
        replay "r${i}_$rev" "$rev" "$BATCH_ROWS"
        if [ "$rev" = old ]; then R_old+=("$LAST"); else R_new+=("$LAST"); fi
    done
done
SHIP_NOTES=()
for rev in old new; do
    b=$(shipped_batch_rows "$rev")
    if [ "$b" = "$BATCH_ROWS" ]; then
        SHIP_NOTES+=("$rev ships batch_rows $b: the compared setting, no extra round")
    else
        say "one $rev round at its shipped batch_rows $b"
        replay "ship_$rev" "$rev" "$b"
        SHIP_NOTES+=("$rev at its shipped batch_rows $b: ${LAST%%|*} rows/s (${LAST##*|})")
    fi
done

# The decoders on the same pages: the first DECODE_PAGES replies of NEW's recording (sorted,
# so the first windows' pages), if OLD replayed them, else each build its own.
mapfile -t PAGES < <(ls "$WORK/replies"/*.json | sort | head -n "$DECODE_PAGES")
D_old_j=() D_old_jt=() D_new_j=() D_new_jt=()
for i in 1 2 3; do
    if [ $((i % 2)) = 1 ]; then order="old new"; else order="new old"; fi
    for rev in $order; do
        if [ "${REPLIES[$rev]}" != "$WORK/replies" ]; then
            mapfile -t PAGES < <(ls "${REPLIES[$rev]}"/*.json | sort | head -n "$DECODE_PAGES")
        fi
        decode "$rev"
        say "decode_bench $rev, try $i: jscan $DEC_J, jscan + transform $DEC_JT records/CPU-s"
        if [ "$rev" = old ]; then D_old_j+=("$DEC_J") D_old_jt+=("$DEC_JT")
        else D_new_j+=("$DEC_J") D_new_jt+=("$DEC_JT"); fi
        mapfile -t PAGES < <(ls "$WORK/replies"/*.json | sort | head -n "$DECODE_PAGES")
    done
done
PAGE_BYTES=$(cat "${PAGES[@]}" | wc -c)
PAGE_RECS=$(awk '/ pages, / { print $3 }' "$WORK/decode.new.out")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

field() { local f; IFS='|' read -r -a f <<<"$1"; echo "${f[$2]}"; }
col() { local k=$1 x; shift; for x in "$@"; do field "$x" "$k"; done; }
mapfile -t OR < <(col 0 "${R_old[@]}")
mapfile -t NR_ < <(col 0 "${R_new[@]}")
mapfile -t OC < <(col 1 "${R_old[@]}")
mapfile -t NC < <(col 1 "${R_new[@]}")
row() { printf '%-36s %12s %12s %8s\n' "$@"; }
echo
echo "sluice compare: OLD $OLD_NAME, NEW $NEW_NAME"
echo "$(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC'); load average $LOAD_BEFORE before, $LOAD_AFTER after"
echo "$CPU_RECORDS refunds, $SHARED; batch_rows $BATCH_ROWS in both; rounds alternate (odd: OLD first)"
row "" "OLD" "NEW" "NEW/OLD"
row "replay rows/s (median of $ROUNDS)" "$(median "${OR[@]}")" "$(median "${NR_[@]}")" \
    "$(ratio "$(median "${NR_[@]}")" "$(median "${OR[@]}")")"
row "replay sluice CPU s (median)" "$(median "${OC[@]}")" "$(median "${NC[@]}")" \
    "$(ratio "$(median "${NC[@]}")" "$(median "${OC[@]}")")"
row "decode jscan rec/CPU-s (median)" "$(median "${D_old_j[@]}")" "$(median "${D_new_j[@]}")" \
    "$(ratio "$(median "${D_new_j[@]}")" "$(median "${D_old_j[@]}")")"
row "decode jscan+transform rec/CPU-s" "$(median "${D_old_jt[@]}")" "$(median "${D_new_jt[@]}")" \
    "$(ratio "$(median "${D_new_jt[@]}")" "$(median "${D_old_jt[@]}")")"
echo "rounds:"
for i in $(seq 1 "$ROUNDS"); do
    echo "  replay $i OLD: $(field "${R_old[i - 1]}" 0) rows/s; $(field "${R_old[i - 1]}" 2)"
    echo "  replay $i NEW: $(field "${R_new[i - 1]}" 0) rows/s; $(field "${R_new[i - 1]}" 2)"
done
for i in 1 2 3; do
    echo "  decode $i: OLD ${D_old_j[i - 1]} / ${D_old_jt[i - 1]}, NEW ${D_new_j[i - 1]} / ${D_new_jt[i - 1]} rec/CPU-s (jscan / + transform)"
done
echo "decode pages: ${#PAGES[@]} recorded pages, $PAGE_RECS records, $PAGE_BYTES bytes; best of 3 tries of ${DECODE_SECS}s each"
for n in "${SHIP_NOTES[@]}"; do echo "shipped: $n"; done

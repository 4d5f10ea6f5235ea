#!/usr/bin/env bash
# accounts.sh: the accounts-at-scale figure of issue 12, item 7 (a benchmark, not a test). One
# job (the shipped wdt_refund) with N accounts against one wdt-mock answering every request
# after 200-400 ms (--latency-ms 200 --jitter-ms 200), run by `sluice run JOB --jobs J`: how
# long one pass over all accounts takes (a pass within 5 minutes keeps every account within 5
# minutes of fresh), the peak resident memory, CPU seconds per request (sluice's whole process
# tree, and the MariaDB server's), requests per account.
# Every account has credentials of its own (a secret header read from a file of its own, so
# each gets its own limiter: per-account quotas of limits.calls_per_minute 600 each) and the
# same data: the mock holds REC refunds in the ten minutes the first pass reads (one window,
# one or two pages), and each later pass reads the minutes since the watermark (window.overlap
# 5 minutes: the same refunds again). The mock serves every account the same records, so the
# figure is the engine's cost per account and request, not a data volume.
# Pass 1 starts every account at window.start (its state row, run record and first watermark);
# passes 2.. are the steady state. Memory: the largest process's peak RSS, and the peak sums
# over the parent and its workers of RSS (shared pages counted in each) and of PSS (each page
# split between the processes sharing it: what the tree really holds), sampled every 0.5 s. Each pass's wall time, CPU and load average (uptime: the
# machine is shared) are printed; the table goes to stdout.
# Usage: tools/bench/accounts.sh [BUILD_DIR]        (default: build-bench in the repository)
# Env: COUNTS ("100 1000"), JOBS (32: accounts at once), PASSES (2), REC (20), KEEP=1.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$SRC/build-bench}
COUNTS=${COUNTS:-100 1000}
JOBS=${JOBS:-32}
PASSES=${PASSES:-2}
REC=${REC:-20}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench-accounts.XXXXXX")
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    bash "$SRC/tools/mariadb.sh" stop "$WORK/db" >/dev/null 2>&1 || true
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
die() { echo "accounts.sh: $*" >&2; exit 1; }
say() { echo "== $*" >&2; }

export QIMEN_APP_KEY=12345678 QIMEN_APP_SECRET=qmsecret QIMEN_TARGET_APP_KEY=87654321
export WDT_SID=wdtapi3 WDT_APPKEY=testkey WDT_APPSECRET=testsecret:testsalt

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
grep -q '^CMAKE_BUILD_TYPE:STRING=Release' "$BUILD/CMakeCache.txt" || die "$BUILD is not a Release build"
cmake --build "$BUILD" -j2 --target sluice wdt-mock >/dev/null
SLUICE=$BUILD/engine/sluice MOCK=$BUILD/tools/wdt-mock

"$MOCK" --port 0 --port-file "$WORK/mock.port" --seed 5 --records "$REC" \
    --from "2024-06-01 00:00:00" --to "2024-06-01 00:09:59" --now "2024-06-01 00:10:00" \
    --latency-ms 200 --jitter-ms 200 >"$WORK/mock.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 200); do [ -s "$WORK/mock.port" ] && break; sleep 0.05; done
[ -s "$WORK/mock.port" ] || die "wdt-mock did not start"
MOCK_URL="http://127.0.0.1:$(cat "$WORK/mock.port")"
export WDT_ENDPOINT=$MOCK_URL/router/qm
bash "$SRC/tools/mariadb.sh" start "$WORK/db" >/dev/null

stat_calls() { curl -sS "$MOCK_URL/_stats" | sed -n 's/.*"calls": *\([0-9]*\).*/\1/p'; }
db_cpu() {
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' \
        "/proc/$(tr -dc '0-9' <"$WORK/db/mysqld.pid")/stat"
}
load1() { cut -d' ' -f1 /proc/loadavg; }

# job N: the shipped job with N accounts in accounts_file, each with a header of its own read
# from a file of its own (its credentials, so its own limiter), window.start at the data's.
job() {
    local n=$1 dir=$WORK/job$1 i
    mkdir -p "$dir/tags"
    for i in $(seq 1 "$n"); do
        echo "tag-$i" >"$dir/tags/a$i"
        echo "- { id: a$i, secrets: { tag: \"\${file:$dir/tags/a$i}\" } }"
    done >"$dir/accounts.yml"
    sed -e 's/^name: wdt_refund$/&\naccounts_file: accounts.yml/' \
        -e 's/^  records: response.data.order$/&\n  request: { headers: { X-Account: "${account:tag}" } }/' \
        -e 's/^    start: "2024-01-01 00:00:00"$/    start: "2024-06-01 00:00:00"/' \
        "$SRC/mappings/wdt_refund.yml" >"$dir/job.yml"
    grep -q '^accounts_file: accounts.yml$' "$dir/job.yml" && grep -q 'X-Account' "$dir/job.yml" &&
        grep -q 'start: "2024-06-01 00:00:00"' "$dir/job.yml" || die "the job edit did not apply"
    echo "$dir/job.yml"
}

printf '%-9s %-5s %-4s %9s %9s %8s %10s %10s %12s %12s %10s %8s %6s\n' accounts jobs pass \
    "wall s" "acc/s" requests "sluice s" "mariadb s" "ms cpu/req" "peak rss MB" "tree MB" "pss MB" load
for n in $COUNTS; do
    JOB=$(job "$n")
    SLUICE_DB=$(bash "$SRC/tools/mariadb.sh" createdb "$WORK/db" "acc_$n")
    export SLUICE_DB
    "$SLUICE" migrate "$JOB" >/dev/null
    for pass in $(seq 1 "$PASSES"); do
        now=$(printf '2024-06-01 00:%02d:00' $((10 + 5 * pass)))
        c0=$(stat_calls) d0=$(db_cpu) l0=$(load1)
        /usr/bin/time -v -o "$WORK/time.$n.$pass" "$SLUICE" run "$JOB" --jobs "$JOBS" --no-migrate \
            --quiet --now "$now" >"$WORK/run.$n.$pass" 2>&1 &
        tpid=$!
        tree=0 tree_pss=0
        while kill -0 $tpid 2>/dev/null; do # the whole tree's resident memory, sampled
            sp=$(pgrep -P $tpid | head -n 1 || true)
            kb=$({ [ -z "$sp" ] || ps -o rss= -p "$sp" --ppid "$sp"; } 2>/dev/null | awk '{ s += $1 } END { print s + 0 }' || true)
            [ "$kb" -gt "$tree" ] && tree=$kb
            # PSS: a page shared by k processes counts 1/k in each, so the sum is the tree's own
            pss=$(for p in $sp $(pgrep -P "${sp:-0}" || true); do
                      awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || true
                  done | awk '{ s += $1 } END { print s + 0 }')
            [ "$pss" -gt "$tree_pss" ] && tree_pss=$pss
            sleep 0.5
        done
        rc=0
        wait $tpid || rc=$?
        tail -n 1 "$WORK/run.$n.$pass" | grep -q "^sluice run wdt_refund: $n accounts, $n ok, 0 failed$" ||
            { tail -n 5 "$WORK/run.$n.$pass" >&2; die "pass $pass of $n accounts: exit $rc"; }
        rows=$(bash "$SRC/tools/mariadb.sh" sql "$WORK/db" "acc_$n" \
            "SELECT COUNT(*), COUNT(DISTINCT account) FROM aftersales_refund_refund_search")
        [ "$rows" = "$((n * REC))	$n" ] || die "pass $pass: rows, accounts = $rows; want $((n * REC)), $n"
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0
                   for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$WORK/time.$n.$pass")
        cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$WORK/time.$n.$pass")
        rss=$(awk -F': ' '/Maximum resident/ { printf "%.1f", $2 / 1024 }' "$WORK/time.$n.$pass")
        reqs=$(( $(stat_calls) - c0 ))
        dcpu=$(awk -v a="$(db_cpu)" -v b="$d0" 'BEGIN { printf "%.1f", a - b }')
        printf '%-9s %-5s %-4s %9.1f %9.1f %8d %10s %10s %12.1f %12s %10.1f %8.1f %6s\n' "$n" "$JOBS" "$pass" \
            "$wall" "$(awk -v n="$n" -v w="$wall" 'BEGIN { print n / w }')" "$reqs" "$cpu" "$dcpu" \
            "$(awk -v c="$cpu" -v r="$reqs" 'BEGIN { print 1000 * c / r }')" "$rss" \
            "$(awk -v k="$tree" 'BEGIN { print k / 1024 }')" \
            "$(awk -v k="$tree_pss" 'BEGIN { print k / 1024 }')" "$l0-$(load1)"
    done
done

#!/usr/bin/env bash
# mock_pages.sh: benchmark (not a test) of wdt-mock: correctly signed page requests, 50 records
# a page, from several concurrent keep-alive connections (wdt-client --bench, curl multi), on
# loopback. Prints one line per route. Usage: tools/bench/mock_pages.sh [BUILD_DIR] [SECONDS]
# Env: CONNECTIONS (default 8), RECORDS (default 20000).
set -euo pipefail
BUILD=${1:-build}
SECS=${2:-5}
MOCK=$BUILD/tools/wdt-mock
CLIENT=$BUILD/tools/wdt-client
[ -x "$MOCK" ] && [ -x "$CLIENT" ] || { echo "build wdt-mock and wdt-client in $BUILD first" >&2; exit 2; }
dir=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
"$MOCK" --port 0 --port-file "$dir/port" --records "${RECORDS:-20000}" \
    --from "2024-06-01 00:00:00" --to "2024-06-02 00:00:00" 2>"$dir/log" &
pid=$!
for _ in $(seq 1 600); do
    [ -s "$dir/port" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir/log" >&2; exit 1; }
    sleep 0.05
done
[ -s "$dir/port" ] || { echo "wdt-mock did not start" >&2; exit 1; }
url="http://127.0.0.1:$(cat "$dir/port")"
for route in qimen direct; do
    "$CLIENT" --url "$url" --route "$route" --page-size 50 --bench "$SECS" \
        --connections "${CONNECTIONS:-8}"
done

#!/usr/bin/env bash
# reply_memory: one reply, whatever its shape, takes at most about 3x source.max_body of memory
# (the body, plus its decoded tree limited to twice max_body; issue 9 item 4). Replies of
# hostile shapes (millions of empty records, of empty lists in a field nobody reads, of kept
# one-key records, one huge kept string) are replayed by `sluice dry-run` under an address-space
# cap of 3x max_body above what an empty reply needs: each must be refused with the decoded-size
# error (exit 4), not die or exhaust memory; a real page near the cap still goes through.
# Before the fix a 4 MB reply of `{},` took ~300 MB. Not under ASan (it reserves terabytes).
set -euo pipefail
sluice=${1:?usage: reply_memory.sh SLUICE_BIN}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cap_kib=4096
# max_body 4M; pages of up to 1000 records, so the real page below is one page.
sed -e 's/^  method: /  max_body: 4M\n  method: /' -e 's/^    size: 50$/    size: 1000/' \
    "$here/../../mappings/wdt_refund.yml" >"$tmp/job.yml"
mkdir "$tmp/replies"
reply="$tmp/replies/1767196800_1767200400_0.json" # the one window of the hour below, page 0

# Runs dry-run on $reply under an address-space cap of $1 KiB; sets rc and leaves stderr in err.
run_capped() {
    set +e
    (ulimit -v "$1"; exec env -i PATH="$PATH" MALLOC_ARENA_MAX=1 "$sluice" dry-run \
        "$tmp/job.yml" --replay "$tmp/replies" --quiet \
        --from "2026-01-01 00:00:00" --to "2026-01-01 01:00:00") >"$tmp/out" 2>"$tmp/err"
    rc=$?
    set -e
}

# $1 repeated to fill about $2 bytes, without a trailing separator.
fill() {
    local unit=$1 bytes=$2
    yes "$unit" | head -n $((bytes / ${#unit})) | tr -d '\n' | sed 's/,$//'
}

envelope() { # $1: the records list's items, $2: an extra envelope member (or empty), $3: total
    printf '{"response":{"status":0,%s"data":{"total_count":%s,"order":[%s]}}}' "$2" "${3:-0}" "$1"
}

# The smallest cap (in 4 MiB steps) an empty reply runs under: the process's own needs.
printf '%s' "$(envelope '' '')" >"$reply"
base=16384
while run_capped "$base"; [ "$rc" -ne 0 ]; do
    base=$((base + 4096))
    [ "$base" -le 262144 ] || { echo "FAIL: an empty reply does not run under 256 MiB"; cat "$tmp/err"; exit 1; }
done
limit=$((base + 3 * cap_kib + 4096))
echo "an empty reply runs under $base KiB; hostile replies get $limit KiB"

near=$((cap_kib * 1024 - 200))
fails=0
expect() { # $1: exit code, $2: a line stderr must hold, $3: what
    run_capped "$limit"
    if [ "$rc" -eq "$1" ] && grep -qF "$2" "$tmp/err"; then
        echo "ok: $3: exit $rc, within the cap"
    else
        echo "FAIL: $3: exit $rc, wanted $1 and '$2'"
        tail -3 "$tmp/err"
        fails=$((fails + 1))
    fi
}
check_refused() { # $1: what
    expect 4 'bytes of memory decoded (twice source.max_body); refused' "$1"
}

envelope "$(fill '{},' "$near")" '' >"$reply"
check_refused "records {},{},..."
envelope "$(fill '[],' "$near")" '' >"$reply"
check_refused "records [],[],..."
envelope '{"refund_id":1}' "\"x\":[$(fill '[],' "$near")]," >"$reply"
check_refused "an unread envelope field [],[],..."
envelope "$(fill '{"refund_id":7},' "$near")" '' >"$reply"
check_refused "records {\"refund_id\":7},..."
envelope '{"refund_id":1,"remark":"'"$(fill '\n' "$((near - 80))")"'"}' '' 1 >"$reply"
expect 6 'records rejected, more than max_rejects' "one kept string of escapes (decoded, then too long)"

# A real reply, as large as fits under the cap's tree limit, still goes through: the sample's
# two records 240 times, with distinct ids (the total must hold).
page=$(tr -d '\n' <"$here/../unit/data/wdt_sample_page.json")
one=$(printf '%s' "$page" | sed 's/.*"order": *\[\(.*\)\] *} *} *}$/\1/')
records=$(for i in $(seq 1 240); do
    printf '%s,' "$one" | sed "s/\"refund_id\":\([0-9]*\)/\"refund_id\":\1$i/g"
done | sed 's/,$//')
envelope "$records" '' 480 >"$reply"
expect 0 'records     480 received' "a real page of $(wc -c <"$reply") bytes"
[ "$fails" -eq 0 ]

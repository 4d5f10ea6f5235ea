#!/usr/bin/env bash
# check_detects: tools/check-engine-neutral.sh fails on what it must catch, on doctored copies
# of engine/ and mappings/: a non-ASCII string literal (the "并发" that engine/run/runner.c used to
# hold), a non-ASCII character literal, and a mapping's column name; and passes a copy whose
# only non-ASCII text is in comments, so that it can be told apart from a check that always fails.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CHECK=$SRC/tools/check-engine-neutral.sh
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-neutral.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# copy NAME LINE: a copy of the tree with engine/probe.c holding LINE; prints its root.
copy() {
    mkdir -p "$WORK/$1"
    cp -r "$SRC/engine" "$SRC/mappings" "$WORK/$1/"
    printf '%s\n' "$2" >"$WORK/$1/engine/probe.c"
    echo "$WORK/$1"
}

# flags NAME LINE WHAT: the check fails on the copy and names engine/probe.c.
flags() {
    local root rc=0
    root=$(copy "$1" "$2")
    bash "$CHECK" "$root" >"$WORK/$1.out" 2>&1 || rc=$?
    cat "$WORK/$1.out"
    [ $rc -eq 1 ] || fail "$1: the check exited $rc on $3, want 1"
    grep -q "engine/probe.c" "$WORK/$1.out" || fail "$1: the check does not name the file"
}

flags string 'static const char *busy = "x" "并发";' "a non-ASCII string literal"
flags char "static const char c = '\\xe5', d = 'é';" "a non-ASCII character literal"
flags column 'static const char *k = "refund_id";' "a mapping's column name"

root=$(copy comment '/* WDT says 并发 ("too many in flight") */ // and 频率 "quoted" in a comment')
bash "$CHECK" "$root" || fail "the check refused non-ASCII text in comments"
echo "check_detects: ok"

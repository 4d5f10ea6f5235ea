#!/usr/bin/env bash
# check_detects: tools/check-size.sh fails on what it must catch, on doctored copies of engine/:
# a file of 701 lines and a function of 61 lines (a multi-line signature counted from its
# first line), each named with file:line; and passes a copy holding a 700-line file whose
# longest function has 60 lines, so that it can be told apart from a check that always fails.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CHECK=$SRC/tools/check-size.sh
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-size.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# probe NAME BODY_LINES FILLER_LINES: a copy of engine/ with an empty one; engine/probe.c holds
# a function whose body has BODY_LINES lines (signature on two lines, so BODY_LINES + 4 in
# all), then FILLER_LINES comment lines. Prints its root.
probe() {
    local root=$WORK/$1
    mkdir -p "$root/engine"
    {
        echo "static int probe(int a,"
        echo "                 int b)"
        echo "{"
        for ((i = 0; i < $2; i++)); do echo "    a += b;"; done
        echo "}"
        for ((i = 0; i < $3; i++)); do echo "/* filler */"; done
    } >"$root/engine/probe.c"
    echo "$root"
}

# flags ROOT WANT: the check fails on ROOT and prints WANT.
flags() {
    local rc=0
    bash "$CHECK" "$1" >"$WORK/out" 2>&1 || rc=$?
    cat "$WORK/out"
    [ $rc -eq 1 ] || fail "the check exited $rc on $1, want 1"
    grep -qF -- "$2" "$WORK/out" || fail "the check does not say '$2'"
}

flags "$(probe long-function 57 0)" "engine/probe.c:1: function probe has 61 lines"
flags "$(probe long-file 56 641)" "engine/probe.c:1: 701 lines"
bash "$CHECK" "$(probe at-limits 56 640)" || fail "the check refused a 700-line file with a 60-line function"
echo "check_detects: ok"

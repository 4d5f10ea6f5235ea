#!/usr/bin/env bash
# dry_cases_detect.sh SLUICE: run_dry_cases.sh fails on a wrong golden file, on copies of a case:
# one value changed in expected.sql, a line added to expected.err, a wrong status; and passes
# the unchanged copy, so that it can be told apart from a runner that always fails.
set -euo pipefail
sluice=${1:?usage: dry_cases_detect.sh SLUICE}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sluice-dry-cases.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# copy NAME CASE: a copy of tests/cases/CASE as $work/NAME.
copy() { cp -r "$here/$2" "$work/$1"; }

# refused NAME WANT: the runner fails on copy NAME and prints WANT (a fixed string).
refused() {
    local rc=0
    bash "$here/run_dry_cases.sh" "$sluice" "$work/$1" >"$work/$1.out" 2>&1 || rc=$?
    cat "$work/$1.out"
    [ $rc -eq 1 ] || fail "$1: the runner exited $rc, want 1"
    grep -qF -- "$2" "$work/$1.out" || fail "$1: the output lacks '$2'"
}

copy same map-decimal
bash "$here/run_dry_cases.sh" "$sluice" "$work/same" || fail "the runner refused an unchanged case"

copy value map-decimal
sed -i "s/^('3','7.00'),$/('3','7.0'),/" "$work/value/expected.sql"
refused value "+('3','7.00'),"

copy err map-error-fail
echo "sluice: error: not what it says" >>"$work/err/expected.err"
refused err "-sluice: error: not what it says"

copy status map-enum
echo 6 >"$work/status/status"
refused status "exit status 0, want 6"
echo "dry_cases_detect: ok"

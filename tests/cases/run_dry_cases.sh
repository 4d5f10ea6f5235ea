#!/usr/bin/env bash
# run_dry_cases.sh SLUICE [CASE_DIR...]: the mapping golden folders. Every folder of
# tests/cases holding a replies/ folder (or each CASE_DIR given) is one case:
#   job.yml       the job (signer none, an endpoint nobody calls: the replies stand in for it)
#   replies/      the API's replies, FROM_TO_PAGE.json (window bounds in epoch seconds, the page
#                 number as sent), as `sluice dry-run --record DIR` writes them
#   expected.sql  the dry-run's standard output, byte for byte (docs/dry-run.md)
#   args          optional: the dry-run's extra arguments, one per line (default: the range
#                 --from "2024-06-01 00:00:00" --to "2024-06-01 23:59:59")
#   status        optional: the exit status wanted (default 0)
#   expected.err  optional: the `sluice:` lines of standard error (errors and warnings; the
#                 summary, which holds the elapsed time, is not compared)
# It runs `sluice dry-run job.yml --replay replies --quiet ARGS` inside the folder with a clean
# environment and prints a unified diff for every difference. With SLUICE_UPDATE_GOLDEN=1 the
# expected files are rewritten from the actual output instead (the same variable as
# run_case.sh's): read the diff before committing, each value must be checked by hand.
set -u
sluice=${1:?usage: run_dry_cases.sh SLUICE [CASE_DIR...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
    for d in "$here"/*/replies; do
        [ -d "$d" ] && set -- "$@" "$(dirname "$d")"
    done
fi
[ $# -gt 0 ] || { echo "no case folder with replies/ under $here" >&2; exit 2; }
[ -x "$sluice" ] || { echo "no sluice binary at $sluice" >&2; exit 2; }
sluice=$(cd "$(dirname "$sluice")" && pwd)/$(basename "$sluice")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# run_one DIR: runs the case; its outputs land in $out/stdout, $out/err and $out/status.
run_one() {
    local args=(--from "2024-06-01 00:00:00" --to "2024-06-01 23:59:59")
    [ -f "$1/args" ] && mapfile -t args <"$1/args"
    (cd "$1" && env -i PATH="$PATH" "$sluice" dry-run job.yml --replay replies --quiet \
        "${args[@]}") >"$out/stdout" 2>"$out/stderr"
    echo $? >"$out/status"
    grep '^sluice: ' "$out/stderr" >"$out/err"
}

# check_one DIR: 0 when every expected file matches.
check_one() {
    local name want=0 fail=0
    name=$(basename "$1")
    [ -f "$1/status" ] && want=$(cat "$1/status")
    if ! diff -u --label "$name/expected.sql" --label "$name (dry-run)" "$1/expected.sql" \
        "$out/stdout"; then
        echo "$name: the SQL differs from expected.sql (see the diff above)" >&2
        fail=1
    fi
    if [ -f "$1/expected.err" ] && ! diff -u --label "$name/expected.err" \
        --label "$name (stderr)" "$1/expected.err" "$out/err"; then
        echo "$name: the errors differ from expected.err (see the diff above)" >&2
        fail=1
    fi
    if [ "$(cat "$out/status")" != "$want" ]; then
        echo "$name: exit status $(cat "$out/status"), want $want" >&2
        sed 's/^/    /' "$out/stderr" >&2
        fail=1
    fi
    return $fail
}

update_one() {
    cp "$out/stdout" "$1/expected.sql"
    if [ -s "$out/err" ] || [ -f "$1/expected.err" ]; then
        cp "$out/err" "$1/expected.err"
    fi
    if [ "$(cat "$out/status")" = 0 ]; then rm -f "$1/status"; else cp "$out/status" "$1/status"; fi
}

failed=0
for dir in "$@"; do
    dir=$(cd "$dir" && pwd)
    run_one "$dir"
    if [ "${SLUICE_UPDATE_GOLDEN:-0}" = 1 ]; then
        update_one "$dir"
        echo "updated $(basename "$dir")"
    elif check_one "$dir"; then
        echo "ok $(basename "$dir")"
    else
        echo "FAILED $(basename "$dir")"
        failed=$((failed + 1))
    fi
done
[ $failed -eq 0 ] || echo "$failed of $# dry-run cases failed" >&2
exit $((failed > 0))

#!/usr/bin/env bash
# guess.sh SLUICE: the `sluice guess` cases, one folder each under tests/cli/guess/:
#   sample.json | replies/  the input: one sample reply, or replies as `run --record DIR` names
#                           them (FROM_TO_PAGE.json)
#   expected.yml            the job printed, byte for byte (a case that succeeds), or
#   no-golden               why this case has none (its output may change with the converters:
#                           only the checks below apply)
#   expected.err, status    standard error and the exit status (a case that fails)
# Each runs `sluice guess sample.json` or `sluice guess --replay replies` inside its folder.
# Every job printed must pass `sluice validate`, and a dry-run of it over the same replies (the
# command its header names; a sample reply is replayed as the one window at window.start) must
# exit 0 with every record written and none rejected: a type guessed accepts every value seen.
# The signer's commented-out kinds come from the signer registry: they are left out of the
# comparison (a new kind changes no golden file), and checked instead to name every signer type
# of `sluice validate --print-reference` but `none`.
# SLUICE_UPDATE_GOLDEN=1 rewrites expected.yml / expected.err from the actual output.
SLUICE=${1:?usage: guess.sh SLUICE}
SLUICE=$(cd "$(dirname "$SLUICE")" && pwd)/$(basename "$SLUICE")
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")/guess" && pwd)

# golden FILE ACTUAL WHAT: compares (or, updating, rewrites) a golden file.
golden() {
    if [ -n "${SLUICE_UPDATE_GOLDEN:-}" ]; then
        cp "$2" "$1"
    else
        diff -u "$1" "$2" >&2 || bad "$3 differs from $(basename "$1")"
    fi
}

# dry_run CASE JOB: the guessed job replays its input; every record lands, none is rejected.
dry_run() {
    local c=$1 job=$2 records args
    records=$(sed -n '1s/.* \([0-9]*\) records\.$/\1/p' "$job")
    if [ -d "$HERE/$c/replies" ]; then
        mapfile -t args < <(sed -n 's/^#   sluice dry-run JOB.yml --replay replies //p' "$job" |
            xargs printf '%s\n')
        [ ${#args[@]} -eq 6 ] || { bad "$c: the header names no dry-run command"; return; }
        cp -r "$HERE/$c/replies/." "$T/replies"
    else
        grep -q '^    total: FILL-IN' "$job" && return # nothing to page by
        cp "$HERE/$c/sample.json" "$T/replies/1704067200_1704153600_0.json"
        args=(--from "2024-01-01 00:00:00" --to "2024-01-02 00:00:00")
    fi
    sl dry-run "$job" --replay "$T/replies" "${args[@]}"
    [ $RC -eq 0 ] || { bad "$c: the guessed job's dry-run exited $RC:"; cat "$ERR" >&2; return; }
    grep -q "written *$records rows, [0-9]* child rows, 0 rejects" "$OUT" "$ERR" ||
        { bad "$c: the dry-run did not write all $records records without a reject:"; cat "$ERR" >&2; }
}

# kinds JOB: the job without its commented-out signer kinds.
kinds() { awk '/^  signer:/ { s = 1 } /^  params:/ { s = 0 } !(s && /^    # /)' "$1"; }

"$SLUICE" validate --print-reference | sed -n 's/^## `signer` type `\(.*\)`$/\1/p' | grep -vx none |
    sort >"$T/kinds.want"
[ -s "$T/kinds.want" ] || bad "the reference lists no signer types"

n=0
for dir in "$HERE"/*/; do
    c=$(basename "$dir")
    n=$((n + 1))
    rm -rf "$T/replies" && mkdir "$T/replies"
    if [ -d "$dir/replies" ]; then input=(--replay replies); else input=(sample.json); fi
    cd "$dir"
    sl guess "${input[@]}"
    cd - >/dev/null
    if [ -f "$dir/status" ]; then
        [ "$RC" -eq "$(cat "$dir/status")" ] || bad "$c: exit $RC, want $(cat "$dir/status")"
        [ ! -s "$OUT" ] || bad "$c: a failure printed a job"
        golden "$dir/expected.err" "$ERR" "$c: stderr"
        continue
    fi
    [ "$RC" -eq 0 ] && [ ! -s "$ERR" ] || { bad "$c: exit $RC:"; cat "$ERR" >&2; continue; }
    sed -n 's/^    # type: //p' "$OUT" | sort >"$T/kinds.got"
    cmp -s "$T/kinds.want" "$T/kinds.got" || bad "$c: the commented signer kinds are not the registry's"
    kinds "$OUT" >"$T/job.cmp"
    [ -f "$dir/no-golden" ] || golden "$dir/expected.yml" "$T/job.cmp" "$c: the job"
    cp "$OUT" "$T/job.yml"
    sl validate "$T/job.yml"
    [ $RC -eq 0 ] && [ ! -s "$ERR" ] || { bad "$c: the guessed job does not validate:"; cat "$ERR" >&2; }
    dry_run "$c" "$T/job.yml"
done
[ $n -ge 5 ] || bad "only $n cases under $HERE"
finish "guess ($n cases)"

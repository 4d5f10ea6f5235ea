#!/bin/sh
# run_case.sh CASE_DIR [SLUICE]: runs `sluice validate [ARGS] job.yml` inside CASE_DIR with a
# clean environment (PATH plus the VAR=value lines of CASE_DIR/env), then compares stderr with
# CASE_DIR/expected byte for byte and the exit status with CASE_DIR/status (default 3, the
# config-error exit code). CASE_DIR/args holds extra flags (e.g. --strict); env values must not
# contain spaces.
# A case too big to commit has CASE_DIR/generate instead of job.yml: a sh script printing the
# job file, run at test time inside CASE_DIR (files it writes into $CASE_OUT sit next to the
# job file). CASE_DIR/memory (e.g. 64M) runs sluice under that address-space
# cap (prlimit --as), except when SLUICE_SANITIZED=1 (ASan needs a huge address space).
# SLUICE defaults to $SLUICE_BUILD/engine/sluice. With SLUICE_UPDATE_GOLDEN=1 the expected
# files are rewritten from the actual output instead (review the diff before committing).
set -u
case_dir=$1
sluice=${2:-${SLUICE_BUILD:-}/engine/sluice}
name=$(basename "$case_dir")
cd "$case_dir" || exit 2
[ -x "$sluice" ] || { echo "$name: no sluice binary at $sluice" >&2; exit 2; }

want_status=3
[ -f status ] && want_status=$(cat status)
args=
[ -f args ] && args=$(cat args)
env_vars=
[ -f env ] && env_vars=$(cat env)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
job=job.yml
if [ -f generate ]; then
    mkdir "$out/case" && CASE_OUT="$out/case" sh ./generate >"$out/case/job.yml" ||
        { echo "$name: generate failed" >&2; exit 2; }
    job="$out/case/job.yml"
fi
cap=
if [ -f memory ] && [ "${SLUICE_SANITIZED:-0}" != 1 ]; then
    cap="prlimit --as=$(numfmt --from=iec "$(cat memory)") --"
fi
# shellcheck disable=SC2086 # args, env lines and the cap are meant to be split
(cd "$(dirname "$job")" && env -i PATH="$PATH" $env_vars $cap "$sluice" validate $args job.yml) \
    >"$out/stdout" 2>"$out/stderr"
status=$?

if [ "${SLUICE_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$out/stderr" expected
    [ "$status" = 3 ] && rm -f status || echo "$status" >status
    exit 0
fi

fail=0
if ! diff -u expected "$out/stderr"; then
    echo "$name: stderr differs from expected (see diff above)" >&2
    fail=1
fi
if [ "$status" != "$want_status" ]; then
    echo "$name: exit status $status, want $want_status" >&2
    fail=1
fi
exit $fail

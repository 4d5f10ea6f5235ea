#!/bin/sh
# check_generated.sh SLUICE --print-schema|--print-reference FILE: fails when FILE differs
# from what `sluice validate --print-...` generates from the option tables. To refresh:
#   sluice validate --print-schema > schemas/job.schema.json
#   sluice validate --print-reference > docs/job-format.md
#   sluice gen man5 > docs/man/sluice-job.5      (the same reference as a man page: ctest
#                                                cli.generated, tests/cli/generated.sh)
set -u
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$1" validate "$2" >"$out" || exit 1
if ! diff -u "$3" "$out"; then
    echo "$3 is out of date: regenerate it with 'sluice validate $2'" >&2
    exit 1
fi

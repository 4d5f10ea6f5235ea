#!/usr/bin/env bash
# refund_direct: the same refund table through WDT's direct OpenAPI route (body-signed JSON,
# bare replies): after one run the oracle finds no difference in either table.
source "$(dirname "$0")/lib.sh"

mock_start --seed 5 --records 3000 --from "2024-01-01 00:00:00" --to "2024-01-31 23:59:59" \
    --now "2024-02-01 00:05:00"
export WDT_ENDPOINT="$MOCK_URL/openapi"
db_create
JOB=$(job_copy wdt_refund_direct)
sluice_run "$JOB" --now "2024-02-01 00:10:00"
cat "$WORK/run.out"
[ "$(summary_field records)" -ge 3000 ] || fail "fewer records received than seeded"
oracle_ok
echo "refund_direct: ok"

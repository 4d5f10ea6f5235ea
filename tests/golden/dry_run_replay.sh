#!/usr/bin/env bash
# dry_run_replay: `sluice dry-run` offline, from recorded API replies, with no credentials in
# the environment, prints exactly the golden DDL + SQL (values included, long lists
# abbreviated). The replies were recorded from wdt-mock (seed 9, 60 refunds on 2024-06-01)
# with `sluice dry-run ... --record DIR`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sluice=${1:?usage: dry_run_replay.sh SLUICE_BIN}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
env -i PATH="$PATH" "$sluice" dry-run "$here/../../mappings/wdt_refund.yml" \
    --from "2024-06-01 00:00:00" --to "2024-06-01 23:59:59" \
    --replay "$here/dry-run-replay/replies" --quiet >"$out"
diff -u "$here/dry-run-replay/expected.sql" "$out"
grep -q "^REPLACE INTO \`aftersales_refund_refund_search\`" "$out"
echo "dry-run output matches the golden file"

#!/usr/bin/env bash
# unseen_path: a column whose path found a value in no record of a run costs one warning line
# on stderr (before, a typo in a path filled every row with the default, silently); columns
# that were seen, even as null, cost none. Offline: dry-run from a recorded reply.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sluice=${1:?usage: unseen_path.sh SLUICE_BIN}
err=$(mktemp)
trap 'rm -f "$err"' EXIT
env -i PATH="$PATH" "$sluice" dry-run "$here/unseen-path/job.yml" \
    --from "2024-01-01 00:00:00" --to "2024-01-01 01:00:00" \
    --replay "$here/unseen-path/replies" >/dev/null 2>"$err"
grep -c "warning: column" "$err" | grep -qx 2 || { cat "$err"; echo "want 2 warnings" >&2; exit 1; }
grep -q "warning: column name: path 'nmae' was in none of the 2 records of this run (a typo? every row got the default)$" "$err"
grep -q "warning: column item_lines.qty: path 'qyt' was in none of the 3 items of this run (a typo? every row got NULL)$" "$err"
echo "one warning per unseen path"

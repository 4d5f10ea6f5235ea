#!/usr/bin/env bash
# check-engine-neutral.sh: the engine holds no field list of its own. Fails if any column name,
# JSON path, table name or job name of a shipped mapping appears as a word in engine/ (generic
# one-word names such as "type" or "status" are left out: they are ordinary words there).
set -euo pipefail
cd "$(dirname "$0")/.."
names=$(grep -hoE '^ {2,6}[a-z][a-z0-9]*_[a-z0-9_]+: *\{|(path|each|table|name): *[a-z][a-z0-9_]*_[][a-z0-9_.*]+' mappings/*.yml |
    sed -E 's/^ +//; s/: *\{$//; s/^(path|each|table|name): *//; s/\[\*\]//; s/\..*//' | sort -u)
found=0
for n in $names; do
    if grep -rnw --include='*.[ch]' --include='*.def' -- "$n" engine/; then
        echo "engine/ mentions the mapping's name '$n'" >&2
        found=1
    fi
done
count=$(echo "$names" | wc -w)
[ "$count" -gt 40 ] || { echo "only $count names extracted from mappings/: the extraction is broken" >&2; exit 1; }
[ $found -eq 0 ] && echo "engine/ is free of the $count mapping-specific names"
exit $found

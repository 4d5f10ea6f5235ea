#!/usr/bin/env bash
# check-size.sh [ROOT]: issue 10's limits on engine/: no file over 700 lines and no function
# over 60. A function runs from the line its name starts on (the last line starting in column 0
# before its body) to its closing brace; the style puts a body's braces alone in column 0, and
# nothing else (structs, tables and enums end in "};" or "} name;"). Prints file:line for each
# offender and exits 1 when there is one. ROOT is the repository (default: this script's); tests
# point it at a doctored copy.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
max_file=700
max_fn=60
bad=0
while IFS= read -r f; do
    n=$(wc -l <"$f")
    if [ "$n" -gt "$max_file" ]; then
        echo "$f:1: $n lines (at most $max_file in a file)"
        bad=1
    fi
    awk -v f="$f" -v max="$max_fn" '
        /^[A-Za-z_]/ { sig = FNR; name = $0 }
        /^\{$/ && sig { start = sig; fname = name }
        /^\}$/ && start {
            len = FNR - start + 1
            if (len > max) {
                sub(/\(.*/, "", fname)
                k = split(fname, w, /[ *]+/)
                printf "%s:%d: function %s has %d lines (at most %d)\n", f, start, w[k], len, max
                bad = 1
            }
            start = 0
            sig = 0
        }
        END { exit bad }' "$f" || bad=1
done < <(find engine -name '*.[ch]' | sort)
[ "$bad" -eq 0 ] || echo "check-size: split what is named above (issue 10: files <= $max_file lines, functions <= $max_fn)" >&2
exit "$bad"

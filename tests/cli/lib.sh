# lib.sh: helpers of the CLI tests. Source it after setting SLUICE; sets `set -euo pipefail` and
# a scratch folder $T (removed on exit).
set -euo pipefail
T=$(mktemp -d "${TMPDIR:-/tmp}/sluice-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
FAILS=0

bad() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }

# sl ARGS...: runs sluice with a clean environment; sets RC, and OUT/ERR (the files holding
# stdout and stderr).
sl() {
    OUT=$T/out ERR=$T/err RC=0
    env -i PATH="$PATH" ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
        ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} "$SLUICE" "$@" >"$OUT" 2>"$ERR" || RC=$?
}

# commands: the commands `sluice --help` lists, one a line (the first word of each line of its
# "commands:" block).
commands() {
    "$SLUICE" --help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit }
                            on && /^  [a-z]/ { print $1 }'
}

# options CMD: the long options `sluice CMD --help` lists (its "options:" block), one a line,
# each with its placeholder if it takes a value (e.g. "--now T").
options() {
    "$SLUICE" "$1" --help | awk '/^options:/ { on = 1; next } on && /^  -/ {
        sub(/^  (-[a-z], )?/, ""); a = ($2 ~ /^[A-Z]+$/ || $2 ~ /^[a-z]+(\|[a-z]+)+$/) ? " " $2 : ""; print $1 a }'
}

finish() {
    [ "$FAILS" -eq 0 ] || { echo "$FAILS failed checks" >&2; exit 1; }
    echo "$1: ok"
}

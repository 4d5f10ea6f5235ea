#!/usr/bin/env bash
# help.sh SLUICE VERSION: `sluice --help` lists the commands; for each one (taken from that
# list, so a new command is covered without editing this test) `sluice CMD --help`, `-h` and
# `sluice help CMD` print its help on stdout, nothing on stderr, exit 0. Also: the usage errors
# (no command, unknown command, no job file, a job file that does not exist) and --version.
SLUICE=${1:?usage: help.sh SLUICE VERSION}
VERSION=${2:?}
source "$(dirname "$0")/lib.sh"

sl --help
[ $RC -eq 0 ] || bad "sluice --help exited $RC"
[ -s "$OUT" ] && [ ! -s "$ERR" ] || bad "sluice --help: the usage goes to stdout, nothing to stderr"
cp "$OUT" "$T/usage"
sl help
cmp -s "$OUT" "$T/usage" && [ $RC -eq 0 ] || bad "sluice help differs from sluice --help"

mapfile -t CMDS < <(commands)
[ ${#CMDS[@]} -ge 7 ] || bad "sluice --help lists ${#CMDS[@]} commands: ${CMDS[*]}"
for c in "${CMDS[@]}"; do
    sl "$c" --help
    [ $RC -eq 0 ] || bad "sluice $c --help exited $RC"
    [ ! -s "$ERR" ] || { bad "sluice $c --help wrote to stderr:"; cat "$ERR" >&2; }
    head -n 1 "$OUT" | grep -q "^usage: sluice $c " || bad "sluice $c --help: no usage line"
    grep -q '^options:' "$OUT" || bad "sluice $c --help lists no options"
    cp "$OUT" "$T/help"
    sl "$c" -h
    cmp -s "$OUT" "$T/help" && [ $RC -eq 0 ] || bad "sluice $c -h differs from --help"
    sl help "$c"
    cmp -s "$OUT" "$T/help" && [ $RC -eq 0 ] || bad "sluice help $c differs from $c --help"
    # --help wins wherever it stands, whatever else the line holds
    sl "$c" no-such-job.yml --help
    cmp -s "$OUT" "$T/help" && [ $RC -eq 0 ] || bad "sluice $c JOB --help: exit $RC"
done

# usage_error WANT_RC PATTERN ARGS...: sluice ARGS exits WANT_RC, stdout empty, stderr matches.
usage_error() {
    local want=$1 pattern=$2
    shift 2
    sl "$@"
    [ $RC -eq "$want" ] || bad "sluice $*: exit $RC, want $want"
    [ ! -s "$OUT" ] || bad "sluice $*: wrote to stdout"
    grep -Eq -- "$pattern" "$ERR" || { bad "sluice $*: stderr does not say /$pattern/:"; cat "$ERR" >&2; }
}
usage_error 2 '^commands:' # no command: the usage, on stderr
usage_error 2 "^sluice: unknown command 'frobnicate'" frobnicate
usage_error 2 "unknown command 'verfy' \(did you mean 'verify'\?\)" verfy
usage_error 2 "unknown command 'frobnicate'" help frobnicate
usage_error 2 "^sluice: run: expects JOB.yml" run
usage_error 2 "^sluice: plan: expects JOB.yml" plan
usage_error 2 "^sluice: validate: which job file" validate
usage_error 2 "^sluice: state: expects show\|reset JOB.yml" state show
usage_error 2 "^sluice: state: wants show or reset, not 'list'" state list job.yml
usage_error 2 "^sluice: rejects: wants list, show or replay, not 'drop'" rejects drop job.yml
usage_error 2 "^sluice: rejects: show wants one reject id" rejects show job.yml
usage_error 2 "^sluice: rejects: '0x1' is not a reject id" rejects list job.yml 0x1
usage_error 2 "^sluice: rejects: --dry-run goes with replay, not list" rejects list job.yml --dry-run
usage_error 3 "no-such-job.yml: error: cannot open" rejects list "$T/no-such-job.yml"
usage_error 2 "^sluice: run: unexpected 'b.yml'" run a.yml b.yml
usage_error 2 "^sluice: verify: wants --from and --to" verify job.yml
usage_error 3 "no-such-job.yml: error: cannot open" run "$T/no-such-job.yml"
usage_error 3 "no-such-job.yml: error: cannot open" validate "$T/no-such-job.yml"

sl --version
[ $RC -eq 0 ] && [ "$(cat "$OUT")" = "sluice $VERSION" ] && [ ! -s "$ERR" ] ||
    bad "sluice --version: exit $RC, printed '$(cat "$OUT")', want 'sluice $VERSION'"
finish "help (${#CMDS[@]} commands: ${CMDS[*]})"

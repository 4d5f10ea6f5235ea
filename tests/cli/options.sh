#!/usr/bin/env bash
# options.sh SLUICE SRC: every command refuses each option its help does not list (exit 2, the
# message names the option) and its parser accepts each option its help lists (the commands
# and options are read from the help texts, so new ones are covered without editing this test).
# Then the offline options for real: a dry-run from the golden recorded replies with every
# option dry-run takes prints exactly the golden SQL and re-records the same replies.
SLUICE=${1:?usage: options.sh SLUICE SRC}
SRC=${2:?}
source "$(dirname "$0")/lib.sh"

T1="2024-06-01 00:00:00" T2="2024-06-01 23:59:59"
JOB=$T/no-such-job.yml # every command reads the job only after its command line is accepted

# invocation CMD OPTION [PLACEHOLDER]: the arguments of `sluice CMD` with OPTION, one a line.
invocation() {
    local c=$1 opt=$2 ph=${3:-}
    case $c in state) echo reset ;; rejects) echo replay ;; esac
    echo "$JOB"
    [ "$c" = verify ] && printf '%s\n' --from "$T1" --to "$T2"
    echo "$opt"
    case $ph in
    T) echo "$T1" ;; N) echo 2 ;; DIR) echo "$T" ;; FILE) echo "$T/metrics.prom" ;; NAME | TEXT | ID) echo x ;;
    ADDR) echo 127.0.0.1:0 ;; *'|'*) echo "${ph##*|}" ;; esac
}

mapfile -t CMDS < <(commands)
declare -A TAKES=() ALL=()
for c in "${CMDS[@]}"; do
    while read -r opt ph; do
        TAKES[$c $opt]=1
        ALL[$opt]=$ph
    done < <(options "$c")
done
[ ${#ALL[@]} -ge 13 ] || bad "the helps list only ${#ALL[@]} options: ${!ALL[*]}"

accepted=0 refused=0
for c in "${CMDS[@]}"; do
    for opt in "${!ALL[@]}"; do
        [ "$opt" = --help ] && continue
        mapfile -t args < <(invocation "$c" "$opt" "${ALL[$opt]}")
        sl "$c" "${args[@]}"
        if [ -n "${TAKES[$c $opt]:-}" ]; then
            accepted=$((accepted + 1))
            # 3: the job file does not exist (validate --print-*: 0, they read no job)
            [ $RC -eq 3 ] || [ $RC -eq 0 ] ||
                { bad "sluice $c ${args[*]}: exit $RC, want the option accepted"; cat "$ERR" >&2; }
        else
            refused=$((refused + 1))
            [ $RC -eq 2 ] || bad "sluice $c $opt: exit $RC, want 2 (the help does not list $opt)"
            grep -q "^sluice: $c: does not take $opt$" "$ERR" ||
                { bad "sluice $c $opt: the message does not name $opt:"; cat "$ERR" >&2; }
            [ ! -s "$OUT" ] || bad "sluice $c $opt: wrote to stdout"
        fi
    done
    sl "$c" --bogus "$JOB"
    [ $RC -eq 2 ] && grep -q "^sluice: $c: unknown option '--bogus'" "$ERR" ||
        bad "sluice $c --bogus: exit $RC, $(cat "$ERR")"
done
[ $refused -gt 0 ] && [ $accepted -gt 0 ] || bad "nothing checked ($accepted, $refused)"

# expect_usage PATTERN ARGS...: exit 2 and a message matching PATTERN.
expect_usage() {
    local pattern=$1
    shift
    sl "$@"
    [ $RC -eq 2 ] && grep -Eq -- "$pattern" "$ERR" || { bad "sluice $*: exit $RC:"; cat "$ERR" >&2; }
}
expect_usage "^sluice: migrate: does not take --max-windows$" migrate --max-windows 3 "$JOB"
expect_usage "^sluice: run: --now wants T$" run "$JOB" --now
expect_usage "^sluice: run: --quiet takes no value$" run "$JOB" --quiet=yes
expect_usage "^sluice: run: --max-windows wants a count, not 'x'$" run "$JOB" --max-windows x
expect_usage "^sluice: run: --max-windows wants a count, not '-1'$" run "$JOB" --max-windows=-1
expect_usage "unknown option '--quite' \(did you mean '--quiet'\?\)" run "$JOB" --quite
expect_usage "^sluice: state: --to goes with reset, not show$" state show "$JOB" --to "$T1"
expect_usage "^sluice: run: unknown option '-x'$" run -x "$JOB"

# The offline options for real: --from --to --now --max-windows --replay --record --quiet, in
# both spellings (--opt value, --opt=value), options before and after the job file.
G=$SRC/tests/golden/dry-run-replay
mkdir "$T/rec"
sl dry-run --now="2024-06-03 00:00:00" "$SRC/mappings/wdt_refund.yml" --from "$T1" --to="$T2" \
    --max-windows 0 --replay "$G/replies" --record "$T/rec" -q
[ $RC -eq 0 ] || { bad "the offline dry-run exited $RC:"; cat "$ERR" >&2; }
diff -u "$G/expected.sql" "$OUT" >&2 || bad "the offline dry-run's SQL differs from the golden file"
diff -r "$G/replies" "$T/rec" >&2 || bad "--record did not save the replies it read"
grep -q "^  windows     1 " "$ERR" || bad "the offline dry-run's summary says: $(cat "$ERR")"
# plan --strict reads every reference: unset ones are an error, set ones are fine; plain plan
# only names them.
M=$SRC/mappings/wdt_refund.yml
sl plan "$M"
[ $RC -eq 0 ] || { bad "plan without secrets: exit $RC"; cat "$ERR" >&2; }
sl plan --strict "$M"
[ $RC -eq 3 ] && grep -q "WDT_ENDPOINT" "$ERR" || bad "plan --strict without secrets: exit $RC"
RC=0
env -i PATH="$PATH" WDT_ENDPOINT=http://127.0.0.1:9/router/qm QIMEN_APP_KEY=k QIMEN_APP_SECRET=s \
    QIMEN_TARGET_APP_KEY=t WDT_SID=sid WDT_APPKEY=a WDT_APPSECRET=x:y SLUICE_DB=mysql://u:p@h/d \
    "$SLUICE" plan --strict "$M" >"$T/out" 2>"$T/err" || RC=$?
[ $RC -eq 0 ] || { bad "plan --strict with every secret set: exit $RC"; cat "$T/err" >&2; }
# "--" ends the options: a job file named like an option
cp "$SRC/mappings/wdt_refund.yml" "$T/--quiet"
(cd "$T" && sl validate -- --quiet)
[ $RC -eq 0 ] || { bad "sluice validate -- --quiet: exit $RC"; cat "$ERR" >&2; }

finish "options ($accepted accepted, $refused refused, ${#CMDS[@]} commands)"

# run.sh jobs|replies [NAME_REGEX]: the hostile-input suite (issue 9). Every folder under
# tests/hostile/jobs/ is a hostile job file, every folder under tests/hostile/replies/ a hostile
# API reply served by tools/hostile-server; each is run against the private MariaDB of the e2e
# fixture and checked against its `expect` file. Prints one line per case, by name; fails when
# any case fails. Run by ctest (hostile.jobs, hostile.replies); by hand:
#   SLUICE_SRC=. SLUICE_BUILD=build SLUICE_DB_DIR=build/.mariadb bash tests/hostile/run.sh replies
# (HOSTILE_CASES=DIR runs the case folders of DIR instead, e.g. cases not landed yet).
#
# A case folder holds `expect` and either job.yml (jobs) or reply / reply.N files (replies: a
# raw HTTP response, see tools/hostile-server/main.c; reply cases run replies/job.yml unless
# the folder has its own job.yml). A generate.sh, if present, runs first inside a scratch copy of
# the folder and writes the big inputs (a 10 MB job file, a 60 MB reply) that are not committed;
# it finds this folder in $HOSTILE_DIR (e.g. to derive a job from replies/job.yml).
#
# `expect` lines are `key: value`; `#` starts a comment. Keys:
#   validate: N       jobs: exit code of `sluice validate job.yml` (default 3)
#   run: N            exit code of `sluice run job.yml` (jobs: default the validate code;
#                     replies: default 0)
#   message: ERE      (repeatable) must match a line of the stderr of every command expected to
#                     fail (of `run` when none is)
#   absent: ERE       (repeatable) must match no line of any command's stdout or stderr
#   rows: N           rows in the parent table after the run (default 0 when the run fails)
#   keys: K,K,...     the parent table's keys, in order
#   child-rows: N     rows in the child table (default 0 when the run fails)
#   rejects: N        rows in sluice_rejects (default 0)
#   reject-reason: ERE  must match every reject's reason
#   watermark: T|none   the job's watermark after the run (default: the run's end,
#                     2024-01-01 01:00:00, when it succeeds; none when it fails)
#   check: SQL ==> TEXT  (repeatable) the query's result (rows joined by " | ") is TEXT
#   requests: N       requests the server received
#   requested: ERE    (repeatable) some request must match ("N METHOD TARGET HTTP/1.1 BODY")
#   never-requested: ERE  no request line may match (e.g. a redirect's target)
#   table: NAME       jobs: the parent table (default items); child table: item_lines
#   memory: MiB       address-space cap of every command (prlimit --as, MALLOC_ARENA_MAX=2).
#                     Default: jobs 64 (any job file validates within 64 MiB, issue 9 item 5);
#                     replies 256 (3x the default max_body of 64M, plus 64M for the program
#                     itself: a plain run fits in 64M of address space).
#   env: NAME=VALUE   (repeatable) set for every command (the case's own variables)
#   args: ...         extra arguments of `sluice run`
# Checked always: stderr is valid UTF-8; a run leaves no sluice_runs row at `running`; a job
# file that does not validate creates no table; no command is killed by a signal.
# Never a timing: each case's figures (peak RSS) are printed, not asserted beyond the cap.
set -uo pipefail
: "${SLUICE_SRC:?}" "${SLUICE_BUILD:?}" "${SLUICE_DB_DIR:?}"
SLUICE_SRC=$(cd "$SLUICE_SRC" && pwd) SLUICE_BUILD=$(cd "$SLUICE_BUILD" && pwd)
KIND=${1:?jobs or replies}
FILTER=${2:-}
SLUICE=$SLUICE_BUILD/engine/sluice
SERVER=$SLUICE_BUILD/tools/hostile-server
HERE=$SLUICE_SRC/tests/hostile
MARIADB=$SLUICE_SRC/tools/mariadb.sh
NOW="2024-01-01 01:00:00"
DEFAULT_CAP=256
[ "$KIND" = jobs ] && DEFAULT_CAP=64
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-hostile-$KIND.XXXXXX")
SERVER_PID=
trap 'stop_server; rm -rf "$WORK"' EXIT

stop_server() {
    [ -n "$SERVER_PID" ] || return 0
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=
}

# start_server DIR: serves DIR's replies on a free port; sets API_URL.
start_server() {
    rm -f "$WORK/port" "$WORK/requests"
    : >"$WORK/requests"
    "$SERVER" --case "$1" --port-file "$WORK/port" --log "$WORK/requests" 2>>"$WORK/server.err" &
    SERVER_PID=$!
    local i
    for i in $(seq 1 500); do
        [ -s "$WORK/port" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || return 1
        sleep 0.01
    done
    [ -s "$WORK/port" ] || return 1
    API_URL="http://127.0.0.1:$(cat "$WORK/port")/api"
}

# expect_get KEY [DEFAULT]: the last value of KEY in the case's expect file.
expect_get() {
    local v
    v=$(sed -n "s/^$1:[[:space:]]*//p" "$CASE/expect" | tail -n 1)
    printf '%s' "${v:-${2:-}}"
}
expect_all() { sed -n "s/^$1:[[:space:]]*//p" "$CASE/expect"; }

# sql SQL: runs SQL as the fixture's admin in the case's database (the client straight over the
# socket of $SLUICE_DB_DIR/env: a few thousand calls, so no wrapper script per call).
sql() { mariadb --no-defaults --socket="$DB_SOCKET" --user="$DB_ADMIN" -N -B --database="$DB_NAME" -e "$1"; }
DB_SOCKET=$(sed -n 's/^DB_SOCKET=//p' "$SLUICE_DB_DIR/env" 2>/dev/null)
DB_ADMIN=$(sed -n 's/^DB_ADMIN_USER=//p' "$SLUICE_DB_DIR/env" 2>/dev/null)

# sluice_cmd NAME ARGS...: runs sluice under the memory cap with the case's environment;
# NAME.out, NAME.err, NAME.rc, NAME.rss (KiB) land in $WORK.
sluice_cmd() {
    local name=$1 cap envs=() line
    shift
    cap=$(expect_get memory "$DEFAULT_CAP")
    while IFS= read -r line; do envs+=("$line"); done < <(expect_all env)
    (cd "$CASE" && env -i PATH="$PATH" MALLOC_ARENA_MAX=2 API_URL="$API_URL" SLUICE_DB="$SLUICE_DB" \
        SLUICE_NOW="$NOW" "${envs[@]}" \
        /usr/bin/time -f 'rss=%M signal=%x' -o "$WORK/$name.time" \
        prlimit --as=$((cap * 1024 * 1024)) "$SLUICE" "$@" \
        >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null)
    echo $? >"$WORK/$name.rc"
    sed -n 's/.*rss=\([0-9]*\).*/\1/p' "$WORK/$name.time" >"$WORK/$name.rss"
    grep -q 'Command terminated by signal' "$WORK/$name.time" &&
        bad "$name killed: $(grep -o 'signal [0-9]*' "$WORK/$name.time" | head -n 1)"
    iconv -f UTF-8 -t UTF-8 "$WORK/$name.err" >/dev/null 2>&1 || bad "$name: stderr is not valid UTF-8"
    return 0
}

bad() { FAILS+=("$*"); }

# check_cmd NAME WANT: the exit code, and the messages when the command is expected to fail.
check_cmd() {
    local name=$1 want=$2 got re
    got=$(cat "$WORK/$name.rc")
    [ "$got" = "$want" ] || bad "$name exited $got, want $want: $(head -c 400 "$WORK/$name.err")"
    if [ "$want" != 0 ] || [ "$3" = always ]; then
        while IFS= read -r re; do
            grep -Eq -e "$re" "$WORK/$name.err" || bad "$name: no stderr line matches /$re/"
        done < <(expect_all message)
    fi
    while IFS= read -r re; do
        ! grep -Eq -e "$re" "$WORK/$name.err" "$WORK/$name.out" || bad "$name: output matches /$re/"
    done < <(expect_all absent)
}

count() { sql "SELECT COUNT(*) FROM \`$1\`" 2>/dev/null || echo 0; }

# snapshot TABLE: reads the parent, child and reject counts, the watermark and the runs left at
# `running` in one query when every table exists, else one by one (a missing table counts 0).
snapshot() {
    local out
    if out=$(sql "SELECT (SELECT COUNT(*) FROM \`$1\`), (SELECT COUNT(*) FROM item_lines),
                  (SELECT COUNT(*) FROM sluice_rejects),
                  IFNULL((SELECT watermark_text FROM sluice_state LIMIT 1), 'none'),
                  (SELECT COUNT(*) FROM sluice_runs WHERE status = 'running')" 2>/dev/null); then
        IFS=$'\t' read -r DB_ROWS DB_CHILD DB_REJECTS DB_WM DB_RUNNING <<<"$out"
        return
    fi
    DB_ROWS=$(count "$1")
    DB_CHILD=$(count item_lines)
    DB_REJECTS=$(count sluice_rejects)
    DB_WM=$(sql "SELECT watermark_text FROM sluice_state" 2>/dev/null)
    DB_WM=${DB_WM:-none}
    DB_RUNNING=$(sql "SELECT COUNT(*) FROM sluice_runs WHERE status = 'running'" 2>/dev/null)
}

# check_db RUN_RC: rows, child rows, rejects, the watermark and the runs table after `run`.
check_db() {
    local ok=$1 table got want re
    table=$(expect_get table items)
    snapshot "$table"
    [ "$ok" = 0 ] && want=$(expect_get rows "") || want=$(expect_get rows 0)
    [ -z "$want" ] || [ "$DB_ROWS" = "$want" ] || bad "rows in $table: $DB_ROWS, want $want"
    want=$(expect_get keys "")
    if [ -n "$want" ]; then
        got=$(sql "SELECT GROUP_CONCAT(id ORDER BY id) FROM \`$table\`" 2>/dev/null)
        [ "$got" = "$want" ] || bad "keys in $table: $got, want $want"
    fi
    want=$(expect_get child-rows "")
    [ -n "$want" ] || [ "$ok" = 0 ] || want=0
    [ -z "$want" ] || [ "$DB_CHILD" = "$want" ] || bad "child rows: $DB_CHILD, want $want"
    want=$(expect_get rejects 0)
    [ "$DB_REJECTS" = "$want" ] || bad "rejects: $DB_REJECTS, want $want"
    re=$(expect_get reject-reason "")
    if [ -n "$re" ] && [ "$DB_REJECTS" != 0 ]; then
        sql "SELECT reason FROM sluice_rejects" >"$WORK/reasons"
        ! grep -Evq -e "$re" "$WORK/reasons" || bad "a reject reason does not match /$re/: $(head -n 3 "$WORK/reasons")"
    fi
    [ "$ok" = 0 ] && want=$(expect_get watermark "$NOW") || want=$(expect_get watermark none)
    [ "$DB_WM" = "$want" ] || bad "watermark $DB_WM, want $want"
    [ "${DB_RUNNING:-0}" = 0 ] || bad "a sluice_runs row is left at 'running'"
    local line q
    while IFS= read -r line; do
        q=${line%% ==> *}
        want=${line#* ==> }
        got=$(sql "$q" 2>&1 | paste -sd'|' | sed 's/|/ | /g')
        [ "$got" = "$want" ] || bad "$q: got '$got', want '$want'"
    done < <(expect_all check)
}

check_requests() {
    local want re
    want=$(expect_get requests "")
    [ -z "$want" ] || [ "$(wc -l <"$WORK/requests")" = "$want" ] ||
        bad "requests: $(wc -l <"$WORK/requests"), want $want"
    while IFS= read -r re; do
        grep -Eq -e "$re" "$WORK/requests" || bad "no request matches /$re/: $(head -c 300 "$WORK/requests")"
    done < <(expect_all requested)
    re=$(expect_get never-requested "")
    [ -z "$re" ] || ! grep -Eq -e "$re" "$WORK/requests" || bad "a request matches /$re/"
}

# prepare SRC: copies the case into $WORK/case, runs its generate.sh, creates its database.
prepare() {
    rm -rf "$WORK/case"
    cp -r "$1" "$WORK/case"
    CASE=$WORK/case
    if [ -f "$CASE/generate.sh" ]; then
        (cd "$CASE" && HOSTILE_DIR=$HERE bash ./generate.sh) || bad "generate.sh failed"
    fi
    if [ "$KIND" = replies ] && [ ! -f "$CASE/job.yml" ]; then cp "$HERE/replies/job.yml" "$CASE/"; fi
    DB_NAME="h_${KIND}_$$_$N_CASES"
    SLUICE_DB=$(bash "$MARIADB" createdb "$SLUICE_DB_DIR" "$DB_NAME" 2>"$WORK/createdb.err") || {
        tail -n 3 "$WORK/createdb.err" >&2
        echo "hostile $KIND: no database (is the e2e fixture's MariaDB running?)" >&2
        exit 1
    }
}

run_job_case() {
    local want_v want_r
    want_v=$(expect_get validate 3)
    want_r=$(expect_get run "$want_v")
    start_server "$HERE/replies/good-page" || bad "hostile-server did not start"
    sluice_cmd validate validate job.yml
    sluice_cmd run run job.yml --quiet
    local always=never
    [ "$want_v" = 0 ] && [ "$want_r" = 0 ] && always=always
    check_cmd validate "$want_v" "$always"
    check_cmd run "$want_r" "$always"
    if [ "$want_r" = 0 ]; then
        check_db 0
    elif [ -n "$(sql 'SHOW TABLES')" ]; then
        bad "a job that does not run created tables: $(sql 'SHOW TABLES' | tr '\n' ' ')"
    fi
    check_requests
    stop_server
}

run_reply_case() {
    local want args
    want=$(expect_get run 0)
    start_server "$CASE" || bad "hostile-server did not start"
    read -r -a args <<<"$(expect_get args "")"
    sluice_cmd run run job.yml --quiet "${args[@]}"
    check_cmd run "$want" always
    check_db "$want"
    check_requests
    stop_server
}

N_CASES=0
N_FAILED=0
MAX_RSS=0
for dir in "${HOSTILE_CASES:-$HERE/$KIND}"/*/; do
    dir=${dir%/}
    name=$(basename "$dir")
    [ -f "$dir/expect" ] || continue
    [ -z "$FILTER" ] || [[ $name =~ $FILTER ]] || continue
    N_CASES=$((N_CASES + 1))
    FAILS=()
    API_URL=http://127.0.0.1:9/api
    prepare "$dir"
    if [ "$KIND" = jobs ]; then run_job_case; else run_reply_case; fi
    rss=$(cat "$WORK"/*.rss 2>/dev/null | sort -n | tail -n 1)
    rss=${rss:-0}
    [ "$rss" -gt "$MAX_RSS" ] && MAX_RSS=$rss
    if [ ${#FAILS[@]} -eq 0 ]; then
        printf 'ok    %s/%s (exit %s, peak %s MiB)\n' "$KIND" "$name" "$(cat "$WORK/run.rc")" $((rss / 1024))
        sql "DROP DATABASE \`$DB_NAME\`" >/dev/null 2>&1
    else
        N_FAILED=$((N_FAILED + 1))
        printf 'FAIL  %s/%s\n' "$KIND" "$name"
        printf '        %s\n' "${FAILS[@]}"
    fi
    rm -f "$WORK"/*.rc "$WORK"/*.rss "$WORK"/*.out "$WORK"/*.err "$WORK"/*.time
done
echo "hostile $KIND: $N_CASES cases, $N_FAILED failed; peak RSS of any command $((MAX_RSS / 1024)) MiB"
[ "$N_CASES" -gt 0 ] && [ "$N_FAILED" = 0 ]

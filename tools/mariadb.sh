#!/usr/bin/env bash
# mariadb.sh: a private MariaDB server for tests, demos and benchmarks, run from the system's
# mariadbd with its own datadir, socket and TCP port under a folder the caller names. No system
# service, no fixed ports, no config files read (--no-defaults); works as root and as a normal user.
#
#   mariadb.sh start DIR                 initialise DIR/data if absent, start the server (a no-op
#                                        success if it already runs), wait until it answers, ensure
#                                        the engine user exists, write DIR/env
#   mariadb.sh stop DIR                  SIGTERM by PID, wait with a deadline, then SIGKILL
#   mariadb.sh restart DIR               stop + start on the same port
#   mariadb.sh createdb [--socket] DIR NAME
#                                        create database NAME, grant the engine user on it, print
#                                        the engine's URL (SLUICE_DB) for it on stdout
#   mariadb.sh url [--socket] DIR NAME   print that URL without creating anything
#   mariadb.sh sql DIR NAME 'SQL'        run SQL as the admin in NAME; tab-separated rows, no headers
#   mariadb.sh status DIR                exit 0 if the server answers
#
# URLs: mysql://sluice:PASSWORD@127.0.0.1:PORT/NAME, or with --socket
#       mysql://sluice:PASSWORD@localhost/NAME?socket=/path/to/mysqld.sock
#
# Layout of DIR: data/ (datadir), tmp/, mysqld.sock (or a short path under $TMPDIR when DIR is too
# deep for a unix socket), mysqld.pid, mysqld.log, port, engine.pass (mode 600), env (mode 600:
# DB_HOST DB_PORT DB_SOCKET DB_USER DB_PASSWORD_FILE DB_ADMIN_USER DB_PID_FILE DB_LOG; no password).
#
# Users: the admin is the OS user running this script, authenticated by unix_socket over the
# socket only. The engine user `sluice` (random password in engine.pass, TCP from 127.0.0.1 and the
# socket) gets, per database created here, SELECT INSERT UPDATE DELETE CREATE ALTER INDEX
# (migrate creates and alters tables; REPLACE needs INSERT+DELETE) and nothing global: no DROP,
# FILE, SUPER, PROCESS or GRANT.
#
# The server allows LOAD DATA LOCAL INFILE (--local-infile=1) for sluice's `load: load_data`: the
# risk of LOCAL INFILE is on the client side (a server asking for the client's files), and sluice
# serves only its own in-memory rows whatever file is asked for (docs/sink.md). Server-side
# LOAD DATA INFILE still needs FILE, which the engine user does not have.
set -euo pipefail

ENGINE_USER=sluice
START_DEADLINE=${SLUICE_DB_START_TIMEOUT:-90}
STOP_DEADLINE=${SLUICE_DB_STOP_TIMEOUT:-60}

die() { echo "mariadb.sh: error: $*" >&2; exit 1; }

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# paths DIR: sets the absolute paths of one server's files.
paths() {
    [ -n "$1" ] || die "DIR is empty"
    mkdir -p "$1"
    DIR=$(cd "$1" && pwd -P)
    DATA=$DIR/data
    PIDF=$DIR/mysqld.pid
    LOG=$DIR/mysqld.log
    PORTF=$DIR/port
    PASSF=$DIR/engine.pass
    ENVF=$DIR/env
    SOCK=$DIR/mysqld.sock
    if [ ${#SOCK} -gt 100 ]; then # sun_path holds 108 bytes
        SOCK=${TMPDIR:-/tmp}/sluice-mariadb-$(printf '%s' "$DIR" | cksum | cut -d' ' -f1).sock
    fi
    ADMIN=$(id -un)
}

log_tail() {
    if [ -f "$LOG" ]; then
        echo "---- last lines of $LOG ----" >&2
        tail -n 25 "$LOG" >&2
    fi
}

# admin [mariadb args...]: the client as the admin over the socket, no option files.
admin() { mariadb --no-defaults --socket="$SOCK" --user="$ADMIN" "$@"; }

answers() { admin -N -B -e 'SELECT 1' >/dev/null 2>&1; }

# server_pid: prints the PID of this DIR's running mariadbd, or fails (stale or foreign PID file).
server_pid() {
    local pid
    [ -s "$PIDF" ] || return 1
    pid=$(tr -dc '0-9' <"$PIDF")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--datadir=$DATA " || return 1
    echo "$pid"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
    local p i
    for i in $(seq 1 50); do
        p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        if port_free "$p"; then echo "$p"; return 0; fi
    done
    die "no free TCP port found on 127.0.0.1"
}

# init_data: runs mariadb-install-db into DATA.new and renames it to DATA only when it succeeded,
# so an interrupted initialisation never leaves a half-made datadir behind.
init_data() {
    [ -d "$DATA/mysql" ] && return 0
    local who=(--auth-root-socket-user="$ADMIN")
    [ "$(id -u)" -eq 0 ] && who=(--user=root)
    rm -rf "$DATA" "$DATA.new"
    echo "mariadb.sh: initialising $DATA" >&2
    if ! mariadb-install-db --no-defaults --datadir="$DATA.new" "${who[@]}" \
        --auth-root-authentication-method=socket --skip-test-db --skip-name-resolve \
        --innodb-buffer-pool-size=32M >"$DIR/install.log" 2>&1; then
        tail -n 25 "$DIR/install.log" >&2
        rm -rf "$DATA.new"
        die "mariadb-install-db failed (log: $DIR/install.log)"
    fi
    mv "$DATA.new" "$DATA"
}

# launch PORT: starts mariadbd in the background; its PID is written by the server itself.
launch() {
    local who=()
    [ "$(id -u)" -eq 0 ] && who=(--user=root)
    mkdir -p "$DIR/tmp"
    rm -f "$PIDF" "$SOCK"
    : >>"$LOG"
    mariadbd --no-defaults --datadir="$DATA" "${who[@]}" \
        --socket="$SOCK" --port="$1" --bind-address=127.0.0.1 \
        --pid-file="$PIDF" --log-error="$LOG" --tmpdir="$DIR/tmp" \
        --skip-name-resolve --local-infile=1 --symbolic-links=0 \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
        --max-connections=200 --max-allowed-packet=64M \
        --innodb-buffer-pool-size="${MARIADB_BUFFER_POOL:-128M}" --innodb-log-file-size=64M \
        --innodb-flush-log-at-trx-commit=2 --innodb-doublewrite=0 \
        --performance-schema=OFF --skip-log-bin \
        </dev/null >>"$LOG" 2>&1 &
    LAUNCHED=$!
}

# wait_up: polls until the server answers on its socket; fails when it dies or the deadline passes.
wait_up() {
    local deadline=$((SECONDS + START_DEADLINE))
    while [ $SECONDS -lt $deadline ]; do
        answers && return 0
        kill -0 "$LAUNCHED" 2>/dev/null || return 1
        sleep 0.1
    done
    return 2
}

ensure_engine_user() {
    local pass
    if [ ! -s "$PASSF" ]; then
        (umask 077 && head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$PASSF")
    fi
    chmod 600 "$PASSF"
    pass=$(cat "$PASSF")
    admin -e "CREATE USER IF NOT EXISTS '$ENGINE_USER'@'127.0.0.1' IDENTIFIED BY '$pass';
              CREATE USER IF NOT EXISTS '$ENGINE_USER'@'localhost' IDENTIFIED BY '$pass';
              ALTER USER '$ENGINE_USER'@'127.0.0.1' IDENTIFIED BY '$pass';
              ALTER USER '$ENGINE_USER'@'localhost' IDENTIFIED BY '$pass';"
}

write_env() {
    (umask 077 && cat >"$ENVF" <<EOF
DB_HOST=127.0.0.1
DB_PORT=$(cat "$PORTF")
DB_SOCKET=$SOCK
DB_USER=$ENGINE_USER
DB_PASSWORD_FILE=$PASSF
DB_ADMIN_USER=$ADMIN
DB_PID_FILE=$PIDF
DB_LOG=$LOG
EOF
    )
}

# do_start DIR [same-port]: see the header. With same-port, the recorded port is required.
do_start() {
    local same=${2:-} port pid try rc t0=$SECONDS
    paths "$1"
    chmod 700 "$DIR"
    if pid=$(server_pid) && answers; then
        echo "mariadb.sh: already running (pid $pid, port $(cat "$PORTF"))" >&2
        return 0
    fi
    if pid=$(server_pid); then
        LAUNCHED=$pid # running but not answering yet, e.g. still recovering
        wait_up || { log_tail; die "server pid $pid does not answer"; }
    else
        init_data
        for try in 1 2 3 4 5; do
            port=""
            [ -s "$PORTF" ] && port=$(cat "$PORTF")
            if [ -z "$port" ] || { [ -z "$same" ] && ! port_free "$port"; }; then port=$(pick_port); fi
            echo "$port" >"$PORTF"
            launch "$port"
            rc=0
            wait_up || rc=$?
            [ $rc -eq 0 ] && break
            if [ $rc -eq 1 ] && [ -z "$same" ] && tail -n 20 "$LOG" | grep -qi 'address already in use'; then
                rm -f "$PORTF"
                continue # lost a race for the port: pick another
            fi
            kill -9 "$LAUNCHED" 2>/dev/null || true
            log_tail
            die "mariadbd did not come up (log: $LOG)"
        done
        answers || { log_tail; die "mariadbd did not come up after $try attempts"; }
    fi
    ensure_engine_user
    write_env
    echo "mariadb.sh: up on 127.0.0.1:$(cat "$PORTF") socket $SOCK in $((SECONDS - t0))s" >&2
}

do_stop() {
    local pid deadline
    paths "$1"
    if ! pid=$(server_pid); then
        rm -f "$PIDF"
        echo "mariadb.sh: not running" >&2
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_DEADLINE))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "mariadb.sh: pid $pid ignored SIGTERM for ${STOP_DEADLINE}s, killing" >&2
        kill -KILL "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
    rm -f "$PIDF" "$SOCK"
    echo "mariadb.sh: stopped" >&2
}

check_name() {
    [[ $1 =~ ^[A-Za-z0-9_]{1,64}$ ]] || die "bad database name '$1' (letters, digits, _; up to 64)"
}

need_running() { answers || { log_tail; die "no server answers in $DIR (run: $0 start $DIR)"; }; }

print_url() {
    local pass
    [ -s "$PASSF" ] && [ -s "$PORTF" ] || die "no server was started in $DIR"
    pass=$(cat "$PASSF")
    if [ "$SOCKET_URL" = 1 ]; then
        echo "mysql://$ENGINE_USER:$pass@localhost/$1?socket=$SOCK"
    else
        echo "mysql://$ENGINE_USER:$pass@127.0.0.1:$(cat "$PORTF")/$1"
    fi
}

do_createdb() {
    paths "$1"
    check_name "$2"
    need_running
    local u
    admin -e "CREATE DATABASE IF NOT EXISTS \`$2\` CHARACTER SET utf8mb4"
    for u in "'$ENGINE_USER'@'127.0.0.1'" "'$ENGINE_USER'@'localhost'"; do
        admin -e "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX ON \`$2\`.* TO $u"
    done
    print_url "$2"
}

do_sql() {
    paths "$1"
    check_name "$2"
    need_running
    admin -N -B --database="$2" -e "$3"
}

SOCKET_URL=0
args=()
for a in "$@"; do
    case $a in
        --socket) SOCKET_URL=1 ;;
        -h | --help) usage ;;
        *) args+=("$a") ;;
    esac
done
set -- "${args[@]+"${args[@]}"}"
[ $# -ge 2 ] || usage
cmd=$1
shift
case $cmd in
    start) [ $# -eq 1 ] || usage; do_start "$1" ;;
    stop) [ $# -eq 1 ] || usage; do_stop "$1" ;;
    restart) [ $# -eq 1 ] || usage; do_stop "$1"; do_start "$1" same-port ;;
    status) [ $# -eq 1 ] || usage; paths "$1"; answers ;;
    createdb) [ $# -eq 2 ] || usage; do_createdb "$1" "$2" ;;
    url) [ $# -eq 2 ] || usage; paths "$1"; check_name "$2"; print_url "$2" ;;
    sql) [ $# -eq 3 ] || usage; do_sql "$1" "$2" "$3" ;;
    *) usage ;;
esac

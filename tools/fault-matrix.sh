#!/usr/bin/env bash
# fault-matrix.sh: the "no missed orders" proof of issue 4 at full size. Runs the e2e scenarios
# tests/e2e/nmo_*.sh with the heavy figures (50 seeds of change during paging, 50 seeds of
# faults, 100 kill -9, a MariaDB restart, splits, wrong secrets, the run lock and verify)
# against a private MariaDB, and prints one table of figures. Exit 0 when every scenario held.
#
#   tools/fault-matrix.sh [--build DIR] [--quick] [--only NAME]
#     --build DIR   the build folder holding engine/sluice and tools/ (default: build)
#     --quick       the small CI figures instead (a check of this script)
#     --only NAME   one scenario: mutation, faults, kill, dbrestart, split, signature, lock_verify
#   FM_SEEDS (default 50), FM_KILLS (default 100), FM_RECORDS (default 4000) change the figures.
# Logs: $BUILD/fault-matrix/NAME.log. The database lives in $BUILD/fault-matrix/db.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$SRC/build
QUICK=0
ONLY=""
while [ $# -gt 0 ]; do
    case $1 in
    --build) BUILD=$(cd "$2" && pwd); shift 2 ;;
    --quick) QUICK=1; shift ;;
    --only) ONLY=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done
[ -x "$BUILD/engine/sluice" ] || { echo "fault-matrix: no $BUILD/engine/sluice; build first" >&2; exit 2; }
OUT=$BUILD/fault-matrix
DB=$OUT/db
mkdir -p "$OUT"
bash "$SRC/tools/mariadb.sh" start "$DB" >/dev/null
trap 'bash "$SRC/tools/mariadb.sh" stop "$DB" >/dev/null 2>&1 || true' EXIT

SEEDS=${FM_SEEDS:-50}
KILLS=${FM_KILLS:-100}
RECORDS=${FM_RECORDS:-4000}
LOSS=5
if [ $QUICK = 1 ]; then SEEDS=2; KILLS=5; RECORDS=2000; LOSS=1; fi
seq_list() { seq -s ' ' 1 "$1"; }

# scenario NAME [VAR=VALUE...]: runs tests/e2e/nmo_NAME.sh with the variables; keeps its log
# and its "figures:" line.
declare -A FIG RESULT
scenario() {
    local name=$1
    shift
    [ -z "$ONLY" ] || [ "$ONLY" = "$name" ] || return 0
    printf 'fault-matrix: %-12s ... ' "$name" >&2
    local rc=0 t0=$SECONDS
    env "$@" SLUICE_SRC="$SRC" SLUICE_BUILD="$BUILD" SLUICE_DB_DIR="$DB" E2E_NAME="fm_$name" \
        bash "$SRC/tests/e2e/nmo_$name.sh" >"$OUT/$name.log" 2>&1 || rc=$?
    FIG[$name]=$(sed -n 's/^figures: //p' "$OUT/$name.log" | tail -n 1)
    RESULT[$name]=$([ $rc -eq 0 ] && echo ok || echo FAILED)
    echo "${RESULT[$name]} in $((SECONDS - t0)) s" >&2
    [ $rc -eq 0 ] || tail -n 5 "$OUT/$name.log" | sed 's/^/    /' >&2
}

scenario mutation NMO_SEEDS="$(seq_list "$SEEDS")" NMO_LOSS_SEEDS="$(seq_list $LOSS)" NMO_RECORDS="$RECORDS"
scenario faults NMO_SEEDS="$(seq_list "$SEEDS")" NMO_RECORDS="$RECORDS"
scenario kill NMO_KILLS="$KILLS" NMO_RECORDS="$RECORDS"
scenario dbrestart NMO_RECORDS="$RECORDS"
scenario split NMO_RECORDS="$RECORDS"
scenario signature
scenario lock_verify NMO_RECORDS="$RECORDS"

# fig NAME KEY: one figure of a scenario's line, "-" when it has none.
fig() { echo "${FIG[$1]:-}" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1 | grep . || echo -; }

echo
printf '%-12s %6s %5s %7s %8s %9s %8s %6s %8s  %s\n' scenario seeds runs missed retries \
    throttles ban_viol kills elapsed result
bad=0
for name in mutation faults kill dbrestart split signature lock_verify; do
    [ -n "${RESULT[$name]:-}" ] || continue
    [ "${RESULT[$name]}" = ok ] || bad=1
    printf '%-12s %6s %5s %7s %8s %9s %8s %6s %8s  %s\n' "$name" "$(fig "$name" seeds)" \
        "$(fig "$name" runs)" "$(fig "$name" missed)" "$(fig "$name" retries)" \
        "$(fig "$name" throttles)" "$(fig "$name" ban_violations)" "$(fig "$name" kills)" \
        "$(fig "$name" elapsed)" "${RESULT[$name]}"
done
echo
echo "details (logs in $OUT):"
for name in mutation faults kill dbrestart split signature lock_verify; do
    [ -n "${FIG[$name]:-}" ] && echo "  ${FIG[$name]}"
done
exit $bad

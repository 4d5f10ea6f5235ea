#!/usr/bin/env bash
# check.sh WHAT SLUICE ROOT: checks the deployment files of tools/deploy/.
#   systemd     the units pass `systemd-analyze verify` (as an instance, with the built binary
#               in ExecStart and the generated man pages on MANPATH, so Documentation= resolves)
#               and `systemd-analyze security` rates the service's exposure 2.0 or less
#   kubernetes  the manifests parse and hang together (k8s_check.py, with Debian's python3-yaml)
#   docker      the image installs the runtime package of every library the binary links, runs
#               as the same non-root uid as the CronJob, and copies only files that exist
# Exit 77 (a ctest skip) only when the tool a check needs is missing, saying which.
set -uo pipefail
WHAT=${1:?usage: check.sh systemd|kubernetes|docker SLUICE ROOT}
SLUICE=${2:?}
ROOT=${3:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/sluice-deploy.XXXXXX")
trap 'rm -rf "$T"' EXIT
FAILS=0
bad() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
skip() { echo "SKIP: $* (tools/deps.sh installs it)"; exit 77; }

check_systemd() {
    command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
    local d=$ROOT/tools/deploy/systemd unit=$T/sluice-run@wdt_refund
    mkdir -p "$T/man/man1" "$T/man/man5"
    cp "$ROOT/docs/man/sluice.1" "$T/man/man1/"
    cp "$ROOT/docs/man/sluice-job.5" "$T/man/man5/"
    sed "s|/usr/bin/sluice|$SLUICE|" "$d/sluice-run@.service" >"$unit.service"
    cp "$d/sluice-run@.timer" "$unit.timer"
    MANPATH=$T/man systemd-analyze verify "$unit.service" "$unit.timer" >"$T/out" 2>&1 ||
        { bad "systemd-analyze verify:"; cat "$T/out" >&2; }
    [ ! -s "$T/out" ] || { bad "systemd-analyze verify warns:"; cat "$T/out" >&2; }
    # --threshold is on the 0..100 scale of the 0.0..10.0 shown
    systemd-analyze security --offline=yes --threshold=20 "$unit.service" >"$T/out" 2>&1 ||
        { bad "the service's exposure is over 2.0:"; grep -v '✓' "$T/out" >&2; }
}

check_kubernetes() {
    local py=python3
    [ -x /usr/bin/python3 ] && py=/usr/bin/python3 # Debian's, with python3-yaml
    "$py" -c 'import yaml' 2>/dev/null || skip "$py has no yaml module (python3-yaml)"
    "$py" "$(dirname "$0")/k8s_check.py" "$ROOT" || bad "the Kubernetes manifests (above)"
}

# The runtime stage: the lines after the last FROM.
runtime_stage() {
    awk '/^FROM / { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$1"
}

check_docker() {
    command -v dpkg >/dev/null && command -v readelf >/dev/null || skip "dpkg or readelf is missing"
    local df=$ROOT/tools/deploy/Dockerfile lib pkg arch
    runtime_stage "$df" >"$T/runtime"
    [ "$(grep -c '^FROM debian:12-slim' "$df")" -eq 2 ] || bad "Dockerfile: not two debian:12-slim stages"
    arch=$(gcc -print-multiarch 2>/dev/null || echo '*')
    for lib in $(readelf -d "$SLUICE" | awk '/NEEDED/ { gsub(/[][]/, "", $5); print $5 }'); do
        case $lib in lib[a-z]san.so* | libubsan.so*) continue ;; esac # ASan builds only
        pkg=$(dpkg -S "*/$arch/$lib" 2>/dev/null | head -n 1 | cut -d: -f1)
        [ -n "$pkg" ] || { bad "no Debian package holds $lib"; continue; }
        [ "$pkg" = libc6 ] || grep -qw -- "$pkg" "$T/runtime" ||
            bad "the binary links $lib (Debian package $pkg), which the image does not install"
    done
    local uid
    uid=$(sed -n 's/^USER \([0-9]*\).*/\1/p' "$T/runtime")
    [ -n "$uid" ] && [ "$uid" -ne 0 ] || bad "Dockerfile: the image does not run as a non-root uid"
    grep -rq "runAsUser: $uid\$" "$ROOT/tools/deploy/kubernetes" ||
        bad "no CronJob runs as the image's uid $uid"
    for src in $(awk '/^COPY / && !/--from=/ { for (i = 2; i < NF; i++) print $i }' "$df"); do
        [ "$src" = . ] || [ -e "$ROOT/$src" ] || bad "Dockerfile copies $src, which does not exist"
    done
}

case $WHAT in
systemd | kubernetes | docker) "check_$WHAT" ;;
*) echo "check.sh: unknown check '$WHAT'" >&2; exit 2 ;;
esac
[ $FAILS -eq 0 ] || exit 1
echo "ok: $WHAT"

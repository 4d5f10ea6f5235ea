# deps.sh: installs the Debian packages sluice needs to build, test and run its demo (only those
# missing; sudo when not root). Sourced by tools/test.sh and tools/quickstart.sh, which call
# install_packages. SLUICE_NO_APT=1 skips it. (bsdextrautils: column, for the quickstart;
# time: /usr/bin/time, for tools/bench and tests/hostile; clang and libclang-rt-14-dev: the
# libFuzzer targets; libssl-dev: the MD5 reference of fuzz_sign and the HMAC of sluice-oracle,
# never the engine; groff-base,
# man-db, zsh: the man page and completion tests; systemd, python3-yaml: the deployment files'
# tests, systemd-analyze verify and the YAML manifests parsed; pre-commit: the hook run on a
# scratch repository; prometheus: promtool, which lints the metrics files in tests/e2e;
# chromium: the status page of `sluice serve`, rendered headless; graphviz: dot, which draws
# docs/diagrams/ and checks the DOT of `sluice plan --format dot`.)
PACKAGES=(build-essential cmake pkg-config libcurl4-openssl-dev libyaml-dev libjansson-dev
          libmariadb-dev libpcre2-dev libmicrohttpd-dev mariadb-server mariadb-client curl
          python3 python3-pymysql bsdextrautils time clang libclang-rt-14-dev libssl-dev
          groff-base man-db zsh systemd python3-yaml pre-commit
          prometheus chromium graphviz)

SUDO=()
[ "$(id -u)" -eq 0 ] || SUDO=(sudo)

# Debian's mariadb-server postinst would start the system service: sluice never uses it.
POLICY=/usr/sbin/policy-rc.d
policy_set=0
unset_policy() { [ $policy_set -eq 1 ] && "${SUDO[@]}" rm -f "$POLICY" || true; }

install_packages() {
    [ "${SLUICE_NO_APT:-0}" = 1 ] && return 0
    local missing=() p
    command -v dpkg-query >/dev/null || { echo "not a Debian system: install ${PACKAGES[*]} yourself"; return 0; }
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        echo "all ${#PACKAGES[@]} packages present"
        return 0
    fi
    echo "installing: ${missing[*]}"
    if [ ! -e "$POLICY" ]; then
        "${SUDO[@]}" sh -c "printf '#!/bin/sh\nexit 101\n' >$POLICY && chmod 755 $POLICY"
        policy_set=1
    fi
    "${SUDO[@]}" apt-get update
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    unset_policy
    policy_set=0
}

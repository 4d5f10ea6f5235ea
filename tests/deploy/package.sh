#!/usr/bin/env bash
# package.sh BUILD ROOT: builds the Debian package with CPack from the build tree BUILD,
# unpacks it into a scratch root with `dpkg -x`, and checks what it holds: the binary (same
# version as the build's), man pages that man renders, the completions, the schema, the systemd
# units, the example jobs (which the installed binary validates), and Depends naming the
# runtime libraries. With CI=true as root it also installs it with `dpkg -i` and validates the
# examples with the installed /usr/bin/sluice, then removes it.
set -uo pipefail
BUILD=${1:?usage: package.sh BUILD ROOT}
ROOT=${2:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/sluice-package.XXXXXX")
trap 'rm -rf "$T"' EXIT
FAILS=0
bad() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
for tool in cpack dpkg-deb dpkg-shlibdeps; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing (tools/deps.sh)"; exit 77; }
done

cpack -G DEB -B "$T/pkg" --config "$BUILD/CPackConfig.cmake" >"$T/cpack.log" 2>&1 ||
    { cat "$T/cpack.log" >&2; echo "FAIL: cpack" >&2; exit 1; }
deb=$(ls "$T"/pkg/*.deb)
[ "$(echo "$deb" | wc -l)" -eq 1 ] || { echo "FAIL: cpack made [$deb]" >&2; exit 1; }
dpkg-deb -x "$deb" "$T/root"
R=$T/root/usr

for f in bin/sluice share/man/man1/sluice.1 share/man/man5/sluice-job.5 \
         share/bash-completion/completions/sluice share/zsh/vendor-completions/_sluice \
         share/sluice/job.schema.json lib/systemd/system/sluice-run@.service \
         lib/systemd/system/sluice-run@.timer share/doc/sluice/deploy.md; do
    [ -e "$R/$f" ] || bad "the package has no /usr/$f"
done
# nothing of the tests or mock servers
for f in wdt-mock rest-mock hostile-server sluice-oracle wdt-client; do
    [ ! -e "$R/bin/$f" ] || bad "the package installs /usr/bin/$f"
done
want=$("$BUILD/engine/sluice" --version)
got=$("$R/bin/sluice" --version)
[ "$got" = "$want" ] || bad "the installed sluice says '$got', the build '$want'"
[ "$(dpkg-deb -f "$deb" Version)" = "$(echo "${want#sluice }" | tr - +)" ] ||
    bad "package version $(dpkg-deb -f "$deb" Version) is not the build's $want"
depends=$(dpkg-deb -f "$deb" Depends)
for p in libcurl4 libyaml-0-2 libjansson4 libmariadb3 libpcre2-8-0 libc6; do
    grep -qw -- "$p" <<<"$depends" || bad "Depends ($depends) lacks $p"
done

n=$(ls "$R"/share/sluice/examples/*.yml | wc -l)
[ "$n" -eq "$(ls "$ROOT"/mappings/*.yml | wc -l)" ] || bad "$n example jobs, not every mappings/*.yml"
env -i PATH=/usr/bin:/bin "$R/bin/sluice" validate "$R"/share/sluice/examples/*.yml ||
    bad "the installed sluice does not validate the installed examples"
MANWIDTH=80 man -l "$R/share/man/man1/sluice.1" 2>&1 | grep -q 'sluice validate' ||
    bad "man -l of the installed sluice(1) does not show the commands"

if [ "${CI:-}" = true ] && [ "$(id -u)" -eq 0 ]; then
    dpkg -i "$deb" >/dev/null || bad "dpkg -i $deb"
    /usr/bin/sluice validate /usr/share/sluice/examples/*.yml || bad "installed by dpkg -i: validate"
    dpkg -r sluice >/dev/null || bad "dpkg -r sluice"
fi
[ $FAILS -eq 0 ] || exit 1
echo "ok: $(basename "$deb")"

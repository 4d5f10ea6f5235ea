#!/usr/bin/env bash
# test.sh: the README's test command, and what .ci/run calls. From a clean clone on a Debian 12
# machine it installs the packages the build and the tests need (only those missing; sudo when
# not root), builds with warnings as errors into build/, runs every test with ctest (the e2e
# fixture starts and stops the private MariaDB in build/.mariadb itself; each e2e test starts
# its own wdt-mock), then builds build-asan/ with ASan+UBSan and runs the unit and cases tests,
# and builds every libFuzzer target into build-fuzz/ (clang) and runs each briefly.
# Exits non-zero if any step or test failed.
#   SLUICE_NO_APT=1   skip the package step        JOBS=N   build parallelism (default: nproc)
#   FUZZ_SECONDS=N    each fuzz target's run (default 10)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
source "$ROOT/tools/deps.sh"

step() { printf '\n==== %s\n' "$*"; }

# run_ctest DIR [ctest args...]: runs ctest in DIR, prints its summary line; returns its status.
run_ctest() {
    local dir=$1 rc=0
    shift
    (cd "$dir" && ctest --output-on-failure -j2 "$@") 2>&1 | tee "$dir/ctest.log" || rc=$?
    echo "---- $dir: $(grep -E 'tests passed|No tests were found' "$dir/ctest.log" | tail -n 1)"
    return $rc
}

# Whatever happens, no private server outlives this script.
cleanup() {
    unset_policy
    [ -d build/.mariadb ] && bash tools/mariadb.sh stop build/.mariadb >/dev/null 2>&1 || true
}
trap cleanup EXIT

t0=$SECONDS
status=0
step "packages"
install_packages

step "build (warnings as errors) into build/"
# Release (-O3), as the benchmark builds: its warnings (e.g. -Wnonnull after inlining) differ from -O2.
cmake -S . -B build -DSLUICE_WERROR=ON -DSLUICE_SANITIZE=OFF -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$JOBS"

step "build with ASan+UBSan into build-asan/"
cmake -S . -B build-asan -DSLUICE_WERROR=ON -DSLUICE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# A build that fails here fails CI, but the full suite below still runs and prints its summary.
if cmake --build build-asan -j"$JOBS"; then
    step "ctest -L 'unit|cases' in build-asan/"
    run_ctest build-asan -L 'unit|cases' || status=1
else
    echo "---- build-asan/: the build failed"; status=1
fi

# Every libFuzzer target builds (clang, engine instrumented, ASan+UBSan) and runs a short while
# over its corpus; a crash, leak, hang or failed property fails CI.
step "libFuzzer targets into build-fuzz/, ${FUZZ_SECONDS}s each"
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DSLUICE_WERROR=ON -DSLUICE_FUZZ=ON \
      -DSLUICE_FUZZ_SECONDS="$FUZZ_SECONDS"
if cmake --build build-fuzz -j"$JOBS" --target fuzz_all; then
    run_ctest build-fuzz -L fuzz-run || status=1
else
    echo "---- build-fuzz/: the build failed (clang)"; status=1
fi

# The full suite runs last, so its summary line is the last one printed (CI reads it).
step "ctest in build/"
run_ctest build || status=1

step "done in $((SECONDS - t0))s: $([ $status -eq 0 ] && echo PASSED || echo FAILED)"
exit $status

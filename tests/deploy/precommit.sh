#!/usr/bin/env bash
# precommit.sh SLUICE ROOT: the hook's `files` pattern (.pre-commit-hooks.yaml) picks job files
# wherever they are kept, and nothing else; then, with Debian's pre-commit (skipped, saying so,
# where it is not installed), a scratch repository using the hook is blocked by a broken job
# file and passes once it is fixed.
set -uo pipefail
SLUICE=${1:?usage: precommit.sh SLUICE ROOT}
ROOT=${2:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/sluice-precommit.XXXXXX")
trap 'rm -rf "$T"' EXIT
FAILS=0
bad() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3 # Debian's, with python3-yaml

# pre-commit matches `files` with Python's re.search on the path from the repository's root.
"$py" - "$ROOT/.pre-commit-hooks.yaml" <<'PY' || bad "the hook's files pattern (above)"
import re, sys, yaml
hook = [h for h in yaml.safe_load(open(sys.argv[1])) if h["id"] == "sluice-validate"][0]
want = {"mappings/wdt_refund.yml": True, "etl/mappings/orders.yaml": True,
        "team/jobs/refunds.yml": True, "jobs/a.yaml": True, "orders.sluice.yml": True,
        "deploy/prod/orders.sluice.yaml": True, ".github/workflows/ci.yml": False,
        "k8s/cronjob.yaml": False, "docker-compose.yml": False, "mappings/README.md": False,
        "notmappings/x.yml": False, "orders.sluice.yml.bak": False}
wrong = [p for p, w in want.items() if bool(re.search(hook["files"], p)) != w]
for p in wrong:
    print(f"FAIL: files: {hook['files']} {'misses' if want[p] else 'takes'} {p}", file=sys.stderr)
sys.exit(1 if wrong else 0)
PY
if ! command -v pre-commit >/dev/null; then
    echo "SKIP: pre-commit is not installed (tools/deps.sh installs it); only the pattern was checked"
    [ $FAILS -eq 0 ] && exit 77 || exit 1
fi

export PRE_COMMIT_HOME=$T/cache PATH="$(dirname "$SLUICE"):$PATH" HOME=$T
git() { command git -c user.name=test -c user.email=test@example.invalid -c init.defaultBranch=main "$@"; }
# The hooks repository: this repository's hook definition, committed.
mkdir "$T/hooks" && cp "$ROOT/.pre-commit-hooks.yaml" "$T/hooks/"
(cd "$T/hooks" && git init -q && git add . && git commit -qm hooks) || bad "hooks repository"
rev=$(git -C "$T/hooks" rev-parse HEAD)
# A user's repository, job files kept outside mappings/.
mkdir -p "$T/repo/etl"
cd "$T/repo" && git init -q
printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: sluice-validate\n' \
    "$T/hooks" "$rev" >.pre-commit-config.yaml
sed 's/^version: 1$/version: 2/' "$ROOT/mappings/wdt_refund.yml" >etl/refunds.sluice.yml
git add . >/dev/null
pre-commit run --all-files >"$T/out" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q 'refunds.sluice.yml:' "$T/out" ||
    { bad "pre-commit let a broken job through (exit $rc):"; cat "$T/out" >&2; }
cp "$ROOT/mappings/wdt_refund.yml" etl/refunds.sluice.yml
git add . >/dev/null
pre-commit run --all-files >"$T/out" 2>&1 ||
    { bad "pre-commit refused a valid job:"; cat "$T/out" >&2; }
grep -q 'sluice validate.*Passed' "$T/out" || { bad "the hook did not run:"; cat "$T/out" >&2; }
[ $FAILS -eq 0 ] || exit 1
echo "ok: pre-commit $(pre-commit --version)"

#!/bin/sh
# plain_http_at_run.sh [SLUICE]: an endpoint read through ${env:} is only known when the
# reference is read. `validate` (which reads none) accepts the job; `run` and `dry-run` read it
# and refuse plain http to another machine with exit 3, at the reference's position, naming
# the host only: never the URL's user, password, path or query.
set -u
sluice=${1:-${SLUICE_BUILD:-}/engine/sluice}
[ -x "$sluice" ] || { echo "no sluice binary at $sluice" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/job.yml" <<'YML'
version: 1
name: plain
source:
  endpoint: ${env:API_URL}
  method: demo.search
  signer: { type: none }
  window: { from_param: from, to_param: to, start: "2024-01-01 00:00:00" }
  paging: { page_param: page, size_param: size, total: data.total }
  records: data.items
target:
  dsn: ${env:DB}
  table: items
  key: [id]
columns:
  id: { path: id, type: bigint, required: true }
YML
cd "$dir" || exit 2
fail=0
env -i PATH="$PATH" "$sluice" validate job.yml 2>stderr
[ $? = 0 ] || { echo "validate (references unread) refused the job:" >&2; cat stderr >&2; fail=1; }
want="job.yml:4:13: error: 'endpoint' is plain http:// to 'api.example', not this machine"
for cmd in run dry-run; do
    env -i PATH="$PATH" API_URL='http://ops:Pw-Qx31@api.example:8080/router?token=Tok-Qx32' \
        DB='mysql://u:Db-Qx33@127.0.0.1:1/d' "$sluice" $cmd job.yml >stdout 2>stderr
    status=$?
    [ "$status" = 3 ] || { echo "$cmd: exit $status, want 3" >&2; fail=1; }
    grep -Fq "$want" stderr || { echo "$cmd: no '$want' in:" >&2; cat stderr >&2; fail=1; }
    for v in Pw-Qx31 Tok-Qx32 router ops: Db-Qx33; do
        if grep -Fq -e "$v" stdout stderr; then
            echo "$cmd printed '$v', a part of a secret URL" >&2
            fail=1
        fi
    done
done
exit $fail

#!/usr/bin/env bash
# dsn_raw_password: a DSN whose password holds a raw '@' and '/' (issue 9, item 10). The
# userinfo ends at the last '@', so sluice connects to the right server as the right user; the
# wrong password is refused (exit 5), and no part of it reaches stderr or the failure alert
# (before: the password's tail became the host and database, named in both).
source "$(dirname "$0")/lib.sh"

mock_start
db_create
hostpart=${SLUICE_DB##*@}                     # 127.0.0.1:PORT/NAME
export BAD_DB="mysql://sluice:Wr@ng/Pa@ss-Qz7@$hostpart"
export SLUICE_ALERT_WEBHOOK="$MOCK_URL/_webhook?key=Hook-Key-Secret-2"
cat >"$WORK/job.yml" <<'YML'
version: 1
name: dsn_raw
source:
  endpoint: http://127.0.0.1:9/unused
  method: demo.search
  signer: { type: none }
  window: { from_param: from, to_param: to, start: "2024-06-01 00:00:00" }
  paging: { page_param: page, size_param: size, total: data.total }
  records: data.items
target:
  dsn: ${env:BAD_DB}
  table: items
  key: [id]
  db_retry_budget: 0s
columns:
  id: { path: id, type: bigint, required: true }
alerts:
  webhook: ${env:SLUICE_ALERT_WEBHOOK}
  format: json
  on: [failure]
YML

note "run with the wrong password, raw '@' and '/' in it"
rc=0
"$SLUICE" run "$WORK/job.yml" --quiet >"$WORK/out" 2>&1 || rc=$?
cat "$WORK/out"
[ $rc = 5 ] || fail "exit $rc, want 5 (the database refused the password)"
grep -q "sluice@127.0.0.1:" "$WORK/out" || fail "the message does not name user@host as given"
grep -qi "access denied" "$WORK/out" || fail "the server was not asked: no access denied"
mock_admin /_webhook >"$WORK/hook"
[ "$(grep -c . "$WORK/hook")" = 1 ] || { cat "$WORK/hook"; fail "want one failure alert"; }
for part in Wr@ng ng/Pa Pa@ss ss-Qz7 Hook-Key-Secret-2; do
    grep -Fq -e "$part" "$WORK/out" && fail "stderr holds '$part', a part of a secret"
    grep -Fq -e "$part" "$WORK/hook" && fail "the alert holds '$part', a part of a secret"
done
echo "dsn_raw_password: ok"

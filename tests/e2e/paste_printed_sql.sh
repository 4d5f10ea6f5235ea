#!/usr/bin/env bash
# paste_printed_sql: what `migrate --dry-run` and `dry-run` print is safe to paste into the
# stock mariadb client (issue 9, item 11). A table holds a column named "x" + newline +
# "DROP TABLE victim;" (and one with a backquote and an ESC, and an ENUM type whose value
# holds the same newline): migrate --dry-run quotes and escapes them in its comments, so
# pasting its output runs no statement of theirs and `victim` survives. A record holding an
# emoji, printed by dry-run, pastes into the client with its default
# character set and lands intact (SET NAMES utf8mb4 at the top; error 1366 before).
source "$(dirname "$0")/lib.sh"

db_create
# shellcheck disable=SC1091 # the fixture's env file: DB_SOCKET, DB_ADMIN_USER
source "$SLUICE_DB_DIR/env"
paste_sql() { mariadb --no-defaults --socket="$DB_SOCKET" --user="$DB_ADMIN_USER" "$DB_NAME" <"$1"; }
victim_exists() {
    [ "$(db_sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='$DB_NAME' AND TABLE_NAME='victim'")" = 1 ]
}

cat >"$WORK/job.yml" <<'YML'
version: 1
name: paste
source:
  endpoint: http://127.0.0.1:9/unused
  method: demo.search
  signer: { type: none }
  window: { from_param: from, to_param: to, start: "2024-06-01 00:00:00" }
  paging: { page_param: page, size_param: size, total: data.total }
  records: data.items
target:
  dsn: ${env:SLUICE_DB}
  table: items
  key: [id]
columns:
  id: { path: id, type: bigint, required: true }
  name: { path: name, type: "varchar(64)" }
  kind: { path: kind, type: "varchar(8)" }
YML

note "a table with hostile column names, and a victim"
db_sql "CREATE TABLE victim (id INT); INSERT INTO victim VALUES (1)"
db_sql "CREATE TABLE items (id BIGINT NOT NULL PRIMARY KEY, \`x
DROP TABLE victim;\` INT, \`y\`\`$(printf '\033')[2J\` INT, kind ENUM('a', 'b
DROP TABLE victim;'))"

note "migrate --dry-run, pasted into the client"
"$SLUICE" migrate "$WORK/job.yml" --dry-run >"$WORK/migrate.sql"
head -n 1 "$WORK/migrate.sql" | grep -qx 'SET NAMES utf8mb4;' || fail "migrate --dry-run does not start with SET NAMES"
grep -Fq -- '-- migrate: warning: column `items`.`x\nDROP TABLE victim;` is not in the job' "$WORK/migrate.sql" ||
    { cat "$WORK/migrate.sql"; fail "the hostile column name is not quoted and escaped"; }
grep -Fq -- '`y``\x1b[2J`' "$WORK/migrate.sql" || { cat "$WORK/migrate.sql"; fail "backquote or ESC not escaped"; }
grep -Fq -- "is enum('a','b\nDROP TABLE victim;') in the database" "$WORK/migrate.sql" ||
    { cat "$WORK/migrate.sql"; fail "the column type read from the database is not escaped"; }
paste_sql "$WORK/migrate.sql" || fail "the client refused the printed migrate"
victim_exists || { cat "$WORK/migrate.sql"; fail "pasting migrate --dry-run dropped the victim table"; }
[ "$(db_sql "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='$DB_NAME' AND TABLE_NAME='items' AND COLUMN_NAME='name'")" = 1 ] ||
    fail "pasting did not add the job's column"

note "dry-run of a record with an emoji, pasted into the client"
mkdir "$WORK/replies"
from=$(date -u -d '2024-06-01 00:00:00' +%s)
to=$((from + 86399))
printf '{"data":{"total":1,"items":[{"id":1,"name":"box \360\237\223\246 ok"}]}}' \
    >"$WORK/replies/${from}_${to}_0.json"
env -u SLUICE_DB "$SLUICE" dry-run "$WORK/job.yml" --from "2024-06-01 00:00:00" \
    --to "2024-06-01 23:59:59" --replay "$WORK/replies" --quiet >"$WORK/dry.sql" ||
    fail "dry-run failed"
head -n 1 "$WORK/dry.sql" | grep -qx 'SET NAMES utf8mb4;' || fail "dry-run does not start with SET NAMES"
paste_sql "$WORK/dry.sql" || { cat "$WORK/dry.sql"; fail "the client refused the printed dry-run"; }
[ "$(db_sql "SELECT HEX(name) FROM items WHERE id=1")" = "$(printf 'box \360\237\223\246 ok' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" ] ||
    fail "the emoji did not land intact: $(db_sql "SELECT HEX(name) FROM items WHERE id=1")"
victim_exists || fail "the victim table is gone"
echo "paste_printed_sql: ok"

#!/usr/bin/env bash
# sink_migrate_golden: `sluice migrate --dry-run` of the shipped refund job on an empty database
# prints exactly schemas/ddl/wdt_refund.sql and creates nothing; `migrate` then creates the five
# tables with those definitions, and a second dry-run finds every table up to date.
source "$(dirname "$0")/lib.sh"

export WDT_ENDPOINT=http://127.0.0.1:9/unused # compile resolves it; migrate never calls the API
db_create
GOLDEN=$SLUICE_SRC/schemas/ddl/wdt_refund.sql

note "dry-run on an empty database"
"$SLUICE" migrate "$SLUICE_SRC/mappings/wdt_refund.yml" --dry-run >"$WORK/dry.sql"
diff -u "$GOLDEN" "$WORK/dry.sql" || fail "migrate --dry-run differs from $GOLDEN"
[ "$(db_sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='$DB_NAME'")" = 0 ] ||
    fail "a dry-run created tables"

note "migrate"
"$SLUICE" migrate "$SLUICE_SRC/mappings/wdt_refund.yml" >"$WORK/real.sql"
# The dry-run's first two lines are SET NAMES for a client to paste it; the sink's own
# session is utf8mb4 already, so a real migrate prints the statements only.
diff -u <(tail -n +3 "$GOLDEN") "$WORK/real.sql" || fail "migrate did not run what the dry-run printed"
[ "$(db_sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='$DB_NAME'")" = 5 ] ||
    fail "migrate did not create the five tables"
db_sql "SHOW CREATE TABLE aftersales_refund_refund_search_detail" | grep -q 'KEY `sluice_parent` (`refund_id`)' ||
    fail "the child table lacks its parent index"

note "nothing left to do"
"$SLUICE" migrate "$SLUICE_SRC/mappings/wdt_refund.yml" --dry-run >"$WORK/again.sql"
[ "$(grep -c 'is up to date' "$WORK/again.sql")" = 5 ] || { cat "$WORK/again.sql"; fail "not up to date"; }
grep -q "CREATE\|ALTER" "$WORK/again.sql" && fail "a second migrate would change something"
echo "sink_migrate_golden: ok"

#!/usr/bin/env bash
# accounts_upgrade: a database kept by jobs without accounts gets its first job with accounts.
# The plain example job (mappings/examples/rest_orders.yml) syncs first: its state and runs
# tables have no account column. `migrate --dry-run` of a job with accounts (its own tables,
# the same state and runs tables) prints the ALTERs that add `account` and re-key the state
# table; `migrate` runs them: the plain job's state row survives with account '', its
# `state show` and its next run work as before (that run's record has account ''), and the job
# with accounts keeps a state row per account beside it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/accounts/common.sh"

rest_start --seed 47 --orders 200 --shops 2 --auth bearer
export REST_ORDERS_URL=$REST_URL/v1/offset/orders
db_create
PLAIN=$SLUICE_SRC/mappings/examples/rest_orders.yml

note "the plain job creates the state and runs tables, without an account column"
sluice_run "$PLAIN" --now "2024-03-08 00:30:00"
[ "$(db_sql "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema=DATABASE() AND column_name='account'")" = 0 ] ||
    fail "a job without accounts made an account column"
wm_plain=$(db_sql "SELECT watermark FROM sluice_state WHERE job='rest_orders'")

note "a job with accounts on the same state and runs tables"
# its own name and tables; one token for both shops (knob shop-tokens off)
J=$(job 2)
sed -i -e 's/^name: rest_orders$/name: shop_orders/' -e 's/rest_order/shop_order/g' "$J"
export SHOP1_TOKEN=test-token SHOP2_TOKEN=test-token
"$SLUICE" migrate --dry-run "$J" >"$WORK/migrate.out"
grep -q 'ALTER TABLE `sluice_state` ADD COLUMN `account` VARCHAR(64) NOT NULL DEFAULT '"''"'.* AFTER `job`, DROP PRIMARY KEY, ADD PRIMARY KEY (`job`,`account`);' "$WORK/migrate.out" ||
    { cat "$WORK/migrate.out"; fail "migrate --dry-run does not re-key the state table"; }
grep -q 'ALTER TABLE `sluice_runs` ADD COLUMN `account` VARCHAR(64) NOT NULL DEFAULT '"''"'.* AFTER `job`, DROP KEY `sluice_job`, ADD KEY `sluice_job` (`job`,`account`,`started_at`);' "$WORK/migrate.out" ||
    { cat "$WORK/migrate.out"; fail "migrate --dry-run does not add the runs table's account (and index it)"; }
[ "$(db_sql "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema=DATABASE() AND column_name='account'")" = 0 ] ||
    fail "migrate --dry-run changed the database"
"$SLUICE" migrate "$J" >/dev/null
[ "$(db_sql "SELECT GROUP_CONCAT(column_name ORDER BY seq_in_index) FROM information_schema.statistics
             WHERE table_schema=DATABASE() AND table_name='sluice_state' AND index_name='PRIMARY'")" = "job,account" ] ||
    fail "the state table is not keyed by job and account"
# the runs table's index leads with job and account: a run's own statements (closing an
# abandoned run) read that account's runs, not every run of the job (docs/performance.md)
[ "$(db_sql "SELECT GROUP_CONCAT(column_name ORDER BY seq_in_index) FROM information_schema.statistics
             WHERE table_schema=DATABASE() AND table_name='sluice_runs' AND index_name='sluice_job'")" = "job,account,started_at" ] ||
    fail "the runs table's index is not (job, account, started_at)"
[ "$(db_sql "SELECT CONCAT(account, '|', watermark) FROM sluice_state WHERE job='rest_orders'")" = "|$wm_plain" ] ||
    fail "the plain job's state row: $(db_sql "SELECT * FROM sluice_state")"
"$SLUICE" migrate "$J" | grep -q 'state table `sluice_state` is up to date' || fail "a second migrate is not a no-op"

note "both jobs run on the upgraded tables"
sluice_run "$J" --now "2024-03-08 00:30:00"
"$SLUICE" state show "$PLAIN" | grep -q '^job rest_orders: watermark 2024-03-08 00:30:00$' || fail "the plain job's state show"
sluice_run "$PLAIN" --now "2024-03-08 01:00:00"
[ "$(db_sql "SELECT account FROM sluice_runs WHERE job='rest_orders' ORDER BY id DESC LIMIT 1")" = "" ] ||
    fail "the plain job's run record has an account"
[ "$(db_sql "SELECT GROUP_CONCAT(CONCAT(job, '/', account) ORDER BY job, account) FROM sluice_state")" = "rest_orders/,shop_orders/1,shop_orders/2" ] ||
    fail "state rows: $(db_sql "SELECT job, account, watermark FROM sluice_state")"
rest_oracle_ok orders
[ "$(db_sql "SELECT COUNT(*) FROM shop_orders")" = "$(db_sql "SELECT COUNT(*) FROM rest_orders")" ] ||
    fail "the two shops' orders are not all the orders"
echo "accounts_upgrade: ok"

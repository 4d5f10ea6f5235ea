#!/usr/bin/env bash
# accounts_rest: one job, many accounts (docs/accounts.md), against tools/rest-mock with one
# bearer token per shop (knob shop-tokens: shop N wants "test-token-N") on the shipped example
# mappings/examples/rest_orders.yml (orders -> items -> discounts) with an `accounts` list whose
# ids are the shop ids, so the oracle (tests/e2e/accounts/rest_orders.rules) checks that every
# row's account is its order's shop.
#   1. three accounts sync into one table: 0 rows wrong against the truth of their shops;
#      three state rows, three run records, each with its account;
#   2. one account's secret is wrong: its run fails with the API's message, exit 4, its
#      watermark stays; the other two sync the changes of the next hour; fixed, it catches up;
#   3. a fourth account is added: `run --account 4` backfills it alone from window.start, the
#      others' watermarks and rows untouched; then the four shops hold exactly the truth.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/accounts/common.sh"

rest_start --seed 41 --orders 400 --shops 4 --auth bearer --shop-tokens 1 \
    --fail-500 0.05 --fail-429 0.05 --retry-after 0
export REST_ORDERS_URL=$REST_URL/v1/offset/orders
db_create

J3=$(job 3)
note "validate and plan: three accounts, the account column first in every key"
"$SLUICE" validate "$J3"
"$SLUICE" plan "$J3" >"$WORK/plan.out"
grep -q '^accounts: 3, column account: 1 2 3$' "$WORK/plan.out" || fail "plan: $(head -3 "$WORK/plan.out")"
[ "$(grep -c 'key (account, id)' "$WORK/plan.out")" = 3 ] || fail "plan: not every key starts with account"

note "1. three accounts sync into one table"
"$SLUICE" run "$J3" --now "2024-03-08 00:30:00" --quiet >"$WORK/run.out" 2>&1 || { cat "$WORK/run.out" >&2; fail "run exited $?"; }
cat "$WORK/run.out" | grep -E '^sluice run'
grep -q '^sluice run rest_orders: 3 accounts, 3 ok, 0 failed$' "$WORK/run.out" || fail "no closing line"
oracle 1,2,3
[ "$(db_sql "SELECT COUNT(*) FROM sluice_state WHERE job='rest_orders'")" = 3 ] || fail "want 3 state rows"
[ "$(db_sql "SELECT GROUP_CONCAT(account ORDER BY account) FROM sluice_runs WHERE job='rest_orders' AND status='ok'")" = "1,2,3" ] ||
    fail "run records: $(db_sql "SELECT account, status FROM sluice_runs")"
[ "$(db_sql "SELECT COUNT(DISTINCT account) FROM rest_order_items")" = 3 ] || fail "child rows lack the account"
shops=$(db_sql "SELECT COUNT(*) FROM rest_orders WHERE account <> CAST(shop_id AS CHAR)")
[ "$shops" = 0 ] || fail "$shops rows under another shop's account"

note "2. a wrong secret on account 2: the others still sync"
rest_admin /_admin -X POST -d '{"now": "2024-03-08T01:00:00+08:00", "mutate": {"update": 80, "insert": 10}}' >/dev/null
wm2=$(wm 2) wm1=$(wm 1)
rc=0
SHOP2_TOKEN=stolen "$SLUICE" run "$J3" --now "2024-03-08 02:00:00" --quiet >"$WORK/run.out" 2>&1 || rc=$?
cat "$WORK/run.out" | grep -E '^sluice'
[ $rc -eq 4 ] || fail "a run with one refused account exited $rc, want 4"
grep -q '^sluice: error: account 2: .*invalid bearer token for this shop' "$WORK/run.out" ||
    fail "the error does not carry the API's message for account 2"
grep -q '^sluice run rest_orders: 3 accounts, 2 ok, 1 failed (2: exit 4)$' "$WORK/run.out" || fail "closing line"
! grep -q stolen "$WORK/run.out" || fail "the secret was printed"
[ "$(wm 2)" = "$wm2" ] || fail "account 2's watermark moved: $wm2 -> $(wm 2)"
[ "$(wm 1)" -gt "$wm1" ] || fail "account 1's watermark did not move"
oracle_of 1,3
if (oracle_of 2 >/dev/null 2>&1); then fail "account 2's rows match the truth after its failed run (no change reached shop 2?)"; fi
[ "$(db_sql "SELECT status FROM sluice_runs WHERE account='2' ORDER BY id DESC LIMIT 1")" = source ] ||
    fail "account 2's run record: $(db_sql "SELECT status, message FROM sluice_runs WHERE account='2'")"
sluice_run "$J3" --now "2024-03-08 02:00:00"
oracle 1,2,3

note "3. a fourth account backfills alone"
before=$(for a in 1 2 3; do echo "$a $(wm "$a") $(rows_of "$a")"; done)
J4=$(job 4)
"$SLUICE" state show "$J4" --account 4 | grep -q '^job rest_orders account 4: watermark (none) (the next run starts at window.start)$' ||
    fail "state show --account 4"
sluice_run "$J4" --account 4 --now "2024-03-08 02:00:00"
grep -q '^  range       2024-03-01 00:00:00 \.\. ' "$WORK/run.out" || fail "account 4 did not start at window.start: $(grep range "$WORK/run.out")"
after=$(for a in 1 2 3; do echo "$a $(wm "$a") $(rows_of "$a")"; done)
[ "$before" = "$after" ] || fail "the other accounts changed: $before / $after"
oracle 1,2,3,4
"$SLUICE" state show "$J4" >"$WORK/state.out"
[ "$(grep -c '^job rest_orders account [1-4]: watermark 2024-03-08' "$WORK/state.out")" = 4 ] || { cat "$WORK/state.out"; fail "state show"; }

note "dry-run and verify of one account"
"$SLUICE" dry-run "$J4" --account 3 --from "2024-03-02 00:00:00" --to "2024-03-02 23:59:59" >"$WORK/dry.sql" 2>"$WORK/dry.err"
grep -q '^sluice dry-run rest_orders account 3: ok$' "$WORK/dry.err" || { cat "$WORK/dry.err"; fail "dry-run --account 3"; }
grep -q 'PRIMARY KEY (`account`,`id`)' "$WORK/dry.sql" || fail "dry-run: the DDL's key does not start with account"
n3=$(grep -c ",'3')" "$WORK/dry.sql" || true)
[ "$n3" -gt 0 ] && ! grep -Eq ",'[124]')" "$WORK/dry.sql" || fail "dry-run: rows not all of account 3 ($n3)"
V=(--from "2024-03-01 00:00:00" --to "2024-03-08 00:00:00" --now "2024-03-08 02:00:00")
for a in 1 4; do
    rc=0; "$SLUICE" verify "$J4" --account $a "${V[@]}" >"$WORK/verify.out" 2>&1 || rc=$?
    [ $rc -eq 0 ] || { cat "$WORK/verify.out"; fail "verify --account $a exited $rc"; }
done
db_sql "DELETE FROM rest_orders WHERE account='4' AND updated_at BETWEEN '2024-03-04 00:00:00' AND '2024-03-04 23:00:00' LIMIT 3"
rc=0; "$SLUICE" verify "$J4" --account 4 "${V[@]}" >"$WORK/verify.out" 2>&1 || rc=$?
[ $rc -eq 1 ] || { cat "$WORK/verify.out"; fail "verify --account 4 with 3 rows gone exited $rc, want 1"; }
rc=0; "$SLUICE" verify "$J4" --account 1 "${V[@]}" >"$WORK/verify.out" 2>&1 || rc=$?
[ $rc -eq 0 ] || fail "verify --account 1 counts another account's rows (exit $rc)"
sluice_run "$J4" --account 4 --from "2024-03-04 00:00:00" --to "2024-03-04 23:59:59" --now "2024-03-08 02:00:00"
oracle 1,2,3,4

note "--account on an unknown id, and on a job without accounts"
rc=0; "$SLUICE" run "$J4" --account 9 >"$WORK/err" 2>&1 || rc=$?
[ $rc -eq 2 ] && grep -q "has no account '9'" "$WORK/err" || fail "--account 9: exit $rc $(cat "$WORK/err")"
rc=0; "$SLUICE" state show "$SLUICE_SRC/mappings/examples/rest_orders.yml" --account 1 >"$WORK/err" 2>&1 || rc=$?
[ $rc -eq 2 ] && grep -q "has no accounts" "$WORK/err" || fail "--account without accounts: exit $rc $(cat "$WORK/err")"
rc=0; "$SLUICE" rejects replay "$J4" >"$WORK/err" 2>&1 || rc=$?
[ $rc -eq 2 ] && grep -q "has accounts, and the reject table keeps no account" "$WORK/err" ||
    fail "rejects replay of a job with accounts: exit $rc $(cat "$WORK/err")"
"$SLUICE" rejects list "$J4" >/dev/null || fail "rejects list of a job with accounts"
echo "figures: accounts=4 rows=$(db_sql 'SELECT COUNT(*) FROM rest_orders') refused_account_exit=4"
echo "accounts_rest: ok"

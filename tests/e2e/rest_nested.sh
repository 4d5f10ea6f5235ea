#!/usr/bin/env bash
# rest_nested: children at any depth against tools/rest-mock's orders, with the shipped example
# job mappings/examples/rest_orders.yml (orders -> line items -> discounts, a child of a child
# keyed by its own parent's key). Per seed, under faults (5xx, 429, truncated bodies):
#   1. a run while orders change during paging (discounts come and go, items are dropped);
#      changed orders move to the mock's clock, past this run's end (docs/sync-rules.md rule 1);
#   2. a run over the rest, changes stopped: the oracle finds 0 rows wrong in all three tables;
#   3. orders lose line items (with their discounts) and discounts between runs, and a run
#      picks them up: the tables hold exactly what the API holds, 0 rows wrong, and the item
#      and discount counts went down with the API's.
# Then `sluice plan` shows the tree, and `migrate` adds a column to the child of a child.
source "$(dirname "$0")/lib.sh"

FAULTS=(--fail-500 0.1 --fail-429 0.1 --fail-truncate 0.05 --retry-after 0)
CHANGE=(--mutate-after 3 --mutate-every 2 --mutate-update 6 --mutate-insert 2 --mutate-drop-item 1)

# counts: "orders items discounts" in the API's truth, and in the tables.
truth_counts() {
    rest_admin /_truth | jq -s -r '"\(length) \([.[].items[]] | length) \([.[].items[].discounts[]] | length)"'
}
table_counts() {
    db_sql "SELECT CONCAT((SELECT COUNT(*) FROM rest_orders), ' ',
        (SELECT COUNT(*) FROM rest_order_items), ' ', (SELECT COUNT(*) FROM rest_order_item_discounts))"
}

drop_tables() {
    local t
    for t in rest_order_item_discounts rest_order_items rest_orders sluice_state sluice_runs sluice_rejects; do
        db_sql "DROP TABLE IF EXISTS $t"
    done
}

db_create
LOADS=([31]=bulk [32]=statements [33]=load_data)
for seed in 31 32 33; do
    note "seed $seed: changes while paging, under faults, load: ${LOADS[$seed]}"
    sed "s/^  window_column: updated_at$/&\n  load: ${LOADS[$seed]}/" "$SLUICE_SRC/mappings/examples/rest_orders.yml" >"$WORK/job.yml"
    grep -q "^  load: ${LOADS[$seed]}$" "$WORK/job.yml" || fail "the job edit did not apply"
    JOB=$WORK/job.yml
    rest_start --seed "$seed" --orders 400 --auth bearer --strict-params 0 "${FAULTS[@]}" "${CHANGE[@]}"
    export REST_ORDERS_URL=$REST_URL/v1/offset/orders
    drop_tables
    sluice_run "$JOB" --now "2024-03-08 00:30:00"
    mutations=$(rest_admin /_stats | jq .mutations)
    [ "$mutations" -ge 3 ] || fail "seed $seed: the orders changed $mutations times, want 3 or more"
    faults=$(rest_admin /_stats | jq '[.faults[]] | add')
    [ "$faults" -ge 1 ] || fail "seed $seed: no fault was injected"

    rest_admin /_admin -X POST -d '{"mutate-after": 0}' >/dev/null
    sluice_run "$JOB" --now "2024-03-08 02:00:00"
    rest_oracle_ok orders | grep -q "oracle: OK (0 rows wrong)" || fail "seed $seed: after the changes"
    [ "$(table_counts)" = "$(truth_counts)" ] || fail "seed $seed: counts $(table_counts), truth $(truth_counts)"
    echo "seed $seed: $mutations changes, $faults faults; orders items discounts: $(table_counts)"

    note "seed $seed: items and discounts disappear from orders"
    before=$(truth_counts)
    rest_admin /_truth | jq -r '.items[] | "i\(.id)", (.discounts[] | "d\(.id)")' | sort >"$WORK/ids_before"
    rest_admin /_admin -X POST -d '{"now": "2024-03-08T02:30:00+08:00", "mutate": {"update": 120}}' >/dev/null
    after=$(truth_counts)
    rest_admin /_truth | jq -r '.items[] | "i\(.id)", (.discounts[] | "d\(.id)")' | sort >"$WORK/ids_after"
    gone_items=$(comm -23 "$WORK/ids_before" "$WORK/ids_after" | grep -c '^i' || true)
    gone_disc=$(comm -23 "$WORK/ids_before" "$WORK/ids_after" | grep -c '^d' || true)
    [ "$gone_items" -ge 10 ] && [ "$gone_disc" -ge 10 ] ||
        fail "seed $seed: $gone_items items and $gone_disc discounts gone, want 10 or more each"
    sluice_run "$JOB" --now "2024-03-08 03:00:00"
    rest_oracle_ok orders | grep -q "oracle: OK (0 rows wrong)" || fail "seed $seed: after the drops"
    [ "$(table_counts)" = "$after" ] || fail "seed $seed: counts $(table_counts), truth $after"
    echo "seed $seed: $gone_items items and $gone_disc discounts gone; orders items discounts" \
        "$before -> $after, tables $(table_counts)"
    kill "$REST_PID" 2>/dev/null || true
    wait "$REST_PID" 2>/dev/null || true
done

note "plan shows the tree; migrate reaches a child of a child"
JOB=$SLUICE_SRC/mappings/examples/rest_orders.yml
REST_ORDERS_URL=http://127.0.0.1:9/v1/offset/orders "$SLUICE" plan "$JOB" --strict >"$WORK/plan.out" 2>&1 ||
    { cat "$WORK/plan.out" >&2; fail "plan failed"; }
grep -q "^child table rest_order_item_discounts (line [0-9]*), key (id), one row per discounts\[\*\] of each rest_order_items row" "$WORK/plan.out" ||
    { cat "$WORK/plan.out" >&2; fail "plan does not show the discounts under the items"; }
grep -Eq "^  item_id +BIGINT +<- parent id$" "$WORK/plan.out" || fail "plan: item_id is not the item's id"
rest_start --seed 34 --orders 100 --auth bearer --strict-params 0
export REST_ORDERS_URL=$REST_URL/v1/offset/orders
drop_tables
sluice_run "$JOB" --now "2024-03-08 02:00:00"
sed 's/^          amount:  { path: amount, type: "decimal(12,2)" }$/&\n          cents:   { path: amount_cents, type: int }/' \
    "$JOB" >"$WORK/more.yml"
grep -q 'cents:   { path: amount_cents' "$WORK/more.yml" || fail "the job edit did not apply"
"$SLUICE" migrate --dry-run "$WORK/more.yml" >"$WORK/migrate.out" 2>&1 || { cat "$WORK/migrate.out" >&2; fail "migrate --dry-run"; }
grep -q 'ALTER TABLE `rest_order_item_discounts` ADD COLUMN `cents` INT AFTER `amount`' "$WORK/migrate.out" ||
    { cat "$WORK/migrate.out" >&2; fail "migrate --dry-run does not add the discount column"; }
"$SLUICE" migrate "$WORK/more.yml" >"$WORK/migrate.out" 2>&1 || { cat "$WORK/migrate.out" >&2; fail "migrate"; }
sluice_run "$WORK/more.yml" --from "2024-03-01 00:00:00" --to "2024-03-08 03:00:00"
rest_oracle_ok orders | grep -q "oracle: OK (0 rows wrong)" || fail "after the migration"
[ "$(db_sql "SELECT COUNT(*) FROM rest_order_item_discounts WHERE cents IS NULL OR cents <> amount * 100")" = 0 ] ||
    fail "the new discount column is not filled"

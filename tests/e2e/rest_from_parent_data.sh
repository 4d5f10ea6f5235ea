#!/usr/bin/env bash
# rest_from_parent_data: a child column copying a parent column outside the parent's key
# (line items copying their order's status with from_parent) is data, not part of the link the
# child rows are replaced by. Before the fix the sink deleted an order's items by every copied
# column (order_id and status), so an order whose status changed kept the items it lost at the
# source (the stale rows the oracle counts as extra). The shipped example job without discounts,
# plus the copied status; orders change status and lose items between two runs.
source "$(dirname "$0")/lib.sh"

sed -e '/^    children:$/,$d' \
    -e 's/^      order_id: { from_parent: id }$/&\n      order_status: { from_parent: status }/' \
    "$SLUICE_SRC/mappings/examples/rest_orders.yml" >"$WORK/job.yml"
grep -q 'order_status: { from_parent: status }' "$WORK/job.yml" || fail "the job edit did not apply"
sed '/^child rest_order_item_discounts/,$d' "$SLUICE_SRC/tools/oracle/rest_orders.rules" >"$WORK/orders.rules"

# judge: the oracle's verdict on orders and items (discounts not synced here).
judge() {
    "$ORACLE" --truth "$REST_URL/_truth?resource=orders" --db "$SLUICE_DB" \
        --rules "$WORK/orders.rules" >"$WORK/oracle.out" 2>&1 ||
        { cat "$WORK/oracle.out" >&2; fail "$1: the oracle found differences"; }
}

rest_start --seed 41 --orders 200 --auth bearer --strict-params 0 --mutate-drop-item 1
export REST_ORDERS_URL=$REST_URL/v1/offset/orders
db_create
sluice_run "$WORK/job.yml" --now "2024-03-08 02:00:00"
judge "first run"
items_before=$(db_sql "SELECT COUNT(*) FROM rest_order_items")

note "orders change status and drop their last item"
rest_admin /_admin -X POST -d '{"now": "2024-03-08T02:30:00+08:00", "mutate": {"update": 60}}' >/dev/null
sluice_run "$WORK/job.yml" --now "2024-03-08 03:00:00"
judge "after items were dropped"
items_after=$(db_sql "SELECT COUNT(*) FROM rest_order_items")
[ "$items_after" -lt "$items_before" ] || fail "no item row went ($items_before -> $items_after)"
stale=$(db_sql "SELECT COUNT(*) FROM rest_order_items i JOIN rest_orders o ON o.id = i.order_id
    WHERE i.order_status <> o.status")
[ "$stale" = 0 ] || fail "$stale item rows carry an old order status"
echo "items $items_before -> $items_after, 0 rows wrong"

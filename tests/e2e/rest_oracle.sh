# rest_oracle: sluice-oracle judges tables synced from tools/rest-mock (rules
# tools/oracle/rest_orders.rules and rest_shops.rules): ISO-8601 times in any zone and epoch
# seconds into +08:00, money from strings and from integer cents, ids above 2^53 from strings,
# a nested object's fields, and a child of a child (an item's discounts). Loads the truth with
# the oracle's own loader, pins conversions against values computed here, then damages rows at
# each depth and checks every damage is reported; a shop deleted at the source and still in
# the table is an extra row.
source "$(dirname "$0")/lib.sh"

R=$SLUICE_SRC/tools/oracle
rest_start --seed 9 --orders 150 --shops 6
rest_admin /_truth >"$WORK/truth"
db_create
db_sql "$("$ORACLE" --ddl --rules "$R/rest_orders.rules")"
db_sql "$("$ORACLE" --ddl --rules "$R/rest_shops.rules")"

# judge WANT_RC RULES [oracle args...]: the oracle's report into $WORK/out, its exit checked.
judge() {
    local want=$1 rules=$2 rc=0
    shift 2
    "$ORACLE" --truth "$REST_URL" --db "$SLUICE_DB" --rules "$R/$rules.rules" "$@" >"$WORK/out" 2>&1 || rc=$?
    [ "$rc" -eq "$want" ] || { cat "$WORK/out" >&2; fail "oracle exited $rc, want $want"; }
}
counts() { sed -n "s/^$1: .*missing \([0-9]*\), extra \([0-9]*\), differing \([0-9]*\) .*/missing \1 extra \2 differing \3/p" "$WORK/out"; }
expect_counts() { [ "$(counts "$1")" = "$2" ] || fail "$1: got '$(counts "$1")', want '$2'"; }

"$ORACLE" --truth "$REST_URL" --db "$SLUICE_DB" --rules "$R/rest_orders.rules" --load >/dev/null
judge 0 rest_orders
grep -q "truth: 150 records" "$WORK/out" || fail "truth count: $(cat "$WORK/out")"
rest_oracle_ok orders | grep -q "oracle: OK (0 rows wrong)" || fail "rest_oracle_ok orders"
n_items=$(jq '.items | length' "$WORK/truth" | paste -sd+ | bc)
n_disc=$(jq '[.items[].discounts[]] | length' "$WORK/truth" | paste -sd+ | bc)
expect_counts rest_order_items "missing 0 extra 0 differing 0"
[ "$(db_sql 'SELECT COUNT(*) FROM rest_order_items')" = "$n_items" ] || fail "items loaded"
[ "$(db_sql 'SELECT COUNT(*) FROM rest_order_item_discounts')" = "$n_disc" ] || fail "discounts loaded"
[ "$n_disc" -gt 20 ] || fail "too few discounts ($n_disc) to test a child of a child"

note "conversions, computed here: times into +08:00, cents, ids, nested fields"
# local_of ISO: the +08:00 wall time of an ISO-8601 text (GNU date), fractions cut.
local_of() { TZ=Asia/Shanghai date -d "$1" '+%Y-%m-%d %H:%M:%S'; }
for style in '[0-9]Z"' '\.[0-9]{3}Z"' '\.[0-9]{6}\+08:00"' ':[0-9]{2}\+08:00"'; do
    rec=$(grep -E "\"updated_at\":\"[^\"]*$style" "$WORK/truth" | sed -n 3p)
    [ -n "$rec" ] || fail "no record in style $style"
    id=$(jq -r .id <<<"$rec")
    want="$(local_of "$(jq -r .updated_at <<<"$rec")")|$(local_of "$(jq -r .created_at <<<"$rec")")"
    got=$(db_sql "SELECT CONCAT(updated_at, '|', created_at) FROM rest_orders WHERE id=$id")
    [ "$got" = "$want" ] || fail "order $id times: got $got, want $want"
done
rec=$(grep -E '"paid_at":[0-9]+' "$WORK/truth" | sed -n 5p)
id=$(jq -r .id <<<"$rec")
want="$(TZ=Asia/Shanghai date -d "@$(jq .paid_at <<<"$rec")" '+%Y-%m-%d %H:%M:%S')|$(jq -r '.shipping + "|" + .total + "|" + .customer.address.city' <<<"$rec")"
got=$(db_sql "SELECT CONCAT(paid_at, '|', shipping, '|', total, '|', city) FROM rest_orders WHERE id=$id")
[ "$got" = "$want" ] || fail "order $id: got $got, want $want"
[ "$(db_sql "SELECT COUNT(*) FROM rest_orders WHERE id > 9007199254740992")" = 150 ] || fail "ids above 2^53"
item=$(jq -c '.items[]' "$WORK/truth" | sed -n 7p)
[ "$(db_sql "SELECT price FROM rest_order_items WHERE id=$(jq .id <<<"$item")")" = "$(jq -r .price <<<"$item")" ] ||
    fail "price from cents"

note "damage at each depth is reported"
disc=$(jq -c '.items[] | select(.discounts | length > 0)' "$WORK/truth" | sed -n 4p)
d1=$(jq '.discounts[0].id' <<<"$disc")
item_id=$(jq .id <<<"$disc")
d_other=$(jq -c '.items[].discounts[].id' "$WORK/truth" | grep -vx "$d1" | sed -n 9p)
db_sql "DELETE FROM rest_order_item_discounts WHERE id=$d1"
db_sql "UPDATE rest_order_item_discounts SET amount = amount + 0.01 WHERE id=$d_other"
db_sql "INSERT INTO rest_order_item_discounts (id, item_id, code, amount) VALUES (1, $item_id, 'X', 1)"
db_sql "UPDATE rest_orders SET updated_at = updated_at + INTERVAL 1 SECOND WHERE id=$id"
judge 1 rest_orders --max-print 50
expect_counts rest_order_item_discounts "missing 1 extra 1 differing 1"
expect_counts rest_orders "missing 0 extra 0 differing 1"
grep -q "missing rest_order_item_discounts id=$d1" "$WORK/out" || fail "no example of the missing grandchild"
grep -q "differ  rest_order_item_discounts id=$d_other amount" "$WORK/out" || fail "no example of the changed grandchild"

note "a window: rows of records outside it are ignored"
for t in rest_order_item_discounts rest_order_items rest_orders; do db_sql "DELETE FROM $t"; done
"$ORACLE" --truth "$REST_URL" --db "$SLUICE_DB" --rules "$R/rest_orders.rules" --load >/dev/null
from=$(db_sql "SELECT MIN(updated_at) + INTERVAL 1 DAY FROM rest_orders")
to=$(db_sql "SELECT MIN(updated_at) + INTERVAL 3 DAY FROM rest_orders")
db_sql "INSERT INTO rest_order_item_discounts (id, item_id, code, amount) SELECT id * 10 + 9, id, 'Y', 1 FROM rest_order_items WHERE order_id = (SELECT id FROM rest_orders WHERE updated_at < '$from' LIMIT 1) LIMIT 1"
judge 0 rest_orders --from "$from" --to "$to"
grep -q "rest_order_item_discounts: .* extra 0, differing 0 (cells 0), ignored [1-9]" "$WORK/out" ||
    fail "a grandchild outside the window is not ignored: $(cat "$WORK/out")"
judge 1 rest_orders
expect_counts rest_order_item_discounts "missing 0 extra 1 differing 0"

note "shops: a shop deleted at the source and left in the table is extra"
"$ORACLE" --truth "$REST_URL/_truth?resource=shops" --db "$SLUICE_DB" --rules "$R/rest_shops.rules" --load >/dev/null
judge 0 rest_shops --truth "$REST_URL/_truth?resource=shops"
[ "$(db_sql "SELECT CONCAT(COUNT(*), ' ', SUM(active)) FROM rest_shops")" = "6 $(grep -c '"active":true' <(rest_admin '/_truth?resource=shops'))" ] ||
    fail "shops loaded"
rest_oracle_ok shops >/dev/null
rest_admin /_admin -d '{"delete_shops": [2]}' >/dev/null
judge 1 rest_shops --truth "$REST_URL/_truth?resource=shops"
expect_counts rest_shops "missing 0 extra 1 differing 0"
! (rest_oracle_ok shops) 2>/dev/null || fail "rest_oracle_ok passes with an extra shop"
note "ok"

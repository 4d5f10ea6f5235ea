#!/usr/bin/env bash
# personal_data: issue 13 item 6 against tools/rest-mock and MariaDB (docs/personal-data.md).
# The shipped example job (orders -> items -> discounts) with its customer name masked, the
# email hashed, the zip dropped, an item's sku hashed and a discount's code masked (a child and
# a child of a child). The oracle, told the same masking in its rules (personal=..., its own
# mask and OpenSSL's HMAC), finds 0 rows wrong; the oracle with the clear rules finds every
# protected column differing (the table holds nothing in clear). A quality rule rejects some
# orders: their stored records hold no name, email or zip of the truth, only markers; after the
# rule is removed `rejects replay` writes them and the oracle still finds 0 wrong (nothing hashed
# or masked twice).
source "$(dirname "$0")/lib.sh"

export SLUICE_PERSONAL_KEY=7f3a9c1e5b2d4f6a8091b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607
PERSONAL="personal:\n  hash_key: \${env:SLUICE_PERSONAL_KEY}\n  keep_first: 2\n  keep_last: 2"
sed -e 's/^\(  customer_name: .*\)personal: clear }/\1personal: mask }/' \
    -e 's/^\(  customer_email: .*\)personal: clear }/\1personal: hash }/' \
    -e 's/^\(  zip: .*\) }$/\1, personal: drop }/' \
    -e 's/^\(      sku: .*type: \)"varchar(16)" }$/\1"varchar(64)", personal: hash }/' \
    -e 's/^\(          code: .*\) }$/\1, personal: mask }/' \
    -e "s/^columns:\$/$PERSONAL\ncolumns:/" \
    "$SLUICE_SRC/mappings/examples/rest_orders.yml" >"$WORK/job.yml"
[ "$(grep -c 'personal: \(mask\|hash\|drop\)' "$WORK/job.yml")" = 5 ] || fail "the job edits did not apply"
env -i PATH="$PATH" "$SLUICE" validate "$WORK/job.yml" || fail "the job does not validate"

# The oracle's rules: rest_orders.rules with the same protection.
sed -e '1i personal keep=2,2 key_env=SLUICE_PERSONAL_KEY' \
    -e 's/^\(col customer_name .*\)$/\1 personal=mask/' \
    -e 's/^\(col customer_email .*\)$/\1 personal=hash/' \
    -e 's/^\(col zip .*\)$/\1 personal=drop/' \
    -e 's/^\(col sku .*\)$/\1 personal=hash/' \
    -e 's/^\(col code .*\)$/\1 personal=mask/' \
    "$SLUICE_SRC/tools/oracle/rest_orders.rules" >"$WORK/personal.rules"
[ "$(grep -c 'personal=' "$WORK/personal.rules")" = 5 ] || fail "the rules edits did not apply"

# judge RULES WANT_RC: the oracle's verdict on the three tables into $WORK/oracle.out.
judge() {
    local rc=0
    "$ORACLE" --truth "$REST_URL/_truth?resource=orders" --db "$SLUICE_DB" --rules "$1" \
        --max-print 5 >"$WORK/oracle.out" 2>&1 || rc=$?
    [ $rc = "$2" ] || { cat "$WORK/oracle.out" >&2; fail "oracle on $(basename "$1") exited $rc, want $2"; }
}
differing() { sed -n "s/^$1: .*differing \([0-9]*\) .*/\1/p" "$WORK/oracle.out"; }

rest_start --seed 17 --orders 200 --auth bearer --strict-params 0
export REST_ORDERS_URL=$REST_URL/v1/offset/orders
rest_admin "/_truth?resource=orders" >"$WORK/truth"
db_create
NOW=(--now "2024-03-08 02:00:00")

note "a run: the oracle computing the masks and hashes finds 0 rows wrong"
sluice_run "$WORK/job.yml" "${NOW[@]}"
judge "$WORK/personal.rules" 0
tail -n 3 "$WORK/oracle.out"
n=$(db_sql "SELECT COUNT(*) FROM rest_orders")
[ "$n" = 200 ] || fail "$n orders, want 200"
[ "$(db_sql "SELECT COUNT(*) FROM rest_orders WHERE zip IS NOT NULL OR customer_email LIKE '%@%'
             OR customer_email NOT REGEXP '^[0-9a-f]{64}\$'")" = 0 ] || fail "a zip or an email in clear"
[ "$(db_sql "SELECT COUNT(*) FROM rest_orders WHERE customer_name LIKE '%*%'")" = 200 ] ||
    fail "customer names are not masked"

note "negative control: the oracle with the clear rules finds every protected column differing"
judge "$SLUICE_SRC/tools/oracle/rest_orders.rules" 1
[ "$(differing rest_orders)" = 200 ] || fail "clear rules: $(differing rest_orders) orders differ, want 200"
[ "$(differing rest_order_items)" -gt 0 ] && [ "$(differing rest_order_item_discounts)" -gt 0 ] ||
    fail "clear rules: the children's protected columns do not differ"

note "rejected records are stored without personal data in clear"
sed -e "s/^columns:\$/quality:\n  - { name: strict_number, column: number, pattern: '^SO-0000\\\\d{4}\$' }\ncolumns:/" \
    -e 's/^  key: \[id\]$/  key: [id]\n  max_rejects: 1000/' \
    "$WORK/job.yml" >"$WORK/strict.yml"
for t in rest_order_item_discounts rest_order_items rest_orders; do db_sql "DELETE FROM $t"; done
db_sql "DELETE FROM sluice_state"
sluice_run "$WORK/strict.yml" "${NOW[@]}"
rejected=$(db_sql "SELECT COUNT(*) FROM sluice_rejects")
[ "$rejected" -gt 50 ] && [ "$rejected" -lt 200 ] || fail "$rejected rejects, want some but not all"
[ "$(db_sql "SELECT COUNT(*) FROM rest_orders")" = $((200 - rejected)) ] || fail "the passing orders were not written"
echo "rejects: $rejected of 200 orders"
db_sql "SELECT raw FROM sluice_rejects" >"$WORK/raw"
# Each personal value of the truth as JSON text, one a line ("Zoë Martín", "Ana \"Nina\" Souza":
# whole, spaces and quotes included, as a JSON dump writes it).
jq -r '.customer | (.email, .name, .address.zip) | select(. != null) | tojson' "$WORK/truth" >"$WORK/personal.values"
leaks_in() { local n=0 v; while IFS= read -r v; do grep -qF -- "$v" "$1" && n=$((n + 1)); done <"$WORK/personal.values"; echo $n; }
values=$(wc -l <"$WORK/personal.values")
[ "$values" -ge 400 ] || fail "only $values personal values in the truth"
[ "$(leaks_in "$WORK/truth")" = "$values" ] || fail "control: the truth itself does not show all its $values personal values"
leaks=$(leaks_in "$WORK/raw")
[ "$leaks" = 0 ] || fail "$leaks personal values of the truth found in clear in the reject table"
[ "$(grep -o "\"sluice_personal\":\"hash\"" "$WORK/raw" | wc -l)" -ge $((rejected / 2)) ] || fail "too few hash markers"
grep -q '"zip"' "$WORK/raw" && fail "a dropped field is stored"

note "rejects replay under the job without the rule: rows written, nothing protected twice"
rc=0
"$SLUICE" rejects replay "$WORK/job.yml" --quiet >"$WORK/replay.out" 2>&1 || rc=$?
[ $rc = 0 ] || { cat "$WORK/replay.out" >&2; fail "replay exited $rc"; }
[ "$(db_sql "SELECT COUNT(*) FROM sluice_rejects")" = 0 ] || fail "rejects left after the replay"
judge "$WORK/personal.rules" 0
tail -n 3 "$WORK/oracle.out"
note "ok"

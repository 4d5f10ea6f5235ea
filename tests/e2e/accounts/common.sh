# common.sh: helpers of the accounts tests (accounts_*.sh), sourced after lib.sh with a
# rest-mock started (--shop-tokens 1: shop N wants the bearer token "test-token-N") and a
# database created. The jobs are mappings/examples/rest_orders.yml with an `accounts` list whose
# ids are the shop ids, so tests/e2e/accounts/rest_orders.rules can check each row's account.
export SHOP1_TOKEN=test-token-1 SHOP2_TOKEN=test-token-2 SHOP3_TOKEN=test-token-3 SHOP4_TOKEN=test-token-4

# job N: the example job with accounts 1..N (account i: shop_id i, token ${env:SHOPi_TOKEN}).
job() {
    local n=$1 i out=$WORK/job$1.yml
    {
        sed -n '/^version: 1$/,/^name: rest_orders$/p' "$SLUICE_SRC/mappings/examples/rest_orders.yml"
        echo "accounts:"
        for i in $(seq 1 "$n"); do
            echo "  - { id: \"$i\", params: { shop_id: $i }, secrets: { token: \"\${env:SHOP${i}_TOKEN}\" } }"
        done
        sed -n '/^source:$/,$p' "$SLUICE_SRC/mappings/examples/rest_orders.yml" |
            sed -e 's/token: "${env:REST_TOKEN}"/token: "${account:token}"/' \
                -e 's/^  records: data$/&\n  errors:\n    - { when: "@status == 401", then: fail, message: message }/'
    } >"$out"
    grep -q 'token: "${account:token}"' "$out" && grep -q '@status == 401' "$out" ||
        fail "the job edit did not apply"
    echo "$out"
}

# truth SHOPS: the truth of those shops' orders (a comma list) in a file, for --truth file:
truth() {
    rest_admin /_truth | jq -c --argjson s "[$1]" 'select(.shop_id as $x | $s | index($x))' >"$WORK/truth.jsonl"
    [ -s "$WORK/truth.jsonl" ] || fail "no truth for shops $1"
}
# oracle SHOPS [DB]: the tables of DB (default the test's) hold exactly the truth of SHOPS.
oracle() {
    truth "$1"
    "$ORACLE" --truth "file:$WORK/truth.jsonl" --db "${2:-$SLUICE_DB}" \
        --rules "$SLUICE_SRC/tests/e2e/accounts/rest_orders.rules" >"$WORK/oracle.out" 2>&1 || {
        cat "$WORK/oracle.out" >&2
        fail "the oracle found differences (shops $1)"
    }
    grep -q "oracle: OK (0 rows wrong)" "$WORK/oracle.out" || fail "oracle: $(tail -n 2 "$WORK/oracle.out")"
    tail -n 1 "$WORK/oracle.out"
}
# oracle_of SHOPS: as oracle, on a copy of the rows of those accounts only (a second database).
oracle_of() {
    local t
    [ -n "${DB2:-}" ] || DB2=$(bash "$SLUICE_SRC/tools/mariadb.sh" createdb "$SLUICE_DB_DIR" "${DB_NAME}_b")
    for t in rest_orders rest_order_items rest_order_item_discounts; do
        db_sql "DROP TABLE IF EXISTS ${DB_NAME}_b.$t"
        db_sql "CREATE TABLE ${DB_NAME}_b.$t AS SELECT * FROM $t WHERE FIND_IN_SET(account, '$1')"
    done
    oracle "$1" "$DB2"
}
wm() { db_sql "SELECT watermark FROM sluice_state WHERE job='rest_orders' AND account='$1'"; }
rows_of() { db_sql "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', id, version, updated_at, total))), 0) FROM rest_orders WHERE account='$1'"; }


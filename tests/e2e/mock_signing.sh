# mock_signing: the mock verifies both Qimen signature layers and the direct body signature by
# recomputing them: changing one byte of any signed value (or of the direct body) is rejected,
# at the layer that covers it; re-signing the same change is accepted.
source "$(dirname "$0")/lib.sh"
CLIENT=$SLUICE_BUILD/tools/wdt-client

mock_start --seed 3 --records 120
expect() {
    local want=$1 got
    shift
    got=$("$CLIENT" --url "$MOCK_URL" "$@")
    [ "$got" = "$want" ] || fail "wdt-client $*: got '$got', want '$want'"
}
OK="status=0 total=120 records=50"

note "correctly signed requests pass"
expect "$OK"
expect "$OK" --route direct

note "Qimen: TOP system params in the query string, business params in the body (merged)"
expect "$OK" --in-query app_key --in-query method --in-query timestamp --in-query format \
    --in-query v --in-query sign_method --in-query sign --in-query target_app_key
expect "code=25 message=Invalid signature" --in-query app_key --in-query sign --tamper params

note "Qimen: one byte of a signed value -> TOP sign (code 25)"
for k in params pager datetime wdt_appkey wdt_salt wdt3_customer_id wdt_sign format v; do
    expect "code=25 message=Invalid signature" --tamper $k
done
note "Qimen: the same byte with a fresh TOP sign -> wdt_sign (status 1)"
for k in params pager datetime wdt_salt; do
    expect "status=1 message=验证失败" --tamper $k --resign-top
done
note "Qimen: both layers re-signed -> accepted (the signatures, not the values, were checked)"
expect "status=0 total=120 records=50" --tamper wdt_salt --resign
note "Qimen: wdt_sign is canonical: whitespace and key order inside params do not matter"
expect "$OK" --set 'params={ "modified_to" : "2024-06-02 00:00:00", "modified_from" : "2024-06-01 00:00:00" }' --resign-top

note "direct: one byte of the body or of a signed query value -> status 1"
expect "status=1 message=验证失败" --route direct --tamper body
for k in salt page_size page_no calc_total sign; do
    expect "status=1 message=验证失败" --route direct --tamper $k
done
expect "status=0 total=0 records=0" --route direct --tamper body --resign # from became 3024
note "ok"

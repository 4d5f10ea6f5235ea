# rest_mock_paging: the second fixture API (tools/rest-mock) walked with curl: every paging
# style (offset, page from 1 and 0, keyset and offset cursors in the body or a header, next
# links in the body or a Link header carrying each style), with the total in the body, a
# header, both or nowhere, returns every record exactly once, in (updated, id) order, equal to
# /_truth; sort=id, the updated window (ISO-8601 and epoch seconds, inclusive or exclusive
# end), filters, shops and their changes; the data set is deterministic from the seed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rest/walk.sh"

rest_start --seed 7 --orders 537 --shops 9
rest_admin /_truth >"$WORK/truth"
[ "$(wc -l <"$WORK/truth")" = 537 ] || fail "truth has $(wc -l <"$WORK/truth") orders, want 537"

note "every paging style walks all orders once, in order, equal to /_truth"
walk offset /v1/orders "$WORK/off"
same_records offset "$WORK/off" "$WORK/truth"
[ "$PAGES" = 6 ] || fail "offset: $PAGES pages for 537 records of 100"
SIZE=47 walk page /v1/page/orders "$WORK/page"
same_records page "$WORK/page" "$WORK/truth"
rest_admin /_admin -d '{"page-base": 0}' >/dev/null
SIZE=200 BASE=0 walk page /v1/page/orders "$WORK/page0"
same_records page0 "$WORK/page0" "$WORK/truth"
for kind in keyset offset; do
    for from in body header; do
        rest_admin /_admin -d "{\"cursor-kind\": \"$kind\", \"cursor-in\": \"$from\"}" >/dev/null
        FROM=$from walk cursor /v1/cursor/orders "$WORK/cur"
        same_records "cursor-$kind-$from" "$WORK/cur" "$WORK/truth"
        [ "$PAGES" = 6 ] || fail "cursor $kind $from: $PAGES pages"
    done
done
for via in offset page cursor; do
    for from in body header; do
        rest_admin /_admin -d "{\"link-via\": \"$via\", \"link-in\": \"$from\", \"page-base\": 1}" >/dev/null
        sz=limit
        [ $via = page ] && sz=per_page
        FROM=$from walk link "/v1/link/orders?status=paid&sort=id&$sz=20" "$WORK/link"
        jq -c 'select(.status == "paid")' "$WORK/truth" | sort -t'"' -k4,4 >"$WORK/paid.byid"
        same_records "link-$via-$from" "$WORK/link" "$WORK/paid.byid"
    done
done
rest_admin /_admin -d '{"link-in": "both", "cursor-in": "both", "cursor-kind": "keyset"}' >/dev/null
rest_get "$REST_URL/v1/orders?_paging=link&limit=500"
[ "$(jq '.data | length' "$WORK/b")" = 500 ] && [ -n "$(next_of link body)" ] || fail "_paging=link"
[[ $(next_of link body) == "$REST_URL/v1/orders?_paging=link&cursor="*"&limit=500" ]] ||
    fail "next link keeps the other parameters: $(next_of link body)"

note "the total: body, X-Total-Count, both, none"
rest_get "$REST_URL/v1/orders?limit=10"
[ "$(jq .total "$WORK/b")" = 537 ] && [ -z "$(header X-Total-Count)" ] || fail "total in the body"
rest_get "$REST_URL/v1/orders?limit=10&_total=header"
[ "$(jq .total "$WORK/b")" = null ] && [ "$(header X-Total-Count)" = 537 ] || fail "total in a header"
rest_get "$REST_URL/v1/orders?limit=10&_total=both"
[ "$(jq .total "$WORK/b")" = 537 ] && [ "$(header X-Total-Count)" = 537 ] || fail "total in both"
rest_admin /_admin -d '{"total": "none"}' >/dev/null
for style in offset page cursor link; do
    SIZE=160 walk $style /v1/$style/orders "$WORK/nototal"
    same_records "no-total-$style" "$WORK/nototal" "$WORK/truth"
    [ "$(jq -s 'map(has("total")) | any' "$WORK/b")" = false ] && [ -z "$(header X-Total-Count)" ] ||
        fail "$style: a total with total=none"
done
rest_get "$REST_URL/v1/page/orders?per_page=100&_total=body"
[ "$(jq .total_pages "$WORK/b")" = 6 ] || fail "total_pages"

note "the updated window: ISO-8601 or epoch seconds, both ends inclusive unless to-exclusive"
with_ms "$WORK/truth" >"$WORK/truth.ms"
line=$(grep -n '"updated_at":"[^"]*:[0-9][0-9]Z"' "$WORK/truth" | sed -n 80p | cut -d: -f1)
to_ms=$(sed -n "${line}p" "$WORK/truth.ms" | cut -f1)
from_ms=$(sed -n 60p "$WORK/truth.ms" | cut -f1)
from_ms=$((from_ms - from_ms % 1000))
from_iso=$(date -u -d "@$((from_ms / 1000 + 28800))" +%Y-%m-%dT%H:%M:%S%%2B08:00) # '+' encoded
to_iso=$(date -u -d "@$((to_ms / 1000))" +%Y-%m-%dT%H:%M:%SZ)
awk -F'\t' -v a="$from_ms" -v b="$to_ms" '$1 >= a && $1 <= b { print $2 }' "$WORK/truth.ms" >"$WORK/win.ids"
[ "$(wc -l <"$WORK/win.ids")" -gt 50 ] || fail "window too small"
walk offset "/v1/orders?updated_from=$from_iso&updated_to=$to_iso" "$WORK/win"
ids "$WORK/win" | cmp -s - "$WORK/win.ids" || fail "ISO window [$from_iso, $to_iso]"
walk cursor "/v1/cursor/orders?updated_from=$((from_ms / 1000))&updated_to=$((to_ms / 1000))" "$WORK/win2"
ids "$WORK/win2" | cmp -s - "$WORK/win.ids" || fail "epoch window"
walk offset "/v1/orders?updated_from=${from_iso/T/%20}&updated_to=${to_iso/Z/%2B0000}" "$WORK/win3"
ids "$WORK/win3" | cmp -s - "$WORK/win.ids" || fail "window with a space and +0000"
rest_admin /_admin -d '{"to-exclusive": 1}' >/dev/null
walk offset "/v1/orders?updated_from=$from_iso&updated_to=$to_iso" "$WORK/winx"
awk -F'\t' -v a="$from_ms" -v b="$to_ms" '$1 >= a && $1 < b { print $2 }' "$WORK/truth.ms" >"$WORK/winx.ids"
ids "$WORK/winx" | cmp -s - "$WORK/winx.ids" || fail "exclusive end"
[ "$(wc -l <"$WORK/winx.ids")" -lt "$(wc -l <"$WORK/win.ids")" ] || fail "the end record is not excluded"
rest_admin /_admin -d '{"to-exclusive": 0}' >/dev/null
rest_admin /_admin -d '{"window-format": "epoch-ms"}' >/dev/null
walk offset "/v1/orders?updated_from=$from_ms&updated_to=$to_ms" "$WORK/winms"
ids "$WORK/winms" | cmp -s - "$WORK/win.ids" || fail "epoch ms window"
rest_get "$REST_URL/v1/orders?updated_from=$from_iso"
[ "$CODE" = 400 ] && grep -q "is not epoch milliseconds" "$WORK/b" || fail "window-format epoch-ms took ISO"
rest_admin /_admin -d '{"window-format": "iso"}' >/dev/null
rest_get "$REST_URL/v1/orders?updated_from=$((from_ms / 1000))"
[ "$CODE" = 400 ] && grep -q "is not ISO-8601" "$WORK/b" || fail "window-format iso took epoch seconds"
rest_admin /_admin -d '{"window-format": "any"}' >/dev/null

note "POST: a form body or a JSON object of parameters reads like the query"
post() { curl -sS -o "$WORK/b" -w '%{http_code}' "${AUTH[@]}" "$@"; }
rest_get "$REST_URL/v1/orders?updated_from=$from_iso&limit=30&offset=10"
jq -c '.data[]' "$WORK/b" >"$WORK/get.page"
[ "$(post -d "updated_from=$from_iso&limit=30&offset=10" "$REST_URL/v1/orders")" = 200 ] || fail "POST form: $(cat "$WORK/b")"
jq -c '.data[]' "$WORK/b" | cmp -s - "$WORK/get.page" || fail "POST form differs from GET"
body="{\"filter\": {\"updated_from\": \"${from_iso/\%2B/+}\"}, \"page\": {\"limit\": 30, \"offset\": 10}}"
[ "$(post -H 'Content-Type: application/json' -d "$body" "$REST_URL/v1/orders")" = 200 ] || fail "POST JSON: $(cat "$WORK/b")"
jq -c '.data[]' "$WORK/b" | cmp -s - "$WORK/get.page" || fail "POST JSON differs from GET"
[ "$(post -H 'Content-Type: application/json' -d '{"limit": [1]}' "$REST_URL/v1/orders")" = 400 ] || fail "a JSON array"
[ "$(post -d 'method=x' "$REST_URL/v1/orders")" = 400 ] || fail "an unknown body parameter"
[ "$(curl -sS -o /dev/null -w '%{http_code}' -X PUT "${AUTH[@]}" "$REST_URL/v1/orders")" = 405 ] || fail "PUT"
rest_admin /_requests | tail -3 | head -1 >"$WORK/req"
[ "$(jq -c '[.method, .params, (.body | fromjson | .page.limit)]' "$WORK/req")" = '["POST",{},30]' ] ||
    fail "the request log of a POST: $(cat "$WORK/req")"

note "sort=id, filters, bad parameters"
walk offset "/v1/orders?sort=id" "$WORK/byid"
ids "$WORK/truth" | sort | cmp -s - <(ids "$WORK/byid") || fail "sort=id"
walk cursor "/v1/cursor/orders?shop_id=3&status=shipped" "$WORK/f"
jq -c 'select(.shop_id == 3 and .status == "shipped")' "$WORK/truth" >"$WORK/f.want"
[ -s "$WORK/f.want" ] || fail "no shipped order of shop 3"
same_records filter "$WORK/f" "$WORK/f.want"
for q in "limit=501" "limit=0" "offset=-1" "sort=name" "updated_from=yesterday" "method=x" \
    "_paging=scroll" "page=1" "cursor=zz"; do
    path=/v1/orders
    [ "$q" = cursor=zz ] && path=/v1/cursor/orders
    rest_get "$REST_URL$path?$q"
    [ "$CODE" = 400 ] && jq -e '.error | type == "string"' "$WORK/b" >/dev/null || fail "$q: HTTP $CODE"
done
rest_admin /_admin -d '{"strict-params": 0}' >/dev/null
rest_get "$REST_URL/v1/orders?method=x"
[ "$CODE" = 200 ] || fail "strict-params 0 still refuses"

note "record shapes"
jq -e -s 'all(.[]; (.id | type == "string" and (tonumber > 9007199254740992))
    and (.total | test("^-?[0-9]+\\.[0-9]{2}$")) and (.total_cents | type == "number")
    and ((.total | sub("\\."; "") | tonumber) == .total_cents)
    and (.customer.address.city | type == "string") and (.items | length >= 1))' "$WORK/truth" >/dev/null ||
    fail "ids, money, nested objects"
for style in '+08:00"' '[0-9]Z"' '\.[0-9]{3}Z"' '\.[0-9]{6}\+08:00"'; do
    grep -qE "\"updated_at\":\"[^\"]*$style" "$WORK/truth" || fail "no updated_at in style $style"
done
grep -q '"paid_at":null' "$WORK/truth" && grep -qE '"paid_at":[0-9]{10},' "$WORK/truth" || fail "paid_at"
[ "$(jq '[.items[].discounts[]] | length' "$WORK/truth" | sort -u | wc -l)" -gt 2 ] || fail "discounts"
[ -z "$(jq '.items[].id' "$WORK/truth" | sort | uniq -d)" ] || fail "item ids not unique"
[ -z "$(jq '.items[].discounts[].id' "$WORK/truth" | sort | uniq -d)" ] || fail "discount ids not unique"

note "shops: paged like orders; added and deleted ones show in the truth and the pages"
rest_admin '/_truth?resource=shops' >"$WORK/shops"
[ "$(wc -l <"$WORK/shops")" = 9 ] || fail "9 shops"
SIZE=4 walk offset /v1/shops "$WORK/shops.paged"
same_records shops "$WORK/shops.paged" "$WORK/shops"
rest_admin /_admin -d '{"add_shops": 2, "delete_shops": [3, 5]}' >/dev/null
rest_admin '/_truth?resource=shops' >"$WORK/shops2"
[ "$(jq -r .id "$WORK/shops2" | sort -n | tr '\n' ' ')" = "1 2 4 6 7 8 9 10 11 " ] || fail "shops after changes"
SIZE=4 walk cursor /v1/cursor/shops "$WORK/shops2.paged"
same_records shops2 "$WORK/shops2.paged" "$WORK/shops2"
curl -sS -o /dev/null -w '%{http_code}' -d '{"delete_shops": [3]}' "$REST_URL/_admin" | grep -qx 400 ||
    fail "deleting a deleted shop"

note "deterministic from the seed"
rest_start --seed 7 --orders 537 --shops 9
rest_admin /_truth | cmp -s - "$WORK/truth" || fail "same seed, different data"
rest_start --seed 8 --orders 537 --shops 9
rest_admin /_truth >"$WORK/truth8"
! cmp -s "$WORK/truth8" "$WORK/truth" || fail "another seed, same data"
note "ok"

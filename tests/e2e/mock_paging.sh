# mock_paging: paging a window with correctly signed requests, the union of pages
# 0..ceil(total/size)-1 equals /_truth for that window, on both routes and for several page
# sizes; both window ends are inclusive; filters, ordering, defaults and record shapes; the
# data set is deterministic from the seed.
source "$(dirname "$0")/lib.sh"
CLIENT=$SLUICE_BUILD/tools/wdt-client

mock_start --seed 11 --records 3000 --from "2024-06-01 00:00:00" --to "2024-06-08 00:00:00"
W=(--from "2024-06-02 00:00:00" --to "2024-06-03 12:00:00")

# same_as_truth NAME client-args...: pages the window and compares with /_truth's window.
same_as_truth() {
    local name=$1 size=50 a
    shift
    for a in "$@"; do [ "${prev:-}" = --page-size ] && size=$a; prev=$a; done
    "$CLIENT" --url "$MOCK_URL" --all "$@" >"$WORK/$name.paged" 2>"$WORK/$name.log"
    [ -s "$WORK/$name.want" ] || fail "$name: empty truth"
    cmp -s "$WORK/$name.paged" "$WORK/$name.want" || fail "$name: pages differ from /_truth"
    local total pages n
    total=$(grep -o 'total=[0-9]*' "$WORK/$name.log" | cut -d= -f2)
    pages=$(grep -o 'pages=[0-9]*' "$WORK/$name.log" | cut -d= -f2)
    n=$(wc -l <"$WORK/$name.want")
    [ "$total" = "$n" ] || fail "$name: total_count $total, truth has $n"
    [ "$pages" = $(((n + size - 1) / size)) ] || fail "$name: $pages pages for $n records of $size"
    note "$name: $n records in $pages pages match /_truth"
}

note "union of pages = truth, both routes, several page sizes"
"$CLIENT" --url "$MOCK_URL" "${W[@]}" --truth >"$WORK/win.want"
for r in qimen direct; do
    for size in 50 7 1000; do
        cp "$WORK/win.want" "$WORK/$r$size.want"
        same_as_truth "$r$size" --route $r "${W[@]}" --page-size $size
    done
done
cp "$WORK/win.want" "$WORK/minutes.want"
same_as_truth minutes --from "2024-06-02 00:00" --to "2024-06-03 12:00"

note "both ends inclusive, and records sharing one second"
mock_admin /_truth | awk 'match($0, /"modified":[0-9]+/) {print substr($0, RSTART + 11, RLENGTH - 11)}' |
    sort | uniq -d >"$WORK/shared"
ms=$(sed -n 1p "$WORK/shared")
[ -n "$ms" ] || fail "no two records share a second"
T=$(date -u -d "@$((ms / 1000 + 28800))" '+%Y-%m-%d %H:%M:%S')
"$CLIENT" --url "$MOCK_URL" --from "$T" --to "$T" --truth >"$WORK/point.want"
[ "$(wc -l <"$WORK/point.want")" -ge 2 ] || fail "window [$T, $T] should hold >= 2 records"
same_as_truth point --from "$T" --to "$T" --page-size 1

note "filters: shop_nos, status (int and list), type, stockin_status, refund_no"
filter_truth() { grep -E "$1" "$WORK/win.want" >"$WORK/$2.want" || true; }
filter_truth '"shop_no":"shop0[13]","shop_platform_id"' shops
same_as_truth shops "${W[@]}" --param shop_nos=shop01,shop03
filter_truth '"status":30,"stockin_status"' st30
same_as_truth st30 "${W[@]}" --param status=30 --route direct
filter_truth '"status":(30|90),"stockin_status"' st3090
same_as_truth st3090 "${W[@]}" --param 'status="30,90"'
filter_truth '"type":2,"warehouse_type"' type2
same_as_truth type2 "${W[@]}" --param type=2
filter_truth '"stockin_status":1,"sub_platform_id"' stockin1
same_as_truth stockin1 "${W[@]}" --param stockin_status=1
no=$(grep -o '"refund_no":"TK[0-9]*"' "$WORK/win.want" | sed -n 5p | cut -d'"' -f4)
filter_truth "\"refund_no\":\"$no\"" one
same_as_truth one --no-window --param refund_no=$no

note "order_type 1 is the exact reverse of order_type 0"
"$CLIENT" --url "$MOCK_URL" "${W[@]}" --all --format order >"$WORK/asc" 2>/dev/null
"$CLIENT" --url "$MOCK_URL" "${W[@]}" --all --format order --param order_type=1 >"$WORK/desc" 2>/dev/null
tac "$WORK/desc" | cmp -s - "$WORK/asc" || fail "order_type 1 is not the reverse"

note "paging edges: past the end, default page size, page_no from 0"
n=$(wc -l <"$WORK/win.want")
got=$("$CLIENT" --url "$MOCK_URL" "${W[@]}" --page 1000)
[ "$got" = "status=0 total=$n records=0" ] || fail "page past the end: $got"
got=$("$CLIENT" --url "$MOCK_URL" "${W[@]}" --set 'pager={"page_no":0}' --resign)
[ "$got" = "status=0 total=$n records=40" ] || fail "default page size: $got"
"$CLIENT" --url "$MOCK_URL" "${W[@]}" --all --format order --param order_type=0 >"$WORK/asc0" 2>/dev/null
cmp -s "$WORK/asc0" "$WORK/asc" || fail "order_type 0 is not the default order"
"$CLIENT" --url "$MOCK_URL" "${W[@]}" --all --format order --page-size 1 >"$WORK/by1" 2>/dev/null
first=$(sed -n 1p "$WORK/by1")
[ "$first" = "$(head -1 "$WORK/asc")" ] || fail "page_no 0 is not the first page"

note "record shapes (wdt-api.md section 3)"
mock_admin /_truth >"$WORK/truth.raw"
lines=$(wc -l <"$WORK/truth.raw")
[ "$(grep -cE '"created":[0-9]{13},"modified":[0-9]{13},"modified_date":"[0-9-]{10} [0-9:]{8}"' "$WORK/truth.raw")" = "$lines" ] ||
    fail "created/modified are not epoch ms with modified_date"
! grep -qE '":-?[0-9]+\.[0-9]{3,}[,}]' "$WORK/truth.raw" || fail "an amount has more than 2 decimals"
grep -q '"settle_time":""' "$WORK/truth.raw" && grep -q '"check_time":"2024-' "$WORK/truth.raw" || fail "unset times"
grep -q '"fenxiao_nick_name"' "$WORK/truth.raw" || fail "fenxiao_nick_name never present"
[ "$(grep -c '"fenxiao_nick_name"' "$WORK/truth.raw")" -lt "$lines" ] || fail "fenxiao_nick_name never omitted"
[ "$(grep -c '"swap_order"' "$WORK/truth.raw")" = "$(grep -c '"type":3,' "$WORK/truth.raw")" ] || fail "swap_order not only for type 3"
[ -z "$(grep -o '"rec_id":[0-9]*' "$WORK/truth.raw" | sort | uniq -d)" ] || fail "rec_id not unique"
grep -q '快递' "$WORK/truth.raw" || fail "no Chinese text"
longest() { grep -o "\"$1\":\"[^\"]*\"" "$WORK/truth.raw" | LC_ALL=C awk -v k=${#1} '{ if (length($0) - k - 5 > m) m = length($0) - k - 5 } END { print m + 0 }'; }
for f in refund_no shop_no pay_id src_tids raw_refund_nos trade_no_list; do
    [ "$(longest $f)" -le 64 ] || fail "$f longer than 64 bytes"
done
for f in goods_name spec_name buyer_nick receiver_name; do
    [ "$(longest $f)" -le 128 ] || fail "$f longer than 128 bytes"
done
[ "$(longest remark)" -le 255 ] || fail "remark longer than 255 bytes"
n_lines=$(grep -o '"detail_list":\[[^]]*\]' "$WORK/truth.raw" | awk -F'"rec_id"' '{ print NF - 1 }' | sort -u | tr '\n' ' ')
[ "$n_lines" = "1 2 3 4 " ] || fail "detail_list sizes are '$n_lines', want 1 to 4"

note "deterministic from the seed"
url=$MOCK_URL
mock_start --seed 11 --records 3000 --from "2024-06-01 00:00:00" --to "2024-06-08 00:00:00"
mock_admin /_truth >"$WORK/truth.again"
cmp -s "$WORK/truth.again" "$WORK/truth.raw" || fail "same seed, different data"
mock_start --seed 12 --records 3000 --from "2024-06-01 00:00:00" --to "2024-06-08 00:00:00"
mock_admin /_truth >"$WORK/truth.other"
! cmp -s "$WORK/truth.other" "$WORK/truth.raw" || fail "another seed, same data"
MOCK_URL=$url
note "ok"

# mock_mutation: with mutation on, records move out of the window while it is paged, and naive
# first-to-last paging misses records (the count is printed); the data clock and the admin
# changes ("second run picks up changes") behave as documented.
source "$(dirname "$0")/lib.sh"
CLIENT=$SLUICE_BUILD/tools/wdt-client
NOW="2024-06-09 00:00:00"

mock_start --seed 5 --records 2000 --from "2024-06-01 00:00:00" --to "2024-06-08 00:00:00" \
    --now "$NOW" --mutate 2 --mutate-insert 1
W=(--from "2024-06-02 00:00:00" --to "2024-06-04 00:00:00")

note "naive forward paging under mutation misses records"
"$CLIENT" --url "$MOCK_URL" "${W[@]}" --truth --format ids | sort >"$WORK/before"
"$CLIENT" --url "$MOCK_URL" "${W[@]}" --all --format ids 2>"$WORK/all.log" | sort >"$WORK/paged"
total=$(grep -o 'total=[0-9]*' "$WORK/all.log" | cut -d= -f2)
pages=$(grep -o 'pages=[0-9]*' "$WORK/all.log" | cut -d= -f2)
[ "$total" = "$(wc -l <"$WORK/before")" ] || fail "first page's total $total != truth before paging"
missed=$(comm -23 "$WORK/before" "$WORK/paged" | wc -l)
note "naive paging saw $(wc -l <"$WORK/paged") of $total records in $pages pages: missed $missed"
[ "$missed" -gt 0 ] || fail "mutation did not make naive paging miss anything"

note "the moved records now sit at the data clock's now, goods lines edited"
"$CLIENT" --url "$MOCK_URL" --from "$NOW" --to "$NOW" --truth >"$WORK/now.json"
moved=$(wc -l <"$WORK/now.json")
[ "$moved" = $((pages * 3)) ] || fail "$moved records at now, want $pages pages x (2 moved + 1 new)"
grep -o '"modified_date":"[^"]*"' "$WORK/now.json" | sort -u | grep -qvx "\"modified_date\":\"$NOW\"" &&
    fail "a moved record or line kept an old modified_date"
"$CLIENT" --url "$MOCK_URL" "${W[@]}" --truth --format ids | sort >"$WORK/after"
[ "$(comm -13 "$WORK/before" "$WORK/after" | wc -l)" = 0 ] || fail "records entered a past window"
[ "$(wc -l <"$WORK/after")" = $((total - pages * 2)) ] || fail "window did not lose exactly the moved records"

note "data clock and admin changes"
mock_admin /_admin -X POST -d '{"mutate": 0, "mutate-insert": 0, "now": "2024-06-10 00:00:00"}' >/dev/null
mock_admin /_admin -X POST -d '{"advance_seconds": 90}' | grep -q '"now":"2024-06-10 00:01:30"' || fail "advance_seconds"
n0=$(mock_admin /_truth | wc -l)
mock_admin /_admin -X POST -d '{"add_records": 5, "modify_records": 3}' >/dev/null
[ "$(mock_admin /_truth | wc -l)" = $((n0 + 5)) ] || fail "add_records"
"$CLIENT" --url "$MOCK_URL" --from "2024-06-10 00:01:30" --to "2024-06-10 00:01:30" --truth --format ids >"$WORK/changed"
[ "$(wc -l <"$WORK/changed")" = 8 ] || fail "$(wc -l <"$WORK/changed") records changed at the clock, want 8"
got=$("$CLIENT" --url "$MOCK_URL" --from "2024-06-10 00:00:00" --to "2024-06-10 01:00:00")
[ "$got" = "status=0 total=8 records=8" ] || fail "a later window does not serve the changes: $got"
note "ok"

# rest_mock_mutation: records changing while paging in tools/rest-mock, at a point fixed by
# mutate-after and the seed. A keyset cursor reader in updated order misses nothing (moved
# records come again at the end); offset paging and an offset cursor, the negative controls,
# miss records, unless they page in id order; /_truth then holds the changed state (new
# versions, a grandchild gone or added, inserted orders); the same seed changes the same records.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rest/walk.sh"

CHANGE=(--mutate-after 3 --mutate-every 2 --mutate-update 6 --mutate-insert 2)

# run STYLE [flags...]: a fresh mock, a walk in STYLE (in QUERY's order, default updated);
# sets MISSED (truth records the walk never saw), EXTRA (seen twice or more: moved ones) and
# keeps the truth before and after.
run() {
    local style=$1
    shift
    rest_start --seed 21 --orders 400 "${CHANGE[@]}" "$@"
    rest_admin /_truth >"$WORK/before"
    SIZE=30 walk "$style" "/v1/$style/orders${QUERY:-}" "$WORK/walk"
    rest_admin /_truth >"$WORK/after"
    MISSED=$(comm -23 <(ids "$WORK/after" | sort) <(ids "$WORK/walk" | sort -u) | wc -l)
    EXTRA=$(($(wc -l <"$WORK/walk") - $(ids "$WORK/walk" | sort -u | wc -l)))
    note "$style $*: $(wc -l <"$WORK/walk") read, $MISSED missed, $EXTRA again"
}

run cursor
[ "$MISSED" = 0 ] || fail "keyset cursor missed $MISSED records"
[ "$EXTRA" -gt 0 ] || fail "no moved record was read again"
mutations=$(rest_admin /_stats | jq .mutations)
[ "$mutations" -ge 3 ] || fail "only $mutations changes"
[ "$(wc -l <"$WORK/after")" = $((400 + 2 * mutations)) ] || fail "inserted orders missing from the truth"
# The last read of each record is its final state, equal to the truth's.
tac "$WORK/walk" | jq -c -s 'unique_by(.id) | sort_by(.id)[]' >"$WORK/last"
jq -c -s 'sort_by(.id)[]' "$WORK/after" >"$WORK/after.byid"
cmp -s "$WORK/last" "$WORK/after.byid" || fail "the last read of each record is not its final state"
cp "$WORK/after" "$WORK/cursor.after"

note "the changes: versions, statuses, discounts (a grandchild comes or goes)"
changed=$(jq -c -s 'map({key: .id, value: .}) | from_entries' "$WORK/before" >"$WORK/b.map"
    jq -c --slurpfile b "$WORK/b.map" 'select($b[0][.id] != null and $b[0][.id].version != .version)
        | [.version - $b[0][.id].version, .status != $b[0][.id].status,
           (.items[0].discounts | length) != ($b[0][.id].items[0].discounts | length)]' "$WORK/after" |
    sort -u | tr '\n' ' ')
[[ $changed == *"[1,true,true]"* ]] || fail "changed records: $changed"

note "negative controls: offset paging and an offset cursor miss records"
run offset
[ "$MISSED" -gt 0 ] || fail "offset paging missed nothing: the control shows no loss"
run cursor --cursor-kind offset
[ "$MISSED" -gt 0 ] || fail "an offset cursor missed nothing"

note "in id order (ids grow with creation) offset paging misses nothing: no record moves"
QUERY='?sort=id' run offset
[ "$MISSED" = 0 ] && [ "$EXTRA" = 0 ] || fail "offset paging by id: $MISSED missed, $EXTRA again"

note "deterministic: the same seed changes the same records"
run cursor
cmp -s "$WORK/after" "$WORK/cursor.after" || fail "the same seed, another final state"

note "an admin change: now, then mutate over all orders"
rest_admin /_admin -d '{"now": "2024-03-10T12:00:00+08:00", "mutate": {"update": 3, "insert": 1}}' >/dev/null
rest_admin /_truth | tail -4 >"$WORK/tail"
[ "$(jq -r .updated_at "$WORK/tail" | sort -u | wc -l)" -ge 1 ] &&
    grep -q '"updated_at":"2024-03-1[01]T' "$WORK/tail" || fail "changes are not at the clock: $(cat "$WORK/tail")"
[ "$(rest_admin /_admin | jq -r .now)" = "2024-03-10T12:00:01+08:00" ] || fail "the clock did not move on"
note "ok"

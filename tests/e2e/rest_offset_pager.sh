#!/usr/bin/env bash
# rest_offset_pager: the pager `offset` (engine/page/offset.c) against tools/rest-mock's offset
# paging (a form POST, the total in the body, records in updated order). Records change while
# paging: changed orders move to the data clock, after the run's end, so they leave the window
# (docs/sync-rules.md rule 1). Backward paging with the count check syncs every order that stayed
# in the window (ids compared with /_truth, over three seeds); the negative control, the same
# pager read first to last without the count check (validate warns about it), misses some.
source "$(dirname "$0")/lib.sh"

CHANGE=(--mutate-after 3 --mutate-every 2 --mutate-update 6 --mutate-insert 2)

# job ORDER CHECK_TOTAL: the job file, reading /v1/offset/orders (ids and versions) into rest_ids.
job() {
    cat >"$WORK/job.yml" <<EOF
version: 1
name: rest_offset
source:
  endpoint: $REST_URL/v1/offset/orders
  method: orders
  signer: { type: none }
  window:
    from_param: updated_from
    to_param: updated_to
    timezone: "+08:00"
    start: "2024-03-01 00:00:00"
    max_span: 8d
  paging:
    type: offset
    offset_param: offset
    limit_param: limit
    limit: 30
    total: total
    order: $1
    check_total: $2
  records: data
target:
  dsn: \${env:SLUICE_DB}
  table: rest_ids
  key: [id]
columns:
  id: { path: id, type: bigint, required: true }
  version: { path: version, type: int }
EOF
}

# sync SEED ORDER CHECK_TOTAL: a fresh mock and table, one run over 2024-03-01 00:00 .. 03-08
# 00:30 (the mock's clock, where changed orders go, is 01:00); sets MISSED: orders of the truth before the
# run that are still in the window (unchanged) after it and not in the table.
sync() {
    rest_start --seed "$1" --orders 400 --auth none --strict-params 0 "${CHANGE[@]}"
    rest_admin /_truth >"$WORK/before"
    db_sql "DROP TABLE IF EXISTS rest_ids"
    job "$2" "$3"
    sluice_run "$WORK/job.yml" --from "2024-03-01 00:00:00" --to "2024-03-08 00:30:00"
    rest_admin /_truth >"$WORK/after"
    local m
    m=$(rest_admin /_stats | jq .mutations)
    [ "$m" -ge 3 ] || fail "seed $1: the records changed $m times, want 3 or more"
    jq -r '"\(.id) \(.version)"' "$WORK/before" | sort >"$WORK/b"
    jq -r '"\(.id) \(.version)"' "$WORK/after" | sort >"$WORK/a"
    comm -12 "$WORK/b" "$WORK/a" | cut -d' ' -f1 | sort >"$WORK/stayed"
    db_sql "SELECT id FROM rest_ids" | sort >"$WORK/synced"
    MISSED=$(comm -23 "$WORK/stayed" "$WORK/synced" | wc -l)
    note "seed $1, $2, check_total $3: $(wc -l <"$WORK/stayed") stayed, $MISSED missed," \
        "$(summary_field requests) requests"
}

db_create
for seed in 21 22 23; do
    sync "$seed" backward true
    [ "$MISSED" = 0 ] || fail "seed $seed: backward offset paging missed $MISSED orders"
    [ "$(wc -l <"$WORK/stayed")" -gt 300 ] || fail "seed $seed: too few orders stayed"
done

note "the request: offset and limit as form parameters, the last page first"
first=$(rest_admin /_requests | jq -r 'select(.path == "/v1/offset/orders") | .body' | head -n 3 |
    sed -n 's/.*&offset=\([0-9]*\)&limit=30$/\1/p' | paste -sd,)
[ "$first" = "0,390,360" ] || fail "offsets asked first: $first, want 0,390,360"

note "negative control: first to last without the count check loses orders"
lost=0
for seed in 21 22 23; do
    sync "$seed" forward false
    lost=$((lost + MISSED))
done
[ "$lost" -gt 0 ] || fail "forward offset paging without the count check lost nothing"

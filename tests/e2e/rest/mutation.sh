# mutation.sh: what tests/e2e/rest_mutation_*.sh share (source it after lib.sh): a pager reads
# tools/rest-mock's orders while they change (changed orders move to the data clock, after the
# run's end, so they leave the window: docs/sync-rules.md rule 1; a few are inserted there too).
# A pager that claims no missed records must sync every order that stayed in the window, seed
# after seed; its negative control (the same pager with its guard off) must miss some, or the
# test cannot tell a guard from luck. Small data and no latency: one seed takes about a second.

MUT_SEEDS=${MUT_SEEDS:-20}
MUT_CHANGE=(--mutate-after 2 --mutate-every 2 --mutate-update 4 --mutate-insert 1)

# mut_job PATH PAGING_YAML: a GET job reading $REST_URL/v1/PATH (ids and versions) into rest_ids.
mut_job() {
    cat >"$WORK/job.yml" <<YML
version: 1
name: rest_mutation
source:
  endpoint: $REST_URL/v1/$1
  method: ""
  signer: { type: none }
  request: { method: GET }
  window: { from_param: updated_from, to_param: updated_to, format: iso8601,
            timezone: "+08:00", start: "2024-03-01 00:00:00", max_span: 8d }
  paging: $2
  records: data
  limits: { calls_per_minute: 60000 }
target:
  dsn: \${env:SLUICE_DB}
  table: rest_ids
  key: [id]
columns:
  id: { path: id, type: bigint, required: true }
  version: { path: version, type: int }
YML
}

# mut_sync SEED PATH PAGING_YAML [mock flags...]: a fresh mock and table, one run over
# 2024-03-01 00:00 .. 03-08 00:30 (the mock's clock, where changed orders go, is 01:00); sets
# MISSED (orders of the truth before the run still in the window, unchanged, after it and not
# in the table) and STAYED.
mut_sync() {
    local seed=$1 path=$2 paging=$3
    shift 3
    rest_start --seed "$seed" --orders 150 --auth none "${MUT_CHANGE[@]}" "$@"
    rest_admin /_truth >"$WORK/before"
    db_sql "DROP TABLE IF EXISTS rest_ids"
    mut_job "$path" "$paging"
    sluice_run "$WORK/job.yml" --from "2024-03-01 00:00:00" --to "2024-03-08 00:30:00"
    rest_admin /_truth >"$WORK/after"
    local m
    m=$(rest_admin /_stats | jq .mutations)
    [ "$m" -ge 2 ] || fail "seed $seed: the records changed $m times, want 2 or more"
    kill "$REST_PID"; wait "$REST_PID" 2>/dev/null || true
    jq -r '"\(.id) \(.version)"' "$WORK/before" | sort >"$WORK/b"
    jq -r '"\(.id) \(.version)"' "$WORK/after" | sort >"$WORK/a"
    comm -12 "$WORK/b" "$WORK/a" | cut -d' ' -f1 | sort >"$WORK/stayed"
    db_sql "SELECT id FROM rest_ids" | sort >"$WORK/synced"
    STAYED=$(wc -l <"$WORK/stayed")
    MISSED=$(comm -23 "$WORK/stayed" "$WORK/synced" | wc -l)
}

# mut_claim NAME PATH PAGING_YAML [mock flags...]: MUT_SEEDS seeds, 0 missed in each.
mut_claim() {
    local name=$1
    shift
    local seed
    for seed in $(seq 101 $((100 + MUT_SEEDS))); do
        mut_sync "$seed" "$@"
        [ "$STAYED" -gt 100 ] || fail "$name, seed $seed: only $STAYED orders stayed"
        [ "$MISSED" = 0 ] || fail "$name, seed $seed: missed $MISSED of $STAYED orders"
    done
    echo "$name: $MUT_SEEDS seeds, 0 missed"
}

# mut_control NAME PATH PAGING_YAML [mock flags...]: the guard off loses orders within
# MUT_SEEDS seeds (it stops at the first loss); fails when it loses none.
mut_control() {
    local name=$1
    shift
    local seed
    for seed in $(seq 101 $((100 + MUT_SEEDS))); do
        mut_sync "$seed" "$@"
        if [ "$MISSED" -gt 0 ]; then
            echo "$name (negative control): seed $seed missed $MISSED of $STAYED orders"
            return 0
        fi
    done
    fail "$name (negative control): lost nothing in $MUT_SEEDS seeds: the test can't tell"
}

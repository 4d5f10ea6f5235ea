#!/usr/bin/env bash
# nmo_mutation: no missed orders while the source changes during paging (issue 4). For each
# seed, the mock moves 5% of the window's records to its clock "now" after every page it
# serves, and inserts new ones; one run syncs, then changes stop and a later run picks up the
# moved records: the oracle must find 0 differences. The same scenario with forward paging and
# no total check must lose rows (the oracle finds missing ones), so the harness can see loss.
# NMO_SEEDS (seed list), NMO_RECORDS and NMO_LOSS_SEEDS size it; tools/fault-matrix.sh runs
# the heavy variant. Prints a "figures" line.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nmo/common.sh"

SEEDS=${NMO_SEEDS:-"1 2 3"}
LOSS_SEEDS=${NMO_LOSS_SEEDS:-"1"}
RECORDS=${NMO_RECORDS:-2000}
DAYS=2
SHARE=0.05                              # 5% of the window's records per page
INSERT=$((RECORDS / DAYS / 100))         # and 1% new ones
# Every moved record lands in the mock's one second "now": let a window hold them all.
CAP="s/max_records: 5000/max_records: $((RECORDS * 3))/"
FORWARD=$WORK/forward.yml
mv "$(nmo_job "$CAP" 's/order: backward/order: forward\n    check_total: false/')" "$FORWARD"
BACKWARD=$(nmo_job "$CAP")
t0=$(date +%s)

# one_seed SEED JOB: prints the oracle's count of missing rows (0 = none) after the two runs.
one_seed() {
    local seed=$1 job=$2
    mock_start --seed "$seed" --records "$RECORDS" --from "2024-01-01 00:00:00" \
        --to "2024-01-02 23:59:59" --now "2024-01-03 00:30:00" \
        --mutate-share "$SHARE" --mutate-insert "$INSERT"
    db_fresh "${seed}_$RANDOM"
    sluice_run "$job" --now "2024-01-03 00:10:00"
    RR=$((RR + $(run_figure rereads)))
    local moved
    moved=$(mock_stat pages)
    # Changes stop; the next run covers the mock's "now", where the moved records went.
    mock_admin /_admin -X POST -d '{"mutate_share":0,"mutate_insert":0}' >/dev/null
    sluice_run "$job" --now "2024-01-03 01:00:00"
    oracle_count
    MISSING=$ORACLE_MISSING
    [ $ORACLE_RC -eq 0 ] || [ "$MISSING" -gt 0 ] || MISSING=1 # other differences count too
    mock_stop
    echo "seed $seed: $moved pages served under mutation, missing $MISSING"
}

RR=0; runs=0; missed=0
for s in $SEEDS; do
    one_seed "$s" "$BACKWARD"
    runs=$((runs + 2)); missed=$((missed + MISSING))
    [ "$MISSING" -eq 0 ] || { cat "$WORK/oracle.out" >&2; fail "seed $s: backward paging lost rows"; }
done
lost=0
for s in $LOSS_SEEDS; do
    one_seed "$s" "$FORWARD"
    lost=$((lost + MISSING))
    [ "$MISSING" -gt 0 ] || fail "seed $s: forward paging without the total check lost nothing;" \
        "the harness can't see loss"
done
echo "figures: scenario=mutation seeds=$(echo $SEEDS | wc -w) runs=$runs missed=$missed" \
     "rereads=$RR forward_seeds=$(echo $LOSS_SEEDS | wc -w) forward_missed=$lost" \
     "elapsed=$(($(date +%s) - t0))s"
echo "nmo_mutation: ok"

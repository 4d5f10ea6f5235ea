#!/usr/bin/env bash
# sink_mysql_unit: runs the MySQL sink's integration checks (tests/unit/test_sink_mysql.c:
# migrate, writes with children, rejects, watermark, add/rename migrations, the run lock, a
# killed connection replayed, a real deadlock; in each target.load mode: statements, bulk,
# load_data) against the private MariaDB as the engine user.
source "$(dirname "$0")/lib.sh"
db_create
SLUICE_TEST_DB=$SLUICE_DB "$SLUICE_BUILD/tests/test_sink_mysql" | tee "$WORK/out"
grep -q skipped "$WORK/out" && fail "the sink checks were skipped"
echo "sink_mysql_unit: ok"

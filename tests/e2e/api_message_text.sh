#!/usr/bin/env bash
# api_message_text: an API error message is outside text (issue 9 items 3 and 12). The mock
# refuses every call with a long Chinese message holding a terminal escape, CR and LF; the
# error rule quotes it cut at 300 bytes, which once fell inside a character: the run's record
# stayed "running" (its UPDATE failed on invalid UTF-8), stderr got invalid UTF-8 and the raw
# controls (a forged log line), and the failure alert was "not sent: out of memory". Now the
# run exits 4; stderr, the run record's message and the alert's message are valid UTF-8 with
# the controls escaped and hold exactly the message's first 300 bytes cut on a character. A run
# record that cannot be completed (here a message column shrunk by hand) is a warning on stderr.
source "$(dirname "$0")/lib.sh"

mock_start --seed 3 --records 20 --from "2024-01-01 00:00:00" --to "2024-01-01 20:00:00" \
    --now "2024-01-02 00:05:00"
db_create
MSG=$(python3 -c 'print("错误\u001b[31m红\r\n2024-01-02T00:10:00Z sluice ok: 伪造的日志行!" + "很长的说明" * 40, end="")')
python3 -c 'import json, sys; print(json.dumps({"refuse": {"status": 42, "message": sys.argv[1]}}))' \
    "$MSG" >"$WORK/refuse.json"
mock_admin /_admin -X POST --data-binary @"$WORK/refuse.json" >/dev/null
export SLUICE_ALERT_WEBHOOK="$MOCK_URL/_webhook"
JOB=$(job_copy wdt_refund 's/^name: wdt_refund/name: api_message_text/')
printf 'alerts:\n  webhook: ${env:SLUICE_ALERT_WEBHOOK}\n  format: json\n  on: [failure]\n' >>"$JOB"

rc=0
"$SLUICE" run "$JOB" --now "2024-01-02 00:10:00" --quiet >"$WORK/run.out" 2>"$WORK/run.err" || rc=$?
cat "$WORK/run.out" "$WORK/run.err"
[ $rc -eq 4 ] || fail "the run exited $rc, want 4"
db_sql "SELECT status, message FROM sluice_runs" >"$WORK/runs.tsv"
mock_admin /_webhook >"$WORK/alerts.txt"
python3 - "$MSG" "$WORK/run.err" "$WORK/runs.tsv" "$WORK/alerts.txt" <<'PY' || fail "the message is not as expected"
import json, sys
msg, err_path, runs_path, alerts_path = sys.argv[1:5]
cut = msg.encode()[:300].decode("utf-8", errors="ignore")  # whole characters only
assert len(cut.encode()) < 300, "the test's message must be cut inside a character"
esc = cut.replace("\x1b", "\\x1b").replace("\r", "\\r").replace("\n", "\\n")
for name, raw in (("stderr", open(err_path, "rb").read()), ("runs", open(runs_path, "rb").read()),
                  ("alerts", open(alerts_path, "rb").read())):
    text = raw.decode("utf-8")  # strict: invalid UTF-8 fails here
    assert "\x1b" not in text and "\r" not in text, name + " holds a raw control character"
    if name == "runs":  # one row; mariadb's batch output doubles backslashes
        status, message = text.rstrip("\n").split("\t")
        assert status == "source", "run status " + status
        message = message.replace("\\\\", "\\")
    elif name == "alerts":
        lines = text.splitlines()
        assert len(lines) == 1, "%d alerts" % len(lines)
        message = json.loads(lines[0])["message"]
    else:
        lines = [l for l in text.splitlines() if l.startswith("sluice: error:")]
        assert len(lines) == 1, text
        message = lines[0]
    assert "the API refused window" in message and esc in message, (name, message)
    assert message.index(esc) + len(esc) == len(message) or not message[message.index(esc) + len(esc)] in "很长的说明", \
        (name, "more than 300 bytes of the message", message)
PY
note "a run record that cannot be completed is a warning, never silent"
db_sql "DELETE FROM sluice_runs; ALTER TABLE sluice_runs MODIFY message VARCHAR(8)"
rc=0
"$SLUICE" run "$JOB" --now "2024-01-02 00:10:00" --quiet >"$WORK/run2.out" 2>"$WORK/run2.err" || rc=$?
cat "$WORK/run2.err"
[ $rc -eq 4 ] || fail "the run exited $rc, want 4"
grep -q "^sluice: warning: the run record was not completed: .*message" "$WORK/run2.err" ||
    fail "no warning that the run record was not completed"
echo "api_message_text: ok"

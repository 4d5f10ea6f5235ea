# A window.format of 5,000 bytes (issue 9 item 14: validate passed, run exited 70).
python3 - "$HOSTILE_DIR/replies/job.yml" <<'PY'
import sys
job = open(sys.argv[1]).read()
job = job.replace("    start: ", "    format: \"" + "%Y" * 2500 + "\"\n    start: ")
open("job.yml", "w").write(job)
PY

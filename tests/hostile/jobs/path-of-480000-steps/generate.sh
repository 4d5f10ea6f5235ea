# A column path of 480,000 steps (issue 9 item 5: validate passed, then dry-run segfaulted in a
# recursive free).
python3 - "$HOSTILE_DIR/replies/job.yml" <<'PY'
import sys
job = open(sys.argv[1]).read()
path = ".".join("a" for i in range(480000))
job = job.replace("name: { path: name,", "name: { path: %s," % path)
open("job.yml", "w").write(job)
PY

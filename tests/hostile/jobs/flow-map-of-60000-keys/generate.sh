# A params flow map of 60,000 keys (issue 9 item 5: a quadratic duplicate check, 3 min 22 s).
python3 - "$HOSTILE_DIR/replies/job.yml" <<'PY'
import sys
job = open(sys.argv[1]).read()
params = "{ " + ", ".join("p%d: %d" % (i, i) for i in range(60000)) + " }"
job = job.replace("  signer: { type: none }", "  signer: { type: none }\n  params: " + params)
open("job.yml", "w").write(job)
PY

# Params nested 100,000 flow lists deep.
python3 - "$HOSTILE_DIR/replies/job.yml" <<'PY'
import sys
job = open(sys.argv[1]).read()
job = job.replace("  signer: { type: none }", "  signer: { type: none }\n  params: { deep: " + "[" * 100000 + "]" * 100000 + " }")
open("job.yml", "w").write(job)
PY

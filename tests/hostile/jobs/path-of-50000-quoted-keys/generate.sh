# A column path of 50,000 quoted keys (a 400 KB file; issue 9 item 5: 6.7 GB in validate).
python3 - "$HOSTILE_DIR/replies/job.yml" <<'PY'
import sys
job = open(sys.argv[1]).read()
path = ".".join("\"k%d\"" % i for i in range(50000))
job = job.replace("name: { path: name,", "name: { path: '%s'," % path)
open("job.yml", "w").write(job)
PY

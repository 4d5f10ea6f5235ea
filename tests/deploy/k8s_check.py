"""k8s_check.py ROOT: the Kubernetes manifests of tools/deploy/kubernetes parse, and each
CronJob runs one shipped job file (mappings/) one pod at a time (concurrencyPolicy Forbid),
non-root, with CPU and memory limits, the job file mounted where its args say, and a Secret in
the same folder holding every ${env:NAME} that job file reads."""
import glob
import os
import re
import sys

import yaml

ROOT = sys.argv[1]
fails = []


def bad(msg):
    fails.append(msg)


def load(root):
    docs = []
    for path in sorted(glob.glob(os.path.join(root, "tools/deploy/kubernetes/*.yaml"))):
        with open(path, encoding="utf-8") as f:
            for doc in yaml.safe_load_all(f):
                if doc is None:
                    continue
                name = (doc.get("metadata") or {}).get("name", "")
                if not doc.get("apiVersion") or not doc.get("kind"):
                    bad(f"{path}: a document without apiVersion or kind")
                if not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", name or ""):
                    bad(f"{path}: metadata.name '{name}' is not a DNS-1123 label")
                docs.append((path, doc))
    return docs


def check_container(path, c, pod, secrets, mounts):
    limits = (c.get("resources") or {}).get("limits") or {}
    if "cpu" not in limits or "memory" not in limits:
        bad(f"{path}: container {c['name']} has no cpu and memory limits")
    if not (pod.get("securityContext") or {}).get("runAsNonRoot"):
        bad(f"{path}: the pod does not set runAsNonRoot")
    jobs = [a for a in c.get("args", []) if a.endswith((".yml", ".yaml"))]
    if c.get("args", [None])[0] != "run" or len(jobs) != 1:
        bad(f"{path}: args {c.get('args')} are not 'run JOB.yml'")
        return
    job = jobs[0]
    if os.path.dirname(job) not in mounts:
        bad(f"{path}: {job} is not under a mounted folder {sorted(mounts)}")
    shipped = os.path.join(ROOT, "mappings", os.path.basename(job))
    if not os.path.exists(shipped):
        bad(f"{path}: {job} is no shipped job file (mappings/)")
        return
    with open(shipped, encoding="utf-8") as f:
        wanted = set(re.findall(r"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}", f.read()))
    given = set()
    for ref in c.get("envFrom", []):
        name = (ref.get("secretRef") or {}).get("name")
        if name not in secrets:
            bad(f"{path}: envFrom names Secret '{name}', not in tools/deploy/kubernetes")
        given |= set(secrets.get(name, {}))
    if wanted - given:
        bad(f"{path}: the job reads {sorted(wanted - given)}, which no Secret gives")


def check_cronjob(path, doc, secrets):
    spec = doc["spec"]
    if spec.get("concurrencyPolicy") != "Forbid":
        bad(f"{path}: concurrencyPolicy is not Forbid")
    if len(str(spec.get("schedule", "")).split()) != 5:
        bad(f"{path}: schedule '{spec.get('schedule')}' is not 5 cron fields")
    pod = spec["jobTemplate"]["spec"]["template"]["spec"]
    volumes = {v["name"] for v in pod.get("volumes", [])}
    for c in pod["containers"]:
        mounts = set()
        for m in c.get("volumeMounts", []):
            if m["name"] not in volumes:
                bad(f"{path}: mount of unknown volume {m['name']}")
            mounts.add(m["mountPath"])
        check_container(path, c, pod, secrets, mounts)


def main():
    docs = load(ROOT)
    secrets = {d["metadata"]["name"]: {**(d.get("stringData") or {}), **(d.get("data") or {})}
               for _, d in docs if d.get("kind") == "Secret"}
    cronjobs = [(p, d) for p, d in docs if d.get("kind") == "CronJob"]
    if not cronjobs:
        bad("no CronJob in tools/deploy/kubernetes")
    for path, doc in cronjobs:
        check_cronjob(path, doc, secrets)
    for msg in fails:
        print("FAIL: " + msg, file=sys.stderr)
    return 1 if fails else 0


sys.exit(main())

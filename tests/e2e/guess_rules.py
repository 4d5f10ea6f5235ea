#!/usr/bin/env python3
# guess_rules.py JOB: restates a job printed by `sluice guess` as sluice-oracle rules
# (tools/oracle/rules.c): one `col` per column of a type the oracle knows, datetime from epoch
# ms or s, "YYYY-MM-DD HH:MM:SS" text, or ISO-8601 (`from: auto`); the parent table and the child
# tables the oracle can key (one bigint of a list at the record's top level). The e2e guess
# tests check what the guessed job wrote against the mock's truth under these rules.
import re, sys

col = re.compile(r'^( +)("?[^":]+"?):\s+\{ (.*) \}')
kv = re.compile(r'(\w+): ("(?:[^"\\]|\\.)*"|[^,]+)')
known = re.compile(r'^(bigint|int|bool|datetime|varchar\(\d+\)|decimal\(\d+,\d+\))$')
tables, cur = [], None
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("  table: ") and cur is None:
        cur = {"name": line.split()[1], "each": None, "cols": []}; tables.append(cur)
    elif line.startswith("  key: [") and len(tables) == 1:
        tables[0]["key"] = line.split("[")[1].split("]")[0]
    elif line.startswith("  - table: "):
        cur = {"name": line.split()[2], "cols": []}; tables.append(cur)
    elif line.startswith("    each: "):
        cur["each"] = line.split()[1]
    elif line.startswith("    key: ["):
        cur["key"] = line.split("[")[1].split("]")[0]
    elif cur is not None and (m := col.match(line)):
        name = m.group(2).strip('"')
        o = {k: v.strip().strip('"') for k, v in kv.findall(m.group(3))}
        if "from_parent" in o:
            cur["cols"].append(f"col {name} parent {o['from_parent']}")
        elif known.match(o["type"]) and o.get("from", "string") in ("string", "epoch_ms", "epoch_s", "auto"):
            extra = [f"from={o['from'].replace('auto', 'iso')}"] if "from" in o else []
            extra += [f"tz={o['timezone']}"] if "timezone" in o else []
            extra += ["required"] if o.get("required") == "true" else []
            cur["cols"].append(" ".join(["col", name, o["type"], o["path"]] + extra))
for i, t in enumerate(tables):
    bigkey = any(c.startswith(f"col {t['key']} bigint ") for c in t["cols"])
    if i and (not bigkey or "." in t["each"] or "," in t["key"]):
        continue  # the oracle keys a child by one bigint of a top-level list
    print(f"table {t['name']} {t['key']}" if not i else f"child {t['name']} {t['key']} each={t['each'][:-3]}")
    print("\n".join(t["cols"]))

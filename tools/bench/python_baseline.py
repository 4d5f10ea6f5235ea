#!/usr/bin/env python3
"""python_baseline.py: the plain-Python loader that tools/bench/run.sh compares sluice with.

Does the same sync as mappings/wdt_refund.yml, the way a hand-written script would: one-day
windows over [--from, --to], a probe of page 0 for total_count, then pages last..0 (the same
requests sluice makes), json.loads, a tuple per row, pymysql executemany with REPLACE INTO
(pymysql turns it into multi-row statements), one commit per window. Qimen route and signing
as in /work/shared/wdt-api.md 1a; credentials from the same environment variables as the job.
Not a test. Prints "rows N child_rows M seconds S".

Usage: python_baseline.py --endpoint URL --db mysql://user:pass@host:port/db
                          --from "YYYY-MM-DD HH:MM:SS" --to "YYYY-MM-DD HH:MM:SS"
"""
import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import time
import urllib.parse
import urllib.request

import pymysql

TZ = dt.timezone(dt.timedelta(hours=8))
PAGE = 50
BATCH = 1000

# (column, path, kind, width): kinds int, str, trunc (varchar, truncate), dec, ms (epoch ms,
# +08:00), dt (datetime string, "" = NULL), bool.
PARENT = [
    ("refund_id", "int"), ("src_tids", "str"), ("refund_no", "str"), ("remark", "trunc", 1024),
    ("type", "int"), ("stockin_status", "int"), ("flag_name", "str"),
    ("return_goods_count", "dec"), ("receiver_telno", "str"), ("receiver_name", "str"),
    ("modified", "ms"), ("note_count", "int"), ("shop_no", "str"), ("from_type", "int"),
    ("created", "ms"), ("settle_time", "dt"), ("check_time", "dt"),
    ("return_logistics_no", "str"), ("trade_no_list", "str"), ("guarantee_refund_amount", "dec"),
    ("return_goods_amount", "dec"), ("return_logistics_name", "str"), ("reason_name", "str"),
    ("refund_reason", "str"), ("buyer_nick", "str"), ("operator_name", "str"),
    ("actual_refund_amount", "dec"), ("revert_reason_name", "str"),
    ("return_warehouse_no", "str"), ("direct_refund_amount", "dec"), ("receive_amount", "dec"),
    ("customer_name", "str"), ("fenxiao_nick_name", "str0"), ("status", "int"),
    ("shop_id", "int"), ("trade_id", "int"), ("raw_refund_nos", "str"), ("pay_id", "str"),
    ("provider_refund_no", "str"),
]
CHILD = [
    ("rec_id", "int"), ("refund_id", "parent"), ("oid", "str"), ("tid", "str"),
    ("trade_no", "str"), ("goods_no", "str"), ("goods_name", "trunc", 255), ("spec_no", "str"),
    ("spec_name", "trunc", 255), ("barcode", "str"), ("num", "dec"), ("price", "dec"),
    ("original_price", "dec"), ("refund_num", "dec"), ("total_amount", "dec"),
    ("refund_amount", "dec"), ("is_guarantee", "bool"), ("created", "dt"), ("modified", "ms"),
]


def value(rec, col):
    v = rec.get(col[0])
    kind = col[1]
    if kind == "dec":
        return 0 if v is None else v
    if kind == "str0":
        return "" if v is None else v
    if v is None:
        return None
    if kind == "ms":
        return dt.datetime.fromtimestamp(v / 1000, TZ).strftime("%Y-%m-%d %H:%M:%S")
    if kind == "dt":
        return v or None
    if kind == "bool":
        return 1 if v else 0
    if kind == "trunc":
        return v[: col[2]]
    return v


def ser(v):
    """wdt_sign serialisation: sorted keys, key then value, recursively."""
    if isinstance(v, dict):
        return "".join(k + ser(v[k]) for k in sorted(v) if v[k] is not None)
    if isinstance(v, list):
        return "".join(ser(x) for x in v)
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def request(endpoint, frm, to, page):
    now = dt.datetime.now(TZ).strftime("%Y-%m-%d %H:%M:%S")
    secret, salt = os.environ["WDT_APPSECRET"].split(":", 1)
    params = {"modified_from": frm, "modified_to": to}
    pager = {"page_no": page, "page_size": PAGE}
    method = "wdt.aftersales.refund.refund.search"
    biz = {"datetime": now, "method": method, "params": params, "pager": pager,
           "wdt_appkey": os.environ["WDT_APPKEY"], "wdt_salt": salt}
    form = {
        "app_key": os.environ["QIMEN_APP_KEY"], "method": method, "timestamp": now,
        "format": "json", "v": "2.0", "sign_method": "md5",
        "target_app_key": os.environ["QIMEN_TARGET_APP_KEY"], "datetime": now,
        "params": json.dumps(params, separators=(",", ":")),
        "pager": json.dumps(pager, separators=(",", ":")),
        "wdt_appkey": biz["wdt_appkey"], "wdt_salt": salt,
        "wdt3_customer_id": os.environ["WDT_SID"],
        "wdt_sign": md5(secret + ser(biz) + secret),
    }
    top = os.environ["QIMEN_APP_SECRET"]
    form["sign"] = md5(top + "".join(k + form[k] for k in sorted(form)) + top).upper()
    body = urllib.parse.urlencode(form).encode()
    with urllib.request.urlopen(endpoint, body, timeout=30) as r:
        doc = json.loads(r.read())
    data = doc["response"]["data"]
    return data["total_count"], data.get("order") or []


def sql(table, cols):
    names = ",".join("`%s`" % c[0] for c in cols)
    return "REPLACE INTO `%s` (%s) VALUES (%s)" % (table, names, ",".join(["%s"] * len(cols)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--from", dest="frm", required=True)
    ap.add_argument("--to", required=True)
    a = ap.parse_args()
    u = urllib.parse.urlparse(a.db)
    db = pymysql.connect(host=u.hostname, port=u.port or 3306, user=u.username,
                         password=urllib.parse.unquote(u.password or ""),
                         database=u.path.lstrip("/"), charset="utf8mb4", autocommit=False)
    cur = db.cursor()
    q_parent = sql("aftersales_refund_refund_search", PARENT)
    q_child = sql("aftersales_refund_refund_search_detail", CHILD)
    fmt = "%Y-%m-%d %H:%M:%S"
    t = dt.datetime.strptime(a.frm, fmt)
    end = dt.datetime.strptime(a.to, fmt)
    n_rows = n_child = 0
    t0 = time.monotonic()
    while t <= end:
        w_to = min(t + dt.timedelta(days=1), end)
        frm, to = t.strftime(fmt), w_to.strftime(fmt)
        total, _ = request(a.endpoint, frm, to, 0)
        rows, child = [], []
        for page in range((total + PAGE - 1) // PAGE - 1, -1, -1):
            _, recs = request(a.endpoint, frm, to, page)
            for rec in recs:
                rows.append(tuple(value(rec, c) for c in PARENT))
                rid = rec.get("refund_id")
                for d in rec.get("detail_list") or []:
                    child.append(tuple(rid if c[1] == "parent" else value(d, c) for c in CHILD))
            if len(rows) >= BATCH or page == 0:
                cur.executemany(q_parent, rows)
                if child:
                    cur.executemany(q_child, child)
                n_rows += len(rows)
                n_child += len(child)
                rows, child = [], []
        db.commit()
        t = w_to
        if t == end:
            break
    print("rows %d child_rows %d seconds %.2f" % (n_rows, n_child, time.monotonic() - t0))


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""latency_proxy.py: a slow API in front of wdt-mock for scenario (a) of tools/bench/run.sh.

Why: wdt-mock's --latency-ms sleeps inside a libmicrohttpd pool thread, and every keep-alive
connection stays on the pool thread that accepted it; two connections on one thread wait for each
other (wdt-client --bench, 5 connections, 400 ms: 5 pages/s of 193 KiB instead of 12.5). This
proxy gives each connection its own thread: it waits LATENCY ms, then forwards the request to the
mock (which applies the per-minute limit on arrival, as the real API does) and relays the reply.
The concurrency limit is applied here, over the whole request including the wait: more than
--concurrency requests in flight get the API's status 100 "并发" reply. The highest number in
flight is written to --stats on exit (SIGTERM).

Usage: latency_proxy.py --upstream http://127.0.0.1:PORT --latency-ms 400 --concurrency 5
                        --port-file F [--stats F]
"""
import argparse
import http.client
import http.server
import json
import signal
import sys
import threading
import time
import urllib.parse

CONC_BODY = json.dumps({"response": {"status": 100, "message": "超过每分钟最大并发次数限制，请稍后重试"}},
                       ensure_ascii=False).encode()


class State:
    def __init__(self, a):
        self.a = a
        self.up = urllib.parse.urlparse(a.upstream)
        self.lock = threading.Lock()
        self.inflight = 0
        self.max_inflight = 0
        self.refused = 0
        self.local = threading.local()

    def enter(self):
        with self.lock:
            self.inflight += 1
            self.max_inflight = max(self.max_inflight, self.inflight)
            over = self.a.concurrency > 0 and self.inflight > self.a.concurrency
            self.refused += over
            return not over

    def leave(self):
        with self.lock:
            self.inflight -= 1

    def conn(self):
        c = getattr(self.local, "conn", None)
        if c is None:
            c = self.local.conn = http.client.HTTPConnection(self.up.hostname, self.up.port)
        return c


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def relay(self, method):
        st = self.server.state
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        ok = st.enter()
        try:
            if ok:
                time.sleep(st.a.latency_ms / 1000.0)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("content-type", "content-length")}
                c = st.conn()
                c.request(method, self.path, body, headers)
                r = c.getresponse()
                status, ctype, data = r.status, r.getheader("Content-Type"), r.read()
            else:
                status, ctype, data = 200, "application/json; charset=utf-8", CONC_BODY
        finally:
            st.leave()
        self.send_response(status)
        self.send_header("Content-Type", ctype or "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        self.relay("POST")

    def do_GET(self):
        self.relay("GET")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--latency-ms", type=int, default=400)
    ap.add_argument("--concurrency", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--stats")
    a = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.state = State(a)

    def stop(*_):
        if a.stats:
            with open(a.stats, "w") as f:
                json.dump({"max_inflight": srv.state.max_inflight,
                           "refused": srv.state.refused}, f)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    with open(a.port_file, "w") as f:
        f.write(str(srv.server_address[1]))
    srv.serve_forever()


if __name__ == "__main__":
    main()

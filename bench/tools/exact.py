#!/usr/bin/env python3
"""Quota exactness under concurrency (standard library only).

usage: exact.py URL TOKEN BODY_FILE N

Sends N requests at once (N threads released together by a barrier, one connection each) to
URL with the bearer TOKEN and the JSON body in BODY_FILE, and prints one JSON object:
{"n": N, "status": {"200": k, "429": m, ...}, "wall_ms": ...}. The bench points it at two hosts
behind nginx with a tier that allows L requests: exactly L answers may be 200.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    url, token, body_file, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    body = open(body_file, "rb").read()
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (("?" + parts.query) if parts.query else "")
    barrier = threading.Barrier(n)
    statuses, lock = {}, threading.Lock()

    def one():
        code = "error"
        try:
            con = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
            con.connect()
            barrier.wait(timeout=60)
            con.request("POST", path, body=body, headers={
                "Content-Type": "application/json", "Authorization": "Bearer " + token, "X-Bench-Exact": "1"})
            response = con.getresponse()
            response.read()
            code = str(response.status)
            con.close()
        except Exception as error:  # a refused or broken connection is a result too
            code = "error:" + type(error).__name__
        with lock:
            statuses[code] = statuses.get(code, 0) + 1

    threads = [threading.Thread(target=one) for _ in range(n)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"n": n, "status": dict(sorted(statuses.items())), "wall_ms": round((time.perf_counter() - t0) * 1000, 1)}))


if __name__ == "__main__":
    main()

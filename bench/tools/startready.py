#!/usr/bin/env python3
"""Start-to-ready time of `vigor serve`: spawn it, poll GET /ready every ~1 ms until it answers
200, stop it (SIGTERM, then wait), N times; prints JSON with every sample and the median (ms).

usage: startready.py RUNS PORT TEMPLATE_DB WORK_DIR -- COMMAND...
  Each run copies TEMPLATE_DB (an already migrated database, as a restarted host finds it)
  to WORK_DIR/ready-N.sqlite; "{db}" in COMMAND is replaced by that path. With TEMPLATE_DB
  "-" every run starts on a missing file (first start: migrations included).
"""
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time

runs, port, template, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
command = sys.argv[sys.argv.index("--") + 1:]


def ready():
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=0.5)
        c.request("GET", "/ready")
        ok = c.getresponse().status == 200
        c.close()
        return ok
    except OSError:
        return False


samples = []
for i in range(runs):
    db = os.path.join(work, f"ready-{i}.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    if template != "-":
        shutil.copyfile(template, db)
    argv = [a.replace("{db}", db) for a in command]
    log = open(os.path.join(work, f"ready-{i}.log"), "w")
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
    ok = False
    while time.perf_counter() - t0 < 30:
        if proc.poll() is not None:
            break
        if ready():
            ok = True
            break
        time.sleep(0.001)
    elapsed = (time.perf_counter() - t0) * 1000
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()
    if not ok:
        raise SystemExit(f"run {i}: not ready within 30 s (see {log.name})")
    samples.append(round(elapsed, 1))
print(json.dumps({"runs": runs, "samples_ms": samples, "median_ms": round(statistics.median(samples), 1),
                  "min_ms": min(samples), "migrated_db": template != "-"}))

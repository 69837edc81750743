#!/usr/bin/env python3
"""Time to first byte of a streaming chat completion: N sequential requests (concurrency 1)
with ONE curl process over one keep-alive connection (a curl config with N `next` blocks),
after a few unrecorded warm-up requests. Reports medians of curl's time_starttransfer
(first response byte) and time_total (last byte), in ms.

usage: ttfb.py N URL BODY_FILE TOKEN(or "") WORK_FILE_PREFIX [curl prefix command...]
  e.g. ttfb.py 200 http://127.0.0.1:18081/v1/chat/completions body.json sk-... /tmp/x taskset -c 0
"""
import json
import statistics
import subprocess
import sys

n, url, body_file, token, prefix = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
runner = sys.argv[6:]
WARMUP = 20


def block(write_out):
    lines = [
        f'url = "{url}"',
        'request = "POST"',
        f'data-binary = "@{body_file}"',
        'header = "Content-Type: application/json"',
        'header = "Accept: text/event-stream"',
        f'output = "{prefix}.last.out"',
        f'write-out = "{write_out}"',
    ]
    if token:
        lines.append(f'header = "Authorization: Bearer {token}"')
    return "\n".join(lines) + "\n"


cfg = f"{prefix}.curlrc"
with open(cfg, "w") as f:
    f.write("next\n".join(block("%{http_code} %{time_starttransfer} %{time_total} %{size_download}\\n")
                          for _ in range(WARMUP + n)))
out = subprocess.run(runner + ["curl", "-s", "--max-time", "600", "-K", cfg], capture_output=True, text=True, check=True).stdout
rows = [line.split() for line in out.splitlines() if line.strip()]
rows = rows[WARMUP:]
bad = [r for r in rows if r[0] != "200"]
if len(rows) != n or bad:
    raise SystemExit(f"ttfb: {len(rows)} answers, {len(bad)} not 200 (first: {bad[:1]})")
ttfb = [float(r[1]) * 1000 for r in rows]
total = [float(r[2]) * 1000 for r in rows]
print(json.dumps({
    "n": n, "ttfb_p50_ms": round(statistics.median(ttfb), 3),
    "ttfb_p90_ms": round(sorted(ttfb)[int(0.9 * n) - 1], 3),
    "total_p50_ms": round(statistics.median(total), 3),
    "bytes_p50": int(statistics.median(float(r[3]) for r in rows)),
}))

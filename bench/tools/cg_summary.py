#!/usr/bin/env python3
"""Per-request instruction costs of the request path's parts, from a callgrind dump.

usage: cg_summary.py CALLGRIND_OUT REQUESTS
Reads `callgrind_annotate --inclusive=yes` (demangled with `swift demangle --simplified`) and,
for each part below, takes the largest inclusive count among the functions matching it
(wrappers such as `partial apply for ...` repeat the same cost). Parts overlap (e.g. the
quota ledger contains SQLite statement compilation); each is a share of the whole.
Async functions are split at suspension points, so only synchronous subtrees (the database
work on GRDB's queues, plugin calls, JSON coding) are attributed completely.
"""
import re
import subprocess
import sys

out_file, requests = sys.argv[1], int(sys.argv[2])
text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out_file],
                      capture_output=True, text=True, check=True).stdout
text = subprocess.run(["swift", "demangle", "--simplified"], input=text, capture_output=True, text=True, check=True).stdout

total = None
rows = []
for line in text.splitlines():
    m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)", line)
    if not m:
        continue
    count = int(m.group(1).replace(",", ""))
    if "PROGRAM TOTALS" in line:
        total = count
        continue
    rows.append((count, m.group(2)))
if total is None:
    total = max(c for c, _ in rows)

PARTS = [
    ("database: all write transactions (GRDB writer queue)", r"closure #1 in DatabaseWriter\.write<A>"),
    ("  quota reserve transaction", r"closure #1 in SQLiteQuotaLedger\.reserve"),
    ("    QuotaLimits.load (tier, caps, budget reads)", r"QuotaLimits\.load"),
    ("    reserveUser (day/week/month)", r"SQLiteQuotaLedger\.reserveUser"),
    ("    reserveProvider", r"SQLiteQuotaLedger\.reserveProvider"),
    ("    reserveGlobal", r"SQLiteQuotaLedger\.reserveGlobal"),
    ("  usage settle transaction (usage log + counters)", r"closure #1 in SQLiteQuotaLedger\.settle"),
    ("SQLite: statement compilation (sqlite3_prepare_v3)", r"sqlite3_prepare_v3"),
    ("  GRDB authorizer callbacks during compilation", r"StatementAuthorizer\.authorize"),
    ("  GRDB DatabaseRegion.union (observation bookkeeping)", r"DatabaseRegion\.union"),
    ("SQLite: statement execution (sqlite3_step)", r"^\?\?\?:sqlite3_step "),
    ("plugin calls through the C ABI (host encode + plugin + host decode)", r"PluginComponentHandle\.invoke<A, B>"),
    ("  inside the plugin (on_invoke)", r"Thunks\.onInvoke"),
    ("JSONEncoder.encode (all callers)", r"^\?\?\?:JSONEncoder\.encode<A>"),
    ("JSONDecoder.decode (all callers)", r"^\?\?\?:JSONDecoder\.decode<A>"),
    ("egress: AsyncHTTPClient send (sync part)", r"Egress\.send"),
    ("streaming: plugin stream parser (on_stream_feed, all chunks)", r"Thunks\.onStreamFeed"),
    ("streaming: chunk framing to the client (EventStream.frame)", r"EventStream\.frame<A>"),
    ("rate-limit headers (RouteServices.rateLimitStatus)", r"RouteServices\.rateLimitStatus"),
    ("auth: Authenticator.identity (API key / JWT)", r"Authenticator\.identity\(for"),
    ("request body collect + decode (JSONBody)", r"JSONBody\.decode<A>"),
    ("response JSON (JSONResponse.make)", r"JSONResponse\.make"),
    ("logging (swift-log StreamLogHandler)", r"StreamLogHandler\.log"),
    ("metrics (HostMetrics)", r"HostMetrics\."),
    ("plugin folder watcher (timer)", r"PluginWatcher\.rescan"),
]
print(f"callgrind: {total:,} instructions over {requests} requests = {total / requests / 1e6:.2f} M instructions per request\n")
print(f"{'part':<70}{'M instr/req':>12}{'share':>8}")
for name, pattern in PARTS:
    rx = re.compile(pattern)
    best = max((c for c, fn in rows if rx.search(fn)), default=0)
    print(f"{name:<70}{best / requests / 1e6:>12.3f}{100 * best / total:>7.1f}%")

#!/usr/bin/env python3
"""Per-request CPU of the request path's parts, from a `perf record -g` profile under load.

usage: perf_parts.py PERF_DATA CPU_US_PER_REQUEST

Reads `perf report --children` (inclusive: a function and everything it called, as far as the
frame-pointer call chains reach) and `--sort dso` (self time per library), demangled with
`swift demangle --simplified`. For each part below it takes the largest inclusive share among
the functions matching it (wrappers repeat the same cost) and turns it into microseconds per
request with the CPU the bench measured for the process over the same load. Parts overlap
(the ledger contains SQLite work; the route contains almost everything); each is a share of
the whole. Async functions are split at suspension points, so only synchronous subtrees (the
database work on GRDB's queues, plugin calls, JSON coding, logging) are attributed completely.
"""
import re
import subprocess
import sys

PARTS = [
    ("database: all GRDB writes (writer queue)", r"DatabaseWriter\.write|DatabasePool\.write|asyncWriteWithoutTransaction|SerializedDatabase\.(sync|async)"),
    ("  quota ledger: reserve", r"QuotaLedger\.reserve|QuotaLedger\+Reserve|reserveUser|reserveProvider|reserveGlobal"),
    ("  quota ledger: settle / usage record", r"QuotaLedger\.settle|recordUsage|UsageStore"),
    ("  group commit (GroupCommit.drain/run: the ledger's transactions)", r"GroupCommit\.(drain|run)"),
    ("  baseline: UsageLog.record", r"UsageLog\.record"),
    ("database: reads (GRDB reader pool)", r"DatabasePool\.read|DatabaseReader\.read"),
    ("SQLite: sqlite3_step", r"^sqlite3_step$"),
    ("SQLite: sqlite3_prepare", r"^sqlite3_prepare"),
    ("SQLite: WAL / fsync path (sqlite3WalFrames)", r"sqlite3WalFrames|walFrames|unixSync"),
    ("auth: authenticator (API key / JWT)", r"Authenticator|APIKeyAuthenticator|JWTAuthenticator|authenticate\("),
    ("auth: SHA-256 / HMAC / bcrypt", r"SHA256|HMAC|bcrypt|BCrypt"),
    ("plugin calls through the C ABI", r"PluginComponentHandle\.invoke|Thunks\.onInvoke"),
    ("JSON: Foundation JSONEncoder/JSONDecoder", r"JSONEncoder\.encode|JSONDecoder\.decode"),
    ("JSON: wire coding (WireWriter/WireParser)", r"WireWriter|WireParser|WireEncodable|WireDecodable"),
    ("logging (swift-log handlers)", r"LogHandler\.log|Logger\.log|StreamLogHandler\.log"),
    ("  log line formatting (StreamLogHandler.prettify)", r"StreamLogHandler\.prettify"),
    ("metrics (swift-metrics / Prometheus)", r"Prometheus|CoreMetrics|HostMetrics|Counter\.increment|Timer\.record|Histogram"),
    ("  request metrics middleware (RequestMetricsMiddleware.handle)", r"RequestMetricsMiddleware\.handle"),
    ("safety screen (SafetyScreenedCoachAI, SafetyScreen.assess)", r"SafetyScreenedCoachAI\.(chat|decide)|SafetyScreen\.assess"),
    ("router / AI route", r"AIRouter|Router\.route|ChatRoute|OpenAICompat"),
    ("egress: AsyncHTTPClient (sync parts)", r"HTTPClient\.execute|Egress\.send|HTTPConnectionPool|HTTP1ClientChannelHandler"),
    ("Hummingbird: HTTP server channel + responder", r"HTTPServerBuilder|HTTP1Channel|HTTPChannelHandler|RouterResponder|Hummingbird"),
    ("NIO: event loop run", r"SelectableEventLoop\.run|NIOPosix"),
    ("swift runtime: retain/release", r"^swift_(retain|release|bridgeObjectRetain|bridgeObjectRelease)"),
    ("swift runtime: allocation (swift_allocObject, malloc, free)", r"^swift_allocObject$|^malloc$|^free$|^_int_malloc$|^_int_free$|^cfree"),
    ("swift runtime: exclusivity checks", r"swift_beginAccess|swift_endAccess"),
    ("swift concurrency: task switching / jobs", r"swift_task_|swift_job_|swift::runJobInEstablishedExecutorContext"),
    ("kernel: syscalls (entry_SYSCALL_64)", r"entry_SYSCALL_64"),
    ("kernel: epoll", r"do_epoll_wait|ep_poll"),
    ("kernel: TCP send/receive", r"tcp_sendmsg|tcp_recvmsg|__tcp_push|tcp_v4_rcv"),
    ("kernel: futex", r"futex"),
    ("kernel: file writes (pwrite/fdatasync)", r"ksys_pwrite64|ext4_file_write|do_fsync|fdatasync|ext4_sync_file"),
]


SWIFT_PREFIX = re.compile(r"^(?:(?:partial apply for|closure #\d+ (?:in|of)|implicit closure #\d+ in|thunk for|reabstraction thunk helper(?: from)?|"
                          r"merged|specialized|generic specialization <[^>]*> of|function signature specialization <[^>]*> of|"
                          r"outlined \w+(?: \w+)* of|\(\d+\) (?:suspend|await) resume partial function for|"
                          r"async function pointer to|protocol witness for|key path getter for|lazy protocol witness table accessor for type|"
                          r"type metadata accessor for|value witness for|dispatch thunk of|static|@objc)\s+)*")


def module_of(dso, sym):
    """The Swift module of a demangled symbol (`NIOCore.ByteBuffer.x` -> NIOCore), else the library."""
    if dso.startswith("["):
        return "kernel"
    if "sqlite3" in dso:
        return "libsqlite3 (SQLite)"
    rest = SWIFT_PREFIX.sub("", sym)
    m = re.match(r"\(?([A-Z_][A-Za-z0-9_]*)\.", rest)
    if m and m.group(1) not in ("Swift",):
        return "Swift module " + m.group(1)
    if m and m.group(1) == "Swift":
        return "Swift standard library (generic code)"
    return dso


def run(args):
    return subprocess.run(args, capture_output=True, text=True).stdout


def demangle(text):
    out = subprocess.run(["swift", "demangle", "--simplified"], input=text, capture_output=True, text=True)
    return out.stdout if out.returncode == 0 else text


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    data, cpu_us = sys.argv[1], float(sys.argv[2])
    children = demangle(run(["perf", "report", "-i", data, "--children", "--sort", "symbol", "--stdio", "-g", "none",
                             "--percent-limit", "0.05"]))
    rows = []
    for line in children.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+([\d.]+)%\s+\[[.k]\]\s+(.*)", line)
        if m:
            # perf appends empty IPC columns ("-  -") to each line.
            rows.append((float(m.group(1)), float(m.group(2)), re.sub(r"(\s+-)+\s*$", "", m.group(3)).strip()))
    print(f"{'part (inclusive; parts overlap)':<66}{'share':>8}{'us/req':>9}")
    for name, pattern in PARTS:
        rx = re.compile(pattern)
        best = max((c for c, _, sym in rows if rx.search(sym)), default=0.0)
        print(f"{name:<66}{best:>7.1f}%{best * cpu_us / 100:>9.1f}")
    print("\nself time by library (perf report --sort dso):")
    dso = run(["perf", "report", "-i", data, "--no-children", "--sort", "dso", "--stdio", "-g", "none"])
    for line in dso.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\S.*)", line)
        if m and float(m.group(1)) >= 0.5:
            share = float(m.group(1))
            print(f"  {m.group(2).strip():<64}{share:>7.1f}%{share * cpu_us / 100:>9.1f}")
    # Self time by Swift module (the demangled name's module prefix) or library: robust even
    # where call chains are cut, and it says whose code the CPU is spent in.
    self_rows = run(["perf", "report", "-i", data, "--no-children", "--sort", "dso,symbol", "--stdio", "-g", "none",
                     "--percent-limit", "0.01"])
    full = subprocess.run(["swift", "demangle"], input=self_rows, capture_output=True, text=True).stdout or self_rows
    modules = {}
    for line in full.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\S+)\s+\[[.k]\]\s+(.*)", line)
        if not m:
            continue
        share, dso, sym = float(m.group(1)), m.group(2), re.sub(r"(\s+-)+\s*$", "", m.group(3)).strip()
        key = module_of(dso, sym)
        modules[key] = modules.get(key, 0.0) + share
    print("\nself time by module (Swift module of the demangled symbol, else the library):")
    for key, share in sorted(modules.items(), key=lambda kv: -kv[1]):
        if share >= 0.3:
            print(f"  {key:<64}{share:>7.1f}%{share * cpu_us / 100:>9.1f}")
    print("\ntop inclusive functions (>= 3 %):")
    for c, s, sym in rows:
        if c >= 3:
            print(f"  {c:6.1f}% (self {s:5.1f}%)  {sym[:150]}")


if __name__ == "__main__":
    main()

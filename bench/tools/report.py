#!/usr/bin/env python3
"""Turns the bench's raw.jsonl into the summary table (stdout) and a results file (JSON).

usage: report.py RAW_JSONL OUT_JSON [PEER_RESULTS_JSONL]
Overhead = through-host percentile minus direct-to-mock percentile, same mode and concurrency.
Targets are issue 7's; the LiteLLM ratio needs a bench-peer run (third argument or later).
"""
import json
import statistics
import sys

raw_path, out_path = sys.argv[1], sys.argv[2]
peer_path = sys.argv[3] if len(sys.argv) > 3 else None
events = [json.loads(line) for line in open(raw_path) if line.strip()]
by = lambda kind: [e for e in events if e.get("event") == kind]
one = lambda kind: (by(kind) or [None])[-1]

machine, setup = one("machine") or {}, one("setup") or {}
build = (one("build") or {}).get("identity")
loads = {(e["target"], e["mode"], e["conc"]): e for e in by("load")}
ms = lambda us: None if us is None else round(us / 1000.0, 3)

rows = []
for (target, mode, conc), e in sorted(loads.items(), key=lambda kv: (kv[0][1] != "json", kv[0][2], kv[0][0])):
    if target != "host":
        continue
    d = loads.get(("direct", mode, conc))
    row = {
        "mode": mode, "conc": conc,
        "direct": {k: d[k] for k in ("rps", "p50_us", "p90_us", "p99_us", "requests")} if d else None,
        "host": {k: e[k] for k in ("rps", "p50_us", "p90_us", "p99_us", "requests", "server_cpu_pct", "cpu_us_per_req", "rss_max_kb", "hwm_kb")},
        "host_errors": e["err_status"] + e["err_connect"] + e["err_read"] + e["err_write"] + e["err_timeout"],
    }
    if d:
        row["overhead_p50_ms"] = ms(e["p50_us"] - d["p50_us"])
        row["overhead_p90_ms"] = ms(e["p90_us"] - d["p90_us"])
        row["overhead_p99_ms"] = ms(e["p99_us"] - d["p99_us"])
        row["rps_ratio_host_to_direct"] = round(e["rps"] / d["rps"], 4) if d["rps"] else None
        row["direct_cpu_us_per_req"] = d["cpu_us_per_req"]
    rows.append(row)
direct_only = [
    {"mode": m, "conc": c, "direct": {k: e[k] for k in ("rps", "p50_us", "p90_us", "p99_us", "cpu_us_per_req")}}
    for (t, m, c), e in sorted(loads.items(), key=lambda kv: (kv[0][1], kv[0][2])) if t == "direct" and ("host", m, c) not in loads
]

ttfb = {e["target"]: e["r"] for e in by("ttfb")}
plugins = by("plugin_load")
plugin_list = one("plugin_list")
translate = (one("translate") or {}).get("r")
ready = {e["kind"]: e["r"] for e in by("ready")}
rss_after = one("rss_after") or {}
usage_rows = one("usage_rows") or {}

peer = None
if peer_path:
    try:
        peer = [json.loads(line) for line in open(peer_path) if line.strip()]
    except OSError:
        peer = None

# ------------------------------------------------------------------ targets (issue 7)
def verdict(value, limit, better="lower", unit=""):
    if value is None:
        return {"value": None, "target": limit, "met": None, "note": "not measured"}
    met = value <= limit if better == "lower" else value >= limit
    if met:
        note = "met"
    elif better == "lower":
        note = f"missed by {value - limit:.3g}{unit} ({value / limit:.2g}x the target)" if limit else f"missed ({value}{unit})"
    else:
        note = f"missed: {value:.3g}{unit}, {value / limit:.2g}x of the target" if limit else "missed"
    return {"value": value, "target": limit, "met": met, "note": note}

row = lambda mode, conc: next((r for r in rows if r["mode"] == mode and r["conc"] == conc), None)
r1, r50, r200 = row("json", 1), row("json", 50), row("json", 200)
targets = {}
targets["overhead_p50_c1_ms<=0.2"] = verdict(r1 and r1.get("overhead_p50_ms"), 0.2, unit=" ms")
targets["overhead_p99_c50_ms<=1"] = verdict(r50 and r50.get("overhead_p99_ms"), 1.0, unit=" ms")
targets["rps_c50_host/direct>=0.5"] = verdict(r50 and r50.get("rps_ratio_host_to_direct"), 0.5, better="higher")
if "host" in ttfb and "direct" in ttfb:
    targets["stream_ttfb_overhead_c1_ms<=0.5"] = verdict(round(ttfb["host"]["ttfb_p50_ms"] - ttfb["direct"]["ttfb_p50_ms"], 3), 0.5, unit=" ms")
else:
    targets["stream_ttfb_overhead_c1_ms<=0.5"] = verdict(None, 0.5)
targets["rss_idle_mb<=40"] = verdict(round(setup.get("idle_rss_kb", 0) / 1024, 1) if setup.get("idle_rss_kb") else None, 40, unit=" MB")
peak200 = None
if r200:
    peak200 = round(max(r200["host"]["rss_max_kb"] or 0, 0) / 1024, 1)
targets["rss_c200_mb<=100"] = verdict(peak200, 100, unit=" MB")
targets["start_to_ready_ms<=300"] = verdict(ready.get("restart", {}).get("median_ms"), 300, unit=" ms")
worst_plugin = max((p["total_us"] for p in plugins), default=None)
targets["plugin_load_ms<=5_each"] = verdict(round(worst_plugin / 1000, 2) if worst_plugin else None, 5, unit=" ms")
targets["rps_c50_host>=100x_litellm"] = verdict(None, 100)
targets["rps_c50_host>=100x_litellm"]["note"] = "see make bench-peer (same-run LiteLLM comparison)"

result = {
    "build": build, "machine": machine, "setup": setup, "rows": rows, "direct_only": direct_only, "ttfb": ttfb, "plugins": plugins,
    "plugin_list": plugin_list, "translate": translate, "ready": ready, "rss_after": rss_after, "usage_rows": usage_rows, "targets": targets,
    "end": one("end"),
}
with open(out_path, "w") as f:
    json.dump(result, f, indent=2)

# ------------------------------------------------------------------ table
f3 = lambda v: "-" if v is None else f"{v:.3f}"
print(f"\nVigor bench  {machine.get('date','')}  {machine.get('nproc')} x {machine.get('cpu','?')}, {machine.get('mem_mb')} MB RAM")
print(f"endpoint {setup.get('host_url')} (auth: {setup.get('auth')}), database on {setup.get('db_fs')}; "
      f"vigor pinned to CPU {machine.get('server_cpu')}, wrk + nginx mock + curl to CPU {machine.get('loadgen_cpu')}; "
      f"{machine.get('duration_s')} s per point after {machine.get('warmup_s')} s warm-up; load average at start {machine.get('loadavg_start')}")
print(f"build: {build}")
print("Shared, noisy machine: compare ratios and medians, not single digits.\n")
hdr = (f"{'mode':<7}{'conc':>5} | {'direct rps':>10} {'p50':>7} {'p99':>7} | {'host rps':>9} {'p50':>7} {'p90':>7} {'p99':>7} "
       f"| {'ovh p50':>8} {'ovh p99':>8} {'host/dir':>8} | {'host CPU':>8} {'us/req':>7} {'RSS MB':>7} {'err':>4}")
print(hdr)
print("-" * len(hdr))
for r in rows:
    d, h = r["direct"] or {}, r["host"]
    print(f"{r['mode']:<7}{r['conc']:>5} | {d.get('rps', 0):>10.0f} {f3(ms(d.get('p50_us'))):>7} {f3(ms(d.get('p99_us'))):>7} | "
          f"{h['rps']:>9.0f} {f3(ms(h['p50_us'])):>7} {f3(ms(h['p90_us'])):>7} {f3(ms(h['p99_us'])):>7} | "
          f"{f3(r.get('overhead_p50_ms')):>8} {f3(r.get('overhead_p99_ms')):>8} {r.get('rps_ratio_host_to_direct') or 0:>8.3f} | "
          f"{h['server_cpu_pct']:>7.1f}% {h['cpu_us_per_req']:>7.1f} {(h['rss_max_kb'] or 0) / 1024:>7.1f} {r['host_errors']:>4}")
for r in direct_only:
    d = r["direct"]
    print(f"{r['mode']:<7}{r['conc']:>5} | {d['rps']:>10.0f} {f3(ms(d['p50_us'])):>7} {f3(ms(d['p99_us'])):>7} | (not measured through the host)")
print("latencies in ms; ovh = host minus direct; host/dir = throughput ratio; host CPU = vigor's CPU time over the run "
      "(100% = one core), us/req = CPU microseconds per request; RSS = max sampled VmRSS (every 0.2 s)")
if ttfb:
    print()
    for t, v in ttfb.items():
        print(f"streaming TTFB c=1 ({t:>6}): median {v['ttfb_p50_ms']:.3f} ms (p90 {v['ttfb_p90_ms']:.3f}), whole stream {v['total_p50_ms']:.3f} ms, n={v['n']}")
print()
print(f"RSS: idle after start {setup.get('idle_rss_kb', 0) / 1024:.1f} MB; after the load {rss_after.get('rss_kb', 0) / 1024:.1f} MB; "
      f"peak (VmHWM) {rss_after.get('hwm_kb', 0) / 1024:.1f} MB")
if usage_rows:
    print(f"usage-log rows committed during the load: {usage_rows.get('rows_added')} (measured host requests {usage_rows.get('wrk_host_requests_measured')} + warm-ups)")
for k, v in ready.items():
    print(f"start-to-ready ({k}{', migrated db' if v.get('migrated_db') else ', new db + migrations'}): median {v['median_ms']} ms of {v['samples_ms']}")
if plugins:
    print("\nplugin load (median): dlopen+entry+on_init+on_describe through the C ABI, Swift runtime already mapped (as in the host);")
    print("                      cold = same in a process without the Swift runtime loaded")
    for p in plugins:
        print(f"  {p['plugin']:<16} {p['total_us'] / 1000:7.2f} ms (dlopen {p['dlopen_us'] / 1000:.2f}, init {p['init_us'] / 1000:.2f}, describe {p['describe_us'] / 1000:.3f})"
              f"   cold {p['cold_total_us'] / 1000:7.2f} ms")
if plugin_list:
    print(f"  `vigor plugin list`: all {plugin_list['plugins']} plugins {plugin_list['all_ms']} ms, empty folder {plugin_list['empty_ms']} ms "
          f"(loading them: {plugin_list['delta_ms']:+.2f} ms); `vigor --help` {plugin_list['vigor_help_ms']} ms (process start baseline); median of {plugin_list['runs']}")
if translate:
    print(f"\ntranslate (openai plugin, C ABI, median of {translate['batches']} x {translate['iters_per_batch']}): build_request {translate['build_request_ns'] / 1000:.1f} us"
          f" + parse_response {translate['parse_response_ns'] / 1000:.1f} us = {translate['translate_ns'] / 1000:.1f} us; "
          f"one SSE stream ({translate['stream_events']} events, {translate['stream_body_bytes']} B) {translate['stream_ns'] / 1000:.1f} us")
print("\ntargets (issue 7):")
for k, v in targets.items():
    print(f"  {k:<36} {str(v['value']):>10}  {v['note']}")

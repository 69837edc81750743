#!/usr/bin/env python3
"""Turns the bench's raw.jsonl into the summary table (stdout) and a results file (JSON).

usage: report.py RAW_JSONL OUT_JSON [PEER_RESULTS_JSONL]
Overhead = through-host percentile minus direct-to-mock percentile, same mode and concurrency.
Targets are issue 7's and issue 17's; the LiteLLM ratio needs a bench-peer run (third argument or later).
With ROUNDS > 1 every point was measured several times, interleaved: each figure is the median
over the rounds, and the comparisons with the baseline gateway are taken round by round (same
minute, same machine load) and then their median and range are given.
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
ms = lambda us: None if us is None else round(us / 1000.0, 3)
ERR_KEYS = ("err_status", "err_connect", "err_read", "err_write", "err_timeout")


def median_event(samples):
    """One load event from several rounds: medians of the figures, sums of counts, max of RSS."""
    if len(samples) == 1:
        return dict(samples[0], rounds=1)
    out = dict(samples[-1])
    for k in ("rps", "p50_us", "p90_us", "p99_us", "p999_us", "mean_us", "server_cpu_pct", "cpu_us_per_req"):
        if all(k in e for e in samples):
            out[k] = round(statistics.median(e[k] for e in samples), 1)
    for k in ("requests",) + ERR_KEYS:
        out[k] = sum(e.get(k, 0) for e in samples)
    rss = [e["rss_max_kb"] for e in samples if e.get("rss_max_kb")]
    out["rss_max_kb"] = max(rss) if rss else None
    out["hwm_kb"] = max(e.get("hwm_kb", 0) for e in samples)
    out["rounds"] = len(samples)
    return out


load_samples = {}
for e in by("load"):
    load_samples.setdefault((e["target"], e["mode"], e["conc"]), []).append(e)
loads = {k: median_event(v) for k, v in load_samples.items()}

rows = []
for (target, mode, conc), e in sorted(loads.items(), key=lambda kv: (kv[0][1] != "json", kv[0][2], kv[0][0])):
    if target != "host":
        continue
    d = loads.get(("direct", mode, conc))
    row = {
        "mode": mode, "conc": conc,
        "direct": {k: d[k] for k in ("rps", "p50_us", "p90_us", "p99_us", "requests")} if d else None,
        "host": {k: e[k] for k in ("rps", "p50_us", "p90_us", "p99_us", "requests", "server_cpu_pct", "cpu_us_per_req", "rss_max_kb", "hwm_kb")},
        "host_errors": sum(e[k] for k in ERR_KEYS),
        "rounds": e.get("rounds", 1),
    }
    if d:
        row["overhead_p50_ms"] = ms(e["p50_us"] - d["p50_us"])
        row["overhead_p90_ms"] = ms(e["p90_us"] - d["p90_us"])
        row["overhead_p99_ms"] = ms(e["p99_us"] - d["p99_us"])
        row["rps_ratio_host_to_direct"] = round(e["rps"] / d["rps"], 4) if d["rps"] else None
        row["direct_cpu_us_per_req"] = d["cpu_us_per_req"]
    rows.append(row)

# ------------------------------------------------------------------ the baseline gateway (issue 17)
def by_round(target, mode, conc):
    return {e.get("round", 1): e for e in load_samples.get((target, mode, conc), [])}


def spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3), "max": round(max(values), 3), "n": len(values)}


baseline_rows = []
for (target, mode, conc), b in sorted(loads.items(), key=lambda kv: (kv[0][1] != "json", kv[0][2])):
    if target != "baseline":
        continue
    h, d = loads.get(("host", mode, conc)), loads.get(("direct", mode, conc))
    hr, br, dr = by_round("host", mode, conc), by_round("baseline", mode, conc), by_round("direct", mode, conc)
    rounds = sorted(set(hr) & set(br))
    cpu_ratio = spread([hr[r]["cpu_us_per_req"] / br[r]["cpu_us_per_req"] for r in rounds if br[r]["cpu_us_per_req"]])
    rps_ratio = spread([hr[r]["rps"] / br[r]["rps"] for r in rounds if br[r]["rps"]])
    added = lambda x, r: (x[r]["p50_us"] - dr[r]["p50_us"]) / 1000.0 if r in dr else None
    b_added = spread([added(br, r) for r in rounds])
    h_added = spread([added(hr, r) for r in rounds])
    diff_added = spread([added(hr, r) - added(br, r) for r in rounds if r in dr])
    row = {
        "mode": mode, "conc": conc, "rounds": len(rounds),
        "baseline": {k: b[k] for k in ("rps", "p50_us", "p90_us", "p99_us", "requests", "server_cpu_pct", "cpu_us_per_req", "rss_max_kb")},
        "baseline_errors": sum(b[k] for k in ERR_KEYS),
        "baseline_added_p50_ms": b_added, "host_added_p50_ms": h_added,
        "host_cpu_per_req_over_baseline": cpu_ratio, "host_rps_over_baseline": rps_ratio,
        "host_added_p50_minus_baseline_ms": diff_added,
    }
    if h:
        row["host"] = {k: h[k] for k in ("rps", "p50_us", "p99_us", "cpu_us_per_req")}
    baseline_rows.append(row)
pg_rows = []
for (target, mode, conc), e in sorted(loads.items(), key=lambda kv: (kv[0][1] != "json", kv[0][2])):
    if target != "host_pg":
        continue
    hr, pr, dr, lr = (by_round(t, mode, conc) for t in ("host", "host_pg", "direct", "pg2"))
    rounds = sorted(set(hr) & set(pr))
    two = loads.get(("pg2", mode, conc))
    row = {
        "mode": mode, "conc": conc, "rounds": len(rounds),
        "host_pg": {k: e.get(k) for k in ("rps", "p50_us", "p99_us", "cpu_us_per_req", "db_cpu_us_per_req", "db_backends", "server_cpu_pct")},
        "host_pg_errors": sum(e[k] for k in ERR_KEYS),
        "pg_rps_over_sqlite": spread([pr[r]["rps"] / hr[r]["rps"] for r in rounds if hr[r]["rps"]]),
        "pg_added_p50_ms": spread([(pr[r]["p50_us"] - dr[r]["p50_us"]) / 1000.0 for r in rounds if r in dr]),
    }
    if two:
        row["pg2"] = {k: two.get(k) for k in ("rps", "p50_us", "p99_us", "cpu_us_per_req", "db_cpu_us_per_req", "server_cpu_pct")}
        row["pg2_errors"] = sum(two[k] for k in ERR_KEYS)
        row["pg2_rps_over_one_pg_host"] = spread([lr[r]["rps"] / pr[r]["rps"] for r in sorted(set(lr) & set(pr)) if pr[r]["rps"]])
    pg_rows.append(row)

baseline_parts = []
for part in ("baseline_forward", "baseline_static"):
    for (target, mode, conc), e in sorted(loads.items(), key=lambda kv: kv[0][2]):
        if target == part:
            baseline_parts.append({"part": part, "mode": mode, "conc": conc,
                                   **{k: e[k] for k in ("rps", "p50_us", "p99_us", "cpu_us_per_req", "server_cpu_pct")}})

direct_only = [
    {"mode": m, "conc": c, "direct": {k: e[k] for k in ("rps", "p50_us", "p90_us", "p99_us", "cpu_us_per_req")}}
    for (t, m, c), e in sorted(loads.items(), key=lambda kv: (kv[0][1], kv[0][2])) if t == "direct" and ("host", m, c) not in loads and ("baseline", m, c) not in loads
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
brow = lambda mode, conc: next((r for r in baseline_rows if r["mode"] == mode and r["conc"] == conc), None)
b1, b50 = brow("json", 1), brow("json", 50)
med = lambda x: x["median"] if x else None
targets["cpu_c50_host/baseline<=1.2 (issue 17)"] = verdict(b50 and med(b50["host_cpu_per_req_over_baseline"]), 1.2)
targets["added_p50_c1_host-baseline_ms<=0.1 (issue 17)"] = verdict(b1 and med(b1["host_added_p50_minus_baseline_ms"]), 0.1, unit=" ms")
p50row = next((r for r in pg_rows if r["mode"] == "json" and r["conc"] == 50), None)
if p50row:
    targets["rps_c50_pg/sqlite>=0.7 (issue 17)"] = verdict(med(p50row["pg_rps_over_sqlite"]), 0.7, better="higher")
qx = one("quota_exact")
if qx:
    ok = qx["r"]["status"].get("200", 0)
    targets["quota_exact_two_hosts (issue 17)"] = {"value": ok, "target": qx["limit"], "met": ok == qx["limit"] and qx.get("success_rows") == qx["limit"],
                                                    "note": f"{ok} answered 200 of {qx['r']['n']}, {qx.get('success_rows')} success rows; limit {qx['limit']}"}
targets["rps_c50_host>=100x_litellm"] = verdict(None, 100)
targets["rps_c50_host>=100x_litellm"]["note"] = "see make bench-peer (same-run LiteLLM comparison)"

result = {
    "build": build, "baseline_build": one("baseline_build"), "baseline": baseline_rows, "baseline_parts": baseline_parts,
    "baseline_rows_written": one("baseline_rows"), "pg": one("pg"), "pg_rows": pg_rows, "pg_rows_written": one("pg_rows"),
    "quota_exact": one("quota_exact"), "machine": machine, "setup": setup, "rows": rows, "direct_only": direct_only, "ttfb": ttfb, "plugins": plugins,
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
if baseline_rows:
    print("\nbaseline gateway (bench/baseline: Hummingbird + AsyncHTTPClient + one GRDB row committed per request; no auth, no ledger), "
          f"same run, same pinning; release sha256 {(one('baseline_build') or {}).get('sha256')}")
    bh = (f"{'mode':<7}{'conc':>5} | {'base rps':>9} {'p50':>7} {'p99':>7} {'us/req':>7} {'+p50':>7} {'err':>4} | {'host rps':>9} {'us/req':>7} {'+p50':>7} "
          f"| {'host CPU/req ÷ base':>22} | {'host +p50 − base +p50 (ms)':>27}")
    print(bh)
    print("-" * len(bh))
    rng = lambda x, fmt: "-" if not x else (fmt.format(x["median"]) + (f" ({fmt.format(x['min'])}–{fmt.format(x['max'])})" if x["n"] > 1 else ""))
    for r in baseline_rows:
        b, h = r["baseline"], r.get("host", {})
        print(f"{r['mode']:<7}{r['conc']:>5} | {b['rps']:>9.0f} {f3(ms(b['p50_us'])):>7} {f3(ms(b['p99_us'])):>7} {b['cpu_us_per_req']:>7.1f} "
              f"{rng(r['baseline_added_p50_ms'], '{:.3f}'):>7} {r['baseline_errors']:>4} | {h.get('rps', 0):>9.0f} {h.get('cpu_us_per_req', 0):>7.1f} "
              f"{rng(r['host_added_p50_ms'], '{:.3f}'):>7} | {rng(r['host_cpu_per_req_over_baseline'], '{:.2f}x'):>22} | "
              f"{rng(r['host_added_p50_minus_baseline_ms'], '{:+.3f}'):>27}")
    print("+p50 = added p50 over direct-to-mock (ms), taken round by round; ratios and differences: median over rounds (min–max)")
    for p in baseline_parts:
        print(f"  {p['part']:<17} {p['mode']} c={p['conc']:<3} {p['rps']:>9.0f} rps  p50 {f3(ms(p['p50_us']))} ms  {p['cpu_us_per_req']:>7.1f} us/req")
    br = one("baseline_rows")
    if br:
        print(f"  baseline rows committed during the load: {br['rows_added']} (measured baseline requests {br['wrk_baseline_requests_measured']} + warm-ups)")
if pg_rows:
    pg = one("pg") or {}
    print(f"\nPostgreSQL {pg.get('server')} (database {pg.get('database')}, not pinned by the bench): host_pg = one host on it; "
          f"pg2 = two hosts on it behind nginx (deploy/nginx.conf), host B on CPU {pg.get('cpu_b')}, nginx on CPU {machine.get('loadgen_cpu')}")
    rng = lambda x, fmt: "-" if not x else (fmt.format(x["median"]) + (f" ({fmt.format(x['min'])}–{fmt.format(x['max'])})" if x["n"] > 1 else ""))
    ph = (f"{'mode':<7}{'conc':>5} | {'pg rps':>8} {'p50':>7} {'p99':>7} {'+p50':>7} {'us/req':>7} {'db us/req':>9} {'err':>4} | {'pg ÷ sqlite rps':>20} "
          f"| {'2 hosts rps':>11} {'p50':>7} {'us/req':>7} {'db us/req':>9} {'err':>4} {'÷ 1 host':>18}")
    print(ph)
    print("-" * len(ph))
    for r in pg_rows:
        h, t = r["host_pg"], r.get("pg2") or {}
        print(f"{r['mode']:<7}{r['conc']:>5} | {h['rps']:>8.0f} {f3(ms(h['p50_us'])):>7} {f3(ms(h['p99_us'])):>7} {rng(r['pg_added_p50_ms'], '{:.3f}'):>7} "
              f"{h['cpu_us_per_req']:>7.1f} {h.get('db_cpu_us_per_req') or 0:>9.1f} {r['host_pg_errors']:>4} | {rng(r['pg_rps_over_sqlite'], '{:.2f}'):>20} | "
              + (f"{t['rps']:>11.0f} {f3(ms(t['p50_us'])):>7} {t['cpu_us_per_req']:>7.1f} {t.get('db_cpu_us_per_req') or 0:>9.1f} {r['pg2_errors']:>4} "
                 f"{rng(r.get('pg2_rps_over_one_pg_host'), '{:.2f}'):>18}" if t else "-"))
    print("us/req = the host processes' CPU per request (both hosts for pg2); db us/req = the PostgreSQL backends serving the bench database")
    pr_ = one("pg_rows")
    if pr_:
        print(f"  PostgreSQL usage-log rows committed during the load: {pr_['rows_added']} (measured requests {pr_['wrk_pg_requests_measured']} + warm-ups)")
    if qx:
        print(f"  quota exactness, two hosts behind nginx: {qx['r']['n']} requests at once, tier limit {qx['limit']}: answers {qx['r']['status']}, "
              f"success rows {qx.get('success_rows')}, by host and status {qx.get('by_host')}")
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
print("\ntargets (issues 7 and 17):")
for k, v in targets.items():
    print(f"  {k:<46} {str(v['value']):>10}  {v['note']}")

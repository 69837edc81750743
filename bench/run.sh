#!/usr/bin/env bash
# `make bench`: Vigor's request path under load, against an nginx mock of the OpenAI API,
# each figure measured direct-to-mock and through the host in the same run.
#
# Knobs (environment):
#   DURATION=10        seconds per measured wrk run       WARMUP=3   unrecorded seconds before each
#   CONCS="1 10 50 200"                                   STREAM=1   also measure SSE streaming (0 = skip)
#   TTFB_N=200         sequential streaming requests for time-to-first-byte (each side)
#   READY_RUNS=5       start-to-ready samples              PLUGIN_RUNS=7   load-time samples per plugin
#   TRANSLATE_ITERS=3000  calls per batch in the translate micro-benchmark
#   ENDPOINT=auto      auto | openai (/v1/chat/completions) | chat (/api/v1/ai/chat, the coach route)
#   AUTH=auto          auto (API key when the host offers them, else JWT) | apikey | jwt
#   MOCK_PORT=18990 VIGOR_PORT=18991   SERVER_CPU=1 LOADGEN_CPU=0   SKIP_BUILD=1 (reuse the release build)
#   KEEP_WORK=1        keep the temp dir (database, logs, raw wrk output)
#   BASELINE=1         also measure the baseline gateway (bench/baseline: Hummingbird + AsyncHTTPClient +
#                      one GRDB row per request, no auth, no ledger) at every point; 0 = skip
#   BASELINE_PORT=18994  BASELINE_PARTS=0  1 = also the baseline without the database (forward only) and
#                      without the upstream (Hummingbird alone), at c=1 and c=50
#   ROUNDS=1           measure every point this many times, interleaved (direct, host, baseline, ...);
#                      the report gives medians and the spread of the per-round ratios
#   EXTRAS=1           0 = skip streaming TTFB, plugin load and start-to-ready (load figures only)
#   PG=0               1 = also a host on PostgreSQL (target host_pg) at every point, in the same run
#   PG_ADMIN_URL=postgres://vigor@127.0.0.1:55432/postgres?sslmode=disable   a server on which the bench
#                      creates its own database (vigor_bench_<stamp>_<pid>) and drops it at the end
#   PG_TWO=1           with PG=1: a second host on the same database, both behind nginx with
#                      deploy/nginx.conf (target pg2, the aggregate), and the quota exactness check
#                      (EXACT_N=200 requests at once through nginx, tier limit EXACT_LIMIT=10)
#   PG_PORT=18996 PG_PORT_B=18997 LB_PORT=18998   PG_CPU_B=$SERVER_CPU (the second host's CPU)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
CONCS=${CONCS:-"1 10 50 200"}
STREAM=${STREAM:-1}
TTFB_N=${TTFB_N:-200}
READY_RUNS=${READY_RUNS:-5}
PLUGIN_RUNS=${PLUGIN_RUNS:-7}
TRANSLATE_ITERS=${TRANSLATE_ITERS:-3000}
ENDPOINT=${ENDPOINT:-auto}
AUTH=${AUTH:-auto}
MOCK_PORT=${MOCK_PORT:-18990}
VIGOR_PORT=${VIGOR_PORT:-18991}
BASELINE=${BASELINE:-1}
BASELINE_PORT=${BASELINE_PORT:-18994}
BASELINE_PARTS=${BASELINE_PARTS:-0}
ROUNDS=${ROUNDS:-1}
EXTRAS=${EXTRAS:-1}
PG=${PG:-0}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://vigor@127.0.0.1:55432/postgres?sslmode=disable}
PG_TWO=${PG_TWO:-1}
PG_PORT=${PG_PORT:-18996}
PG_PORT_B=${PG_PORT_B:-18997}
LB_PORT=${LB_PORT:-18998}
EXACT_N=${EXACT_N:-200}
EXACT_LIMIT=${EXACT_LIMIT:-10}
RESULTS_DIR=$HERE/results
mkdir -p "$RESULTS_DIR"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vigor-bench.XXXXXX")
LOG=$WORK/bench.log
RAW=$WORK/raw.jsonl   # one JSON object per measurement; bench/tools/report.py turns it into the report
: > "$RAW"
source "$HERE/lib.sh"

SAMPLER_PID=
PG_DBNAME=
cleanup() {
  [ -n "$SAMPLER_PID" ] && { kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; }
  stop_all
  # The bench's own PostgreSQL database (created by this run, named by it): dropped, unless KEEP_WORK=1.
  if [ -n "$PG_DBNAME" ] && [ "${KEEP_WORK:-0}" != 1 ]; then
    psql "$PG_ADMIN_URL" -Xq -c "DROP DATABASE IF EXISTS $PG_DBNAME" >/dev/null 2>&1 || say "could not drop database $PG_DBNAME"
  fi
  if [ "${KEEP_WORK:-0}" = 1 ]; then say "work files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'say interrupted; exit 130' INT TERM

record() { echo "$1" >> "$RAW"; }

# ------------------------------------------------------------------ 0. machine, tools, build
ensure_tools
build_release
[ "$BASELINE" = 1 ] && build_baseline
record "$(python3 - "$SERVER_CPU" "$LOADGEN_CPU" "$DURATION" "$WARMUP" "$CONCS" "$ROUNDS" <<'PY'
import json, os, platform, subprocess, sys, time
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
ver = lambda *a: subprocess.run(list(a), capture_output=True, text=True).stderr.strip().splitlines()[0]
print(json.dumps({"event": "machine", "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "nproc": os.cpu_count(),
  "cpu": cpu, "mem_mb": mem, "kernel": platform.release(), "loadavg_start": open("/proc/loadavg").read().split()[:3],
  "nginx": ver("nginx", "-v"), "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[0],
  "server_cpu": int(sys.argv[1]), "loadgen_cpu": int(sys.argv[2]), "duration_s": int(sys.argv[3]),
  "warmup_s": int(sys.argv[4]), "concs": [int(c) for c in sys.argv[5].split()], "rounds": int(sys.argv[6])}))
PY
)"
IDENTITY=$(build_identity); say "$IDENTITY"
record "$(python3 -c 'import json,sys; print(json.dumps({"event": "build", "identity": sys.argv[1]}))' "$IDENTITY")"
if [ "$BASELINE" = 1 ]; then
  say "baseline: bench/baseline release binary sha256 $BASELINE_SHA"
  record "{\"event\":\"baseline_build\",\"sha256\":\"$BASELINE_SHA\"}"
fi
say "pinning: vigor on CPU $SERVER_CPU; wrk, curl and the nginx mock on CPU $LOADGEN_CPU (taskset)"

# ------------------------------------------------------------------ 1. mock upstream (nginx)
start_mock "$MOCK_PORT"

# ------------------------------------------------------------------ 2. vigor on a fresh database
DB=$WORK/data/vigor.sqlite
mkdir -p "$WORK/data"
write_vigor_config
prepare_db "$DB"
cp "$DB" "$WORK/template.sqlite"   # for the restart timings
start_vigor "$DB" "$VIGOR_PORT" "http://127.0.0.1:$MOCK_PORT" "$WORK/vigor.log"
BASE=http://127.0.0.1:$VIGOR_PORT
say "vigor serve pid $VIGOR_PID ready on $BASE"
if [ "$BASELINE" = 1 ]; then
  start_baseline "$BASELINE_PORT" "$MOCK_URL" "$WORK/data/baseline.sqlite" "$WORK/baseline.log"
  BASELINE_URL=http://127.0.0.1:$BASELINE_PORT/v1/chat/completions
  say "baseline gateway pid $BASELINE_PID ready on $BASELINE_URL (CPU $SERVER_CPU)"
fi

# PostgreSQL: one host (and, with PG_TWO=1, a second one behind nginx) on a database of the bench's own.
PG_PID=; PG_B_PID=; LB_PID=
if [ "$PG" = 1 ]; then
  need_debian psql postgresql-client
  PG_DBNAME=vigor_bench_$(date +%Y%m%d%H%M%S)_$$
  psql "$PG_ADMIN_URL" -Xq -v ON_ERROR_STOP=1 -c "CREATE DATABASE $PG_DBNAME" >>"$LOG" 2>&1 || fail "cannot create database $PG_DBNAME on $PG_ADMIN_URL"
  PG_URL=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$PG_ADMIN_URL" "$PG_DBNAME")
  "$VIGOR" migrate --database "$PG_URL" >>"$LOG" 2>&1 || fail "vigor migrate --database $PG_URL (see $LOG)"
  python3 "$HERE/tools/vigor_setup.py" tier "$PG_URL" || fail "bench tier (PostgreSQL)"
  PG_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
  mkdir -p "$WORK/pg-a" "$WORK/pg-b"; chmod 700 "$WORK/pg-a" "$WORK/pg-b"
  SQLITE_PID=$VIGOR_PID
  start_vigor "$PG_URL" "$PG_PORT" "http://127.0.0.1:$MOCK_PORT" "$WORK/vigor-pg-a.log" \
    VIGOR_JWT_SECRET="$PG_SECRET" VIGOR_TRUSTED_PROXIES=127.0.0.1 VIGOR_DATA_DIR="$WORK/pg-a"
  PG_PID=$VIGOR_PID
  say "vigor serve on PostgreSQL ($PG_DBNAME): pid $PG_PID on 127.0.0.1:$PG_PORT (CPU $SERVER_CPU)"
  if [ "$PG_TWO" = 1 ]; then
    SAVED_PIN=("${PIN_SERVER[@]}"); PIN_SERVER=(taskset -c "${PG_CPU_B:-$SERVER_CPU}")
    start_vigor "$PG_URL" "$PG_PORT_B" "http://127.0.0.1:$MOCK_PORT" "$WORK/vigor-pg-b.log" \
      VIGOR_JWT_SECRET="$PG_SECRET" VIGOR_TRUSTED_PROXIES=127.0.0.1 VIGOR_DATA_DIR="$WORK/pg-b"
    PG_B_PID=$VIGOR_PID; PIN_SERVER=("${SAVED_PIN[@]}")
    say "second host on the same database: pid $PG_B_PID on 127.0.0.1:$PG_PORT_B (CPU ${PG_CPU_B:-$SERVER_CPU})"
    [ -f "$ROOT/deploy/nginx.conf" ] || fail "PG_TWO=1 needs deploy/nginx.conf"
    port_free "$LB_PORT" || fail "port $LB_PORT is in use (not ours); set LB_PORT"
    mkdir -p "$WORK/lb/tmp"
    python3 "$HERE/tools/lb_conf.py" "$ROOT/deploy/nginx.conf" "$WORK/lb" "$LB_PORT" "$PG_PORT" "$PG_PORT_B" > "$WORK/lb/nginx.conf" || fail "lb config"
    nginx -t -q -p "$WORK/lb" -c "$WORK/lb/nginx.conf" -e "$WORK/lb/error.log" 2>>"$LOG" || fail "nginx config for the load balancer"
    "${PIN_LOADGEN[@]}" nginx -p "$WORK/lb" -c "$WORK/lb/nginx.conf" -e "$WORK/lb/error.log" >>"$LOG" 2>&1 &
    LB_PID=$!; BENCH_PIDS+=("$LB_PID")
    wait_http "http://127.0.0.1:$LB_PORT/ready" "$LB_PID" 10
    say "nginx (deploy/nginx.conf) on 127.0.0.1:$LB_PORT in front of both (CPU $LOADGEN_CPU)"
  fi
  VIGOR_PID=$SQLITE_PID
  record "{\"event\":\"pg\",\"database\":\"$PG_DBNAME\",\"server\":\"$(psql "$PG_ADMIN_URL" -XAtq -c 'show server_version' 2>/dev/null)\",\"two_hosts\":$PG_TWO,\"cpu_b\":${PG_CPU_B:-$SERVER_CPU}}"
fi
sleep 1
IDLE_RSS_KB=$(rss_kb "$VIGOR_PID")

setup_account_and_endpoint "$DB" "$BASE"
say "endpoint: $HOST_URL, auth: $AUTH"
if [ "$PG" = 1 ]; then
  PG_BASE=http://127.0.0.1:$PG_PORT
  PG_ACCOUNT=$(python3 "$HERE/tools/vigor_setup.py" account "$PG_URL" "$PG_BASE" bench@example.com 'bench-password-1') || fail "account set-up (PostgreSQL)"
  if [ "$AUTH" = apikey ]; then PG_TOKEN=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["api_key"])' "$PG_ACCOUNT")
  else PG_TOKEN=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["access_token"])' "$PG_ACCOUNT"); fi
  PG_HOST_URL=$PG_BASE${HOST_URL#"$BASE"}
  LB_URL=http://127.0.0.1:$LB_PORT${HOST_URL#"$BASE"}
fi
record "{\"event\":\"setup\",\"endpoint\":\"$ENDPOINT\",\"host_url\":\"$HOST_URL\",\"auth\":\"$AUTH\",\"idle_rss_kb\":$IDLE_RSS_KB,\"db_fs\":\"$(df -T "$WORK" | awk 'NR==2{print $2}')\"}"

# Check both sides answer what we expect before timing anything.
check() {  # check NAME URL BODY TOKEN STREAM PATTERN
  local out=$WORK/check_$1.out code auth=() accept=application/json
  [ -n "$4" ] && auth=(-H "Authorization: Bearer $4")
  [ "$5" = 1 ] && accept=text/event-stream
  code=$(curl -s -o "$out" -w '%{http_code}' --max-time 20 "${auth[@]}" -H 'Content-Type: application/json' -H "Accept: $accept" \
         --data-binary "@$3" "$2")
  [ "$code" = 200 ] && grep -q -- "$6" "$out" || fail "$1: HTTP $code, expected /$6/: $(head -c 300 "$out")"
  say "check $1: HTTP 200, $(wc -c < "$out") bytes"
}
check direct_json "$MOCK_URL" "$BODY_OPENAI" "" 0 '"total_tokens":150'
check direct_stream "$MOCK_URL" "$BODY_OPENAI_STREAM" "" 1 'data: \[DONE\]'
check host_json "$HOST_URL" "$HOST_BODY" "$TOKEN" 0 'goblet squats'
if [ -n "$HOST_STREAM_BODY" ] && [ "$STREAM" = 1 ]; then check host_stream "$HOST_URL" "$HOST_STREAM_BODY" "$TOKEN" 1 'goblet'; fi
if [ "$PG" = 1 ]; then
  check host_pg_json "$PG_HOST_URL" "$HOST_BODY" "$PG_TOKEN" 0 'goblet squats'
  [ "$PG_TWO" = 1 ] && check pg2_json "$LB_URL" "$HOST_BODY" "$PG_TOKEN" 0 'goblet squats'
  PG_ROWS0=$(python3 "$HERE/tools/vigor_setup.py" count "$PG_URL" "select count(*) from ai_usage_logs") || fail "count rows (PostgreSQL)"
fi
if [ "$BASELINE" = 1 ]; then
  check baseline_json "$BASELINE_URL" "$BODY_OPENAI" "" 0 '"total_tokens":150'
  [ "$STREAM" = 1 ] && check baseline_stream "$BASELINE_URL" "$BODY_OPENAI_STREAM" "" 1 'data: \[DONE\]'
  if [ "$BASELINE_PARTS" = 1 ]; then
    check baseline_forward "http://127.0.0.1:$BASELINE_PORT/forward/v1/chat/completions" "$BODY_OPENAI" "" 0 '"total_tokens":150'
    check baseline_static "http://127.0.0.1:$BASELINE_PORT/static/v1/chat/completions" "$BODY_OPENAI" "" 0 '"total_tokens":150'
  fi
  BROWS0=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from usage_log").fetchone()[0])' "$WORK/data/baseline.sqlite")
fi
grep -q 'dev.vigor.openai' "$WORK/vigor.log" || say "WARNING: the host log does not mention the openai plugin"
ROWS0=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from ai_usage_logs").fetchone()[0])' "$DB")
PROVIDER=$(python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute("select provider, outcome from ai_usage_logs order by id desc limit 1").fetchone(); print(r)' "$DB")
say "last usage-log row: $PROVIDER (must be openai/success)"
case $PROVIDER in *openai*success*) ;; *) fail "the host did not route to the openai plugin: $PROVIDER" ;; esac

# ------------------------------------------------------------------ 3. load
WRK_TOTAL=0; BASELINE_TOTAL=0; PG_TOTAL=0; ROUND=1
cpu_ticks() {  # cpu_ticks PID... : user+system clock ticks of those processes (0 for none or gone ones)
  local p sum=0 t
  for p in "$@"; do t=$(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null) && sum=$(( sum + t )); done
  echo "$sum"
}
measure() {  # measure TARGET(direct|host|baseline|baseline_forward|baseline_static) MODE(json|stream) CONC
  local target=$1 mode=$2 conc=$3 url body token pid tag raw
  case $target in
    direct) url=$MOCK_URL; token=""; pid=$NGINX_WORKER
      if [ "$mode" = stream ]; then body=$BODY_OPENAI_STREAM; else body=$BODY_OPENAI; fi ;;
    baseline*) token=""; pid=$BASELINE_PID
      case $target in
        baseline) url=$BASELINE_URL ;;
        baseline_forward) url=http://127.0.0.1:$BASELINE_PORT/forward/v1/chat/completions ;;
        baseline_static) url=http://127.0.0.1:$BASELINE_PORT/static/v1/chat/completions ;;
      esac
      if [ "$mode" = stream ]; then body=$BODY_OPENAI_STREAM; else body=$BODY_OPENAI; fi ;;
    host_pg) url=$PG_HOST_URL; token=$PG_TOKEN; pid=$PG_PID
      if [ "$mode" = stream ]; then body=$HOST_STREAM_BODY; else body=$HOST_BODY; fi ;;
    pg2) url=$LB_URL; token=$PG_TOKEN; pid=$PG_PID
      if [ "$mode" = stream ]; then body=$HOST_STREAM_BODY; else body=$HOST_BODY; fi ;;
    *) url=$HOST_URL; token=$TOKEN; pid=$VIGOR_PID
      if [ "$mode" = stream ]; then body=$HOST_STREAM_BODY; else body=$HOST_BODY; fi ;;
  esac
  # CPU is summed over every process that serves the target (both hosts behind nginx), and for
  # the PostgreSQL targets the database's own backends serving this database are counted apart.
  local pids=$pid dbpids=
  [ "$target" = pg2 ] && pids="$PG_PID $PG_B_PID"
  case $target in host_pg|pg2) dbpids=$(psql "$PG_ADMIN_URL" -XAtq -c "select pid from pg_stat_activity where datname = '$PG_DBNAME'" 2>/dev/null | tr '\n' ' ') ;; esac
  tag=${target}_${mode}_c${conc}; [ "$ROUNDS" -gt 1 ] && tag=${tag}_r$ROUND; raw=$WORK/wrk_$tag.txt
  local stream=0; [ "$mode" = stream ] && stream=1
  export VB_BODY_FILE=$body VB_TOKEN=$token VB_STREAM=$stream VB_TAG=$tag
  "${PIN_LOADGEN[@]}" timeout $(( WARMUP + 30 )) wrk -t1 -c"$conc" -d"${WARMUP}s" --timeout 10s -s "$HERE/lua/chat.lua" "$url" > "$WORK/warm_$tag.txt" 2>&1 || true
  local rssf=$WORK/rss_$tag.txt; : > "$rssf"
  "${PIN_LOADGEN[@]}" bash -c 'while :; do awk "/^VmRSS:/{print \$2}" /proc/'"$pid"'/status >> '"$rssf"' 2>/dev/null || exit 0; sleep 0.2; done' &
  SAMPLER_PID=$!
  local t0 t1 w0 w1
  t0=$(cpu_ticks $pids); d0=$(cpu_ticks $dbpids); w0=$(date +%s.%N)
  "${PIN_LOADGEN[@]}" timeout $(( DURATION + 30 )) wrk -t1 -c"$conc" -d"${DURATION}s" --timeout 10s -s "$HERE/lua/chat.lua" "$url" > "$raw" 2>&1 || true
  t1=$(cpu_ticks $pids); d1=$(cpu_ticks $dbpids); w1=$(date +%s.%N)
  kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=
  local res; res=$(sed -n 's/^VBRESULT //p' "$raw")
  [ -n "$res" ] || fail "no result from wrk for $tag: $(tail -3 "$raw")"
  record "$(python3 - "$res" "$target" "$mode" "$conc" "$rssf" "$t0" "$t1" "$w0" "$w1" "$(hwm_kb "$pid")" "$ROUND" "$d0" "$d1" "$dbpids" <<'PY'
import json, os, sys
res, target, mode, conc, rssf, t0, t1, w0, w1, hwm, rnd, d0, d1, dbpids = sys.argv[1:]
r = json.loads(res)
rss = [int(x) for x in open(rssf).read().split() if x.isdigit()]
cpu_s = (int(t1) - int(t0)) / os.sysconf("SC_CLK_TCK")
r.update(event="load", target=target, mode=mode, conc=int(conc), round=int(rnd), rss_max_kb=max(rss) if rss else None,
         hwm_kb=int(hwm), server_cpu_pct=round(100 * cpu_s / (float(w1) - float(w0)), 1),
         cpu_us_per_req=round(1e6 * cpu_s / max(1, r["requests"]), 1))
if dbpids.strip():
    r.update(db_backends=len(dbpids.split()), db_cpu_us_per_req=round(1e6 * (int(d1) - int(d0)) / os.sysconf("SC_CLK_TCK") / max(1, r["requests"]), 1))
print(json.dumps(r))
PY
)"
  local errs; errs=$(tail -1 "$RAW" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["err_status"]+r["err_connect"]+r["err_read"]+r["err_write"]+r["err_timeout"])')
  case $target in host_pg|pg2) PG_TOTAL=$(( PG_TOTAL + $(tail -1 "$RAW" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])') )) ;; esac
  [ "$target" = host ] && WRK_TOTAL=$(( WRK_TOTAL + $(tail -1 "$RAW" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])') ))
  [ "$target" = baseline ] && BASELINE_TOTAL=$(( BASELINE_TOTAL + $(tail -1 "$RAW" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])') ))
  say "$(tail -1 "$RAW" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("%-20s %9.0f req/s  p50 %7.3f  p90 %7.3f  p99 %7.3f ms  cpu %5.1f%% (%s us/req)  rss %s kB  errors %s" % (r["tag"], r["rps"], r["p50_us"]/1e3, r["p90_us"]/1e3, r["p99_us"]/1e3, r["server_cpu_pct"], r["cpu_us_per_req"], r["rss_max_kb"], "'"$errs"'"))')"
}

say "host warm-up: ${WARMUP}x2 s at c=10"
VB_BODY_FILE=$HOST_BODY VB_TOKEN=$TOKEN VB_STREAM=0 VB_TAG=warmup "${PIN_LOADGEN[@]}" \
  timeout $(( 2 * WARMUP + 30 )) wrk -t1 -c10 -d"$(( 2 * WARMUP ))s" --timeout 10s -s "$HERE/lua/chat.lua" "$HOST_URL" > "$WORK/warm_host.txt" 2>&1 || true

if [ "$BASELINE" = 1 ]; then
  say "baseline warm-up: ${WARMUP}x2 s at c=10"
  VB_BODY_FILE=$BODY_OPENAI VB_TOKEN= VB_STREAM=0 VB_TAG=warmup "${PIN_LOADGEN[@]}" \
    timeout $(( 2 * WARMUP + 30 )) wrk -t1 -c10 -d"$(( 2 * WARMUP ))s" --timeout 10s -s "$HERE/lua/chat.lua" "$BASELINE_URL" > "$WORK/warm_baseline.txt" 2>&1 || true
fi

MODES=json; [ "$STREAM" = 1 ] && MODES="json stream"
for ROUND in $(seq 1 "$ROUNDS"); do
  [ "$ROUNDS" -gt 1 ] && say "round $ROUND of $ROUNDS"
  for mode in $MODES; do
    for c in $CONCS; do
      measure direct "$mode" "$c"
      if [ "$mode" = stream ] && [ -z "$HOST_STREAM_BODY" ]; then continue; fi
      measure host "$mode" "$c"
      [ "$BASELINE" = 1 ] && measure baseline "$mode" "$c"
      [ "$PG" = 1 ] && measure host_pg "$mode" "$c"
      [ "$PG" = 1 ] && [ "$PG_TWO" = 1 ] && measure pg2 "$mode" "$c"
      if [ "$BASELINE" = 1 ] && [ "$BASELINE_PARTS" = 1 ] && [ "$mode" = json ] && { [ "$c" = 1 ] || [ "$c" = 50 ]; }; then
        measure baseline_forward "$mode" "$c"
        measure baseline_static "$mode" "$c"
      fi
    done
  done
done

sleep 2
record "{\"event\":\"rss_after\",\"rss_kb\":$(rss_kb "$VIGOR_PID"),\"hwm_kb\":$(hwm_kb "$VIGOR_PID")}"
ROWS1=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from ai_usage_logs").fetchone()[0])' "$DB")
record "{\"event\":\"usage_rows\",\"rows_added\":$(( ROWS1 - ROWS0 )),\"wrk_host_requests_measured\":$WRK_TOTAL}"
say "usage-log rows written during the load: $(( ROWS1 - ROWS0 )) (measured host requests: $WRK_TOTAL, plus warm-ups)"
if [ "$PG" = 1 ]; then
  PG_ROWS1=$(python3 "$HERE/tools/vigor_setup.py" count "$PG_URL" "select count(*) from ai_usage_logs") || fail "count rows (PostgreSQL)"
  record "{\"event\":\"pg_rows\",\"rows_added\":$(( PG_ROWS1 - PG_ROWS0 )),\"wrk_pg_requests_measured\":$PG_TOTAL}"
  say "PostgreSQL usage-log rows written during the load: $(( PG_ROWS1 - PG_ROWS0 )) (measured requests through the PostgreSQL hosts: $PG_TOTAL, plus warm-ups)"
  if [ "$PG_TWO" = 1 ]; then
    # Quota exactness across the two hosts: a user whose tier allows EXACT_LIMIT requests a day,
    # EXACT_N requests at once through nginx: exactly EXACT_LIMIT may succeed.
    python3 "$HERE/tools/vigor_setup.py" tier "$PG_URL" exact "$EXACT_LIMIT" || fail "exact tier"
    EX_ACCOUNT=$(python3 "$HERE/tools/vigor_setup.py" account "$PG_URL" "http://127.0.0.1:$LB_PORT" exact@example.com 'bench-password-1' exact) || fail "exact account"
    EX_TOKEN=$(python3 -c 'import json,sys; a=json.loads(sys.argv[1]); print(a["api_key"] or a["access_token"])' "$EX_ACCOUNT")
    EX_USER=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["user_id"])' "$EX_ACCOUNT")
    : > "$WORK/lb/exact.log.before"; cp "$WORK/lb/exact.log" "$WORK/lb/exact.log.before" 2>/dev/null || true
    EX=$("${PIN_LOADGEN[@]}" python3 "$HERE/tools/exact.py" "$LB_URL" "$EX_TOKEN" "$HOST_BODY" "$EXACT_N") || fail "exactness check"
    sleep 1
    EX_ROWS=$(python3 "$HERE/tools/vigor_setup.py" count "$PG_URL" "select count(*) from ai_usage_logs where user_id = '$EX_USER' and outcome = 'success'")
    EX_SPLIT=$(python3 - "$WORK/lb/exact.log" "$WORK/lb/exact.log.before" <<'PY'
import collections, json, sys
before = sum(1 for _ in open(sys.argv[2])) if sys.argv[2] else 0
lines = open(sys.argv[1]).read().splitlines()[before:]
c = collections.Counter(tuple(l.split()[:2]) for l in lines if l.strip())
print(json.dumps({f"{a} {s}": n for (a, s), n in sorted(c.items())}))
PY
)
    record "{\"event\":\"quota_exact\",\"limit\":$EXACT_LIMIT,\"r\":$EX,\"success_rows\":${EX_ROWS:-null},\"by_host\":$EX_SPLIT}"
    say "quota exactness, two hosts behind nginx: $EX; success rows in the usage log: $EX_ROWS (limit $EXACT_LIMIT); by host and status: $EX_SPLIT"
  fi
  for p in $PG_PID $PG_B_PID $LB_PID; do stop_one "$p" TERM; forget "$p"; done
fi
if [ "$BASELINE" = 1 ]; then
  BROWS1=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from usage_log").fetchone()[0])' "$WORK/data/baseline.sqlite")
  record "{\"event\":\"baseline_rows\",\"rows_added\":$(( BROWS1 - BROWS0 )),\"wrk_baseline_requests_measured\":$BASELINE_TOTAL}"
  say "baseline rows written during the load: $(( BROWS1 - BROWS0 )) (measured baseline requests: $BASELINE_TOTAL, plus warm-ups)"
  stop_one "$BASELINE_PID" TERM; forget "$BASELINE_PID"
fi

# ------------------------------------------------------------------ 4. streaming time to first byte (c=1)
if [ "$STREAM" = 1 ] && [ "$EXTRAS" = 1 ]; then
  say "time to first byte: $TTFB_N sequential streaming requests each, one keep-alive connection (curl)"
  d=$(python3 "$HERE/tools/ttfb.py" "$TTFB_N" "$MOCK_URL" "$BODY_OPENAI_STREAM" "" "$WORK/ttfb_direct" "${PIN_LOADGEN[@]}") || fail "ttfb direct"
  record "{\"event\":\"ttfb\",\"target\":\"direct\",\"r\":$d}"
  if [ -n "$HOST_STREAM_BODY" ]; then
    h=$(python3 "$HERE/tools/ttfb.py" "$TTFB_N" "$HOST_URL" "$HOST_STREAM_BODY" "$TOKEN" "$WORK/ttfb_host" "${PIN_LOADGEN[@]}") || fail "ttfb host"
    record "{\"event\":\"ttfb\",\"target\":\"host\",\"r\":$h}"
  fi
  say "ttfb direct $d"; [ -n "$HOST_STREAM_BODY" ] && say "ttfb host   $h"
fi

stop_one "$VIGOR_PID" TERM; forget "$VIGOR_PID"

# ------------------------------------------------------------------ 5. plugins
if [ "$EXTRAS" = 1 ]; then
say "plugin load times: plugbench (C: dlopen + entry + on_init + on_describe, Swift runtime preloaded), and 'vigor plugin list' with all bundled plugins vs an empty folder"
cc -O2 -Wall -Wextra -std=c11 -I"$ROOT/Sources/VigorPluginAPI/include" -o "$WORK/plugbench" "$HERE/plugin/plugbench.c" -ldl || fail "cc plugbench"
mkdir -p "$WORK/empty-plugins"
for p in "${PLUGIN_PRODUCTS[@]}"; do
  so=$WORK/plugins/lib$p.so
  mapfile -t pre < <(ldd "$so" | awk '/=> \//{print "--preload"; print $3}')
  for i in $(seq 1 "$PLUGIN_RUNS"); do "${PIN_SERVER[@]}" "$WORK/plugbench" load "${pre[@]}" "$so"; done > "$WORK/plugload_$p.jsonl" || fail "plugbench load $p"
  "${PIN_SERVER[@]}" "$WORK/plugbench" load "$so" > "$WORK/plugload_cold_$p.json" || fail "plugbench cold $p"
done
python3 - "$WORK" "$PLUGIN_RUNS" "$VIGOR" "$SERVER_CPU" "${PLUGIN_PRODUCTS[@]}" >> "$RAW" <<'PY'
import json, statistics, subprocess, sys, time
work, runs, vigor, cpu, products = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
for p in products:
    rows = [json.loads(l) for l in open(f"{work}/plugload_{p}.jsonl")]
    cold = json.load(open(f"{work}/plugload_cold_{p}.json"))
    med = lambda k: round(statistics.median(r[k] for r in rows), 1)
    print(json.dumps({"event": "plugin_load", "plugin": p, "runs": runs, "dlopen_us": med("dlopen_us"), "init_us": med("init_us"),
                      "describe_us": med("describe_us"), "total_us": med("total_us"), "cold_total_us": round(cold["total_us"], 1)}))
def run_ms(args, n):
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(["taskset", "-c", cpu, vigor] + args, check=True, capture_output=True)
        out.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(out), 2)
n = max(runs, 9)
full, empty, help_ms = run_ms(["plugin", "list", "--plugins", f"{work}/plugins"], n), run_ms(["plugin", "list", "--plugins", f"{work}/empty-plugins"], n), run_ms(["--help"], n)
print(json.dumps({"event": "plugin_list", "runs": n, "plugins": len(products), "all_ms": full, "empty_ms": empty,
                  "delta_ms": round(full - empty, 2), "vigor_help_ms": help_ms}))
PY
python3 "$HERE/tools/plugin_inputs.py" "$WORK/mock" "$WORK/plugin-inputs" "http://127.0.0.1:$MOCK_PORT"
tr=$("${PIN_SERVER[@]}" "$WORK/plugbench" translate "$WORK/plugins/libVigorOpenAI.so" dev.vigor.openai "$WORK/plugin-inputs/build_input.json" \
     "$WORK/plugin-inputs/parse_input.json" "$WORK/plugin-inputs/stream_request.json" "$WORK/mock/stream.sse" "$TRANSLATE_ITERS") || fail "plugbench translate"
record "{\"event\":\"translate\",\"r\":$tr}"
say "translate (openai): $tr"

# ------------------------------------------------------------------ 6. start to ready
say "start-to-ready: $READY_RUNS runs on the migrated database (restart), $READY_RUNS on a missing file (first start)"
vigor_env "http://127.0.0.1:$MOCK_PORT"
for kind in restart first; do
  tmpl=$WORK/template.sqlite; [ "$kind" = first ] && tmpl=-
  r=$(python3 "$HERE/tools/startready.py" "$READY_RUNS" "$VIGOR_PORT" "$tmpl" "$WORK" -- "${PIN_SERVER[@]}" "${VENV[@]}" "$VIGOR" serve \
      --host 127.0.0.1 --port "$VIGOR_PORT" --database "{db}" --plugins "$WORK/plugins" --config "$WORK/vigor-config.json") || fail "start-to-ready"
  record "{\"event\":\"ready\",\"kind\":\"$kind\",\"r\":$r}"
  say "start-to-ready ($kind): $r"
done
fi  # EXTRAS

# ------------------------------------------------------------------ 7. report
record "{\"event\":\"end\",\"loadavg_end\":$(python3 -c 'import json; print(json.dumps(open("/proc/loadavg").read().split()[:3]))')}"
STAMP=$(date +%Y%m%d-%H%M%S)
python3 "$HERE/tools/report.py" "$RAW" "$RESULTS_DIR/latest.json" | tee "$RESULTS_DIR/latest.txt"
cp "$RESULTS_DIR/latest.json" "$RESULTS_DIR/run-$STAMP.json"; cp "$RESULTS_DIR/latest.txt" "$RESULTS_DIR/run-$STAMP.txt"
cp "$RAW" "$RESULTS_DIR/run-$STAMP.raw.jsonl"; cp "$WORK/vigor.log" "$RESULTS_DIR/run-$STAMP.vigor.log" 2>/dev/null || true
say "results: bench/results/latest.json (and run-$STAMP.*)"

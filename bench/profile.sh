#!/usr/bin/env bash
# Profiles the release host on the benchmark's request path (same mock, database set-up,
# route and credential as bench/run.sh). Bounded: a fixed number of requests per tool.
#
#   bench/profile.sh [callgrind] [strace] [perf]      (default: all three)
#
#   callgrind  vigor under valgrind --tool=callgrind; N_CALLGRIND (1000) sequential requests
#              (one keep-alive connection, curl) after 100 unrecorded ones, counters zeroed
#              and dumped around them with callgrind_control; callgrind_annotate tops
#              (exclusive and inclusive). Instruction counts: CPU work only, no waiting.
#              CALLGRIND_TARGETS="host baseline" (default "host"): the baseline gateway too
#              (JSON only), so the host's count can be set against what the stack's parts cost.
#   strace     strace -c -f on the running host for N_STRACE (3000) sequential requests:
#              syscall counts and time (fsync/fdatasync per commit shows here, not in callgrind).
#              STRACE_TARGETS="host baseline" (default "host"): the baseline gateway too.
#   startup    perf record -e cpu-clock of a second `vigor serve` from exec until /ready answers
#              (a time line with strace -f -r too): what the start-to-ready time is spent on.
#   perf       perf record -e cpu-clock -g (software event; this VM has no hardware counters)
#              for PERF_SECONDS (10) of wrk at c=PERF_CONC (50); perf report tops, and the
#              request path's parts in microseconds per request (bench/tools/perf_parts.py).
#              PERF_TARGETS="host baseline" (default "host"): also the baseline gateway
#              (bench/baseline) under the same load, to set the host's parts against the stack's own.
# Output: bench/results/profile-<tool>-*.txt.  Knobs: as bench/run.sh (SKIP_BUILD, ENDPOINT, AUTH, ports).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
TOOLS=${*:-callgrind strace perf startup}
# callgrind restarts the host under valgrind and stops it: it must run after the others.
TOOLS="$(for t in $TOOLS; do [ "$t" != callgrind ] && echo "$t"; done | tr '\n' ' ')$(case " $TOOLS " in *" callgrind "*) echo callgrind ;; esac)"
N_CALLGRIND=${N_CALLGRIND:-1000}
PROFILE_MODE=${PROFILE_MODE:-json}   # json | stream (what the sequential requests ask for)
N_STRACE=${N_STRACE:-3000}
PERF_SECONDS=${PERF_SECONDS:-10}
PERF_CONC=${PERF_CONC:-50}
PERF_TARGETS=${PERF_TARGETS:-host}
STRACE_TARGETS=${STRACE_TARGETS:-host}
CALLGRIND_TARGETS=${CALLGRIND_TARGETS:-host}
# Frame-pointer call chains (fp) are cheap but stop at code built without frame pointers
# (Debian's libsqlite3, parts of libc), so inclusive costs of database work come out short;
# PERF_CALLGRAPH=dwarf unwinds with debug info (heavier: use PERF_FREQ=499).
PERF_CALLGRAPH=${PERF_CALLGRAPH:-fp}
PERF_FREQ=${PERF_FREQ:-1999}
BASELINE_PORT=${BASELINE_PORT:-18994}
MOCK_PORT=${MOCK_PORT:-18990}
VIGOR_PORT=${VIGOR_PORT:-18991}
RESULTS_DIR=$HERE/results
mkdir -p "$RESULTS_DIR"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vigor-profile.XXXXXX")
LOG=$WORK/bench.log
source "$HERE/lib.sh"
AUX_PID=
cleanup() {
  [ -n "$AUX_PID" ] && { kill -INT "$AUX_PID" 2>/dev/null || true; wait "$AUX_PID" 2>/dev/null || true; }
  stop_all
  if [ "${KEEP_WORK:-0}" = 1 ]; then say "work files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'say interrupted; exit 130' INT TERM
STAMP=$(date +%Y%m%d-%H%M%S)

ensure_tools
need_debian valgrind valgrind
build_release
start_mock "$MOCK_PORT"
DB=$WORK/data/vigor.sqlite
mkdir -p "$WORK/data"
write_vigor_config
prepare_db "$DB"
BASE=http://127.0.0.1:$VIGOR_PORT
say "profiling $(build_identity)"

# N sequential requests over one keep-alive connection (a curl config with N blocks).
requests() {  # requests N [URL BODY TOKEN]   (PROFILE_MODE=stream: streaming requests)
  local i cfg=$WORK/req.curlrc url=${2:-$HOST_URL} body=${3:-$HOST_BODY} token=${4-$TOKEN} accept=application/json
  if [ "$PROFILE_MODE" = stream ]; then
    [ -n "$HOST_STREAM_BODY" ] || fail "this route has no streaming"
    body=$HOST_STREAM_BODY; accept=text/event-stream
  fi
  : > "$cfg"
  for i in $(seq 1 "$1"); do
    [ "$i" -gt 1 ] && echo next >> "$cfg"
    printf 'url = "%s"\nrequest = "POST"\ndata-binary = "@%s"\nheader = "Content-Type: application/json"\nheader = "Accept: %s"\n' \
      "$url" "$body" "$accept" >> "$cfg"
    [ -n "$token" ] && printf 'header = "Authorization: Bearer %s"\n' "$token" >> "$cfg"
    printf 'output = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' >> "$cfg"
  done
  "${PIN_LOADGEN[@]}" curl -s --max-time 3600 -K "$cfg" | sort | uniq -c | tr '\n' ' '
}

# A host started normally, set up once; the account (API key / JWT) is reused by later starts.
start_vigor "$DB" "$VIGOR_PORT" "http://127.0.0.1:$MOCK_PORT" "$WORK/vigor.log"
setup_account_and_endpoint "$DB" "$BASE"
say "endpoint $HOST_URL, auth $AUTH"

# callgrind_one host|baseline: the target restarted under valgrind, N_CALLGRIND sequential
# requests counted after 100 unrecorded ones; a summary in bench/results/profile-callgrind-*.txt.
callgrind_one() {
  local target=$1 pid url body token name out total tag
  # valgrind 3.19 cannot read the DWARF 5 the Swift 6.3 toolchain emits ("unhandled dwarf2 abbrev
  # form", then it gives up): profile copies without debug info. Symbols stay, so the profile is
  # per function (no source lines). It also dies in Swift's async main (libdispatch's
  # dispatch_main); a preloaded dispatch_main that drains the main queue on the main thread avoids
  # it (bench/plugin/vgmain.c).
  mkdir -p "$WORK/nodebug/plugins"
  [ -f "$WORK/nodebug/vgmain.so" ] || cc -O2 -shared -fPIC -o "$WORK/nodebug/vgmain.so" "$HERE/plugin/vgmain.c" || fail "cc vgmain.so"
  case $target in
    host)
      say "callgrind: restarting vigor under valgrind (slow start)"
      stop_one "$VIGOR_PID" TERM; forget "$VIGOR_PID"
      objcopy --strip-debug "$VIGOR" "$WORK/nodebug/vigor"
      for so in "$WORK"/plugins/*.so; do objcopy --strip-debug "$so" "$WORK/nodebug/plugins/$(basename "$so")"; done
      vigor_env "http://127.0.0.1:$MOCK_PORT"
      "${PIN_SERVER[@]}" "${VENV[@]}" LD_PRELOAD="$WORK/nodebug/vgmain.so" valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out.%p" \
        "$WORK/nodebug/vigor" serve --host 127.0.0.1 --port "$VIGOR_PORT" --database "$DB" --plugins "$WORK/nodebug/plugins" \
        --config "$WORK/vigor-config.json" > "$WORK/vigor-callgrind.log" 2>&1 &
      pid=$!; VIGOR_PID=$pid; BENCH_PIDS+=("$pid")
      wait_http "$BASE/ready" "$pid" 600
      url=$HOST_URL body=$HOST_BODY token=$TOKEN name="vigor serve (release)" tag=$PROFILE_MODE ;;
    baseline)
      [ "$PROFILE_MODE" = json ] || fail "the baseline gateway is profiled for JSON requests only"
      [ -n "${BASELINE_BIN:-}" ] || build_baseline
      [ -n "${BASELINE_PID:-}" ] && { stop_one "$BASELINE_PID" TERM; forget "$BASELINE_PID"; BASELINE_PID=; }
      say "callgrind: starting the baseline gateway under valgrind (slow start)"
      objcopy --strip-debug "$BASELINE_BIN" "$WORK/nodebug/vigor-baseline"
      rm -f "$WORK/baseline.sqlite" "$WORK/baseline.sqlite-wal" "$WORK/baseline.sqlite-shm"
      "${PIN_SERVER[@]}" env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 LD_PRELOAD="$WORK/nodebug/vgmain.so" \
        valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out.%p" "$WORK/nodebug/vigor-baseline" \
        --host 127.0.0.1 --port "$BASELINE_PORT" --upstream "http://127.0.0.1:$MOCK_PORT/v1/chat/completions" \
        --database "$WORK/baseline.sqlite" > "$WORK/baseline-callgrind.log" 2>&1 &
      pid=$!; BENCH_PIDS+=("$pid")
      wait_http "http://127.0.0.1:$BASELINE_PORT/ready" "$pid" 600
      url=http://127.0.0.1:$BASELINE_PORT/v1/chat/completions body=$BODY_OPENAI token= name="vigor-baseline (bench/baseline, release)" tag=baseline ;;
    *) fail "unknown callgrind target $target (host or baseline)" ;;
  esac
  say "warm-up: $(requests 100 "$url" "$body" "$token")"
  callgrind_control -z "$pid" >>"$LOG" 2>&1
  t0=$SECONDS
  say "answers: $(requests "$N_CALLGRIND" "$url" "$body" "$token") in $(( SECONDS - t0 )) s under callgrind"
  callgrind_control -d "$pid" >>"$LOG" 2>&1
  sleep 2
  out=$(ls -1 "$WORK"/callgrind.out."$pid".* 2>/dev/null | sort -t. -k3 -n | tail -n 1)
  [ -n "$out" ] || fail "no callgrind dump in $WORK"
  set +o pipefail
  total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/{gsub(",","",$1); print $1}')
  {
    echo "# callgrind on $name: $N_CALLGRIND sequential $PROFILE_MODE requests to $url, counters zeroed after 100 warm-up requests, $(date)"
    echo "# file: $(basename "$out"); total $total instructions = $(( total / N_CALLGRIND )) per request (all threads)"
    echo "# symbols demangled with swift demangle --simplified; inclusive costs of async functions are split at suspension points"
    echo; echo "## by part (bench/tools/cg_summary.py)"
    python3 "$HERE/tools/cg_summary.py" "$out" "$N_CALLGRIND"
    echo; echo "## exclusive (self) instruction counts"
    callgrind_annotate --threshold=100 "$out" 2>/dev/null | sed -n '/file:function/,$p' | swift demangle --simplified | cut -c1-240 | head -60
    echo; echo "## inclusive"
    callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null | sed -n '/file:function/,$p' | swift demangle --simplified | cut -c1-240 | head -400
  } > "$RESULTS_DIR/profile-callgrind-$tag-$STAMP.txt"
  cp "$out" "$RESULTS_DIR/profile-callgrind-$tag-$STAMP.out"
  head -60 "$RESULTS_DIR/profile-callgrind-$tag-$STAMP.txt"
  stop_one "$pid" TERM; forget "$pid"
  set -o pipefail
}

for tool in $TOOLS; do
  set -o pipefail
  case $tool in
    strace)
      for starget in $STRACE_TARGETS; do
        set -o pipefail
        if [ "$starget" = baseline ]; then
          [ -n "${BASELINE_BIN:-}" ] || build_baseline
          [ -n "${BASELINE_PID:-}" ] || start_baseline "$BASELINE_PORT" "http://127.0.0.1:$MOCK_PORT/v1/chat/completions" "$WORK/baseline.sqlite" "$WORK/baseline.log"
          spid=$BASELINE_PID; sargs=("http://127.0.0.1:$BASELINE_PORT/v1/chat/completions" "$BODY_OPENAI" "")
          sname="vigor-baseline (bench/baseline)"
        else
          spid=$VIGOR_PID; sargs=("$HOST_URL" "$HOST_BODY" "$TOKEN"); sname="vigor serve (release), $HOST_URL ($AUTH)"
        fi
        say "strace -c -f on $starget: $N_STRACE sequential requests"
        requests 200 "${sargs[@]}" >/dev/null
        "${PIN_LOADGEN[@]}" strace -c -f -q -p "$spid" -o "$WORK/strace.txt" &
        AUX_PID=$!; sleep 1
        say "answers: $(requests "$N_STRACE" "${sargs[@]}")"
        kill -INT "$AUX_PID"; wait "$AUX_PID" 2>/dev/null || true; AUX_PID=
        set +o pipefail   # the reports below cut long outputs with head
        { echo "# strace -c -f on $sname, $N_STRACE sequential requests, $(date)"; cat "$WORK/strace.txt"; } \
          > "$RESULTS_DIR/profile-strace-$starget-$STAMP.txt"
        head -30 "$RESULTS_DIR/profile-strace-$starget-$STAMP.txt"
      done ;;
    perf)
      command -v perf >/dev/null || { say "no perf: skipped"; continue; }
      for ptarget in $PERF_TARGETS; do
        set -o pipefail
        if [ "$ptarget" = baseline ]; then
          [ -n "${BASELINE_BIN:-}" ] || build_baseline
          [ -n "${BASELINE_PID:-}" ] || start_baseline "$BASELINE_PORT" "http://127.0.0.1:$MOCK_PORT/v1/chat/completions" "$WORK/baseline.sqlite" "$WORK/baseline.log"
          ppid=$BASELINE_PID; purl=http://127.0.0.1:$BASELINE_PORT/v1/chat/completions; pbody=$BODY_OPENAI; ptoken=
          pname="vigor-baseline (bench/baseline, release sha256 $BASELINE_SHA)"
        else
          ppid=$VIGOR_PID; purl=$HOST_URL; pbody=$HOST_BODY; ptoken=$TOKEN; pname="vigor serve (release)"
        fi
        say "perf record -e cpu-clock --call-graph $PERF_CALLGRAPH -F $PERF_FREQ on $ptarget: ${PERF_SECONDS} s of wrk at c=$PERF_CONC (after a ${PERF_SECONDS} s warm-up)"
        VB_BODY_FILE=$pbody VB_TOKEN=$ptoken VB_STREAM=0 VB_TAG=warm "${PIN_LOADGEN[@]}" timeout $(( PERF_SECONDS + 30 )) \
          wrk -t1 -c"$PERF_CONC" -d"${PERF_SECONDS}s" --timeout 10s -s "$HERE/lua/chat.lua" "$purl" >/dev/null 2>&1 || true
        "${PIN_LOADGEN[@]}" perf record -e cpu-clock -F "$PERF_FREQ" --call-graph "$PERF_CALLGRAPH" -p "$ppid" -o "$WORK/perf-$ptarget.data" >>"$LOG" 2>&1 &
        AUX_PID=$!; sleep 1
        c0=$(awk '{print $14+$15}' "/proc/$ppid/stat")
        res=$(VB_BODY_FILE=$pbody VB_TOKEN=$ptoken VB_STREAM=0 VB_TAG=perf "${PIN_LOADGEN[@]}" timeout $(( PERF_SECONDS + 30 )) \
          wrk -t1 -c"$PERF_CONC" -d"${PERF_SECONDS}s" --timeout 10s -s "$HERE/lua/chat.lua" "$purl" | sed -n 's/^VBRESULT //p')
        c1=$(awk '{print $14+$15}' "/proc/$ppid/stat")
        kill -INT "$AUX_PID"; wait "$AUX_PID" 2>/dev/null || true; AUX_PID=
        echo "$res" | tee -a "$LOG"
        us=$(python3 -c 'import json,os,sys; r=json.loads(sys.argv[1]); print(round(1e6*(int(sys.argv[3])-int(sys.argv[2]))/os.sysconf("SC_CLK_TCK")/max(1,r["requests"]),1))' "$res" "$c0" "$c1")
        rps=$(python3 -c 'import json,sys; print(round(json.loads(sys.argv[1])["rps"]))' "$res")
        say "$ptarget under perf: $rps req/s, $us us of CPU per request"
        set +o pipefail
        out=$RESULTS_DIR/profile-perf-$ptarget-$STAMP.txt
        { echo "# perf (cpu-clock, --call-graph $PERF_CALLGRAPH, -F $PERF_FREQ) on $pname, wrk c=$PERF_CONC ${PERF_SECONDS}s to $purl, $(date)"
          echo "# under perf: $rps req/s, $us us of CPU per request (the process's own CPU time / requests)"
          echo; echo "## parts (bench/tools/perf_parts.py)"
          python3 "$HERE/tools/perf_parts.py" "$WORK/perf-$ptarget.data" "$us"
          echo; echo "## CPU by thread (perf report --sort comm)"
          perf report -i "$WORK/perf-$ptarget.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep -v "^$" | grep -v "^#" | head -12
          echo; echo "## self time, top symbols"
          perf report -i "$WORK/perf-$ptarget.data" --no-children --sort dso,symbol --stdio -g none --percent-limit 0.4 2>/dev/null | grep -v "^$" | grep -v "^#" | swift demangle --simplified | cut -c1-200 | head -80
        } > "$out"
        head -60 "$out"
      done ;;
    startup)
      command -v perf >/dev/null || { say "no perf: skipped"; continue; }
      say "start-up profile: perf record + strace of a second vigor serve (copy of the database) until /ready"
      cp "$DB" "$WORK/startup.sqlite"
      vigor_env "http://127.0.0.1:$MOCK_PORT"
      port2=$(( VIGOR_PORT + 1 )); port_free "$port2" || fail "port $port2 in use"
      for how in perf strace; do
        if [ "$how" = perf ]; then wrap=(perf record -e cpu-clock -F 4999 -g -o "$WORK/startup.perf.data")
        else wrap=(strace -f -r -o "$WORK/startup.strace.txt" -e trace=execve,openat,mmap,bind,listen,clone3,clone,fdatasync,fsync,nanosleep,clock_nanosleep,futex); fi
        t0=$(date +%s%N)
        "${PIN_SERVER[@]}" "${VENV[@]}" "${wrap[@]}" "$VIGOR" serve --host 127.0.0.1 --port "$port2" --database "$WORK/startup.sqlite" \
          --plugins "$WORK/plugins" --config "$WORK/vigor-config.json" > "$WORK/startup-$how.log" 2>&1 &
        AUX_PID=$!
        until curl -s -o /dev/null -f "http://127.0.0.1:$port2/ready"; do sleep 0.005; alive "$AUX_PID" || fail "startup run died"; done
        t1=$(date +%s%N)
        say "start-up under $how: ready after $(( (t1 - t0) / 1000000 )) ms"
        pid=$(pgrep -P "$AUX_PID" | head -1)   # vigor is the child of perf / strace (taskset and env exec)
        [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
        wait "$AUX_PID" 2>/dev/null || true; AUX_PID=
      done
      set +o pipefail
      { echo "# start-up of vigor serve (release) until /ready, perf cpu-clock samples, $(date)"
        perf report -i "$WORK/startup.perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -20
        echo; echo "## top symbols (self)"
        perf report -i "$WORK/startup.perf.data" --no-children --sort dso,symbol --stdio -g none --percent-limit 0.7 2>/dev/null | grep -v "^$" | grep -v "^#" | cut -c1-200 | head -40
        echo; echo "## inclusive (children), top"
        perf report -i "$WORK/startup.perf.data" --children --sort symbol --stdio -g none --percent-limit 3 2>/dev/null | grep -v "^$" | grep -v "^#" | swift demangle --simplified | cut -c1-200 | head -60
        echo; echo "## strace -f -r time line (gaps > 20 ms marked)"
        awk '{ if ($2+0 > 0.02) print ">>> " $0; }' "$WORK/startup.strace.txt" | head -40
        echo "total syscalls traced: $(wc -l < "$WORK/startup.strace.txt")"
      } > "$RESULTS_DIR/profile-startup-$STAMP.txt"
      head -40 "$RESULTS_DIR/profile-startup-$STAMP.txt" ;;
    callgrind)
      for cgtarget in $CALLGRIND_TARGETS; do callgrind_one "$cgtarget"; done ;;
    *) fail "unknown tool $tool" ;;
  esac
done
say "profiles in bench/results/profile-*-$STAMP.*"

# Shared by bench/run.sh and bench/peer.sh (sourced, not run).
# Expects: ROOT (repo root), HERE (bench/), WORK (a private temp dir), LOG (a log file).

SWIFT=${SWIFT:-swift}
# The bundled plugins: `make bench` passes the Makefile's PLUGIN_PRODUCTS; this list is the fallback.
read -r -a PLUGIN_PRODUCTS <<< "${PLUGIN_PRODUCTS:-VigorFallback VigorPlanner VigorOpenAI VigorGemini VigorPerplexity VigorLLMPlanner}"
SERVER_CPU=${SERVER_CPU:-1}
LOADGEN_CPU=${LOADGEN_CPU:-0}
PIN_SERVER=(taskset -c "$SERVER_CPU")
PIN_LOADGEN=(taskset -c "$LOADGEN_CPU")

say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$LOG" >&2; }
fail() { say "FAILED: $*"; exit 1; }

# ------------------------------------------------------------------ processes we start
# Only PIDs recorded here are ever signalled.
declare -a BENCH_PIDS=()
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) && [[ -n "$s" && "$s" != Z* ]]; }
stop_one() {  # stop_one PID SIGNAL
  local pid=$1 sig=${2:-TERM} i
  alive "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
  kill "-$sig" "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
  alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
forget() { local p keep=(); for p in "${BENCH_PIDS[@]}"; do [ "$p" != "$1" ] && keep+=("$p"); done; BENCH_PIDS=("${keep[@]}"); }
stop_all() {
  local i
  for (( i=${#BENCH_PIDS[@]}-1; i>=0; i-- )); do stop_one "${BENCH_PIDS[$i]}" TERM; done
  BENCH_PIDS=()
}
port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# ------------------------------------------------------------------ tools and build
need_debian() {  # need_debian COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  say "installing $2 (Debian) for $1"
  local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -q >>"$LOG" 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$2" >>"$LOG" 2>&1 || fail "apt-get install $2"
}
ensure_tools() {
  need_debian nginx nginx
  need_debian wrk wrk
  need_debian curl curl
  need_debian taskset util-linux
  need_debian cc gcc
  need_debian python3 python3
  need_debian ss iproute2
  [ "$(nproc)" -ge 2 ] || say "WARNING: $(nproc) CPU(s): server and load generator cannot be pinned apart"
}

# Release builds use their own scratch paths (BENCH_SCRATCH, default .build-bench; the baseline:
# .build-baseline), so they never wait on, or hold, the lock of the default .build that debug
# builds and `make test` use.
BENCH_SCRATCH=${BENCH_SCRATCH:-$ROOT/.build-bench}
BASELINE_SCRATCH=${BASELINE_SCRATCH:-$ROOT/.build-baseline}
# BENCH_REV=<git revision> (e.g. HEAD): build and measure that commit, laid into
# $BENCH_SCRATCH-src by bench/tools/snapshot.py, instead of the working tree (which, in a
# shared tree, may be half-edited or change during the build). Incremental across commits.
BENCH_REV=${BENCH_REV:-}
BUILD_ROOT=$ROOT
build_release() {
  if [ -n "$BENCH_REV" ] && [ -z "${BIN_DIR:-}" ]; then
    BUILD_ROOT=$BENCH_SCRATCH-src
    if [ "${SKIP_BUILD:-0}" = 1 ]; then  # the commit the last build was made from
      BENCH_COMMIT=$(cat "$BENCH_SCRATCH/bench-commit" 2>/dev/null) || fail "SKIP_BUILD=1 with BENCH_REV: no earlier BENCH_REV build in $BENCH_SCRATCH"
    else
      BENCH_COMMIT=$(python3 "$HERE/tools/snapshot.py" "$ROOT" "$BENCH_REV" "$BUILD_ROOT") || fail "snapshot of $BENCH_REV"
      [ -f "$ROOT/Package.resolved" ] && cp "$ROOT/Package.resolved" "$BUILD_ROOT/Package.resolved"
      say "BENCH_REV=$BENCH_REV: building commit ${BENCH_COMMIT:0:12} from $BUILD_ROOT (not the working tree)"
    fi
  fi
  if [ -n "${BIN_DIR:-}" ]; then  # harness development only: use another build (e.g. .build/debug)
    BIN=$BIN_DIR; say "WARNING: BIN_DIR=$BIN_DIR -- not the release build, figures are not comparable"
  elif [ "${SKIP_BUILD:-0}" = 1 ]; then say "SKIP_BUILD=1: using the existing release build in $BENCH_SCRATCH"
  else
    say "release build: vigor + ${PLUGIN_PRODUCTS[*]} in $BENCH_SCRATCH (the first one takes 10-20 min; log in $WORK/build.log)"
    local p
    (cd "$BUILD_ROOT" && "$SWIFT" build -c release --scratch-path "$BENCH_SCRATCH" --product vigor) >>"$WORK/build.log" 2>&1 \
      || fail "swift build -c release --scratch-path $BENCH_SCRATCH --product vigor (see $WORK/build.log)"
    for p in "${PLUGIN_PRODUCTS[@]}"; do
      (cd "$BUILD_ROOT" && "$SWIFT" build -c release --scratch-path "$BENCH_SCRATCH" --product "$p") >>"$WORK/build.log" 2>&1 \
        || fail "swift build -c release --scratch-path $BENCH_SCRATCH --product $p (see $WORK/build.log)"
    done
    if [ -n "${BENCH_COMMIT:-}" ]; then echo "$BENCH_COMMIT" > "$BENCH_SCRATCH/bench-commit"; fi
  fi
  [ -n "${BIN_DIR:-}" ] || BIN=$(cd "$BUILD_ROOT" && "$SWIFT" build -c release --scratch-path "$BENCH_SCRATCH" --show-bin-path)
  [ -x "$BIN/vigor" ] || fail "no release vigor at $BIN/vigor"
  # Run from a private copy: a concurrent build must not replace the binary mid-run.
  mkdir -p "$WORK/bin"; cp "$BIN/vigor" "$WORK/bin/vigor"; VIGOR=$WORK/bin/vigor
  mkdir -p "$WORK/plugins"
  local p
  for p in "${PLUGIN_PRODUCTS[@]}"; do
    [ -f "$BIN/lib$p.so" ] || fail "no release plugin $BIN/lib$p.so"
    cp "$BIN/lib$p.so" "$WORK/plugins/"
  done
  say "release build ready: $VIGOR; plugins staged in $WORK/plugins"
}

# The baseline gateway (bench/baseline: Hummingbird + AsyncHTTPClient + one GRDB row per request,
# no auth, no ledger), a package of its own, release build in $BASELINE_SCRATCH. The root's
# Package.resolved is copied in first, so it resolves the same versions of the shared parts.
build_baseline() {  # -> BASELINE_BIN (a private copy of the binary)
  local pkg=$HERE/baseline bin
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -x "$BASELINE_SCRATCH/release/vigor-baseline" ]; then
    say "SKIP_BUILD=1: using the existing baseline build in $BASELINE_SCRATCH"
  else
    [ -f "$ROOT/Package.resolved" ] && cp "$ROOT/Package.resolved" "$pkg/Package.resolved"
    say "release build: bench/baseline in $BASELINE_SCRATCH (first one ~10 min)"
    "$SWIFT" build -c release --package-path "$pkg" --scratch-path "$BASELINE_SCRATCH" >>"$WORK/build.log" 2>&1 \
      || fail "swift build -c release --package-path bench/baseline (see $WORK/build.log)"
  fi
  bin=$("$SWIFT" build -c release --package-path "$pkg" --scratch-path "$BASELINE_SCRATCH" --show-bin-path)
  [ -x "$bin/vigor-baseline" ] || fail "no baseline binary at $bin/vigor-baseline"
  mkdir -p "$WORK/bin"; cp "$bin/vigor-baseline" "$WORK/bin/vigor-baseline"; BASELINE_BIN=$WORK/bin/vigor-baseline
  BASELINE_SHA=$(sha256sum "$BASELINE_BIN" | cut -c1-12)
}

start_baseline() {  # start_baseline PORT UPSTREAM_URL DB LOGFILE -> BASELINE_PID
  port_free "$1" || fail "port $1 is in use (not ours); set BASELINE_PORT"
  rm -f "$3" "$3-wal" "$3-shm"
  "${PIN_SERVER[@]}" env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 ${BENCH_BASELINE_ENV:-} \
      "$BASELINE_BIN" --host 127.0.0.1 --port "$1" --upstream "$2" --database "$3" >"$4" 2>&1 &
  BASELINE_PID=$!; BENCH_PIDS+=("$BASELINE_PID")
  wait_http "http://127.0.0.1:$1/ready" "$BASELINE_PID" 60
}

# ------------------------------------------------------------------ vigor
# The host's environment: nothing inherited but PATH/HOME; only the openai key, pointed at a mock.
vigor_env() {  # vigor_env MOCK_BASE_URL [NAME=value ...] -> array VENV
  local mock=$1; shift
  VENV=(env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8
        OPENAI_API_KEY=bench VIGOR_OPENAI_BASE_URL="$mock" VIGOR_LOG_LEVEL="${VIGOR_LOG_LEVEL:-info}"
        ${BENCH_VIGOR_ENV:-} "$@")
}

# The bench config file: access tokens live 2 h so a JWT outlasts the run (per-request cost is
# the same as with 15 min); everything else stays at the production defaults.
write_vigor_config() { printf '{"access_token_ttl_seconds": 7200}\n' > "$WORK/vigor-config.json"; }

prepare_db() {  # prepare_db DB : migrated database with the bench tier
  rm -f "$1" "$1-wal" "$1-shm"
  "$VIGOR" migrate --database "$1" >>"$LOG" 2>&1 || fail "vigor migrate"
  python3 "$HERE/tools/vigor_setup.py" tier "$1" || fail "bench tier"
}

wait_http() {  # wait_http URL PID TIMEOUT_S
  local t0=$SECONDS
  until curl -s -o /dev/null -f --max-time 2 "$1"; do
    [ -n "$2" ] && ! alive "$2" && fail "process $2 exited before $1 answered"
    (( SECONDS - t0 > $3 )) && fail "$1 not answering after $3 s"
    sleep 0.05
  done
}

start_vigor() {  # start_vigor DB PORT MOCK_BASE_URL LOGFILE [NAME=value ...] -> VIGOR_PID  (DB: a file or a postgres:// URL)
  local db=$1 port=$2 mock=$3 logfile=$4; shift 4
  port_free "$port" || fail "port $port is in use (not ours); set VIGOR_PORT"
  vigor_env "$mock" "$@"
  "${PIN_SERVER[@]}" "${VENV[@]}" "$VIGOR" serve --host 127.0.0.1 --port "$port" --database "$db" \
      --plugins "$WORK/plugins" --config "$WORK/vigor-config.json" >"$logfile" 2>&1 &
  VIGOR_PID=$!; BENCH_PIDS+=("$VIGOR_PID")
  wait_http "http://127.0.0.1:$port/ready" "$VIGOR_PID" 60
}

rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# ------------------------------------------------------------------ mock upstream (nginx)
start_mock() {  # start_mock PORT -> NGINX_PID NGINX_WORKER MOCK_URL, bodies in $WORK/mock
  port_free "$1" || fail "port $1 is in use (not ours); set MOCK_PORT"
  mkdir -p "$WORK/mock/run/tmp"
  chmod 711 "$WORK"; chmod 755 "$WORK/mock"   # nginx workers run unprivileged and must read the SSE file
  python3 "$HERE/mock/generate.py" "$WORK/mock" "$1" "$WORK/mock/run" | tee -a "$LOG" >&2
  nginx -t -q -p "$WORK/mock/run" -c "$WORK/mock/nginx.conf" -e "$WORK/mock/run/nginx_error.log" 2>>"$LOG" || fail "nginx config"
  "${PIN_LOADGEN[@]}" nginx -p "$WORK/mock/run" -c "$WORK/mock/nginx.conf" -e "$WORK/mock/run/nginx_error.log" >>"$LOG" 2>&1 &
  NGINX_PID=$!; BENCH_PIDS+=("$NGINX_PID")
  wait_http "http://127.0.0.1:$1/health" "$NGINX_PID" 10
  NGINX_WORKER=$(pgrep -P "$NGINX_PID" | head -1)
  MOCK_URL=http://127.0.0.1:$1/v1/chat/completions
  say "mock: nginx master $NGINX_PID, worker $NGINX_WORKER on 127.0.0.1:$1 (CPU $LOADGEN_CPU)"
}

# ------------------------------------------------------------------ account, route, credential
# setup_account_and_endpoint DB BASE_URL -> TOKEN HOST_URL HOST_BODY HOST_STREAM_BODY BODY_OPENAI
#   BODY_OPENAI_STREAM ENDPOINT AUTH ACCESS_TOKEN API_KEY  (ENDPOINT/AUTH: auto unless set)
setup_account_and_endpoint() {
  local db=$1 base=$2 account code
  account=$(python3 "$HERE/tools/vigor_setup.py" account "$db" "$base" bench@example.com 'bench-password-1') || fail "account set-up"
  ACCESS_TOKEN=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["access_token"])' "$account")
  API_KEY=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["api_key"] or "")' "$account")
  BODY_OPENAI=$WORK/body_openai.json; BODY_OPENAI_STREAM=$WORK/body_openai_stream.json; BODY_CHAT=$WORK/body_chat.json
  printf '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Plan a 3-day beginner workout"}]}' > "$BODY_OPENAI"
  printf '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Plan a 3-day beginner workout"}]}' > "$BODY_OPENAI_STREAM"
  printf '{"message":"Plan a 3-day beginner workout"}' > "$BODY_CHAT"
  ENDPOINT=${ENDPOINT:-auto}; AUTH=${AUTH:-auto}
  if [ "$ENDPOINT" = auto ]; then
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ACCESS_TOKEN" -H 'Content-Type: application/json' \
           --data-binary "@$BODY_OPENAI" "$base/v1/chat/completions")
    if [ "$code" = 404 ] || [ "$code" = 405 ]; then ENDPOINT=chat; else ENDPOINT=openai; fi
  fi
  if [ "$AUTH" = auto ]; then if [ -n "$API_KEY" ]; then AUTH=apikey; else AUTH=jwt; fi; fi
  case $AUTH in
    apikey) [ -n "$API_KEY" ] || fail "AUTH=apikey but the host offers no API keys"; TOKEN=$API_KEY ;;
    jwt) TOKEN=$ACCESS_TOKEN ;;
    *) fail "AUTH=$AUTH" ;;
  esac
  if [ "$ENDPOINT" = openai ]; then
    HOST_URL=$base/v1/chat/completions; HOST_BODY=$BODY_OPENAI; HOST_STREAM_BODY=$BODY_OPENAI_STREAM
  else
    HOST_URL=$base/api/v1/ai/chat; HOST_BODY=$BODY_CHAT; HOST_STREAM_BODY=
    say "NOTE: /v1/chat/completions is not in this build; measuring POST /api/v1/ai/chat (coach route: + profile, conversation and message writes); no upstream streaming on that route"
  fi
}

# What was measured: the commit, how many files differ from it, and the binary's hash.
build_identity() {
  local head dirty sum
  sum=$(sha256sum "$VIGOR" | cut -c1-12)
  if [ "$BUILD_ROOT" != "$ROOT" ]; then
    echo "vigor release binary sha256 $sum, built $(date -r "$BIN/vigor" '+%F %T'), commit ${BENCH_COMMIT:0:12} exactly (BENCH_REV=$BENCH_REV)"
    return
  fi
  head=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  dirty=$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -vc '^?? bench/' || true)
  echo "vigor release binary sha256 $sum, built $(date -r "$BIN/vigor" '+%F %T'), tree at $head + $dirty changed/untracked files"
}

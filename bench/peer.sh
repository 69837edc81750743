#!/usr/bin/env bash
# `make bench-peer`: Vigor side by side with the LiteLLM proxy in ONE run of the shared peer
# benchmark (/work/shared/bench/peer/run_peer.sh: its nginx mock on 127.0.0.1:18080, LiteLLM
# with auth on and off, and Vigor as the "peer" gateway; wrk + mock on one CPU, gateway on the other).
#
# What is comparable: the JSON (non-streaming) chat completion. Vigor routes by provider
# priority, not by model name, so one Vigor process cannot send `gpt-4o-mini` to the mock's
# /v1 and `gpt-4o-mini-stream` to its /stream/v1; streaming is therefore left out of the
# peer run (STREAM_CONCS="" applies to every target) and is measured host-vs-direct by
# `make bench`. Vigor's request path is the full one: API key (or JWT) auth, quota reserve,
# plugin translation, egress, reconcile, usage record committed before the answer.
#
# Knobs: DURATION (peer default 15), CONCS ("1 10 50"), PEER_PORT=15000, SKIP_BUILD=1,
#        PEER_DIR=/work/shared/bench/peer, BASE (peer work dir), KEEP_WORK=1, and any run_peer.sh knob.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEER_DIR=${PEER_DIR:-/work/shared/bench/peer}
PEER_PORT=${PEER_PORT:-15000}
PEER_BASE=${BASE:-${TMPDIR:-/tmp}/vigor-peerbench}
RESULTS_DIR=$HERE/results
mkdir -p "$RESULTS_DIR"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vigor-benchpeer.XXXXXX")
LOG=$WORK/bench.log
source "$HERE/lib.sh"
cleanup() { stop_all; if [ "${KEEP_WORK:-0}" = 1 ]; then say "work files kept in $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
trap 'say interrupted; exit 130' INT TERM

[ -x "$PEER_DIR/run_peer.sh" ] || fail "no $PEER_DIR/run_peer.sh"
ensure_tools
if [ ! -x "$PEER_BASE/venv/bin/litellm" ]; then
  say "LiteLLM is not installed yet: running $PEER_DIR/setup.sh (Debian nginx/wrk, litellm[proxy] from PyPI into $PEER_BASE/venv)"
  BASE=$PEER_BASE "$PEER_DIR/setup.sh" >>"$LOG" 2>&1 || fail "peer setup.sh (see $LOG)"
fi
build_release
IDENTITY=$(build_identity); say "$IDENTITY"

# The peer mock answers at http://127.0.0.1:18080/v1/chat/completions; the openai plugin adds
# /v1/chat/completions to a base URL without /v1.
UPSTREAM=http://127.0.0.1:18080
DB=$WORK/data/vigor.sqlite
mkdir -p "$WORK/data"
write_vigor_config
prepare_db "$DB"

# The account and its credential must exist before run_peer.sh starts Vigor (PEER_KEY is fixed
# up front), so start the host once here, set up, and stop it. The API key (or the JWT, signed
# with the secret the host keeps in the data folder, valid 2 h) survives the restart.
start_vigor "$DB" "$PEER_PORT" "$UPSTREAM" "$WORK/setup-vigor.log"
ACCOUNT=$(python3 "$HERE/tools/vigor_setup.py" account "$DB" "http://127.0.0.1:$PEER_PORT" peer@example.com 'bench-password-1') || fail "account set-up"
stop_one "$VIGOR_PID" TERM; forget "$VIGOR_PID"
KEY=$(python3 -c 'import json,sys; a=json.loads(sys.argv[1]); print(a["api_key"] or a["access_token"])' "$ACCOUNT")
AUTH=$(python3 -c 'import json,sys; print("apikey" if json.loads(sys.argv[1])["api_key"] else "jwt")' "$ACCOUNT")
say "peer credential: $AUTH"

# PEER_CMD: run_peer.sh runs it as `taskset -c 1 bash -c "exec $PEER_CMD"`; this script execs
# vigor, so the PID it watches (RSS, CPU) is the host itself.
vigor_env "$UPSTREAM"
{
  echo '#!/usr/bin/env bash'
  printf 'exec'; printf ' %q' "${VENV[@]}" "$VIGOR" serve --host 127.0.0.1 --port "$PEER_PORT" --database "$DB" \
      --plugins "$WORK/plugins" --config "$WORK/vigor-config.json"; echo
} > "$WORK/start-vigor.sh"
chmod +x "$WORK/start-vigor.sh"

say "running $PEER_DIR/run_peer.sh (LiteLLM auth, LiteLLM no-auth, Vigor; JSON only; ~7-10 min)"
export BASE=$PEER_BASE
export STREAM_CONCS=""
set +e
PEER_NAME=vigor PEER_CMD="$WORK/start-vigor.sh" PEER_URL="http://127.0.0.1:$PEER_PORT/v1/chat/completions" \
  PEER_READY_URL="http://127.0.0.1:$PEER_PORT/ready" PEER_KEY="$KEY" PEER_PORT="$PEER_PORT" \
  "$PEER_DIR/run_peer.sh" 2>&1 | tee -a "$LOG"
status=${PIPESTATUS[0]}
set -e
[ "$status" = 0 ] || fail "run_peer.sh exited $status (see $LOG)"

OUT=$(readlink -f "$PEER_BASE/results/latest")
STAMP=$(date +%Y%m%d-%H%M%S)
cp "$OUT/results.jsonl" "$RESULTS_DIR/peer-$STAMP.jsonl"
cp "$OUT/table.txt" "$RESULTS_DIR/peer-$STAMP.txt"
cp "$OUT/results.jsonl" "$RESULTS_DIR/peer-latest.jsonl"
python3 - "$OUT/results.jsonl" "$AUTH" "$IDENTITY" <<'PY' | tee "$RESULTS_DIR/peer-latest.summary.txt"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
runs = {(r["target"], r["stream"], r["conc"]): r for r in rows if "event" not in r}
print(f"\nVigor ({sys.argv[2]}; {sys.argv[3]}) vs LiteLLM, same run, JSON chat completions, gateway pinned to one core:")
print(f"{'conc':>5} {'vigor rps':>10} {'litellm rps':>12} {'ratio':>8} {'litellm_noauth':>15} {'ratio':>8} {'direct rps':>11} {'vigor/direct':>13}")
for c in sorted({k[2] for k in runs if k[1] == 0}):
    v, l, n, d = (runs.get((t, 0, c)) for t in ("vigor", "litellm", "litellm_noauth", "direct"))
    f = lambda r: r["rps"] if r else float("nan")
    print(f"{c:>5} {f(v):>10.0f} {f(l):>12.1f} {f(v) / f(l) if l else float('nan'):>7.0f}x {f(n):>15.1f} "
          f"{f(v) / f(n) if n else float('nan'):>7.0f}x {f(d):>11.0f} {f(v) / f(d) if d else float('nan'):>13.3f}")
PY
say "peer results: bench/results/peer-latest.jsonl (+ peer-$STAMP.*), raw in $OUT"

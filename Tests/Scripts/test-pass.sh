#!/usr/bin/env bash
# Runs one test pass with a time limit, and leaves nothing of it behind.
#
#   test-pass.sh SECONDS CMD ARG…
#
# CMD runs in a session of its own (setsid), with its output line-buffered and copied to a
# log under .build/test-passes/. When it ends, or when it runs past SECONDS, every process
# still in that session is killed: a `vigor serve`, a plugin runner or an nginx that a test
# started, and that outlived a test process that crashed or hung, would otherwise hold the
# output pipe open and keep a CI run waiting until its own time limit.
#
# Past the limit, the script saves every thread's backtrace of each test process (gdb, when
# installed) next to the log, then kills the session. On any failure it prints the tests that
# started and did not finish (swift-testing's "◇ … started." lines without an end), last, where
# a CI summary that keeps only the head and the tail of the output still shows them.
#
# CMD runs with TMPDIR set to a folder of its own, removed when the pass ends: a test process
# that crashes or is killed leaves its folders (databases, copied plugins, compiled fixtures)
# behind, and a pass would otherwise leave gigabytes in /tmp over a few runs.
#
# The status is CMD's; 124 when the limit was reached.
set -uo pipefail

[ $# -ge 2 ] || {
    echo "usage: $0 SECONDS CMD [ARG…]" >&2
    exit 2
}
limit=$1
shift
# The command, kept: the loops below reuse the positional parameters.
command=("$@")

dir=${TEST_PASS_DIR:-.build/test-passes}
mkdir -p "$dir"
stamp=$(date +%Y%m%dT%H%M%S)-$$
log="$dir/$stamp.log"

# Line-buffered stdout for CMD and its children (C stdio, which swift-testing's console output
# uses), so a process that is killed loses no finished line.
buffering=()
if command -v stdbuf >/dev/null 2>&1; then buffering=(stdbuf -oL -eL); fi

# Readable by all, as /tmp's own folders are: a test may run a child as another user.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/vigor-pass.XXXXXX") && chmod 755 "$scratch" || exit 1
TMPDIR=$scratch setsid --wait "${buffering[@]}" "$@" > >(tee "$log") 2>&1 &
leader=$!
# Sessions are read from /proc (no procps on a minimal Debian): the fields after the
# command's closing parenthesis in /proc/PID/stat are state, ppid, pgrp, session, ….
session_of() {
    local stat
    { stat=$(<"/proc/$1/stat"); } 2>/dev/null || return 0
    # shellcheck disable=SC2086
    set -- ${stat##*) }
    echo "${4:-}"
}
# The processes in the session.
session_pids() {
    local dir pid
    for dir in /proc/[0-9]*; do
        pid=${dir#/proc/}
        [ "$(session_of "$pid")" = "$session" ] && echo "$pid"
    done
    return 0
}
# CMD's session: the leader's once setsid has run, or its child's when setsid had to fork (it
# does when already a group leader). Never our own: killing that would take make and CI with it.
own=$(session_of $$)
session=""
for _ in $(seq 1 100); do
    found=$(session_of "$leader")
    if [ -n "$found" ] && [ "$found" != "$own" ]; then
        session=$found
        break
    fi
    for stat in /proc/[0-9]*/stat; do
        { line=$(<"$stat"); } 2>/dev/null || continue
        # shellcheck disable=SC2086
        set -- ${line##*) }
        if [ "${2:-}" = "$leader" ] && [ "${4:-}" != "$own" ]; then session=$4; fi
    done
    [ -n "$session" ] && break
    kill -0 "$leader" 2>/dev/null || break
    sleep 0.05
done

kill_session() {
    local pids
    if [ -z "$session" ] || [ "$session" = "$own" ]; then return 0; fi
    pids=$(session_pids)
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
}

forward() {
    kill -TERM "$leader" 2>/dev/null
    wait "$leader" 2>/dev/null
    kill_session
    rm -rf "$scratch"
    exit "$1"
}
trap 'forward 130' INT
trap 'forward 143' TERM

timed_out=0
elapsed=0
while kill -0 "$leader" 2>/dev/null; do
    sleep 1
    elapsed=$((elapsed + 1))
    if [ "$elapsed" -ge "$limit" ]; then
        timed_out=1
        break
    fi
done

if [ "$timed_out" = 1 ]; then
    echo "test-pass.sh: over the time limit of $limit s: $*" >&2
    for pid in $(session_pids); do
        case "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" in *.xctest\ *) ;; *) continue ;; esac
        if command -v gdb >/dev/null 2>&1; then
            gdb -p "$pid" -batch -ex "thread apply all bt" >"$dir/$stamp.$pid.backtraces" 2>&1 || true
            echo "test-pass.sh: backtraces of test process $pid in $dir/$stamp.$pid.backtraces" >&2
        fi
    done
    kill_session
    wait "$leader" 2>/dev/null
    status=124
else
    wait "$leader"
    status=$?
    kill_session
fi
wait 2>/dev/null # the tee
rm -rf "$scratch"

if [ "$status" != 0 ]; then
    # Each "◇ Test NAME started." (or "◇ Suite …") without a later line for NAME that ends it.
    unfinished=$(awk '
        /^◇ Test (case|run) / { next }
        /^◇ (Test|Suite) .* started\.$/ {
            name = $0; sub(/^◇ /, "", name); sub(/ started\.$/, "", name); open[name] = NR; next
        }
        /^(✔|✘|➜) (Test|Suite) .* (passed|failed|skipped)/ {
            line = $0; sub(/^[^ ]+ /, "", line)
            for (n in open) if (index(line, n) == 1) delete open[n]
        }
        END { for (n in open) print open[n] "\t" n }
    ' "$log" | sort -n | cut -f2-)
    if [ -n "$unfinished" ]; then
        echo "test-pass.sh: status $status; started and not finished (log: $log):" >&2
        echo "$unfinished" | sed 's/^/  /' >&2
    else
        echo "test-pass.sh: status $status (log: $log)" >&2
    fi
    # A known crash of the toolchain's Foundation, not of this code: Process.run() on Linux
    # copies 256 bytes of every /proc/self/fd entry's name and can read past a mapped page
    # (swiftlang/swift-corelibs-foundation#5472; about one pass in twenty here, in whichever
    # test starts a process then). The product spawns its runners with posix_spawn and never
    # calls it. Recognised by the crashed thread's first frames, the pass runs once more.
    if [ -z "${TEST_PASS_RETRIED:-}" ] && awk '
        /^Thread [0-9]+ .*crashed:/ { crashed = 1; frames = 0; next }
        crashed && /^ *[0-9]+ / { frames++; if ($0 ~ /Process\.run\(\)/) found = 1; if (frames >= 3) crashed = 0 }
        END { exit found ? 0 : 1 }
    ' "$log"; then
        echo "test-pass.sh: the test process died in Foundation's Process.run() (swiftlang/swift-corelibs-foundation#5472, an upstream over-read): running this pass once more" >&2
        exec env TEST_PASS_RETRIED=1 "$0" "$limit" "${command[@]}"
    fi
fi
exit "$status"

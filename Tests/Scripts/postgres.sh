#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: a new data folder under $TMPDIR, a free
# loopback port, trust authentication on 127.0.0.1 only (and a socket inside the folder),
# fsync off, max_connections 300. Nothing else on the machine is touched: no system
# cluster, no other port.
#
#   postgres.sh start          starts a cluster; prints `export VIGOR_TEST_POSTGRES_URL=…`
#                              and `export VIGOR_TEST_POSTGRES_DIR=…` for `eval "$(…)"`
#   postgres.sh url [DIR]      prints the URL of the cluster in DIR ($VIGOR_TEST_POSTGRES_DIR)
#   postgres.sh stop [DIR]     stops that cluster and removes its folder
#   postgres.sh run CMD ARG…   runs CMD with VIGOR_TEST_POSTGRES_URL set: when it is already
#                              set, as is; otherwise a cluster is started first and stopped
#                              (and removed) when CMD ends, whatever its status, and on
#                              SIGINT/SIGTERM. CMD's status is the script's.
#
# The server binaries come from Debian's `postgresql` package (/usr/lib/postgresql/N/bin,
# the newest N), else from PATH. Root cannot run the server: as root the cluster belongs
# to the `postgres` user the package creates; otherwise to the current user. The
# superuser is `vigor`, so the URL is postgres://vigor@127.0.0.1:PORT/postgres?sslmode=disable.
set -euo pipefail

MARKER=.vigor-test-cluster

log() { echo "postgres.sh: $*" >&2; }
die() {
    log "$*"
    exit 1
}

# The folder holding initdb and pg_ctl.
bin_dir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
        echo "$dir"
        return
    fi
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return
    fi
    die "no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql package (make test does it when missing)"
}

# Runs "$@" as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
    if [ "$(id -u)" = "0" ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

# A loopback port nobody listens on (the server's own bind is the final check: start retries).
free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    die "found no free port on 127.0.0.1"
}

cluster_dir() {
    local dir=${1:-${VIGOR_TEST_POSTGRES_DIR:-}}
    [ -n "$dir" ] || die "which cluster? pass its folder or set VIGOR_TEST_POSTGRES_DIR (printed by start)"
    [ -f "$dir/$MARKER" ] || die "$dir is not a cluster made by postgres.sh start"
    echo "$dir"
}

start() {
    local bin dir port url attempt
    bin=$(bin_dir)
    if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
        die "running as root and there is no 'postgres' user to run the server (root cannot): install Debian's postgresql package"
    fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/vigor-pg-test.XXXXXX")
    chmod 0700 "$dir"
    touch "$dir/$MARKER"
    if [ "$(id -u)" = "0" ]; then chown postgres: "$dir"; fi
    if ! as_owner "$bin/initdb" -D "$dir/data" -U vigor --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        rm -rf "$dir"
        die "initdb failed"
    fi
    # Loopback only: the socket in the cluster's folder, TCP on 127.0.0.1, trust for both.
    as_owner sh -c "cat > '$dir/data/pg_hba.conf'" <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
    as_owner sh -c "cat >> '$dir/data/postgresql.conf'" <<EOF
# postgres.sh: a throwaway cluster for tests
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "-p $port" start >/dev/null 2>&1; then
            url="postgres://vigor@127.0.0.1:$port/postgres?sslmode=disable"
            echo "$url" >"$dir/url"
            echo "$bin" >"$dir/bin"
            log "cluster on 127.0.0.1:$port in $dir"
            printf "export VIGOR_TEST_POSTGRES_URL='%s'\nexport VIGOR_TEST_POSTGRES_DIR='%s'\n" "$url" "$dir"
            return
        fi
        log "start on port $port failed (attempt $attempt)"
        tail -n 5 "$dir/server.log" >&2 2>/dev/null || true
    done
    rm -rf "$dir"
    die "could not start the cluster"
}

stop() {
    local dir bin
    dir=$(cluster_dir "${1:-}")
    bin=$(cat "$dir/bin" 2>/dev/null || bin_dir)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || log "pg_ctl stop failed in $dir"
    fi
    rm -rf "$dir"
}

run() {
    [ $# -gt 0 ] || die "run: which command?"
    if [ -n "${VIGOR_TEST_POSTGRES_URL:-}" ]; then
        log "using VIGOR_TEST_POSTGRES_URL from the environment"
        exec "$@"
    fi
    local exports status
    exports=$(start) || exit 1
    eval "$exports"
    # Stopped on every way out: the command's end, a failure, Ctrl-C, a TERM from CI. The
    # command runs in the background so a signal is handled at once (bash runs a trap only
    # after a foreground command ends) and passed on to it; it keeps our stdin.
    trap 'stop "$VIGOR_TEST_POSTGRES_DIR"' EXIT
    "$@" <&0 &
    child=$!
    trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 130' INT
    trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 143' TERM
    status=0
    wait "$child" || status=$?
    if [ "$status" -ne 0 ]; then
        # The log goes with the cluster: what the server said is kept in the run's output.
        log "the command failed (status $status); the server's log ends:"
        tail -n 40 "$VIGOR_TEST_POSTGRES_DIR/server.log" >&2 2>/dev/null || true
    fi
    return "$status"
}

command=${1:-}
shift || true
case "$command" in
    start) start ;;
    stop) stop "${1:-}" ;;
    url) cat "$(cluster_dir "${1:-}")/url" ;;
    run) run "$@" ;;
    *) die "usage: $0 start | url [DIR] | stop [DIR] | run CMD [ARG…]" ;;
esac

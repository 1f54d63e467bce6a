# Shared settings and helpers of build.sh and scripts/*.sh (sourced, not run).
# shellcheck shell=bash disable=SC2034  # the settings are used by the scripts that source this

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
SCRIPTS=$ROOT/scripts
LOCAL_DIR=$ROOT/.local
LOG_DIR=$LOCAL_DIR/logs
RUN_DIR=$LOCAL_DIR/run

# The servers run as the postgres and rabbitmq accounts, which may not be able to enter the checkout (a clone under a
# private temp dir or a home dir). So their data lives in a directory of this checkout's own under /var/tmp, keyed by
# the checkout's path; .local/servers links to it.
CHECKOUT_ID=$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)
STATE_DIR=/var/tmp/publicsafety-$CHECKOUT_ID

# Fixed interface (README "Run it"); the server ports can be moved to run two checkouts side by side.
PG_PORT=${PUBLICSAFETY_PG_PORT:-55432}
PG_BINDIR=/usr/lib/postgresql/15/bin
RABBIT_PORT=${PUBLICSAFETY_RABBIT_PORT:-55672}
RABBIT_MGMT_PORT=$((RABBIT_PORT + 1))
RABBIT_DIST_PORT=$((RABBIT_PORT + 2))
EPMD_PORT=${PUBLICSAFETY_EPMD_PORT:-55369}

PG_ADMIN_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=postgres"
RABBIT_URI="amqp://publicsafety:publicsafety@127.0.0.1:$RABBIT_PORT/"
SERVICE_DATABASES=(feedbackdb crisisdb camerasdb roadsafetydb probationdb)

say() { printf '==> %s\n' "$*"; }
warn() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

is_root() { [[ $EUID -eq 0 ]]; }

# Runs a server program as its service account when we are root (PostgreSQL refuses root; Debian's RabbitMQ expects
# its own user), otherwise as the caller. From / so an unreachable working directory does not matter.
as_server_user() {
    local user=$1
    shift
    if is_root; then
        (cd / && runuser -u "$user" -- "$@")
    else
        (cd / && "$@")
    fi
}

# A directory owned by the account that runs the server.
server_owned_dir() {
    local user=$1 dir=$2
    mkdir -p "$dir"
    if is_root; then
        chown "$user:" "$dir"
    fi
    chmod 700 "$dir"
}

ensure_local_dirs() {
    mkdir -p "$LOG_DIR" "$RUN_DIR" "$STATE_DIR"
    chmod 755 "$STATE_DIR"
    ln -sfn "$STATE_DIR" "$LOCAL_DIR/servers"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Fails with who holds the port, if anyone.
require_free_port() {
    local port=$1 what=$2
    port_in_use "$port" || return 0
    local holder
    holder=$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'users:(.*' | head -n 1 || true)
    die "port $port ($what) is already in use${holder:+ by $holder}. Stop that process (another checkout: './build.sh down' there)."
}

# Alive and not a zombie (a child that exited stays a zombie until reaped, and kill -0 still succeeds on it).
process_alive() {
    local state
    state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) && [[ $state != Z ]]
}

process_gone() { ! process_alive "$1"; }

# wait_for <seconds> <command...>: true as soon as the command succeeds, false after the timeout.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

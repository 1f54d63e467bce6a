#!/usr/bin/env bash
# RabbitMQ of this checkout: AMQP on 127.0.0.1:55672 (user publicsafety/publicsafety, administrator, vhost /; no guest),
# management UI on 127.0.0.1:55673. Tests use it as PUBLICSAFETY_RABBIT_CTL to take the broker down and back up.
# usage: scripts/rabbitmq.sh start|stop|status
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DATA=$STATE_DIR/rabbitmq
RABBIT_BIN=/usr/lib/rabbitmq/bin

# Everything the node and the CLI tools need to find this node and nothing of a system-wide one. Distribution
# (epmd and the node's own port) listens on loopback only.
export RABBITMQ_NODENAME=publicsafety-$CHECKOUT_ID@localhost
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$RABBIT_PORT
export RABBITMQ_DIST_PORT=$RABBIT_DIST_PORT
export RABBITMQ_MNESIA_BASE=$DATA/mnesia
export RABBITMQ_LOG_BASE=$DATA/log
export RABBITMQ_LOGS=-
export RABBITMQ_FEATURE_FLAGS_FILE=$DATA/feature_flags
export RABBITMQ_ENABLED_PLUGINS_FILE=$DATA/enabled_plugins
export RABBITMQ_CONFIG_FILE=$DATA/rabbitmq.conf
export RABBITMQ_PID_FILE=$DATA/rabbitmq.pid
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export ERL_EPMD_PORT=$EPMD_PORT
export ERL_EPMD_ADDRESS=127.0.0.1

# Checked from the pid file and the AMQP port rather than with the CLI tools, which start an Erlang VM each (seconds
# apiece on a busy machine). The node opens its AMQP listener last, once it and its plugins have booted.
node_pid() { # the node's VM, if it runs (a reused pid is not ours: it lacks our node name)
    local pid
    pid=$(cat "$RABBITMQ_PID_FILE" 2>/dev/null) && [[ -n $pid ]] &&
        grep -qzx "RABBITMQ_NODENAME=$RABBITMQ_NODENAME" "/proc/$pid/environ" 2>/dev/null && echo "$pid"
}

rabbit_running() { node_pid >/dev/null && port_in_use "$RABBIT_PORT"; }

rabbit_running_or_gone() { rabbit_running || ! node_pid >/dev/null; }

started_or_failed() { rabbit_running || process_gone "$1"; }

# The default user is created once, when the node first boots on empty data: so guest never exists.
write_config() {
    server_owned_dir rabbitmq "$DATA"
    mkdir -p "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
    cat >"$RABBITMQ_CONFIG_FILE" <<EOF
default_user = publicsafety
default_pass = publicsafety
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
default_vhost = /
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBIT_MGMT_PORT
EOF
    echo '[rabbitmq_management].' >"$RABBITMQ_ENABLED_PLUGINS_FILE"
    is_root && chown -R rabbitmq: "$DATA"
    return 0
}

cmd_start() {
    # A node of ours still booting (or stopping) gets the time to finish.
    wait_for 120 rabbit_running_or_gone || true
    if rabbit_running; then
        say "RabbitMQ: already running on 127.0.0.1:$RABBIT_PORT"
        return
    fi
    require_free_port "$RABBIT_PORT" "RabbitMQ AMQP"
    require_free_port "$RABBIT_MGMT_PORT" "RabbitMQ management"
    require_free_port "$RABBIT_DIST_PORT" "RabbitMQ distribution"
    ensure_local_dirs
    write_config
    rm -f "$RABBITMQ_PID_FILE"
    say "RabbitMQ: starting on 127.0.0.1:$RABBIT_PORT, management http://127.0.0.1:$RABBIT_MGMT_PORT (log: .local/logs/rabbitmq.log)"
    # Its own session, so a Ctrl+C meant for build.sh does not reach it; build.sh stops it in order.
    setsid "$SCRIPTS/rabbitmq.sh" _server >>"$LOG_DIR/rabbitmq.log" 2>&1 </dev/null &
    if ! wait_for 120 started_or_failed $! || ! rabbit_running; then
        tail -n 30 "$LOG_DIR/rabbitmq.log" >&2
        die "RabbitMQ did not start; see $LOG_DIR/rabbitmq.log"
    fi
}

# SIGTERM makes the node shut down gracefully, as 'rabbitmqctl stop' would.
cmd_stop() {
    local pid
    if ! pid=$(node_pid); then
        say "RabbitMQ: not running"
    else
        say "RabbitMQ: stopping"
        kill -TERM "$pid"
        wait_for 60 process_gone "$pid" || { warn "RabbitMQ did not stop in 60 s; killing it"; kill -KILL "$pid"; }
    fi
    # The node leaves its epmd behind; epmd refuses to die while any node is still registered with it.
    epmd -port "$EPMD_PORT" -kill >/dev/null 2>&1 || true
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) if rabbit_running; then echo "running on 127.0.0.1:$RABBIT_PORT ($RABBITMQ_NODENAME)"; else echo "stopped"; exit 3; fi ;;
    _server) as_server_user rabbitmq "$RABBIT_BIN/rabbitmq-server" ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac

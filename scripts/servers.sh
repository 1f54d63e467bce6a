# The test servers, sourced by build.sh: PostgreSQL and RabbitMQ shared by the per-service integration tests (`test`).
# The system itself runs under the AppHost (`up`), which starts servers of its own.
# shellcheck shell=bash

# ---- Servers ---------------------------------------------------------------------------------------------------
# A server that build.sh test started is "managed": the last test run still using it stops it on exit.
# A server that was started some other way (scripts/postgres.sh start) is never stopped by test.

SERVERS=(postgres rabbitmq)
LEASE_DIR=$RUN_DIR/leases
SERVERS_LOCK_FD=

servers_lock() {
    if [[ -z $SERVERS_LOCK_FD ]]; then
        exec {SERVERS_LOCK_FD}>"$RUN_DIR/servers.lock"
    fi
    flock -w 600 "$SERVERS_LOCK_FD" || die "timed out waiting for another build.sh to finish starting the servers"
}

servers_unlock() { flock -u "$SERVERS_LOCK_FD"; }

# A process's start time tells a live lease from a stale one whose pid was reused.
process_start_time() { awk '{ print $22 }' "/proc/$1/stat" 2>/dev/null; }

is_same_process() { # <pid> <recorded start time>
    [[ -n $2 && $(process_start_time "$1") == "$2" ]]
}

other_live_leases() {
    local lease pid live=()
    for lease in "$LEASE_DIR"/*; do
        [[ -e $lease ]] || continue
        pid=${lease##*/}
        if [[ $pid != "$$" ]] && is_same_process "$pid" "$(cat "$lease")"; then
            live+=("$pid")
        elif [[ $pid != "$$" ]]; then
            rm -f "$lease"
        fi
    done
    echo "${live[*]}"
}

servers_acquire() {
    ensure_local_dirs
    mkdir -p "$LEASE_DIR"
    servers_lock
    process_start_time $$ >"$LEASE_DIR/$$"
    local server
    for server in "${SERVERS[@]}"; do
        if ! "$SCRIPTS/$server.sh" status >/dev/null; then
            "$SCRIPTS/$server.sh" start
            touch "$RUN_DIR/$server.managed"
        else
            say "$server: already running, reusing it"
        fi
    done
    servers_unlock
    "$SCRIPTS/postgres.sh" setup
}

servers_release() {
    [[ -e $LEASE_DIR/$$ ]] || return 0
    servers_lock
    rm -f "$LEASE_DIR/$$"
    local others
    others=$(other_live_leases)
    if [[ -n $others ]]; then
        say "Servers stay up: still used by build.sh (pid $others)"
    else
        local server
        for server in rabbitmq postgres; do
            if [[ -e $RUN_DIR/$server.managed ]]; then
                "$SCRIPTS/$server.sh" stop || warn "$server did not stop cleanly"
                rm -f "$RUN_DIR/$server.managed"
            fi
        done
    fi
    servers_unlock
}

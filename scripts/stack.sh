# The local stack's moving parts, sourced by build.sh: the shared servers (PostgreSQL, RabbitMQ) and the platform's
# processes (five services and the gateway).
# shellcheck shell=bash

# ---- Servers ---------------------------------------------------------------------------------------------------
# A server that build.sh (up or test) started is "managed": the last up/test still using it stops it on exit.
# A server that was started some other way (scripts/postgres.sh start) is never stopped by up/test.

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

# ---- Processes ---------------------------------------------------------------------------------------------------

# name | project folder | REST port | gRPC port | database
SERVICE_TABLE=(
    "feedback        services/Feedback        5101 5201 feedbackdb"
    "crisis-capacity services/CrisisCapacity  5102 5202 crisisdb"
    "cameras         services/Cameras         5103 5203 camerasdb"
    "road-safety     services/RoadSafety      5104 5204 roadsafetydb"
    "probation       services/Probation       5105 5205 probationdb"
)
GATEWAY_PORT=${PUBLICSAFETY_GATEWAY_PORT:-8080}
GATEWAY_GRPC_PORT=${PUBLICSAFETY_GATEWAY_GRPC_PORT:-8081}
GATEWAY_PROJECT=gateway/PublicSafety.Gateway.csproj

declare -A PIDS=()   # name -> pid of the processes this `up` started
declare -A PORTS=()  # name -> REST port

project_dll() { # <folder>: the built entry assembly of the project in that folder
    local project
    project=$(basename "$(ls "$ROOT/$1"/*.csproj)" .csproj)
    echo "$ROOT/$1/bin/$CONFIGURATION/net10.0/$project.dll"
}

# Configuration every process gets: the names Aspire injects (DESIGN §2). OTEL_EXPORTER_OTLP_ENDPOINT passes through
# from the caller's environment when set.
common_env() {
    echo "ASPNETCORE_ENVIRONMENT=Development"
    echo "ConnectionStrings__messaging=$RABBIT_URI"
    echo "Keycloak__DevelopmentSigningKeyFile=$DEV_KEY"
    local row name port grpc
    for row in "${SERVICE_TABLE[@]}"; do
        read -r name _ port grpc _ <<<"$row"
        echo "services__${name}__http__0=http://127.0.0.1:$port"
        echo "services__${name}__grpc__0=http://127.0.0.1:$grpc"
    done
}

start_process() { # <name> <folder> <port> [NAME=value...]
    local name=$1 folder=$2 port=$3
    shift 3
    local dll
    dll=$(project_dll "$folder")
    [[ -f $dll ]] || die "$dll is missing: is $folder in PublicSafety.sln?"
    require_free_port "$port" "$name"
    local -a env
    mapfile -t env < <(common_env)
    (cd "$(dirname "$dll")" && exec env "${env[@]}" OTEL_SERVICE_NAME="$name" "$@" dotnet "$dll") \
        >"$LOG_DIR/$name.log" 2>&1 </dev/null &
    PIDS[$name]=$!
    PORTS[$name]=$port
    echo "$! $(process_start_time $!)" >"$RUN_DIR/$name.pid"
}

start_services() {
    local row name folder port grpc db
    for row in "${SERVICE_TABLE[@]}"; do
        read -r name folder port grpc db <<<"$row"
        require_free_port "$grpc" "$name gRPC"
        # REST on ASPNETCORE_URLS; the h2c gRPC endpoint from Grpc__Url (ServiceDefaults' GrpcEndpointConfiguration).
        start_process "$name" "$folder" "$port" \
            ASPNETCORE_URLS="http://127.0.0.1:$port" \
            Grpc__Url="http://127.0.0.1:$grpc" \
            "ConnectionStrings__$db=Host=127.0.0.1;Port=$PG_PORT;Database=$db;Username=publicsafety;Password=publicsafety"
    done
}

gateway_present() { [[ -f $ROOT/$GATEWAY_PROJECT ]]; }

start_gateway() {
    if ! gateway_present; then
        warn "No $GATEWAY_PROJECT yet: the gateway is skipped"
        return
    fi
    require_free_port "$GATEWAY_GRPC_PORT" "gateway gRPC"
    start_process gateway gateway "$GATEWAY_PORT" \
        ASPNETCORE_URLS="http://127.0.0.1:$GATEWAY_PORT" \
        Gateway__GrpcUrl="http://127.0.0.1:$GATEWAY_GRPC_PORT"
}

is_ready() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$1/health/ready"; }

wait_until_ready() { # every started process answers /health/ready 200, or fail pointing at its log
    local timeout=${PUBLICSAFETY_READY_TIMEOUT:-120} name
    local deadline=$((SECONDS + timeout))
    local -A ready=()
    while ((${#ready[@]} < ${#PIDS[@]})); do
        for name in "${!PIDS[@]}"; do
            [[ -z ${ready[$name]:-} ]] || continue
            if is_ready "${PORTS[$name]}"; then
                ready[$name]=1
                say "$name ready on http://127.0.0.1:${PORTS[$name]}"
            elif process_gone "${PIDS[$name]}"; then
                tail -n 30 "$LOG_DIR/$name.log" >&2
                die "$name exited during start-up; see $LOG_DIR/$name.log"
            elif ((SECONDS >= deadline)); then
                tail -n 30 "$LOG_DIR/$name.log" >&2
                die "$name is not ready after ${timeout}s (http://127.0.0.1:${PORTS[$name]}/health/ready); see $LOG_DIR/$name.log"
            fi
        done
        sleep 0.5
    done
}

stop_processes() {
    ((${#PIDS[@]})) || return 0
    say "Stopping ${!PIDS[*]}"
    kill -TERM "${PIDS[@]}" 2>/dev/null || true
    local name pid
    for name in "${!PIDS[@]}"; do
        pid=${PIDS[$name]}
        # 15 s to shut down gracefully, then it is ended.
        wait_for 15 process_gone "$pid" || { warn "$name did not stop in 15 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; }
        wait "$pid" 2>/dev/null || true
        rm -f "$RUN_DIR/$name.pid"
    done
    PIDS=()
}

# Processes of an earlier `up` of this checkout that was killed before it could clean up.
stop_leftover_processes() {
    local file pid started
    for file in "$RUN_DIR"/*.pid; do
        [[ -e $file ]] || continue
        read -r pid started <"$file" || true
        if is_same_process "$pid" "$started"; then
            warn "Stopping $(basename "$file" .pid) (pid $pid) left over from an earlier run"
            kill -TERM "$pid" 2>/dev/null || true
            wait_for 15 process_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
        fi
        rm -f "$file"
    done
}

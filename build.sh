#!/usr/bin/env bash
# The local stack and the test run (README "Run it" and "Test it"):
#   ./build.sh up              build, start PostgreSQL, RabbitMQ, the five services and the gateway; Ctrl+C stops them
#   ./build.sh test            build and run every test against real PostgreSQL and RabbitMQ
#   ./build.sh token [args]    print a development token (--roles a,b --client name --region KZ-75 ...)
#   ./build.sh build           build the offline solution filter only
#   ./build.sh down [--purge]  stop what this checkout runs (--purge: and delete the servers' data)
#   ./build.sh errors list|requeue <error-queue> [--id X|--all]   inspect/re-publish failed messages (docs/operations.md)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"
# shellcheck source=scripts/stack.sh
source "$SCRIPTS/stack.sh"

CONFIGURATION=Debug
# Everything in PublicSafety.sln except what needs Aspire packages, which the NuGet feed here lacks (DESIGN §4).
OFFLINE_FILTER=PublicSafety.Offline.slnf
DEV_KEY=${PUBLICSAFETY_DEV_KEY:-$LOCAL_DIR/dev-signing-key.pem}
export DOTNET_NOLOGO=1

# ---- Build -------------------------------------------------------------------------------------------------------

# Projects of the solution, as the .sln spells them, minus the AppHost and anything else built on Aspire.
offline_projects() {
    local project
    sed -n 's/^Project("[^"]*") = "[^"]*", "\([^"]*\.csproj\)".*/\1/p' "$ROOT/PublicSafety.sln" | tr -d '\r' |
        while read -r project; do
            local path=${project//\\//}
            [[ $path == AppHost/* ]] && continue
            grep -Eq '(Sdk|Include)="Aspire\.' "$ROOT/$path" && continue
            echo "$project"
        done
}

# Regenerated before every build, so projects added to the solution are built and tested without further ado.
write_offline_filter() {
    local tmp
    tmp=$(mktemp)
    {
        printf '{\n  "solution": {\n    "path": "PublicSafety.sln",\n    "projects": [\n'
        offline_projects | sed 's/\\/\\\\/g; s/.*/      "&",/; $ s/,$//'
        printf '    ]\n  }\n}\n'
    } >"$tmp"
    if cmp -s "$tmp" "$ROOT/$OFFLINE_FILTER"; then
        rm -f "$tmp"
    else
        mv "$tmp" "$ROOT/$OFFLINE_FILTER"
        chmod 644 "$ROOT/$OFFLINE_FILTER"
    fi
}

build_solution() {
    write_offline_filter
    say "Building $OFFLINE_FILTER ($CONFIGURATION)"
    dotnet build "$ROOT/$OFFLINE_FILTER" -c "$CONFIGURATION" -nologo -v minimal
}

# ---- Tokens ------------------------------------------------------------------------------------------------------

DEVTOKEN_DIR=$ROOT/tools/DevToken
DEVTOKEN_DLL=$DEVTOKEN_DIR/bin/$CONFIGURATION/net10.0/PublicSafety.DevToken.dll

devtoken_stale() {
    [[ ! -f $DEVTOKEN_DLL ]] ||
        [[ -n $(find "$DEVTOKEN_DIR" \( -name bin -o -name obj \) -prune -o -type f -newer "$DEVTOKEN_DLL" -print -quit) ]]
}

# Standard output carries the token and nothing else.
cmd_token() {
    if devtoken_stale; then
        local log
        log=$(mktemp)
        if ! dotnet build "$DEVTOKEN_DIR/PublicSafety.DevToken.csproj" -c "$CONFIGURATION" -nologo -v quiet >"$log" 2>&1; then
            cat "$log" >&2
            rm -f "$log"
            die "building the token tool failed"
        fi
        rm -f "$log"
    fi
    mkdir -p "$(dirname "$DEV_KEY")"
    PUBLICSAFETY_DEV_KEY=$DEV_KEY dotnet "$DEVTOKEN_DLL" "$@"
}

# The services trust this key in Development; the token tool creates it on first use.
ensure_dev_key() {
    [[ -f $DEV_KEY ]] || cmd_token --roles none >/dev/null
}

# ---- up ----------------------------------------------------------------------------------------------------------

UP_OWNER=$RUN_DIR/up.owner

claim_up() {
    local pid started
    if [[ -f $UP_OWNER ]] && read -r pid started <"$UP_OWNER" && is_same_process "$pid" "$started"; then
        die "./build.sh up is already running from this checkout (pid $pid); stop it with Ctrl+C there or './build.sh down'"
    fi
    echo "$$ $(process_start_time $$)" >"$UP_OWNER"
}

print_banner() {
    local name example=http://127.0.0.1:${PORTS[feedback]}/api/feedback/me
    gateway_present && example=http://127.0.0.1:$GATEWAY_PORT/api/feedback/me
    cat <<EOF

The PublicSafety stack is up.
EOF
    if gateway_present; then
        echo "  gateway         http://127.0.0.1:$GATEWAY_PORT  (gRPC h2c http://127.0.0.1:$GATEWAY_GRPC_PORT)"
    fi
    local row port grpc db
    for row in "${SERVICE_TABLE[@]}"; do
        read -r name _ port grpc db <<<"$row"
        printf '  %-15s http://127.0.0.1:%s  (gRPC h2c http://127.0.0.1:%s, database %s)\n' "$name" "$port" "$grpc" "$db"
    done
    cat <<EOF
  PostgreSQL      127.0.0.1:$PG_PORT  (postgres/postgres; services as publicsafety/publicsafety)
  RabbitMQ        amqp://127.0.0.1:$RABBIT_PORT  (publicsafety/publicsafety), management http://127.0.0.1:$RABBIT_MGMT_PORT
  logs            $LOG_DIR/<name>.log

A token and a call:
  ./build.sh token --roles feedback.read
  curl -H "Authorization: Bearer \$(./build.sh token --roles feedback.read)" $example

Ctrl+C stops everything this command started.
EOF
}

# Stays in the foreground until Ctrl+C or SIGTERM; says so when one of the processes ends on its own.
supervise() {
    local -A reported=()
    local name
    while true; do
        for name in "${!PIDS[@]}"; do
            if [[ -z ${reported[$name]:-} ]] && process_gone "${PIDS[$name]}"; then
                warn "$name has exited; see $LOG_DIR/$name.log"
                reported[$name]=1
            fi
        done
        sleep 2 &
        wait $! || true
    done
}

cleanup_up() {
    trap - EXIT INT TERM
    stop_processes
    servers_release
    rm -f "$UP_OWNER"
}

cmd_up() {
    ensure_local_dirs
    claim_up
    trap cleanup_up EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    stop_leftover_processes
    "$SCRIPTS/prereqs.sh"
    servers_acquire
    build_solution
    ensure_dev_key
    start_services
    start_gateway
    wait_until_ready
    print_banner
    supervise
}

# ---- test --------------------------------------------------------------------------------------------------------

node_test_dirs() {
    find "$ROOT/tests" -name node_modules -prune -o -name package.json -printf '%h\n' 2>/dev/null | sort
}

install_node_test_deps() {
    local dir
    for dir in "$@"; do
        say "npm: installing ${dir#"$ROOT"/}"
        if [[ -f $dir/package-lock.json ]]; then
            (cd "$dir" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
        else
            (cd "$dir" && npm install --prefer-offline --no-audit --no-fund --loglevel=error)
        fi
    done
}

# "N passed, N failed, N skipped" from the TRX files of the run; fails if any failed or none ran.
summarize_results() { # <results dir> <dotnet test exit status>
    local total=0 executed=0 passed=0 file counters
    for file in "$1"/*.trx; do
        [[ -e $file ]] || continue
        counters=$(grep -o '<Counters [^>]*>' "$file" | head -n 1)
        total=$((total + $(counter total "$counters")))
        executed=$((executed + $(counter executed "$counters")))
        passed=$((passed + $(counter passed "$counters")))
    done
    local failed=$((executed - passed)) skipped=$((total - executed))
    SUMMARY="$passed passed, $failed failed, $skipped skipped"
    if ((failed > 0)); then
        return 1
    elif ((total == 0)); then
        warn "No tests ran."
        return 1
    elif (($2 != 0)); then
        warn "dotnet test exited with $2 although no test failed: a test host crashed or hung (see above)."
        return 1
    fi
}

counter() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2" | grep . || echo 0; }

run_tests() {
    local results=$LOCAL_DIR/test-results status=0
    rm -rf "$results"
    mkdir -p "$results"
    say "Running tests (results: ${results#"$ROOT"/})"
    PUBLICSAFETY_TEST_PG=$PG_ADMIN_CONNECTION \
        PUBLICSAFETY_TEST_RABBIT=$RABBIT_URI \
        PUBLICSAFETY_PG_BINDIR=$PG_BINDIR \
        PUBLICSAFETY_RABBIT_CTL=$SCRIPTS/rabbitmq.sh \
        dotnet test "$ROOT/$OFFLINE_FILTER" -c "$CONFIGURATION" --no-build --nologo \
        --logger "console;verbosity=normal" --logger trx --results-directory "$results" \
        --blame-hang-timeout 10m --blame-hang-dump-type mini || status=$?
    summarize_results "$results" "$status"
}

cmd_test() {
    ensure_local_dirs
    trap servers_release EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    local -a node_dirs
    mapfile -t node_dirs < <(node_test_dirs)
    "$SCRIPTS/prereqs.sh" --browser ${node_dirs[0]:+--node}
    servers_acquire
    build_solution
    install_node_test_deps "${node_dirs[@]}"
    local status=0 started=$SECONDS
    SUMMARY=
    run_tests || status=$?
    say "Tests took $((SECONDS - started)) s"
    servers_release
    echo "${SUMMARY:-0 passed, 0 failed}"
    return "$status"
}

# ---- down --------------------------------------------------------------------------------------------------------

cmd_down() {
    ensure_local_dirs
    local pid started
    if [[ -f $UP_OWNER ]] && read -r pid started <"$UP_OWNER" && is_same_process "$pid" "$started"; then
        say "Stopping ./build.sh up (pid $pid)"
        kill -TERM "$pid"
        wait_for 60 process_gone "$pid" || warn "pid $pid is still running"
    fi
    stop_leftover_processes
    "$SCRIPTS/rabbitmq.sh" stop
    "$SCRIPTS/postgres.sh" stop
    rm -f "$RUN_DIR"/*.managed
    if [[ ${1:-} == --purge ]]; then
        say "Deleting $STATE_DIR"
        rm -rf "$STATE_DIR" "$LOCAL_DIR/servers"
    fi
}

# ---- Error queues (docs/operations.md) ------------------------------------------------------------------------------

# The error-queue tool against the local stack's broker, unless ConnectionStrings__messaging or --broker says otherwise.
cmd_errors() {
    local log
    log=$(mktemp)
    dotnet build "$ROOT/tools/ErrorQueue/PublicSafety.ErrorQueue.csproj" -c "$CONFIGURATION" -nologo -v quiet >"$log" 2>&1 ||
        { cat "$log" >&2; rm -f "$log"; die "building the error-queue tool failed"; }
    rm -f "$log"
    ConnectionStrings__messaging=${ConnectionStrings__messaging:-$RABBIT_URI} \
        dotnet "$ROOT/tools/ErrorQueue/bin/$CONFIGURATION/net10.0/PublicSafety.ErrorQueue.dll" "$@"
}

usage() { sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

main() {
    local command=${1:-help}
    shift || true
    case $command in
        up) cmd_up "$@" ;;
        test) cmd_test "$@" ;;
        token) cmd_token "$@" ;;
        build) build_solution ;;
        down) cmd_down "$@" ;;
        errors) cmd_errors "$@" ;;
        help | -h | --help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

[[ ${BASH_SOURCE[0]} != "$0" ]] || main "$@"

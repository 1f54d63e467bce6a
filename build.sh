#!/usr/bin/env bash
# The local run and the test run (README "Run it" and "Test it"):
#   ./build.sh up              install what is missing, build and run the AppHost (the whole system and its dashboard);
#                              Ctrl+C stops everything it started
#   ./build.sh test            build and run every test against real PostgreSQL and RabbitMQ
#   ./build.sh token [args]    print a development token (--roles a,b --client name --region KZ-75 ...)
#   ./build.sh build           build the solution only
#   ./build.sh down [--purge]  stop what this checkout runs (--purge: and delete the servers' data)
#   ./build.sh errors list|requeue <error-queue> [--id X|--all]   inspect/re-publish failed messages (docs/operations.md)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"
# shellcheck source=scripts/servers.sh
source "$SCRIPTS/servers.sh"

CONFIGURATION=Debug
DEV_KEY=${PUBLICSAFETY_DEV_KEY:-$LOCAL_DIR/dev-signing-key.pem}
export DOTNET_NOLOGO=1

# ---- Build -------------------------------------------------------------------------------------------------------

# The whole solution, the AppHost and its tests included (the NuGet feed serves Aspire 13.6.5, DESIGN §4).
SOLUTION=PublicSafety.sln

build_solution() {
    say "Building $SOLUTION ($CONFIGURATION)"
    dotnet build "$ROOT/$SOLUTION" -c "$CONFIGURATION" -nologo -v minimal
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

# ---- up ----------------------------------------------------------------------------------------------------------
# The Aspire AppHost runs the whole system (AppHost/README.md): it starts PostgreSQL and RabbitMQ (host processes here,
# containers where a container runtime answers), the five services and the gateway, and serves the dashboard.

APPHOST_PROJECT=$ROOT/AppHost/PublicSafety.AppHost.csproj
APPHOST_BINARY=$ROOT/AppHost/bin/$CONFIGURATION/net10.0/PublicSafety.AppHost
# The AppHost's host-process broker (AppHost/appsettings.json: PublicSafety:RabbitMqPort).
APPHOST_RABBIT_URI=amqp://publicsafety:publicsafety@127.0.0.1:54672/

# Processes of this checkout's AppHost binary (a run whose terminal went away, or a second one).
apphost_pids() {
    local exe target
    # Not built yet: nothing can be running it (and an empty target would match every process whose exe is unreadable).
    target=$(readlink -f "$APPHOST_BINARY" 2>/dev/null) && [[ -e $target ]] || return 0
    for exe in /proc/[0-9]*/exe; do
        if [[ $(readlink "$exe" 2>/dev/null) == "$target" ]]; then
            exe=${exe#/proc/}
            echo "${exe%/exe}"
        fi
    done
}

cmd_up() {
    ensure_local_dirs
    local running
    running=$(apphost_pids | tr '\n' ' ')
    [[ -z $running ]] || die "the AppHost of this checkout is already running (pid $running); stop it with Ctrl+C there or './build.sh down'"
    "$SCRIPTS/prereqs.sh"
    say "Building the AppHost and what it runs ($CONFIGURATION)"
    dotnet build "$APPHOST_PROJECT" -c "$CONFIGURATION" -nologo -v minimal
    say "Starting the AppHost: the dashboard's login link follows; Ctrl+C stops everything it started"
    # In the foreground, so that Ctrl+C reaches it; the AppHost stops what it started (DCP does, even if it crashes).
    # The built AppHost itself rather than `dotnet run --no-build`, which evaluates the project with MSBuild first
    # (minutes on a loaded machine) and stays beside it as a launcher; the AppHost applies the launch profile that
    # DOTNET_LAUNCH_PROFILE names (AppHost/AppHostLaunchProfile.cs), and finds the runtime of the `dotnet` on the PATH.
    cd "$ROOT"
    DOTNET_ROOT=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")} DOTNET_LAUNCH_PROFILE=http \
        exec "$APPHOST_BINARY" "$@"
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
        dotnet test "$ROOT/$SOLUTION" -c "$CONFIGURATION" --no-build --nologo \
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

# Services and the gateway of this checkout still running without their AppHost: only if DCP itself was killed, since
# the AppHost runs them without DCP's per-process monitors (AppHost/README.md, "Stopping").
orphan_project_pids() {
    local exe target
    for exe in /proc/[0-9]*/exe; do
        target=$(readlink "$exe" 2>/dev/null) || continue
        if [[ $target == "$ROOT"/services/*/bin/* || $target == "$ROOT"/gateway/bin/* ]]; then
            exe=${exe#/proc/}
            echo "${exe%/exe}"
        fi
    done
}

cmd_down() {
    ensure_local_dirs
    local pid
    for pid in $(apphost_pids); do
        say "Stopping the AppHost (pid $pid)"
        kill -TERM "$pid"
        wait_for 90 process_gone "$pid" || warn "pid $pid is still running"
    done
    for pid in $(orphan_project_pids); do
        say "Stopping $(readlink "/proc/$pid/exe" 2>/dev/null || echo "pid $pid"), left without its AppHost"
        kill -TERM "$pid" 2>/dev/null || true
        wait_for 30 process_gone "$pid" || warn "pid $pid is still running"
    done
    "$SCRIPTS/rabbitmq.sh" stop
    "$SCRIPTS/postgres.sh" stop
    rm -f "$RUN_DIR"/*.managed
    if [[ ${1:-} == --purge ]]; then
        say "Deleting $STATE_DIR"
        rm -rf "$STATE_DIR" "$LOCAL_DIR/servers"
    fi
}

# ---- Error queues (docs/operations.md) ------------------------------------------------------------------------------

# The error-queue tool against the AppHost's broker, unless ConnectionStrings__messaging or --broker says otherwise.
cmd_errors() {
    local log
    log=$(mktemp)
    dotnet build "$ROOT/tools/ErrorQueue/PublicSafety.ErrorQueue.csproj" -c "$CONFIGURATION" -nologo -v quiet >"$log" 2>&1 ||
        { cat "$log" >&2; rm -f "$log"; die "building the error-queue tool failed"; }
    rm -f "$log"
    ConnectionStrings__messaging=${ConnectionStrings__messaging:-$APPHOST_RABBIT_URI} \
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

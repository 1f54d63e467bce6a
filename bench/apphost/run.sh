#!/usr/bin/env bash
# Time from `./build.sh up` until the AppHost reports every resource healthy, then the memory of what Aspire adds
# (AppHost, DCP, dashboard) with the system idle. See README.md here.
# usage: bench/apphost/run.sh [--cold] [--idle-seconds 60]
#   --cold   delete the AppHost's data first (a fresh cluster and broker); the build stays as it is
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cold=
idle=60
while (($#)); do
    case $1 in
        --cold) cold=1 ;;
        --idle-seconds) idle=$2; shift ;;
        *) echo "usage: $0 [--cold] [--idle-seconds N]" >&2; exit 2 ;;
    esac
    shift
done

log=$(mktemp)

if [[ -n $cold ]]; then
    state=$(readlink -f "$ROOT/.local/servers" 2>/dev/null || true)
    [[ -n $state && -d $state/apphost ]] && rm -rf "$state/apphost"
fi

start=$(date +%s.%N)
# Its own session, so that stopping it here reaches the whole tree (and nothing else).
setsid "$ROOT/build.sh" up >"$log" 2>&1 </dev/null &
up=$!
cleanup() {
    local pid state left
    pid=$(pgrep -f "^$ROOT/AppHost/bin/Debug/net10.0/PublicSafety.AppHost" | head -n 1 || true)
    [[ -z $pid ]] || kill -TERM "$pid" 2>/dev/null || true
    wait "$up" 2>/dev/null || true
    rm -f "$log"
    # Stopping must leave nothing of the system behind: projects, DCP, the dashboard, the servers on the AppHost's data.
    # The AppHost exits first; DCP then stops the rest, which takes a few seconds.
    local stopping=$SECONDS
    state=$(readlink -f "$ROOT/.local/servers" 2>/dev/null || echo "$ROOT/.local/servers")
    while left=$(pgrep -fa "^$ROOT/(AppHost|services|gateway)/|orchestration\.linux-x64/.*/dcp |Aspire\.Dashboard|$state/apphost|epmd -port 54369 "); do
        if ((SECONDS - stopping > 120)); then
            echo "left running 120 s after the AppHost stopped:" >&2
            echo "$left" >&2
            exit 1
        fi
        sleep 1
    done
    echo "stopped: nothing of the system left running $((SECONDS - stopping)) s after the AppHost exited"
}
trap cleanup EXIT

deadline=$((SECONDS + 900))
until grep -q "The system is up" "$log"; do
    if ! kill -0 "$up" 2>/dev/null || ((SECONDS > deadline)); then
        tail -n 40 "$log" >&2
        echo "the system did not come up" >&2
        exit 1
    fi
    sleep 0.5
done
ready=$(date +%s.%N)
built=$(grep -m1 -n "Starting the AppHost" "$log" >/dev/null && echo yes)
echo "up: every resource healthy $(echo "$ready - $start" | bc) s after ./build.sh up (including its build check: ${built:+yes})"
grep -o "all [0-9]* resources healthy, [0-9]* s after the AppHost started" "$log" | head -n 1

sleep "$idle"
# Memory: RSS and PSS (shared pages split among the processes sharing them) of the AppHost, every DCP process and the
# dashboard, then of the `dotnet run` launchers (DCP's in front of a project it runs through `dotnet run`, and build.sh's
# in front of the AppHost).
report() { # <label> <pids...>
    local label=$1 rss=0 pss=0 pid
    shift
    for pid in "$@"; do
        rss=$((rss + $(awk '/^Rss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)))
        pss=$((pss + $(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)))
    done
    printf '%-40s %3d processes  RSS %5d MB  PSS %5d MB\n' "$label" "$#" $((rss / 1024)) $((pss / 1024))
}
apphost=$(pgrep -f "^$ROOT/AppHost/bin/Debug/net10.0/PublicSafety.AppHost" | tr '\n' ' ' || true)
dcp=$(pgrep -f 'aspire.hosting.orchestration.linux-x64/.*/tools/dcp' | tr '\n' ' ' || true)
dashboard=$(pgrep -f 'aspire.dashboard.sdk.linux-x64/.*/Aspire.Dashboard' | tr '\n' ' ' || true)
launchers=$(pgrep -f "^dotnet run --project $ROOT/(services|gateway)/" | tr '\n' ' ' || true)
apphost_launcher=$(pgrep -f "^dotnet run --project $ROOT/AppHost/" | tr '\n' ' ' || true)
services=$(pgrep -f "^$ROOT/(services/[^/]+|gateway)/bin/Debug/net10.0/PublicSafety\." | tr '\n' ' ' || true)
# shellcheck disable=SC2086
{
    report "AppHost + DCP + dashboard" $apphost $dcp $dashboard
    report "  AppHost" $apphost
    report "  DCP (api server, controllers, monitors)" $dcp
    report "  dashboard" $dashboard
    report "dotnet run launchers of the projects" $launchers
    report "dotnet run launcher of the AppHost" $apphost_launcher
    report "services + gateway (for comparison)" $services
}

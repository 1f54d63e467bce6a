#!/usr/bin/env bash
# Makes sure what the local stack needs is installed: the Debian packages of PostgreSQL 15 + PostGIS and RabbitMQ
# (and Node.js when a test folder has a package.json, chromium for the browser tests). As root it installs what is
# missing with apt; otherwise it says exactly what to install and fails.
# usage: scripts/prereqs.sh [--node] [--browser]
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

missing_packages() {
    [[ -x $PG_BINDIR/initdb ]] || echo postgresql-15
    [[ -f /usr/share/postgresql/15/extension/postgis.control ]] || echo postgresql-15-postgis-3
    [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || echo rabbitmq-server
    command -v curl >/dev/null || echo curl
    local flag
    for flag in "$@"; do
        case $flag in
            --node) command -v npm >/dev/null || echo nodejs npm ;;
            # tests/CitizenPages.Tests drive Debian's chromium through Playwright (its own browser download is not used).
            --browser) [[ -x /usr/bin/chromium ]] || echo chromium ;;
        esac
    done
}

# Installing must not start the packages' own system-wide daemons: a policy-rc.d that denies every start, unless the
# machine already has one (containers usually do).
apt_install() {
    local policy=/usr/sbin/policy-rc.d ours=
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        ours=1
    fi
    local status=0
    {
        DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
    } >"$LOG_DIR/apt-install.log" 2>&1 || status=$?
    [[ -z $ours ]] || rm -f "$policy"
    if ((status != 0)); then
        tail -n 20 "$LOG_DIR/apt-install.log" >&2
        die "apt-get install $* failed; see $LOG_DIR/apt-install.log"
    fi
}

main() {
    command -v dotnet >/dev/null || die "the .NET 10 SDK is not installed: https://dotnet.microsoft.com/download/dotnet/10.0"
    local -a missing
    read -ra missing <<<"$(missing_packages "$@" | tr '\n' ' ')"
    ((${#missing[@]})) || return 0
    if ! is_root || ! command -v apt-get >/dev/null; then
        die "missing packages: ${missing[*]}. Install them (Debian 12), then run this again:
    sudo apt-get install -y ${missing[*]}"
    fi
    mkdir -p "$LOG_DIR"
    say "Installing ${missing[*]} (apt, about 20 s)"
    local started=$SECONDS
    apt_install "${missing[@]}"
    say "Installed in $((SECONDS - started)) s"
}

main "$@"

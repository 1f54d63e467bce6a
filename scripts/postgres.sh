#!/usr/bin/env bash
# PostgreSQL 15 + PostGIS of this checkout on 127.0.0.1:55432 (superuser postgres/postgres).
# usage: scripts/postgres.sh start|stop|status|setup
#   setup: the publicsafety role and the services' databases, each with PostGIS (idempotent; the server must run).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DATA=$STATE_DIR/postgres

pg() { as_server_user postgres "$PG_BINDIR/$1" "${@:2}"; }

psql_admin() {
    PGPASSWORD=postgres PGCONNECT_TIMEOUT=5 PGOPTIONS='-c client_min_messages=warning' "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"
}

pg_running() { [[ -f $DATA/PG_VERSION ]] && pg pg_ctl status -D "$DATA" >/dev/null 2>&1; }

pg_init() {
    say "PostgreSQL: creating a cluster in $DATA"
    server_owned_dir postgres "$DATA"
    local pwfile=$STATE_DIR/postgres.pw
    printf 'postgres\n' >"$pwfile"
    is_root && chown postgres: "$pwfile"
    pg initdb -D "$DATA" -U postgres --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=peer \
        -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    rm -f "$pwfile"
    echo "include_if_exists = 'publicsafety.conf'" >>"$DATA/postgresql.conf"
}

# Rewritten at every start, so a changed port takes effect. Data here is for development and tests:
# durability is traded for speed (an OS crash can lose it: './build.sh down --purge' starts over).
write_settings() {
    cat >"$DATA/publicsafety.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$DATA'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    is_root && chown postgres: "$DATA/publicsafety.conf"
    return 0
}

cmd_start() {
    if pg_running; then
        say "PostgreSQL: already running on 127.0.0.1:$PG_PORT"
        return
    fi
    require_free_port "$PG_PORT" PostgreSQL
    ensure_local_dirs
    [[ -f $DATA/PG_VERSION ]] || pg_init
    write_settings
    say "PostgreSQL: starting on 127.0.0.1:$PG_PORT (log: .local/logs/postgres.log)"
    # The server keeps this script's output as its log: a file opened here, so its account needs no access to .local.
    if ! pg pg_ctl start -D "$DATA" -w -t 60 >>"$LOG_DIR/postgres.log" 2>&1 </dev/null; then
        tail -n 20 "$LOG_DIR/postgres.log" >&2
        die "PostgreSQL did not start; see $LOG_DIR/postgres.log"
    fi
}

cmd_stop() {
    if ! pg_running; then
        say "PostgreSQL: not running"
        return
    fi
    say "PostgreSQL: stopping"
    pg pg_ctl stop -D "$DATA" -m fast -w -t 60 >/dev/null
}

cmd_setup() {
    say "PostgreSQL: role publicsafety, databases ${SERVICE_DATABASES[*]} (PostGIS)"
    psql_admin -d postgres <<'SQL'
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'publicsafety') THEN
        CREATE ROLE publicsafety LOGIN;
    END IF;
END $$;
ALTER ROLE publicsafety LOGIN PASSWORD 'publicsafety';
SQL
    # PostGIS in template1 too: every database created later (tests make their own) has it already.
    psql_admin -d template1 -c 'CREATE EXTENSION IF NOT EXISTS postgis'
    local db
    for db in "${SERVICE_DATABASES[@]}"; do
        psql_admin -d postgres -v db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER publicsafety', :'db')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
        psql_admin -d "$db" -c 'CREATE EXTENSION IF NOT EXISTS postgis'
    done
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) if pg_running; then echo "running on 127.0.0.1:$PG_PORT ($DATA)"; else echo "stopped"; exit 3; fi ;;
    setup) cmd_setup ;;
    *) echo "usage: $0 start|stop|status|setup" >&2; exit 2 ;;
esac

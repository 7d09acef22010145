#!/usr/bin/env bash
# A throwaway or long-lived local PostgreSQL for development and tests.
#   postgres.sh start DATA_DIR PORT   initdb when needed, start on 127.0.0.1:PORT, create database "nationalid"
#                                     with NID_PG_PASSWORD set: TCP connections need that password (SCRAM-SHA-256);
#                                     only the local socket in DATA_DIR, owned by the server's user, stays trusted
#   postgres.sh stop DATA_DIR         fast shutdown
# NID_PG_OPTIONS adds server settings at start (e.g. "-c shared_buffers=3GB" for a benchmark's large population).
# As root, initdb refuses to run: the server then runs as the "postgres" user in a folder it owns.
set -euo pipefail

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" ]] && { echo "$dir"; return; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
  return 1
}

ensure_installed() {
  if ! find_bin >/dev/null; then
    echo "PostgreSQL not found: installing it from Debian's packages" >&2
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  fi
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:?start|stop}; data=${2:?data dir}
case "$cmd" in
  start)
    port=${3:?port}
    ensure_installed
    bin=$(find_bin)
    mkdir -p "$data"
    data=$(cd "$data" && pwd)
    if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$data"; chmod 700 "$data"; fi
    if [[ ! -f "$data/PG_VERSION" ]]; then
      as_owner "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --no-locale >/dev/null
    fi
    if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" \
        -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on -c synchronous_commit=on ${NID_PG_OPTIONS:-}" start >/dev/null
    fi
    # Administration through the server's own socket (in the data folder, mode 700): no password needed there.
    if ! as_owner "$bin/psql" -h "$data" -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='nationalid'" postgres | grep -q 1; then
      as_owner "$bin/psql" -h "$data" -p "$port" -U postgres -qc "CREATE DATABASE nationalid" postgres
    fi
    if [[ -n "${NID_PG_PASSWORD:-}" ]]; then
      as_owner "$bin/psql" -h "$data" -p "$port" -U postgres -qc "ALTER ROLE postgres PASSWORD '$NID_PG_PASSWORD'" postgres
      printf 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n' | as_owner tee "$data/pg_hba.conf" >/dev/null
      as_owner "$bin/pg_ctl" -D "$data" reload >/dev/null
    fi
    ;;
  stop)
    bin=$(find_bin)
    [[ -f "$data/PG_VERSION" ]] && as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start DATA_DIR PORT | stop DATA_DIR" >&2; exit 2 ;;
esac

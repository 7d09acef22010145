#!/usr/bin/env bash
# Local high-availability PostgreSQL with pg_auto_failover: one monitor, and per shard a formation with a primary and
# a synchronous standby, every server on its own free port of 127.0.0.1.
# Why pg_auto_failover rather than Patroni: one monitor process and one pg_autoctl per node, no etcd/Consul cluster to run;
# synchronous replication is built in (replication quorum, number_sync_standbys) and the monitor drives the failover.
#
#   deploy/local/ha.sh start DIR [SHARDS]   create (or resume) the monitor and SHARDS formations (default 1), wait until
#                                           each has one primary and one secondary, print one Npgsql connection string
#                                           per shard and write them to DIR/shards.env (SHARD_0=..., SHARD_1=...), and
#                                           the silo's settings to DIR/silo.env: the national database (database
#                                           "national" on shard 0's servers) and the shards, each every region's
#                                           buckets split evenly (". DIR/silo.env && ./run.sh" serves on them)
#   deploy/local/ha.sh status DIR           pg_autoctl show state for each formation
#   deploy/local/ha.sh kill-primary DIR S   kill -9 shard S's primary server (pg_autoctl and PostgreSQL), time until its
#                                           standby is promoted; "start DIR" again brings the killed node back
#   deploy/local/ha.sh stop DIR             stop every pg_autoctl and PostgreSQL started here (idempotent)
#
# Shard 0 is the formation "default", shard N the formation "shardN". Layout of DIR: monitor/ and shardN-a/, shardN-b/
# (data folders), logs/ (one log per pg_autoctl), xdg/ (pg_autoctl's configuration, state and pid files, through
# XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_RUNTIME_DIR), nodes (name, formation, port per server), shards.env.
# Loopback only: every server listens on 127.0.0.1 alone, with --auth trust (no password: any local user can connect,
# so never use this outside a development machine) and --no-ssl (traffic never leaves the host; self-signed certificates
# would add nothing against a local attacker). As root, everything runs as the "postgres" user, owner of DIR.
# Failure detection is tuned for a quick local failover (monitor settings pgautofailover.health_check_period etc.).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=/usr/lib/postgresql/15/bin

ensure_installed() {
  if ! command -v pg_autoctl >/dev/null 2>&1 || [[ ! -x "$bin/initdb" ]]; then
    echo "pg_auto_failover or PostgreSQL 15 not found: installing them from Debian's packages" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      postgresql-15 postgresql-15-auto-failover pg-auto-failover-cli >/dev/null
  fi
}

# Runs a command as the owner of the servers, with pg_autoctl's files kept under DIR.
as_pg() {
  local -a envs=(env "XDG_CONFIG_HOME=$dir/xdg/config" "XDG_DATA_HOME=$dir/xdg/data" "XDG_RUNTIME_DIR=$dir/xdg/run"
    "PG_CONFIG=$bin/pg_config" "PATH=$bin:/usr/bin:/bin")
  if [[ $(id -u) -eq 0 ]]; then (cd "$dir" && runuser -u postgres -- "${envs[@]}" "$@"); else (cd "$dir" && "${envs[@]}" "$@"); fi
}

# Background service: pg_autoctl NAME ARGS... under nohup, its output in logs/NAME.log, its pid in xdg/NAME.pid.
spawn() {
  local name=$1; shift
  as_pg nohup pg_autoctl "$@" >>"$dir/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/xdg/$name.pid"
}

monitor_port() { cat "$dir/monitor.port"; }
monitor_uri() { echo "postgres://autoctl_node@127.0.0.1:$(monitor_port)/pg_auto_failover?sslmode=disable"; }
formation_of() { if [[ $1 -eq 0 ]]; then echo default; else echo "shard$1"; fi; }

# SQL on the monitor, unaligned, tab separated.
monitor_sql() { as_pg psql -X -q -h 127.0.0.1 -p "$(monitor_port)" -U autoctl_node -d pg_auto_failover -tA -F $'\t' -c "$1"; }
node_sql() { as_pg psql -X -q -h 127.0.0.1 -p "$1" -U postgres -d "${3:-postgres}" -tA -c "$2"; }

# Polls CONDITION (a command) every half second for at most SECONDS; fails with MESSAGE.
wait_for() {
  local seconds=$1 message=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then echo "timed out after ${seconds}s: $message (logs in $dir/logs)" >&2; return 1; fi
    sleep 0.5
  done
}

monitor_ready() { monitor_sql "SELECT 1" | grep -qx 1; }

# True when formation $1 has exactly one primary and one secondary, both reported and assigned, both healthy and both
# reported since this start (on a resume the monitor still holds the states of before the stop).
formation_ready() {
  local counts
  counts=$(monitor_sql "SELECT count(*) FILTER (WHERE reportedstate = 'primary' AND goalstate = 'primary') || ' ' ||
      count(*) FILTER (WHERE reportedstate = 'secondary' AND goalstate = 'secondary')
    FROM pgautofailover.node WHERE formationid = '$1' AND health = 1 AND reporttime > '$started_at'")
  [[ $counts == "1 1" ]]
}

# pg_basebackup (run by pg_autoctl for a new standby) waits for a spread checkpoint, ~1.5 min on an idle server:
# an explicit CHECKPOINT on the primary while the formation is not ready yet makes it finish at once.
formation_ready_or_checkpoint() {
  local port
  formation_ready "$1" && return 0
  port=$(monitor_sql "SELECT nodeport FROM pgautofailover.node WHERE formationid = '$1'
    AND reportedstate IN ('single', 'wait_primary', 'primary') LIMIT 1")
  if [[ -n $port ]]; then node_sql "$port" "CHECKPOINT" || true; fi
  return 1
}

node_state() { monitor_sql "SELECT reportedstate FROM pgautofailover.node WHERE nodename = '$1'"; }
node_single() { [[ $(node_state "$1") == single ]]; }

# Ports of the nodes of formation $1, comma separated, as registered on the monitor.
formation_ports() { monitor_sql "SELECT string_agg(nodeport::text, ',' ORDER BY nodename) FROM pgautofailover.node WHERE formationid = '$1'"; }

create_monitor() {
  local port
  port=$("$here/free-port.sh" 56100)
  echo "$port" >"$dir/monitor.port"
  as_pg pg_autoctl create monitor --pgdata "$dir/monitor" --pgport "$port" --hostname 127.0.0.1 \
    --auth trust --no-ssl --pgctl "$bin/pg_ctl" >>"$dir/logs/monitor.log" 2>&1
  # create monitor has no --listen: without this its Postgres would start with -h '*'.
  as_pg pg_autoctl config set --pgdata "$dir/monitor" postgresql.listen_addresses 127.0.0.1 >/dev/null
}

# Failure detection: "fast" for a quick failover on loopback once every formation is up (defaults: a check every 5 s,
# 20 s before a node is deemed unhealthy); "reset" to the defaults while servers (re)start, as with the fast settings
# a primary that takes a few seconds to start is failed over before it is up.
tune_monitor() {
  # primary_demote_timeout (30 s by default) is how long the monitor waits for a lost primary to demote itself before
  # promoting its standby; each node demotes itself after network_partition_timeout without the monitor or a standby
  # (set to 5 s on every node below), which must stay shorter, or a partitioned primary could still take writes.
  local -a settings=(health_check_period=1000 health_check_timeout=1000 health_check_max_retries=1
    health_check_retry_delay=500 node_considered_unhealthy_timeout=3000 primary_demote_timeout=8000)
  local -a sql=() setting
  for setting in "${settings[@]}"; do
    if [[ $1 == fast ]]; then sql+=(-c "ALTER SYSTEM SET pgautofailover.${setting%=*} = ${setting#*=}")
    else sql+=(-c "ALTER SYSTEM RESET pgautofailover.${setting%=*}"); fi
  done
  as_pg psql -X -q -h 127.0.0.1 -p "$(monitor_port)" -U postgres -d pg_auto_failover "${sql[@]}" -c "SELECT pg_reload_conf()" >/dev/null
}

# create_node SHARD LETTER: registers and runs one node (the first of a formation becomes its primary).
create_node() {
  local shard=$1 letter=$2 name port formation
  name="shard$shard-$letter"
  formation=$(formation_of "$shard")
  port=$("$here/free-port.sh" $((56200 + 10 * shard)))
  # Another node may have been given the same free port just before its server started: skip ports already taken here.
  while grep -q " $port\$" "$dir/nodes" 2>/dev/null; do port=$("$here/free-port.sh" $((port + 1))); done
  echo "$name $formation $port" >>"$dir/nodes"
  spawn "$name" create postgres --pgdata "$dir/$name" --pgport "$port" --listen 127.0.0.1 --hostname 127.0.0.1 \
    --name "$name" --formation "$formation" --dbname nationalid --monitor "$(monitor_uri)" \
    --auth trust --no-ssl --pgctl "$bin/pg_ctl" --replication-quorum true --candidate-priority 50 --run
}

start() {
  local shards=${1:-1} began=$SECONDS started_at shard formation name port ports line
  ensure_installed
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  mkdir -p "$dir/logs" "$dir/xdg/config" "$dir/xdg/data" "$dir/xdg/run"
  if [[ $(id -u) -eq 0 ]]; then chown -R postgres:postgres "$dir"; chmod 700 "$dir" "$dir/xdg/run"; fi
  if [[ -f "$dir/nodes" ]] && (($(wc -l <"$dir/nodes") != 2 * shards)); then
    echo "$dir already holds $(($(wc -l <"$dir/nodes") / 2)) shard(s): stop it and remove it to change the count" >&2; exit 1
  fi

  if [[ ! -f "$dir/monitor/PG_VERSION" ]]; then create_monitor; fi
  pid_alive "$dir/xdg/monitor.pid" || spawn monitor run --pgdata "$dir/monitor"
  wait_for 60 "monitor on port $(monitor_port)" monitor_ready
  tune_monitor reset
  started_at=$(monitor_sql "SELECT now()")

  if [[ -f "$dir/nodes" ]]; then
    # Resume: every node that was created before runs again with its own configuration.
    while read -r name formation port; do
      pid_alive "$dir/xdg/$name.pid" || spawn "$name" run --pgdata "$dir/$name"
    done <"$dir/nodes"
  else
    for ((shard = 1; shard < shards; shard++)); do
      as_pg pg_autoctl create formation --monitor "$(monitor_uri)" --formation "shard$shard" --kind pgsql \
        --dbname nationalid --enable-secondary >>"$dir/logs/monitor.log" 2>&1
    done
    # Primaries first (all shards together), then the standbys, which copy them with pg_basebackup.
    for ((shard = 0; shard < shards; shard++)); do create_node "$shard" a; done
    for ((shard = 0; shard < shards; shard++)); do wait_for 120 "shard$shard-a registered as single" node_single "shard$shard-a"; done
    for ((shard = 0; shard < shards; shard++)); do create_node "$shard" b; done
  fi
  for ((shard = 0; shard < shards; shard++)); do
    wait_for 180 "formation $(formation_of "$shard") with one primary and one secondary" formation_ready_or_checkpoint "$(formation_of "$shard")"
  done

  : >"$dir/shards.env.tmp"
  for ((shard = 0; shard < shards; shard++)); do
    formation=$(formation_of "$shard")
    ensure_sync "$shard"
    ports=$(formation_ports "$formation")
    line="Host=127.0.0.1:${ports//,/,127.0.0.1:};Username=postgres;Database=nationalid;Target Session Attributes=primary"
    echo "SHARD_$shard=$line" >>"$dir/shards.env.tmp"
  done
  mv "$dir/shards.env.tmp" "$dir/shards.env"
  write_silo_env "$shards"
  while read -r name _; do
    as_pg pg_autoctl config set --pgdata "$dir/$name" timeout.network_partition_timeout 5 >/dev/null
  done <"$dir/nodes"
  tune_monitor fast
  echo "ready in $((SECONDS - began))s: monitor $(monitor_uri)"
  cat "$dir/shards.env"
}

# DIR/silo.env: what a silo needs to use these servers (sourced before ./run.sh or a test). The national database is a
# database of its own on shard 0's servers (in production a small HA pair of its own); every shard holds an even
# share of every region's 4,096 buckets. Host Recheck Seconds=1: after a failover Npgsql would otherwise keep trying
# the old primary's address for 10 s (measured: 4,049 errors instead of 820 under the same load).
write_silo_env() {
  local shards=$1 shard primary from to conn
  primary=$(monitor_sql "SELECT nodeport FROM pgautofailover.node WHERE formationid = 'default' AND reportedstate = 'primary'")
  if [[ $(node_sql "$primary" "SELECT count(*) FROM pg_database WHERE datname = 'national'") != 1 ]]; then
    node_sql "$primary" "CREATE DATABASE national" >/dev/null
  fi
  {
    conn=$(grep '^SHARD_0=' "$dir/shards.env" | cut -d= -f2-)
    echo "export ConnectionStrings__NationalId='${conn/Database=nationalid/Database=national};Host Recheck Seconds=1'"
    for ((shard = 0; shard < shards; shard++)); do
      conn=$(grep "^SHARD_$shard=" "$dir/shards.env" | cut -d= -f2-)
      from=$((4096 * shard / shards)); to=$((4096 * (shard + 1) / shards - 1))
      echo "export Storage__Shards__shard${shard}__ConnectionString='$conn;Host Recheck Seconds=1'"
      echo "export Storage__Shards__shard${shard}__Serves__0='*:$from-$to'"
    done
  } >"$dir/silo.env"
}

# Synchronous replication: a commit returns once the standby has it too. With one standby per formation the monitor
# refuses number_sync_standbys = 1 (it wants N+1 standbys for N); 0 still gives "ANY 1 (standby)" as long as the standby
# has replication-quorum true. Checked on the primary itself: synchronous_standby_names and pg_stat_replication.
ensure_sync() {
  local shard=$1 formation primary nss names state
  formation=$(formation_of "$shard")
  if ! as_pg pg_autoctl set formation number-sync-standbys 1 --monitor "$(monitor_uri)" --formation "$formation" \
    >>"$dir/logs/monitor.log" 2>&1; then
    echo "note: monitor refused number_sync_standbys=1 for $formation (one standby only), see $dir/logs/monitor.log" >&2
  fi
  nss=$(monitor_sql "SELECT number_sync_standbys FROM pgautofailover.formation WHERE formationid = '$formation'")
  primary=$(monitor_sql "SELECT nodeport FROM pgautofailover.node WHERE formationid = '$formation' AND reportedstate = 'primary'")
  [[ -n $primary ]] || { echo "WARNING: formation $formation has no primary now" >&2; return 0; }
  # The monitor may be applying a settings change: wait until the primary reports its standby as synchronous again.
  if ! wait_for 30 "synchronous standby on shard $shard" sync_ok "$primary"; then
    echo "WARNING: shard $shard is not synchronous" >&2
  fi
  names=$(node_sql "$primary" "SHOW synchronous_standby_names")
  state=$(node_sql "$primary" "SELECT string_agg(application_name || '=' || sync_state, ',') FROM pg_stat_replication")
  echo "shard $shard ($formation): number_sync_standbys=$nss synchronous_standby_names='$names' replication: $state" >&2
}

sync_ok() {
  [[ -n $(node_sql "$1" "SHOW synchronous_standby_names") ]] &&
    node_sql "$1" "SELECT 1 FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum')" | grep -qx 1
}

pid_alive() { [[ -f "$1" ]] && kill -0 "$(head -n1 "$1")" 2>/dev/null; }

status() {
  local formation formations
  formations=$(monitor_sql "SELECT formationid FROM pgautofailover.formation WHERE kind = 'pgsql' ORDER BY formationid")
  for formation in $formations; do
    echo "== formation $formation"
    as_pg pg_autoctl show state --monitor "$(monitor_uri)" --formation "$formation"
  done
}

kill_primary() {
  local shard=$1 formation primary standby pid began
  formation=$(formation_of "$shard")
  primary=$(monitor_sql "SELECT nodename FROM pgautofailover.node WHERE formationid = '$formation' AND reportedstate = 'primary'")
  standby=$(monitor_sql "SELECT nodename FROM pgautofailover.node WHERE formationid = '$formation' AND reportedstate = 'secondary'")
  [[ -n $primary && -n $standby ]] || { echo "formation $formation has no primary/secondary pair now" >&2; exit 1; }
  # A lost server: its pg_autoctl (and every process under it) and its postmaster, all at once. Killing the postmaster
  # alone is a crash that the node's own pg_autoctl repairs by restarting PostgreSQL within a second, often before
  # the monitor calls the node unhealthy: no failover, just a short outage. The killed node stays down until
  # "ha.sh start DIR" runs again, which brings it back as the standby.
  pid=$(head -n1 "$dir/$primary/postmaster.pid")
  began=$(date +%s%N)
  kill_tree "$(head -n1 "$dir/xdg/$primary.pid")"
  kill -9 "$pid" 2>/dev/null || true
  echo "killed the server $primary (primary of $formation: pg_autoctl and postmaster $pid); waiting for $standby"
  wait_for 120 "$standby promoted" standby_promoted "$standby"
  local ms=$((($(date +%s%N) - began) / 1000000))
  echo "$standby is $(node_state "$standby") after $((ms / 1000)).$(printf '%03d' $((ms % 1000)))s"
}

# kill -9 a process and all its descendants, children first seen before the parent dies.
kill_tree() {
  local child
  for child in $(pgrep -P "$1" || true); do kill_tree "$child"; done
  kill -9 "$1" 2>/dev/null || true
}

standby_promoted() { [[ $(node_state "$1") =~ ^(primary|wait_primary)$ ]]; }

stop() {
  local name pidfile
  [[ -d "$dir" ]] || return 0
  dir=$(cd "$dir" && pwd)
  # Standbys first, then primaries, the monitor last: no failover is started by the shutdown itself.
  if [[ -f "$dir/nodes" ]]; then
    while read -r name _; do
      if [[ -f "$dir/$name/PG_VERSION" ]]; then as_pg pg_autoctl stop --pgdata "$dir/$name" --fast >/dev/null 2>&1 || true; fi
    done < <(sort -r "$dir/nodes")
  fi
  if [[ -f "$dir/monitor/PG_VERSION" ]]; then as_pg pg_autoctl stop --pgdata "$dir/monitor" --fast >/dev/null 2>&1 || true; fi
  # Leftovers: the services started here (xdg/*.pid), pg_autoctl's own pid files, each postmaster.pid.
  for pidfile in "$dir"/xdg/*.pid "$dir/xdg/run/pg_autoctl$dir"/*/pg_autoctl.pid "$dir"/*/postmaster.pid; do
    [[ -f "$pidfile" ]] || continue
    wait_for 30 "process of $pidfile to exit" pid_gone "$pidfile" || kill -9 "$(head -n1 "$pidfile")" 2>/dev/null || true
  done
  rm -f "$dir"/xdg/*.pid
  echo "stopped"
}

pid_gone() { ! pid_alive "$1"; }

cmd=${1:-}; dir=${2:-}
[[ -n $cmd && -n $dir ]] || { echo "usage: $0 start DIR [SHARDS] | status DIR | kill-primary DIR SHARD | stop DIR" >&2; exit 2; }
case "$cmd" in
  start) start "${3:-1}" ;;
  status) dir=$(cd "$dir" && pwd); status ;;
  kill-primary) dir=$(cd "$dir" && pwd); kill_primary "${3:?shard}" ;;
  stop) stop ;;
  *) echo "usage: $0 start DIR [SHARDS] | status DIR | kill-primary DIR SHARD | stop DIR" >&2; exit 2 ;;
esac

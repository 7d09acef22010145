#!/usr/bin/env bash
# A real multi-process Orleans cluster on this machine: N silos (default 3), each in its own region, each with its
# HTTP gateway on loopback, sharing one PostgreSQL for membership, grain state and history.
#
#   deploy/local/cluster.sh start [N]     build, start PostgreSQL (unless ConnectionStrings__NationalId is set) and N silos
#   deploy/local/cluster.sh status        one line per silo: index, region, pid, URL, ready or not
#   deploy/local/cluster.sh kill I        SIGKILL silo I (no goodbye to the cluster), as a crash would
#   deploy/local/cluster.sh stop I        SIGTERM silo I (graceful: it leaves the cluster and hands its grains over)
#   deploy/local/cluster.sh restart I     start silo I again with the same region and ports
#   deploy/local/cluster.sh down          stop every silo and the PostgreSQL this script started
#
# Silo I listens on http://127.0.0.1:$((NID_HTTP_BASE + I)) (default 8081, 8082, ...), silo port 11112 + I, client
# gateway port 30001 + I. Regions are taken in order from NID_REGIONS (default "North East South Central Southwest
# Northeast Northwest"). State lives in .data/cluster/: pids, logs (silo-I.log), the settings every silo shares.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
state="$root/.data/cluster"
http_base=${NID_HTTP_BASE:-8081}
read -r -a regions <<<"${NID_REGIONS:-North East South Central Southwest Northeast Northwest}"

url_of() { echo "http://127.0.0.1:$((http_base + $1))"; }

ready() { curl -fsS -m 2 "$(url_of "$1")/health/ready" >/dev/null 2>&1; }

alive() { [[ -f "$state/silo-$1.pid" ]] && kill -0 "$(cat "$state/silo-$1.pid")" 2>/dev/null; }

start_silo() {
  local i=$1 region
  region=$(cat "$state/silo-$i.region")
  # shellcheck disable=SC1091
  source "$state/settings.env"
  # Orleans' failure detection tuned for a quick failover on loopback (docs/decisions/scaling.md, "Failures measured").
  nohup dotnet Silo/bin/Release/net10.0/NationalId.Silo.dll \
    --Urls "$(url_of "$i")" \
    --Orleans:Region "$region" \
    --Gateway:RateLimits:ExemptNetworks:0=127.0.0.0/8 --Gateway:RateLimits:ExemptNetworks:1=::1/128 \
    --Orleans:SiloPort $((11112 + i)) --Orleans:GatewayPort $((30001 + i)) \
    --Orleans:ClusterId "${NID_CLUSTER_ID:-national-id-local-cluster}" \
    --Orleans:Membership:ProbeTimeout "${NID_PROBE_TIMEOUT:-00:00:02}" --Orleans:Membership:NumMissedProbesLimit 3 \
    >>"$state/silo-$i.log" 2>&1 &
  echo $! >"$state/silo-$i.pid"
}

wait_ready() {
  local i=$1
  for _ in $(seq 1 240); do
    ready "$i" && return 0
    alive "$i" || { echo "silo $i exited; see $state/silo-$i.log" >&2; tail -20 "$state/silo-$i.log" >&2; return 1; }
    sleep 0.5
  done
  echo "silo $i not ready after 120 s; see $state/silo-$i.log" >&2
  return 1
}

# Silos known to this script: 0 .. count-1 (one region file each).
count() { local n=0; while [[ -f "$state/silo-$n.region" ]]; do n=$((n + 1)); done; echo "$n"; }

cmd=${1:-status}
case "$cmd" in
  start)
    n=${2:-3}
    (( n >= 1 && n <= ${#regions[@]} )) || { echo "N is 1 to ${#regions[@]} (one region each)" >&2; exit 2; }
    mkdir -p "$state"
    echo "==> building"
    if ! build_log=$(dotnet build Orleans.sln -c Release -nologo 2>&1); then
      echo "$build_log" | grep -E "error|warn" | sort -u >&2
      exit 1
    fi

    deploy/local/dev-secrets.sh "$root/.data/dev-secrets.env"
    NID_PG_PASSWORD=$(grep '^export NID_PG_PASSWORD=' "$root/.data/dev-secrets.env" | cut -d= -f2)
    export NID_PG_PASSWORD
    if [[ -z "${ConnectionStrings__NationalId:-}" ]]; then
      pg_port=$(deploy/local/free-port.sh 54339)
      echo "==> starting PostgreSQL on 127.0.0.1:$pg_port (data in .data/cluster/pg)"
      deploy/local/postgres.sh start "$state/pg" "$pg_port"
      touch "$state/pg.ours"
      ConnectionStrings__NationalId="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$NID_PG_PASSWORD;Database=nationalid;Maximum Pool Size=100"
    fi

    { cat "$root/.data/dev-secrets.env"; echo "export ConnectionStrings__NationalId='$ConnectionStrings__NationalId'"; } >"$state/settings.env"
    chmod 600 "$state/settings.env"

    for ((i = 0; i < n; i++)); do
      echo "${regions[$i]}" >"$state/silo-$i.region"
      alive "$i" && { echo "silo $i already running"; continue; }
      echo "==> silo $i (${regions[$i]}) on $(url_of "$i")"
      start_silo "$i"
      # The first silo applies the schema; the others start once it is ready (they would wait on its lock anyway).
      [[ $i -eq 0 ]] && wait_ready 0
    done
    for ((i = 1; i < n; i++)); do wait_ready "$i"; done
    # shellcheck disable=SC1091
    source "$state/settings.env"
    echo
    "$0" status
    echo "operator key: Gateway__OperatorKey in .data/dev-secrets.env (X-Operator-Key header; not printed)"
    ;;
  status)
    n=$(count)
    for ((i = 0; i < n; i++)); do
      pid=$(cat "$state/silo-$i.pid" 2>/dev/null || echo -)
      if alive "$i"; then s=$(ready "$i" && echo ready || echo starting); else s=down; fi
      printf '%s  %-10s pid %-8s %s  %s\n' "$i" "$(cat "$state/silo-$i.region")" "$pid" "$(url_of "$i")" "$s"
    done
    ;;
  kill | stop)
    i=${2:?silo index}
    alive "$i" || { echo "silo $i is not running" >&2; exit 1; }
    pid=$(cat "$state/silo-$i.pid")
    if [[ $cmd == kill ]]; then kill -KILL "$pid"; else kill -TERM "$pid"; fi
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    echo "silo $i ($cmd) is down"
    ;;
  restart)
    i=${2:?silo index}
    alive "$i" && { echo "silo $i is running; stop or kill it first" >&2; exit 1; }
    start_silo "$i"
    wait_ready "$i"
    echo "silo $i is ready on $(url_of "$i")"
    ;;
  down)
    n=$(count)
    for ((i = 0; i < n; i++)); do
      alive "$i" && kill -TERM "$(cat "$state/silo-$i.pid")"
    done
    for ((i = n - 1; i >= 0; i--)); do
      while alive "$i"; do sleep 0.2; done
      rm -f "$state/silo-$i.pid" "$state/silo-$i.region"
    done
    if [[ -f "$state/pg.ours" ]]; then
      deploy/local/postgres.sh stop "$state/pg"
      rm -f "$state/pg.ours"
    fi
    echo "==> cluster down"
    ;;
  *)
    sed -n '2,14p' "$0" >&2
    exit 2
    ;;
esac

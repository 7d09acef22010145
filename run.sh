#!/usr/bin/env bash
# Starts the whole system on this machine: PostgreSQL (unless ConnectionStrings__NationalId is set), the schema,
# and one silo with the HTTP gateway on http://127.0.0.1:8080. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
data="$root/.data"

echo "==> building"
if ! build_log=$(dotnet build Orleans.sln -c Release -nologo 2>&1); then
  echo "$build_log" | grep -E "error|warn" | sort -u >&2
  exit 1
fi

deploy/local/dev-secrets.sh "$data/dev-secrets.env"
# shellcheck disable=SC1091
source "$data/dev-secrets.env"

started_pg=""
if [[ -z "${ConnectionStrings__NationalId:-}" ]]; then
  pg_port=$(deploy/local/free-port.sh 54329)
  echo "==> starting PostgreSQL on 127.0.0.1:$pg_port (data in .data/pg)"
  deploy/local/postgres.sh start "$data/pg" "$pg_port"
  started_pg=1
  export ConnectionStrings__NationalId="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$NID_PG_PASSWORD;Database=nationalid;Maximum Pool Size=100"
fi


stop() {
  trap - INT TERM EXIT
  [[ -n "${silo_pid:-}" ]] && kill "$silo_pid" 2>/dev/null && wait "$silo_pid" 2>/dev/null || true
  [[ -n "$started_pg" ]] && deploy/local/postgres.sh stop "$data/pg"
  echo "==> stopped"
}
trap stop INT TERM EXIT

url=${Urls:-http://127.0.0.1:8080}
# Metrics, health and diagnostics on a listener of their own (ports by audience, docs/decisions/architecture.md).
management=${Gateway__ManagementUrls:-http://127.0.0.1:$(deploy/local/free-port.sh 9091)}
# Load generators on this machine (nid load, nid scenario) are exempt from the per-source limits; nobody else is.
dotnet Silo/bin/Release/net10.0/NationalId.Silo.dll --Urls "$url" --Gateway:ManagementUrls "$management" \
  --Gateway:RateLimits:ExemptNetworks:0=127.0.0.0/8 --Gateway:RateLimits:ExemptNetworks:1=::1/128 &
silo_pid=$!

for _ in $(seq 1 120); do
  curl -fsS "$management/health/ready" >/dev/null 2>&1 && break
  kill -0 "$silo_pid" 2>/dev/null || { echo "silo exited" >&2; exit 1; }
  sleep 0.5
done

cat <<INFO

NationalId is running.
  gateway     $url          (OpenAPI: $url/openapi/v1.json)
  metrics     $management/metrics     (the management listener: also health and diagnostics, nothing else)
  health      $management/health/live  $management/health/ready
  database    ${ConnectionStrings__NationalId%%;Username*}
  operator    X-Operator-Key: the value of Gateway__OperatorKey in .data/dev-secrets.env (not printed: terminals are logged)
  cluster     Orleans ports on loopback, mutual TLS with the development CA in .data/cluster-ca.pem
  client      dotnet Client/bin/Release/net10.0/nid.dll --help   (README: from enrollment to a verified QR)
Ctrl-C stops it.
INFO
wait "$silo_pid"

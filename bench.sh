#!/usr/bin/env bash
# Benchmarks of the whole system on this machine (figures go to docs/decisions/performance.md; tests never time anything).
#   ./bench.sh history [requests] [concurrency]   verification throughput with durable history vs. without, same run
#   ./bench.sh compare [requests] [concurrency]   grains vs. the central-table design, same silo, same citizens
#   ./bench.sh latency [requests] [concurrency]   maximum throughput, then p50/p99 open loop at 50 % and 90 % of it
#   ./bench.sh grains [citizens] [concurrency]    memory per active citizen grain, cold vs. warm verification
#   ./bench.sh direct [requests] [concurrency]    HTTP gateway vs. direct Orleans client (IVerifierGrain), same silo
#   ./bench.sh oracle [samples]                   remote binding latency, enrolled vs. unknown ID numbers (U test)
#   ./bench.sh seeded [citizens] [concurrency]    seed a population through the APIs (nid seed), then the scenario over it
#   ./bench.sh scenario [file]                    a scenario file (default Client/Scenarios/spring-festival.json)
#   ./bench.sh import [citizens] [parallel]       bulk import from the register (nid operator import --synthetic), rate
#   ./bench.sh national [citizens] [phones]       import a population (1,000,000), bind phones for some (40,000), then
#                                                 Client/Scenarios/national.json over them: cold and warm latency apart
#   ./bench.sh shards [requests] [concurrency]    the same load on 1, 2 and 3 citizen shards (databases of this server)
#   ./bench.sh all [requests] [concurrency]       history, compare, latency, grains, then our crypto per core
# Starts its own throwaway PostgreSQL and silo processes; load comes from `nid load` on the same machine.
# BENCH_SILO_ARGS adds silo arguments to every run (experiments, e.g. --NationalId:History:AwaitDurable=false).
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
what=${1:-all}
requests=${2:-20000}
concurrency=${3:-32}

if [[ "$what" == all ]]; then
  "$0" compare "$requests" "$concurrency"
  "$0" history "$requests" "$concurrency"
  "$0" latency "$requests" "$concurrency"
  "$0" grains 5000 16
  echo "==> our own crypto per core (nid crypto-bench)"
  dotnet Client/bin/Release/net10.0/nid.dll crypto-bench
  exit 0
fi

echo "==> building (Release)"
dotnet build Orleans.sln -c Release -nologo -v quiet >/dev/null

work=$(mktemp -d /tmp/nid-bench.XXXXXX)
chmod 755 "$work"
pg_port=$(deploy/local/free-port.sh 56432)
# A million citizens' state (~1.8 GB) is the national run's working set: PostgreSQL gets the memory a shard of that
# size would be given (its default of 128 MB would measure the operating system's page cache instead).
if [[ "$what" == national ]]; then export NID_PG_OPTIONS="-c shared_buffers=3GB"; fi
NID_PG_PASSWORD= deploy/local/postgres.sh start "$work/pg" "$pg_port"   # throwaway: trust, loopback only
silo_pid=""
cleanup() {
  [[ -n "$silo_pid" ]] && kill "$silo_pid" 2>/dev/null && wait "$silo_pid" 2>/dev/null || true
  deploy/local/postgres.sh stop "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT
deploy/local/dev-secrets.sh "$work/secrets.env"
# shellcheck disable=SC1091
source "$work/secrets.env"
psql_admin() { runuser -u postgres -- psql -h 127.0.0.1 -p "$pg_port" -U postgres -qAt "$@" postgres 2>/dev/null || psql -h 127.0.0.1 -p "$pg_port" -U postgres -qAt "$@" postgres; }

# The benchmark host: the production silo plus the central-table baseline and the benchmark probes (forced
# collections, deactivating idle grains) that no production silo serves (bench/Baseline).
bench_host=bench/Baseline/bin/Release/net10.0/NationalId.Bench.dll

run_silo() { # $1 = database, rest = extra args
  local db=$1; shift
  psql_admin -c "CREATE DATABASE $db"
  local http_port; http_port=$(deploy/local/free-port.sh 18080)
  url="http://127.0.0.1:$http_port"
  ConnectionStrings__NationalId="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$db;Maximum Pool Size=100" \
    dotnet "$bench_host" --Urls "$url" --Logging:LogLevel:Default=Warning \
    --Orleans:ClusterId="bench-$db" --Orleans:SiloPort="$(deploy/local/free-port.sh 21111)" --Orleans:GatewayPort="$(deploy/local/free-port.sh 31000)" \
    --Gateway:RateLimits:ExemptNetworks:0=127.0.0.0/8 --Gateway:RateLimits:ExemptNetworks:1=::1/128 "$@" ${BENCH_SILO_ARGS:-} \
    > "$work/$db.log" 2>&1 &
  silo_pid=$!
  for _ in $(seq 1 240); do curl -fsS "$url/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "silo did not become ready" >&2; cat "$work/$db.log" >&2; exit 1
}

pg_pid() { head -1 "$work/pg/postmaster.pid"; }
psql_db() { local db=$1; shift; runuser -u postgres -- psql -h 127.0.0.1 -p "$pg_port" -U postgres -qAt "$@" "$db" 2>/dev/null || psql -h 127.0.0.1 -p "$pg_port" -U postgres -qAt "$@" "$db"; }

# CPU seconds (user + system) used so far by a process, and by every process of a user (PostgreSQL: its backends, and
# through the postmaster's children times the backends that already exited).
cpu_seconds() {
  local pid=$1 user=$2
  python3 - "$pid" "$user" <<'PY'
import os, sys, pwd
tick = os.sysconf("SC_CLK_TCK")
def cpu(p):
    try:
        f = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])) / tick
    except (OSError, IndexError):
        return 0.0
uid = pwd.getpwnam(sys.argv[2]).pw_uid
others = sum(cpu(p) for p in os.listdir("/proc") if p.isdigit() and os.stat(f"/proc/{p}").st_uid == uid)
print(f"{cpu(sys.argv[1]):.2f} {others:.2f}")
PY
}

# The machine's cryptographic ceiling: one key agreement plus one P-256 signature check per presentation.
ceiling() {
  openssl speed -seconds 2 ecdhx25519 ecdsap256 2>/dev/null | python3 -c '
import sys, re
text = sys.stdin.read()
verify = float(re.search(r"256 bits ecdsa \(nistp256\)\s+\S+\s+\S+\s+\S+\s+(\S+)", text).group(1))
x25519 = float(re.search(r"253 bits ecdh \(X25519\)\s+\S+\s+(\S+)", text).group(1))
print(f"{1 / (1 / verify + 1 / x25519):.0f}")'
}

stop_silo() { kill "$silo_pid"; wait "$silo_pid" 2>/dev/null || true; silo_pid=""; }

case "$what" in
  history)
    for mode in true false; do
      run_silo "bench_durable_$mode" --NationalId:History:AwaitDurable=$mode
      echo "==> AwaitDurable=$mode: $requests verifications, $concurrency in flight"
      dotnet Client/bin/Release/net10.0/nid.dll load --gateway "$url" --operator-key "$Gateway__OperatorKey" \
        --requests "$requests" --concurrency "$concurrency" --citizens 500 --warmup 10000 --json "$work/history-$mode.json" \
        --service-pid "$silo_pid" "$(pg_pid)" 2>/dev/null | tee "$work/history-$mode.md"
      stop_silo
    done
    echo "==> cryptographic ceiling (openssl speed: X25519 agreement + P-256 verify per presentation)"
    limit=$(ceiling)
    python3 - "$work/history-true.json" "$work/history-false.json" "$limit" <<'PY'
import json, sys
d, a = (json.load(open(p))[0] for p in sys.argv[1:3])
limit = float(sys.argv[3])
print(f"ceiling: {limit:.0f} presentations per core-second")
for name, r in (("durable history", d), ("history not awaited", a)):
    eff = r["perServiceCpuSecond"]
    print(f"{name}: {r['throughput']:.0f}/s, p99 {r['p99']:.2f} ms, {eff:.0f} per service CPU-second = {eff / limit:.0%} of the ceiling")
print(f"ratio durable/without = {d['throughput'] / a['throughput']:.2f}")
PY
    ;;
  compare)
    # The benchmark host: the same silo plus the central-table baseline (bench/Baseline), never the production one.
    run_silo bench_compare
    echo "==> grains vs central table: $requests verifications each, $concurrency in flight, same silo, same citizens"
    dotnet Client/bin/Release/net10.0/nid.dll load --gateway "$url" --operator-key "$Gateway__OperatorKey" \
      --requests "$requests" --concurrency "$concurrency" --citizens 500 --warmup 10000 --target grains central --json "$work/compare.json" \
      --service-pid "$silo_pid" "$(pg_pid)" 2>/dev/null | tee "$work/compare.md"
    stop_silo
    limit=$(ceiling)
    python3 - "$work/compare.json" "$limit" <<'PY'
import json, sys
g, c = json.load(open(sys.argv[1]))
limit = float(sys.argv[2])
print(f"ceiling: {limit:.0f} presentations per core-second")
for r in (g, c):
    print(f"{r['target']}: {r['throughput']:.0f}/s, p50 {r['p50']:.2f} ms, p99 {r['p99']:.2f} ms, "
          f"{r['perServiceCpuSecond']:.0f} per service CPU-second = {r['perServiceCpuSecond'] / limit:.0%} of the ceiling")
print(f"ratio grains/central: throughput {g['throughput'] / c['throughput']:.2f}, per service CPU-second {g['perServiceCpuSecond'] / c['perServiceCpuSecond']:.2f}")
PY
    ;;
  latency)
    run_silo bench_latency
    echo "==> maximum throughput (closed loop, $concurrency in flight), then open loop at 50 % and 90 % of it"
    dotnet Client/bin/Release/net10.0/nid.dll load --gateway "$url" --operator-key "$Gateway__OperatorKey" \
      --requests "$requests" --concurrency "$concurrency" --citizens 500 --warmup 10000 --json "$work/max.json" \
      --service-pid "$silo_pid" "$(pg_pid)" 2>/dev/null | tee "$work/max.md"
    max=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[0]['throughput'])" "$work/max.json")
    for share in 50 90; do
      r=$(python3 -c "print(round($max * $share / 100))")
      echo "==> open loop at $share % of the maximum: $r requests/s"
      dotnet Client/bin/Release/net10.0/nid.dll load --gateway "$url" --operator-key "$Gateway__OperatorKey" \
        --requests "$requests" --rate "$r" --concurrency 512 --citizens 500 --warmup 5000 --json "$work/rate-$share.json" 2>/dev/null | tee "$work/rate-$share.md"
    done
    stop_silo
    ;;
  grains)
    run_silo bench_grains
    echo "==> memory per active citizen grain and cold vs. warm verification"
    dotnet Client/bin/Release/net10.0/nid.dll grain-bench --gateway "$url" --operator-key "$Gateway__OperatorKey" \
      --citizens "$requests" --concurrency "$concurrency" 2>&1 | grep -vE "^\s*$" | tail -4
    stop_silo
    ;;
  direct)
    run_silo bench_direct
    echo "==> the same verifications through HTTP and through an Orleans client (IVerifierGrain), same silo"
    dotnet Client/bin/Release/net10.0/nid.dll load --gateway "$url" --operator-key "$Gateway__OperatorKey" \
      --requests "$requests" --concurrency "$concurrency" --citizens 500 --warmup 10000 --target grains direct \
      --cluster-db "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=bench_direct" --cluster-id bench-bench_direct \
      --service-pid "$silo_pid" "$(pg_pid)" 2>/dev/null
    stop_silo
    ;;
  oracle)
    run_silo bench_oracle
    echo "==> remote binding with a wrong face: enrolled vs. unknown ID numbers, $requests of each"
    dotnet Client/bin/Release/net10.0/nid.dll oracle-bench --gateway "$url" --operator-key "$Gateway__OperatorKey" --samples "$requests" 2>/dev/null
    stop_silo
    ;;
  seeded)
    run_silo bench_seeded
    echo "==> seeding $requests citizens through the APIs, then the spring-festival scenario over them"
    start=$(date +%s)
    dotnet Client/bin/Release/net10.0/nid.dll seed --gateway "$url" --operator-key "$Gateway__OperatorKey" \
      --citizens "$requests" --concurrency "$concurrency" --out "$work/wallets.tsv" 2>&1 | tail -1
    echo "seeding took $(( $(date +%s) - start )) s"
    dotnet Client/bin/Release/net10.0/nid.dll scenario Client/Scenarios/spring-festival.json --wallets "$work/wallets.tsv" \
      --gateway "$url" --operator-key "$Gateway__OperatorKey" --warmup 5000 --service-pid "$silo_pid" "$(pg_pid)" 2>/dev/null
    stop_silo
    ;;
  import)
    run_silo bench_import
    echo "==> importing $requests synthetic register lines, batches of 2000, ${3:-2} in flight"
    cpu_before=$(cpu_seconds "$silo_pid" postgres)
    (cd "$work" && /usr/bin/time -f "the nid tool itself: %U s user + %S s system CPU" -o "$work/import.client" \
      dotnet "$root/Client/bin/Release/net10.0/nid.dll" operator import --synthetic "$requests" --parallel "${3:-2}" \
      --gateway "$url" --operator-key "$Gateway__OperatorKey" 2>"$work/import.progress") | tee "$work/import.json"
    cat "$work/import.client"
    cpu_after=$(cpu_seconds "$silo_pid" postgres)
    tail -1 "$work/import.progress"
    python3 - "$work/import.json" "$cpu_before" "$cpu_after" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
(silo0, pg0), (silo1, pg1) = (map(float, a.split()) for a in sys.argv[2:4])
silo, pg = silo1 - silo0, pg1 - pg0
n = s["imported"] + s["alreadyEnrolled"]
print(f"imported {s['imported']} in {s['seconds']:.1f} s = {s['perSecond']:.0f} citizens/s; service CPU {silo + pg:.1f} s (silo {silo:.1f}, PostgreSQL {pg:.1f}) "
      f"= {n / (silo + pg):.0f} citizens per service CPU-second")
PY
    psql_db bench_import -c "SELECT pg_size_pretty(pg_total_relation_size('orleans_grain_state')) || ' grain state (' || (pg_total_relation_size('orleans_grain_state') / greatest(count(*), 1)) || ' bytes a citizen), ' || (SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'access_history'::regclass) || ' history' FROM orleans_grain_state" || true
    stop_silo
    ;;
  national)
    phones=${3:-40000}
    run_silo bench_national
    echo "==> importing $requests synthetic citizens, then binding phones for $phones of them"
    cpu_before=$(cpu_seconds "$silo_pid" postgres)
    (cd "$work" && dotnet "$root/Client/bin/Release/net10.0/nid.dll" operator import --synthetic "$requests" --parallel 3 \
      --gateway "$url" --operator-key "$Gateway__OperatorKey" 2>"$work/import.progress") | tee "$work/import.json"
    cpu_after=$(cpu_seconds "$silo_pid" postgres)
    python3 - "$work/import.json" "$cpu_before" "$cpu_after" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
(silo0, pg0), (silo1, pg1) = (map(float, a.split()) for a in sys.argv[2:4])
print(f"import: {s['imported']} citizens in {s['seconds']:.1f} s = {s['perSecond']:.0f}/s; service CPU {silo1 - silo0 + pg1 - pg0:.1f} s")
PY
    start=$(date +%s)
    dotnet Client/bin/Release/net10.0/nid.dll seed --imported --gateway "$url" --operator-key "$Gateway__OperatorKey" \
      --citizens "$phones" --concurrency 32 --out "$work/wallets.tsv" 2>&1 | tail -1
    echo "binding $phones phones took $(( $(date +%s) - start )) s"
    psql_db bench_national -c "SELECT count(*) || ' citizens stored, ' || pg_size_pretty(pg_total_relation_size('orleans_grain_state')) FROM orleans_grain_state WHERE grain_type = 'citizen'"
    # After a bulk load, as an operator would (docs/guides/operating.md): statistics and the visibility map now, not by
    # autovacuum in the middle of the peak, and the load's dirty pages written out.
    start=$(date +%s)
    psql_db bench_national -c "VACUUM (ANALYZE) orleans_grain_state" -c "VACUUM (ANALYZE) access_history" -c "CHECKPOINT"
    echo "VACUUM ANALYZE and CHECKPOINT after the load took $(( $(date +%s) - start )) s"
    dotnet Client/bin/Release/net10.0/nid.dll scenario Client/Scenarios/national.json --wallets "$work/wallets.tsv" \
      --gateway "$url" --operator-key "$Gateway__OperatorKey" --warmup 5000 --service-pid "$silo_pid" "$(pg_pid)" 2>/dev/null
    stop_silo
    ;;
  shards)
    for n in 1 2 3; do
      shard_args=()
      for ((k = 0; k < n; k++)); do
        psql_admin -c "CREATE DATABASE bench_shards_${n}_$k"
        shard_args+=("--Storage:Shards:s$k:ConnectionString=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=bench_shards_${n}_$k;Maximum Pool Size=100"
          "--Storage:Shards:s$k:Serves:0=*:$((4096 * k / n))-$((4096 * (k + 1) / n - 1))")
      done
      run_silo "bench_shards_$n" "${shard_args[@]}"
      echo "==> $n shard(s): $requests verifications, $concurrency in flight"
      dotnet Client/bin/Release/net10.0/nid.dll load --gateway "$url" --operator-key "$Gateway__OperatorKey" \
        --requests "$requests" --concurrency "$concurrency" --citizens 500 --warmup 10000 --json "$work/shards-$n.json" \
        --service-pid "$silo_pid" "$(pg_pid)" 2>/dev/null | tail -3
      stop_silo
    done
    python3 - "$work"/shards-1.json "$work"/shards-2.json "$work"/shards-3.json <<'PY'
import json, sys
runs = [json.load(open(p))[0] for p in sys.argv[1:]]
for n, r in enumerate(runs, 1):
    print(f"{n} shard(s): {r['throughput']:.0f}/s, p99 {r['p99']:.2f} ms, {r['perServiceCpuSecond']:.0f} per service CPU-second "
          f"= {r['perServiceCpuSecond'] / runs[0]['perServiceCpuSecond']:.2f} of one shard's")
PY
    ;;
  scenario)
    file=${2:-Client/Scenarios/spring-festival.json}
    run_silo bench_scenario
    echo "==> scenario $file"
    dotnet Client/bin/Release/net10.0/nid.dll scenario "$file" --gateway "$url" --operator-key "$Gateway__OperatorKey" \
      --warmup 5000 --service-pid "$silo_pid" "$(pg_pid)" --report-dir "${BENCH_REPORT_DIR:-$root/artifacts/bench}/scenario"
    echo "==> report: ${BENCH_REPORT_DIR:-$root/artifacts/bench}/scenario/report.md"
    stop_silo
    ;;
  *) echo "usage: $0 history|compare|latency|grains|direct|oracle|seeded|scenario|all [requests|file] [concurrency]" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Runs every test. Starts a throwaway PostgreSQL (unless NID_TEST_PG names one) and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")"

started=""
if [[ -z "${NID_TEST_PG:-}" ]]; then
  pg_dir=$(mktemp -d /tmp/nid-test-pg.XXXXXX)
  chmod 755 "$pg_dir"
  port=$(deploy/local/free-port.sh 55432)
  echo "==> starting throwaway PostgreSQL on 127.0.0.1:$port"
  NID_PG_PASSWORD= deploy/local/postgres.sh start "$pg_dir/data" "$port"   # throwaway: trust, loopback only
  started="$pg_dir"
  export NID_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
fi

cleanup() {
  if [[ -n "$started" ]]; then
    deploy/local/postgres.sh stop "$started/data"
    rm -rf "$started"
  fi
}
trap cleanup EXIT

echo "==> building"
dotnet build Orleans.sln -c Release -nologo -v quiet
echo "==> checking the formatting (.editorconfig; fix with: dotnet format Orleans.sln)"
dotnet format Orleans.sln --verify-no-changes --no-restore
echo "==> validating the Kubernetes manifests (offline)"
if command -v kubectl >/dev/null && python3 -c "import yaml" 2>/dev/null; then
  deploy/k8s/validate.sh | tail -1
else
  echo "kubectl or python3-yaml missing: manifests not validated on this machine" >&2
fi
echo "==> testing"
log=$(mktemp)
status=0
dotnet test Orleans.sln -c Release --no-build --nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
passed=$(grep -cE '^\s+Passed ' "$log" || true)
failed=$(grep -cE '^\s+Failed ' "$log" || true)
rm -f "$log"
echo "$passed passed, $failed failed"
exit "$status"

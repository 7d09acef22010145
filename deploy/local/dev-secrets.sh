#!/usr/bin/env bash
# Writes development secrets once to $1 (an env file): the handle secret, presentation keys (suite 1 P-256 as key 1,
# suite 2 X25519 as key 2, the current one), the master key that wraps citizens' data keys, an operator key, and the
# cluster's TLS CA and member certificate (files next to the env file).
# A file written before master keys existed gets one appended. The registration authority's key pair is made too: its
# public half in the env file, its private half (for `nid authority open`) in authority-private.key next to it.
# Production takes these from a secret store (docs/decisions/security.md, "Every secret"), never from this script.
set -euo pipefail
file=${1:?env file}

# The cluster's mutual TLS (Orleans:Tls): a private CA and one member certificate (serverAuth + clientAuth) signed by
# it, as PKCS#12 with a random password. Every silo and every Orleans client of this machine uses them.
cluster_tls() {
  local dir pw
  dir=$(cd "$(dirname "$file")" && pwd)
  pw=$(openssl rand -hex 16)
  (
    umask 077
    cd "$dir"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout cluster-ca.key -out cluster-ca.pem -days 3650 \
      -subj "/CN=NationalId development cluster CA" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout cluster-node.key -out cluster-node.csr -subj "/CN=nationalid-silo" 2>/dev/null
    printf "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:nationalid-silo,IP:127.0.0.1\n" >cluster-node.ext
    openssl x509 -req -in cluster-node.csr -CA cluster-ca.pem -CAkey cluster-ca.key -CAcreateserial -out cluster-node.pem -days 825 -extfile cluster-node.ext 2>/dev/null
    openssl pkcs12 -export -inkey cluster-node.key -in cluster-node.pem -certfile cluster-ca.pem -out cluster-node.pfx -passout "pass:$pw"
    rm -f cluster-node.csr cluster-node.ext cluster-ca.srl
  )
  { echo "export Orleans__Tls__CertificatePath=$dir/cluster-node.pfx"
    echo "export Orleans__Tls__CertificatePassword=$pw"
    echo "export Orleans__Tls__CaPath=$dir/cluster-ca.pem"; } >>"$file"
}
# The development capture-SDK vendor (Client/Capture/CaptureSdk.cs; its private key is in the repository, so this
# trust belongs on development machines only): the simulated wallets' remote face captures are attested with it.
capture_vendor() {
  { echo "export NationalId__CaptureVendors__0__Id=nid-dev-capture"
    echo "export NationalId__CaptureVendors__0__Name=development-capture-sdk"
    echo "export NationalId__CaptureVendors__0__PublicKey=BCVg-rmSHaLvQT2r_VXX4w-3BXgxc4oHNkTU1SV7KzJzkmVjJWyfuWgPTJrwgm_DCmuavsB_ag1xGWXp0TGazZI"; } >>"$file"
}
if [[ -f "$file" ]]; then
  if ! grep -q NationalId__MasterKeys "$file"; then
    { echo "export NationalId__MasterKeys__0__Id=1"; echo "export NationalId__MasterKeys__0__Key=$(openssl rand -base64 32)"; echo "export NationalId__CurrentMasterKeyId=1"; } >>"$file"
  fi
  if ! grep -q NationalId__Authority__PublicKey "$file"; then
    (umask 077; openssl genpkey -algorithm X25519 -out "$(dirname "$file")/authority-private.pem" 2>/dev/null)
    openssl pkey -in "$(dirname "$file")/authority-private.pem" -outform DER 2>/dev/null | tail -c 32 | base64 -w0 >"$(dirname "$file")/authority-private.key"
    { echo "export NationalId__Authority__KeyId=1"
      echo "export NationalId__Authority__PublicKey=$(openssl pkey -in "$(dirname "$file")/authority-private.pem" -pubout -outform DER 2>/dev/null | tail -c 32 | base64 -w0)"; } >>"$file"
  fi
  if ! grep -q Orleans__Tls__CertificatePath "$file"; then
    cluster_tls
  fi
  if ! grep -q NID_PG_PASSWORD "$file"; then
    echo "export NID_PG_PASSWORD=$(openssl rand -hex 16)" >>"$file"
  fi
  if ! grep -q NationalId__CaptureVendors "$file"; then
    capture_vendor
  fi
  exit 0
fi
mkdir -p "$(dirname "$file")"
key=$(openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0)
x25519=$(openssl genpkey -algorithm X25519 -outform DER 2>/dev/null | tail -c 32 | base64 -w0)
umask 077
openssl genpkey -algorithm X25519 -out "$(dirname "$file")/authority-private.pem" 2>/dev/null
openssl pkey -in "$(dirname "$file")/authority-private.pem" -outform DER 2>/dev/null | tail -c 32 | base64 -w0 >"$(dirname "$file")/authority-private.key"
cat > "$file" <<ENV
export NationalId__HandleSecret=$(openssl rand -base64 32)
export NationalId__PresentationKeys__0__Id=1
export NationalId__PresentationKeys__0__PrivateKey=$key
export NationalId__PresentationKeys__0__Suite=1
export NationalId__PresentationKeys__1__Id=2
export NationalId__PresentationKeys__1__PrivateKey=$x25519
export NationalId__PresentationKeys__1__Suite=2
export NationalId__CurrentPresentationKeyId=2
export NationalId__MasterKeys__0__Id=1
export NationalId__MasterKeys__0__Key=$(openssl rand -base64 32)
export NationalId__CurrentMasterKeyId=1
export NationalId__Authority__KeyId=1
export NationalId__Authority__PublicKey=$(openssl pkey -in "$(dirname "$file")/authority-private.pem" -pubout -outform DER 2>/dev/null | tail -c 32 | base64 -w0)
export Gateway__OperatorKey=$(openssl rand -hex 16)
# The development PostgreSQL's password (deploy/local/postgres.sh: SCRAM over TCP).
export NID_PG_PASSWORD=$(openssl rand -hex 16)
ENV
cluster_tls
capture_vendor

#!/usr/bin/env bash
# Writes development secrets once to $1 (an env file): the handle secret, a presentation key and an operator key.
# Production takes these from a secret store (docs/architecture.md), never from this script.
set -euo pipefail
file=${1:?env file}
[[ -f "$file" ]] && exit 0
mkdir -p "$(dirname "$file")"
key=$(openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0)
umask 077
cat > "$file" <<ENV
export NationalId__HandleSecret=$(openssl rand -base64 32)
export NationalId__PresentationKeys__0__Id=1
export NationalId__PresentationKeys__0__PrivateKey=$key
export NationalId__CurrentPresentationKeyId=1
export Gateway__OperatorKey=$(openssl rand -hex 16)
ENV

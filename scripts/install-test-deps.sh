#!/usr/bin/env bash
# Installs the real peers the tests talk to, from Debian's packages: openssl (certificates),
# docker-registry and skopeo (TLS and registry policy round trips), and a kubectl (the test
# API server's fidelity check). Debian's kubernetes-client and the Google Cloud SDK's kubectl
# ship the same path, so an existing kubectl is kept.
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
need=()
command -v openssl >/dev/null || need+=(openssl)
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v skopeo >/dev/null || need+=(skopeo)
command -v kubectl >/dev/null || need+=(kubernetes-client)
if [ ${#need[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "test peers: $(openssl version | cut -d' ' -f1-2), docker-registry $(docker-registry --version 2>/dev/null | awk '{print $3}'), $(skopeo --version), kubectl $(kubectl version --client 2>/dev/null | head -1 | awk '{print $3}')"

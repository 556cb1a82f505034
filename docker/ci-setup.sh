#!/usr/bin/env bash
# What the tests use beyond Maven, from Debian's packages: curl and h2load (third-party HTTP/2 and TLS
# clients against the server), openssl (certificate files for the TLS tests), PostgreSQL's server binaries (the shared
# job store's tests start throw-away clusters from them), nginx (the rolling-restart test),
# prometheus and its promtool (the metrics tests), a Docker engine and the offline images (the
# container and compose stack tests), docker-compose (the compose tests). Best effort and
# time-bounded: each test skips cleanly when its piece is missing.
#
#   docker/ci-setup.sh        (as root; .ci/run calls it)
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
command -v nginx >/dev/null || need+=(nginx-light)
command -v h2load >/dev/null || need+=(nghttp2-client)
command -v curl >/dev/null || need+=(curl)
command -v openssl >/dev/null || need+=(openssl)
command -v dockerd >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v promtool >/dev/null || need+=(prometheus)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing ${need[*]}"
    timeout 300 apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || echo "could not install ${need[*]}"
  else
    echo "not root: not installing ${need[*]}"
  fi
fi

# The engine: no bridge and no iptables, so containers run with host networking only and all
# traffic stays on loopback.
if command -v dockerd >/dev/null && ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    nohup dockerd --bridge=none --iptables=false >/tmp/asyncprod-dockerd.log 2>&1 &
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  fi
fi
if docker info >/dev/null 2>&1; then
  echo "docker engine: up"
  timeout 900 bash docker/offline-images.sh || echo "no offline images: the container tests will skip"
else
  echo "docker engine: not available; the container tests will skip"
fi
exit 0
